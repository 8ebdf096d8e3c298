// Hand-made plans for the executor's in-process tests (test/apply/session.test.ts, drift.test.ts):
// file edits and commands, a runner that records what it is asked to run, a small dom0 root.
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './roots.js';
import { RootFs } from '../../src/system/rootfs.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { Plan, Step } from '../../src/model/plan.js';
import { ApplySession } from '../../src/exec/apply.js';

export const title = { key: 'step.edit', params: {} };
export const edit = (p: string, before: string | null, after: string | null, mode = '0644'): Step =>
  ({ id: `edit:${p}`, kind: 'file', title, phase: 'edit', file: { path: p, mode, before, after } });
export const command = (argv: string[], phase: Step['phase'], extra: Partial<Step> = {}): Step =>
  ({ id: `run:${argv.join('-')}`, kind: 'command', title, phase, argv, ...extra });
export const planOf = (steps: Step[]): Plan => ({ recipe: 'single-bridge', profile: 'xl', backend: 'ifupdown', method: 'backend-restart', steps, notes: [] });

/** A live runner that only records what it is asked to run. */
export function recorder(failOn?: string): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    live: true,
    calls,
    async run(argv) {
      calls.push(argv.join(' '));
      return { exitCode: argv.join(' ') === failOn ? 1 : 0, stdout: '', stderr: argv.join(' ') === failOn ? 'boom' : '' };
    },
  };
}

export function dom0(): { root: string; fs: RootFs } {
  const root = path.join(tempDir(), 'root');
  fs.mkdirSync(path.join(root, 'etc/network'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto eth0\niface eth0 inet dhcp\n', { mode: 0o640 });
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), "vif = [ 'bridge=virbr0' ]\n");
  return { root, fs: new RootFs(root) };
}

export async function applyAll(plan: Plan, fs_: RootFs, runner: CommandRunner): Promise<ApplySession> {
  const session = ApplySession.begin(plan, { fs: fs_, runner });
  for (const [i, step] of plan.steps.entries()) await session.runStep(step, i);
  session.finish();
  return session;
}
