// Running the CLI as an unprivileged user (nobody, through setpriv) when the tests run as root:
// what a mode-000 file, a read-only --root or "not root on a live host" look like to a real user.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cliResult, PROJECT, tempDir, type CliResult } from './roots.js';

export const NOBODY = 65534;
export const isRoot = () => process.getuid?.() === 0;

let app: string | null = null;

/** A copy of what the CLI loads, readable by nobody (a CI clone may sit in a 0700 directory). */
export function nobodyApp(): string {
  if (app) return app;
  app = tempDir('xnw-nobody-');
  fs.chmodSync(app, 0o755);
  for (const part of ['bin', 'dist', 'locales', 'package.json', 'node_modules']) {
    fs.cpSync(path.join(PROJECT, part), path.join(app, part), { recursive: true, verbatimSymlinks: true });
  }
  return app;
}

/** Lets nobody reach `p`, a path directly inside a mkdtemp directory (0700): that directory becomes 0755. */
export function openToNobody(p: string): void {
  fs.chmodSync(path.dirname(p), 0o755);
}

export function runCliAsNobody(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const dir = nobodyApp();
  const r = spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, path.join(dir, 'bin/xen-net-wizard.js'), ...args], {
    encoding: 'utf8', cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8', NO_COLOR: '1', ...env }, timeout: 60_000,
  });
  return cliResult(r);
}
