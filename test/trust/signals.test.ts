// SIGTERM and SIGINT at every step boundary (issue 18, part 5): unlike the kill -9 of crash.test.ts,
// the run undoes itself before it ends — the tree byte-for-byte as before, no temp or lock file, the
// journal "interrupted, rolled back", exit 143 / 130 (129 for a hang-up). Every boundary of every
// scenario runs in this process (the signal sent to itself while the run waits at XNW_PAUSE_AT, its
// handlers installed); a few run as real processes to show the exit status a shell sees.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff, PROJECT } from '../_helpers/roots.js';
import { leftovers } from '../_helpers/leftovers.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { samplePoints, sampleFigure } from '../_helpers/sample.js';
import { main } from '../../dist/src/main.js';

const RUNS = 'var/lib/xen-net-wizard/runs';
const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

async function waitPaused(root: string, done: () => boolean): Promise<void> {
  const runs = path.join(root, RUNS);
  const end = Date.now() + 30_000;
  while (!(fs.existsSync(runs) && fs.readdirSync(runs).some((r) => fs.existsSync(path.join(runs, r, 'paused'))))) {
    if (done()) throw new Error('apply ended before its pause');
    if (Date.now() > end) throw new Error('never paused');
    await new Promise((r) => setTimeout(r, 10));
  }
}


function assertUndone(root: string, original: Map<string, string>, signal: string): void {
  assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
  assert.equal(leftovers(root), [], 'no temp, lock or pause file');
  // The journal read directly (a `rollback --list` per test would double the suite's time).
  const runs = fs.readdirSync(path.join(root, RUNS));
  const states = runs.map((id) => JSON.parse(fs.readFileSync(path.join(root, RUNS, id, 'state.json'), 'utf8')) as { status: string; interrupted?: string });
  assert.equal(states.map((r) => [r.status, r.interrupted]), [['rolled-back', signal]]);
}

/** Every STRIDE-th step boundary runs in `npm test`, every one in `npm run test:exhaustive`. */
const STRIDE = 3;
let boundaries = 0;
let allBoundaries = 0;
const byExit: Record<number, number> = {};

for (const [scenarioIndex, scenario] of SCENARIOS.entries()) {
  const answers = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
  const planned = runCli(['plan', '--root', copyFixture(scenario.fixture), '--answers', answers, '--json']);
  const steps = (JSON.parse(planned.stdout) as { steps: unknown[] }).steps;
  allBoundaries += steps.length;
  samplePoints(steps.map((_, i) => i), { stride: STRIDE, scenario: scenarioIndex }).forEach((i) => {
    const signal = i % 2 === 0 ? 'SIGTERM' : 'SIGINT';
    test(`${scenario.recipe} ${scenario.name}: ${signal} before step ${i + 1}/${steps.length} → rolled back by the run itself, exit ${EXIT[signal]}`, async () => {
      const root = copyFixture(scenario.fixture);
      const original = treeFingerprint(root);
      let stderr = '';
      const io = {
        stdout: new Writable({ write(_c, _e, done) { done(); } }),
        stderr: new Writable({ write(c, _e, done) { stderr += c.toString(); done(); } }),
        stdin: new PassThrough(), env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1', XNW_PAUSE_AT: String(i) }, isRoot: false,
      };
      let status: number | null = null;
      const run = main(['apply', '--json', '--root', root, '--answers', answers, '--yes'], io).then((s) => (status = s));
      await waitPaused(root, () => status !== null);
      process.kill(process.pid, signal);
      await run;
      assert.is(status, EXIT[signal], stderr);
      assert.match(stderr, new RegExp(`interrupted \\(${signal}\\): every change was rolled back`));
      assertUndone(root, original, signal);
      boundaries++;
      byExit[status!] = (byExit[status!] ?? 0) + 1;
    });
  });
}

// The same as real processes: the exit status a shell sees, and the hang-up too.
for (const [scenario, step, signal] of [[SCENARIOS[0], 2, 'SIGTERM'], [SCENARIOS[1], 3, 'SIGINT'], [SCENARIOS[2], 2, 'SIGHUP']] as const) {
  test(`${scenario.recipe} ${scenario.name}: a real process sent ${signal} before step ${step + 1} exits ${EXIT[signal]}, rolled back`, async () => {
    const answers = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
    const root = copyFixture(scenario.fixture);
    const original = treeFingerprint(root);
    const child = spawn(process.execPath, [path.join(PROJECT, 'bin/xen-net-wizard.js'), 'apply', '--root', root, '--answers', answers, '--yes'], {
      env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1', XNW_PAUSE_AT: String(step) }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await waitPaused(root, () => child.exitCode !== null);
    child.kill(signal);
    assert.is(await exited, EXIT[signal], stderr);
    assertUndone(root, original, signal);
    assert.match(runCli(['rollback', '--root', root, '--list']).stdout, /interrupted, rolled back/);
  });
}

test('figures: signals at step boundaries', () => {
  console.log(`\n  signals: ${sampleFigure(boundaries, allBoundaries, 'step boundaries')} over ${SCENARIOS.length} scenarios, each rolled back by the run itself (${Object.entries(byExit).map(([c, n]) => `exit ${c}: ${n}`).join(', ')})`);
  assert.ok(boundaries >= SCENARIOS.length * 2);
});

test.run();
