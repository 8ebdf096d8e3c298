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
import { ADDRESSING, renderIfcfg, renderIfcfgMigration } from '../render/ifcfgBridge.js';
import { shadowRenameCommands, trunkNowCommands, type BackendRender, type InternalBridge, type NetworkBackend, type ShadowRename, type VlanLayout } from './types.js';

const ifcfgPath = (name: string) => `${IFCFG_DIR}/ifcfg-${name}`;

// The ported bridge in ifcfg form is shared with NetworkManager's ifcfg-rh (src/render/ifcfgBridge.ts).
export { ADDRESSING, isIfcfgMigrated, renderIfcfg, renderIfcfgMigration } from '../render/ifcfgBridge.js';

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

// Recipe shadow-bridge on ifcfg: initscripts' rename_device names a NIC after the ifcfg file
// whose HWADDR it has, so ifcfg-s<nic> carries the HWADDR and BRIDGE=<nic>, and ifcfg-<nic>
// becomes TYPE=Bridge with the NIC's MAC (MACADDR, seed 001 line 139) and all its addressing.
/** Link-level settings that stay with the NIC in ifcfg-s<nic>; the rest stays with the name. */
const PORT_VARS = /^(HWADDR|MACADDR|MTU|ETHTOOL_OPTS|NM_CONTROLLED)$/;

export function renderShadowIfcfg(s: ShadowRename, read: ReadFile): BackendRender {
  const nicPath = `${IFCFG_DIR}/ifcfg-${s.nic}`;
  const portPath = `${IFCFG_DIR}/ifcfg-${s.port}`;
  const nicFile = read(nicPath);
  if (!nicFile) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: s.nic });
  const nic = parseIfcfg(nicFile.text, nicPath);
  const portFile = read(portPath);
  if (getVar(nic, 'TYPE') === 'Bridge' && portFile && getVar(parseIfcfg(portFile.text, portPath), 'BRIDGE') === s.nic) return { files: [], commands: [] };
  const mac = getVar(nic, 'HWADDR') ?? s.mac;
  let bridgeText = nicFile.text;
  for (const key of ['HWADDR', 'MACADDR', 'ETHTOOL_OPTS', 'NAME', 'UUID']) bridgeText = removeVar(bridgeText, nicPath, key);
  bridgeText = setVar(bridgeText, nicPath, 'TYPE', 'Bridge');
  bridgeText = setVar(bridgeText, nicPath, 'DELAY', '0');
  bridgeText = setVar(bridgeText, nicPath, 'STP', 'off');
  bridgeText = setVar(bridgeText, nicPath, 'MACADDR', mac);
  const kept = nic.vars.filter((v) => PORT_VARS.test(v.key) && v.key !== 'HWADDR');
  const portText = [
    `# xen-net-wizard: recipe shadow-bridge (seed 001): the NIC with this HWADDR is named ${s.port}`,
    `# (initscripts' rename_device), a port of the bridge ${s.nic}.`,
    `DEVICE=${s.port}`,
    `HWADDR=${mac}`,
    'ONBOOT=yes',
    'BOOTPROTO=none',
    `BRIDGE=${s.nic}`,
    ...kept.map((v) => `${v.key}=${v.quote}${v.value.replaceAll(s.nic, s.port)}${v.quote}`),
    '',
  ].join('\n');
  return {
    files: [
      { path: nicPath, mode: nicFile.mode, before: nicFile.text, after: bridgeText },
      { path: portPath, mode: portFile?.mode ?? '0644', before: portFile?.text ?? null, after: portText },
    ],
    commands: shadowRenameCommands(s, [s.nic, s.port]),
  };
}

// Recipe vlan-bridges on ifcfg (both eras: initscripts know VLAN=yes and BRIDGE= since RHEL 5):
// ifcfg-eth0.293 with VLAN=yes and BRIDGE=xen-br293, ifcfg-xen-br293 TYPE=Bridge; MTU=1496 and
// ETHTOOL_OPTS="-K eth0 tx off" on the trunk NIC when answered (seed 002 lines 111, 113).
/** ifcfg form: the VLAN device (VLAN=yes) names its bridge; the trunk NIC gets MTU/ETHTOOL_OPTS. */
export function renderVlanIfcfg(layout: VlanLayout, read: ReadFile): BackendRender {
  const files: FileChange[] = [];
  const commands: BackendRender['commands'] = [];
  const nicPath = `${IFCFG_DIR}/ifcfg-${layout.nic}`;
  const nicFile = read(nicPath);
  if ((layout.mtu1496 || layout.txOff) && !nicFile) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: layout.nic });
  const ethtool = `-K ${layout.nic} tx off`;
  if (nicFile) {
    let text = nicFile.text;
    if (layout.mtu1496) text = setVar(text, nicPath, 'MTU', '1496');
    const current = parseIfcfg(text, nicPath).vars.filter((v) => v.key === 'ETHTOOL_OPTS').pop();
    // A value with spaces must be quoted for the shell that sources the file; setVar keeps an existing quote.
    if (layout.txOff && current?.value !== ethtool) text = setVar(text, nicPath, 'ETHTOOL_OPTS', current?.quote ? ethtool : `"${ethtool}"`);
    if (text !== nicFile.text) {
      files.push({ path: nicPath, mode: nicFile.mode, before: nicFile.text, after: text });
      const before = parseIfcfg(nicFile.text, nicPath);
      const had = (k: string, v: string) => before.vars.some((x) => x.key === k && x.value === v);
      commands.push(...trunkNowCommands(layout.nic, layout.mtu1496 && !had('MTU', '1496'), layout.txOff && !had('ETHTOOL_OPTS', ethtool)));
    }
  }
  for (const v of layout.vlans) {
    const devPath = `${IFCFG_DIR}/ifcfg-${v.dev}`;
    const brPath = `${IFCFG_DIR}/ifcfg-${v.bridge}`;
    const dev = [`DEVICE=${v.dev}`, 'VLAN=yes', 'ONBOOT=yes', 'BOOTPROTO=none', `BRIDGE=${v.bridge}`, 'NM_CONTROLLED=no', ''].join('\n');
    const br = [`DEVICE=${v.bridge}`, 'TYPE=Bridge', 'ONBOOT=yes', 'BOOTPROTO=none', 'DELAY=0', 'STP=off', 'NM_CONTROLLED=no', ''].join('\n');
    const header = `# xen-net-wizard: recipe vlan-bridges (seed 002 lines 97–104): VLAN ${v.id} of ${layout.nic}\n`;
    let fresh = false;
    for (const [p, text] of [[brPath, header + br], [devPath, header + dev]] as const) {
      const existing = read(p);
      if (existing?.text === text) continue;
      files.push({ path: p, mode: existing?.mode ?? '0644', before: existing?.text ?? null, after: text });
      fresh = true;
    }
    if (fresh) {
      commands.push({ id: `ifup-${v.bridge}`, phase: 'after-edit', argv: ['ifup', v.bridge], undo: ['ifdown', v.bridge] });
      commands.push({ id: `ifup-${v.dev}`, phase: 'after-edit', argv: ['ifup', v.dev], undo: ['ifdown', v.dev] });
    }
  }
  return { files, commands };
}

export const ifcfg: NetworkBackend = {
  shadowBridge: (s, files) => renderShadowIfcfg(s, files.read),
  vlanBridges: (layout, _era, files) => renderVlanIfcfg(layout, files.read),

  id: 'ifcfg',
  readsFilesOnlyAtBoot: true,
  portedBridge: (bridge, { read, linkMac, defaultRouteNic, list }) => renderIfcfg(bridge, read, linkMac, defaultRouteNic, list),
  bondBridges: (bond, main, back, { read }) => renderIfcfgBondBridges(bond, main, back, read),
  internalBridge: (spec, { read }) => renderInternalIfcfg(spec, read),
  configuredMac(name, { read }) {
    const file = read(ifcfgPath(name));
    return file ? getVar(parsedFile(file, ifcfgPath(name), parseIfcfg), 'MACADDR')?.toLowerCase() ?? null : null;
  },
};
