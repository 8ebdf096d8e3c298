// Which dom0 generation (xend or xl) and which network backend a root is.
import type { Backend, Profile } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { decideManager } from './managers/index.js';

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

export { IFCFG_DIR, ifcfgFiles } from './managers/ifcfg.js';

/**
 * The backend that brings the NIC up at boot: the active manager whose files name it (see
 * decideManager for the whole rule and the evidence detect prints).
 */
export function detectBackend(fs: RootFs, nic: string | null): Backend {
  return decideManager(fs, nic).backend;
}
