// The seam of manager detection: one probe per network manager, each in its own file under
// src/detect/managers/, reading only the root's files. Detection runs every probe and decides from
// their claims which manager brings the NIC up at boot (and asks, answer id `backend`, when two
// active managers claim it). Adding a manager: its probe file and one line in the probe list.
import type { Backend } from '../../model/host.js';
import type { RootFs } from '../../system/rootfs.js';

/** One piece of evidence, as a message key of locales/*.json and its parameters. */
export interface Evidence {
  key: string;
  params?: Record<string, string | number>;
}

/** What one manager's files and units say about a root. */
export interface ManagerClaim {
  backend: Exclude<Backend, 'unknown'>;
  /**
   * Runs at boot: an enabled unit under etc/systemd/system/*.wants/, an init script in a
   * runlevel, or the only manager the distribution ships. A manager whose files exist but which
   * does not run is reported, never chosen.
   */
  active: boolean;
  /** NICs its configuration names (and so would bring up at boot). */
  nics: string[];
  /** Why: the unit, file and line that show it, for detect's output. */
  evidence: Evidence[];
}

/** Reads the root; null when nothing of this manager is there. */
export type ManagerProbe = (fs: RootFs) => ManagerClaim | null;
