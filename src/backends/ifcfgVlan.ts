// Recipe vlan-bridges on ifcfg (both eras: initscripts know VLAN=yes and BRIDGE= since RHEL 5):
// ifcfg-eth0.293 with VLAN=yes and BRIDGE=xen-br293, ifcfg-xen-br293 TYPE=Bridge; MTU=1496 and
// ETHTOOL_OPTS="-K eth0 tx off" on the trunk NIC when answered (seed 002 lines 111, 113).
import type { FileChange, ReadFile } from '../model/plan.js';
import { InputError } from '../errors.js';
import { parseIfcfg, setVar } from '../parse/ifcfg.js';
import { IFCFG_DIR } from '../detect/profile.js';
import { trunkNowCommands, type BackendRender, type VlanLayout } from './types.js';

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
