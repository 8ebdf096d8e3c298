// Probe for NixOS: /etc/NIXOS (or os-release ID=nixos) says the whole system, its network
// included, is built from /etc/nixos/*.nix; the NICs are the networking.interfaces.<nic> there.
import type { RootFs } from '../../system/rootfs.js';
import { nixStatements } from '../../parse/nixStatements.js';
import type { Evidence, ManagerProbe } from './types.js';

const DIR = '/etc/nixos';

export const probeNixos: ManagerProbe = (fs: RootFs) => {
  const marker = fs.exists('/etc/NIXOS');
  const osRelease = /^ID="?nixos"?$/m.test(fs.readText('/etc/os-release', { anyEncoding: true }) ?? '');
  if (!marker && !osRelease) return null;
  const evidence: Evidence[] = [{ key: marker ? 'evidence.nixosMarker' : 'evidence.nixosOsRelease', params: { file: marker ? '/etc/NIXOS' : '/etc/os-release', id: 'nixos' } }];
  const nics = new Set<string>();
  for (const name of fs.list(DIR).filter((n) => n.endsWith('.nix'))) {
    const file = `${DIR}/${name}`;
    for (const s of nixStatements(file, fs.readText(file) ?? '', /^(networking\.)?interfaces\.("?[\w.-]+"?)/)) {
      const nic = /interfaces\."?([\w.-]+?)"?(\.|\s|=)/.exec(s.text)?.[1];
      if (!nic) continue;
      nics.add(nic);
      evidence.push({ key: 'evidence.nixosInterface', params: { file, line: s.line, nic } });
    }
  }
  // Nothing else configures the network on NixOS: it is active by construction.
  return { backend: 'nixos', active: true, nics: [...nics].sort(), evidence };
};
