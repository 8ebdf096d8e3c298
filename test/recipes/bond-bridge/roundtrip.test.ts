// bond-bridge through the core's machinery on every profile: apply → second plan empty →
// rollback leaves a sha256-identical tree; --save-answers replays the same plan elsewhere; a
// failure at any step rolls back by itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { assertApplyIdempotentRollback, copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { SCENARIOS, answersOf } from '../../_helpers/scenarios.js';

const scenarios = SCENARIOS.filter((s) => s.recipe === 'bond-bridge');

for (const s of scenarios) {
  test(`${s.name}: apply → second plan empty → rollback, every file identical (sha256, mode, symlink)`, () => {
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
    assertApplyIdempotentRollback(copyFixture(s.fixture), a);
  });

  test(`${s.name}: --save-answers replays to the same plan on another copy`, () => {
    const dir = tempDir();
    const saved = path.join(dir, 'saved.json');
    const first = runCli(['plan', '--root', copyFixture(s.fixture), '--answers', writeJson(path.join(dir, 'a.json'), answersOf(s)), '--json', '--save-answers', saved]);
    assert.is(first.status, 0, first.stderr);
    const answers = JSON.parse(fs.readFileSync(saved, 'utf8')) as Record<string, unknown>;
    for (const id of ['recipe', 'bond.slaves', 'bond.mode', 'bond.miimon', 'bond.bridge', 'back.nic', 'back.bridge', 'macs']) assert.ok(id in answers, id);
    assert.ok(Object.keys(answers.macs as object).some((k) => k.endsWith('#1')), 'the added vifs\' generated MACs are saved');
    const replay = runCli(['plan', '--root', copyFixture(s.fixture), '--answers', saved, '--json']);
    assert.is(replay.stdout, first.stdout);
  });
}

const xend = scenarios.find((s) => s.fixture === 'centos5-3nic')!;
test(`${xend.name}: a failure injected at each step rolls back (exit 1, tree unchanged)`, () => {
  const a = writeJson(path.join(tempDir(), 'a.json'), { ...answersOf(xend), macs: { 'centos51u#1': '00:16:3e:17:d4:88', 'centos51u2#0': '00:16:3e:17:d4:97', 'centos51u2#1': '00:16:3e:17:d4:98' } });
  const steps = (JSON.parse(runCli(['plan', '--root', copyFixture(xend.fixture), '--answers', a, '--json']).stdout) as { steps: unknown[] }).steps;
  assert.ok(steps.length >= 10);
  for (let i = 0; i < steps.length; i++) {
    const root = copyFixture(xend.fixture);
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', a, '--yes'], { env: { XNW_FAIL_AT: String(i) } });
    assert.is(r.status, 1, `step ${i}: ${r.stderr}`);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], `step ${i}`);
  }
});

test.run();
