// ifcfg (RHEL/CentOS initscripts, seed 003): the network backend that persists a Topology's
// bridges and bonds in /etc/sysconfig/network-scripts/ifcfg-*. A NIC gets BRIDGE= and
// ifcfg-<bridge> gets TYPE=Bridge and the NIC's addressing; NM_CONTROLLED=no keeps
// NetworkManager out (seed 003 line 22). A bond is ifcfg-<bond> with BONDING_OPTS and the
// addressing of the slave that had it, each slave MASTER=/SLAVE=yes — bonding.txt's
// "Configuration with Initscripts Support" (the CentOS 5.3 copy seed 000 line 309 points to).
// Any name is a bond to initscripts when its file has BONDING_OPTS (network-functions,
// is_available → install_bonding_driver), so p<bridge> needs no TYPE=.
import { type IfcfgFile, getVar, parseIfcfg, removeVar, setVar } from '../parse/ifcfg.js';
import type { BondSpec, PortedBridge } from '../model/topology.js';
import { parsedFile, type FileChange, type ReadFile } from '../model/plan.js';
import { InputError } from '../errors.js';
import { IFCFG_DIR } from '../detect/profile.js';
import type { BackendRender, BridgeMigration, InternalBridge, NetworkBackend } from './types.js';

const ifcfgPath = (name: string) => `${IFCFG_DIR}/ifcfg-${name}`;

/** Addressing moves to the bridge; link settings (HWADDR, MTU, ONBOOT, NAME, UUID, …) stay. */
export const ADDRESSING = /^(IPADDR\d*|NETMASK\d*|PREFIX\d*|GATEWAY\d*|BROADCAST|NETWORK|DNS\d+|DOMAIN|PEERDNS|DEFROUTE|METRIC|IPV4_FAILURE_FATAL|IPV6INIT|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW|IPV6_AUTOCONF|IPV6_FAILURE_FATAL|IPV6_DEFROUTE|DHCP_HOSTNAME|PERSISTENT_DHCLIENT)$/;

export function renderIfcfgMigration(nic: IfcfgFile, m: BridgeMigration): { nicAfter: string; bridgeText: string } {
  const moved = nic.vars.filter((v) => ADDRESSING.test(v.key));
  let nicAfter = nic.text;
  for (const key of new Set(moved.map((v) => v.key))) nicAfter = removeVar(nicAfter, nic.file, key);
  const bootproto = getVar(nic, 'BOOTPROTO') ?? 'none';
  nicAfter = setVar(nicAfter, nic.file, 'BOOTPROTO', 'none');
  nicAfter = setVar(nicAfter, nic.file, 'BRIDGE', m.bridge);
  const mtu = getVar(nic, 'MTU');
  const bridge = [
    `DEVICE=${m.bridge}`,
    // Case matters: "Bridge" with a capital B (seed 003 line 49).
    'TYPE=Bridge',
    'ONBOOT=yes',
    `BOOTPROTO=${bootproto}`,
    ...moved.map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`),
    ...(mtu ? [`MTU=${mtu}`] : []),
    // seed 003 line 45: no forwarding delay; STP off so ports forward at once.
    'DELAY=0',
    'STP=off',
    'NM_CONTROLLED=no',
  ];
  return { nicAfter, bridgeText: bridge.join('\n') + '\n' };
}

export function isIfcfgMigrated(nic: IfcfgFile, bridgeFile: IfcfgFile | undefined, m: BridgeMigration): boolean {
  return getVar(nic, 'BRIDGE') === m.bridge && bridgeFile !== undefined && getVar(bridgeFile, 'TYPE') === 'Bridge';
}

export function renderIfcfg(bridge: PortedBridge, read: ReadFile): BackendRender {
  const m = { nic: bridge.nic, bridge: bridge.name };
  const nicPath = `${IFCFG_DIR}/ifcfg-${bridge.nic}`;
  const brPath = `${IFCFG_DIR}/ifcfg-${bridge.name}`;
  const nicFile = read(nicPath);
  if (!nicFile) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: bridge.nic });
  const nic = parsedFile(nicFile, nicPath, parseIfcfg);
  const brFile = read(brPath);
  const br = brFile ? parsedFile(brFile, brPath, parseIfcfg) : undefined;
  if (isIfcfgMigrated(nic, br, m)) return { files: [], commands: [] };
  const { nicAfter, bridgeText } = renderIfcfgMigration(nic, m);
  return {
    files: [
      { path: nicPath, mode: nicFile.mode, before: nicFile.text, after: nicAfter },
      { path: brPath, mode: brFile?.mode ?? '0644', before: brFile?.text ?? null, after: bridgeText },
    ],
    commands: [
      { id: `ifdown-${bridge.nic}`, phase: 'before-edit', argv: ['ifdown', bridge.nic], undo: ['ifup', bridge.nic] },
      // seed 003: the bridge first, then the port that names it with BRIDGE=.
      { id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] },
      { id: `ifup-${bridge.nic}`, phase: 'after-edit', argv: ['ifup', bridge.nic], undo: ['ifdown', bridge.nic] },
    ],
  };
}

export interface IfcfgBondSpec {
  bond: BondSpec;
  /** The name the bond is created with at boot: on xend the bridge's, renamed by network-bridge-bonding. */
  device: string;
  /** xl: the bridge the bond is a port of (its ifcfg file is written too); xend: null. */
  bridge: string | null;
}

function slaveText(file: IfcfgFile | null, nic: string, master: string): string {
  // bonding.txt's slave file: DEVICE, USERCTL=no, ONBOOT=yes, MASTER=, SLAVE=yes, BOOTPROTO=none.
  let text = file?.text ?? `DEVICE=${nic}\n`;
  for (const key of new Set((file?.vars ?? []).filter((v) => ADDRESSING.test(v.key) || v.key === 'BRIDGE').map((v) => v.key))) text = removeVar(text, ifcfgPath(nic), key);
  for (const [k, v] of [['BOOTPROTO', 'none'], ['ONBOOT', 'yes'], ['MASTER', master], ['SLAVE', 'yes'], ['USERCTL', 'no']]) {
    text = setVar(text, ifcfgPath(nic), k, v);
  }
  return text;
}

export function renderIfcfgBond(spec: IfcfgBondSpec, read: ReadFile): FileChange[] {
  const { bond, device, bridge } = spec;
  const slaves = bond.slaves.map((nic) => {
    const raw = read(ifcfgPath(nic));
    return { nic, raw, file: raw ? parsedFile(raw, ifcfgPath(nic), parseIfcfg) : null };
  });
  const masterPath = ifcfgPath(device);
  const masterRaw = read(masterPath);
  const changes: FileChange[] = [];
  const put = (path: string, raw: { text: string; mode: string } | null, after: string) => {
    if (raw?.text !== after) changes.push({ path, mode: raw?.mode ?? '0644', before: raw?.text ?? null, after });
  };
  // Already a slave of this bond: the addressing left it on the first run; keep what is there.
  const addressed = slaves.find((s) => s.file && getVar(s.file, 'MASTER') !== device && s.file.vars.some((v) => /^IPADDR\d*$/.test(v.key) || (v.key === 'BOOTPROTO' && /dhcp/.test(v.value))));
  const opts = `BONDING_OPTS="mode=${bond.mode} miimon=${bond.miimon}"`;
  if (!addressed && masterRaw) {
    // Second run: the master exists; only its options may have changed.
    const master = parsedFile(masterRaw, masterPath, parseIfcfg);
    const after = getVar(master, 'BONDING_OPTS') !== undefined
      ? setVar(masterRaw.text, masterPath, 'BONDING_OPTS', `mode=${bond.mode} miimon=${bond.miimon}`)
      : masterRaw.text + (masterRaw.text.endsWith('\n') ? '' : '\n') + opts + '\n';
    put(masterPath, masterRaw, after);
  } else if (bridge) {
    const from = addressed?.file ?? parseIfcfg('BOOTPROTO=none\n', masterPath);
    const { bridgeText } = renderIfcfgMigration(from, { nic: device, bridge });
    put(masterPath, masterRaw, [`DEVICE=${device}`, 'ONBOOT=yes', 'BOOTPROTO=none', 'USERCTL=no', opts, `BRIDGE=${bridge}`, 'NM_CONTROLLED=no', ''].join('\n'));
    const bridgePath = ifcfgPath(bridge);
    put(bridgePath, read(bridgePath), bridgeText);
  } else {
    const moved = (addressed?.file?.vars ?? []).filter((v) => ADDRESSING.test(v.key)).map((v) => `${v.key}=${v.quote}${v.value}${v.quote}`);
    const proto = addressed?.file ? (getVar(addressed.file, 'BOOTPROTO') ?? 'none') : 'none';
    // The order of bonding.txt's example: DEVICE, addressing, ONBOOT, BOOTPROTO, USERCTL, options.
    put(masterPath, masterRaw, [`DEVICE=${device}`, ...moved, 'ONBOOT=yes', `BOOTPROTO=${proto}`, 'USERCTL=no', opts, ''].join('\n'));
  }
  for (const s of slaves) put(ifcfgPath(s.nic), s.raw, slaveText(s.file, s.nic, device));
  return changes;
}

/**
 * bond-bridge on xl: the bond gets BRIDGE= of the main bridge, which takes the addressed slave's
 * addressing; the back bridge goes over the third NIC.
 */
function renderIfcfgBondBridges(bond: BondSpec, main: PortedBridge, back: PortedBridge, read: ReadFile): BackendRender {
  const files = renderIfcfgBond({ bond, device: bond.name, bridge: main.name }, read);
  const backend = renderIfcfg(back, read);
  const commands: BackendRender['commands'] = [];
  if (files.length > 0) {
    for (const s of bond.slaves) commands.push({ id: `ifdown-${s}`, phase: 'before-edit', argv: ['ifdown', s], undo: ['ifup', s] });
    // seed 003: the bridge first, then its port (the bond enslaves the slaves naming it MASTER=).
    commands.push(
      { id: `ifup-${main.name}`, phase: 'after-edit', argv: ['ifup', main.name], undo: ['ifdown', main.name] },
      { id: `ifup-${bond.name}`, phase: 'after-edit', argv: ['ifup', bond.name], undo: ['ifdown', bond.name] },
    );
  }
  return { files: [...files, ...backend.files], commands: [...commands, ...backend.commands] };
}

/** RHEL-like xl hosts (seed 003): ifcfg-<bridge> TYPE=Bridge, and the NIC's BRIDGE= when it has one. */
export function renderInternalIfcfg(spec: InternalBridge, read: ReadFile): BackendRender {
  const { bridge } = spec;
  const brPath = ifcfgPath(bridge.name);
  const brFile = read(brPath);
  const files: FileChange[] = [];
  const text = [
    `DEVICE=${bridge.name}`,
    'TYPE=Bridge',
    'ONBOOT=yes',
    `BOOTPROTO=${bridge.address ? 'static' : 'none'}`,
    ...(bridge.address ? [`IPADDR=${bridge.address.ip}`, `PREFIX=${bridge.address.prefix}`] : []),
    ...(spec.mac ? [`MACADDR=${spec.mac}`] : []),
    'DELAY=0',
    'STP=off',
    'NM_CONTROLLED=no',
    '',
  ].join('\n');
  if (brFile && getVar(parsedFile(brFile, brPath, parseIfcfg), 'TYPE') !== 'Bridge') {
    throw new InputError('error.internalBridgeConfigured', { bridge: bridge.name, file: brPath, line: 1 });
  }
  if (brFile?.text !== text) files.push({ path: brPath, mode: brFile?.mode ?? '0644', before: brFile?.text ?? null, after: text });
  if (bridge.nic) {
    const nicPath = ifcfgPath(bridge.nic);
    const nicFile = read(nicPath);
    if (nicFile) {
      const nic = parsedFile(nicFile, nicPath, parseIfcfg);
      const proto = getVar(nic, 'BOOTPROTO') ?? 'none';
      if (getVar(nic, 'IPADDR') || /^(dhcp|bootp)$/i.test(proto)) {
        throw new InputError('error.internalNicConfigured', { nic: bridge.nic, file: nicPath, line: 1, method: proto });
      }
      const after = setVar(nicFile.text, nicPath, 'BRIDGE', bridge.name);
      if (after !== nicFile.text) files.push({ path: nicPath, mode: nicFile.mode, before: nicFile.text, after });
    } else {
      const after = [`DEVICE=${bridge.nic}`, 'ONBOOT=yes', 'BOOTPROTO=none', `BRIDGE=${bridge.name}`, 'NM_CONTROLLED=no', ''].join('\n');
      files.push({ path: nicPath, mode: '0644', before: null, after });
    }
  }
  if (files.length === 0) return { files, commands: [] };
  return {
    files,
    commands: [
      // seed 003: the bridge first, then the port that names it with BRIDGE=.
      { id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] },
      ...(bridge.nic ? [{ id: `ifup-${bridge.nic}`, phase: 'after-edit' as const, argv: ['ifup', bridge.nic], undo: ['ifdown', bridge.nic] }] : []),
    ],
  };
}

export const ifcfg: NetworkBackend = {
  id: 'ifcfg',
  portedBridge: (bridge, { read }) => renderIfcfg(bridge, read),
  bondBridges: (bond, main, back, { read }) => renderIfcfgBondBridges(bond, main, back, read),
  internalBridge: (spec, { read }) => renderInternalIfcfg(spec, read),
  configuredMac(name, { read }) {
    const file = read(ifcfgPath(name));
    return file ? getVar(parsedFile(file, ifcfgPath(name), parseIfcfg), 'MACADDR')?.toLowerCase() ?? null : null;
  },
};
