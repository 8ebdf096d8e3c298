// Recipe vlan-bridges on ifupdown (seed 002 lines 97–114): one bridge per 802.1Q VLAN of a trunk
// NIC (eth0.293 → xen-br293).
//   xend era: the seed's own stanza (lines 99–104), with no `auto` (line 98): the recipe's init
//     script brings it up between xend and xendomains (line 105).
//   xl era: `iface eth0.293 inet manual` + `vlan-raw-device`, the bridge with
//     `bridge_ports eth0.293`, both `auto`.
// MTU 1496 (line 111) and `ethtool -K … tx off` (line 113), when answered, go on the trunk NIC's stanza.
import type { FileChange, ReadFile } from '../model/plan.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import { InputError } from '../errors.js';
import { SCRIPTS_DIR } from '../render/xend.js';
import { findNicFile, indentOf } from './ifupdown.js';
import { trunkNowCommands, type BackendRender, type Vlan, type VlanLayout } from './types.js';

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

