// Before the first change of a run: the disk can take it. Refusing here is exit 2, nothing changed.
import fs from 'node:fs';
import path from 'node:path';
import type { Plan } from '../model/plan.js';
import type { RootFs } from '../system/rootfs.js';
import { InputError } from '../errors.js';
import { DPKG_STATUS, prerequisitePackages } from '../render/bootPrerequisites.js';
import { STATE_DIR } from './journal.js';

const KB = 1024;
const roundUp = (bytes: number, block: number) => Math.max(1, Math.ceil(bytes / block)) * block;

function nearestExisting(p: string): string {
  let dir = p;
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

interface Need {
  /** Real path shown to the user (the directory that will be written). */
  where: string;
  bytes: number;
  inodes: number;
  largest: number;
}

/**
 * Before the first change (lock included): every directory the run writes is on a writable
 * filesystem, and each filesystem has room for what lands there — the journal (plan, state, the
 * original of every file it changes) plus the largest new file twice (temp file beside the old
 * one until the rename). Refusing here is exit 2 with nothing changed.
 */
export function preflightDisk(plan: Plan, fs_: RootFs, live: boolean): void {
  const stateDir = fs_.resolve(STATE_DIR);
  const byDev = new Map<number, Need>();
  const add = (real: string, bytes: number, inodes: number, largest = 0) => {
    const dir = nearestExisting(real);
    try {
      fs.accessSync(dir, fs.constants.W_OK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EROFS') throw new InputError('error.diskReadOnly', { path: dir });
    }
    const dev = fs.statSync(dir).dev;
    const need = byDev.get(dev) ?? { where: dir, bytes: 0, inodes: 0, largest: 0 };
    need.bytes += bytes;
    need.inodes += inodes;
    need.largest = Math.max(need.largest, largest);
    byDev.set(dev, need);
  };
  const block = (dir: string) => {
    try {
      return fs.statfsSync(nearestExisting(dir)).bsize || 4096;
    } catch {
      return 4096;
    }
  };
  const jb = block(stateDir);
  const changes = plan.steps.flatMap((s) => (s.file ? [s.file] : !live && s.offline ? [s.offline] : []));
  // Journal: plan.json, state.json and its temp file (one entry per step), the lock, each original.
  const planBytes = JSON.stringify(plan, null, 2).length;
  const stateBytes = 1024 + 512 * plan.steps.length;
  let journal = roundUp(planBytes, jb) + 2 * roundUp(stateBytes, jb) + 2 * jb;
  for (const c of changes) journal += roundUp(sizeOf(fs_.resolve(c.path)), jb);
  add(path.join(stateDir, 'runs'), journal, 6 + changes.length);
  for (const c of changes) {
    const real = fs_.resolve(c.path);
    const bytes = c.after === null ? 0 : roundUp(Buffer.byteLength(c.after), block(real));
    add(real, 0, 2, bytes);
  }
  for (const need of byDev.values()) {
    const total = need.bytes + 2 * need.largest;
    let st: fs.StatsFs;
    try {
      st = fs.statfsSync(need.where);
    } catch {
      continue;
    }
    const free = st.bavail * st.bsize;
    if (free < total) {
      throw new InputError('error.diskNoSpace', { path: need.where, needKb: Math.ceil(total / KB), freeKb: Math.floor(free / KB) });
    }
    // f_files is 0 on filesystems without an inode limit (btrfs); tmpfs with nr_inodes has one.
    if (st.files > 0 && st.ffree < need.inodes) {
      throw new InputError('error.diskNoInodes', { path: need.where, need: need.inodes, free: st.ffree });
    }
  }
}

/**
 * A live run does not install packages for the admin: the boot prerequisites the plan lists
 * (bridge-utils, ifenslave, vlan) must be there before the network moves, else the next boot
 * has no bridge. An offline run lists the install as a command to run.
 */
export function preflightPrerequisites(plan: Plan, live: boolean): void {
  if (!live) return;
  for (const step of plan.steps) {
    const packages = prerequisitePackages(step);
    if (packages) throw new InputError('error.bootPrerequisitesMissing', { packages: packages.join(' '), file: DPKG_STATUS });
  }
}
