// Recipe internal-dummy on the xend profile produces exactly the guide's artifacts (seed 000
// lines 201–301) on the guide's CentOS 5 dom0, with the guide's MACs given as answers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, seedLines, unwrapMessages } from '../../_helpers/roots.js';
import { GUIDE_ANSWERS, answersFile, argvsOf, fileOf, guideRoot, planOf } from './roots.js';

const rootCmd = (line: string) => line.replace(/^root# /, '').replace(/\s+<--.*$/, '').trim();
const trimmed = (s: string) => s.split('\n').map((l) => l.trim());

const { plan, status, stderr } = planOf(guideRoot(), GUIDE_ANSWERS);
const file = (p: string) => fileOf(plan, p)!;

test('plan --json: recipe internal-dummy, xend profile, the guide\'s sequence', () => {
  assert.is(status, 0, stderr);
  assert.is(plan.recipe, 'internal-dummy');
  assert.is(plan.profile, 'xend');
  assert.is(plan.method, 'xend-sequence');
});

test('seed 000 lines 213–214: /etc/modprobe.conf gets the dummy alias and numdummies=1', () => {
  const change = file('/etc/modprobe.conf');
  assert.is(change.before, null, 'the fixture has none: created');
  assert.equal(change.after!.trimEnd().split('\n'), seedLines(213, 214));
});

test('seed 000 lines 213–214 appended to an existing modprobe.conf, nothing else touched', () => {
  const existing = 'alias eth0 e1000\nalias scsi_hostadapter ata_piix\n';
  const other = planOf(guideRoot({ modprobe: existing }), GUIDE_ANSWERS).plan;
  const change = fileOf(other, '/etc/modprobe.conf')!;
  assert.is(change.after, existing + seedLines(213, 214).join('\n') + '\n');
  const again = planOf(guideRoot({ modprobe: change.after! }), GUIDE_ANSWERS).plan;
  assert.is(fileOf(again, '/etc/modprobe.conf'), undefined, 'already there: not edited again');
});

test('seed 000 lines 218–227: ifcfg-dummy0 line for line, MACADDR as answered', () => {
  const change = file('/etc/sysconfig/network-scripts/ifcfg-dummy0');
  assert.is(change.before, null);
  assert.is(change.mode, '0644');
  assert.equal(change.after!.trimEnd().split('\n'), seedLines(218, 227));
});

test('seed 000 line 216: with internal.mac "auto" MACADDR is a fresh 00:16:3e address, never 00:00:00:00:00:00', () => {
  const auto = planOf(guideRoot(), { 'internal.mac': 'auto' }).plan;
  const text = fileOf(auto, '/etc/sysconfig/network-scripts/ifcfg-dummy0')!.after!;
  const mac = /^MACADDR=(.*)$/m.exec(text)![1];
  assert.match(mac, /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  assert.is.not(mac, '00:00:00:00:00:00');
  assert.equal(text.split('\n').filter((l) => !l.startsWith('MACADDR=')), [...seedLines(218, 227).filter((l) => !l.startsWith('MACADDR=')), '']);
});

test('seed 000 lines 237 → 239: the live (network-script …) line of xend-config.sxp', () => {
  const change = file('/etc/xen/xend-config.sxp');
  const changed = change.after!.split('\n').filter((l, i) => l !== change.before!.split('\n')[i]);
  assert.equal(changed, seedLines(239));
  assert.ok(change.before!.includes(seedLines(237)[0] + '\n'));
});

test('seed 000 lines 243–249: network-bridge-custom, mode 755, two network-bridge calls and the ip_forward tail', () => {
  const change = file('/etc/xen/scripts/network-bridge-custom');
  assert.is(change.mode, '0755');
  assert.equal(change.after!.trimEnd().split('\n'), seedLines(243, 249).map((l) => l.trimEnd()));
});

test('seed 000 lines 254–260: each guest\'s vif line, byte for byte', () => {
  for (const [guest, line] of [['centos51u', 256], ['centos51u2', 260]] as const) {
    const change = file(`/etc/xen/${guest}`);
    const after = change.after!.split('\n');
    assert.ok(after.includes(seedLines(line)[0]), `${guest}: ${after.find((l) => l.startsWith('vif'))}`);
    // Only that line changed.
    assert.is(after.length, change.before!.split('\n').length);
    assert.is(after.filter((l, i) => l !== change.before!.split('\n')[i]).length, 1);
  }
});

test('seed 000 lines 264–288: both <interface> blocks in each XML dump, in order', () => {
  for (const [guest, from] of [['centos51u', 266], ['centos51u2', 279]] as const) {
    const want = seedLines(from, from + 9).map((l) => l.trim());
    const after = trimmed(file(`/etc/xen/xml/${guest}.xml`).after!);
    const at = after.indexOf(want[0]);
    assert.equal(after.slice(at, at + want.length), want, guest);
  }
});

test('seed 000 lines 292–293, 298–299: virsh define of both dumps, then libvirt\'s default network stopped, last', () => {
  const argvs = argvsOf(plan);
  for (const line of seedLines(292, 293)) assert.ok(argvs.includes(rootCmd(line)), rootCmd(line));
  assert.equal(argvs.slice(-2), seedLines(298, 299).map(rootCmd));
});

test('seed 000 lines 13–16: network-bridge stop → every edit → service network restart → network-bridge-custom start', () => {
  const kinds = plan.steps.map((s) => (s.argv ? s.argv.join(' ') : 'edit'));
  const restart = kinds.indexOf(rootCmd(seedLines(15)[0]));
  assert.is(kinds[0], rootCmd(seedLines(13)[0]));
  assert.ok(kinds.lastIndexOf('edit') < restart, kinds.join(' | '));
  assert.is(kinds[restart + 1], '/etc/xen/scripts/network-bridge-custom start');
});

test('seed 000 line 205: with a real second NIC the dummy steps are left out and the wrapper names the NIC', () => {
  const nic = planOf(guideRoot({ eth1: true }), { ...GUIDE_ANSWERS, 'internal.mac': 'auto', 'internal.nic': 'eth1' });
  assert.is(nic.status, 0, nic.stderr);
  assert.is(fileOf(nic.plan, '/etc/modprobe.conf'), undefined);
  assert.is(fileOf(nic.plan, '/etc/sysconfig/network-scripts/ifcfg-dummy0'), undefined);
  const wrapper = fileOf(nic.plan, '/etc/xen/scripts/network-bridge-custom')!.after!.split('\n');
  assert.ok(wrapper.includes(seedLines(247)[0].replace('netdev=dummy0', 'netdev=eth1')), wrapper.join('\n'));
  assert.ok(fileOf(nic.plan, '/etc/xen/centos51u')!.after!.includes(seedLines(256)[0]));
});

test('internal.ipForwardOff false: the wrapper without the ip_forward tail (line 241: "してもよい")', () => {
  const off = planOf(guideRoot(), { ...GUIDE_ANSWERS, 'internal.ipForwardOff': false }).plan;
  assert.equal(fileOf(off, '/etc/xen/scripts/network-bridge-custom')!.after!.trimEnd().split('\n'), seedLines(243, 247).map((l) => l.trimEnd()));
});

test('seed 000 line 301: the plan says the second NIC appears at the guest\'s next start, in both languages', () => {
  const root = guideRoot();
  const en = runCli(['plan', '--root', root, '--answers', answersFile(GUIDE_ANSWERS)]);
  assert.match(unwrapMessages(en.stdout), /new vif on xenbr1 appears at its next start/);
  const ja = runCli(['plan', '--root', root, '--answers', answersFile(GUIDE_ANSWERS), '--lang', 'ja']);
  assert.ok(unwrapMessages(ja.stdout).includes('xenbr1 上の新しい vif は、次にゲストを起動したときに現れます'), ja.stdout.slice(-600));
});

test('internal.guests narrows the second vif: centos51u2 moves to xenbr0 (line 42\'s edit) and gets none on xenbr1', () => {
  const one = planOf(guideRoot(), { ...GUIDE_ANSWERS, 'internal.macs': { centos51u: '00:16:3e:17:d4:88' }, 'internal.guests': ['centos51u'] }).plan;
  assert.ok(fileOf(one, '/etc/xen/centos51u')!.after!.includes(seedLines(256)[0]));
  assert.ok(fileOf(one, '/etc/xen/centos51u2')!.after!.includes('vif = [ "mac=00:16:3e:17:d4:97,bridge=xenbr0" ]'));
});

test('plans are pure: the same answers give the same plan twice', () => {
  const a = planOf(guideRoot(), GUIDE_ANSWERS).plan;
  assert.equal(a, plan);
});

test.run();
