// Recipe libvirt-bridge (seed 003, the RHEL manual): every artifact the manual prints, pinned to
// its lines, on the xend profile (CentOS 5) and today's RHEL (xl, NetworkManager's ifcfg-rh).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { assertApplyIdempotentRollback, assertRefusedUnchanged, copyFixture, fingerprintDiff, runCli, tempDir, treeFingerprint, writeJson, PROJECT } from '../../_helpers/roots.js';
import { recipePlan, fileAfter, commandLines } from '../../_helpers/jsonPlan.js';
import { parseIfcfg, getVar } from '../../../src/parse/ifcfg.js';
import { getDirective } from '../../../src/parse/sxp.js';

const SEED_003 = path.resolve(PROJECT, '../shared/seeds/003_4fee35a0f0bb5c43.txt');
const seed = (line: number) => fs.readFileSync(SEED_003, 'utf8').split('\n')[line - 1];
const cmd = (line: number) => seed(line).replace(/^# /, '');

const answersFile = (a: object) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'libvirt-bridge', ...a });
const planOf = (fixture: string, a: object = {}) => recipePlan('libvirt-bridge', fixture, a);
const after = fileAfter;
const argvs = commandLines;
const IFCFG = '/etc/sysconfig/network-scripts';
const xend = planOf('centos5');
const off = planOf('centos5', { 'libvirt.nm': 'disable', 'libvirt.netfilter': 'sysctl' });
const xl = planOf('rhel-xl');
const vars = (text: string) => parseIfcfg(text, 'x');

test('seed 003 line 10: (network-script /bin/true), after network-bridge is stopped (line 7: "if the system uses the Xen bridge")', () => {
  assert.is(seed(10), '(network-script /bin/true)');
  assert.ok(after(xend, '/etc/xen/xend-config.sxp').split('\n').includes(seed(10)));
  assert.is(getDirective(after(xend, '/etc/xen/xend-config.sxp'), 'x', 'network-script')?.value, '/bin/true');
  assert.is(argvs(xend)[0], '/etc/xen/scripts/network-bridge stop');
});

test('seed 003 lines 30–34: ifcfg-eth0 keeps DEVICE and HWADDR, gets BRIDGE=br0, ONBOOT=yes; its address moves to br0', () => {
  const eth0 = vars(after(xend, `${IFCFG}/ifcfg-eth0`));
  for (const line of [30, 32, 33, 34]) {
    const [k, v] = seed(line).split('=');
    assert.is(getVar(eth0, k), k === 'HWADDR' ? '00:19:B9:3A:66:12' : v, seed(line));
  }
  assert.is(getVar(eth0, 'IPADDR'), undefined);
});

test('seed 003 lines 40–46: ifcfg-br0 with DEVICE=br0, TYPE=Bridge (case exactly, line 49), ONBOOT=yes, DELAY=0; eth0\'s addressing', () => {
  const text = after(xend, `${IFCFG}/ifcfg-br0`);
  for (const line of [41, 42, 44, 45]) assert.ok(text.split('\n').includes(seed(line)), seed(line));
  assert.match(seed(49), /TYPE=Bridge/);
  assert.equal(['BOOTPROTO', 'IPADDR', 'NETMASK'].map((k) => getVar(vars(text), k)), ['static', '192.168.1.3', '255.255.255.0']);
});

test('seed 003 line 22: NM_CONTROLLED=no in both files (the default); lines 15–18 when NetworkManager is turned off instead', () => {
  assert.match(seed(22), /NM_CONTROLLED=no/);
  for (const f of ['ifcfg-eth0', 'ifcfg-br0']) assert.is(getVar(vars(after(xend, `${IFCFG}/${f}`)), 'NM_CONTROLLED'), 'no', f);
  for (const f of ['ifcfg-eth0', 'ifcfg-br0']) assert.is(getVar(vars(after(off, `${IFCFG}/${f}`)), 'NM_CONTROLLED'), undefined, f);
  const cmds = argvs(off);
  for (const line of [15, 16, 17]) assert.ok(cmds.includes(cmd(line)), cmd(line));
  assert.ok(cmds.indexOf(cmd(17)) < cmds.indexOf('service network restart'), 'line 18 follows as the network (re)start');
});

test('seed 003 line 51: service network restart after the files; line 66: service libvirtd reload', () => {
  const cmds = argvs(xend);
  assert.ok(cmds.includes(cmd(51)) && cmds.includes(cmd(66)));
  assert.ok(cmds.indexOf(cmd(51)) < cmds.indexOf(cmd(66)));
  assert.is(xend.method, 'network-restart');
});

test('seed 003 lines 53–54: the physdev rule now and in the file `service iptables save` writes', () => {
  assert.ok(argvs(xend).includes(cmd(53)), cmd(53));
  const saved = xend.steps.find((s) => s.file?.path === '/etc/sysconfig/iptables')!.file!;
  assert.ok(saved.after!.split('\n').includes(cmd(53).replace(/^iptables /, '')), saved.after!);
  assert.is(saved.mode, '0600');
  // An existing file keeps every line; the rule goes into its filter table.
  const root = copyFixture('centos5');
  const existing = '*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n';
  fs.mkdirSync(path.join(root, 'etc/sysconfig'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/sysconfig/iptables'), existing, { mode: 0o600 });
  const r = runCli(['plan', '--root', root, '--answers', answersFile({}), '--json']);
  assert.is(after(JSON.parse(r.stdout), '/etc/sysconfig/iptables'), existing.replace('-A INPUT -i lo -j ACCEPT\n', `-A INPUT -i lo -j ACCEPT\n${cmd(53).replace(/^iptables /, '')}\n`));
});

test('seed 003 lines 60–62: the bridge-nf-call-* sysctls = 0 in /etc/sysctl.conf (the other answer)', () => {
  const conf = after(off, '/etc/sysctl.conf').split('\n');
  for (const line of [60, 61, 62]) assert.ok(conf.includes(seed(line)), seed(line));
  assert.not.ok(argvs(off).some((c) => c.includes('physdev')));
});

test('guests: bridge=br0 in xm configs, <source bridge=\'br0\'/> in libvirt XML, virsh define; libvirt\'s virbr0 left alone (line 72)', () => {
  assert.match(after(xend, '/etc/xen/centos51u'), /bridge=br0/);
  assert.match(after(xend, '/etc/xen/xml/centos51u.xml'), /<source bridge='br0'\/>/);
  assert.ok(argvs(xend).includes('virsh define /etc/xen/xml/centos51u.xml'));
  assert.not.ok(argvs(xend).some((c) => c.startsWith('virsh net-')), 'virbr0 is for NAT only, untouched');
});

test('xl (today\'s RHEL): the ifcfg form NetworkManager\'s ifcfg-rh plugin reads — no NM_CONTROLLED=no — nmcli reload, systemctl reload libvirtd', () => {
  for (const f of ['ifcfg-eth0', 'ifcfg-br0']) assert.is(getVar(vars(after(xl, `${IFCFG}/${f}`)), 'NM_CONTROLLED'), undefined, f);
  assert.is(getVar(vars(after(xl, `${IFCFG}/ifcfg-br0`)), 'TYPE'), 'Bridge');
  const cmds = argvs(xl);
  assert.ok(cmds.indexOf('nmcli connection reload') < cmds.indexOf('ifup br0'));
  assert.ok(cmds.includes('systemctl reload libvirtd'));
  assert.match(after(xl, '/etc/sysctl.d/60-xen-net-wizard.conf'), /net\.bridge\.bridge-nf-call-iptables = 0/);
});

const bad: [string, string, object, RegExp][] = [
  ['a Debian host (not the manual\'s ifcfg)', 'debian12', {}, /ifupdown/],
  ['an unknown netfilter answer', 'centos5', { 'libvirt.netfilter': 'nftables' }, /libvirt\.netfilter/],
  ['the bridge named like libvirt\'s NAT bridge', 'centos5', { 'wan.bridge': 'virbr0' }, /virbr0/],
  ['a NIC that does not exist', 'centos5', { 'wan.nic': 'eth5' }, /eth5/],
];
for (const [name, fixture, a, says] of bad) {
  test(`refused: ${name} — exit 2, nothing changed`, () => {
    assertRefusedUnchanged(copyFixture(fixture), answersFile(a), [says]);
  });
}

test('--save-answers round trip; apply → empty second plan → byte-exact rollback', () => {
  const root = copyFixture('centos5');
  const saved = path.join(tempDir(), 'saved.json');
  assert.is(runCli(['apply', '--root', root, '--answers', answersFile({}), '--yes', '--save-answers', saved]).status, 0);
  const answers = JSON.parse(fs.readFileSync(saved, 'utf8'));
  assert.equal([answers['wan.nic'], answers['wan.bridge'], answers['libvirt.nm'], answers['libvirt.netfilter']], ['eth0', 'br0', 'nm-controlled-no', 'iptables']);
  const fresh = copyFixture('centos5');
  assert.is(runCli(['apply', '--root', fresh, '--answers', saved, '--yes']).status, 0);
  const files = (x: string) => treeFingerprint(x, { excludeJournal: true });
  assert.equal(fingerprintDiff(files(root), files(fresh)), []);
  assertApplyIdempotentRollback(copyFixture('rhel-xl'), answersFile({}));
});

test.run();
