// Probe for netifrc (Gentoo's OpenRC network scripts): /etc/conf.d/net with config_<nic>
// variables, and net.<nic> links in a runlevel (/etc/runlevels/default/net.eth0 → net.lo), which
// is what brings the NIC up at boot.
import type { RootFs } from '../../system/rootfs.js';
import { shellAssignments } from '../../parse/shellAssignments.js';
import type { Evidence, ManagerProbe } from './types.js';

const CONF = '/etc/conf.d/net';

export const probeNetifrc: ManagerProbe = (fs: RootFs) => {
  const evidence: Evidence[] = [];
  const started = new Set<string>();
  for (const level of fs.list('/etc/runlevels')) {
    for (const entry of fs.list(`/etc/runlevels/${level}`)) {
      if (!entry.startsWith('net.') || entry === 'net.lo') continue;
      started.add(entry.slice(4));
      evidence.push({ key: 'evidence.netifrcRunlevel', params: { link: `/etc/runlevels/${level}/${entry}` } });
    }
  }
  const text = fs.readText(CONF);
  const configured = text === null ? [] : shellAssignments(text).filter((a) => /^config_\w+$/.test(a.name) && a.name !== 'config_lo');
  for (const a of configured) evidence.push({ key: 'evidence.netifrcConfig', params: { file: CONF, line: a.line, nic: a.name.slice(7) } });
  if (text === null && started.size === 0) return null;
  const nics = new Set([...started, ...configured.map((a) => a.name.slice(7))]);
  return { backend: 'netifrc', active: started.size > 0, nics: [...nics].sort(), evidence };
};
