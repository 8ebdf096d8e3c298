// Atomic file replacement that keeps mode and owner: temp file in the same directory, fsync,
// chmod/chown, rename over the target, fsync the directory. A crash leaves old or new, never half.
import fs from 'node:fs';
import path from 'node:path';
import { blame, writePoint } from '../system/diskFault.js';

export interface WriteMeta {
  mode: number;
  uid?: number;
  gid?: number;
  /** Test hook (crash injection): called with the temp file written and synced, before the rename. */
  beforeRename?: (tmp: string) => void;
}

/** The temp file beside `file` that a process with this PID writes: `.NAME.xnw-PID`. */
export function tempPathFor(file: string, pid = process.pid): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.xnw-${pid}`);
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

/** Creates missing parent directories and returns the ones it created, outermost first. */
export function ensureDir(dir: string): string[] {
  const created: string[] = [];
  let current = dir;
  while (!fs.existsSync(current)) {
    created.unshift(current);
    current = path.dirname(current);
  }
  const made: string[] = [];
  try {
    for (const d of created) {
      writePoint(d, 'mkdir');
      fs.mkdirSync(d);
      made.push(d);
    }
  } catch (err) {
    removeDirs(made);
    throw err;
  }
  return created;
}

/** Removes directories made by `ensureDir`, innermost first; one that is not empty stays. */
export function removeDirs(dirs: string[]): void {
  for (const d of [...dirs].reverse()) {
    try {
      fs.rmdirSync(d);
    } catch {
      // not empty, or gone
    }
  }
}

/** Opens `target` for writing, writes `data` with mode and owner, and fsyncs it. */
function writeSynced(target: string, data: string | Buffer, meta: WriteMeta): void {
  const fd = fs.openSync(target, 'w', meta.mode);
  try {
    fs.writeFileSync(fd, data);
    fs.fchmodSync(fd, meta.mode);
    if (meta.uid !== undefined && meta.gid !== undefined) {
      try {
        fs.fchownSync(fd, meta.uid, meta.gid);
      } catch {
        // Not root (a fixture root owned by the user): the owner is already ours.
      }
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: string | Buffer, meta: WriteMeta): void {
  const dir = path.dirname(file);
  const tmp = tempPathFor(file);
  writePoint(file);
  try {
    writeSynced(tmp, data, meta);
    meta.beforeRename?.(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    // A full or failing disk: the target is untouched, and no half-written temp file stays beside it.
    fs.rmSync(tmp, { force: true });
    throw blame(err, file);
  }
  fsyncDir(dir);
}

/**
 * The last resort of a rollback on a full disk, where the temp file of an atomic write has no room:
 * truncating the file gives its own blocks back, then the original bytes go into them. Not atomic
 * (a crash in between leaves a short file), so only used after the atomic write failed for space.
 */
export function writeInPlace(file: string, data: string | Buffer, meta: WriteMeta): void {
  writePoint(file, 'in-place');
  try {
    writeSynced(file, data, meta);
  } catch (err) {
    throw blame(err, file);
  }
}

export function symlinkAtomic(file: string, target: string): void {
  const tmp = tempPathFor(file);
  writePoint(file, 'link');
  fs.rmSync(tmp, { force: true });
  try {
    fs.symlinkSync(target, tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(path.dirname(file));
}
