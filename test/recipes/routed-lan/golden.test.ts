// Recipe routed-lan on the xend profile: every artifact the guide prints (seed 000 lines 385–533),
// on the CentOS 5.1 fixture with its second NIC eth1 (192.168.0.3/24, the guide's dom0 address).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { copyFixture, runCli, seedLines, writeJson, tempDir } from '../../_helpers/roots.js';
import { parseDomainXml } from '../../../src/parse/libvirtXml.js';

interface JsonStep { id: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }
interface JsonPlan { profile: string; steps: JsonStep[]; instructions: { key: string; text: string; file?: { path: string; text: string } }[] }

const planFor = (answers: object): JsonPlan => {
  const root = copyFixture('routed-centos5');
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan', ...answers }), '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonPlan;
};
const plan = planFor({});
const after = (p: JsonPlan, file: string) => p.steps.find((s) => s.file?.path === file)?.file?.after ?? '';
const lines = (text: string) => text.split('\n').map((l) => l.trim());
const argvs = (p: JsonPlan) => p.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
const rootCmd = (line: string) => line.replace(/^root# /, '').trim();

test('seed 000 lines 450–453: do_bridge exactly as printed, with the guide\'s Fedora 8 bridge named eth0', () => {
  const fedora = planFor({ 'wan.bridge': 'eth0' });
  const wrapper = after(fedora, '/etc/xen/scripts/network-bridge-custom');
  const at = wrapper.split('\n').indexOf(seedLines(450)[0]);
  assert.ok(at > 0, wrapper);
  assert.equal(wrapper.split('\n').slice(at, at + 4), seedLines(450, 453));
});

test('seed 000 line 455: on RHEL/CentOS 5.x the bridge is xenbr0, antispoof=no; the wrapper is mode 755', () => {
  const wrapper = after(plan, '/etc/xen/scripts/network-bridge-custom');
  assert.ok(lines(wrapper).includes(seedLines(452)[0].trim().replace('bridge=eth0', 'bridge=xenbr0')), wrapper);
  assert.is(plan.steps.find((s) => s.file?.path === '/etc/xen/scripts/network-bridge-custom')!.file!.mode, '0755');
  assert.match(after(plan, '/etc/xen/xend-config.sxp'), /^\(network-script network-bridge-custom\)$/m);
});

test('seed 000 lines 461, 467, 479: the routing section calls set_route on route.conf and sets rp_filter on eth1', () => {
  const wrapper = lines(after(plan, '/etc/xen/scripts/network-bridge-custom'));
  assert.ok(wrapper.includes(seedLines(467)[0].trim()));
  assert.ok(wrapper.includes(seedLines(479)[0].trim()));
  assert.ok(wrapper.includes('# Additional routing configuration'));
  assert.ok(wrapper.includes('. ${dir}/network-bridge-util'), 'set_route comes from network-bridge-util (line 469)');
});

test('seed 000 lines 502–506: rt_tables gets the three tables appended, the rest of the file untouched', () => {
  const step = plan.steps.find((s) => s.file?.path === '/etc/iproute2/rt_tables')!;
  assert.is(step.file!.after, step.file!.before + seedLines(504, 506).join('\n') + '\n');
});

test('seed 000 line 414: virnet0.xml routes virbr0 through eth1; lines 420–425: net-define, net-autostart', () => {
  assert.ok(lines(after(plan, '/etc/virnet/virnet0.xml')).includes(seedLines(414)[0]));
  const cmds = argvs(plan);
  for (const line of [seedLines(424)[0], seedLines(425)[0]]) assert.ok(cmds.includes(rootCmd(line)), line);
  // libvirt's NAT network "default" owns virbr0 here: it is stopped and kept from starting first.
  assert.ok(cmds.indexOf('virsh net-destroy default') < cmds.indexOf('virsh net-start virnet0'));
  // The routes need virbr0 (line 475): network-bridge-custom starts after the network does.
  assert.ok(cmds.indexOf('virsh net-start virnet0') < cmds.indexOf('/etc/xen/scripts/network-bridge-custom start'));
});

test('seed 000 line 420: a virnet0 that exists is destroyed before it is re-defined', () => {
  const root = copyFixture('routed-centos5');
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan', 'routed.address': '192.168.122.1/24' });
  assert.is(runCli(['apply', '--root', root, '--answers', a, '--yes']).status, 0);
  const changed = writeJson(path.join(tempDir(), 'b.json'), { recipe: 'routed-lan', 'routed.address': '192.168.123.1/24' });
  const r = runCli(['plan', '--root', root, '--answers', changed, '--json']);
  assert.is(r.status, 0, r.stderr);
  const cmds = argvs(JSON.parse(r.stdout) as JsonPlan);
  assert.ok(cmds.indexOf(rootCmd(seedLines(420)[0])) >= 0 && cmds.indexOf(rootCmd(seedLines(420)[0])) < cmds.indexOf(rootCmd(seedLines(424)[0])), cmds.join('\n'));
});

test('seed 000 lines 430–439: WAN interface first on the eth0 bridge, LAN interface second on virbr0, both vif-bridge', () => {
  const xml = parseDomainXml(after(plan, '/etc/xen/xml/centos51u.xml'), 'centos51u.xml').interfaces;
  assert.equal(xml.map((i) => i.bridge), ['xenbr0', 'virbr0']);
  assert.ok(xml.every((i) => i.script?.endsWith('vif-bridge')), 'line 441: vif-bridge for the LAN vif too');
  assert.is(xml[0].mac, '00:16:3e:17:d4:87', 'the existing vif keeps its MAC and becomes the WAN vif');
  assert.match(xml[1].mac!, /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  const xm = after(plan, '/etc/xen/centos51u');
  assert.ok(xm.includes(`vif = [ "mac=00:16:3e:17:d4:87,bridge=xenbr0","mac=${xml[1].mac},bridge=virbr0" ]`), xm);
  assert.ok(argvs(plan).includes(rootCmd(seedLines(445)[0])), 'line 445: virsh define the XML');
});

test("seed 000 line 484: ip_forward on in sysctl.conf (in place of CentOS' own ip_forward = 0)", () => {
  const step = plan.steps.find((s) => s.file?.path === '/etc/sysctl.conf')!;
  assert.match(step.file!.before!, /^net\.ipv4\.ip_forward = 0$/m);
  assert.match(step.file!.after!, /^net\.ipv4\.ip_forward = 1$/m);
  assert.not.match(step.file!.after!, /ip_forward = 0/);
  assert.ok(argvs(plan).includes('sysctl -w net.ipv4.ip_forward=1'));
});

test('seed 000 lines 523–525: route-eth1 for each guest, shown as a file to place inside it', () => {
  const guest = plan.instructions.filter((i) => i.key === 'instruction.routedGuestRoute');
  assert.is(guest.length, 2);
  for (const g of guest) {
    assert.is(g.file!.path, '/etc/sysconfig/network-scripts/route-eth1');
    assert.is(g.file!.text, seedLines(525)[0] + '\n');
  }
  assert.match(guest[0].text, /virsh console centos51u/);
});

test("seed 000 line 533: the LAN router's route through dom0's eth1, printed, never run", () => {
  const upstream = plan.instructions.find((i) => i.key === 'instruction.routedUpstream')!;
  assert.ok(upstream.text.includes(rootCmd(seedLines(533)[0])), upstream.text);
  assert.not.ok(argvs(plan).some((c) => c.startsWith('ip route add')), 'nothing is run on the LAN router');
});

test('route.conf: per source network (line 469), the access matrix of lines 395–399 in table form', () => {
  const conf = after(plan, '/etc/xen/route.conf').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.equal(conf, [
    '192.168.1.0/24 dev eth0 table wanside', 'prohibit default table wanside', 'iif eth0 table wanside pref 100',
    '192.168.122.0/24 dev virbr0 table lanside', '192.168.0.0/24 dev eth1 table lanside', 'prohibit default table lanside', 'iif eth1 table lanside pref 101',
    '192.168.0.0/24 dev eth1 table virside', '192.168.122.0/24 dev virbr0 table virside', 'prohibit default table virside', 'iif virbr0 table virside pref 102',
  ]);
});

test.run();
