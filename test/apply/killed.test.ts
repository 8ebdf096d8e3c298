// kill -9 of the wizard between any two steps: the journal says the run is unfinished, and the
// next run rolls it back before doing anything else — so nothing is ever left half-changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff, PROJECT } from '../_helpers/roots.js';

const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', macs: { centos51u2: '00:16:3e:01:02:03' } });

async function killAt(root: string, step: number): Promise<void> {
  const child = spawn(process.execPath, [path.join(PROJECT, 'bin/xen-net-wizard.js'), 'apply', '--root', root, '--answers', answers, '--yes'], {
    env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1', XNW_PAUSE_AT: String(step) },
    stdio: 'ignore',
  });
  const runs = path.join(root, 'var/lib/xen-net-wizard/runs');
  const end = Date.now() + 20_000;
  for (;;) {
    const paused = fs.existsSync(runs) && fs.readdirSync(runs).some((r) => fs.existsSync(path.join(runs, r, 'paused')));
    if (paused) break;
    if (Date.now() > end) throw new Error(`never reached step ${step}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.is(child.exitCode, null, 'still running when killed');
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const steps = (JSON.parse(runCli(['plan', '--root', copyFixture('centos5'), '--answers', answers, '--json']).stdout) as { steps: unknown[] }).steps.length;

for (let step = 1; step < steps; step++) {
  test(`kill -9 before step ${step + 1}/${steps}: the next apply rolls the unfinished run back first`, async () => {
    const root = copyFixture('centos5');
    const original = treeFingerprint(root);
    await killAt(root, step);
    assert.ok(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })).length > 0 || step === 1, 'half-changed');
    const next = runCli(['apply', '--root', root, '--answers', answers, '--yes']);
    assert.is(next.status, 0, next.stderr);
    assert.match(next.stderr, /was left applying .*rolling it back first/);
    const runs = JSON.parse(runCli(['rollback', '--root', root, '--list', '--json']).stdout) as { status: string }[];
    assert.equal(runs.map((r) => r.status), ['rolled-back', 'applied'], next.stdout.slice(-600) + next.stderr.slice(-600));
    assert.is(runCli(['rollback', '--root', root]).status, 0);
    assert.equal(fingerprintDiff(original, treeFingerprint(root, { excludeJournal: true })), []);
  });
}

test.run();
