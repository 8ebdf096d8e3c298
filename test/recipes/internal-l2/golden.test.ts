// Recipe internal-l2 on the guide's own host (CentOS 5.1, xend, guests centos51u/centos51u2) with
// the guide's MACs: every artifact compared with seed 000 lines 85–199, line by line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, seedLines, tempDir, writeJson } from '../../_helpers/roots.js';

interface JsonStep { id: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }

// seed 000 lines 97, 101: the MACs the guide gives (…:87 is already in the fixture).
const GUIDE_ANSWERS = {
  recipe: 'internal-l2',
  macs: { centos51u2: '00:16:3e:17:d4:97' },
  'internal.macs': { centos51u: '00:16:3e:17:d4:88', centos51u2: '00:16:3e:17:d4:98' },
};
const root = copyFixture('centos5');
const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), GUIDE_ANSWERS), '--json']);
const plan = JSON.parse(r.stdout || '{}') as { recipe: string; profile: string; steps: JsonStep[] };
const fileOf = (p: string) => plan.steps.find((s) => s.file?.path === p)?.file;
const argvs = plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
const rootCmd = (line: string) => line.replace(/^root# /, '').trim();
const changed = (f: { before: string | null; after: string | null }) => {
  const a = (f.before ?? '').split('\n');
  return f.after!.split('\n').filter((l, i) => a[i] !== l);
};

test('plan --json: recipe internal-l2 on the xend profile', () => {
  assert.is(r.status, 0, r.stderr);
  assert.is(plan.recipe, 'internal-l2');
  assert.is(plan.profile, 'xend');
});

test('seed 000 lines 95–101: each guest\'s vif line, LAN vif on xenbr0 and a new one on virbr1', () => {
  assert.equal(changed(fileOf('/etc/xen/centos51u')!), seedLines(97));
  // centos51u2 had no mac= (fixture): its first vif gets the answered one, as the guide shows.
  assert.equal(changed(fileOf('/etc/xen/centos51u2')!), seedLines(101));
});

test('seed 000 lines 105–116: the XML dump holds both <interface> blocks, in the guide\'s order and form', () => {
  const after = fileOf('/etc/xen/xml/centos51u.xml')!.after!.split('\n').map((l) => l.trim());
  const want = seedLines(107, 116).map((l) => l.trim());
  const at = after.indexOf(want[0]);
  assert.ok(at >= 0, after.join('\n'));
  assert.equal(after.slice(at, at + want.length), want);
});

test('seed 000 line 133: virsh define of the edited dump, after the edit', () => {
  const define = rootCmd(seedLines(133)[0]);
  assert.ok(argvs.includes(define), argvs.join(' | '));
  const ids = plan.steps.map((s) => s.id);
  assert.ok(ids.indexOf('edit:/etc/xen/xml/centos51u.xml') < ids.indexOf(`run:virsh-define-/etc/xen/xml/centos51u.xml`));
});

test('seed 000 lines 139 → 141: the live (network-script …) line of xend-config.sxp', () => {
  const sxp = fileOf('/etc/xen/xend-config.sxp')!;
  assert.equal(changed(sxp), seedLines(141));
  assert.ok(sxp.before!.split('\n').includes(seedLines(139)[0]));
});

test('seed 000 lines 145–157: network-bridge-custom exactly as printed, root:root 755', () => {
  const script = fileOf('/etc/xen/scripts/network-bridge-custom')!;
  assert.is(script.mode, '0755');
  // The guide's blank lines hold a stray space (its HTML); ours are empty.
  assert.equal(script.after!.trimEnd().split('\n'), seedLines(145, 157).map((l) => l.trimEnd()));
});

test('seed 000 lines 182–189: /etc/virnet/virnet1.xml as the guide writes it, forwardDelay → delay (schema)', () => {
  const xml = fileOf('/etc/virnet/virnet1.xml')!;
  assert.is(xml.before, null);
  assert.equal(xml.after!.trimEnd().split('\n'), seedLines(184, 189).map((l) => l.replace("forwardDelay='0'", "delay='0'")));
});

test('seed 000 lines 190–191: virsh net-define and net-autostart (then net-start, instead of the reboot of line 199)', () => {
  const want = seedLines(190, 191).map(rootCmd);
  const at = argvs.indexOf(want[0]);
  assert.equal(argvs.slice(at, at + 3), [...want, 'virsh net-start virnet1']);
});

test('virnet1 is started before network-bridge-custom runs, so the wrapper\'s clean-up (lines 149–153) sees libvirt\'s rules', () => {
  const start = argvs.indexOf('virsh net-start virnet1');
  const wrapper = argvs.indexOf('/etc/xen/scripts/network-bridge-custom start');
  assert.ok(start >= 0 && wrapper > start, argvs.join(' | '));
  // seed 000 lines 13–16 still frame everything: stop first, restart after every edit.
  assert.is(argvs[0], '/etc/xen/scripts/network-bridge stop');
  const lastEdit = plan.steps.map((s) => !!s.file).lastIndexOf(true);
  assert.ok(lastEdit < plan.steps.findIndex((s) => s.argv?.join(' ') === 'service network restart'));
});

test('seed 000 lines 196–197: the default network stopped and its autostart disabled, last', () => {
  assert.equal(argvs.slice(-2), seedLines(196, 197).map(rootCmd));
});

test('xend: no sysctl.conf edit; the wrapper\'s echo is the guide\'s way (line 157)', () => {
  assert.not.ok(plan.steps.some((s) => s.file?.path.includes('sysctl')));
});

test('xend on a host with /proc/sys: sysctl -w just before the wrapper, undone to the kernel\'s value (rollback fidelity)', () => {
  const live = copyFixture('centos5');
  fs.mkdirSync(path.join(live, 'proc/sys/net/ipv4'), { recursive: true });
  fs.writeFileSync(path.join(live, 'proc/sys/net/ipv4/ip_forward'), '1\n');
  // The journal keeps the whole plan, undo commands included (plan --json shows only what runs).
  const applied = runCli(['apply', '--root', live, '--answers', writeJson(path.join(tempDir(), 'p.json'), GUIDE_ANSWERS), '--yes', '--json']);
  assert.is(applied.status, 0, applied.stderr);
  const journal = (JSON.parse(applied.stdout) as { journal: string }).journal;
  const cmds = (JSON.parse(fs.readFileSync(path.join(journal, 'plan.json'), 'utf8')) as { steps: (JsonStep & { undo?: string[] })[] }).steps.filter((s) => s.argv);
  const at = cmds.findIndex((s) => s.argv!.join(' ') === 'sysctl -w net.ipv4.ip_forward=0');
  assert.ok(at >= 0, cmds.map((s) => s.argv!.join(' ')).join(' | '));
  assert.is(cmds[at + 1].argv!.join(' '), '/etc/xen/scripts/network-bridge-custom start');
  assert.equal(cmds[at].undo, ['sysctl', '-w', 'net.ipv4.ip_forward=1']);
  assert.is(runCli(['rollback', '--root', live]).status, 0);
  // Already 0: nothing to set.
  fs.writeFileSync(path.join(live, 'proc/sys/net/ipv4/ip_forward'), '0\n');
  const zero = JSON.parse(runCli(['plan', '--root', live, '--answers', writeJson(path.join(tempDir(), 'q.json'), GUIDE_ANSWERS), '--json']).stdout) as { steps: JsonStep[] };
  assert.not.ok(zero.steps.some((s) => s.argv?.[0] === 'sysctl'));
});

test('internal.ipForwardOff=false drops the echo line and only it', () => {
  const a = writeJson(path.join(tempDir(), 'b.json'), { ...GUIDE_ANSWERS, 'internal.ipForwardOff': false });
  const out = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: JsonStep[] };
  const script = out.steps.find((s) => s.file?.path === '/etc/xen/scripts/network-bridge-custom')!.file!.after!;
  assert.equal(script.trimEnd().split('\n'), seedLines(145, 155).map((l) => l.trimEnd()));
});

test('a guest left on libvirt\'s NAT keeps forwarding on by default; answered true, the plan warns', () => {
  const wrapperOf = (extra: object) => {
    const out = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'n.json'), { ...GUIDE_ANSWERS, guests: ['centos51u'], ...extra }), '--lang', 'en']);
    assert.is(out.status, 0, out.stderr);
    return out.stdout;
  };
  const kept = wrapperOf({});
  assert.not.ok(kept.includes('echo 0 >/proc/sys/net/ipv4/ip_forward'), 'NAT still in use: no echo');
  assert.not.ok(kept.includes('virsh net-destroy default'));
  const forced = wrapperOf({ 'internal.ipForwardOff': true });
  assert.ok(forced.includes('+echo 0 >/proc/sys/net/ipv4/ip_forward'));
  assert.match(forced, /libvirt's NAT network default stays in use/);
});

test('another network name, bridge and subnet reach the XML, the wrapper and the vifs', () => {
  const a = writeJson(path.join(tempDir(), 'c.json'), { recipe: 'internal-l2', 'internal.network': 'backnet', 'internal.bridge': 'virbr7', 'internal.address': '10.20.0.254/16' });
  const out = JSON.parse(runCli(['plan', '--root', root, '--answers', a, '--json']).stdout) as { steps: JsonStep[] };
  const xml = out.steps.find((s) => s.file?.path === '/etc/virnet/backnet.xml')!.file!.after!;
  assert.ok(xml.includes('<name>backnet</name>') && xml.includes('<bridge name="virbr7"') && xml.includes('<ip address="10.20.0.254" netmask="255.255.0.0">'), xml);
  assert.ok(out.steps.find((s) => s.file?.path === '/etc/xen/scripts/network-bridge-custom')!.file!.after!.includes('\nlibvirtbr=virbr7\n'));
  assert.match(out.steps.find((s) => s.file?.path === '/etc/xen/centos51u')!.file!.after!, /,"mac=00:16:3e:[0-7][0-9a-f](:[0-9a-f]{2}){2},bridge=virbr7" \]/);
});

test.run();
