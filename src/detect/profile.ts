// Which dom0 generation (xend or xl) and which network backend a root is.
import type { Backend, Profile } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { parseIfcfg, getVar } from '../parse/ifcfg.js';
import { parseOnce } from './hostFiles.js';

/**
 * xend when xend-config.sxp is there and xend is the toolstack; xl when xl.conf is. Xen 4.0–4.4
 * shipped both: Debian's /etc/default/xen TOOLSTACK (or an xl.conf beside the sxp) then decides.
 */
export function detectProfile(fs: RootFs): Profile {
  const hasSxp = fs.exists('/etc/xen/xend-config.sxp');
  const hasXlConf = fs.exists('/etc/xen/xl.conf');
  const toolstack = (fs.readText('/etc/default/xen') ?? '').match(/^\s*TOOLSTACK\s*=\s*["']?(\w+)/m)?.[1];
  if (toolstack === 'xm' || toolstack === 'xend') return 'xend';
  if (toolstack === 'xl') return 'xl';
  if (hasSxp && !hasXlConf) return 'xend';
  return 'xl';
}

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

/**
 * The backend that configures the NIC: the one whose files mention it wins; otherwise the first
 * whose configuration exists, in the order a Xen dom0 of each era most likely uses.
 */
export function detectBackend(fs: RootFs, nic: string | null, ifupdownNics: string[]): Backend {
  const ifcfg = ifcfgFiles(fs);
  const nm = fs.list('/etc/NetworkManager/system-connections').filter((e) => e.endsWith('.nmconnection'));
  const networkd = fs.list('/etc/systemd/network').filter((e) => e.endsWith('.network'));
  if (nic && ifupdownNics.includes(nic)) return 'ifupdown';
  if (nic && ifcfg.has(nic)) return 'ifcfg';
  if (ifcfg.size > 0) return 'ifcfg';
  if (ifupdownNics.some((n) => n !== 'lo')) return 'ifupdown';
  if (networkd.length > 0) return 'networkd';
  if (nm.length > 0) return 'networkmanager';
  return fs.exists('/etc/network/interfaces') ? 'ifupdown' : 'unknown';
}
