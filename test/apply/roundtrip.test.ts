// apply → rollback restores every file under the root byte-for-byte (modes and symlinks too);
// a failure injected at any step rolls back by itself; a second plan after apply has nothing to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { pausedApply } from '../_helpers/paused.js';

const answersFile = (extra: object = {}) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', ...extra });

// Every recipe's scenarios (test/_helpers/scenarios.ts): a recipe that registers one is covered here.
for (const scenario of SCENARIOS) {
  test(`${scenario.recipe} ${scenario.name}: apply → rollback leaves every file identical (sha256, mode, symlink)`, () => {
    const root = copyFixture(scenario.fixture);
    const before = treeFingerprint(root);
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
    const applied = runCli(['apply', '--root', root, '--answers', a, '--yes']);
    assert.is(applied.status, 0, applied.stderr);
    const during = treeFingerprint(root, { excludeJournal: true });
    assert.ok(fingerprintDiff(before, during).length > 0, 'apply changed files');
    const again = runCli(['plan', '--root', root, '--answers', a, '--json']);
    assert.is(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).steps, [], 'second plan has no steps');
    const human = runCli(['plan', '--root', root, '--answers', a]);
    assert.match(human.stdout, /Already configured/);
    const back = runCli(['rollback', '--root', root]);
    assert.is(back.status, 0, back.stderr);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
    const list = runCli(['rollback', '--root', root, '--list', '--json']);
    assert.is(JSON.parse(list.stdout).runs[0].status, 'rolled-back');
    const twice = runCli(['rollback', '--root', root]);
    assert.is(twice.status, 2, 'nothing left to roll back');
  });
}

for (const scenario of SCENARIOS) {
  test(`${scenario.recipe} ${scenario.name}: a failure injected at each step rolls back (exit 1, tree unchanged)`, () => {
    const fixture = scenario.fixture;
    const probe = copyFixture(fixture);
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
    const planned = JSON.parse(runCli(['plan', '--root', probe, '--answers', a, '--json']).stdout) as { steps: unknown[] };
    assert.ok(planned.steps.length > 0);
    for (let i = 0; i < planned.steps.length; i++) {
      const root = copyFixture(fixture);
      const before = treeFingerprint(root);
      const r = runCli(['apply', '--root', root, '--answers', a, '--yes'], { env: { XNW_FAIL_AT: String(i) } });
      assert.is(r.status, 1, `step ${i}: ${r.stderr}`);
      assert.match(r.stderr, /rolled back/);
      assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], `step ${i}`);
      const { runs } = JSON.parse(runCli(['rollback', '--root', root, '--list', '--json']).stdout) as { runs: { status: string }[] };
      assert.is(runs[0].status, 'rolled-back');
    }
  });
}

test('the journal keeps the plan and the original of a file before that file changes (apply stopped inside its write)', async () => {
  const root = copyFixture('centos5');
  const a = answersFile();
  const steps = (JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: { file?: { path: string } }[] }).steps;
  const index = steps.findIndex((st) => st.file?.path === '/etc/xen/centos51u');
  assert.ok(index > 0, 'the plan edits /etc/xen/centos51u');
  const originalText = fs.readFileSync(path.join(root, 'etc/xen/centos51u'), 'utf8');
  // Stopped with the new bytes in a temp file, not yet renamed over the config.
  const run = await pausedApply(root, a, { XNW_PAUSE_IN_WRITE: String(index) });
  try {
    const runs = path.join(root, 'var/lib/xen-net-wizard/runs');
    const dir = path.join(runs, fs.readdirSync(runs)[0]);
    assert.is(fs.readFileSync(path.join(root, 'etc/xen/centos51u'), 'utf8'), originalText, 'the config is not changed yet');
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as { done: { id: string; file?: { path: string; saved: string } }[] };
    const entry = state.done.find((d) => d.file?.path === '/etc/xen/centos51u');
    assert.ok(entry, 'the step is in the journal before the file changes');
    assert.is(fs.readFileSync(path.join(dir, 'files', entry!.file!.saved), 'utf8'), originalText, 'its original is saved already');
    assert.ok(fs.existsSync(path.join(dir, 'plan.json')), 'the plan is saved already');
  } finally {
    await run.kill();
  }
});

test('the journal keeps the plan and the originals after the run', () => {
  const root = copyFixture('centos5');
  const r = runCli(['apply', '--root', root, '--answers', answersFile(), '--yes', '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { runId: string; journal: string; listedCommands: string[] };
  const dir = path.join(root, 'var/lib/xen-net-wizard/runs', out.runId);
  assert.is(out.journal, dir);
  const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8'));
  assert.is(state.status, 'applied');
  const saved = fs.readdirSync(path.join(dir, 'files'));
  assert.ok(saved.some((f) => f.endsWith('centos51u')), saved.join(','));
  const original = fs.readFileSync(path.join(dir, 'files', saved.find((f) => f.endsWith('-centos51u'))!), 'utf8');
  assert.ok(original.includes('bridge=virbr0'));
  assert.ok(out.listedCommands.includes('virsh net-destroy default'));
  assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard/lock')), 'lock released');
});

test('offline: net-autostart --disable removes the autostart link like `systemctl --root`', () => {
  const root = copyFixture('debian12');
  const link = path.join(root, 'etc/libvirt/qemu/networks/autostart/default.xml');
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.is(runCli(['apply', '--root', root, '--answers', answersFile(), '--yes']).status, 0);
  assert.not.ok(fs.existsSync(link));
  assert.is(runCli(['rollback', '--root', root]).status, 0);
  assert.is(fs.readlinkSync(link), '../default.xml');
});

test('a second apply while one holds the lock is refused (exit 2)', () => {
  const root = copyFixture('centos5');
  fs.mkdirSync(path.join(root, 'var/lib/xen-net-wizard'), { recursive: true });
  fs.writeFileSync(path.join(root, 'var/lib/xen-net-wizard/lock'), `${process.pid}\n`);
  const before = treeFingerprint(root);
  const r = runCli(['apply', '--root', root, '--answers', answersFile(), '--yes']);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /lock/);
  assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
});

test('a stale lock (its process is gone) is taken over', () => {
  const root = copyFixture('centos5');
  fs.mkdirSync(path.join(root, 'var/lib/xen-net-wizard'), { recursive: true });
  fs.writeFileSync(path.join(root, 'var/lib/xen-net-wizard/lock'), '999999\n');
  assert.is(runCli(['apply', '--root', root, '--answers', answersFile(), '--yes']).status, 0);
});

test('--save-answers writes a replayable file with the generated MACs', () => {
  const root = copyFixture('centos5');
  const saved = path.join(tempDir(), 'saved.json');
  assert.is(runCli(['apply', '--root', root, '--answers', answersFile(), '--yes', '--save-answers', saved]).status, 0);
  const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
  assert.is(answers.recipe, 'single-bridge');
  assert.is(answers['wan.nic'], 'eth0');
  assert.is(answers['wan.bridge'], 'xenbr0');
  const mac = answers.macs['centos51u2#0'];
  assert.match(mac, /^00:16:3e:/);
  assert.ok(fs.readFileSync(path.join(root, 'etc/xen/centos51u2'), 'utf8').includes(`mac=${mac},bridge=xenbr0`));
  const fresh = copyFixture('centos5');
  const replay = runCli(['plan', '--root', fresh, '--answers', saved, '--json']);
  assert.ok(replay.stdout.includes(`mac=${mac},bridge=xenbr0`), 'replay gives the same MAC');
});

test.run();
