// One run at a time per root: an O_EXCL lock file holding the owner's PID. A lock whose
// process is gone is stale (a crash or kill -9) and is taken over; its journal is handled by
// the unfinished-run check, not here.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { processAlive } from '../system/processAlive.js';


export interface Lock {
  release(): void;
}

export function acquireLock(stateDir: string): Lock {
  fs.mkdirSync(stateDir, { recursive: true });
  const file = path.join(stateDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
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
      if (pid && processAlive(pid) && pid !== process.pid) throw new InputError('error.locked', { pid, file });
      fs.rmSync(file, { force: true });
    }
  }
  throw new InputError('error.locked', { pid: '?', file });
}
