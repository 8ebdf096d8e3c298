// ifupdown (Debian's interfaces(5), ifenslave for bonds): the network backend that persists a
// Topology's bridges and bonds in /etc/network/interfaces and its sourced parts, and brings them
// up and down with ifup/ifdown. A NIC that becomes a port of a bridge keeps only its link settings;
// everything outside the stanzas it touches stays byte-identical.
import type { IfaceStanza, InterfacesFile } from '../parse/interfaces.js';
import { parseInterfaces } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import type { BondSpec, BridgeSpec, PortedBridge } from '../model/topology.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import type { BackendRender, BridgeMigration, InternalBridge, NetworkBackend } from './types.js';

const MAIN = '/etc/network/interfaces';

const portsOf = (s: IfaceStanza) =>
  s.options.filter((o) => o.key === 'bridge_ports' || o.key === 'bridge-ports').flatMap((o) => o.value.split(/\s+/));

export function bridgeStanzaFor(file: InterfacesFile, bridge: string): IfaceStanza | undefined {
  return file.ifaces.find((s) => s.name === bridge);
}

export function isMigrated(file: InterfacesFile, m: BridgeMigration): boolean {
  return file.ifaces.some((s) => s.name === m.bridge && portsOf(s).includes(m.port ?? m.nic));
}

export function findNicFile(files: InterfacesFile[], nic: string): InterfacesFile | undefined {
  return files.find((f) => f.ifaces.some((s) => s.name === nic && s.family !== 'can'));
}

/**
 * What stays with the NIC: link-level settings (its MAC, MTU, ethtool/`ip link` hooks). The
 * addressing (address, netmask, gateway, dns-*, routes in up-lines, …) moves to the bridge.
 */
function staysWithNic(key: string, value: string): boolean {
  if (key === 'hwaddress' || key === 'mtu' || key.startsWith('ethernet-') || key.startsWith('link-')) return true;
  return /^(pre-up|up|post-up|down|pre-down|post-down)$/.test(key) && /\b(ethtool|ip link set)\b/.test(value);
}

/**
 * STP on with the default 15 s forward delay drops all traffic ~30 s; bridge-utils waits up to
 * 2 s for ports otherwise (bridge-utils-interfaces(5)).
 */
export function bridgeOptions(indent: string, port: string): string[] {
  return [`${indent}bridge_ports ${port}`, `${indent}bridge_stp off`, `${indent}bridge_fd 0`, `${indent}bridge_maxwait 0`];
}

export function indentOf(file: InterfacesFile, stanza: IfaceStanza): string {
  const first = stanza.options[0];
  return first ? /^\s*/.exec(file.lines[first.line])![0] || '    ' : '    ';
}

export function renderInterfacesMigration(file: InterfacesFile, m: BridgeMigration): string {
  if (isMigrated(file, m)) return file.text;
  const stanzas = file.ifaces.filter((s) => s.name === m.nic);
  if (stanzas.length === 0) throw new InputError('error.nicNotInInterfaces', { file: file.file, nic: m.nic });
  const indent = indentOf(file, stanzas[0]);
  const out = [...file.lines];
  const bridgeBlock: string[] = ['', `# Xen bridge for guests, created by xen-net-wizard (seed 000: ${m.recipe ?? 'single-bridge'})`, ...(m.prelude ?? []), `auto ${m.bridge}`];
  stanzas.forEach((stanza, n) => {
    const keep: string[] = [];
    const move: string[] = [];
    let comments: string[] = [];
    for (let i = stanza.startLine + 1; i <= stanza.endLine; i++) {
      const line = file.lines[i];
      const option = stanza.options.find((o) => o.line === i);
      if (!option) {
        // A comment (or continuation) goes with the option it introduces.
        if (line.trim().startsWith('#') || line.trim() === '') comments.push(line);
        continue;
      }
      const target = staysWithNic(option.key, option.value) ? keep : move;
      target.push(...comments, `${indent}${option.key}${option.value ? ' ' + option.value : ''}`);
      comments = [];
      if (option.key === 'mtu') move.push(`${indent}mtu ${option.value}`);
    }
    const method = stanza.method === 'manual' || stanza.method === 'loopback' ? 'manual' : stanza.method;
    const nicLines = [`iface ${m.nic} ${stanza.family} manual`, ...keep, ...comments];
    out.splice(stanza.startLine, stanza.endLine - stanza.startLine + 1, ...nicLines, ...Array(stanza.endLine - stanza.startLine + 1 - nicLines.length).fill(null));
    bridgeBlock.push(`iface ${m.bridge} ${stanza.family} ${method}`, ...move);
    if (n === 0) {
      bridgeBlock.push(...bridgeOptions(indent, m.port ?? m.nic));
    }
  });
  const lastEnd = Math.max(...stanzas.map((s) => s.endLine));
  out.splice(lastEnd + 1, 0, ...bridgeBlock);
  return out.filter((l): l is string => l !== null).join('\n');
}

export function renderIfupdown(bridge: PortedBridge, files: InterfacesFile[], read: ReadFile): BackendRender {
  const m = { nic: bridge.nic, bridge: bridge.name };
  if (files.some((f) => isMigrated(f, m))) return { files: [], commands: [] };
  const home = findNicFile(files, bridge.nic);
  if (!home) throw new InputError('error.nicNotInInterfaces', { file: '/etc/network/interfaces', nic: bridge.nic });
  const after = renderInterfacesMigration(home, m);
  return {
    files: [{ path: home.file, mode: read(home.file)?.mode ?? '0644', before: home.text, after }],
    commands: [
      // ifdown reads the method from the file: it must run while the file still says static/dhcp.
      { id: `ifdown-${bridge.nic}`, phase: 'before-edit', argv: ['ifdown', bridge.nic], undo: ['ifup', bridge.nic] },
      { id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] },
    ],
  };
}

/** ifenslave's options (ifenslave README.Debian): slaves listed on the master, no bond-master on slaves. */
export function bondStanza(bond: BondSpec, indent: string): string[] {
  return [
    `auto ${bond.name}`,
    `iface ${bond.name} inet manual`,
    `${indent}bond-slaves ${bond.slaves.join(' ')}`,
    `${indent}bond-mode ${bond.mode}`,
    `${indent}bond-miimon ${bond.miimon}`,
    '',
  ];
}

/** A bridge whose port had no stanza: no address of its own (the back LAN, seed 000 line 305). */
function bareBridge(bridge: PortedBridge, indent: string, prelude: string[] = []): string[] {
  return ['', '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)', ...prelude,
    `auto ${bridge.name}`, `iface ${bridge.name} inet manual`, ...bridgeOptions(indent, bridge.nic)];
}

/** The file's own indentation (tabs or spaces), from its first stanza with options. */
function fileIndent(files: InterfacesFile[]): string {
  for (const f of files) for (const s of f.ifaces) if (s.options.length) return indentOf(f, s);
  return '    ';
}

const isManual = (f: InterfacesFile, nic: string) => f.ifaces.filter((s) => s.name === nic).every((s) => s.method === 'manual');

export function renderIfupdownBond(bond: BondSpec, main: PortedBridge, back: PortedBridge, files: InterfacesFile[], read: ReadFile): BackendRender {
  const texts = new Map(files.map((f) => [f.file, f.text]));
  const current = () => [...texts].map(([file, text]) => parseInterfaces(text, file));
  const edit = (file: string, after: string) => texts.set(file, after);
  const appendTo = (lines: string[]) => {
    const file = texts.has(MAIN) ? MAIN : (files[0]?.file ?? MAIN);
    const text = texts.get(file) ?? '';
    edit(file, text + (text === '' || text.endsWith('\n') ? '' : '\n') + lines.join('\n') + '\n');
  };
  const commands: BackendRender['commands'] = [];
  const indent = fileIndent(files);
  const addressed = bond.slaves.find((s) => findNicFile(files, s) && !isManual(findNicFile(files, s)!, s)) ?? null;
  for (const s of bond.slaves) {
    const home = findNicFile(files, s);
    // A second slave with an address of its own: which one should the bridge take? Ask the admin.
    if (home && s !== addressed && !isManual(home, s)) throw new InputError('error.bondSlaveAddressed', { file: home.file, nic: s, other: addressed ?? '-' });
  }
  const m = { nic: addressed ?? bond.slaves[0], bridge: main.name, port: bond.name, prelude: bondStanza(bond, indent), recipe: 'bond-bridge' };
  if (!current().some((f) => isMigrated(f, m))) {
    const home = addressed ? findNicFile(current(), addressed) : undefined;
    if (home) {
      edit(home.file, renderInterfacesMigration(home, m));
      // ifdown reads the method from the file: it must run while the file still says static/dhcp.
      commands.push({ id: `ifdown-${addressed}`, phase: 'before-edit', argv: ['ifdown', addressed!], undo: ['ifup', addressed!] });
    } else {
      appendTo(bareBridge(main, indent, bondStanza(bond, indent)));
    }
    commands.push(
      { id: `ifup-${bond.name}`, phase: 'after-edit', argv: ['ifup', bond.name], undo: ['ifdown', bond.name] },
      { id: `ifup-${main.name}`, phase: 'after-edit', argv: ['ifup', main.name], undo: ['ifdown', main.name] },
    );
  }
  const b = { nic: back.nic, bridge: back.name, recipe: 'bond-bridge' };
  if (!current().some((f) => isMigrated(f, b))) {
    const home = findNicFile(current(), back.nic);
    if (home) {
      edit(home.file, renderInterfacesMigration(home, b));
      commands.splice(0, 0, { id: `ifdown-${back.nic}`, phase: 'before-edit', argv: ['ifdown', back.nic], undo: ['ifup', back.nic] });
    } else {
      appendTo(bareBridge(back, indent));
    }
    commands.push({ id: `ifup-${back.name}`, phase: 'after-edit', argv: ['ifup', back.name], undo: ['ifdown', back.name] });
  }
  const changes: FileChange[] = [];
  for (const [file, after] of texts) {
    const before = files.find((f) => f.file === file)?.text ?? null;
    if (after !== before) changes.push({ path: file, mode: read(file)?.mode ?? '0644', before, after });
  }
  return { files: changes, commands };
}

const cidr = (a: NonNullable<BridgeSpec['address']>) => `${a.ip}/${a.prefix}`;

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
  const home = files.find((f) => f.file === MAIN) ?? files[0];
  const file = read(home?.file ?? MAIN);
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
  const path = home?.file ?? MAIN;
  return {
    files: [{ path, mode: file?.mode ?? '0644', before: file ? before : null, after }],
    commands: [{ id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] }],
  };
}

export const ifupdown: NetworkBackend = {
  id: 'ifupdown',
  portedBridge: (bridge, { interfaces, read }) => renderIfupdown(bridge, interfaces, read),
  bondBridges: (bond, main, back, { interfaces, read }) => renderIfupdownBond(bond, main, back, interfaces, read),
  internalBridge: (spec, { interfaces, read }) => renderInternalIfupdown(spec, interfaces, read),
  configuredMac(name, { interfaces }) {
    const option = interfaces.flatMap((f) => f.ifaces).find((s) => s.name === name)?.options.find((o) => o.key === 'hwaddress');
    return option ? option.value.split(/\s+/).at(-1)!.toLowerCase() : null;
  },
};
