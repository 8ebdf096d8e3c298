// `detect`: what was found on the dom0 — profile, backend, NICs, bridges, libvirt networks, guests.
import type { Context } from '../context.js';
import { loadHost } from './loadHost.js';
import { bridges, nics } from '../model/host.js';
import { detectXen, TOOLSTACK_CONFIGS } from '../detect/xenHost.js';
import { jsonText } from '../model/jsonMessage.js';

export async function detectCommand(ctx: Context): Promise<number> {
  const host = await loadHost(ctx);
  const xen = detectXen(ctx.fs, ctx.live);
  if (ctx.options.json) {
    ctx.out(jsonText({ ...host, root: ctx.fs.root, xen }));
    return 0;
  }
  const { t } = ctx;
  const none = t('detect.none');
  ctx.out(t('detect.root', { root: ctx.fs.root }));
  if (xen.dom0) {
    ctx.out(t('detect.profile', { profile: host.profile }));
  } else {
    // Say it before anything else: a profile guessed on a machine without Xen would mislead.
    const missing = TOOLSTACK_CONFIGS.join(', ');
    ctx.out(t(xen.toolstackConfigs.length === 0 ? 'detect.notDom0.noConfig' : 'detect.notDom0.notControlDomain', { configs: missing, found: xen.toolstackConfigs.join(', ') }));
    ctx.out(t('detect.notDom0.instead'));
  }
  const d = host.distribution;
  ctx.out(d ? t('detect.distribution', { name: d.prettyName, id: d.id, version: d.versionId ?? '-' }) : t('detect.distributionUnknown'));
  ctx.out(host.backend === 'unknown' ? t('detect.backendUnknown') : t('detect.backend', { backend: host.backend }));
  // Why: the rule that chose it, then the units and files that show it.
  for (const e of host.backendWhy) ctx.out(`  - ${t(e.key, e.params)}`);
  for (const c of host.managers.filter((m) => m.backend !== host.backend)) {
    ctx.out(`  ${t('detect.managerFound', { backend: c.backend, state: t(c.active ? 'detect.managerBoots' : 'detect.managerIdle') })}`);
    for (const e of c.evidence) ctx.out(`    - ${t(e.key, e.params)}`);
  }
  if (host.backendConflict.length > 1) {
    ctx.out(t('detect.backendConflict', { backends: host.backendConflict.join(', '), nic: host.defaultRouteNic ?? '-' }));
  }
  ctx.out(t('detect.linkSource', { source: host.linkSource }));
  ctx.out(t('detect.nics'));
  for (const l of nics(host)) {
    const tags = [l.name === host.defaultRouteNic ? t('detect.defaultRoute') : '', l.master ? t('detect.portOf', { bridge: l.master }) : ''].filter(Boolean).join(', ');
    ctx.out(`  ${l.name}  ${l.mac ?? '-'}${tags ? `  (${tags})` : ''}`);
  }
  if (nics(host).length === 0) ctx.out(`  ${none}`);
  ctx.out(t('detect.bridges'));
  for (const b of bridges(host)) ctx.out(`  ${b.name}  ${b.mac ?? '-'}  [${b.ports.join(' ') || none}]${b.name === host.defaultRouteNic ? `  (${t('detect.defaultRoute')})` : ''}`);
  if (bridges(host).length === 0) ctx.out(`  ${none}`);
  ctx.out(t('detect.libvirtNetworks'));
  for (const n of host.libvirtNetworks) {
    // Live, libvirt's word: running or not, and which domains use the network.
    const state = n.active === undefined ? [] : [t(n.active ? 'detect.active' : 'detect.inactive')];
    const used = n.usedBy?.length ? [t('detect.usedBy', { domains: n.usedBy.join(', ') })] : [];
    ctx.out(`  ${[n.name, `${t('detect.bridge')}=${n.bridge ?? '-'}`, `${t('detect.forward')}=${n.forwardMode ?? t('detect.isolated')}`, ...state, ...(n.autostart ? [t('detect.autostart')] : []), ...used].join('  ')}`);
  }
  if (host.libvirtNetworks.length === 0) ctx.out(`  ${none}`);
  ctx.out(t('detect.guests'));
  for (const g of host.guests) {
    ctx.out(`  ${g.name}`);
    for (const d of g.definitions) {
      ctx.out(`    ${d.path} (${d.kind})`);
      for (const v of d.vifs) {
        const keys = Object.entries(v.keys).map(([k, val]) => `${k}=${val}`).join(',');
        ctx.out(`      vif#${v.index}  mac=${v.mac ?? '-'}  bridge=${v.bridge ?? '-'}  ${keys}`);
      }
    }
  }
  if (host.guests.length === 0) ctx.out(`  ${none}`);
  // No silent skips: what looks like a guest definition and could not be read is named.
  if (host.unparsedGuests?.length) {
    ctx.out(t('detect.unparsed'));
    for (const u of host.unparsedGuests) ctx.out(t('detect.unparsedLine', { file: u.path, line: u.line, why: t(`detect.unparsed.${u.why}`) }));
  }
  return 0;
}
