// NixOS: the network is whatever /etc/nixos/*.nix declares, built by nixos-rebuild; files written
// elsewhere are replaced at the next switch. Never written by xen-net-wizard: the backend refuses
// (exit 2), naming the manager, with the declaration to add (networking.bridges) and the NIC's
// networking.interfaces settings moved to the bridge, found in the files as the admin wrote them.
import { InputError } from '../errors.js';
import type { PortedBridge } from '../model/topology.js';
import type { BackendInputs, BackendRender } from './types.js';
import { refusingBackend } from './types.js';
import { nixStatements } from '../parse/nixStatements.js';

export const NIXOS_DIR = '/etc/nixos';

const esc = (s: string) => s.replace(/[.]/g, '\\.');

export function nixosSnippet(bridge: PortedBridge, files: BackendInputs): { add: string[]; remove: string[] } {
  const nic = esc(bridge.nic);
  // networking.interfaces.eth0.… (or interfaces."eth0".… inside `networking = { … }`).
  const start = new RegExp(`^(networking\\.)?interfaces\\.("${nic}"|${nic})\\b`);
  const found = (files.list?.(NIXOS_DIR) ?? []).filter((n) => n.endsWith('.nix')).flatMap((name) => {
    const path = `${NIXOS_DIR}/${name}`;
    return nixStatements(path, files.read(path)?.text ?? '', start);
  });
  const moved = found.map((s) => {
    const t = s.text.trim().replace(start, `networking.interfaces.${bridge.name}`);
    return t.split('\n').map((l, i) => (i === 0 ? l : l.trimStart() && `  ${l.trimStart()}`)).join('\n');
  });
  return {
    add: [`networking.bridges.${bridge.name}.interfaces = [ "${bridge.nic}" ];`, ...moved],
    remove: found.map((s) => `${s.file} line ${s.line}: ${s.text.trim().split('=')[0].trim()}`),
  };
}

export function refuseNixos(bridge: PortedBridge, files: BackendInputs): BackendRender {
  const { add, remove } = nixosSnippet(bridge, files);
  const indent = (lines: string[]) => lines.flatMap((l) => l.split('\n')).map((l) => `    ${l}`).join('\n');
  throw new InputError(remove.length ? 'error.nixosByHand' : 'error.nixosByHandNoNic', {
    file: `${NIXOS_DIR}/configuration.nix`, nic: bridge.nic, bridge: bridge.name, snippet: indent(add), remove: indent(remove),
  });
}

export const nixos = refusingBackend('nixos', refuseNixos);
