// Is a process still running? kill(pid, 0) also succeeds for a zombie (killed, not yet reaped —
// common when its parent is gone and PID 1 does not reap), so /proc's state is checked too.
import fs from 'node:fs';

export function processAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/PID/stat: "pid (comm) S …"; comm may hold spaces and parentheses, the state follows the last ")".
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // no /proc to ask: trust kill()
  }
}

/** This boot's id (/proc/sys/kernel/random/boot_id), or null where there is none to read. */
export function currentBootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/**
 * Was `pid` recorded by a process of an earlier boot? After a power cut PIDs start over, so an
 * unrelated process may hold it now: such a PID is not the owner any more. `bootId` null or absent
 * (an older journal, no /proc) cannot tell: false.
 */
export function fromEarlierBoot(bootId: string | null | undefined): boolean {
  const now = currentBootId();
  return !!bootId && !!now && bootId !== now;
}

/** When this boot began, in ms of the wall clock (now − /proc/uptime); null without /proc. */
export function bootStartMs(): number | null {
  try {
    const up = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Number.isFinite(up) ? Date.now() - up * 1000 : null;
  } catch {
    return null;
  }
}
