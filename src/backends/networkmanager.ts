// NetworkManager: the bridge as a keyfile of its own (type=bridge, [bridge] stp=false
// forward-delay=0) carrying the NIC profile's [ipv4]/[ipv6] sections as they were written, and the
// NIC's profile edited in place into the bridge's port: its IP sections leave it, the port keys
// come in — port-type=bridge/controller= from NetworkManager 1.46 (its NEWS: "Deprecated
// connection.* properties master, slave-type"), slave-type/master before (1.42's keyfile reader
// drops controller= unread: the NIC would keep no bridge). Keyfiles are mode 0600: NM ignores a
// keyfile others can read. A NIC whose profile is an ifcfg file read by the ifcfg-rh plugin (RHEL 9
// hosts that carry ifcfg files but no network-scripts) is edited where it is, in ifcfg form without
// NM_CONTROLLED=no, so NM reads both: translating every ifcfg key into a keyfile is what
// `nmcli connection migrate` does, and a half-translated copy beside the original would leave two
// profiles for one NIC. Live: `nmcli connection load` of the written files, then `nmcli device
// connect` of the NIC (its port profile brings the bridge up as its controller), both run again
// after a rollback restored the files — the wizard's own commit-confirmed around them rather than
// NM's checkpoint API, so the files, the guests' configs and the commands roll back as one.
import { createHash } from 'node:crypto';
import type { ReadFile } from '../model/plan.js';
import type { PortedBridge } from '../model/topology.js';
import { InputError } from '../errors.js';
import { editKeyfile, keyfileGet, parseKeyfile, sectionLines, type Keyfile } from '../parse/nmKeyfile.js';
import { getVar, parseIfcfg } from '../parse/ifcfg.js';
import { parsedFile } from '../model/plan.js';
import { renderIfcfg } from '../render/ifcfgBridge.js';
import { cannotExpress, ownedFile, type BackendInputs, type BackendRender, type NetworkBackend } from './types.js';

export const NM_DIR = '/etc/NetworkManager/system-connections';
const IFCFG_DIR = '/etc/sysconfig/network-scripts';

/** NetworkManager 1.46 or later (version strings as dpkg or the plugin directory give them: 1.46.0-4.el9). */
export function nmHasControllerKeys(version: string | null): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  // Unknown version: the old keys, which every NM up to today still reads.
  return m !== null && (Number(m[1]) > 1 || Number(m[2]) >= 46);
}

/** A stable UUID for the bridge's profile (RFC 4122 layout from a hash of its name): a re-run writes the same file. */
function bridgeUuid(bridge: string): string {
  const h = createHash('sha1').update(`xen-net-wizard:${bridge}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Profile { path: string; kind: 'keyfile' | 'ifcfg'; keyfile?: Keyfile }

/** The NIC's profiles that connect at boot (autoconnect not false / ONBOOT not no). */
function nicProfiles(nic: string, files: string[], read: ReadFile): Profile[] {
  const out: Profile[] = [];
  for (const path of files) {
    const raw = read(path);
    if (!raw) continue;
    if (path.startsWith(`${IFCFG_DIR}/`)) {
      const f = parsedFile(raw, path, parseIfcfg);
      if ((getVar(f, 'DEVICE') ?? path.slice(`${IFCFG_DIR}/ifcfg-`.length)) === nic && (getVar(f, 'ONBOOT') ?? 'yes').toLowerCase() !== 'no') out.push({ path, kind: 'ifcfg' });
      continue;
    }
    const kf = parsedFile(raw, path, parseKeyfile);
    if (keyfileGet(kf, 'connection', 'interface-name') !== nic || keyfileGet(kf, 'connection', 'autoconnect') === 'false') continue;
    out.push({ path, kind: 'keyfile', keyfile: kf });
  }
  return out;
}

const nmCommands = (paths: string[], nic: string): BackendRender['commands'] => [
  { id: 'nmcli-load', phase: 'after-edit', argv: ['nmcli', 'connection', 'load', ...paths], rerunOnRollback: true },
  { id: `nmcli-connect-${nic}`, phase: 'after-edit', argv: ['nmcli', 'device', 'connect', nic], rerunOnRollback: true },
];

function renderKeyfiles(bridge: PortedBridge, profile: Profile, { read, linkMac, manager }: BackendInputs): BackendRender {
  const kf = profile.keyfile!;
  const bridgePath = `${NM_DIR}/${bridge.name}.nmconnection`;
  const type = keyfileGet(kf, 'connection', 'type');
  if (type !== 'ethernet' && type !== '802-3-ethernet') cannotExpress('networkmanager', `${profile.path}: type=${type ?? '-'}`);
  const controller = keyfileGet(kf, 'connection', 'controller') ?? keyfileGet(kf, 'connection', 'master');
  if (controller === bridge.name && read(bridgePath)) return { files: [], commands: [] };
  if (controller) throw new InputError('error.nicEnslaved', { nic: bridge.nic, master: controller });
  const newKeys = nmHasControllerKeys(manager?.version ?? null);
  const portText = editKeyfile(kf, ['ipv4', 'ipv6'], newKeys
    ? [{ section: 'connection', key: 'port-type', value: 'bridge' }, { section: 'connection', key: 'controller', value: bridge.name }]
    : [{ section: 'connection', key: 'slave-type', value: 'bridge' }, { section: 'connection', key: 'master', value: bridge.name }]);
  const v4 = keyfileGet(kf, 'ipv4', 'method') ?? 'auto';
  const v6 = keyfileGet(kf, 'ipv6', 'method') ?? 'auto';
  // NM's default method is auto (DHCP / SLAAC): a bridge that takes the NIC's lease keeps its MAC.
  const dhcp = v4 === 'auto' || v6 === 'auto' || v6 === 'dhcp';
  const cloned = keyfileGet(kf, 'ethernet', 'cloned-mac-address');
  const mac = dhcp ? ((cloned && /^[0-9a-f:]{17}$/i.test(cloned) ? cloned : null) ?? keyfileGet(kf, 'ethernet', 'mac-address') ?? linkMac?.(bridge.nic) ?? null) : null;
  const mtu = keyfileGet(kf, 'ethernet', 'mtu');
  const ethernet = [...(mac ? [`cloned-mac-address=${mac.toLowerCase()}`] : []), ...(mtu ? [`mtu=${mtu}`] : [])];
  const bridgeText = [
    `# xen-net-wizard: ${bridge.name} over ${bridge.nic}; [ipv4] and [ipv6] are the ones`,
    `# ${profile.path} had.`,
    '[connection]', `id=${bridge.name}`, `uuid=${bridgeUuid(bridge.name)}`, 'type=bridge', `interface-name=${bridge.name}`, '',
    ...(ethernet.length ? ['[ethernet]', ...ethernet, ''] : []),
    '[bridge]', 'forward-delay=0', 'stp=false', '',
    ...['ipv4', 'ipv6'].flatMap((s) => { const lines = sectionLines(kf, s); return lines.length ? [...lines, ''] : []; }),
  ].join('\n');
  const files = [];
  const own = ownedFile(bridgePath, '0600', bridgeText, read);
  if (own) files.push({ ...own, mode: '0600' });
  const raw = read(profile.path)!;
  files.push({ path: profile.path, mode: '0600', before: raw.text, after: portText });
  return { files, commands: nmCommands([bridgePath, profile.path], bridge.nic) };
}

/** RHEL 9 with ifcfg files and no network-scripts: the ifcfg backend's edit, kept readable by NM's ifcfg-rh. */
function renderIfcfgRh(bridge: PortedBridge, { read, linkMac }: BackendInputs): BackendRender {
  const r = renderIfcfg(bridge, read, linkMac);
  const files = r.files.map((f) => ({ ...f, after: f.after === null ? null : f.after.replace(/^NM_CONTROLLED=no\n/m, '') }));
  return { files, commands: files.length ? nmCommands(files.map((f) => f.path), bridge.nic) : [] };
}

export function renderNetworkManager(bridge: PortedBridge, inputs: BackendInputs): BackendRender {
  const files = inputs.manager?.files ?? [];
  const profiles = nicProfiles(bridge.nic, files.filter((f) => f !== `${NM_DIR}/${bridge.name}.nmconnection`), inputs.read);
  if (profiles.length === 0) throw new InputError('error.nmNoProfile', { nic: bridge.nic, dir: NM_DIR });
  if (profiles.length > 1) throw new InputError('error.nmProfilesAmbiguous', { nic: bridge.nic, files: profiles.map((p) => p.path).join(', ') });
  return profiles[0].kind === 'ifcfg' ? renderIfcfgRh(bridge, inputs) : renderKeyfiles(bridge, profiles[0], inputs);
}

export const networkmanager: NetworkBackend = {
  id: 'networkmanager',
  readsFilesOnlyAtBoot: false,
  portedBridge: (bridge, inputs) => renderNetworkManager(bridge, inputs),
  bondBridges: () => cannotExpress('networkmanager', 'bond-bridge'),
  internalBridge: () => cannotExpress('networkmanager', 'internal-dummy'),
  configuredMac(name, { read }) {
    const raw = read(`${NM_DIR}/${name}.nmconnection`);
    return raw ? keyfileGet(parseKeyfile(raw.text, `${NM_DIR}/${name}.nmconnection`), 'ethernet', 'cloned-mac-address')?.toLowerCase() ?? null : null;
  },
  shadowBridge: () => cannotExpress('networkmanager', 'shadow-bridge'),
  vlanBridges: () => cannotExpress('networkmanager', 'vlan-bridges'),
};
