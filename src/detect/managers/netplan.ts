// netplan runs at boot as a systemd generator (netplan generate) that writes networkd or
// NetworkManager files into /run from /{lib,etc,run}/netplan/*.yaml; its renderer decides which
// manager brings the links up. Active when the generator is installed.
import type { RootFs } from '../../system/rootfs.js';
import type { ManagerProbe, Evidence } from './types.js';
import { networkOf, parseNetplan } from '../../parse/netplanYaml.js';
import { parseOnce } from '../hostFiles.js';
import { dpkgVersion } from './units.js';

const DIRS = ['/lib/netplan', '/etc/netplan', '/run/netplan'];
const GENERATORS = ['/usr/lib/systemd/system-generators/netplan', '/lib/systemd/system-generators/netplan'];

/**
 * The YAML files netplan reads, in its order: by file name, a name in /run hiding the same name in
 * /etc, and /etc hiding /lib (netplan(5), "General structure").
 */
export function netplanFiles(fs: RootFs): string[] {
  const byName = new Map<string, string>();
  for (const dir of DIRS) for (const e of fs.list(dir)) if (e.endsWith('.yaml')) byName.set(e, `${dir}/${e}`);
  return [...byName.keys()].sort().map((n) => byName.get(n)!);
}

export type NetplanRenderer = 'networkd' | 'NetworkManager';

/** The ids a file defines under ethernets:, with their kernel names (set-name, else the id), and its renderer. */
export function netplanDefinitions(fs: RootFs, file: string): { renderer: NetplanRenderer | null; nics: { id: string; name: string; renderer: NetplanRenderer | null }[] } {
  const text = fs.readText(file);
  const network = text === null ? null : networkOf(parseOnce(fs, parseNetplan, file, text));
  const renderer = (network?.renderer as NetplanRenderer | undefined) ?? null;
  const ethernets = (network?.ethernets ?? {}) as Record<string, Record<string, unknown> | null>;
  const nics = Object.entries(ethernets).map(([id, def]) => {
    const match = (def?.match ?? {}) as { name?: string };
    const name = (def?.['set-name'] as string | undefined) ?? (match.name && !/[*?[]/.test(match.name) ? match.name : id);
    return { id, name, renderer: (def?.renderer as NetplanRenderer | undefined) ?? null };
  });
  return { renderer, nics };
}

export const probeNetplan: ManagerProbe = (fs) => {
  const files = netplanFiles(fs);
  if (files.length === 0) return null;
  const generator = GENERATORS.find((g) => fs.info(g));
  // dpkg's status is read (a few MB on a big host) only where netplan files exist.
  const version = dpkgVersion(fs, 'netplan.io');
  const evidence: Evidence[] = [];
  const nics = new Set<string>();
  let renderer: NetplanRenderer = 'networkd';
  for (const file of files) {
    const defs = netplanDefinitions(fs, file);
    if (defs.renderer) renderer = defs.renderer;
    for (const n of defs.nics) nics.add(n.name);
    if (defs.nics.length > 0) evidence.push({ key: 'detect.why.namesNics', params: { file, nics: defs.nics.map((n) => n.name).join(', ') } });
  }
  evidence.push({ key: 'detect.why.netplanRenderer', params: { renderer } });
  if (generator) evidence.push({ key: 'detect.why.fileExists', params: { file: generator } });
  else if (version) evidence.push({ key: 'detect.why.package', params: { pkg: 'netplan.io', version } });
  else evidence.push({ key: 'detect.why.noNetplanGenerator', params: { files: GENERATORS.join(', ') } });
  return { backend: 'netplan', active: Boolean(generator || version), nics: [...nics], evidence, files, ...(version ? { version } : {}) };
};
