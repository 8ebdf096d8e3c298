// Recipe internal-dummy through the journal: apply → a second plan has nothing to do → rollback
// gives back every file byte for byte (sha256, mode, symlinks); --save-answers replays the run,
// generated MACs included.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { assertApplyIdempotentRollback, copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { answersFile, guideRoot } from './roots.js';

const roots: [string, () => string, object][] = [
  ['centos5/xend dummy0', () => guideRoot(), {}],
  ['centos5/xend second NIC', () => guideRoot({ eth1: true }), { 'internal.nic': 'eth1' }],
  ['debian12/xl port-less', () => copyFixture('debian12'), {}],
  ['debian12/xl over eno2', () => copyFixture('debian12'), { 'internal.nic': 'eno2' }],
  ['rhel-xl/xl ifcfg', () => copyFixture('rhel-xl'), {}],
];

for (const [name, make, extra] of roots) {
  test(`${name}: apply → second plan empty → rollback leaves every file identical`, () => {
    assertApplyIdempotentRollback(make(), answersFile(extra));
  });
}

test('--save-answers: every internal answer with the generated MACs; replayed on a fresh root it gives the same files', () => {
  const root = guideRoot();
  const saved = path.join(tempDir(), 'saved.json');
  const r = runCli(['apply', '--root', root, '--answers', answersFile({}), '--yes', '--save-answers', saved]);
  assert.is(r.status, 0, r.stderr);
  const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
  assert.is(answers.recipe, 'internal-dummy');
  assert.is(answers['internal.bridge'], 'xenbr1');
  assert.is(answers['internal.nic'], '');
  assert.is(answers['internal.address'], '192.168.200.1/24');
  assert.match(answers['internal.mac'], /^00:16:3e:/);
  assert.match(answers['internal.macs']['centos51u#1'], /^00:16:3e:/);
  const read = (r: string, p: string) => fs.readFileSync(path.join(r, p), 'utf8');
  assert.ok(read(root, 'etc/sysconfig/network-scripts/ifcfg-dummy0').includes(`MACADDR=${answers['internal.mac']}\n`));
  const fresh = guideRoot();
  const replay = runCli(['apply', '--root', fresh, '--answers', saved, '--yes']);
  assert.is(replay.status, 0, replay.stderr);
  for (const p of ['etc/sysconfig/network-scripts/ifcfg-dummy0', 'etc/xen/centos51u', 'etc/xen/centos51u2', 'etc/xen/xml/centos51u.xml', 'etc/xen/scripts/network-bridge-custom', 'etc/modprobe.conf']) {
    assert.is(read(fresh, p), read(root, p), p);
  }
});

test('a failure injected at each step of the xend plan rolls back (exit 1, tree unchanged)', () => {
  const probe = guideRoot();
  const a = answersFile({ 'internal.mac': '00:16:3e:6f:5c:17', 'internal.macs': { centos51u: '00:16:3e:17:d4:88', centos51u2: '00:16:3e:17:d4:98' }, macs: { centos51u2: '00:16:3e:17:d4:97' } });
  const steps = (JSON.parse(runCli(['plan', '--root', probe, '--answers', a, '--json']).stdout) as { steps: unknown[] }).steps;
  assert.ok(steps.length >= 10);
  for (let i = 0; i < steps.length; i++) {
    const root = guideRoot();
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', a, '--yes'], { env: { XNW_FAIL_AT: String(i) } });
    assert.is(r.status, 1, `step ${i}: ${r.stderr}`);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], `step ${i}`);
  }
});

test.run();
