// Is a root a Xen dom0 at all? A toolstack config (xl.conf or xend-config.sxp) under the root,
// and on the running machine (root / read live) the kernel's own word: /proc/xen/capabilities
// says "control_d" only in the control domain. `detect` says so plainly when it is not.
import type { RootFs } from '../system/rootfs.js';

export const TOOLSTACK_CONFIGS = ['/etc/xen/xl.conf', '/etc/xen/xend-config.sxp'] as const;
export const CAPABILITIES = '/proc/xen/capabilities';

export interface XenFacts {
  dom0: boolean;
  /** The toolstack configs present under the root (dom0 paths). */
  toolstackConfigs: string[];
  /** What /proc/xen/capabilities says on a live root: null when not read (a --root fixture). */
  controlDomain: boolean | null;
}

export function detectXen(fs: RootFs, live: boolean): XenFacts {
  const toolstackConfigs = TOOLSTACK_CONFIGS.filter((p) => fs.exists(p));
  const controlDomain = live && fs.root === '/' ? (fs.readText(CAPABILITIES) ?? '').includes('control_d') : null;
  return { dom0: toolstackConfigs.length > 0 && controlDomain !== false, toolstackConfigs, controlDomain };
}
