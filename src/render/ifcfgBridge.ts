// A bridge over a NIC in RHEL's ifcfg form (seed 003): BRIDGE= on the NIC, ifcfg-<bridge> with
// TYPE=Bridge and the NIC's addressing. Shared by the ifcfg backend (initscripts, NM_CONTROLLED=no)
// and the NetworkManager backend (the same files, read by NM's ifcfg-rh plugin).
import { type IfcfgFile, getVar, parseIfcfg, removeVar, setVar } from '../parse/ifcfg.js';
import type { PortedBridge } from '../model/topology.js';
import { parsedFile, type FileChange, type ReadFile, type Step } from '../model/plan.js';
import { InputError } from '../errors.js';
import { IFCFG_DIR } from '../detect/profile.js';
import { carriedAliasFiles, carriedRouteFiles, checkIfcfgFaithful, checkIfcfgVlanChildren } from './ifcfgFaithful.js';

/** The bridge's name, its NIC and the MAC a DHCP NIC's bridge keeps (backends' BridgeMigration has this shape). */
export interface IfcfgMigration { nic: string; bridge: string; mac?: string | null }

/** Files and commands, as a backend returns them (BackendRender's shape, a layer below it). */
export interface IfcfgRender { files: FileChange[]; commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[] }

/** Addressing moves to the bridge; link settings (HWADDR, MTU, ONBOOT, NAME, UUID, …) stay. */
export const ADDRESSING = /^(IPADDR\d*|NETMASK\d*|PREFIX\d*|GATEWAY\d*|BROADCAST|NETWORK|DNS\d+|DOMAIN|PEERDNS|PEERROUTES|DEFROUTE|METRIC|IPV4_[A-Z_]+|IPV6INIT|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_[A-Z0-9_]+|DHCPV6C|DHCPV6C_OPTIONS|DHCPV6_[A-Z_]+|DHCP_[A-Z_]+|PERSISTENT_DHCLIENT|RES_OPTIONS|ZONE)$/;

export function renderIfcfgMigration(nic: IfcfgFile, m: IfcfgMigration): { nicAfter: string; bridgeText: string } {
  const moved = nic.vars.filter((v) => ADDRESSING.test(v.key));
  let nicAfter = nic.text;
  for (const key of new Set(moved.map((v) => v.key))) nicAfter = removeVar(nicAfter, nic.file, key);
  const bootproto = getVar(nic, 'BOOTPROTO') ?? 'none';
  nicAfter = setVar(nicAfter, nic.file, 'BOOTPROTO', 'none');
  nicAfter = setVar(nicAfter, nic.file, 'BRIDGE', m.bridge);
  const mtu = getVar(nic, 'MTU');
  // A DHCP lease is keyed on the MAC: the bridge keeps the NIC's (its MACADDR, else HWADDR, else the link's).
  const mac = /^(dhcp|bootp)$/i.test(bootproto) ? (getVar(nic, 'MACADDR') ?? getVar(nic, 'HWADDR') ?? m.mac ?? null) : null;
  const bridge = [
    `DEVICE=${m.bridge}`,
    // Case matters: "Bridge" with a capital B (seed 003 line 49).
    'TYPE=Bridge',
    'ONBOOT=yes',
    `BOOTPROTO=${bootproto}`,
    ...moved.map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`),
    ...(mtu ? [`MTU=${mtu}`] : []),
    ...(mac ? [`MACADDR=${mac.toLowerCase()}`] : []),
    // seed 003 line 45: no forwarding delay; STP off so ports forward at once.
    'DELAY=0',
    'STP=off',
    'NM_CONTROLLED=no',
  ];
  return { nicAfter, bridgeText: bridge.join('\n') + '\n' };
}

export function isIfcfgMigrated(nic: IfcfgFile, bridgeFile: IfcfgFile | undefined, m: IfcfgMigration): boolean {
  return getVar(nic, 'BRIDGE') === m.bridge && bridgeFile !== undefined && getVar(bridgeFile, 'TYPE') === 'Bridge';
}

export function renderIfcfg(bridge: PortedBridge, read: ReadFile, linkMac?: (name: string) => string | null, defaultRouteNic?: string | null, list?: (dir: string) => string[]): IfcfgRender {
  const m = { nic: bridge.nic, bridge: bridge.name, mac: linkMac?.(bridge.nic) ?? null };
  const nicPath = `${IFCFG_DIR}/ifcfg-${bridge.nic}`;
  const brPath = `${IFCFG_DIR}/ifcfg-${bridge.name}`;
  const nicFile = read(nicPath);
  if (!nicFile) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: bridge.nic });
  const nic = parsedFile(nicFile, nicPath, parseIfcfg);
  const brFile = read(brPath);
  const br = brFile ? parsedFile(brFile, brPath, parseIfcfg) : undefined;
  if (isIfcfgMigrated(nic, br, m)) return { files: [], commands: [] };
  checkIfcfgFaithful(nic, bridge.nic, bridge.name, defaultRouteNic);
  checkIfcfgVlanChildren(IFCFG_DIR, bridge.nic, bridge.name, read, list?.(IFCFG_DIR) ?? []);
  const { nicAfter, bridgeText } = renderIfcfgMigration(nic, m);
  return {
    files: [
      { path: nicPath, mode: nicFile.mode, before: nicFile.text, after: nicAfter },
      { path: brPath, mode: brFile?.mode ?? '0644', before: brFile?.text ?? null, after: bridgeText },
      ...carriedRouteFiles(IFCFG_DIR, bridge.nic, bridge.name, read),
      ...carriedAliasFiles(IFCFG_DIR, bridge.nic, bridge.name, read, list?.(IFCFG_DIR) ?? []),
    ],
    commands: [
      { id: `ifdown-${bridge.nic}`, phase: 'before-edit', argv: ['ifdown', bridge.nic], undo: ['ifup', bridge.nic] },
      // seed 003: the bridge first, then the port that names it with BRIDGE=.
      { id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] },
      { id: `ifup-${bridge.nic}`, phase: 'after-edit', argv: ['ifup', bridge.nic], undo: ['ifdown', bridge.nic] },
    ],
  };
}

