// Recipe shadow-bridge on ifcfg: initscripts' rename_device names a NIC after the ifcfg file
// whose HWADDR it has, so ifcfg-s<nic> carries the HWADDR and BRIDGE=<nic>, and ifcfg-<nic>
// becomes TYPE=Bridge with the NIC's MAC (MACADDR, seed 001 line 139) and all its addressing.
import type { ReadFile } from '../model/plan.js';
import { InputError } from '../errors.js';
import { getVar, parseIfcfg, removeVar, setVar } from '../parse/ifcfg.js';
import { IFCFG_DIR } from '../detect/profile.js';
import { shadowRenameCommands, type BackendRender, type ShadowRename } from './types.js';

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

