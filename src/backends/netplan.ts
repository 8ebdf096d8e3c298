// netplan (Ubuntu): the bridge goes into a file of its own, /etc/netplan/99-xen-net-wizard.yaml,
// and the NIC's addressing leaves its definition in the file that has it, edited in place with a
// YAML library that keeps the file's comments, key order and quoting. Why not only a new file that
// overrides: netplan merges files key by key and *appends* sequences, so a later file cannot take
// `addresses:` or `routes:` away from the NIC (checked with netplan generate 0.106) — the NIC would
// keep its address beside the bridge's. Both files are mode 0600, as netplan asks of its YAML.
// Live: `netplan apply` under the wizard's commit-confirmed (netplan try refuses bridges), run
// again after a rollback restored the files.
import type { Document } from 'yaml';
import type { ReadFile } from '../model/plan.js';
import type { BondSpec, PortedBridge } from '../model/topology.js';
import { InputError } from '../errors.js';
import { parseNetplan, yamlModule } from '../parse/netplanYaml.js';
import { cannotExpress, ownedFile, type BackendInputs, type BackendRender, type InternalBridge, type NetworkBackend } from './types.js';

// Last in netplan's order: netplan 0.106 resolves a bridge's interfaces: only against definitions
// parsed before it ("interface 'NM-…' is not defined" with Ubuntu's 90-NM-<uuid>.yaml otherwise).
export const NETPLAN_OWN = '/etc/netplan/99-xen-net-wizard.yaml';

/** Keys of a netplan device that are its addressing (netplan(5) "Common properties for all device types"): they move. */
const ADDRESSING = new Set(['dhcp4', 'dhcp6', 'dhcp4-overrides', 'dhcp6-overrides', 'addresses', 'gateway4', 'gateway6', 'routes',
  'routing-policy', 'nameservers', 'accept-ra', 'ipv6-privacy', 'link-local', 'dhcp-identifier', 'ipv6-address-generation',
  'ipv6-address-token', 'ipv6-mtu']);

interface NicDefinition { file: string; doc: Document.Parsed; id: string; def: Record<string, unknown> }

const networkOf = (doc: Document.Parsed) => (doc.toJS() as { network?: Record<string, unknown> } | null)?.network ?? null;

/** Every file's definition of the NIC under ethernets: (by id, set-name or an exact match: name:), in netplan's order. */
function nicDefinitions(nic: string, files: string[], read: ReadFile): { defs: NicDefinition[]; renderer: string } {
  const defs: NicDefinition[] = [];
  let renderer = 'networkd';
  for (const file of files) {
    const raw = read(file);
    if (!raw) continue;
    const doc = parseNetplan(raw.text, file);
    const network = networkOf(doc);
    if (typeof network?.renderer === 'string') renderer = network.renderer;
    const ethernets = (network?.ethernets ?? {}) as Record<string, Record<string, unknown> | null>;
    for (const [id, def] of Object.entries(ethernets)) {
      const match = (def?.match ?? {}) as { name?: string };
      if (id === nic || def?.['set-name'] === nic || match.name === nic) defs.push({ file, doc, id, def: def ?? {} });
      else if (match.name && /[*?[]/.test(match.name) && new RegExp(`^${match.name.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(nic)) {
        // A bridge's interfaces: names one definition; a wildcard one would take every NIC it matches.
        throw new InputError('error.netplanNicGlob', { file, nic, id, pattern: match.name });
      }
    }
  }
  return { defs, renderer };
}

/** Where cloud-init's network config is turned off (its own file's header names the first; Ubuntu's installer writes the second). */
const CLOUD_INIT_OFF = ['/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg', '/etc/cloud/cloud.cfg.d/subiquity-disable-cloudinit-networking.cfg'];

/** A file cloud-init writes anew at boot while its network config is on: an edit there would not last. */
function checkNotCloudInit(file: string, read: ReadFile): void {
  if (!/generated from information provided by the datasource/.test(read(file)?.text ?? '')) return;
  if (read('/etc/cloud/cloud-init.disabled')) return;
  if (CLOUD_INIT_OFF.some((f) => /config:\s*disabled/.test(read(f)?.text ?? ''))) return;
  throw new InputError('error.netplanCloudInit', { file, off: CLOUD_INIT_OFF[0] });
}

/** The file's own indentation (cloud-init writes 4 spaces and unindented sequences; NM writes 2), kept on output. */
function layoutOf(text: string): { indent: number; indentSeq: boolean } {
  const indent = /^network:[^\n]*\n( +)\S/m.exec(text)?.[1].length ?? 2;
  // A "- " item at its key's own column: sequences not indented.
  const flat = /^( *)[^\s#-][^\n]*:\s*\n\1- /m.test(text);
  return { indent, indentSeq: !flat };
}

/** What moves from one NIC's definitions to the bridge over it (or over its bond). */
interface Move {
  nic: string;
  /** The NIC's netplan id; null when no file defines it (a bond slave or back NIC netplan never configured). */
  id: string | null;
  defs: NicDefinition[];
  /** The addressing keys, merged as netplan merges files. */
  moved: Record<string, unknown>;
  /** NetworkManager-only addressing (passthrough ipv4.* / ipv6.*). */
  nmAddressing: Record<string, unknown>;
  merged: Record<string, unknown>;
  renderer: string;
  globalRenderer: string;
}

function planMove(nic: string, files: string[], read: ReadFile, required: boolean): Move {
  const { defs, renderer } = nicDefinitions(nic, files, read);
  if (defs.length === 0) {
    if (required) throw new InputError('error.netplanNicMissing', { nic, bridge: '-', files: files.join(', ') || '/etc/netplan/*.yaml' });
    return { nic, id: null, defs, moved: {}, nmAddressing: {}, merged: {}, renderer, globalRenderer: renderer };
  }
  for (const file of new Set(defs.map((d) => d.file))) {
    checkNotCloudInit(file, read);
    if (file.slice(file.lastIndexOf('/') + 1) > NETPLAN_OWN.slice(NETPLAN_OWN.lastIndexOf('/') + 1)) cannotExpress('netplan', `${file} (after ${NETPLAN_OWN} in netplan's order)`);
  }
  const id = defs[0].id;
  if (defs.some((d) => d.id !== id)) throw new InputError('error.netplanNicGlob', { file: defs[1].file, nic, id: defs[1].id, pattern: nic });
  // netplan's merge, as generate does it: later files' scalars win, their sequences are appended.
  const moved: Record<string, unknown> = {};
  for (const d of defs) {
    for (const [k, v] of Object.entries(d.def)) {
      if (!ADDRESSING.has(k)) continue;
      moved[k] = Array.isArray(v) && Array.isArray(moved[k]) ? [...(moved[k] as unknown[]), ...v] : v;
    }
  }
  const merged = Object.assign({}, ...defs.map((d) => d.def)) as Record<string, unknown>;
  const passthrough = ((merged.networkmanager as { passthrough?: Record<string, unknown> } | undefined)?.passthrough) ?? {};
  // NetworkManager-only addressing keys (Ubuntu's NM writes ipv4.*/ipv6.* it has no netplan key for) move too.
  const nmAddressing = Object.fromEntries(Object.entries(passthrough).filter(([k]) => /^ipv[46]\./.test(k)));
  return { nic, id, defs, moved, nmAddressing, merged, renderer: (merged.renderer as string | undefined) ?? renderer, globalRenderer: renderer };
}

const hasAddressing = (m: Move) => Object.keys(m.moved).length > 0 || Object.keys(m.nmAddressing).length > 0;

/** The bridge's definition: its ports, the addressing `from` had (MAC pinned for DHCP, MTU kept), STP off, no delay. */
function bridgeDefinition(ports: string[], from: Move, linkMac: BackendInputs['linkMac']): Record<string, unknown> {
  const dhcp = from.moved.dhcp4 === true || from.moved.dhcp6 === true;
  const match = (from.merged.match ?? {}) as { macaddress?: string };
  const mac = dhcp ? ((from.merged.macaddress as string | undefined) ?? match.macaddress ?? linkMac?.(from.nic) ?? null) : null;
  return {
    ...(from.renderer !== from.globalRenderer || from.renderer === 'NetworkManager' ? { renderer: from.renderer } : {}),
    interfaces: ports,
    ...from.moved,
    ...(from.merged.mtu !== undefined ? { mtu: from.merged.mtu } : {}),
    // A DHCP server keyed on the MAC keeps the lease only if the bridge keeps the NIC's MAC.
    ...(mac ? { macaddress: mac.toLowerCase() } : {}),
    parameters: { stp: false, 'forward-delay': 0 },
    // networkd 252 reconfiguring the bridge drops the addresses it did not set (a live move's) and
    // adds its own back; `critical` (networkd: KeepConfiguration) keeps dom0's address in place.
    ...(from.renderer === 'networkd' && hasAddressing(from) && from.merged.critical === undefined ? { critical: true } : {}),
    ...(Object.keys(from.nmAddressing).length > 0 ? { networkmanager: { passthrough: from.nmAddressing } } : {}),
  };
}

/** Our file (bridges, bonds, and empty ethernets: entries for ports no file defines) and the NICs' files without their addressing. */
function compose(network: Record<string, unknown>, moves: Move[], comment: string, read: ReadFile): BackendRender {
  const Y = yamlModule();
  const own = new Y.Document({ network: { version: 2, ...network } });
  own.commentBefore = comment;
  const changes = [];
  // Strings quoted: a MAC left plain is a base-60 number to a YAML 1.1 reader.
  const ownChange = ownedFile(NETPLAN_OWN, '0600', own.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }), read);
  if (ownChange) changes.push({ ...ownChange, mode: '0600' });
  const edited = new Map<string, Document.Parsed>();
  for (const m of moves) {
    for (const d of m.defs) {
      edited.set(d.file, edited.get(d.file) ?? d.doc);
      const doc = edited.get(d.file)!;
      const path = ['network', 'ethernets', d.id];
      for (const key of Object.keys(d.def)) if (ADDRESSING.has(key)) doc.deleteIn([...path, key]);
      for (const key of Object.keys(m.nmAddressing)) if (doc.hasIn([...path, 'networkmanager', 'passthrough', key])) doc.deleteIn([...path, 'networkmanager', 'passthrough', key]);
    }
  }
  for (const [file, doc] of edited) {
    const raw = read(file)!;
    const after = doc.toString(layoutOf(raw.text));
    if (after !== raw.text) changes.push({ path: file, mode: '0600', before: raw.text, after });
  }
  return {
    files: changes,
    commands: changes.length === 0 ? [] : [{ id: 'netplan-apply', phase: 'after-edit', argv: ['netplan', 'apply'], rerunOnRollback: true }],
  };
}

/** Our file as it is: what an earlier run wrote. */
function ownNetwork(read: ReadFile): Record<string, Record<string, Record<string, unknown>>> {
  const own = read(NETPLAN_OWN);
  return (own ? networkOf(parseNetplan(own.text, NETPLAN_OWN)) : null) as Record<string, Record<string, Record<string, unknown>>> ?? {};
}

const filesOf = (manager: BackendInputs['manager']) => (manager?.files ?? []).filter((f) => f !== NETPLAN_OWN);

export function renderNetplan(bridge: PortedBridge, { read, linkMac, manager }: BackendInputs): BackendRender {
  const move = planMove(bridge.nic, filesOf(manager), read, true);
  const ports = (ownNetwork(read).bridges?.[bridge.name]?.interfaces as string[] | undefined) ?? [];
  // Already bridged by an earlier run: our file names the NIC's id and the NIC has no addressing left.
  if (ports.includes(move.id!) && !hasAddressing(move)) return { files: [], commands: [] };
  const sources = [...new Set(move.defs.map((d) => d.file))].join(', ');
  return compose({ bridges: { [bridge.name]: bridgeDefinition([move.id!], move, linkMac) } }, [move],
    ` xen-net-wizard: ${bridge.name} over ${bridge.nic}, with the addressing that was\n ${bridge.nic}'s in ${sources}.`, read);
}

/**
 * bond-bridge: bonds: with the slaves (defined empty in our file when no file defines them), the
 * main bridge over the bond with the addressed slave's addressing, the back bridge over its NIC.
 */
export function renderNetplanBond(bond: BondSpec, main: PortedBridge, back: PortedBridge, { read, linkMac, manager }: BackendInputs): BackendRender {
  const files = filesOf(manager);
  const slaves = bond.slaves.map((s) => planMove(s, files, read, false));
  const backMove = planMove(back.nic, files, read, false);
  const existing = ownNetwork(read);
  const addressed = slaves.filter(hasAddressing);
  if (addressed.length === 0 && !hasAddressing(backMove) && existing.bonds?.[bond.name] && existing.bridges?.[main.name]) return { files: [], commands: [] };
  if (addressed.length > 1) cannotExpress('netplan', `bond-bridge: ${addressed.map((m) => m.nic).join(', ')} both have addresses`);
  const from = addressed[0] ?? slaves[0];
  const undefinedPorts = [...slaves, backMove].filter((m) => m.id === null).map((m) => m.nic);
  const network = {
    ...(undefinedPorts.length ? { ethernets: Object.fromEntries(undefinedPorts.map((n) => [n, {}])) } : {}),
    bonds: { [bond.name]: { interfaces: slaves.map((m) => m.id ?? m.nic), parameters: { mode: bond.mode, 'mii-monitor-interval': bond.miimon } } },
    bridges: {
      [main.name]: bridgeDefinition([bond.name], from, linkMac),
      [back.name]: bridgeDefinition([backMove.id ?? back.nic], backMove, linkMac),
    },
  };
  return compose(network, [...slaves, backMove], ` xen-net-wizard: recipe bond-bridge — ${bond.name} over ${bond.slaves.join(', ')} under ${main.name}, ${back.name} over ${back.nic}.`, read);
}

/**
 * internal-dummy's bridge with no port (or over a NIC on no other network), its own address and
 * fixed MAC, added to our file as the main bridge's edit left it (netplan keeps a port-less
 * bridge's address: its networkd units get ConfigureWithoutCarrier=yes).
 */
export function renderNetplanInternal(spec: InternalBridge, { read, manager }: BackendInputs): BackendRender {
  const { bridge, mac } = spec;
  const port = bridge.nic ? planMove(bridge.nic, filesOf(manager), read, false) : null;
  if (port && hasAddressing(port)) throw new InputError('error.internalNicConfigured', { nic: port.nic, file: port.defs[0].file, line: 1, method: Object.keys(port.moved).join(', ') });
  const Y = yamlModule();
  const raw = read(NETPLAN_OWN);
  const doc = raw ? parseNetplan(raw.text, NETPLAN_OWN) : new Y.Document({ network: { version: 2 } });
  if (!raw) doc.commentBefore = ` xen-net-wizard: recipe internal-dummy's ${bridge.name}.`;
  if (port && port.id === null) doc.setIn(['network', 'ethernets', port.nic], doc.createNode({}));
  doc.setIn(['network', 'bridges', bridge.name], doc.createNode({
    interfaces: port ? [port.id ?? port.nic] : [],
    ...(bridge.address ? { addresses: [`${bridge.address.ip}/${bridge.address.prefix}`] } : {}),
    ...(mac ? { macaddress: mac } : {}),
    parameters: { stp: false, 'forward-delay': 0 },
  }));
  const change = ownedFile(NETPLAN_OWN, '0600', doc.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }), read);
  if (!change) return { files: [], commands: [] };
  return { files: [{ ...change, mode: '0600' }], commands: [{ id: `netplan-apply-${bridge.name}`, phase: 'after-edit', argv: ['netplan', 'apply'], rerunOnRollback: true }] };
}

/** The MAC a netplan definition (bridge or ethernet) of that name sets, in the last file that sets one. */
function netplanMac(name: string, { read, manager }: BackendInputs): string | null {
  let mac: string | null = null;
  for (const file of [...filesOf(manager), NETPLAN_OWN]) {
    const raw = read(file);
    const network = raw ? networkOf(parseNetplan(raw.text, file)) : null;
    for (const kind of ['bridges', 'ethernets']) {
      const m = ((network?.[kind] as Record<string, { macaddress?: string } | null> | undefined)?.[name])?.macaddress;
      if (m) mac = m.toLowerCase();
    }
  }
  return mac;
}

/**
 * --live with the networkd renderer: after the batch and the YAML, `netplan generate` writes the
 * networkd files under /run and `networkctl reload` hands the moved NIC to networkd (as on the
 * networkd backend). Not proven for the NetworkManager renderer: null, --live refused.
 */
export function netplanHandOver(nic: string, { read, manager }: BackendInputs): BackendRender['commands'] | null {
  if (planMove(nic, filesOf(manager), read, false).renderer !== 'networkd') return null;
  return [
    { id: 'netplan-generate', phase: 'after-edit', argv: ['netplan', 'generate'], rerunOnRollback: true },
    { id: 'networkctl-reload', phase: 'after-edit', argv: ['networkctl', 'reload'], rerunOnRollback: true },
  ];
}

export const netplan: NetworkBackend = {
  id: 'netplan',
  readsFilesOnlyAtBoot: false,
  liveHandOver: (move, inputs) => netplanHandOver(move.nic, inputs),
  portedBridge: (bridge, inputs) => renderNetplan(bridge, inputs),
  bondBridges: (bond, main, back, inputs) => renderNetplanBond(bond, main, back, inputs),
  internalBridge: (spec, inputs) => renderNetplanInternal(spec, inputs),
  configuredMac: (name, inputs) => netplanMac(name, inputs),
  shadowBridge: () => cannotExpress('netplan', 'shadow-bridge'),
  vlanBridges: () => cannotExpress('netplan', 'vlan-bridges'),
};
