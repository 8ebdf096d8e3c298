// An `apply` stopped at a test hook (XNW_PAUSE_AT before a step, XNW_PAUSE_IN_WRITE inside a file
// write) and left there until the test SIGKILLs it: the crash and lock tests' common start.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PROJECT } from './roots.js';

const RUNS = 'var/lib/xen-net-wizard/runs';

export interface PausedApply {
  pid: number;
  /** SIGKILL (no exception, no cleanup in the process) and wait for the exit. */
  kill(): Promise<void>;
}

export async function pausedApply(root: string, answers: string, hook: Record<string, string>): Promise<PausedApply> {
  const child = spawn(process.execPath, [path.join(PROJECT, 'bin/xen-net-wizard.js'), 'apply', '--root', root, '--answers', answers, '--yes'], {
    env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1', ...hook },
    stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  const runs = path.join(root, RUNS);
  const end = Date.now() + 30_000;
  // The run writes `paused` into its journal when it reaches the hook.
  while (!(fs.existsSync(runs) && fs.readdirSync(runs).some((r) => fs.existsSync(path.join(runs, r, 'paused'))))) {
    if (child.exitCode !== null) throw new Error(`apply ended (exit ${child.exitCode}) before ${JSON.stringify(hook)}`);
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`never reached ${JSON.stringify(hook)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
