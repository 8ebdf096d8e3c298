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
import { nodeCrypto } from '../system/random.js';
import type { ReadFile } from '../model/plan.js';
import type { BondSpec, PortedBridge } from '../model/topology.js';
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
  const h = nodeCrypto().createHash('sha1').update(`xen-net-wizard:${bridge}`).digest('hex');
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

const nmCommands = (paths: string[], nics: string[]): BackendRender['commands'] => [
  { id: 'nmcli-load', phase: 'after-edit', argv: ['nmcli', 'connection', 'load', ...paths], rerunOnRollback: true },
  ...nics.map((nic) => ({ id: `nmcli-connect-${nic}`, phase: 'after-edit' as const, argv: ['nmcli', 'device', 'connect', nic], rerunOnRollback: true })),
];

/** The keys that make a profile a port of `controller` (a bridge or a bond), by NM version. */
function portKeys(type: 'bridge' | 'bond', controller: string, version: string | null) {
  return nmHasControllerKeys(version)
    ? [{ section: 'connection', key: 'port-type', value: type }, { section: 'connection', key: 'controller', value: controller }]
    : [{ section: 'connection', key: 'slave-type', value: type }, { section: 'connection', key: 'master', value: controller }];
}

const controllerOf = (kf: Keyfile) => keyfileGet(kf, 'connection', 'controller') ?? keyfileGet(kf, 'connection', 'master');

/** The NIC's one keyfile profile that connects at boot, checked to be a plain ethernet one; null when it has none. */
function keyfileProfile(nic: string, inputs: BackendInputs, own: string[], what: string): Profile | null {
  const profiles = nicProfiles(nic, (inputs.manager?.files ?? []).filter((f) => !own.includes(f)), inputs.read);
  if (profiles.length > 1) throw new InputError('error.nmProfilesAmbiguous', { nic, files: profiles.map((p) => p.path).join(', ') });
  const profile = profiles[0];
  if (!profile) return null;
  if (profile.kind !== 'keyfile') cannotExpress('networkmanager', `${what} (${profile.path}: an ifcfg profile)`);
  const type = keyfileGet(profile.keyfile!, 'connection', 'type');
  if (type !== 'ethernet' && type !== '802-3-ethernet') cannotExpress('networkmanager', `${profile.path}: type=${type ?? '-'}`);
  return profile;
}

/**
 * A bridge's keyfile over `over`, with the [ipv4]/[ipv6] sections `from` had (none: no address
 * of its own) and, when those use DHCP, the port's MAC pinned so the lease stays.
 */
function bridgeKeyfile(name: string, over: string, from: Profile | null, { linkMac }: BackendInputs): string {
  const kf = from?.keyfile;
  const v4 = kf ? keyfileGet(kf, 'ipv4', 'method') ?? 'auto' : 'disabled';
  const v6 = kf ? keyfileGet(kf, 'ipv6', 'method') ?? 'auto' : 'disabled';
  // NM's default method is auto (DHCP / SLAAC): a bridge that takes the NIC's lease keeps its MAC.
  const dhcp = v4 === 'auto' || v6 === 'auto' || v6 === 'dhcp';
  const cloned = kf && keyfileGet(kf, 'ethernet', 'cloned-mac-address');
  const mac = kf && dhcp ? ((cloned && /^[0-9a-f:]{17}$/i.test(cloned) ? cloned : null) ?? keyfileGet(kf, 'ethernet', 'mac-address') ?? linkMac?.(over) ?? null) : null;
  const mtu = kf && keyfileGet(kf, 'ethernet', 'mtu');
  const ethernet = [...(mac ? [`cloned-mac-address=${mac.toLowerCase()}`] : []), ...(mtu ? [`mtu=${mtu}`] : [])];
  const ip = kf
    ? ['ipv4', 'ipv6'].flatMap((s) => { const lines = sectionLines(kf, s); return lines.length ? [...lines, ''] : []; })
    : ['[ipv4]', 'method=disabled', '', '[ipv6]', 'method=disabled', ''];
  return [
    kf ? `# xen-net-wizard: ${name} over ${over}; [ipv4] and [ipv6] are the ones` : `# xen-net-wizard: ${name} over ${over}, no address of its own.`,
    ...(kf ? [`# ${from.path} had.`] : []),
    '[connection]', `id=${name}`, `uuid=${bridgeUuid(name)}`, 'type=bridge', `interface-name=${name}`, '',
    ...(ethernet.length ? ['[ethernet]', ...ethernet, ''] : []),
    '[bridge]', 'forward-delay=0', 'stp=false', '',
    ...ip,
  ].join('\n');
}

/** A file the wizard owns, as NM requires it (mode 0600), or nothing when it already says that. */
function ownedKeyfile(path: string, text: string, read: ReadFile) {
  const own = ownedFile(path, '0600', text, read);
  return own ? [{ ...own, mode: '0600' }] : [];
}

/** The NIC's profile edited into a port of `controller`: its IP sections leave it, the port keys come in. */
function portEdit(profile: Profile, type: 'bridge' | 'bond', controller: string, { read, manager }: BackendInputs) {
  return { path: profile.path, mode: '0600', before: read(profile.path)!.text, after: editKeyfile(profile.keyfile!, ['ipv4', 'ipv6'], portKeys(type, controller, manager?.version ?? null)) };
}

function renderKeyfiles(bridge: PortedBridge, profile: Profile, inputs: BackendInputs): BackendRender {
  const kf = profile.keyfile!;
  const bridgePath = `${NM_DIR}/${bridge.name}.nmconnection`;
  const type = keyfileGet(kf, 'connection', 'type');
  if (type !== 'ethernet' && type !== '802-3-ethernet') cannotExpress('networkmanager', `${profile.path}: type=${type ?? '-'}`);
  const controller = controllerOf(kf);
  if (controller === bridge.name && inputs.read(bridgePath)) return { files: [], commands: [] };
  if (controller) throw new InputError('error.nicEnslaved', { nic: bridge.nic, master: controller });
  const files = [...ownedKeyfile(bridgePath, bridgeKeyfile(bridge.name, bridge.nic, profile, inputs), inputs.read), portEdit(profile, 'bridge', bridge.name, inputs)];
  return { files, commands: nmCommands([bridgePath, profile.path], [bridge.nic]) };
}

/**
 * bond-bridge: the bond as a keyfile of its own (type=bond, [bond] mode=, miimon=) that is a port
 * of the main bridge; each slave's profile edited into a port of the bond (a slave with no profile
 * gets one, owned whole); the main bridge takes the addressing of the one slave that had it, the
 * back bridge its NIC's (the NIC its port likewise).
 */
export function renderNetworkManagerBond(bond: BondSpec, main: PortedBridge, back: PortedBridge, inputs: BackendInputs): BackendRender {
  const path = (name: string) => `${NM_DIR}/${name}.nmconnection`;
  const own = [bond.name, main.name, back.name].map(path);
  const ports = [...bond.slaves.map((nic) => ({ nic, type: 'bond' as const, controller: bond.name })), { nic: back.nic, type: 'bridge' as const, controller: back.name }];
  const found = ports.map((p) => ({ ...p, profile: keyfileProfile(p.nic, inputs, own, 'bond-bridge') }));
  if (found.every((p) => p.profile && controllerOf(p.profile.keyfile!) === p.controller) && inputs.read(path(main.name))) return { files: [], commands: [] };
  for (const p of found) {
    const controller = p.profile && controllerOf(p.profile.keyfile!);
    if (controller && controller !== p.controller) throw new InputError('error.nicEnslaved', { nic: p.nic, master: controller });
  }
  const slaves = found.slice(0, -1);
  const addressed = slaves.filter((s) => s.profile && ['ipv4', 'ipv6'].some((sec) => sectionLines(s.profile!.keyfile!, sec).length > 0));
  // Two slaves with addressing of their own: which one should the bridge take? Ask the admin.
  if (addressed.length > 1) throw new InputError('error.bondSlaveAddressed', { file: addressed[1].profile!.path, nic: addressed[1].nic, other: addressed[0].nic });
  const backPort = found[found.length - 1];
  const bondText = [
    `# xen-net-wizard: the bond ${bond.name} over ${bond.slaves.join(', ')}, a port of ${main.name}.`,
    '[connection]', `id=${bond.name}`, `uuid=${bridgeUuid(bond.name)}`, 'type=bond', `interface-name=${bond.name}`,
    ...portKeys('bridge', main.name, inputs.manager?.version ?? null).map((k) => `${k.key}=${k.value}`), '',
    '[bond]', `miimon=${bond.miimon}`, `mode=${bond.mode}`, '',
  ].join('\n');
  // A NIC with no profile: one of its own that only makes it a port (NM would otherwise give it an
  // in-memory "Wired connection" with DHCP at every boot).
  const newPort = (p: typeof found[number]) => {
    const text = [`# xen-net-wizard: ${p.nic} is a port of ${p.controller}.`, '[connection]', `id=${p.nic}`, `uuid=${bridgeUuid(p.nic)}`, 'type=ethernet', `interface-name=${p.nic}`,
      ...portKeys(p.type, p.controller, inputs.manager?.version ?? null).map((k) => `${k.key}=${k.value}`), '', '[ethernet]', ''].join('\n');
    return ownedKeyfile(path(p.nic), text, inputs.read);
  };
  const files = [
    ...ownedKeyfile(path(bond.name), bondText, inputs.read),
    ...ownedKeyfile(path(main.name), bridgeKeyfile(main.name, bond.name, addressed[0]?.profile ?? null, inputs), inputs.read),
    ...ownedKeyfile(path(back.name), bridgeKeyfile(back.name, back.nic, backPort.profile && sectionLines(backPort.profile.keyfile!, 'ipv4').length + sectionLines(backPort.profile.keyfile!, 'ipv6').length > 0 ? backPort.profile : null, inputs), inputs.read),
    ...found.flatMap((p) => (p.profile ? [portEdit(p.profile, p.type, p.controller, inputs)] : newPort(p))),
  ];
  return { files, commands: nmCommands(files.map((f) => f.path), [...bond.slaves, back.nic]) };
}

/** RHEL 9 with ifcfg files and no network-scripts: the ifcfg backend's edit, kept readable by NM's ifcfg-rh. */
function renderIfcfgRh(bridge: PortedBridge, { read, linkMac }: BackendInputs): BackendRender {
  const r = renderIfcfg(bridge, read, linkMac);
  const files = r.files.map((f) => ({ ...f, after: f.after === null ? null : f.after.replace(/^NM_CONTROLLED=no\n/m, '') }));
  return { files, commands: files.length ? nmCommands(files.map((f) => f.path), [bridge.nic]) : [] };
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
  bondBridges: renderNetworkManagerBond,
  internalBridge: () => cannotExpress('networkmanager', 'internal-dummy'),
  configuredMac(name, { read }) {
    const raw = read(`${NM_DIR}/${name}.nmconnection`);
    return raw ? keyfileGet(parseKeyfile(raw.text, `${NM_DIR}/${name}.nmconnection`), 'ethernet', 'cloned-mac-address')?.toLowerCase() ?? null : null;
  },
  shadowBridge: () => cannotExpress('networkmanager', 'shadow-bridge'),
  vlanBridges: () => cannotExpress('networkmanager', 'vlan-bridges'),
};
