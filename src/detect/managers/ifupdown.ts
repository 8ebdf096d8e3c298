// ifupdown and ifupdown-ng read the same /etc/network/interfaces but not the same options (Alpine's
// ifupdown-ng knows only bridge-ports, not bridge_ports): which one /sbin/ifup is decides the
// backend. Its provenance is the package database (dpkg's file lists, Alpine's apk db); without
// one, /etc/network/ifupdown-ng.conf (shipped only by ifupdown-ng) says ifupdown-ng.
import type { ManagerClaim, ManagerProbe } from './types.js';
import { readInterfacesFiles } from '../ifupdownFiles.js';
import { packageOwning, startsAtBoot } from './units.js';

const NG_CONF = '/etc/network/ifupdown-ng.conf';

export const probeIfupdown: ManagerProbe = (fs) => {
  const files = readInterfacesFiles(fs);
  const owner = packageOwning(fs, '/sbin/ifup', ['ifupdown', 'ifupdown-ng', 'ifupdown2']);
  const ngConf = fs.exists(NG_CONF);
  if (files.length === 0 && !owner && !ngConf) return null;
  // Alpine's ifup is ifupdown-ng's since 3.13 (busybox's applet otherwise): without a package database, its release file says it.
  const alpine = owner === null && !ngConf && fs.exists('/etc/alpine-release');
  const ng = owner === 'ifupdown-ng' || (owner === null && (ngConf || alpine));
  const evidence: ManagerClaim['evidence'] = [];
  if (owner) evidence.push({ key: 'detect.why.ifupOwner', params: { pkg: owner } });
  else if (ngConf) evidence.push({ key: 'detect.why.fileExists', params: { file: NG_CONF } });
  else if (alpine) evidence.push({ key: 'detect.why.fileExists', params: { file: '/etc/alpine-release' } });
  const nics = [...new Set(files.flatMap((f) => f.ifaces.map((i) => i.name)).filter((n) => n !== 'lo'))];
  for (const f of files) {
    const named = [...new Set(f.ifaces.map((i) => i.name).filter((n) => n !== 'lo'))];
    if (named.length > 0) evidence.push({ key: 'detect.why.namesNics', params: { file: f.file, nics: named.join(', ') } });
  }
  // Debian's networking.service, Alpine's OpenRC `networking` in the boot runlevel.
  const boot = startsAtBoot(fs, 'networking.service', 'networking');
  if (boot) evidence.push(boot);
  return { backend: ng ? 'ifupdown-ng' : 'ifupdown', active: boot !== null, nics, evidence };
};
