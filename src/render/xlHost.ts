// xl profile artifacts: the bridge persisted in the distro's own network config, and
// vif.default.bridge in xl.conf so guests without bridge= land on it too.
import type { PortedBridge } from '../topology.js';
import type { FileChange, ReadFile, Step } from '../plan/types.js';
import type { Backend } from '../host.js';
import { InputError } from '../errors.js';
import { parseXlConfig, getString, setXlSetting } from '../parse/xlConfig.js';
import type { InterfacesFile } from '../parse/interfaces.js';
import { findNicFile, isMigrated, renderInterfacesMigration } from './ifupdownBridge.js';
import { parseIfcfg } from '../parse/ifcfg.js';
import { isIfcfgMigrated, renderIfcfgMigration } from './ifcfgBridge.js';
import { IFCFG_DIR } from '../detect/profile.js';

export const XL_CONF = '/etc/xen/xl.conf';

export function renderXlConf(bridge: PortedBridge, read: ReadFile): FileChange | null {
  const file = read(XL_CONF);
  const before = file?.text ?? '';
  if (file && getString(parseXlConfig(before, XL_CONF), 'vif.default.bridge') === bridge.name) return null;
  const after = setXlSetting(before, XL_CONF, 'vif.default.bridge', bridge.name);
  return { path: XL_CONF, mode: file?.mode ?? '0644', before: file ? before : null, after };
}

export interface BackendRender {
  files: FileChange[];
  /** Commands around the edit, with their undo: take the NIC down before, bring the bridge up after. */
  commands: Pick<Step, 'argv' | 'undo' | 'phase' | 'id'>[];
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

export function renderIfcfg(bridge: PortedBridge, read: ReadFile): BackendRender {
  const m = { nic: bridge.nic, bridge: bridge.name };
  const nicPath = `${IFCFG_DIR}/ifcfg-${bridge.nic}`;
  const brPath = `${IFCFG_DIR}/ifcfg-${bridge.name}`;
  const nicFile = read(nicPath);
  if (!nicFile) throw new InputError('error.nicNoIfcfg', { file: nicPath, nic: bridge.nic });
  const nic = parseIfcfg(nicFile.text, nicPath);
  const brFile = read(brPath);
  const br = brFile ? parseIfcfg(brFile.text, brPath) : undefined;
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

export function renderBackend(backend: Backend, bridge: PortedBridge, interfaces: InterfacesFile[], read: ReadFile): BackendRender {
  switch (backend) {
    case 'ifupdown': return renderIfupdown(bridge, interfaces, read);
    case 'ifcfg': return renderIfcfg(bridge, read);
    default: throw new InputError('error.backendUnsupported', { backend });
  }
}
