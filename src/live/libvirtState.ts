// libvirt's own view of a live dom0 (--live, or /): which networks run, which are autostarted,
// and which domains use them — from virsh, in three virsh processes whatever the number of
// networks and domains (virsh runs `;`-separated commands; `echo` marks where each answer starts).
// Merged over what the files say: a network that runs without autostart is still running.
import type { LibvirtNetwork } from '../model/host.js';
import { parseDomainXml, parseNetworkXml } from '../parse/libvirtXml.js';

export interface LibvirtNetworkState {
  name: string;
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  bridge: string | null;
  forwardMode: string | null;
}

export interface LibvirtState {
  networks: LibvirtNetworkState[];
  /** Domain name → the libvirt networks its interfaces use (<interface type='network'>). */
  domains: Record<string, string[]>;
}

export type Virsh = (commands: string) => Promise<{ exitCode: number; stdout: string }>;

const MARK = '@@xnw@@';

/** `echo` of a marker, closed by the marker again: under -q virsh's echo ends without a newline. */
const mark = (key: string) => `echo ${MARK} ${key} ${MARK}`;

/** virsh's answers to `echo MARK KEY MARK; …` commands, by KEY. */
function sections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = stdout.split(new RegExp(`${MARK} (\\S+) ${MARK}\\n?`));
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i], parts[i + 1] ?? '');
  return out;
}

/** `net-info`'s "Key: value" lines. */
function fields(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l.includes(':')).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  }));
}

// Names come from libvirt itself; quoted for virsh's own command-line parser all the same.
const quote = (name: string) => `'${name.replace(/'/g, "'\\''")}'`;

/** libvirt's view, or null when libvirt does not answer (no libvirtd: the files are all there is). */
export async function readLibvirtState(virsh: Virsh): Promise<LibvirtState | null> {
  const list = await virsh('net-list --all --name');
  if (list.exitCode !== 0) return null;
  const names = list.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const nets = await virsh([...names.flatMap((n) => [mark(`info:${n}`), `net-info ${quote(n)}`, mark(`xml:${n}`), `net-dumpxml ${quote(n)}`]),
    mark('domains'), 'list --all --name'].join(' ; '));
  // virsh's exit status is its last command's: judge each answer by itself instead. A network
  // without an answer (undefined between the two calls) is left to the files.
  const parts = sections(nets.stdout);
  const networks = names.filter((n) => /^Active:/m.test(parts.get(`info:${n}`) ?? '')).map((name): LibvirtNetworkState => {
    const info = fields(parts.get(`info:${name}`) ?? '');
    const xml = parseNetworkXml(parts.get(`xml:${name}`) ?? '<network/>', `virsh net-dumpxml ${name}`);
    return {
      name, active: info.Active === 'yes', autostart: info.Autostart === 'yes', persistent: info.Persistent === 'yes',
      bridge: info.Bridge || xml.bridge, forwardMode: xml.forwardMode,
    };
  });
  const domainNames = (parts.get('domains') ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const domains: Record<string, string[]> = {};
  if (domainNames.length > 0) {
    const dumps = await virsh(domainNames.flatMap((d) => [mark(`dom:${d}`), `dumpxml ${quote(d)}`]).join(' ; '));
    const byDomain = sections(dumps.stdout);
    for (const d of domainNames) {
      const xml = byDomain.get(`dom:${d}`);
      if (!xml?.includes('<domain')) continue;
      domains[d] = [...new Set(parseDomainXml(xml, `virsh dumpxml ${d}`).interfaces.filter((i) => i.type === 'network' && i.network).map((i) => i.network!))];
    }
  }
  return { networks, domains };
}

/**
 * The files' networks with libvirt's word on what runs and starts at boot, and who uses them.
 * libvirt wins where the two disagree (an autostart link libvirt has not read yet is not what the
 * daemon does); a network libvirt does not know keeps the files' facts.
 */
export function mergeLibvirtState(files: LibvirtNetwork[], state: LibvirtState): LibvirtNetwork[] {
  return files.map((net) => {
    const live = state.networks.find((n) => n.name === net.name);
    if (!live) return net;
    const usedBy = Object.entries(state.domains).filter(([, nets]) => nets.includes(net.name)).map(([d]) => d).sort();
    const autostartPath = live.autostart ? (net.autostartPath ?? `${net.path.replace(/[^/]+$/, '')}autostart/${net.name}.xml`) : net.autostartPath;
    return {
      ...net, active: live.active, autostart: live.autostart, autostartPath, bridge: live.bridge ?? net.bridge, usedBy,
      ...(live.autostart === net.autostart ? {} : { autostartFiles: net.autostart }),
    };
  });
}
