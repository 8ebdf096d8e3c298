// Idempotence and drift (issue 7, part 6), for every recipe's scenario: apply twice → the second
// plan is empty and the second apply changes nothing; a file changed by hand after apply →
// `rollback` refuses (exit 2, the diff shown, not one byte or journal entry changed) until --force.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, unwrapMessages, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { SCENARIOS, answersOf, recipesWithoutScenario } from '../_helpers/scenarios.js';
import { pausedApply } from '../_helpers/paused.js';

test('every available recipe has a scenario, so every suite here covers it', () => {
  assert.equal(recipesWithoutScenario(), []);
});

interface PlannedStep { kind: string; file?: { path: string; after: string | null } }

for (const scenario of SCENARIOS) {
  const label = `${scenario.recipe} ${scenario.name}`;
  const answersFile = () => writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));

  test(`${label}: apply twice → the second plan is empty and the second apply changes nothing`, () => {
    const root = copyFixture(scenario.fixture);
    const a = answersFile();
    const first = runCli(['apply', '--root', root, '--answers', a, '--yes']);
    assert.is(first.status, 0, first.stderr);
    const plan = runCli(['plan', '--root', root, '--answers', a, '--json']);
    assert.is(plan.status, 0, plan.stderr);
    assert.equal(JSON.parse(plan.stdout).steps, []);
    const applied = treeFingerprint(root);
    const second = runCli(['apply', '--root', root, '--answers', a, '--yes', '--json']);
    assert.is(second.status, 0, second.stderr);
    assert.is(JSON.parse(second.stdout).status, 'already-configured');
    assert.equal(fingerprintDiff(applied, treeFingerprint(root)), [], 'journal included: no new run');
  });

  test(`${label}: a file edited by hand after apply → rollback refuses with the diff (exit 2, nothing changed), --force restores`, () => {
    const root = copyFixture(scenario.fixture);
    const original = treeFingerprint(root);
    const a = answersFile();
    const applied = runCli(['apply', '--root', root, '--answers', a, '--yes', '--json']);
    assert.is(applied.status, 0, applied.stderr);
    const plan = JSON.parse(fs.readFileSync(path.join(JSON.parse(applied.stdout).journal, 'plan.json'), 'utf8')) as { steps: PlannedStep[] };
    const written = plan.steps.find((s) => s.kind === 'file' && s.file?.after);
    assert.ok(written, 'the plan writes a file');
    const file = path.join(root, written!.file!.path);
    fs.appendFileSync(file, '# added by hand after apply\n');
    const edited = treeFingerprint(root);

    for (const lang of ['C', 'ja_JP.UTF-8']) {
      const refused = runCli(['rollback', '--root', root], { env: { LANG: lang } });
      assert.is(refused.status, 2, refused.stderr);
      assert.ok(refused.stderr.includes(written!.file!.path), refused.stderr);
      assert.ok(refused.stderr.includes('+# added by hand after apply'), `the diff is shown: ${refused.stderr}`);
      assert.ok(refused.stderr.includes('--force'), refused.stderr);
      assert.match(refused.stderr, lang === 'C' ? /changed by hand/ : /手で変更されています/);
      assert.equal(fingerprintDiff(edited, treeFingerprint(root)), [], 'nothing changed, the journal included');
    }

    const forced = runCli(['rollback', '--root', root, '--force']);
    assert.is(forced.status, 0, forced.stderr);
    assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
  });

  test(`${label}: a file removed by hand after apply is drift too; an untouched run rolls back without --force`, () => {
    const root = copyFixture(scenario.fixture);
    const original = treeFingerprint(root);
    const a = answersFile();
    assert.is(runCli(['apply', '--root', root, '--answers', a, '--yes']).status, 0);
    const { runs } = JSON.parse(runCli(['rollback', '--root', root, '--list', '--json']).stdout) as { runs: { dir: string }[] };
    const plan = JSON.parse(fs.readFileSync(path.join(runs[0].dir, 'plan.json'), 'utf8')) as { steps: PlannedStep[] };
    const target = plan.steps.filter((s) => s.kind === 'file' && s.file?.after).at(-1)!.file!.path;
    const saved = fs.readFileSync(path.join(root, target));
    fs.rmSync(path.join(root, target));
    const refused = runCli(['rollback', '--root', root]);
    assert.is(refused.status, 2, refused.stderr);
    assert.ok(refused.stderr.includes(target), refused.stderr);
    // Put back exactly what apply wrote: no drift any more, a plain rollback restores everything.
    fs.writeFileSync(path.join(root, target), saved);
    const back = runCli(['rollback', '--root', root]);
    assert.is(back.status, 0, back.stderr);
    assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
  });

  test(`${label}: a killed run whose file was then edited by hand is not recovered over the edit — apply and rollback refuse, rollback --force restores`, async () => {
    const root = copyFixture(scenario.fixture);
    const original = treeFingerprint(root);
    const a = answersFile();
    const steps = (JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: PlannedStep[] }).steps;
    const run = await pausedApply(root, a, { XNW_PAUSE_AT: String(steps.length - 1) });
    await run.kill();
    const target = steps.find((s) => s.kind === 'file' && s.file?.after)!.file!.path;
    fs.appendFileSync(path.join(root, target), '# edited while the run was dead\n');
    const edited = treeFingerprint(root);
    for (const command of [['apply', '--answers', a, '--yes', '--force'], ['rollback']]) {
      const r = runCli([...command, '--root', root]);
      assert.is(r.status, 2, `${command[0]}: ${r.stderr}`);
      assert.ok(r.stderr.includes(target) && r.stderr.includes('+# edited while the run was dead'), r.stderr);
      assert.equal(fingerprintDiff(edited, treeFingerprint(root)), [], `${command[0]} changed nothing`);
    }
    const forced = runCli(['rollback', '--root', root, '--force']);
    assert.is(forced.status, 0, forced.stderr);
    assert.match(unwrapMessages(forced.stdout), /had been left unfinished/);
    assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
  });
}

test.run();
