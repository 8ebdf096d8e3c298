// `npm test` itself (scripts/test.mjs) on a tiny project: a check that cannot run is counted and
// listed as skipped, never as passed; under CI=true the same check is a failure and the run exits 1.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, tempDir } from './_helpers/roots.js';
import { NOBODY, nobodyApp } from './_helpers/asNobody.js';
import { needsRoot, testUnless } from './_helpers/skip.js';
import { skipReasons, slowestSuites, suiteTimer, summaryLines, uvuCounts } from '../scripts/testSummary.mjs';

/**
 * A project with one suite: a check that runs, one that needs a tool nobody has, one that needs root.
 * Self-contained (its own copy of the skip helper; node_modules linked from `modules`), so that
 * nobody can run it even when the clone sits in a 0700 directory.
 */
function tinyProject(modules = path.join(PROJECT, 'node_modules')): string {
  const dir = tempDir('xnw-runner-');
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.mkdirSync(path.join(dir, 'test'));
  for (const f of ['test.mjs', 'testSummary.mjs']) fs.copyFileSync(path.join(PROJECT, 'scripts', f), path.join(dir, 'scripts', f));
  fs.writeFileSync(path.join(dir, 'scripts/setup-test-deps.sh'), 'echo "test deps: (tiny project) nothing to install"\n');
  fs.symlinkSync(modules, path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'test/_helpers'));
  for (const f of ['skip.ts', 'roots.ts']) fs.copyFileSync(path.join(PROJECT, 'test/_helpers', f), path.join(dir, 'test/_helpers', f));
  fs.writeFileSync(path.join(dir, 'test/tiny.test.ts'), `
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { needsRoot, testUnless } from './_helpers/skip.js';
test('arithmetic', () => assert.is(1 + 1, 2));
testUnless(test, 'frobnicate is not installed', 'the frobnicate oracle', () => assert.ok(true));
testUnless(test, needsRoot(), 'chown of an edited file', () => assert.ok(true));
test.run();
`);
  return dir;
}

function npmTest(dir: string, env: NodeJS.ProcessEnv, asNobody = false) {
  const argv = [process.execPath, 'scripts/test.mjs', '\\.test\\.ts$'];
  const cmd = asNobody ? ['setpriv', '--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', ...argv] : argv;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'XNW_SKIP_LOG'));
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: dir, encoding: 'utf8', env: { ...clean, ...env }, timeout: 120_000 });
  const out = `${r.stdout}${r.stderr}`;
  const summary = /^(\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(r.stdout);
  assert.ok(summary, out);
  const stdoutLines = String(r.stdout).split('\n').filter((l) => l.trim() !== '');
  return { status: r.status, out, summary: summary![0], stdoutLines };
}

const project = tinyProject();
const root = process.getuid?.() === 0;

test('a tool that is missing: the check is counted and listed as skipped, not as passed (exit 0)', () => {
  const r = npmTest(project, {});
  // Where the time went is printed before the counts: the tiny suite is named with its seconds.
  assert.match(r.out, /^slowest suites \(uvu \d+ s in all\):$/m);
  assert.match(r.out, /^ +\d+\.\d s {2}tiny\.test\.ts$/m);
  assert.is(r.summary, root ? '2 passed, 0 failed, 1 skipped' : '1 passed, 0 failed, 2 skipped');
  assert.match(r.out, /^ {2}skipped: the frobnicate oracle — frobnicate is not installed$/m);
  // CI reads the run's last line as its verdict: the counts close the output, after the list.
  assert.is(r.stdoutLines.at(-1), r.summary);
  assert.is(r.status, 0, r.out);
});

test('CI=true: the same missing tool is a failure that says what is missing (exit 1)', () => {
  const r = npmTest(project, { CI: 'true' });
  assert.is(r.summary, root ? '2 passed, 1 failed, 0 skipped' : '1 passed, 2 failed, 0 skipped');
  assert.match(r.out, /CI=true: cannot run "the frobnicate oracle": frobnicate is not installed/);
  assert.is(r.status, 1);
});

// Run as nobody through setpriv, which itself needs root.
testUnless(test, needsRoot(), 'not root: a check that needs root is skipped and listed; under CI=true it fails', () => {
  const mine = tinyProject(path.join(nobodyApp(), 'node_modules'));
  const plain = npmTest(mine, { HOME: '/tmp' }, true);
  assert.is(plain.summary, '1 passed, 0 failed, 2 skipped');
  assert.match(plain.out, /^ {2}skipped: chown of an edited file — needs root$/m);
  assert.is(plain.status, 0, plain.out);
  const ci = npmTest(mine, { HOME: '/tmp', CI: 'true' }, true);
  assert.is(ci.summary, '1 passed, 2 failed, 0 skipped');
  assert.is(ci.status, 1);
});

test('uvu\'s block becomes the counts: what ran and did not pass failed; a crash before the block is a failure', () => {
  const out = '\n  Total:     7\n  Passed:    5\n  Skipped:   3\n  Duration:  1.00ms\n';
  assert.equal(uvuCounts(out, 1), { passed: 5, failed: 2, skipped: 3, ran: 7 });
  assert.equal(uvuCounts('', 1), { passed: 0, failed: 1, skipped: 0, ran: 0 });
  assert.equal(uvuCounts(out.replace('Skipped:   3', 'Skipped:   \x1b[33m3\x1b[39m'), 1).skipped, 3, 'coloured numbers');
  assert.equal(uvuCounts(out.replace('Passed:    5', 'Passed:    7'), 0), { passed: 7, failed: 0, skipped: 3, ran: 7 });
});

test('the skip log lists each reason once, in order, under the counts', () => {
  const log = [{ what: 'a', why: 'x' }, { what: 'b', why: 'y' }, { what: 'a', why: 'x' }].map((e) => JSON.stringify(e)).join('\n') + '\n';
  const skips = skipReasons(log);
  assert.equal(summaryLines({ passed: 1, failed: 0, skipped: 2 }, skips), ['  skipped: a — x', '  skipped: b — y', '1 passed, 0 failed, 2 skipped']);
});


test('suite timing: a suite lasts from its name to the next one; names split across chunks are found', () => {
  const realNow = Date.now;
  let now = 1_000;
  Date.now = () => now;
  try {
    const timer = suiteTimer(0);
    now = 2_000;
    timer.feed('\x1b[1mfirst.test.ts\x1b[22m\n• • \n');
    now = 5_000;
    timer.feed('sec');
    timer.feed('ond/nested.test.ts\n•');
    now = 5_500;
    timer.feed('\n  Total: 3\n');
    const durations = timer.finish(7_500);
    assert.equal(durations, [
      { name: '(import of every suite)', ms: 2_000 },
      { name: 'first.test.ts', ms: 3_000 },
      { name: 'second/nested.test.ts', ms: 2_500 },
    ]);
    assert.equal(slowestSuites(durations, 2), ['slowest suites (uvu 8 s in all):', '      3.0 s  first.test.ts', '      2.5 s  second/nested.test.ts']);
  } finally {
    Date.now = realNow;
  }
});

test.run();
