// Recipe routed's plan. xend: the guide's sxp lines `(network-script network-route)` and
// `(vif-script vif-route)`, the running network script stopped first and xend restarted after, so
// network-route runs (ip_forward, proxy ARP) and new vifs get vif-route. xl: each guest's vif spec
// says `ip=…,script=vif-route`; the sysctls network-route would set are persisted in sysctl.d;
// on a live dom0 the running guests' vifs are switched now, the way vif-route does it.
import type { Plan, ReadFile, Step } from '../../model/plan.js';
import type { RecipeInputs } from '../types.js';
import { commandStep, fileStep, virshDefineSteps } from '../../model/steps.js';
import { getDirective, setDirective } from '../../parse/sxp.js';
import { currentNetworkScript, XEND_CONFIG } from '../../render/xend.js';
import { removeVifKeyInConfig, setVifKeyInConfig } from '../../parse/vifSpec.js';
import { setInterfaceRouted } from '../../parse/libvirtXml.js';
import { sysctlPlan } from '../../render/sysctl.js';
import { vifName } from '../../live/runningGuests.js';
import type { RoutedResolution } from './guests.js';

const SYSCTL_HEADER = "xen-net-wizard, recipe routed (seed 002 lines 83–90): what Xen's network-route sets";
export const VIF_SCRIPT = 'vif-route';

/** xend-config.sxp with network-route (netdev= when the NIC is not xend's default eth0) and vif-route. */
function xendConfig(read: ReadFile, nic: string) {
  const file = read(XEND_CONFIG);
  if (!file) return null;
  const network = nic === 'eth0' ? 'network-route' : `network-route netdev=${nic}`;
  let after = file.text;
  if (getDirective(after, XEND_CONFIG, 'network-script')?.value !== network) after = setDirective(after, XEND_CONFIG, 'network-script', network);
  if (getDirective(after, XEND_CONFIG, 'vif-script')?.value !== VIF_SCRIPT) after = setDirective(after, XEND_CONFIG, 'vif-script', VIF_SCRIPT);
  return after === file.text ? null : { path: XEND_CONFIG, mode: file.mode, before: file.text, after };
}

/**
 * Each guest's routed vif: ip= (line 90) and no bridge= (vif-route attaches to none). xl names the
 * script per vif and, off eth0, the NIC whose address vif-route copies (gatewaydev=, xl.cfg(5)).
 * libvirt XML: an ethernet interface with <ip> and <script path='vif-route'/>.
 */
function guestEdits(r: RoutedResolution, read: ReadFile) {
  const xl = r.topology.profile === 'xl';
  const edits: { change: { path: string; mode: string; before: string; after: string }; kind: 'xm' | 'libvirt-xml' }[] = [];
  for (const g of r.guests) {
    for (const def of g.defs) {
      const file = read(def.path);
      if (!file) continue;
      let text = file.text;
      if (def.kind === 'xm') {
        text = setVifKeyInConfig(text, def.path, def.index, 'ip', g.ip);
        if (xl) text = setVifKeyInConfig(text, def.path, def.index, 'script', VIF_SCRIPT);
        if (xl && r.nic !== 'eth0') text = setVifKeyInConfig(text, def.path, def.index, 'gatewaydev', r.nic);
        text = removeVifKeyInConfig(text, def.path, def.index, 'bridge');
      } else {
        text = setInterfaceRouted(text, def.path, def.index, { ip: g.ip, script: VIF_SCRIPT });
      }
      if (text !== file.text) edits.push({ change: { path: def.path, mode: file.mode, before: file.text, after: text }, kind: def.kind });
    }
  }
  return edits;
}

/**
 * A running guest's vif switched now, as vif-route's "online" does it: off its bridge, dom0's
 * address /32 on it, proxy ARP on it, the host route to the guest (metric 2, src dom0) — one
 * `ip -batch` per vif, undone in reverse.
 */
function liveSteps(r: RoutedResolution, inputs: RecipeInputs): Step[] {
  const live = inputs.live;
  if (!live || r.topology.profile !== 'xl') return [];
  const inet = live.snapshot.links.find((l) => l.ifname === r.nic)?.addr_info?.find((a) => a.family === 'inet');
  if (!inet) return [];
  const main = inet.local;
  const steps: Step[] = [];
  for (const g of r.guests) {
    const running = live.running.find((x) => x.name === g.guest);
    const guest = live.guests.find((x) => x.name === g.guest);
    if (!running || !guest) continue;
    const dev = vifName(guest, running.domid, 0);
    const link = live.snapshot.links.find((l) => l.ifname === dev);
    if (!link) continue;
    const hasMain = link.addr_info?.some((a) => a.local === main && a.prefixlen === 32);
    const hasRoute = live.snapshot.routes.some((rt) => rt.dst === g.ip && rt.dev === dev);
    const batch: string[] = [];
    const undo: string[] = [];
    if (link.master) {
      batch.push(`link set dev ${dev} nomaster`);
      undo.unshift(`link set dev ${dev} master ${link.master}`);
    }
    if (!hasMain) {
      batch.push(`address add ${main}/32 dev ${dev}`);
      undo.unshift(`address del ${main}/32 dev ${dev}`);
    }
    if (!hasRoute) {
      batch.push(`route add ${g.ip}/32 dev ${dev} src ${main} metric 2`);
      undo.unshift(`route del ${g.ip}/32 dev ${dev}`);
    }
    if (batch.length > 0) {
      steps.push(commandStep(`vif-route-${dev}`, 'after-edit', ['ip', '-batch', '-'], {
        input: batch.join('\n') + '\n',
        undo: ['ip', '-batch', '-'],
        undoInput: undo.join('\n') + '\n',
        title: { key: 'step.routedVif', params: { guest: g.guest, vif: dev, ip: g.ip } },
      }));
    }
    // sysctl's slash form: the vif's name has a dot.
    const key = `net/ipv4/conf/${dev}/proxy_arp`;
    const now = inputs.read(`/proc/sys/${key}`)?.text.trim();
    if (now !== undefined && now !== '1') {
      steps.push(commandStep(`sysctl-${key}`, 'after-edit', ['sysctl', '-w', `${key}=1`], {
        undo: ['sysctl', '-w', `${key}=${now}`],
        title: { key: 'step.sysctl', params: { key, value: '1' } },
      }));
    }
  }
  return steps;
}

export function planRouted(r: RoutedResolution, inputs: RecipeInputs): Plan {
  const { read, host } = inputs;
  const { topology } = r;
  const guests = guestEdits(r, read);
  const defines = virshDefineSteps(guests.filter((g) => g.kind === 'libvirt-xml').map((g) => g.change.path));
  const notes: Plan['notes'] = [];
  let steps: Step[];
  if (topology.profile === 'xend') {
    const sxp = xendConfig(read, r.nic);
    steps = [];
    if (sxp) {
      // The guide's order (seed 000 lines 13–16): stop what runs now, edit, start anew.
      const [script, ...args] = currentNetworkScript(host.networkScript);
      steps.push(commandStep('network-script-stop', 'before-edit', [script, 'stop', ...args], {
        undo: [script, 'start', ...args],
        title: { key: 'step.networkBridgeStop', params: { script } },
      }));
      steps.push(fileStep(sxp));
    }
    steps.push(...guests.map((g) => fileStep(g.change)));
    if (sxp) {
      // xend runs network-route when it starts and reads vif-script for every vif it creates.
      steps.push(commandStep('service-xend-restart', 'after-edit', ['service', 'xend', 'restart'], {
        rerunOnRollback: true,
        title: { key: 'step.serviceXendRestart', params: {} },
      }));
    }
    steps.push(...defines);
  } else {
    const sysctl = sysctlPlan('xl', topology.sysctls, read, SYSCTL_HEADER);
    const live = liveSteps(r, inputs);
    steps = [
      ...sysctl.filter((s) => s.kind === 'file'),
      ...guests.map((g) => fileStep(g.change)),
      ...sysctl.filter((s) => s.kind === 'command'),
      ...live,
      ...defines,
    ];
    if (live.length > 0) notes.push({ key: 'note.routedLive', params: {} });
  }
  if (guests.length > 0) notes.push({ key: 'note.routedNextStart', params: {} });
  return {
    recipe: topology.recipe,
    profile: topology.profile,
    backend: topology.backend,
    method: topology.profile === 'xend' ? 'xend-restart' : inputs.live ? 'live' : 'next-start',
    steps,
    notes: steps.length > 0 ? notes : [],
    instructions: steps.length > 0 ? topology.instructions : [],
  };
}
