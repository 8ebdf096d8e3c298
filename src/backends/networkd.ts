// systemd-networkd (systemd.network(5), systemd.netdev(5)): the network backend that persists a
// bridge as a .netdev (Kind=bridge, [Bridge] STP=no, ForwardDelaySec=0) and a .network carrying
// the addressing the NIC's .network had; the NIC's .network is reduced to its link settings and
// Bridge=. networkd reads /etc, /run, /usr/local/lib and /usr/lib (/lib) in that precedence, a
// name in an earlier directory masking the same name in a later one, and applies to each link the
// first .network (by file name, across all directories) whose [Match] fits it: that is the file we
// find, and our files are named to sort before any file that would otherwise win.
import { InputError } from '../errors.js';
import { parseIni, type IniFile } from '../parse/iniFile.js';
import { globMatch, listMatches } from '../parse/networkdMatch.js';
import { parsedFile, type FileChange } from '../model/plan.js';
import type { PortedBridge } from '../model/topology.js';
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
      } catch {
        // A symlink to /dev/null (dangling under --root) masks the name: systemd.network(5).
        raw = null;
      }
      // An empty file masks the name too: it configures nothing, and hides the later ones.
      seen.set(name, raw && raw.text.trim() !== '' ? { name, path, ini: parsedFile(raw, path, parseIni), text: raw.text, mode: raw.mode } : null);
    }
  }
  return [...seen.values()].filter((u): u is UnitFile => u !== null).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface LinkFacts { name: string; type: 'ether' | 'bridge'; mac: string | null }

/** Keys of [Match] this backend can decide from files alone. */
const DECIDABLE = new Set(['Name', 'OriginalName', 'MACAddress', 'PermanentMACAddress', 'Type', 'Kind']);

/**
 * Whether the unit's [Match] fits the link: true, false, or the key that cannot be decided offline
 * (Path=, Driver=, Property=, Host=, …), which the caller refuses rather than guess.
 */
export function unitMatches(unit: UnitFile, link: LinkFacts): boolean | string {
  for (const section of unit.ini.sections.filter((s) => s.name === 'Match')) {
    for (const e of section.entries) {
      if (e.value === '') continue;
      if (!DECIDABLE.has(e.key)) return e.key;
      const ok = e.key === 'Name' || e.key === 'OriginalName' ? listMatches(e.value, (p) => globMatch(p, link.name))
        : e.key === 'Type' ? listMatches(e.value, (t) => t === link.type)
        : e.key === 'Kind' ? listMatches(e.value, (k) => link.type === 'bridge' && k === 'bridge')
        : listMatches(e.value, (m) => link.mac !== null && m.toLowerCase() === link.mac.toLowerCase());
      if (!ok) return false;
    }
  }
  return true;
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

/** The NIC's .network after the move: its own lines, Bridge= added to [Network]. */
function portText(split: string[], bridge: string): string {
  const out = [...split];
  const at = out.findIndex((l) => /^\s*\[Network\]\s*$/.test(l));
  if (at >= 0) out.splice(at + 1, 0, `Bridge=${bridge}`);
  else out.push(...(out.length && out.at(-1)!.trim() !== '' ? [''] : []), '[Network]', `Bridge=${bridge}`);
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

const HEADER = (what: string) => `# xen-net-wizard (seed 000: single-bridge):\n# ${what}`;

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

export function renderNetworkd(bridge: PortedBridge, files: BackendInputs): BackendRender {
  const networks = unitFiles(files, '.network');
  const nicMac = files.linkMac?.(bridge.nic) ?? null;
  const nicLink: LinkFacts = { name: bridge.nic, type: 'ether', mac: nicMac };
  const home = networkFor(networks, nicLink);
  if (!home) throw new InputError('error.networkdNoNetwork', { nic: bridge.nic, dirs: NETWORKD_DIRS.slice(0, 4).join(', ') });
  const netdev = netdevDefining(files, bridge.name);
  const enslaved = home.ini.sections.filter((s) => s.name === 'Network').flatMap((s) => s.entries).find((e) => ENSLAVED.test(e.key));
  if (enslaved?.key === 'Bridge' && enslaved.value === bridge.name && netdev) return { files: [], commands: [] };
  if (enslaved) throw new InputError('error.networkdNicEnslaved', { file: home.path, nic: bridge.nic, key: enslaved.key, value: enslaved.value });
  if (netdev) throw new InputError('error.networkdBridgeDefined', { file: netdev.path, bridge: bridge.name });

  const split = splitNetwork(home);
  // Edited in place only when the file is the admin's (/etc) and names this NIC alone; a glob
  // (Arch's "Name=en*"), a Type= match or a vendor file keeps serving its other links untouched.
  const names = home.ini.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries);
  const onlyThisNic = names.length > 0 && names.every((e) => (e.key === 'Name' && e.value.trim() === bridge.nic)
    || (/^(Permanent)?MACAddress$/.test(e.key) && nicMac !== null && e.value.trim().toLowerCase() === nicMac.toLowerCase()));
  const inPlace = home.path.startsWith(NETWORKD_ETC + '/') && onlyThisNic;
  const changes: FileChange[] = [];
  let portPath = home.path;
  let portLines = split.port;
  if (!inPlace) {
    portPath = `${NETWORKD_ETC}/${nameBefore(bridge.nic, '.network', home.name)}`;
    // The new file matches the NIC by name and keeps the link settings of the one it takes over from.
    const link = split.port.filter((l, i, all) => !/^\s*\[Match\]\s*$/.test(l) && !isMatchEntry(all, i));
    portLines = [HEADER(`${bridge.nic} is a port of ${bridge.name}; its settings came from ${home.path}.`), '[Match]', `Name=${bridge.nic}`, '', ...trimBlank(link)];
  }
  const portAfter = portText(portLines, bridge.name);
  const dhcp = DHCP_ON.test(last(home.ini, 'Network', 'DHCP') ?? '');
  const mac = dhcp ? (last(home.ini, 'Link', 'MACAddress') ?? nicMac) : null;
  const mtu = last(home.ini, 'Link', 'MTUBytes');
  const stem = nameBefore(bridge.name, '', firstMatchOf(networks, bridge.name));
  const bridgeNetwork = [
    HEADER(`${bridge.name} takes over the addressing of ${bridge.nic} (${home.path}).`),
    '[Match]',
    `Name=${bridge.name}`,
    '',
    ...(split.bridge.length ? trimBlank(split.bridge) : ['[Network]']),
    // The bridge carries the NIC's frames: the same MTU on both (the port keeps its [Link]).
    ...(mtu ? ['', '[Link]', `MTUBytes=${mtu}`] : []),
    '',
  ].join('\n');
  for (const change of [
    ownedFile(`${NETWORKD_ETC}/${stem}.netdev`, '0644', bridgeNetdev(bridge.name, mac, `the bridge ${bridge.name} over ${bridge.nic}, STP off.`), files.read),
    ownedFile(`${NETWORKD_ETC}/${stem}.network`, '0644', bridgeNetwork, files.read),
  ]) if (change) changes.push(change);
  const current = files.read(portPath);
  changes.push({ path: portPath, mode: current?.mode ?? home.mode, before: current?.text ?? null, after: portAfter });
  return { files: changes, commands: networkctlCommands(bridge.nic, bridge.name) };
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
 * networkctl reload creates the new .netdev's bridge and re-reads the .network files; reconfigure
 * makes the NIC a port now. Rolled back: the bridge deleted (networkd never removes a netdev),
 * the files restored, then the same two commands give the NIC its addressing back.
 */
export function networkctlCommands(nic: string, bridge: string): BackendRender['commands'] {
  return [
    { id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], rerunOnRollback: true },
    { id: `networkctl-reconfigure-${nic}`, phase: 'after-edit', argv: ['networkctl', 'reconfigure', nic], undo: ['ip', 'link', 'delete', bridge], rerunOnRollback: true },
  ];
}

/** internal-dummy on networkd: a port-less bridge with dom0's address, up without carrier. */
export function renderNetworkdInternal(spec: InternalBridge, files: BackendInputs): BackendRender {
  const { bridge } = spec;
  if (bridge.nic) throw new InputError('error.backendRecipeUnsupported', { backend: 'networkd', what: 'internal bridge over a NIC' });
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
    commands: changes.length ? [{ id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], undo: ['ip', 'link', 'delete', bridge.name], rerunOnRollback: true }] : [],
  };
}


export const networkd: NetworkBackend = {
  id: 'networkd',
  portedBridge: renderNetworkd,
  bondBridges: unsupportedBy('networkd', 'bond-bridge'),
  internalBridge: renderNetworkdInternal,
  configuredMac(name, files) {
    const netdev = netdevDefining(files, name);
    if (netdev) return last(netdev.ini, 'NetDev', 'MACAddress')?.toLowerCase() ?? null;
    const unit = networkFor(unitFiles(files, '.network'), { name, type: 'ether', mac: files.linkMac?.(name) ?? null });
    return unit ? (last(unit.ini, 'Link', 'MACAddress')?.toLowerCase() ?? null) : null;
  },
  shadowBridge: unsupportedBy('networkd', 'shadow-bridge'),
  vlanBridges: unsupportedBy('networkd', 'vlan-bridges'),
};
