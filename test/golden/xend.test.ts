// The xend profile produces exactly the guide's artifacts (seed 000 lines 24–83) on a
// CentOS 5.1 / Xen 3.1 root in the guide's own layout (network-bridge running, eth0 = veth0).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFixture, runCli, seedLines, writeJson, tempDir } from '../_helpers/roots.js';
import path from 'node:path';

interface JsonStep { id: string; kind: string; title: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }

const root = copyFixture('centos5');
const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
const r = runCli(['plan', '--root', root, '--answers', answers, '--json']);
const plan = JSON.parse(r.stdout || '{}') as { recipe: string; profile: string; backend: string; steps: JsonStep[] };
const fileStep = (p: string) => plan.steps.find((s) => s.file?.path === p)!;
const argvs = plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
const rootCmd = (line: string) => line.replace(/^root# /, '').replace(/\s+<--.*$/, '').trim();
const changedLines = (before: string, after: string) => {
  const a = before.split('\n');
  const b = after.split('\n');
  return b.map((line, i) => [a[i], line] as const).filter(([x, y]) => x !== y);
};

test('plan --json is one object with the xend profile and ifcfg backend', () => {
  assert.is(r.status, 0, r.stderr);
  assert.is(plan.recipe, 'single-bridge');
  assert.is(plan.profile, 'xend');
  assert.is(plan.backend, 'ifcfg');
});

test('seed 000 lines 38 → 42: the xm vif line, only the bridge token changes', () => {
  const step = fileStep('/etc/xen/centos51u');
  const [from] = seedLines(38);
  const [to] = seedLines(42);
  assert.ok(step.file!.before!.includes(from + '\n'));
  assert.equal(changedLines(step.file!.before!, step.file!.after!), [[from, to]]);
  assert.is(step.file!.mode, '0644');
});

test('a vif without mac= gets a fixed 00:16:3e MAC first, then the bridge (seed 000 line 216)', () => {
  const step = fileStep('/etc/xen/centos51u2');
  const [[before, after]] = changedLines(step.file!.before!, step.file!.after!);
  assert.is(before, 'vif = [ "bridge=virbr0" ]');
  assert.match(after, /^vif = \[ "mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2},bridge=xenbr0" \]$/);
});

test('the symlink /etc/xen/auto/centos51u is not a second guest and is not edited', () => {
  assert.not.ok(plan.steps.some((s) => s.file?.path.startsWith('/etc/xen/auto/')));
});

test('seed 000 lines 50–52 → 56–58: the XML dump, <source bridge=\'xenbr0\'/>, then virsh define (line 60)', () => {
  const step = fileStep('/etc/xen/xml/centos51u.xml');
  const trimmed = (s: string) => s.split('\n').map((l) => l.trim());
  const want = seedLines(56, 58).map((l) => l.trim());
  const after = trimmed(step.file!.after!);
  const at = after.indexOf(want[0]);
  assert.equal(after.slice(at, at + 3), want);
  assert.equal(changedLines(step.file!.before!, step.file!.after!).map(([a, b]) => [a.trim(), b.trim()]), [[seedLines(52)[0].trim(), seedLines(58)[0].trim()]]);
  const define = /`(virsh define [^']+)'/.exec(seedLines(60)[0])![1];
  assert.ok(argvs.includes(define), define);
});

test('seed 000 lines 66 → 68: the live (network-script …) line of xend-config.sxp, not the comments', () => {
  const step = fileStep('/etc/xen/xend-config.sxp');
  assert.equal(changedLines(step.file!.before!, step.file!.after!), [[seedLines(66)[0], seedLines(68)[0]]]);
  assert.ok(step.file!.after!.includes('# (network-script network-bridge)\n'), 'commented example untouched');
});

test('seed 000 lines 70–75: network-bridge-custom, root:root 755, calling network-bridge with antispoof=yes', () => {
  const step = fileStep('/etc/xen/scripts/network-bridge-custom');
  assert.is(step.file!.before, null);
  assert.is(step.file!.mode, '0755');
  const want = seedLines(72, 75).map((l) => l.trimEnd());
  assert.equal(step.file!.after!.trimEnd().split('\n'), want);
});

test('seed 000 lines 80–81: virsh net-destroy default and net-autostart default --disable, last', () => {
  const want = seedLines(80, 81).map(rootCmd);
  assert.equal(argvs.slice(-2), want);
});

test('seed 000 lines 13–16: network-bridge stop → edit → service network restart → network-bridge(-custom) start', () => {
  const kinds = plan.steps.map((s) => (s.argv ? s.argv.join(' ') : 'edit'));
  const stop = kinds.indexOf(rootCmd(seedLines(13)[0]));
  const firstEdit = kinds.indexOf('edit');
  const restart = kinds.indexOf(rootCmd(seedLines(15)[0]));
  const start = kinds.indexOf('/etc/xen/scripts/network-bridge-custom start');
  assert.ok(stop === 0, `stop first: ${kinds.join(' | ')}`);
  assert.ok(stop < firstEdit && firstEdit < restart && restart < start, kinds.join(' | '));
  assert.ok(kinds.lastIndexOf('edit') < restart, 'every edit before the restart');
});

test('antispoof=false and another NIC/bridge name reach the wrapper script', () => {
  const a = writeJson(path.join(tempDir(), 'b.json'), { recipe: 'single-bridge', antispoof: false, 'wan.bridge': 'xenbr0' });
  const out = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: JsonStep[] };
  const script = out.steps.find((s) => s.file?.path === '/etc/xen/scripts/network-bridge-custom')!.file!.after!;
  assert.ok(script.includes('${dir}/network-bridge "$@" vifnum=0 bridge=xenbr0 netdev=eth0 antispoof=no\n'));
});

test('plans are pure: the same answers (MACs given) give the same plan twice', () => {
  const a = writeJson(path.join(tempDir(), 'c.json'), { recipe: 'single-bridge', macs: { centos51u2: '00:16:3e:01:02:03' } });
  const one = runCli(['plan', '--root', root, '--answers', a, '--json']).stdout;
  const two = runCli(['plan', '--root', root, '--answers', a, '--json']).stdout;
  assert.is(one, two);
  assert.ok(one.includes('mac=00:16:3e:01:02:03,bridge=xenbr0'));
});

test.run();
