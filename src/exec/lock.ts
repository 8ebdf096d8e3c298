// One run at a time per root: an O_EXCL lock file holding the owner's PID. A lock whose
// process is gone is stale (a crash or kill -9) and is taken over; its journal is handled by
// the unfinished-run check, not here.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { bootStartMs, processAlive } from '../system/processAlive.js';
import { privateDir } from './journal.js';
import { tempPathFor } from './atomicWrite.js';
import { blame, isDiskFault, writePoint } from '../system/diskFault.js';

export interface Lock {
  release(): void;
}

/** Refuses (exit 2) while a live process other than this one holds the lock; takes nothing. */
export function refuseIfLocked(stateDir: string): void {
  const file = path.join(stateDir, 'lock');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return;
  }
  if (pid && pid !== process.pid && ownerAlive(file, pid)) throw new InputError('error.locked', { pid, file });
}

/**
 * The lock's owner is alive: its PID runs and the lock was taken in this boot. A lock older than
 * the boot (a power cut) is stale even when an unrelated process got its PID since.
 */
function ownerAlive(file: string, pid: number): boolean {
  if (!processAlive(pid)) return false;
  const boot = bootStartMs();
  try {
    return boot === null || fs.statSync(file).mtimeMs >= boot;
  } catch {
    return false;
  }
}

/**
 * `onStale` is told the PID of a dead owner whose lock is taken over, so the user hears why. A disk
 * that cannot take the lock (full, read-only, failing) refuses the run by path: exit 2, nothing changed.
 */
export function acquireLock(stateDir: string, onStale: (pid: number) => void = () => {}): Lock {
  try {
    return takeLock(stateDir, onStale);
  } catch (err) {
    if (isDiskFault(err)) throw new InputError(`error.diskFault.${err.code}`, { path: err.path ?? path.join(stateDir, 'lock') });
    throw err;
  }
}

function takeLock(stateDir: string, onStale: (pid: number) => void): Lock {
  // Tightened to 0700 only once the lock is ours: a refused run changes nothing, not even a mode.
  if (!fs.existsSync(stateDir)) privateDir(stateDir);
  const file = path.join(stateDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The PID is written first and the lock appears whole (link fails if it exists): a second
      // run can never read an empty lock and mistake it for a stale one.
      const tmp = tempPathFor(file);
      writePoint(file, 'lock');
      try {
        fs.writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
        fs.linkSync(tmp, file);
      } catch (err) {
        throw blame(err, file);
      } finally {
        // Never let the clean-up hide why taking the lock failed (a directory in the temp file's
        // place makes rmSync throw too).
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          // not ours to remove: the error above says what is wrong
        }
      }
      try {
        privateDir(stateDir);
      } catch (err) {
        fs.rmSync(file, { force: true });
        throw err;
      }
      return {
        release: () => {
          try {
            if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && ownerAlive(file, pid)) throw new InputError('error.locked', { pid, file });
      if (pid && pid !== process.pid) onStale(pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new InputError('error.locked', { pid: '?', file });
}
