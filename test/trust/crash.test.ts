// Crash injection (issue 7, part 2): for every recipe's scenario, SIGKILL the apply at each step
// boundary (XNW_PAUSE_AT) and in the middle of each file write — temp file written, not yet renamed
// (XNW_PAUSE_IN_WRITE). After each kill the next `rollback`, or the next `apply` (which must notice
// the unfinished journal first), restores the tree byte-for-byte and leaves no temp file anywhere.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { pausedApply } from '../_helpers/paused.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { samplePoints, sampleFigure } from '../_helpers/sample.js';
import { removeStaleTemps } from '../../src/exec/staleTemps.js';

interface PlannedStep { kind: string; file?: { path: string; after: string | null } }

/** Our temp files (`.NAME.xnw-PID`) anywhere under the root, the journal excluded. */
function tempFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const rel = path.relative(root, path.join(dir, e.name));
      if (rel.startsWith('var/lib/xen-net-wizard')) continue;
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (/^\..+\.xnw-\d+$/.test(e.name)) found.push(rel);
    }
  };
  walk(root);
  return found;
}

/** Every STRIDE-th kill point runs in `npm test`, every one in `npm run test:exhaustive`. */
const STRIDE = 6;
let killPoints = 0;
let allPoints = 0;

SCENARIOS.forEach((scenario, scenarioIndex) => {
  const answers = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
  const planned = runCli(['plan', '--root', copyFixture(scenario.fixture), '--answers', answers, '--json']);
  const steps = (JSON.parse(planned.stdout) as { steps: PlannedStep[] }).steps;
  const points: { label: string; hook: Record<string, string>; file?: string }[] = [
    ...steps.map((_, i) => ({ label: `before step ${i + 1}/${steps.length}`, hook: { XNW_PAUSE_AT: String(i) } })),
    ...steps.flatMap((s, i) => (s.kind === 'file' && s.file && s.file.after !== null
      ? [{ label: `inside the write of ${s.file.path} (step ${i + 1})`, hook: { XNW_PAUSE_IN_WRITE: String(i) }, file: s.file.path }]
      : [])),
  ];

  test(`${scenario.recipe} ${scenario.name}: has steps and file writes to kill`, () => {
    assert.ok(steps.length > 0 && points.length > steps.length, `${steps.length} steps, ${points.length} kill points`);
  });
  allPoints += points.length;

  // A sample in `npm test` (test/_helpers/sample.ts): the first boundary and the first write kept.
  samplePoints(points, { stride: STRIDE, scenario: scenarioIndex, kind: (p) => (p.file ? 'write' : 'boundary') }).forEach((point, n) => {
    // Alternate the way out: the next rollback, or the next apply (which recovers first).
    const via = n % 2 === 0 ? 'rollback' : 'apply';
    test(`${scenario.recipe} ${scenario.name}: SIGKILL ${point.label} → next ${via} restores byte-for-byte, no temp file left`, async () => {
      const root = copyFixture(scenario.fixture);
      const original = treeFingerprint(root);
      const run = await pausedApply(root, answers, point.hook);
      await run.kill();
      const pid = run.pid;
      killPoints++;
      if (point.file) {
        // Proof that the kill hit the write: the temp file is there, the target not yet replaced.
        const tmp = path.join(path.dirname(point.file), `.${path.basename(point.file)}.xnw-${pid}`).slice(1);
        assert.ok(fs.existsSync(path.join(root, tmp)), `temp file ${tmp} present after the kill`);
      }
      if (via === 'rollback') {
        const back = runCli(['rollback', '--root', root]);
        assert.is(back.status, 0, back.stderr);
        assert.match(back.stderr, /was left applying .*rolling it back first/);
      } else {
        const next = runCli(['apply', '--root', root, '--answers', answers, '--yes']);
        assert.is(next.status, 0, next.stderr);
        assert.match(next.stderr, /was left applying .*rolling it back first/);
        const { runs } = JSON.parse(runCli(['rollback', '--root', root, '--list', '--json']).stdout) as { runs: { status: string }[] };
        assert.equal(runs.map((r) => r.status), ['rolled-back', 'applied']);
        const back = runCli(['rollback', '--root', root]);
        assert.is(back.status, 0, back.stderr);
      }
      assert.equal(tempFiles(root), [], 'no temp file beside a config');
      assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
    });
  });
});

test('recovery removes only our temp files of that config whose writer is dead', () => {
  const dir = tempDir();
  const file = path.join(dir, 'centos51u');
  const names = {
    dead: '.centos51u.xnw-999999', live: `.centos51u.xnw-${process.ppid}`, other: '.centos51u2.xnw-999999',
    notPid: '.centos51u.xnw-abc', admins: '.centos51u.swp', dirNamedLikeOurs: '.centos51u.xnw-999998',
  };
  for (const [key, name] of Object.entries(names)) {
    if (key === 'dirNamedLikeOurs') fs.mkdirSync(path.join(dir, name));
    else fs.writeFileSync(path.join(dir, name), key);
  }
  assert.equal(removeStaleTemps(file), [path.join(dir, names.dead)]);
  assert.equal(fs.readdirSync(dir).sort(), Object.entries(names).filter(([k]) => k !== 'dead').map(([, n]) => n).sort());
});

test('figures: kill points exercised', () => {
  console.log(`\n  crash injection: SIGKILL at ${sampleFigure(killPoints, allPoints, 'kill points')} over ${SCENARIOS.length} scenarios, each restored byte-for-byte`);
  assert.ok(killPoints >= SCENARIOS.length * 2);
});

test.run();
