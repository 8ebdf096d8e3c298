// xl artifacts of recipe internal-dummy: the internal-only bridge persisted in the distro's own
// config. No dummy0 on xl (README.md beside it): the guide needs one only because
// xend's network-bridge builds a bridge around a netdev (seed 000 line 203); ifupdown and ifcfg
// create a bridge with no port at all, which the kernel keeps up with its address, and guests'
// vifs join it through vif-bridge. A fixed MAC on the bridge (hwaddress / MACADDR) plays the
// role of the dummy's MACADDR (line 216): without it the bridge takes its lowest port's MAC, so
// dom0's address would change MAC as guests come and go.
import type { FileChange, ReadFile } from '../../model/plan.js';
import type { BridgeSpec } from '../../model/topology.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import type { BackendRender } from '../../backends/types.js';
import type { Backend } from '../../model/host.js';
import { InputError } from '../../errors.js';
import { parseIfcfg, getVar, setVar } from '../../parse/ifcfg.js';
import { ifcfgPath } from './xend.js';

export const INTERFACES = '/etc/network/interfaces';

export interface InternalBridge {
  bridge: BridgeSpec;
  /** A fixed MAC for a bridge with no port; null when a NIC is its port (the bridge takes its MAC). */
  mac: string | null;
}

const cidr = (a: NonNullable<BridgeSpec['address']>) => `${a.ip}/${a.prefix}`;

/** The MAC an existing stanza or ifcfg of the bridge gives (kept by `internal.mac: "auto"`). */
export function existingBridgeMac(backend: Backend, name: string, files: InterfacesFile[], read: ReadFile): string | null {
  if (backend === 'ifcfg') {
    const file = read(ifcfgPath(name));
    return file ? getVar(parseIfcfg(file.text, ifcfgPath(name)), 'MACADDR')?.toLowerCase() ?? null : null;
  }
  const option = files.flatMap((f) => f.ifaces).find((s) => s.name === name)?.options.find((o) => o.key === 'hwaddress');
  return option ? option.value.split(/\s+/).at(-1)!.toLowerCase() : null;
}

/** A port of the internal bridge must not carry an address of its own. */
function checkNicStanza(files: InterfacesFile[], nic: string): void {
  for (const f of files) {
    for (const s of f.ifaces) {
      if (s.name === nic && s.family === 'inet' && s.method !== 'manual') {
        throw new InputError('error.internalNicConfigured', { nic, file: f.file, line: s.startLine + 1, method: s.method });
      }
    }
  }
}

export function renderInternalIfupdown(spec: InternalBridge, files: InterfacesFile[], read: ReadFile): BackendRender {
  const { bridge } = spec;
  const configured = files.find((f) => f.ifaces.some((s) => s.name === bridge.name));
  if (configured) {
    const stanza = configured.ifaces.find((s) => s.name === bridge.name)!;
    const ports = stanza.options.filter((o) => o.key === 'bridge_ports' || o.key === 'bridge-ports').map((o) => o.value.trim()).join(' ');
    if (ports === (bridge.nic ?? 'none')) return { files: [], commands: [] };
    throw new InputError('error.internalBridgeConfigured', { bridge: bridge.name, file: configured.file, line: stanza.startLine + 1 });
  }
  if (bridge.nic) checkNicStanza(files, bridge.nic);
  const home = files.find((f) => f.file === INTERFACES) ?? files[0];
  const file = read(home?.file ?? INTERFACES);
  const before = file?.text ?? '';
  const sample = home?.ifaces.flatMap((s) => s.options)[0];
  const indent = (sample && /^\s*/.exec(home!.lines[sample.line])![0]) || '    ';
  const block = [
    '',
    '# Internal-only bridge for the guests, created by xen-net-wizard (seed 000: internal-dummy).',
    `# ${bridge.nic ? `Its port is ${bridge.nic}, a NIC on no other network.` : 'No port and no dummy0: a bridge without ports is valid, vifs join it when guests start.'}`,
    `auto ${bridge.name}`,
    `iface ${bridge.name} inet ${bridge.address ? 'static' : 'manual'}`,
    ...(bridge.address ? [`${indent}address ${cidr(bridge.address)}`] : []),
    ...(spec.mac ? [`${indent}hwaddress ${spec.mac}`] : []),
    // STP off with no forward delay: a vif forwards the moment vif-bridge adds it.
    `${indent}bridge_ports ${bridge.nic ?? 'none'}`,
    `${indent}bridge_stp off`,
    `${indent}bridge_fd 0`,
    `${indent}bridge_maxwait 0`,
    '',
  ];
  const after = before + (before === '' || before.endsWith('\n') ? '' : '\n') + block.join('\n');
  const path = home?.file ?? INTERFACES;
  return {
    files: [{ path, mode: file?.mode ?? '0644', before: file ? before : null, after }],
    commands: [{ id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] }],
  };
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
  if (brFile && getVar(parseIfcfg(brFile.text, brPath), 'TYPE') !== 'Bridge') {
    throw new InputError('error.internalBridgeConfigured', { bridge: bridge.name, file: brPath, line: 1 });
  }
  if (brFile?.text !== text) files.push({ path: brPath, mode: brFile?.mode ?? '0644', before: brFile?.text ?? null, after: text });
  if (bridge.nic) {
    const nicPath = ifcfgPath(bridge.nic);
    const nicFile = read(nicPath);
    if (nicFile) {
      const nic = parseIfcfg(nicFile.text, nicPath);
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

export function renderInternalBackend(backend: Backend, spec: InternalBridge, files: InterfacesFile[], read: ReadFile): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderInternalIfupdown(spec, files, read);
    case 'ifcfg': return renderInternalIfcfg(spec, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}
