// Recipe shadow-bridge through the journal and the answers file: --save-answers writes every answer
// (generated MACs included) and replays to the same files on a fresh root; bad answers exit 2 with
// the answer named and nothing changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { answersFile } from './roots.js';

for (const fixture of ['debian12', 'centos5', 'rhel-xl']) {
  test(`${fixture}: --save-answers round trip — every answer saved; replayed on a fresh root, the same files`, () => {
    const root = copyFixture(fixture);
    const saved = path.join(tempDir(), 'saved.json');
    const r = runCli(['apply', '--root', root, '--answers', answersFile({}), '--yes', '--save-answers', saved]);
    assert.is(r.status, 0, r.stderr);
    const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
    assert.is(answers.recipe, 'shadow-bridge');
    assert.is(answers['shadow.nic'], fixture === 'debian12' ? 'eno1' : 'eth0');
    assert.is(typeof answers.antispoof, 'boolean');
    assert.ok(Array.isArray(answers.guests) && answers.guests.length > 0);
    const fresh = copyFixture(fixture);
    const replay = runCli(['apply', '--root', fresh, '--answers', saved, '--yes']);
    assert.is(replay.status, 0, replay.stderr);
    const diff = fingerprintDiff(treeFingerprint(root, { excludeJournal: true }), treeFingerprint(fresh, { excludeJournal: true }));
    assert.equal(diff, []);
  });
}

test('bad answers: exit 2, the answer named, the tree unchanged (en and ja)', () => {
  const cases: [object, RegExp][] = [
    [{ 'shadow.nic': 'eth9' }, /shadow\.nic: there is no NIC "eth9"/],
    [{ 'shadow.nic': 'virbr0' }, /shadow\.nic: "virbr0" is already a bridge/],
    [{ 'shadow.nic': 'abcdefghijklmno' }, /longer than 15 bytes/],
    [{ 'shadow.nic': 'eth0;reboot' }, /shadow\.nic/],
    [{ guests: ['nosuch'] }, /nosuch/],
    [{ 'shadow.nic': 42 }, /shadow\.nic/],
  ];
  for (const [a, re] of cases) {
    const root = copyFixture('centos5');
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', answersFile(a), '--yes']);
    assert.is(r.status, 2, `${JSON.stringify(a)}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  }
  const ja = runCli(['plan', '--root', copyFixture('centos5'), '--answers', answersFile({ 'shadow.nic': 'eth9' }), '--lang', 'ja']);
  assert.is(ja.status, 2);
  assert.match(ja.stderr, /shadow\.nic: このホストに NIC "eth9" はありません/);
});

test('an existing s<nic> (here: a link seth0 already there) is refused, not overwritten', () => {
  const root = copyFixture('centos5');
  fs.mkdirSync(path.join(root, 'sys/class/net/seth0'), { recursive: true });
  fs.writeFileSync(path.join(root, 'sys/class/net/seth0/address'), '00:19:b9:3a:66:99\n');
  const r = runCli(['plan', '--root', root, '--answers', answersFile({})]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /"seth0" already exists/);
});

test.run();
