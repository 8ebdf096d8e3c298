// routed-lan through apply / rollback / a second plan / --save-answers replay, on each registered
// scenario (xend CentOS 5 + eth1, xl Debian 12), and every bad input of issue 6 refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { SCENARIOS, answersOf } from '../../_helpers/scenarios.js';

const scenarios = SCENARIOS.filter((s) => s.recipe === 'routed-lan');

for (const s of scenarios) {
  test(`${s.name}: apply → second plan empty → rollback leaves every file identical`, () => {
    const root = copyFixture(s.fixture);
    const before = treeFingerprint(root);
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
    const applied = runCli(['apply', '--root', root, '--answers', a, '--yes']);
    assert.is(applied.status, 0, applied.stderr);
    assert.ok(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })).length > 5);
    const autostart = path.join(root, 'etc/libvirt/qemu/networks/autostart');
    assert.equal(fs.readdirSync(autostart), ['virnet0.xml'], 'default off virbr0, virnet0 on at boot (lines 418–425)');
    const again = runCli(['plan', '--root', root, '--answers', a, '--json']);
    assert.equal(JSON.parse(again.stdout).steps, [], 'second plan has no steps');
    const back = runCli(['rollback', '--root', root]);
    assert.is(back.status, 0, back.stderr);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
  });

  test(`${s.name}: --save-answers replays to the same plan (generated MACs included) on a fresh copy`, () => {
    const saved = path.join(tempDir(), 'saved.json');
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
    const first = runCli(['plan', '--root', copyFixture(s.fixture), '--answers', a, '--save-answers', saved, '--json']);
    assert.is(first.status, 0, first.stderr);
    const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
    assert.is(answers.recipe, 'routed-lan');
    assert.is(answers['routed.nicAddress'], '192.168.0.3/24');
    assert.ok(Object.values(answers.macs as Record<string, string>).every((m) => /^00:16:3e:/.test(m)));
    const replay = runCli(['plan', '--root', copyFixture(s.fixture), '--answers', saved, '--json']);
    assert.is(replay.status, 0, replay.stderr);
    assert.equal(JSON.parse(replay.stdout), JSON.parse(first.stdout));
  });
}

test('the autostart link written offline is recognised as the run\'s own; a link changed by hand is drift (exit 2)', () => {
  const root = copyFixture('routed-centos5');
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan' });
  assert.is(runCli(['apply', '--root', root, '--answers', a, '--yes']).status, 0);
  const link = path.join(root, 'etc/libvirt/qemu/networks/autostart/virnet0.xml');
  assert.is(fs.readlinkSync(link), '/etc/libvirt/qemu/networks/virnet0.xml');
  fs.rmSync(link);
  fs.symlinkSync('/elsewhere.xml', link);
  const r = runCli(['rollback', '--root', root, '--lang', 'en']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /autostart\/virnet0\.xml changed by hand/);
  assert.match(r.stderr, /-> \/elsewhere\.xml/);
});

test('xend: a failure injected at every third step rolls back by itself (exit 1, tree unchanged)', () => {
  const s = scenarios[0];
  const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(s));
  const count = (JSON.parse(runCli(['plan', '--root', copyFixture(s.fixture), '--answers', a, '--json']).stdout) as { steps: unknown[] }).steps.length;
  for (let i = 0; i < count; i += 3) {
    const root = copyFixture(s.fixture);
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', a, '--yes'], { env: { XNW_FAIL_AT: String(i) } });
    assert.is(r.status, 1, `step ${i}: ${r.stderr}`);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], `step ${i}`);
  }
});

// Issue 6, Bad input: each refused with exit 2, a message naming the answer, and nothing changed.
const BAD: [string, Record<string, unknown>, RegExp, RegExp][] = [
  ['LAN NIC missing', { 'routed.nic': 'eth9' }, /routed\.nic: no NIC "eth9"/, /routed\.nic: このホストに NIC "eth9" はありません/],
  ['LAN NIC = WAN NIC', { 'routed.nic': 'eth0' }, /routed\.nic: "eth0" is already the WAN NIC/, /すでに WAN 側の NIC/],
  ['address does not parse', { 'routed.address': '192.168.122.300/24' }, /routed\.address: "192\.168\.122\.300\/24" is not an IPv4 address with a prefix/, /プレフィックス付きの IPv4 アドレスではありません/],
  ['prefix does not parse', { 'routed.address': '192.168.122.1/33' }, /routed\.address: .* is not an IPv4 address with a prefix/, /routed\.address/],
  ['network address as host', { 'routed.nicAddress': '192.168.0.0/24' }, /routed\.nicAddress: .* is not a usable host address/, /routed\.nicAddress/],
  ['overlaps the WAN', { 'routed.address': '192.168.1.200/24' }, /routed\.address: 192\.168\.1\.200\/24 overlaps 192\.168\.1\.0\/24/, /と重なっています/],
  ['overlaps the LAN', { 'routed.address': '192.168.0.129/25' }, /overlaps 192\.168\.0\.\d+\/24/, /と重なっています/],
  ['LAN overlaps the WAN', { 'routed.nicAddress': '192.168.1.77/24' }, /routed\.nicAddress: 192\.168\.1\.77\/24 overlaps 192\.168\.1\.0\/24/, /と重なっています/],
  ['guest unknown', { guests: ['nosuch'] }, /"nosuch"/, /"nosuch"/],
  ['MAC invalid', { macs: { centos51u: '00:16:3e:zz:00:01' } }, /00:16:3e:zz:00:01/, /00:16:3e:zz:00:01/],
  ['MAC in use', { macs: { centos51u: '00:16:3e:17:d4:87' } }, /already in use|in use/, /すでに使われています/],
  ['network name libvirt refuses', { 'routed.network': 'vir/net0' }, /routed\.network: libvirt refuses the network name "vir\/net0"/, /routed\.network/],
  ['bridge = WAN bridge', { 'routed.bridge': 'xenbr0' }, /routed\.bridge: "xenbr0"/, /routed\.bridge/],
];

for (const [what, extra, en, ja] of BAD) {
  test(`bad input, ${what}: exit 2, localized message, tree unchanged`, () => {
    const root = copyFixture('routed-centos5');
    const before = treeFingerprint(root);
    const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan', ...extra });
    const r = runCli(['apply', '--root', root, '--answers', a, '--yes', '--lang', 'en']);
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, en);
    const j = runCli(['plan', '--root', root, '--answers', a, '--lang', 'ja']);
    assert.is(j.status, 2);
    assert.match(j.stderr, ja);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

test("xend: an empty routed.nicAddress (the wizard's \"detect it\") takes dom0's address from ifcfg-eth1", () => {
  const saved = path.join(tempDir(), 'saved.json');
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan', 'routed.nicAddress': '' });
  const r = runCli(['plan', '--root', copyFixture('routed-centos5'), '--answers', a, '--save-answers', saved]);
  assert.is(r.status, 0, r.stderr);
  assert.is(JSON.parse(fs.readFileSync(saved, 'utf8'))['routed.nicAddress'], '192.168.0.3/24');
});

test('bad input on xl: no address for the LAN NIC anywhere → asks for routed.nicAddress (exit 2)', () => {
  const root = copyFixture('debian12');
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan' }), '--lang', 'en']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /routed\.nicAddress: dom0's address on eno2 was not found/);
});

test.run();
