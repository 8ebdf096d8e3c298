// systemd-networkd (systemd.network(5), systemd.netdev(5)): the network backend that persists a
// bridge as a .netdev (Kind=bridge, [Bridge] STP=no, ForwardDelaySec=0) and a .network carrying
// the addressing the NIC's .network had; the NIC's .network is reduced to its link settings and
// Bridge=. networkd reads /etc, /run, /usr/local/lib and /usr/lib (/lib) in that precedence, a
// name in an earlier directory masking the same name in a later one, and applies to each link the
// first .network (by file name, across all directories) whose [Match] fits it: that is the file we
// find, and our files are named to sort before any file that would otherwise win.
import { InputError } from '../errors.js';
import { parseIni, type IniFile } from '../parse/iniFile.js';
import { unitMatches, type LinkFacts } from '../parse/networkdMatch.js';
import { parsedFile, type FileChange } from '../model/plan.js';
import type { BondSpec, PortedBridge } from '../model/topology.js';
import { ownedFile, type BackendInputs, type BackendRender, type InternalBridge, type NetworkBackend, unsupportedBy } from './types.js';

export const NETWORKD_ETC = '/etc/systemd/network';
/** systemd.network(5), "Description": highest precedence first. */
export const NETWORKD_DIRS = [NETWORKD_ETC, '/run/systemd/network', '/usr/local/lib/systemd/network', '/usr/lib/systemd/network', '/lib/systemd/network'];

export interface UnitFile { name: string; path: string; ini: IniFile; text: string; mode: string }

/** The effective files of one kind (".network", ".netdev"), masked by name, sorted by name. */
export function unitFiles(files: BackendInputs, ext: string): UnitFile[] {
  const seen = new Map<string, UnitFile | null>();
  for (const dir of NETWORKD_DIRS) {
    for (const name of files.list?.(dir) ?? []) {
      if (!name.endsWith(ext) || seen.has(name)) continue;
      const path = `${dir}/${name}`;
      let raw: ReturnType<BackendInputs['read']>;
      try {
        raw = files.read(path);
      } catch (err) {
        // A symlink to /dev/null (dangling under --root) masks the name: systemd.network(5).
        // Anything else that cannot be read is reported, never taken for "absent".
        if (!(err instanceof InputError && err.key === 'error.danglingSymlink')) throw err;
        raw = null;
      }
      // An empty file masks the name too: it configures nothing, and hides the later ones.
      seen.set(name, raw && raw.text.trim() !== '' ? { name, path, ini: parsedFile(raw, path, parseIni), text: raw.text, mode: raw.mode } : null);
    }
  }
  return [...seen.values()].filter((u): u is UnitFile => u !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The .network networkd applies to the link: the first by name that matches. */
export function networkFor(units: UnitFile[], link: LinkFacts): UnitFile | undefined {
  for (const unit of units) {
    const m = unitMatches(unit, link);
    if (typeof m === 'string') throw new InputError('error.networkdMatchUndecidable', { file: unit.path, key: m, nic: link.name });
    if (m) return unit;
  }
  return undefined;
}

const last = (ini: IniFile, section: string, key: string) =>
  ini.sections.filter((s) => s.name === section).flatMap((s) => s.entries).filter((e) => e.key === key).at(-1)?.value;

/** [Network] keys that describe the link itself (netdevs stacked on it), not its addressing: they stay. */
const STAYS_IN_NETWORK = /^(Description|VLAN|MACVLAN|MACVTAP|IPVLAN|IPVTAP|VXLAN|Tunnel|Xfrm|L2TP|MACsec)$/;
/** Sections that stay with the port: the match, link settings and link-level tuning. */
const STAYS = /^(Match|Link|SR-IOV|QDisc|NetworkEmulator|TokenBucketFilter|CAKE)$/;
/** [Network] keys that make the link a port of something already. */
const ENSLAVED = /^(Bridge|Bond|VRF|BatmanAdvanced)$/;

interface Split { port: string[]; bridge: string[] }

/**
 * The NIC's .network split line by line: [Match], [Link] and link-level [Network] keys stay with
 * the port; every other section (Address, Route, DHCPv4, …) and [Network] key moves to the bridge.
 * A comment goes with the line it introduces.
 */
export function splitNetwork(unit: UnitFile): Split {
  const lines = unit.text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const port: string[] = [];
  const bridge: string[] = [];
  let pending: string[] = [];
  let section = '';
  let bridgeSection = '';
  for (const line of lines) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) { pending.push(line); continue; }
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    section = header ? header[1] : section;
    const key = header ? '' : line.slice(0, line.indexOf('=')).trim();
    const toPort = header ? STAYS.test(section) || section === 'Network'
      : STAYS.test(section) || (section === 'Network' && STAYS_IN_NETWORK.test(key));
    if (toPort) {
      port.push(...pending, line);
    } else {
      // A [Network] key moving next to moved sections opens a [Network] of its own (sections may repeat).
      if (!header && bridgeSection !== section) bridge.push(...(bridge.length ? [''] : []), `[${section}]`);
      bridge.push(...pending, line);
      bridgeSection = section;
    }
    pending = [];
  }
  port.push(...pending);
  return { port, bridge };
}

const DHCP_ON = /^(yes|true|on|1|ipv4|ipv6|both)$/i;

/** The NIC's .network after the move: its own lines, `entry` (Bridge=…, Bond=…) added to [Network]. */
function portText(split: string[], entry: string): string {
  const out = [...split];
  const at = out.findIndex((l) => /^\s*\[Network\]\s*$/.test(l));
  if (at >= 0) out.splice(at + 1, 0, entry);
  else out.push(...(out.length && out.at(-1)!.trim() !== '' ? [''] : []), '[Network]', entry);
  return out.join('\n') + '\n';
}

/** A name for our file that networkd reads before `before` (the file that would win otherwise). */
function nameBefore(stem: string, ext: string, before: string | undefined): string {
  for (const prefix of ['10', '05', '00']) {
    const name = `${prefix}-xen-net-wizard-${stem}${ext}`;
    if (!before || name < before) return name;
  }
  throw new InputError('error.networkdNoNameBefore', { file: before!, stem });
}

// The recipe is not named: a backend never knows which one asked.
const HEADER = (what: string) => `# Written by xen-net-wizard:\n# ${what}`;

export function bridgeNetdev(name: string, mac: string | null, comment: string): string {
  return [
    HEADER(comment),
    '[NetDev]',
    `Name=${name}`,
    'Kind=bridge',
    // Without it networkd gives the bridge a MAC of its own (MACAddressPolicy=persistent), and a
    // DHCP server keyed on the MAC would hand out a new lease.
    ...(mac ? [`MACAddress=${mac.toLowerCase()}`] : []),
    '',
    // STP on with the default 15 s forward delay drops all traffic ~30 s.
    '[Bridge]',
    'STP=no',
    'ForwardDelaySec=0',
    '',
  ].join('\n');
}

function netdevDefining(files: BackendInputs, name: string): UnitFile | undefined {
  return unitFiles(files, '.netdev').find((u) => last(u.ini, 'NetDev', 'Name') === name);
}

interface PortMove {
  /** The .network networkd applies to the NIC now (none: the NIC has no configuration). */
  home: UnitFile | undefined;
  /** The lines that addressed the NIC, for its new master's .network. */
  moved: string[];
  change: FileChange;
}

const enslavedBy = (unit: UnitFile) => unit.ini.sections.filter((s) => s.name === 'Network').flatMap((s) => s.entries).find((e) => ENSLAVED.test(e.key));

/**
 * The NIC made a port (`key`=Bridge or Bond) of `master`: its .network reduced to its link and
 * `key=master`. Edited in place only when the file is the admin's (/etc) and names this NIC
 * alone; a glob (Arch's "Name=en*"), a Type= match or a vendor file keeps serving its other links
 * untouched, and a file of ours for this NIC alone is named to sort before it.
 */
function portMove(networks: UnitFile[], files: BackendInputs, nic: string, key: 'Bridge' | 'Bond', master: string): PortMove {
  const nicMac = files.linkMac?.(nic) ?? null;
  const home = networkFor(networks, { name: nic, type: 'ether', mac: nicMac });
  const enslaved = home && enslavedBy(home);
  if (home && enslaved) throw new InputError('error.networkdNicEnslaved', { file: home.path, nic, key: enslaved.key, value: enslaved.value });
  const split = home ? splitNetwork(home) : { port: [], bridge: [] };
  const names = home?.ini.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries) ?? [];
  const onlyThisNic = names.length > 0 && names.every((e) => (e.key === 'Name' && e.value.trim() === nic)
    || (/^(Permanent)?MACAddress$/.test(e.key) && nicMac !== null && e.value.trim().toLowerCase() === nicMac.toLowerCase()));
  let path = home?.path ?? '';
  let lines = split.port;
  if (!home || !home.path.startsWith(NETWORKD_ETC + '/') || !onlyThisNic) {
    path = `${NETWORKD_ETC}/${nameBefore(nic, '.network', home?.name)}`;
    // The new file matches the NIC by name and keeps the link settings of the one it takes over from.
    const link = split.port.filter((l, i, all) => !/^\s*\[Match\]\s*$/.test(l) && !isMatchEntry(all, i));
    lines = [HEADER(`${nic} is a port of ${master}${home ? `; its settings came from ${home.path}` : ''}.`), '[Match]', `Name=${nic}`, '', ...trimBlank(link)];
  }
  const current = files.read(path);
  return { home, moved: split.bridge, change: { path, mode: current?.mode ?? home?.mode ?? '0644', before: current?.text ?? null, after: portText(lines, `${key}=${master}`) } };
}

/**
 * KeepConfiguration=static on a bridge that takes over addressing: networkd 252, reconfiguring a
 * link, drops every address it did not set itself and adds its own back (`ip monitor` in the
 * testbed: the address and default route gone for ~0.1 ms on `networkctl reload` after a live
 * move), and drops them when it stops. dom0's address carries the guests' host: it stays.
 */
function keepStatic(move: PortMove | null): string[] {
  if (!move?.moved.some((l) => /^\s*(Address|Gateway|DHCP)\s*=/.test(l))) return [];
  if (move.moved.some((l) => /^\s*KeepConfiguration\s*=/.test(l))) return [];
  return ['', '[Network]', 'KeepConfiguration=static'];
}

/** A bridge's .netdev and .network: the addressing moved from `from` (its port's file), the port's MTU. */
function bridgeFiles(networks: UnitFile[], files: BackendInputs, name: string, port: string, move: PortMove | null, mac: string | null): FileChange[] {
  const stem = nameBefore(name, '', firstMatchOf(networks, name));
  const mtu = move?.home && last(move.home.ini, 'Link', 'MTUBytes');
  const network = [
    HEADER(move?.home ? `${name} takes over the addressing of ${port} (${move.home.path}).` : `${name}, over ${port}.`),
    '[Match]',
    `Name=${name}`,
    '',
    ...(move?.moved.length ? trimBlank(move.moved) : ['[Network]']),
    ...keepStatic(move),
    // The bridge carries the port's frames: the same MTU on both (the port keeps its [Link]).
    ...(mtu ? ['', '[Link]', `MTUBytes=${mtu}`] : []),
    '',
  ].join('\n');
  return [
    ownedFile(`${NETWORKD_ETC}/${stem}.netdev`, '0644', bridgeNetdev(name, mac, `the bridge ${name} over ${port}, STP off.`), files.read),
    ownedFile(`${NETWORKD_ETC}/${stem}.network`, '0644', network, files.read),
  ].filter((c): c is FileChange => c !== null);
}

function refuseDefined(files: BackendInputs, names: string[]): void {
  for (const name of names) {
    const netdev = netdevDefining(files, name);
    if (netdev) throw new InputError('error.networkdBridgeDefined', { file: netdev.path, bridge: name });
  }
}

/** Whether networkd's files already make `nic` a port (`key`) of `master`, with the master's netdev. */
function isPortOf(networks: UnitFile[], files: BackendInputs, nic: string, key: string, master: string): boolean {
  const home = networkFor(networks, { name: nic, type: 'ether', mac: files.linkMac?.(nic) ?? null });
  const e = home && enslavedBy(home);
  return e?.key === key && e.value === master && netdevDefining(files, master) !== undefined;
}

export function renderNetworkd(bridge: PortedBridge, files: BackendInputs): BackendRender {
  const networks = unitFiles(files, '.network');
  if (isPortOf(networks, files, bridge.nic, 'Bridge', bridge.name)) return { files: [], commands: [] };
  const move = portMove(networks, files, bridge.nic, 'Bridge', bridge.name);
  if (!move.home) throw new InputError('error.networkdNoNetwork', { nic: bridge.nic, dirs: NETWORKD_DIRS.slice(0, 4).join(', ') });
  refuseDefined(files, [bridge.name]);
  const home = move.home;
  const dhcp = DHCP_ON.test(last(home.ini, 'Network', 'DHCP') ?? '');
  const mac = dhcp ? (last(home.ini, 'Link', 'MACAddress') ?? files.linkMac?.(bridge.nic) ?? null) : null;
  return { files: [...bridgeFiles(networks, files, bridge.name, bridge.nic, move, mac), move.change], commands: networkctlCommands([bridge.nic], [bridge.name]) };
}

/** bonding.txt's modes are networkd's Mode= values; miimon is in milliseconds. */
export function bondNetdev(bond: BondSpec): string {
  return [HEADER(`the bond ${bond.name} over ${bond.slaves.join(', ')}.`), '[NetDev]', `Name=${bond.name}`, 'Kind=bond', '', '[Bond]', `Mode=${bond.mode}`, `MIIMonitorSec=${bond.miimon}ms`, ''].join('\n');
}

/**
 * bond-bridge: the slaves' .network files say Bond=, the bond's says Bridge= of the main bridge,
 * which takes the addressing of the one slave that had it; the back bridge takes its NIC's.
 */
export function renderNetworkdBond(bond: BondSpec, main: PortedBridge, back: PortedBridge, files: BackendInputs): BackendRender {
  const networks = unitFiles(files, '.network');
  const done = bond.slaves.every((s) => isPortOf(networks, files, s, 'Bond', bond.name)) && isPortOf(networks, files, back.nic, 'Bridge', back.name)
    && netdevDefining(files, main.name) !== undefined;
  if (done) return { files: [], commands: [] };
  refuseDefined(files, [bond.name, main.name, back.name]);
  const slaves = bond.slaves.map((nic) => ({ nic, move: portMove(networks, files, nic, 'Bond', bond.name) }));
  const addressed = slaves.filter((s) => s.move.moved.some((l) => l.trim() !== '' && !l.trim().startsWith('#')));
  // Two slaves with addressing of their own: which one should the bridge take? Ask the admin.
  if (addressed.length > 1) throw new InputError('error.bondSlaveAddressed', { file: addressed[1].move.home!.path, nic: addressed[1].nic, other: addressed[0].nic });
  const bondNetwork = [HEADER(`${bond.name} is the port of ${main.name}.`), '[Match]', `Name=${bond.name}`, '', '[Network]', `Bridge=${main.name}`, ''].join('\n');
  const backMove = portMove(networks, files, back.nic, 'Bridge', back.name);
  const changes = [
    ...slaves.map((s) => s.move.change),
    ownedFile(`${NETWORKD_ETC}/${nameBefore(bond.name, '.netdev', undefined)}`, '0644', bondNetdev(bond), files.read),
    ownedFile(`${NETWORKD_ETC}/${nameBefore(bond.name, '.network', firstMatchOf(networks, bond.name))}`, '0644', bondNetwork, files.read),
    ...bridgeFiles(networks, files, main.name, bond.name, addressed[0]?.move ?? null, null),
    ...bridgeFiles(networks, files, back.name, back.nic, backMove, null),
    backMove.change,
  ].filter((c): c is FileChange => c !== null);
  return { files: changes, commands: networkctlCommands([...bond.slaves, back.nic], [bond.name, main.name, back.name]) };
}

const isMatchEntry = (lines: string[], i: number) => {
  for (let j = i; j >= 0; j--) {
    const h = /^\s*\[([^\]]+)\]\s*$/.exec(lines[j]);
    if (h) return h[1] === 'Match';
  }
  return false;
};

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}

/** The first .network that would (or might) match the bridge: ours must sort before it. */
function firstMatchOf(networks: UnitFile[], bridge: string): string | undefined {
  const link: LinkFacts = { name: bridge, type: 'bridge', mac: null };
  return networks.find((u) => unitMatches(u, link) !== false)?.name;
}

/**
 * networkctl reload creates the new netdevs and re-reads the .network files; reconfigure makes the
 * NICs ports now. Rolled back: the netdevs deleted (networkd never removes one by itself), the
 * files restored, then the same two commands give the NICs their addressing back.
 */
export function networkctlCommands(nics: string[], netdevs: string[]): BackendRender['commands'] {
  return [
    { id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], rerunOnRollback: true },
    { id: `networkctl-reconfigure-${nics.join('-')}`, phase: 'after-edit', argv: ['networkctl', 'reconfigure', ...nics], undo: ['networkctl', 'delete', ...netdevs], rerunOnRollback: true },
  ];
}

/**
 * --live on networkd: the ip batch has moved the NIC; `networkctl reload` then re-reads the files
 * and reconfigures just the links whose .network changed (the NIC, now Bridge=; the bridge, now
 * matched), taking over the bridge the batch made and the address and route already on it.
 */
export function networkdHandOver(): BackendRender['commands'] {
  return [{ id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], rerunOnRollback: true }];
}

/** internal-dummy on networkd: a port-less bridge with dom0's address, up without carrier. */
export function renderNetworkdInternal(spec: InternalBridge, files: BackendInputs): BackendRender {
  const { bridge } = spec;
  if (bridge.nic) throw new InputError('error.backendRecipeUnsupported', { backend: 'networkd', what: 'internal-dummy (internal.nic)' });
  const existing = netdevDefining(files, bridge.name);
  const stem = nameBefore(bridge.name, '', firstMatchOf(unitFiles(files, '.network'), bridge.name));
  if (existing && existing.path !== `${NETWORKD_ETC}/${stem}.netdev`) throw new InputError('error.networkdBridgeDefined', { file: existing.path, bridge: bridge.name });
  const network = [
    HEADER(`the internal bridge ${bridge.name}; vifs join it as guests start.`),
    '[Match]',
    `Name=${bridge.name}`,
    '',
    '[Network]',
    ...(bridge.address ? [`Address=${bridge.address.ip}/${bridge.address.prefix}`] : []),
    // No port at all: without this networkd waits for a carrier that never comes.
    'ConfigureWithoutCarrier=yes',
    '',
  ].join('\n');
  const changes = [
    ownedFile(`${NETWORKD_ETC}/${stem}.netdev`, '0644', bridgeNetdev(bridge.name, spec.mac, `the internal bridge ${bridge.name}, no port.`), files.read),
    ownedFile(`${NETWORKD_ETC}/${stem}.network`, '0644', network, files.read),
  ].filter((c): c is FileChange => c !== null);
  return {
    files: changes,
    commands: changes.length ? [{ id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], undo: ['networkctl', 'delete', bridge.name], rerunOnRollback: true }] : [],
  };
}


export const networkd: NetworkBackend = {
  id: 'networkd',
  readsFilesOnlyAtBoot: false,
  portedBridge: renderNetworkd,
  bondBridges: renderNetworkdBond,
  internalBridge: renderNetworkdInternal,
  configuredMac(name, files) {
    const netdev = netdevDefining(files, name);
    if (netdev) return last(netdev.ini, 'NetDev', 'MACAddress')?.toLowerCase() ?? null;
    const unit = networkFor(unitFiles(files, '.network'), { name, type: 'ether', mac: files.linkMac?.(name) ?? null });
    return unit ? (last(unit.ini, 'Link', 'MACAddress')?.toLowerCase() ?? null) : null;
  },
  liveHandOver: () => networkdHandOver(),
  shadowBridge: unsupportedBy('networkd', 'shadow-bridge'),
  vlanBridges: unsupportedBy('networkd', 'vlan-bridges'),
};
