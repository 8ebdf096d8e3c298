// Recipe vlan-bridges and the answers file: --save-answers writes every answer (the VLAN ids
// normalised, generated MACs included) and replays to the same files on a fresh root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff, writeJson } from '../../_helpers/roots.js';

for (const [fixture, given] of [
  ['debian12', { 'vlan.ids': '293 294', 'vlan.guests': 'db1=294' }],
  ['rhel-xl', { 'vlan.mtu1496': true }],
] as const) {
  test(`${fixture}: --save-answers round trip — replayed on a fresh root, the same files`, () => {
    const root = copyFixture(fixture);
    const saved = path.join(tempDir(), 'saved.json');
    const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'vlan-bridges', ...given });
    const r = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--save-answers', saved]);
    assert.is(r.status, 0, r.stderr);
    const back = JSON.parse(fs.readFileSync(saved, 'utf8'));
    assert.is(back.recipe, 'vlan-bridges');
    for (const id of ['vlan.nic', 'vlan.ids', 'vlan.bridgePrefix', 'vlan.guests', 'vlan.mtu1496', 'vlan.txOff']) assert.ok(id in back, id);
    if (fixture === 'debian12') {
      assert.is(back['vlan.ids'], '293,294');
      // db1's vif had no MAC: the one generated is saved, so the replay writes the same.
      assert.match(back.macs['db1#0'], /^00:16:3e:/);
    }
    const fresh = copyFixture(fixture);
    const replay = runCli(['apply', '--root', fresh, '--answers', saved, '--yes']);
    assert.is(replay.status, 0, replay.stderr);
    assert.equal(fingerprintDiff(treeFingerprint(root, { excludeJournal: true }), treeFingerprint(fresh, { excludeJournal: true })), []);
  });
}

test.run();
