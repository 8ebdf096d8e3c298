// wicked (openSUSE, SLES): the network backend that persists a bridge in
// /etc/sysconfig/network/ifcfg-<bridge> as ifcfg-bridge(5) describes it — BRIDGE='yes',
// BRIDGE_PORTS, BRIDGE_STP='off', BRIDGE_FORWARDDELAY='0' — with the addressing the NIC's
// ifcfg-<nic> had (ifcfg(5)); the NIC keeps its link settings with BOOTPROTO='none'. Its own
// routes (ifroute-<nic>, ifroute(5)) move with it. wicked is not packaged in Debian: the keys are
// checked against the text of ifcfg-bridge(5) and ifcfg(5), not by wicked itself.
import { InputError } from '../errors.js';
import { getVar, parseIfcfg, removeVar, setVar, type IfcfgFile } from '../parse/ifcfg.js';
import { parsedFile, type FileChange } from '../model/plan.js';
import type { PortedBridge } from '../model/topology.js';
import type { BackendInputs, BackendRender, InternalBridge, NetworkBackend } from './types.js';
import { ownedFile, unsupportedBy } from './types.js';

export const WICKED_DIR = '/etc/sysconfig/network';
const ifcfgPath = (name: string) => `${WICKED_DIR}/ifcfg-${name}`;
const ifroutePath = (name: string) => `${WICKED_DIR}/ifroute-${name}`;

/**
 * ifcfg(5)'s addressing: addresses with their suffixes (IPADDR_1, LABEL_1, …), the DHCP and
 * IPv6 autoconfiguration settings, and the firewall ZONE the addresses live in. Everything else
 * (STARTMODE, MTU, LLADDR, ETHTOOL_OPTIONS, NAME, …) describes the link and stays.
 */
export const WICKED_ADDRESSING = /^(IPADDR|NETMASK|PREFIXLEN|BROADCAST|REMOTE_IPADDR|LABEL|SCOPE|IP_OPTIONS)(_\w+)?$|^(DHCLIENT|DHCLIENT6|DHCP|AUTO6)_\w+$|^(ZONE|IPV6_ACCEPT_RA|IPV6_AUTOCONF|IPV6_PRIVACY)$/;

const DHCP = /^dhcp/i;

/** The NIC's file with its addressing gone and BOOTPROTO='none'; the bridge's file with it. */
export function renderWickedMigration(nic: IfcfgFile, bridge: string, port: string, linkMac: string | null): { nicAfter: string; bridgeText: string } {
  const moved = nic.vars.filter((v) => WICKED_ADDRESSING.test(v.key));
  let nicAfter = nic.text;
  for (const key of new Set(moved.map((v) => v.key))) nicAfter = removeVar(nicAfter, nic.file, key);
  const bootproto = getVar(nic, 'BOOTPROTO') ?? 'static';
  nicAfter = setVar(nicAfter, nic.file, 'BOOTPROTO', 'none');
  const mtu = getVar(nic, 'MTU');
  // A DHCP lease is keyed on the MAC: the bridge keeps the NIC's (its LLADDR, else the link's).
  const mac = DHCP.test(bootproto) ? (getVar(nic, 'LLADDR') || linkMac) : null;
  const q = (v: string) => `'${v}'`;
  const lines = [
    `## Written by xen-net-wizard: ${bridge} takes over the addressing of ${port}.`,
    `STARTMODE=${q(getVar(nic, 'STARTMODE') || 'auto')}`,
    `BOOTPROTO=${q(bootproto)}`,
    ...moved.map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`),
    ...(mtu ? [`MTU=${q(mtu)}`] : []),
    ...(mac ? [`LLADDR=${q(mac.toLowerCase())}`] : []),
    "BRIDGE='yes'",
    `BRIDGE_PORTS=${q(port)}`,
    // STP on with the default 15 s forward delay drops all traffic ~30 s.
    "BRIDGE_STP='off'",
    "BRIDGE_FORWARDDELAY='0'",
  ];
  return { nicAfter, bridgeText: lines.join('\n') + '\n' };
}

/** Route lines (ifroute(5): DESTINATION GATEWAY NETMASK INTERFACE …) that name the NIC: they would stay on it. */
function routesNaming(text: string, nic: string): number[] {
  return text.split('\n').flatMap((l, i) => (!l.trim().startsWith('#') && l.trim().split(/\s+/)[3] === nic ? [i + 1] : []));
}

export function renderWicked(bridge: PortedBridge, files: BackendInputs): BackendRender {
  const { read } = files;
  const nicPath = ifcfgPath(bridge.nic);
  const brPath = ifcfgPath(bridge.name);
  const nicRaw = read(nicPath);
  if (!nicRaw) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: bridge.nic });
  const nic = parsedFile(nicRaw, nicPath, parseIfcfg);
  const brRaw = read(brPath);
  if (brRaw) {
    const br = parsedFile(brRaw, brPath, parseIfcfg);
    const ports = (getVar(br, 'BRIDGE_PORTS') ?? '').split(/\s+/);
    if (getVar(br, 'BRIDGE') === 'yes' && ports.includes(bridge.nic)) return { files: [], commands: [] };
    throw new InputError('error.wickedBridgeDefined', { file: brPath, bridge: bridge.name });
  }
  for (const path of [`${WICKED_DIR}/routes`, ifroutePath(bridge.nic)]) {
    const text = read(path)?.text;
    const line = text ? routesNaming(text, bridge.nic)[0] : undefined;
    if (line) throw new InputError('error.wickedRouteNamesNic', { file: path, line, nic: bridge.nic, bridge: bridge.name });
  }
  const { nicAfter, bridgeText } = renderWickedMigration(nic, bridge.name, bridge.nic, files.linkMac?.(bridge.nic) ?? null);
  const changes: FileChange[] = [
    { path: nicPath, mode: nicRaw.mode, before: nicRaw.text, after: nicAfter },
    { path: brPath, mode: nicRaw.mode, before: null, after: bridgeText },
  ];
  // Routes of the NIC's own file are the bridge's now ("-" in the interface column: this one).
  const routes = read(ifroutePath(bridge.nic));
  if (routes) {
    const target = read(ifroutePath(bridge.name));
    if (target) throw new InputError('error.wickedBridgeDefined', { file: ifroutePath(bridge.name), bridge: bridge.name });
    changes.push({ path: ifroutePath(bridge.name), mode: routes.mode, before: null, after: routes.text });
    changes.push({ path: ifroutePath(bridge.nic), mode: routes.mode, before: routes.text, after: null });
  }
  return {
    files: changes,
    commands: [
      // ifreload compares the configuration with what runs: the bridge is new, the NIC changed.
      // Rolled back: the bridge taken down, the files restored, the same reload gives the NIC back its address.
      { id: `wicked-ifreload-${bridge.name}`, phase: 'after-edit', argv: ['wicked', 'ifreload', bridge.name, bridge.nic], undo: ['wicked', 'ifdown', bridge.name], rerunOnRollback: true },
    ],
  };
}


/** internal-dummy: a bridge with no port (BRIDGE_PORTS empty), dom0's address and a fixed MAC. */
export function renderWickedInternal(spec: InternalBridge, { read }: BackendInputs): BackendRender {
  const { bridge } = spec;
  if (bridge.nic) throw new InputError('error.backendRecipeUnsupported', { backend: 'wicked', what: 'internal-dummy (internal.nic)' });
  const path = ifcfgPath(bridge.name);
  const text = [
    `## Written by xen-net-wizard: the internal bridge ${bridge.name}; vifs join it as guests start.`,
    "STARTMODE='auto'",
    bridge.address ? "BOOTPROTO='static'" : "BOOTPROTO='none'",
    ...(bridge.address ? [`IPADDR='${bridge.address.ip}/${bridge.address.prefix}'`] : []),
    ...(spec.mac ? [`LLADDR='${spec.mac}'`] : []),
    "BRIDGE='yes'",
    "BRIDGE_PORTS=''",
    "BRIDGE_STP='off'",
    "BRIDGE_FORWARDDELAY='0'",
    '',
  ].join('\n');
  const existing = read(path);
  if (existing) {
    // Already a bridge with no port (ours or the admin's): kept as it is, as ifupdown keeps its stanza.
    const file = parsedFile(existing, path, parseIfcfg);
    if (getVar(file, 'BRIDGE') === 'yes' && (getVar(file, 'BRIDGE_PORTS') ?? '').trim() === '') return { files: [], commands: [] };
    throw new InputError('error.wickedBridgeDefined', { file: path, bridge: bridge.name });
  }
  const change = ownedFile(path, '0644', text, read);
  return {
    files: change ? [change] : [],
    commands: change ? [{ id: `wicked-ifup-${bridge.name}`, phase: 'after-edit', argv: ['wicked', 'ifup', bridge.name], undo: ['wicked', 'ifdown', bridge.name] }] : [],
  };
}

export const wicked: NetworkBackend = {
  id: 'wicked',
  readsFilesOnlyAtBoot: false,
  portedBridge: renderWicked,
  bondBridges: unsupportedBy('wicked', 'bond-bridge'),
  internalBridge: renderWickedInternal,
  configuredMac(name, { read }) {
    const raw = read(ifcfgPath(name));
    return raw ? (getVar(parsedFile(raw, ifcfgPath(name), parseIfcfg), 'LLADDR')?.toLowerCase() || null) : null;
  },
  shadowBridge: unsupportedBy('wicked', 'shadow-bridge'),
  vlanBridges: unsupportedBy('wicked', 'vlan-bridges'),
};
