// Recipe vlan-bridges (seed 002 lines 96–115): the seed's Debian stanza on a xend dom0, today's
// vlan-raw-device/bridge_ports form on xl, the ifcfg form on both, MTU 1496 and tx offload off as
// answers, guests moved onto their VLAN's bridge — and a second plan with nothing to do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, copyFixture, runCli, tempDir, writeJson, assertApplyIdempotentRollback } from '../../_helpers/roots.js';

export const SEED_002 = path.resolve(PROJECT, '../shared/seeds/002_36f537410469844c.txt');
const seed002 = (from: number, to = from) => fs.readFileSync(SEED_002, 'utf8').split('\n').slice(from - 1, to);

interface JsonPlan { recipe: string; profile: string; backend: string; steps: { file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }[] }
const answersFile = (a: object) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'vlan-bridges', ...a });
function planOf(root: string, a: object = {}): { plan: JsonPlan; status: number | null; stderr: string } {
  const r = runCli(['plan', '--root', root, '--answers', answersFile(a), '--json']);
  return { plan: JSON.parse(r.stdout || '{"steps":[]}') as JsonPlan, status: r.status, stderr: r.stderr };
}
const fileOf = (plan: JsonPlan, p: string) => plan.steps.find((s) => s.file?.path === p)?.file;
const argvsOf = (plan: JsonPlan) => plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));

/** A Debian dom0 of the seed's era: the demo's interfaces(5) and guests, xend as the toolstack. */
export function debianXendRoot(): string {
  const root = copyFixture('debian12');
  fs.writeFileSync(path.join(root, 'etc/default/xen'), 'TOOLSTACK=xm\n');
  fs.copyFileSync(path.join(PROJECT, 'test/fixtures/centos5/root/etc/xen/xend-config.sxp'), path.join(root, 'etc/xen/xend-config.sxp'));
  return root;
}

/** The seed's NIC name (eth0) instead of the demo's eno1, so its lines compare byte for byte. */
function asEth0(root: string): string {
  const f = path.join(root, 'etc/network/interfaces');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replaceAll('eno1', 'eth0'));
  fs.renameSync(path.join(root, 'sys/class/net/eno1'), path.join(root, 'sys/class/net/eth0'));
  const route = path.join(root, 'proc/net/route');
  fs.writeFileSync(route, fs.readFileSync(route, 'utf8').replaceAll('eno1', 'eth0'));
  return root;
}

const xend = planOf(asEth0(debianXendRoot()), { 'vlan.txOff': false });
const xendIfaces = () => fileOf(xend.plan, '/etc/network/interfaces')!.after!.split('\n');

test('xend + ifupdown: the seed\'s stanza, lines 99–104, with no auto line (98)', () => {
  assert.is(xend.status, 0, xend.stderr);
  assert.is(xend.plan.profile, 'xend');
  const after = xendIfaces();
  const at = after.indexOf(seed002(99)[0]);
  assert.ok(at > 0, after.join('\n'));
  // Lines 99, 100, 102 and 104 byte for byte; 101 and 103 with network-bridge and its vifnum.
  assert.equal(after.slice(at, at + 6), [
    seed002(99)[0],
    seed002(100)[0],
    seed002(101)[0].replace('/etc/xen/scripts/network start', '/etc/xen/scripts/network-bridge start vifnum=1'),
    seed002(102)[0],
    seed002(103)[0].replace('/etc/xen/scripts/network stop', '/etc/xen/scripts/network-bridge stop vifnum=1'),
    seed002(104)[0],
  ]);
  assert.not.ok(after.includes('auto xen-br293'));
  assert.equal(seed002(101), ['up /etc/xen/scripts/network start netdev=eth0.293 bridge=xen-br293 antispoof=no']);
});

test('seed 002 line 105: an init script brings the bridges up after xend, before xendomains', () => {
  const init = fileOf(xend.plan, '/etc/init.d/xen-vlan-bridges')!;
  assert.is(init.mode, '0755');
  assert.match(init.after!, /# Required-Start:\s+\$network xend\n/);
  assert.match(init.after!, /# X-Start-Before:\s+xendomains\n/);
  assert.match(init.after!, /BRIDGES="xen-br293"/);
  assert.ok(argvsOf(xend.plan).includes('update-rc.d xen-vlan-bridges defaults'));
});

test('lines 111–114 as answers: mtu 1496 and ethtool -K eth0 tx off on the trunk NIC\'s stanza, and now', () => {
  const { plan, status, stderr } = planOf(asEth0(debianXendRoot()), { 'vlan.mtu1496': true, 'vlan.txOff': true });
  assert.is(status, 0, stderr);
  const after = fileOf(plan, '/etc/network/interfaces')!.after!;
  assert.match(after, /iface eth0 inet static\n[\s\S]*?\tmtu 1496\n\tpost-up ethtool -K eth0 tx off\n/);
  const argvs = argvsOf(plan);
  assert.ok(argvs.includes('ethtool -K eth0 tx off') && argvs.includes('ip link set dev eth0 mtu 1496'), argvs.join('\n'));
  // Defaults: tx off on the seed's (xend) era, not on xl; MTU 1496 only when answered.
  assert.not.match(fileOf(xend.plan, '/etc/network/interfaces')!.after!, /mtu 1496|tx off/);
});

const xl = planOf(copyFixture('debian12'), { 'vlan.ids': '293,294', 'vlan.guests': 'web1=293,db1=294' });

test('xl + ifupdown: eno1.293 with vlan-raw-device, xen-br293 with bridge_ports eno1.293, both auto', () => {
  assert.is(xl.status, 0, xl.stderr);
  const after = fileOf(xl.plan, '/etc/network/interfaces')!.after!;
  for (const id of [293, 294]) {
    assert.match(after, new RegExp(`auto eno1\\.${id}\\niface eno1\\.${id} inet manual\\n\\tvlan-raw-device eno1\\n`));
    assert.match(after, new RegExp(`auto xen-br${id}\\niface xen-br${id} inet manual\\n\\tbridge_ports eno1\\.${id}\\n\\tbridge_stp off\\n\\tbridge_fd 0\\n`));
  }
  assert.not.match(after, /vconfig|tx off|mtu 1496/);
  assert.equal(argvsOf(xl.plan).filter((a) => a.startsWith('ifup')), ['ifup eno1.293', 'ifup xen-br293', 'ifup eno1.294', 'ifup xen-br294']);
});

test('guests join their VLAN by their vif\'s bridge and see no tag (line 110)', () => {
  assert.match(fileOf(xl.plan, '/etc/xen/web1.cfg')!.after!, /bridge=xen-br293/);
  assert.match(fileOf(xl.plan, '/etc/xen/db1.cfg')!.after!, /bridge=xen-br294,vifname=db1\.0/);
});

test('ifcfg (CentOS 5, xend): ifcfg-eth0.293 VLAN=yes BRIDGE=xen-br293, ifcfg-xen-br293 TYPE=Bridge; MTU and ETHTOOL_OPTS on ifcfg-eth0', () => {
  const { plan, status, stderr } = planOf(copyFixture('centos5'), { 'vlan.mtu1496': true });
  assert.is(status, 0, stderr);
  const dir = '/etc/sysconfig/network-scripts';
  const dev = fileOf(plan, `${dir}/ifcfg-eth0.293`)!.after!.split('\n');
  for (const l of ['DEVICE=eth0.293', 'VLAN=yes', 'ONBOOT=yes', 'BRIDGE=xen-br293']) assert.ok(dev.includes(l), dev.join('\n'));
  const br = fileOf(plan, `${dir}/ifcfg-xen-br293`)!.after!.split('\n');
  for (const l of ['DEVICE=xen-br293', 'TYPE=Bridge', 'DELAY=0', 'STP=off']) assert.ok(br.includes(l), br.join('\n'));
  const nic = fileOf(plan, `${dir}/ifcfg-eth0`)!.after!.split('\n');
  assert.ok(nic.includes('MTU=1496') && nic.includes('ETHTOOL_OPTS="-K eth0 tx off"'), nic.join('\n'));
});

test('bad answers: exit 2, named', () => {
  for (const [a, re] of [
    [{ 'vlan.ids': '0' }, /vlan\.ids: "0" is not a VLAN id/],
    [{ 'vlan.ids': '293,293' }, /VLAN 293 is listed twice/],
    [{ 'vlan.ids': '4095' }, /"4095" is not a VLAN id/],
    [{ 'vlan.guests': 'web1=300' }, /not among the VLAN ids/],
    [{ 'vlan.guests': 'nosuch=293' }, /nosuch/],
    [{ 'vlan.nic': 'eth9' }, /vlan\.nic: there is no NIC "eth9"/],
    [{ 'vlan.bridgePrefix': 'a-very-long-prefix' }, /15 bytes|vlan\.bridgePrefix/],
  ] as const) {
    const r = planOf(copyFixture('debian12'), a);
    assert.is(r.status, 2, JSON.stringify(a));
    assert.match(r.stderr, re);
  }
});

for (const [name, make, a] of [
  ['debian xend', () => asEth0(debianXendRoot()), { 'vlan.mtu1496': true }],
  ['debian12 xl', () => copyFixture('debian12'), { 'vlan.ids': '293,294', 'vlan.guests': 'web1=293', 'vlan.txOff': true }],
  ['rhel-xl ifcfg', () => copyFixture('rhel-xl'), { 'vlan.txOff': true }],
] as const) {
  test(`${name}: apply → second plan empty → rollback leaves every file identical`, () => {
    assertApplyIdempotentRollback(make(), answersFile(a));
  });
}

test.run();
