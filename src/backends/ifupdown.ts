// The NIC of an interfaces(5) file becomes a port of a new bridge that takes over its addressing.
// Everything outside the NIC's stanzas stays byte-identical; the bridge block goes right after them.
import type { IfaceStanza, InterfacesFile } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import type { PortedBridge } from '../model/topology.js';
import type { ReadFile } from '../model/plan.js';
import type { BackendRender, BridgeMigration } from './types.js';

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
