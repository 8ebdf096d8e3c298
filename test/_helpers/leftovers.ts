// What a run must never leave behind, anywhere under a root (its journal included): our temp files
// (`.NAME.xnw-PID` beside a config or journal file, `NAME.tmp-PID` of the answers file), the lock,
// and the `paused` marker of the XNW_PAUSE_AT test hook.
import fs from 'node:fs';
import path from 'node:path';

export function leftovers(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/^\..+\.xnw-\d+$|\.tmp-\d+$/.test(e.name) || e.name === 'lock' || e.name === 'paused') found.push(path.relative(root, full));
    }
  };
  walk(root);
  return found;
}
