// Atomic file replacement that keeps mode and owner: temp file in the same directory, fsync,
// chmod/chown, rename over the target, fsync the directory. A crash leaves old or new, never half.
import fs from 'node:fs';
import path from 'node:path';

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
  for (const d of created) fs.mkdirSync(d);
  return created;
}

export function writeFileAtomic(file: string, data: string | Buffer, meta: WriteMeta): void {
  const dir = path.dirname(file);
  const tmp = tempPathFor(file);
  const fd = fs.openSync(tmp, 'w', meta.mode);
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
  meta.beforeRename?.(tmp);
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

export function symlinkAtomic(file: string, target: string): void {
  const tmp = tempPathFor(file);
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(target, tmp);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}
