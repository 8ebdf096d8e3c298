// Disk faults at every write point (issue 18, part 1): for every recipe's scenario, each write of an
// `apply` (lock, journal, each config, the answers file) is made to fail in turn — no space, quota,
// read-only, I/O error — through the XNW_DISK_FAULT seam. Before the first config changed: exit 2,
// the path named, nothing changed, no journal, lock or temp file left. After: rolled back byte-for-
// byte, exit 1. With the filesystem gone read-only for good (every later write fails too): exit 4,
// and the commands it prints finish the rollback by hand, byte-for-byte.
// Real filesystems (tmpfs, read-only bind mounts in a private mount namespace) are in diskReal.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { leftovers } from '../_helpers/leftovers.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { samplePoints, sampleFigure } from '../_helpers/sample.js';
import { DISK_FAULT_CODES } from '../../src/system/diskFault.js';
import { main } from '../../dist/src/main.js';
import { PassThrough, Writable } from 'node:stream';

/** `apply` in this process (some 400 runs: a process each would take minutes), stderr captured. */
async function applyInProcess(args: string[], env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const sink = (collect: boolean) => new Writable({ write(chunk, _enc, done) { if (collect) stderr += chunk.toString(); done(); } });
  const io = { stdout: sink(false), stderr: sink(true), stdin: new PassThrough(), env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1', ...env }, isRoot: false };
  const status = await main(['apply', ...args], io);
  // Messages are wrapped to 80 columns: matched as one line.
  return { status, stderr: stderr.replace(/\s*\n\s*/g, ' ') };
}

const STATE = 'var/lib/xen-net-wizard';

interface WritePoint { n: number; kind: string; file: string }

/** The write points of one apply, in order, as the seam traced them. */
function writePoints(fixture: string, answers: string): { root: string; points: WritePoint[] } {
  const root = copyFixture(fixture);
  const trace = path.join(tempDir(), 'points');
  const saved = path.join(path.dirname(trace), 'saved.json');
  const r = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--save-answers', saved], { env: { XNW_WRITE_POINTS: trace } });
  assert.is(r.status, 0, r.stderr);
  const points = fs.readFileSync(trace, 'utf8').trim().split('\n').map((line) => {
    const [n, kind, ...file] = line.split(' ');
    return { n: Number(n), kind, file: file.join(' ') };
  });
  return { root, points };
}


const runs = (root: string) => {
  const dir = path.join(root, STATE, 'runs');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

const REASON: Record<string, RegExp> = {
  ENOSPC: /no space left/, EDQUOT: /quota is exceeded/, EROFS: /read-only/, EIO: /input\/output error/,
};

const tally = { nothingChanged: 0, rolledBack: 0, byHand: 0 };
/** Every STRIDE-th write point runs in `npm test`, every one in `npm run test:exhaustive`. */
const STRIDE = 4;
let allPoints = 0;
const byCode: Record<string, number> = Object.fromEntries(DISK_FAULT_CODES.map((c) => [c, 0]));

for (const [scenarioIndex, scenario] of SCENARIOS.entries()) {
  const dir = tempDir();
  const answers = writeJson(path.join(dir, 'a.json'), answersOf(scenario));
  const { root: traced, points } = writePoints(scenario.fixture, answers);
  // A config is changed once a write (or removal) outside the journal and the answers file is done.
  const isConfig = (p: WritePoint) => ['write', 'link', 'remove'].includes(p.kind) && !path.relative(traced, p.file).startsWith(STATE) && path.relative(traced, p.file) !== '..' && p.file.startsWith(traced);
  const firstChange = points.find(isConfig)?.n ?? Infinity;

  test(`${scenario.recipe} ${scenario.name}: write points traced (lock, journal, configs, answers file)`, () => {
    const kinds = new Set(points.map((p) => p.kind));
    assert.ok(kinds.has('lock') && kinds.has('mkdir') && kinds.has('write'), [...kinds].join(','));
    assert.ok(points.some((p) => p.file.endsWith('saved.json')), 'the answers file is a write point');
    assert.ok(points.some((p) => p.file.endsWith('state.json')) && Number.isFinite(firstChange));
  });

  allPoints += points.length;
  // The sample keeps the first write of each kind and both sides of the first change: the last
  // write that must leave nothing changed (exit 2) and the first that must roll back (exit 1).
  const lastBefore = points.filter((p) => p.n < firstChange).at(-1)?.n;
  const sample = samplePoints(points, { stride: STRIDE, scenario: scenarioIndex, kind: (p) => p.kind, always: (p) => p.n === firstChange || p.n === lastBefore });
  for (const point of sample) {
    const code = DISK_FAULT_CODES[point.n % DISK_FAULT_CODES.length];
    const rel = point.file.startsWith(traced) ? path.relative(traced, point.file) : path.basename(point.file);
    const expectChanged = point.n > firstChange;
    test(`${scenario.recipe} ${scenario.name}: ${code} at write ${point.n} (${point.kind} ${rel}) → ${expectChanged ? 'rolled back, exit 1' : 'nothing changed, exit 2'}`, async () => {
      const root = copyFixture(scenario.fixture);
      const original = treeFingerprint(root);
      const saved = path.join(tempDir(), 'saved.json');
      const target = point.file.startsWith(traced) ? path.join(root, rel) : saved;
      const r = await applyInProcess(['--json', '--root', root, '--answers', answers, '--yes', '--save-answers', saved], { XNW_DISK_FAULT: `${point.n}:${code}` });
      assert.match(r.stderr, REASON[code]);
      // The run's journal has an id of its own each time: any id matches.
      const named = new RegExp(target.split(/runs\/[0-9a-f-]+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('runs/[0-9a-f-]+'));
      assert.match(r.stderr.replace(/\s+/g, ''), named, `names ${target}`);
      assert.not.match(r.stderr, /internal error|    at /);
      if (expectChanged) {
        assert.is(r.status, 1, r.stderr);
        assert.match(r.stderr, /rolled back/);
        const ids = runs(root);
        assert.equal(ids.map((id) => (JSON.parse(fs.readFileSync(path.join(root, STATE, 'runs', id, 'state.json'), 'utf8')) as { status: string }).status), ['rolled-back']);
        tally.rolledBack++;
      } else {
        assert.is(r.status, 2, r.stderr);
        assert.match(r.stderr, /Nothing was changed/);
        assert.equal(runs(root), [], 'no journal kept for a run that changed nothing');
        tally.nothingChanged++;
      }
      assert.equal(leftovers(root), [], 'no temp or lock file');
      if (point.file === path.join(path.dirname(point.file), 'saved.json')) assert.not.ok(fs.existsSync(saved), 'no half answers file');
      assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
      byCode[code]++;
    });
  }

  // The filesystem goes read-only at the last write (the journal's "applied"), every config already
  // changed: the rollback cannot write either. Exit 4, the state told, the printed commands finish it.
  const last = points[points.length - 1];
  test(`${scenario.recipe} ${scenario.name}: read-only for good from write ${last.n} → exit 4, the commands shown finish the rollback`, () => {
    const root = copyFixture(scenario.fixture);
    const original = treeFingerprint(root);
    const saved = path.join(tempDir(), 'saved.json');
    const r = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--save-answers', saved], { env: { XNW_DISK_FAULT: `${last.n}+:EROFS` } });
    assert.is(r.status, 4, r.stderr);
    assert.match(r.stderr, /rollback did not complete/);
    assert.match(r.stderr.replace(/\s*\n\s*/g, ' '), /To finish by hand \(as root\), run in this order:/);
    // The commands are read from the screen as printed (stderr unwrapped joins continuation lines).
    const commands = r.rawStderr.split('\n').filter((l) => /^ *(install|rm -f|rmdir|ln -sfn) /.test(l)).join('\n');
    assert.ok(commands.trim().length > 0);
    assert.equal(leftovers(root), [], 'no temp or lock file');
    const sh = spawnSync('sh', ['-e', '-c', commands], { encoding: 'utf8' });
    assert.is(sh.status, 0, sh.stderr);
    assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
    tally.byHand++;
  });
}

test('figures: disk faults at every write point', () => {
  const total = tally.nothingChanged + tally.rolledBack;
  console.log(`\n  disk faults: ${sampleFigure(total, allPoints, 'write points')} over ${SCENARIOS.length} scenarios — ${tally.nothingChanged} nothing changed (exit 2), ${tally.rolledBack} rolled back (exit 1); ${Object.entries(byCode).map(([c, n]) => `${c} ${n}`).join(', ')}; read-only for good → exit 4 finished by hand: ${tally.byHand}`);
  assert.ok(tally.nothingChanged > 0 && tally.rolledBack > 0 && tally.byHand === SCENARIOS.length);
});

test.run();
