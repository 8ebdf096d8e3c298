// internal-l2 through the core's safety loop: every bad input the issue lists → exit 2, a localized
// message naming the answer and value, not a byte changed; apply → second plan empty → rollback
// byte-identical; --save-answers replays to the same plan.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, fingerprintDiff, runCli, tempDir, treeFingerprint, writeJson } from '../../_helpers/roots.js';

const R = { recipe: 'internal-l2' };
interface Case { name: string; fixture?: string; answers: object; prepare?: (root: string) => void; says: (string | RegExp)[] }

/** A libvirt network on 10.9.0.0/16 that is defined but not running (no link, no route). */
function addSleepingNetwork(root: string): void {
  fs.writeFileSync(path.join(root, 'etc/libvirt/qemu/networks/lab.xml'),
    "<network>\n  <name>lab</name>\n  <bridge name='virbr5'/>\n  <ip address='10.9.0.1' prefix='16'/>\n</network>\n");
}

const cases: Case[] = [
  { name: 'address that does not parse', answers: { ...R, 'internal.address': '192.168.300.1/24' }, says: ['internal.address', '192.168.300.1/24'] },
  { name: 'address without a prefix', answers: { ...R, 'internal.address': '192.168.200.1' }, says: ['internal.address', '"192.168.200.1"'] },
  { name: 'prefix out of range', answers: { ...R, 'internal.address': '192.168.200.1/31' }, says: ['192.168.200.1/31'] },
  { name: 'address that is the network address', answers: { ...R, 'internal.address': '192.168.200.0/24' }, says: ['192.168.200.0/24', 'broadcast'] },
  { name: 'address overlapping the LAN (eth0 route)', answers: { ...R, 'internal.address': '192.168.1.200/24' }, says: ['192.168.1.200/24', '192.168.1.0/24', 'eth0'] },
  { name: 'address overlapping libvirt\'s default network', answers: { ...R, 'internal.address': '192.168.0.1/16' }, says: ['192.168.0.1/16', 'overlaps'] },
  { name: 'address overlapping a defined, stopped libvirt network', answers: { ...R, 'internal.address': '10.9.200.1/24' }, prepare: addSleepingNetwork, says: ['10.9.200.1/24', '10.9.0.1/16', 'libvirt lab'] },
  // A root without kernel routes: the config is all there is to check against.
  { name: 'address overlapping an address in /etc/network/interfaces', fixture: 'debian12', answers: { ...R, 'internal.address': '192.168.1.77/25' }, prepare: (root) => fs.rmSync(path.join(root, 'proc'), { recursive: true }), says: ['192.168.1.77/25', '192.168.1.10/24', '/etc/network/interfaces:13 eno1'] },
  { name: 'network name libvirt refuses (a slash)', answers: { ...R, 'internal.network': 'virnet/1' }, says: ['internal.network', 'virnet/1', 'libvirt'] },
  { name: 'empty network name', answers: { ...R, 'internal.network': '' }, says: ['internal.network', '""'] },
  { name: 'network name that looks like an option', answers: { ...R, 'internal.network': '--all' }, says: ['internal.network', '--all'] },
  { name: 'network name of an existing network on another bridge', answers: { ...R, 'internal.network': 'default' }, says: ['"default"', 'virbr0'] },
  { name: 'bridge name over 15 bytes', answers: { ...R, 'internal.bridge': 'virbr-internal01' }, says: ['internal.bridge', 'virbr-internal01', '15'] },
  { name: 'bridge name with a space', answers: { ...R, 'internal.bridge': 'vir br1' }, says: ['internal.bridge', '"vir br1"'] },
  { name: 'bridge taken by a NIC link', answers: { ...R, 'internal.bridge': 'peth0' }, says: ['internal.bridge', 'peth0'] },
  { name: 'bridge that is the LAN bridge', answers: { ...R, 'internal.bridge': 'xenbr0' }, says: ['internal.bridge', 'xenbr0'] },
  { name: 'bridge of libvirt\'s NAT network', answers: { ...R, 'internal.bridge': 'virbr0' }, says: ['internal.bridge', 'virbr0'] },
  { name: 'bridge of another libvirt network', answers: { ...R, 'internal.bridge': 'virbr5' }, prepare: addSleepingNetwork, says: ['virbr5', '"lab"'] },
  { name: 'guest that does not exist', answers: { ...R, 'internal.guests': ['centos51u', 'ghost'] }, says: ['ghost', 'centos51u2'] },
  { name: 'guest named twice', answers: { ...R, 'internal.guests': ['centos51u', 'centos51u'] }, says: ['internal.guests', 'centos51u'] },
  { name: 'malformed MAC', answers: { ...R, 'internal.macs': { centos51u: '00:16:3e:zz:00:01' } }, says: ['00:16:3e:zz:00:01', 'internal.macs.centos51u'] },
  { name: 'multicast MAC', answers: { ...R, 'internal.macs': { centos51u: '01:16:3e:00:00:01' } }, says: ['01:16:3e:00:00:01', 'multicast'] },
  { name: 'MAC in use by the guest\'s own first vif', answers: { ...R, 'internal.macs': { centos51u: '00:16:3e:17:d4:87' } }, says: ['00:16:3e:17:d4:87', 'in use'] },
  { name: 'MAC given to both a LAN vif and an internal vif', answers: { ...R, macs: { centos51u2: '00:16:3e:01:02:03' }, 'internal.macs': { centos51u: '00:16:3e:01:02:03' } }, says: ['00:16:3e:01:02:03', 'in use'] },
  { name: 'MAC in use by a NIC', answers: { ...R, 'internal.macs': { centos51u2: '00:19:B9:3A:66:12' } }, says: ['00:19:b9:3a:66:12', 'in use'] },
  { name: 'MAC for a guest that does not exist', answers: { ...R, 'internal.macs': { ghost: '00:16:3e:00:00:01' } }, says: ['ghost'] },
  { name: 'answer of the wrong type', answers: { ...R, 'internal.guests': 'centos51u' }, says: ['internal.guests'] },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit 2, nothing changed`, () => {
    const root = copyFixture(c.fixture ?? 'centos5');
    c.prepare?.(root);
    const before = treeFingerprint(root);
    const a = writeJson(path.join(tempDir(), 'a.json'), c.answers);
    const r = runCli(['apply', '--root', root, '--answers', a, '--yes', '--lang', 'en']);
    assert.is(r.status, 2, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    for (const s of c.says) {
      if (typeof s === 'string') assert.ok(r.stderr.includes(s), `message lacks "${s}": ${r.stderr}`);
      else assert.match(r.stderr, s);
    }
    assert.match(r.stderr, /Nothing was changed/);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

test('bad input in Japanese: an overlapping subnet, named in the guide\'s language', () => {
  const root = copyFixture('centos5');
  const a = writeJson(path.join(tempDir(), 'a.json'), { ...R, 'internal.address': '192.168.122.5/24' });
  const r = runCli(['apply', '--root', root, '--answers', a, '--yes'], { env: { LANG: 'ja_JP.UTF-8' } });
  assert.is(r.status, 2);
  assert.ok(r.stderr.includes('192.168.122.0/24') && r.stderr.includes('重なっています') && r.stderr.includes('何も変更していません'), r.stderr);
});

for (const fixture of ['centos5', 'debian12', 'rhel-xl']) {
  test(`${fixture}: apply → second plan empty → rollback byte-identical; --save-answers replays the same plan`, () => {
    const root = copyFixture(fixture);
    const before = treeFingerprint(root);
    const dir = tempDir();
    const a = writeJson(path.join(dir, 'a.json'), R);
    const saved = path.join(dir, 'saved.json');
    const first = runCli(['plan', '--root', root, '--answers', a, '--json', '--save-answers', saved]);
    assert.is(first.status, 0, first.stderr);
    const replay = runCli(['plan', '--root', root, '--answers', saved, '--json']);
    assert.is(replay.stdout, first.stdout, 'the saved answers (generated MACs included) give the same plan');
    const applied = runCli(['apply', '--root', root, '--answers', saved, '--yes']);
    assert.is(applied.status, 0, applied.stderr);
    assert.ok(fs.existsSync(path.join(root, 'etc/libvirt/qemu/networks/virnet1.xml')), 'net-define\'s on-disk effect');
    assert.is(fs.readlinkSync(path.join(root, 'etc/libvirt/qemu/networks/autostart/virnet1.xml')), '/etc/libvirt/qemu/networks/virnet1.xml');
    for (const answers of [saved, a]) {
      const again = runCli(['plan', '--root', root, '--answers', answers, '--json']);
      assert.is(again.status, 0, again.stderr);
      assert.equal(JSON.parse(again.stdout).steps, [], `second plan (${path.basename(answers)}) has no steps`);
    }
    const back = runCli(['rollback', '--root', root]);
    assert.is(back.status, 0, back.stderr);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
  });
}

test.run();
