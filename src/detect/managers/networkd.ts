// Probe for systemd-networkd: its units enabled at boot, and the .network files of /etc and /run
// (the admin's and the runtime's; /usr/lib's are the distribution's defaults, matching containers
// and USB gadgets) naming a NIC by [Match] Name= — a glob matched against the root's links.
import type { RootFs } from '../../system/rootfs.js';
import { parseIni } from '../../parse/iniFile.js';
import { globMatch, listMatches } from '../../parse/networkdMatch.js';
import { parseOnce } from '../hostFiles.js';
import { enabledAt } from './enabledUnits.js';
import type { Evidence, ManagerProbe } from './types.js';

const DIRS = ['/etc/systemd/network', '/run/systemd/network'];

export const probeNetworkd: ManagerProbe = (fs: RootFs) => {
  const evidence: Evidence[] = [];
  const units = ['systemd-networkd.service', 'systemd-networkd.socket'].map((u) => enabledAt(fs, u)).filter((l): l is string => l !== null);
  for (const link of units) evidence.push({ key: 'evidence.systemdWants', params: { link } });
  const links = fs.list('/sys/class/net').filter((n) => n !== 'lo');
  const nics = new Set<string>();
  let files = 0;
  for (const dir of DIRS) {
    for (const name of fs.list(dir)) {
      if (!name.endsWith('.network')) continue;
      // netplan's generator writes its YAML's networkd rendering as /run/systemd/network/10-netplan-*:
      // netplan's config (its probe claims the NIC), not networkd's own — else every booted netplan
      // host showed two managers for its NIC (the manager lab's netplan VM).
      if (dir === '/run/systemd/network' && name.startsWith('10-netplan-')) continue;
      const path = `${dir}/${name}`;
      const text = fs.readText(path);
      if (!text || !text.trim()) continue;
      files++;
      const ini = parseOnce(fs, parseIni, path, text);
      const names = ini.sections.filter((s) => s.name === 'Match').flatMap((s) => s.entries).filter((e) => e.key === 'Name').map((e) => e.value);
      const matched = names.flatMap((v) => {
        const words = v.replace(/^!/, '').split(/\s+/).filter(Boolean);
        // Exact names count even when the link is not there (a root without /sys); globs by the links.
        const exact = v.startsWith('!') ? [] : words.filter((w) => !/[*?[]/.test(w));
        return [...exact, ...links.filter((l) => listMatches(v, (p) => globMatch(p, l)))];
      });
      for (const nic of new Set(matched)) {
        nics.add(nic);
        evidence.push({ key: 'evidence.networkdFile', params: { file: path, nic } });
      }
    }
  }
  if (units.length === 0 && files === 0) return null;
  return { backend: 'networkd', active: units.length > 0, nics: [...nics].sort(), evidence };
};
