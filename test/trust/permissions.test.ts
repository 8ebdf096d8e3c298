// Concurrency and permissions (issue 7, part 5): a second apply while one runs is refused and
// changes nothing; a stale lock from a killed run is detected and explained; edited files keep
// their mode and owner; the journal is root-only (0700 / 0600); not root on a live host → exit 2
// before anything that needs root is read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { pausedApply } from '../_helpers/paused.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { openToNobody, runCliAsNobody } from '../_helpers/asNobody.js';
import { needsRoot, testUnless } from '../_helpers/skip.js';

const STATE = 'var/lib/xen-net-wizard';
const scenario = SCENARIOS[0];
const answersFile = () => writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));

test('a second apply while one runs is refused (exit 2, the lock and its PID named) and changes nothing', async () => {
  const root = copyFixture(scenario.fixture);
  const a = answersFile();
  const first = await pausedApply(root, a, { XNW_PAUSE_AT: '1' });
  try {
    const during = treeFingerprint(root);
    for (const command of [['apply', '--answers', a, '--yes'], ['rollback']]) {
      const second = runCli([...command, '--root', root]);
      assert.is(second.status, 2, second.stderr);
      assert.ok(second.stderr.includes(`PID ${first.pid}`) && second.stderr.includes(path.join(root, STATE, 'lock')), second.stderr);
      assert.equal(fingerprintDiff(during, treeFingerprint(root)), [], `${command[0]}: nothing changed, journal and lock included`);
    }
  } finally {
    await first.kill();
  }
});

test('a stale lock from a killed run is detected and explained, its run rolled back, then apply proceeds', async () => {
  const root = copyFixture(scenario.fixture);
  const original = treeFingerprint(root);
  const a = answersFile();
  const first = await pausedApply(root, a, { XNW_PAUSE_AT: '1' });
  await first.kill();
  assert.is(fs.readFileSync(path.join(root, STATE, 'lock'), 'utf8').trim(), String(first.pid), 'the killed run left its lock');
  const next = runCli(['apply', '--root', root, '--answers', a, '--yes']);
  assert.is(next.status, 0, next.stderr);
  assert.ok(next.stderr.includes(`A lock left by process ${first.pid}, which is no longer running`), next.stderr);
  assert.match(next.stderr, /was left applying .*rolling it back first/);
  assert.is(runCli(['rollback', '--root', root]).status, 0);
  assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
});

/** Every entry of the state directory with its mode. */
function journalModes(root: string): Map<string, number> {
  const modes = new Map<string, number>();
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    modes.set(path.relative(root, p), st.mode & 0o7777);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(path.join(root, STATE));
  return modes;
}

for (const s of SCENARIOS) {
  test(`${s.recipe} ${s.name}: the journal is root-only — directories 0700, files 0600 — after apply and after rollback`, () => {
    const root = copyFixture(s.fixture);
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
    for (const command of [['apply', '--answers', a, '--yes'], ['rollback']]) {
      assert.is(runCli([...command, '--root', root]).status, 0);
      const modes = journalModes(root);
      assert.ok(modes.size >= 5, [...modes.keys()].join(' '));
      for (const [p, mode] of modes) {
        const want = fs.lstatSync(path.join(root, p)).isDirectory() ? 0o700 : 0o600;
        assert.is(mode.toString(8), want.toString(8), `${command[0]}: ${p}`);
      }
    }
  });
}

test('an existing state directory of mode 0755 (an older version) is tightened to 0700 by the next run', () => {
  const root = copyFixture(scenario.fixture);
  fs.mkdirSync(path.join(root, STATE, 'runs'), { recursive: true, mode: 0o755 });
  assert.is(runCli(['apply', '--root', root, '--answers', answersFile(), '--yes']).status, 0);
  assert.is((fs.statSync(path.join(root, STATE)).mode & 0o777).toString(8), '700');
  assert.is((fs.statSync(path.join(root, STATE, 'runs')).mode & 0o777).toString(8), '700');
});

// chown, and running as nobody through setpriv, need root: counted as skipped without it.
for (const s of SCENARIOS) {
  testUnless(test, needsRoot(), `${s.recipe} ${s.name}: every edited file keeps its mode and owner through apply and rollback`, () => {
    const root = copyFixture(s.fixture);
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
    const plan = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: { file?: { path: string; before: string | null } }[] };
    const edited = plan.steps.flatMap((st) => (st.file && st.file.before !== null ? [st.file.path] : []));
    assert.ok(edited.length > 0);
    edited.forEach((p, i) => {
      fs.chownSync(path.join(root, p), 1000 + i, 2000 + i);
      fs.chmodSync(path.join(root, p), i % 2 ? 0o640 : 0o604);
    });
    const stat = (p: string) => { const st = fs.statSync(path.join(root, p)); return `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`; };
    const before = edited.map(stat);
    assert.is(runCli(['apply', '--root', root, '--answers', a, '--yes']).status, 0);
    assert.equal(edited.map(stat), before, 'after apply');
    assert.ok(edited.every((p) => fs.readFileSync(path.join(root, p), 'utf8') !== ''), 'files written');
    assert.is(runCli(['rollback', '--root', root]).status, 0);
    assert.equal(edited.map(stat), before, 'after rollback');
  });
}

testUnless(test, needsRoot(), 'not root on a live host (--root /) → exit 2 before anything is read: apply and rollback never open their answers', () => {
  // A FIFO without a writer: reading it would block until the timeout, so exit 2 *quickly* proves it was never opened.
  const dir = tempDir();
  const fifo = path.join(dir, 'answers.json');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0);
  openToNobody(fifo);
  fs.chmodSync(fifo, 0o666);
  // (The wizard on a machine that is not a dom0 runs the demo copy, not the live host: not this case.)
  for (const command of [['apply', '--yes'], ['rollback']]) {
    const started = Date.now();
    const r = runCliAsNobody([...command, '--answers', fifo], { LANG: 'ja_JP.UTF-8' });
    assert.is(r.status, 2, `${command[0]}: ${r.stderr}`);
    assert.match(r.stderr, /root/);
    assert.match(r.stderr, /何も変更していません/);
    assert.ok(Date.now() - started < 30_000, 'did not block on the answers file');
  }
  const en = runCliAsNobody(['apply', '--yes', '--answers', fifo]);
  assert.match(en.stderr, /must run as root/);
});

test.run();
