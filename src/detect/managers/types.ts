// The seam of manager detection: one probe per network manager, each in its own file under
// src/detect/managers/, reading only the root's files. Detection runs every probe and decides from
// their claims which manager brings the NIC up at boot (and asks, answer id `backend`, when two
// active managers claim it). Adding a manager: its probe file and one line in the probe list.
import type { RootFs } from '../../system/rootfs.js';

// The shapes live in the model (HostFacts carries them to detect's output); the probe's type here.
export type { Evidence, ManagerClaim } from '../../model/host.js';
import type { ManagerClaim } from '../../model/host.js';

/** Reads the root; null when nothing of this manager is there. */
export type ManagerProbe = (fs: RootFs) => ManagerClaim | null;
