// ifupdown-ng (Alpine's default, Debian's package ifupdown-ng): interfaces(5) as ifupdown writes
// it, with ifupdown-ng's own option names (interfaces-bridge(5)): bridge-ports, bridge-stp,
// bridge-fd in dash form — it knows no bridge_ports, so ifupdown's stanza would bring up no bridge
// at all — and `use bridge`, which names the executor that creates it. The parser and the editor
// are ifupdown's: the file format is shared, only the bridge's lines differ.
import { InputError } from '../errors.js';
import { findNicFile, ifupdown, isMigrated, renderInterfacesMigration, renderInternalIfupdown } from './ifupdown.js';
import type { PortedBridge } from '../model/topology.js';
import type { BackendInputs, BackendRender, InterfacesStyle, NetworkBackend } from './types.js';
import { unsupportedBy } from './types.js';

export const IFUPDOWN_NG_STYLE: InterfacesStyle = {
  bridgeOptions: (indent, port) => [
    `${indent}use bridge`,
    `${indent}bridge-ports ${port}`,
    // STP on with the default 15 s forward delay drops all traffic ~30 s.
    `${indent}bridge-stp off`,
    `${indent}bridge-fd 0`,
  ],
  // The link executor runs `ip link set … address $IF_HWADDRESS`: the MAC alone, no "ether".
  hwaddress: (indent, mac) => `${indent}hwaddress ${mac}`,
};

export function renderIfupdownNg(bridge: PortedBridge, { interfaces, read, linkMac }: BackendInputs): BackendRender {
  const m = { nic: bridge.nic, bridge: bridge.name, mac: linkMac?.(bridge.nic) ?? null, style: IFUPDOWN_NG_STYLE };
  if (interfaces.some((f) => isMigrated(f, m))) return { files: [], commands: [] };
  const home = findNicFile(interfaces, bridge.nic);
  if (!home) throw new InputError('error.nicNotInInterfaces', { file: '/etc/network/interfaces', nic: bridge.nic });
  return {
    files: [{ path: home.file, mode: read(home.file)?.mode ?? '0644', before: home.text, after: renderInterfacesMigration(home, m) }],
    commands: [
      // ifdown reads the method from its state and the file: it runs while the file still has it.
      { id: `ifdown-${bridge.nic}`, phase: 'before-edit', argv: ['ifdown', bridge.nic], undo: ['ifup', bridge.nic] },
      // ifupdown-ng resolves the dependency: bringing up the bridge brings up its port first.
      { id: `ifup-${bridge.name}`, phase: 'after-edit', argv: ['ifup', bridge.name], undo: ['ifdown', bridge.name] },
    ],
  };
}


export const ifupdownNg: NetworkBackend = {
  id: 'ifupdown-ng',
  readsFilesOnlyAtBoot: true,
  portedBridge: renderIfupdownNg,
  bondBridges: unsupportedBy('ifupdown-ng', 'bond-bridge'),
  // bridge-ports none: ifupdown-ng's bridge executor creates it with no port (interfaces-bridge(5)).
  internalBridge: (spec, { interfaces, read }) => renderInternalIfupdown(spec, interfaces, read, IFUPDOWN_NG_STYLE),
  // The same hwaddress option (its last word is the MAC in both dialects).
  configuredMac: (name, files) => ifupdown.configuredMac(name, files),
  shadowBridge: unsupportedBy('ifupdown-ng', 'shadow-bridge'),
  vlanBridges: unsupportedBy('ifupdown-ng', 'vlan-bridges'),
};
