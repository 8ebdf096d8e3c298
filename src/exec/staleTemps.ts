// Temp files left by a killed run: writeFileAtomic writes `.NAME.xnw-PID` beside NAME and renames
// it; a SIGKILL between the two leaves the temp file. Recovery removes exactly those — our name
// pattern, for that file, from a process that is gone — and nothing else in the directory.
import fs from 'node:fs';
import path from 'node:path';
import { processAlive } from '../system/processAlive.js';

/** The PID in `.NAME.xnw-PID` when `entry` is a temp file of `name`, else null. */
export function tempFileOwner(entry: string, name: string): number | null {
  const prefix = `.${name}.xnw-`;
  if (!entry.startsWith(prefix)) return null;
  const pid = entry.slice(prefix.length);
  return /^[1-9]\d{0,9}$/.test(pid) ? Number(pid) : null;
}

/** Removes the stale temp files of `file` (their writer is dead); returns the paths removed. */
export function removeStaleTemps(file: string): string[] {
  const dir = path.dirname(file);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = tempFileOwner(entry, path.basename(file));
    if (pid === null || pid === process.pid || processAlive(pid)) continue;
    const full = path.join(dir, entry);
    // Only a regular file or a symlink we made (symlinkAtomic): never a directory someone named so.
    if (fs.lstatSync(full).isDirectory()) continue;
    fs.rmSync(full, { force: true });
    removed.push(full);
  }
  return removed;
}
