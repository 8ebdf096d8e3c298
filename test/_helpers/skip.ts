// Honest skips: a check that cannot run here is registered as *skipped* (uvu counts it, and
// `npm test` lists its reason in the closing summary), never as a test body that only logs and so
// counts as passed. Under CI=true a missing tool or a missing root is a failure instead: CI is
// where every check must run.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Test } from 'uvu';
import { PROJECT } from './roots.js';

type Body = Parameters<Test>[1];

/** True on a CI run (`CI=true`, as GitHub Actions and most runners set it). */
export function onCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

function record(what: string, why: string): void {
  console.log(`SKIPPED ${what}: ${why}`);
  const log = process.env.XNW_SKIP_LOG;
  if (log) fs.appendFileSync(log, JSON.stringify({ what, why }) + '\n');
}

/**
 * Registers `name` on `suite` when `missing` is null; otherwise the check is skipped with `missing`
 * as the reason — or, on CI, registered as a failing test that says what is missing.
 */
export function testUnless(suite: Test, missing: string | null, name: string, body: Body): void {
  if (missing === null) suite(name, body);
  else skipCheck(suite, name, missing);
}

/** Counts one check (or a whole suite that cannot start, named by `what`) as skipped because of `why`. */
export function skipCheck(suite: Test, what: string, why: string): void {
  if (onCi()) {
    suite(what, () => {
      throw new Error(`CI=true: cannot run "${what}": ${why} (scripts/setup-test-deps.sh installs the tools; CI runs as root)`);
    });
    return;
  }
  suite.skip(what, () => {});
  record(what, why);
}

/** The reason a check that needs root cannot run here, or null. */
export function needsRoot(): string | null {
  return process.getuid?.() === 0 ? null : 'needs root';
}

// What the oracles need, probed once per process: each returns why it is missing, or null.
const SETUP = 'scripts/setup-test-deps.sh installs it as root';

/** A command on PATH. */
export function missingCommand(cmd: string): string | null {
  return spawnSync('sh', ['-c', `command -v "$1"`, 'sh', cmd]).status === 0 ? null : `${cmd} is not installed (${SETUP})`;
}

let xlu: string | null | undefined;
/** Xen's libxlutil through test/oracle/xlu.py (python3 + libxenmisc4.17). */
export function missingXlu(): string | null {
  if (xlu !== undefined) return xlu;
  const probe = spawnSync('python3', [path.join(PROJECT, 'test/oracle/xlu.py'), '/dev/null'], { encoding: 'utf8' });
  xlu = probe.error ? `python3 is not installed (${SETUP})`
    : probe.status === 0 ? null : `libxlutil oracle: ${(probe.stdout || probe.stderr).trim()} (${SETUP})`;
  return xlu;
}

/** libvirt's virt-xml-validate. */
export function missingValidator(): string | null {
  return spawnSync('virt-xml-validate', ['--help'], { stdio: 'ignore' }).error ? `virt-xml-validate is not installed (${SETUP})` : null;
}

/** A file of a Debian package that setup-test-deps.sh unpacks into .cache/debs (never installs). */
export function missingUnpacked(rel: string): string | null {
  return fs.existsSync(path.join(PROJECT, '.cache/debs', rel)) ? null : `.cache/debs/${rel} is not unpacked (scripts/setup-test-deps.sh needs root)`;
}
