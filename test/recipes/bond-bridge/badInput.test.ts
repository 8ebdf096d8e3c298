// bond-bridge's bad inputs (issue 6): exit 2, a localized message naming the value at fault, and
// not one byte changed — plus the commit-confirmed rule for enslaving the default route's NIC.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, treeFingerprint, fingerprintDiff, writeJson, PROJECT } from '../../_helpers/roots.js';
import { canUseNetns, missingNetns, Netns } from '../../_helpers/netns.js';
import { skipCheck } from '../../_helpers/skip.js';
import { RootFs } from '../../../src/system/rootfs.js';
import { detectHost } from '../../../src/detect/index.js';
import { makePlan } from '../../../src/plan/makePlan.js';
import { InputError } from '../../../src/errors.js';
import type { LiveInputs } from '../../../src/recipes/types.js';
import type { LiveSnapshot } from '../../../src/live/snapshot.js';

const R = { recipe: 'bond-bridge' };
interface Case { name: string; answers: object; prepare?: (root: string) => void; says: string[]; ja: string }

const cases: Case[] = [
  { name: 'the same NIC twice in the bond', answers: { ...R, 'bond.slaves': ['eth0', 'eth0'] }, says: ['"eth0"', 'twice'], ja: '二度' },
  { name: 'the back LAN\'s NIC also in the bond', answers: { ...R, 'bond.slaves': ['eth0', 'eth1'], 'back.nic': 'eth1' }, says: ['"eth1"', 'twice'], ja: '二度' },
  { name: 'a bond mode that does not exist', answers: { ...R, 'bond.mode': 'round-robin' }, says: ['bond.mode', 'round-robin', 'active-backup'], ja: 'round-robin' },
  { name: 'a bond mode given as a number', answers: { ...R, 'bond.mode': '7' }, says: ['bond.mode', '"7"'], ja: 'bond.mode' },
  { name: 'a slave that does not exist', answers: { ...R, 'bond.slaves': ['eth0', 'eth7'] }, says: ['eth7', 'eth2'], ja: 'eth7' },
  { name: 'a back-LAN NIC that does not exist', answers: { ...R, 'back.nic': 'eth9' }, says: ['back.nic', 'eth9'], ja: 'eth9' },
  { name: 'a slave that is already a bridge port', answers: { ...R, 'bond.slaves': ['peth0', 'eth2'] }, says: ['peth0', 'xenbr0', 'port'], ja: 'ポート' },
  {
    name: 'a slave that is already another bond\'s slave',
    answers: { ...R, 'bond.slaves': ['eth0', 'eth2'], 'back.nic': 'eth1' },
    prepare: (root) => {
      fs.mkdirSync(path.join(root, 'sys/class/net/bond1/bonding'), { recursive: true });
      fs.writeFileSync(path.join(root, 'sys/class/net/bond1/address'), '00:1b:21:0c:4e:50\n');
      fs.symlinkSync('../bond1', path.join(root, 'sys/class/net/eth2/master'));
    },
    says: ['eth2', 'bond1', 'slave'],
    ja: 'スレーブ',
  },
  { name: 'a slave that is a bridge', answers: { ...R, 'bond.slaves': ['eth0', 'virbr0'] }, says: ['virbr0', 'bridge'], ja: 'virbr0' },
  { name: 'one slave only', answers: { ...R, 'bond.slaves': ['eth0'] }, says: ['at least two', '1'], ja: '2 枚以上' },
  { name: 'both bridges with one name', answers: { ...R, 'bond.bridge': 'xenbr0' }, says: ['xenbr0', 'differ'], ja: 'xenbr0' },
  { name: 'a bond bridge name that leaves no byte for the bond\'s "p"', answers: { ...R, 'bond.bridge': 'bond0123456789x' }, says: ['pbond0123456789x', '16'], ja: '16' },
  { name: 'miimon 0 (no link checks: no failover)', answers: { ...R, 'bond.miimon': 0 }, says: ['bond.miimon', '"0"'], ja: 'bond.miimon' },
  { name: 'the back bridge is libvirt\'s NAT bridge', answers: { ...R, 'back.bridge': 'virbr0' }, says: ['back.bridge', 'virbr0'], ja: 'NAT' },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit 2, localized, nothing changed`, () => {
    const root = copyFixture('centos5-3nic');
    c.prepare?.(root);
    const answers = writeJson(path.join(tempDir(), 'a.json'), c.answers);
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--lang', 'en']);
    assert.is(r.status, 2, `exit ${r.status}\n${r.stderr}`);
    for (const s of c.says) assert.ok(r.stderr.includes(s), `message lacks "${s}": ${r.stderr}`);
    assert.match(r.stderr, /Nothing was changed/);
    const ja = runCli(['apply', '--root', root, '--answers', answers, '--yes', '--lang', 'ja']);
    assert.is(ja.status, 2);
    assert.ok(ja.stderr.includes(c.ja) && ja.stderr.includes('何も変更していません'), ja.stderr);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

// The commit-confirmed rule, decided from the live kernel state (pure: a snapshot in, a plan out).
async function livePlan(snapshot: LiveSnapshot, sshClient: string | null) {
  const root = copyFixture('centos5-3nic');
  const fsys = new RootFs(root);
  const host = await detectHost(fsys, { live: false, ip: async () => '[]' });
  const live: LiveInputs = { snapshot, running: [], guests: host.guests, sshClient };
  let seed = 1;
  const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 75 + 74) % 65537) & 255);
  return makePlan(fsys, host, { recipe: 'bond-bridge' }, random, live).plan;
}
const links = ['eth0', 'eth1', 'eth2', 'mgmt0'].map((ifname) => ({ ifname }));

test('live: a slave carries the default route with a gateway → the plan is commit-confirmed on it', async () => {
  const plan = await livePlan({ links, routes: [{ dst: 'default', gateway: '192.168.1.254', dev: 'eth0' }, { dst: '192.168.1.0/24', dev: 'eth0' }] }, null);
  assert.equal(plan.confirm, { gateway: '192.168.1.254', sshClient: null });
});

test('live: the SSH session comes in over a slave → commit-confirmed on the SSH client too', async () => {
  const plan = await livePlan({ links, routes: [{ dst: 'default', gateway: '10.0.0.1', dev: 'mgmt0' }, { dst: '192.168.1.0/24', dev: 'eth2' }] }, '192.168.1.77');
  assert.equal(plan.confirm, { gateway: null, sshClient: '192.168.1.77' });
});

test('live: neither the default route nor the SSH session on a slave → no confirmation needed', async () => {
  const plan = await livePlan({ links, routes: [{ dst: 'default', gateway: '10.0.0.1', dev: 'mgmt0' }] }, '10.0.0.9');
  assert.is(plan.confirm, undefined);
});

test('live: the default route on a slave with nothing to check afterwards → refused (InputError), not run unconfirmed', async () => {
  try {
    await livePlan({ links, routes: [{ dst: 'default', dev: 'eth0' }] }, null);
    assert.unreachable('planned without commit-confirmed');
  } catch (err) {
    assert.instance(err, InputError);
    assert.is((err as InputError).key, 'error.bondNeedsConfirm');
  }
});

if (!canUseNetns()) {
  skipCheck(test, 'bond-bridge live refusal in a network namespace', missingNetns()!);
} else {
  test('live, in a namespace: a gateway-less default route over slave eth0 and no SSH → exit 2, nothing changed', () => {
    const ns = new Netns('bond');
    try {
      for (const argv of [['ip', 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0p'], ['ip', 'link', 'set', 'eth0', 'up'],
        ['ip', 'addr', 'add', '192.168.1.3/24', 'dev', 'eth0'], ['ip', 'route', 'add', 'default', 'dev', 'eth0']]) {
        assert.is(ns.exec(argv).status, 0, argv.join(' '));
      }
      const root = copyFixture('centos5-3nic');
      const before = treeFingerprint(root);
      const a = writeJson(path.join(tempDir(), 'a.json'), R);
      const r = ns.exec([process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), 'apply', '--root', root, '--live', '--yes', '--answers', a],
        { env: { PATH: process.env.PATH, LANG: 'C', NO_COLOR: '1' } });
      assert.is(r.status, 2, r.stderr);
      assert.match(r.stderr, /cannot be commit-confirmed/);
      assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
    } finally {
      ns.remove();
    }
  });
}

test.run();
