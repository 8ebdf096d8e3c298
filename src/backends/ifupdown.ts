// ifupdown (Debian's interfaces(5), ifenslave for bonds): the network backend that persists a
// Topology's bridges and bonds in /etc/network/interfaces and its sourced parts, and brings them
// up and down with ifup/ifdown. A NIC that becomes a port of a bridge keeps only its link settings;
// everything outside the stanzas it touches stays byte-identical.
import type { IfaceStanza, InterfacesFile } from '../parse/interfaces.js';
import { parseInterfaces } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import type { BondSpec, BridgeSpec, PortedBridge } from '../model/topology.js';
import type { FileChange, ReadFile } from '../model/plan.js';
import { SCRIPTS_DIR } from '../render/xend.js';
import { checkIfupdownFaithful, takeAliases } from './ifupdown/faithful.js';
import { withPrerequisites } from '../render/bootPrerequisites.js';
import { ownedFile, shadowRenameCommands, trunkNowCommands, type BackendRender, type BridgeMigration, type InterfacesStyle, type InternalBridge, type NetworkBackend, type ShadowRename, type Vlan, type VlanLayout } from './types.js';

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
export function staysWithNic(key: string, value: string): boolean {
  // description: ifupdown sets it (ip link set … alias) before the pre-up hooks, so on a bridge
  // stanza it runs before bridge-utils creates the bridge and the bridge never comes up (found by
  // the equivalence oracle on ifupdown's tests/linux/testcase.17).
  if (key === 'hwaddress' || key === 'mtu' || key === 'description' || key.startsWith('ethernet-') || key.startsWith('link-')) return true;
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
    // A DHCP lease is keyed on the MAC: the bridge keeps the NIC's (the NIC's own hwaddress first).
    const own = stanza.options.find((o) => o.key === 'hwaddress')?.value.split(/\s+/).at(-1);
    const mac = own ?? m.mac;
    if (stanza.family === 'inet' && stanza.method === 'dhcp' && mac) bridgeBlock.push(m.style ? m.style.hwaddress(indent, mac.toLowerCase()) : `${indent}hwaddress ether ${mac.toLowerCase()}`);
    if (n === 0) {
      bridgeBlock.push(...(m.style?.bridgeOptions ?? bridgeOptions)(indent, m.port ?? m.nic));
    }
  });
  // Aliases (nic:N) follow the bridge they now live on.
  const aliases = takeAliases(file, out, m.nic, m.bridge);
  if (aliases.length) bridgeBlock.push('', ...aliases);
  const lastEnd = Math.max(...stanzas.map((s) => s.endLine));
  out.splice(lastEnd + 1, 0, ...bridgeBlock);
  return out.filter((l): l is string => l !== null).join('\n');
}

export function renderIfupdown(bridge: PortedBridge, files: InterfacesFile[], read: ReadFile, linkMac?: (name: string) => string | null, defaultRouteNic?: string | null): BackendRender {
  const m = { nic: bridge.nic, bridge: bridge.name, mac: linkMac?.(bridge.nic) ?? null };
  if (files.some((f) => isMigrated(f, m))) return { files: [], commands: [] };
  checkIfupdownFaithful(files, { nic: bridge.nic, bridge: bridge.name, defaultRouteNic });
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

export function renderInternalIfupdown(spec: InternalBridge, files: InterfacesFile[], read: ReadFile, style?: InterfacesStyle): BackendRender {
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
    ...(style?.bridgeOptions ?? bridgeOptions)(indent, bridge.nic ?? 'none'),
    '',
  ];
  const after = before + (before === '' || before.endsWith('\n') ? '' : '\n') + block.join('\n');
  const path = home?.file ?? MAIN;
  return {
    files: [{ path, mode: file?.mode ?? '0644', before: file ? before : null, after }],
    commands: [{ id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] }],
  };
}

// Recipe shadow-bridge on ifupdown (seed 001 lines 134–139 the xl way): a systemd .link file
// names the NIC s<nic> at boot by its permanent MAC (udev, also in the initramfs), and the NIC's
// own stanza in interfaces(5) gains bridge_ports s<nic>: every address, route and `up` hook written
// for the NIC now applies to the bridge of that name.
export const linkFilePath = (s: ShadowRename) => `/etc/systemd/network/10-xen-net-wizard-${s.port}.link`;

/** The rename at boot, by the NIC's permanent address: a bridge (which has none) never matches. */
export function renderLinkFile(s: ShadowRename): string {
  return [
    `# xen-net-wizard: recipe shadow-bridge (seed 001 lines 134–136). The NIC with this permanent`,
    `# address is named ${s.port}, so that ${s.nic} is the bridge over it (/etc/network/interfaces).`,
    '[Match]',
    `PermanentMACAddress=${s.mac}`,
    '',
    '[Link]',
    `Name=${s.port}`,
    '',
  ].join('\n');
}


export function isShadowMigrated(files: InterfacesFile[], s: ShadowRename): boolean {
  return files.some((f) => f.ifaces.some((st) => st.name === s.nic && portsOf(st).includes(s.port)));
}

/**
 * The NIC's stanzas stay where they are and keep their addressing (the bridge has the NIC's name);
 * the first gains the bridge options; link-level options (mtu, hwaddress, ethtool hooks) move to a
 * new `iface s<nic> inet manual` stanza; `allow-hotplug <nic>` becomes `auto` (a bridge is never
 * hotplugged). Everything else is byte-identical.
 */
export function renderShadowInterfaces(file: InterfacesFile, s: ShadowRename): string {
  const stanzas = file.ifaces.filter((st) => st.name === s.nic && st.family !== 'can');
  if (stanzas.length === 0) throw new InputError('error.nicNotInInterfaces', { file: file.file, nic: s.nic });
  const indent = indentOf(file, stanzas[0]);
  const out: (string | null)[] = [...file.lines];
  const portLines: string[] = [];
  for (const st of stanzas) {
    for (const o of st.options) {
      if (o.key === 'mtu') {
        // The bridge takes the NIC's MTU (it is the NIC's stanza) and the port needs it too.
        portLines.push(`${indent}mtu ${o.value}`);
      } else if (staysWithNic(o.key, o.value)) {
        portLines.push(`${indent}${o.key} ${o.value.replaceAll(s.nic, s.port)}`.trimEnd());
        out[o.line] = null;
      }
    }
  }
  const first = stanzas[0];
  out[first.startLine] = [
    `# xen-net-wizard: recipe shadow-bridge (seed 001): ${s.nic} is a bridge over the NIC, which is named ${s.port} at boot`,
    file.lines[first.startLine],
  ].join('\n');
  const bridgeLines = [
    `${indent}bridge_ports ${s.port}`,
    `${indent}bridge_hw ${s.mac}`,
    `${indent}bridge_stp off`,
    `${indent}bridge_fd 0`,
    `${indent}bridge_maxwait 0`,
  ];
  out[first.endLine] = [out[first.endLine], ...bridgeLines].filter((l) => l !== null).join('\n');
  if (portLines.length) {
    const last = Math.max(...stanzas.map((st) => st.endLine));
    out[last] = [out[last], '', `iface ${s.port} inet manual`, ...portLines].filter((l) => l !== null).join('\n');
  }
  for (const a of file.auto) {
    if (a.kind === 'allow-hotplug' && a.names.includes(s.nic)) {
      const rest = a.names.filter((n) => n !== s.nic);
      out[a.line] = [...(rest.length ? [`allow-hotplug ${rest.join(' ')}`] : []), `auto ${s.nic}`].join('\n');
    }
  }
  return out.filter((l): l is string => l !== null).join('\n');
}

export function renderShadowIfupdown(s: ShadowRename, files: InterfacesFile[], read: ReadFile): BackendRender {
  const link = ownedFile(linkFilePath(s), '0644', renderLinkFile(s), read);
  if (isShadowMigrated(files, s)) return { files: link ? [link] : [], commands: [] };
  const home = findNicFile(files, s.nic);
  if (!home) throw new InputError('error.nicNotInInterfaces', { file: '/etc/network/interfaces', nic: s.nic });
  const after = renderShadowInterfaces(home, s);
  return {
    files: [...(link ? [link] : []), { path: home.file, mode: read(home.file)?.mode ?? '0644', before: home.text, after }],
    // ifdown reads the method from the file: it runs while the file still describes the NIC.
    commands: shadowRenameCommands(s, [s.nic]),
  };
}

// Recipe vlan-bridges on ifupdown (seed 002 lines 97–114): one bridge per 802.1Q VLAN of a trunk
// NIC (eth0.293 → xen-br293).
//   xend era: the seed's own stanza (lines 99–104), with no `auto` (line 98): the recipe's init
//     script brings it up between xend and xendomains (line 105).
//   xl era: `iface eth0.293 inet manual` + `vlan-raw-device`, the bridge with
//     `bridge_ports eth0.293`, both `auto`.
// MTU 1496 (line 111) and `ethtool -K … tx off` (line 113), when answered, go on the trunk NIC's stanza.
/**
 * seed 002 lines 99–104 for one VLAN. Line 101's `/etc/xen/scripts/network` is Xen 2.0's name:
 * Xen 3.x calls it network-bridge, and there each bridge needs its own vifnum (its own
 * vif0.N/vethN pair; the main bridge has 0) — the Xen 3.0 form of lines 64–68.
 */
export function seedStanza(nic: string, v: Vlan, vifnum: number): string[] {
  const args = `vifnum=${vifnum} netdev=${v.dev} bridge=${v.bridge} antispoof=no`;
  return [
    `iface ${v.bridge} inet manual`,
    `up vconfig add ${nic} ${v.id}`,
    `up ${SCRIPTS_DIR}/network-bridge start ${args}`,
    `up /sbin/ifconfig ${v.dev} up`,
    `down ${SCRIPTS_DIR}/network-bridge stop ${args}`,
    `down vconfig rem ${v.dev}`,
  ];
}

/** Today's stanzas: the VLAN device over the trunk, the bridge over the VLAN device. */
export function xlStanzas(nic: string, v: Vlan, indent: string): string[] {
  return [
    `auto ${v.dev}`,
    `iface ${v.dev} inet manual`,
    `${indent}vlan-raw-device ${nic}`,
    '',
    `auto ${v.bridge}`,
    `iface ${v.bridge} inet manual`,
    `${indent}bridge_ports ${v.dev}`,
    `${indent}bridge_stp off`,
    `${indent}bridge_fd 0`,
    `${indent}bridge_maxwait 0`,
  ];
}

/** The trunk NIC's own options for lines 111 and 113, as interfaces(5) lines. */
function nicOptions(layout: VlanLayout, indent: string): string[] {
  return [
    ...(layout.mtu1496 ? [`${indent}mtu 1496`] : []),
    ...(layout.txOff ? [`${indent}post-up ethtool -K ${layout.nic} tx off`] : []),
  ];
}

export function renderVlanInterfaces(layout: VlanLayout, files: InterfacesFile[], read: ReadFile, era: 'xend' | 'xl'): BackendRender {
  const home = findNicFile(files, layout.nic) ?? files[0];
  if (!home) throw new InputError('error.nicNotInInterfaces', { file: '/etc/network/interfaces', nic: layout.nic });
  const out: (string | null)[] = [...home.lines];
  const stanza = home.ifaces.find((s) => s.name === layout.nic && s.family === 'inet');
  const indent = stanza ? indentOf(home, stanza) : '    ';
  let nowCommands: BackendRender['commands'] = [];
  // lines 111, 113 on the NIC's own stanza, each once.
  if (stanza) {
    const want = nicOptions(layout, indent).filter((l) => !stanza.options.some((o) => `${o.key} ${o.value}` === l.trim()));
    const mtu = stanza.options.find((o) => o.key === 'mtu');
    if (layout.mtu1496 && mtu && mtu.value !== '1496') out[mtu.line] = `${indent}mtu 1496`;
    const add = want.filter((l) => !(l.trim().startsWith('mtu ') && mtu));
    if (add.length) out[stanza.endLine] = [out[stanza.endLine], ...add].join('\n');
    nowCommands = trunkNowCommands(layout.nic, want.some((l) => l.trim().startsWith('mtu ')), want.some((l) => l.includes('ethtool')));
  } else if (layout.mtu1496 || layout.txOff) {
    throw new InputError('error.nicNotInInterfaces', { file: home.file, nic: layout.nic });
  }
  const blocks: string[] = [];
  for (const [n, v] of layout.vlans.entries()) {
    if (files.some((f) => f.ifaces.some((s) => s.name === v.bridge))) continue;
    blocks.push('', `# xen-net-wizard: recipe vlan-bridges (seed 002 lines 97–104): VLAN ${v.id} of ${layout.nic}`);
    blocks.push(...(era === 'xend' ? seedStanza(layout.nic, v, n + 1) : xlStanzas(layout.nic, v, indent)));
  }
  let after = out.filter((l): l is string => l !== null).join('\n');
  if (blocks.length) after = after.replace(/\n*$/, '') + '\n' + blocks.join('\n') + '\n';
  const changes: FileChange[] = after === home.text ? [] : [{ path: home.file, mode: read(home.file)?.mode ?? '0644', before: home.text, after }];
  const newVlans = layout.vlans.filter((v) => !files.some((f) => f.ifaces.some((s) => s.name === v.bridge)));
  const commands: BackendRender['commands'] = [];
  for (const v of newVlans) {
    if (era === 'xl') commands.push({ id: `ifup-${v.dev}`, phase: 'after-edit', argv: ['ifup', v.dev], undo: ['ifdown', v.dev] });
    commands.push({ id: `ifup-${v.bridge}`, phase: 'after-edit', argv: ['ifup', v.bridge], undo: ['ifdown', v.bridge] });
  }
  return { files: changes, commands: [...commands, ...nowCommands] };
}

// The Debian packages whose ifupdown hooks read each kind of stanza the backend writes.
const BRIDGE = ['bridge-utils'];
const BOND = ['bridge-utils', 'ifenslave'];
const VLAN = ['bridge-utils', 'vlan'];

export const ifupdown: NetworkBackend = {
  shadowBridge: (s, files) => withPrerequisites(renderShadowIfupdown(s, files.interfaces, files.read), files.read, BRIDGE),
  // xend: the seed's stanza brings the VLAN up with vconfig (package vlan) and network-bridge.
  vlanBridges: (layout, era, files) => withPrerequisites(renderVlanInterfaces(layout, files.interfaces, files.read, era), files.read, era === 'xl' ? VLAN : ['vlan']),

  id: 'ifupdown',
  readsFilesOnlyAtBoot: true,
  portedBridge: (bridge, { interfaces, read, linkMac, defaultRouteNic }) => withPrerequisites(renderIfupdown(bridge, interfaces, read, linkMac, defaultRouteNic), read, BRIDGE),
  bondBridges: (bond, main, back, { interfaces, read }) => withPrerequisites(renderIfupdownBond(bond, main, back, interfaces, read), read, BOND),
  internalBridge: (spec, { interfaces, read }) => withPrerequisites(renderInternalIfupdown(spec, interfaces, read), read, BRIDGE),
  configuredMac(name, { interfaces }) {
    const option = interfaces.flatMap((f) => f.ifaces).find((s) => s.name === name)?.options.find((o) => o.key === 'hwaddress');
    return option ? option.value.split(/\s+/).at(-1)!.toLowerCase() : null;
  },
};
