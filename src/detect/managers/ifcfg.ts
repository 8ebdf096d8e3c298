// RHEL's ifcfg-* files are read at boot by initscripts' network service (package network-scripts,
// gone from RHEL 9) or by NetworkManager's ifcfg-rh plugin (networkmanager.ts claims those). Files
// with no network-scripts to read them are reported as such, never chosen when a manager runs.
import type { RootFs } from '../../system/rootfs.js';
import type { Evidence, ManagerProbe } from './types.js';
import { parseIfcfg, getVar } from '../../parse/ifcfg.js';
import { parseOnce } from '../hostFiles.js';
import { startsAtBoot } from './units.js';

export const IFCFG_DIR = '/etc/sysconfig/network-scripts';

/** ifcfg-* files other than lo, by device name. */
export function ifcfgFiles(fs: RootFs): Map<string, string> {
  const result = new Map<string, string>();
  for (const entry of fs.list(IFCFG_DIR)) {
    if (!entry.startsWith('ifcfg-') || entry === 'ifcfg-lo' || /[~]$|\.(bak|orig|rpmnew|rpmsave)$/.test(entry)) continue;
    const file = `${IFCFG_DIR}/${entry}`;
    const text = fs.readText(file);
    if (text === null) continue;
    const device = getVar(parseOnce(fs, parseIfcfg, file, text), 'DEVICE') ?? entry.slice('ifcfg-'.length);
    result.set(device, file);
  }
  return result;
}

/** initscripts' own scripts: what reads ifcfg files without NetworkManager. */
const NETWORK_SCRIPTS = ['/etc/rc.d/init.d/network', '/etc/init.d/network', `${IFCFG_DIR}/ifup-eth`];

export const probeIfcfg: ManagerProbe = (fs) => {
  const files = ifcfgFiles(fs);
  const scripts = NETWORK_SCRIPTS.find((f) => fs.exists(f));
  if (files.size === 0 && !scripts) return null;
  const evidence: Evidence[] = [...files].map(([device, file]) => ({ key: 'detect.why.namesNics', params: { file, nics: device } }));
  if (!scripts) {
    evidence.push({ key: 'detect.why.noNetworkScripts', params: { files: NETWORK_SCRIPTS.join(', ') } });
    return { backend: 'ifcfg', active: false, nics: [...files.keys()], evidence };
  }
  const boot = startsAtBoot(fs, 'network.service', 'network');
  if (boot) evidence.push(boot);
  return { backend: 'ifcfg', active: boot !== null, nics: [...files.keys()], evidence };
};
