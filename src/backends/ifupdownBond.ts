// bond-bridge on an ifupdown dom0 (Debian, ifenslave): the bond p<bridge> over the slaves with
// bond-slaves / bond-mode / bond-miimon, the bridge guests join over it (the addressed slave's
// address moves there), and the back-LAN bridge over the third NIC.
import type { BondSpec, PortedBridge } from '../model/topology.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import type { BackendRender } from './types.js';
import { parseInterfaces, type InterfacesFile } from '../parse/interfaces.js';
import { bridgeOptions, findNicFile, indentOf, isMigrated, renderInterfacesMigration } from './ifupdown.js';
import { InputError } from '../errors.js';

const MAIN = '/etc/network/interfaces';

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
