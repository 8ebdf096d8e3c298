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
