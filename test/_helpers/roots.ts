// Temporary dom0 roots copied from fixtures, a whole-tree fingerprint (sha256, mode, symlink
// target of every entry) to prove "nothing changed" and byte-for-byte rollback, and the CLI runner.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SEED_000 = path.resolve(PROJECT, '../shared/seeds/000_b90fe5ffb027b99d.txt');
export const FIXTURES: Record<string, string> = {
  centos5: path.join(PROJECT, 'test/fixtures/centos5/root'),
  debian12: path.join(PROJECT, 'demo/root'),
  'rhel-xl': path.join(PROJECT, 'test/fixtures/rhel-xl/root'),
  // centos5 plus the second NIC eth1 (192.168.0.3/24) of recipe routed-lan (seed 000 line 389).
  'routed-centos5': path.join(PROJECT, 'test/fixtures/routed-centos5/root'),
};

/** Fixtures made of a shared one plus a few files of their own (more NICs, …), copied in that order. */
export const OVERLAYS: Record<string, { base: string; dir: string }> = {
  'centos5-3nic': { base: 'centos5', dir: path.join(PROJECT, 'test/fixtures/overlays/centos5-3nic') },
  'debian12-3nic': { base: 'debian12', dir: path.join(PROJECT, 'test/fixtures/overlays/debian12-3nic') },
  'rhel-xl-3nic': { base: 'rhel-xl', dir: path.join(PROJECT, 'test/fixtures/overlays/rhel-xl-3nic') },
};

const made: string[] = [];
// uvu imports every suite before running any, so temp roots live until the process ends.
process.once('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'xnw-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function copyFixture(name: keyof typeof FIXTURES | string): string {
  const dir = path.join(tempDir(), 'root');
  const overlay = OVERLAYS[name];
  fs.cpSync(overlay ? FIXTURES[overlay.base] : (FIXTURES[name] ?? name), dir, { recursive: true, verbatimSymlinks: true });
  if (overlay) fs.cpSync(overlay.dir, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** path → "sha256 mode" (files), "-> target" (symlinks), "dir mode"; the journal dir excluded on request. */
export function treeFingerprint(root: string, opts: { excludeJournal?: boolean } = {}): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      const rel = path.relative(root, full);
      // The journal stays after a rollback (it is what `rollback --list` reads), and with it the
      // parents a fixture may not have had.
      if (opts.excludeJournal && (rel.startsWith('var/lib/xen-net-wizard') || rel === 'var' || rel === 'var/lib')) continue;
      const st = fs.lstatSync(full);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) result.set(rel, `-> ${fs.readlinkSync(full)}`);
      else if (st.isDirectory()) {
        result.set(rel, `dir ${mode}`);
        walk(full);
      } else result.set(rel, `${createHash('sha256').update(fs.readFileSync(full)).digest('hex')} ${mode}`);
    }
  };
  walk(root);
  return result;
}

export function fingerprintDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).map((k) => `${k}: ${a.get(k) ?? '(absent)'} → ${b.get(k) ?? '(absent)'}`);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  /** stderr with wrapped messages joined back into one line each (see unwrapMessages). */
  stderr: string;
  /** stderr as the terminal shows it: wrapped at 80 columns. */
  rawStderr: string;
}

/**
 * Messages are wrapped at 80 columns, continuation lines indented by two spaces; tests that look
 * for a phrase read them joined again. The wrapper breaks next to an ASCII word only at a space,
 * and between Japanese characters without one, so a space goes back exactly where ASCII touches the break.
 */
export function unwrapMessages(text: string): string {
  return text.replace(/(\S)\n {2}(?=(\S))/g, (_, before: string, after: string) =>
    before + (/[\x21-\x7e]/.test(before) || /[\x21-\x7e]/.test(after) ? ' ' : ''));
}

export function cliResult(r: { status: number | null; stdout: unknown; stderr: unknown }): CliResult {
  const rawStderr = String(r.stderr);
  return { status: r.status, stdout: String(r.stdout), stderr: unwrapMessages(rawStderr), rawStderr };
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): CliResult {
  const options: SpawnSyncOptions = {
    cwd: opts.cwd ?? PROJECT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  };
  return cliResult(spawnSync(process.execPath, [path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], options));
}

export function writeJson(file: string, data: unknown): string {
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

/** Lines `from`..`to` (1-based, inclusive) of seed 000, as the golden tests quote it. */
export function seedLines(from: number, to = from): string[] {
  return fs.readFileSync(SEED_000, 'utf8').split('\n').slice(from - 1, to);
}

/**
 * The core's promise for one root and answers file: apply changes files, a second plan has no
 * steps, rollback gives back every file (sha256, mode, symlink target).
 */
export function assertApplyIdempotentRollback(root: string, answers: string): void {
  const before = treeFingerprint(root);
  const applied = runCli(['apply', '--root', root, '--answers', answers, '--yes']);
  assert.is(applied.status, 0, applied.stderr);
  assert.ok(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })).length > 0, 'apply changed files');
  const again = runCli(['plan', '--root', root, '--answers', answers, '--json']);
  assert.is(again.status, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).steps, [], 'second plan has no steps');
  const back = runCli(['rollback', '--root', root]);
  assert.is(back.status, 0, back.stderr);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
}
