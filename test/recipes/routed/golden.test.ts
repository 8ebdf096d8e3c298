// Recipe routed (seed 002 lines 83–90): the xend artifacts the notes name, their xl equivalents,
// and the refusal of a guest without a static address (line 85), pinned to the seed's lines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, tempDir, writeJson, PROJECT } from '../../_helpers/roots.js';
import { getDirective } from '../../../src/parse/sxp.js';
import { parseDomainXml } from '../../../src/parse/libvirtXml.js';
import { parseXlConfig, vifSpecs } from '../../../src/parse/xlConfig.js';
import { vifSpecToKeys } from '../../../src/parse/vifSpec.js';

const SEED_002 = path.resolve(PROJECT, '../shared/seeds/002_36f537410469844c.txt');
const seed = (line: number) => fs.readFileSync(SEED_002, 'utf8').split('\n')[line - 1];

interface JsonStep { id: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }
interface JsonPlan { profile: string; method: string; steps: JsonStep[]; instructions: { key: string; text: string }[] }

const XEND_IPS = 'centos51u=192.168.1.11,centos51u2=192.168.1.12';
const XL = { guests: ['web1', 'db1'], 'route.ips': 'web1=192.168.1.11,db1=10.9.0.5' };

const planOf = (fixture: string, answers: object, status = 0) => {
  const root = copyFixture(fixture);
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed', ...answers }), '--json']);
  assert.is(r.status, status, r.stderr);
  return status === 0 ? JSON.parse(r.stdout) as JsonPlan : r;
};
const after = (p: JsonPlan, file: string) => p.steps.find((s) => s.file?.path === file)?.file?.after ?? '';
const argvs = (p: JsonPlan) => p.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
const vifKeys = (text: string, file: string) => vifSpecs(parseXlConfig(text, file)).map((v) => ('spec' in v ? vifSpecToKeys(v.spec) : {}));

const xend = planOf('centos5', { 'route.ips': XEND_IPS }) as JsonPlan;
const xl = planOf('debian12', XL) as JsonPlan;

test('seed 002 line 83: xend-config.sxp names network-route and vif-route instead of network-bridge and vif-bridge', () => {
  assert.match(seed(83), /network-route and vif-route instead of network-bridge and vif-bridge/);
  const sxp = after(xend, '/etc/xen/xend-config.sxp');
  assert.is(getDirective(sxp, 'x', 'network-script')?.value, 'network-route');
  assert.is(getDirective(sxp, 'x', 'vif-script')?.value, 'vif-route');
  // Only those two lines change; the commented examples of the stock file stay.
  const before = xend.steps.find((s) => s.file?.path === '/etc/xen/xend-config.sxp')!.file!.before!;
  const changed = sxp.split('\n').filter((l, i) => l !== before.split('\n')[i]);
  assert.equal(changed, ['(network-script network-route)', '(vif-script vif-route)']);
});

test('seed 002 line 90: each guest\'s static address goes in its config (ip=), the bridge leaves the vif', () => {
  assert.match(seed(90), /ip address specified in domU config file/);
  assert.equal(vifKeys(after(xend, '/etc/xen/centos51u'), 'centos51u'), [{ mac: '00:16:3e:17:d4:87', ip: '192.168.1.11' }]);
  assert.equal(vifKeys(after(xend, '/etc/xen/centos51u2'), 'centos51u2'), [{ ip: '192.168.1.12' }]);
  // Every other byte of the guest config is kept.
  const step = xend.steps.find((s) => s.file?.path === '/etc/xen/centos51u')!.file!;
  assert.is(step.after!.replace('ip=192.168.1.11', 'bridge=virbr0'), step.before);
});

test('seed 002 line 90 in the libvirt XML dump: an ethernet interface with <ip address> and vif-route, MAC kept', () => {
  const xml = after(xend, '/etc/xen/xml/centos51u.xml');
  const [itf] = parseDomainXml(xml, 'centos51u.xml').interfaces;
  assert.equal([itf.type, itf.mac, itf.bridge, itf.script], ['ethernet', '00:16:3e:17:d4:87', null, 'vif-route']);
  assert.ok(xml.includes("<ip address='192.168.1.11'/>"), xml);
  assert.ok(argvs(xend).includes('virsh define /etc/xen/xml/centos51u.xml'));
});

test('xend order: the running network-bridge is stopped before the edit, xend restarted after (it runs network-route)', () => {
  const cmds = argvs(xend);
  assert.equal(cmds, ['/etc/xen/scripts/network-bridge stop', 'service xend restart', 'virsh define /etc/xen/xml/centos51u.xml']);
  assert.ok(xend.steps.findIndex((s) => s.argv?.[0] === '/etc/xen/scripts/network-bridge') < xend.steps.findIndex((s) => s.file));
  assert.is(xend.method, 'xend-restart');
});

test('xend with another NIC: network-route gets netdev= (its default is eth0)', () => {
  const root = copyFixture('centos5');
  fs.mkdirSync(path.join(root, 'sys/class/net/eth1'));
  fs.writeFileSync(path.join(root, 'sys/class/net/eth1/address'), '00:19:b9:3a:66:13\n');
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed', 'wan.nic': 'eth1', 'route.ips': XEND_IPS }), '--json']);
  assert.is(r.status, 0, r.stderr);
  assert.is(getDirective(after(JSON.parse(r.stdout), '/etc/xen/xend-config.sxp'), 'x', 'network-script')?.value, 'network-route netdev=eth1');
});

test('seed 002 line 85: a guest without a static address is refused — exit 2, the guest and the reason named, nothing planned', () => {
  assert.match(seed(85), /DHCP doesn't work/);
  const r = planOf('centos5', {}, 2) as { stderr: string };
  assert.match(r.stderr, /centos51u/);
  assert.match(r.stderr, /DHCP/);
  assert.match(r.stderr, /route\.ips/);
});

test('xl equivalent: vif = [ \'…,ip=…,script=vif-route\' ] (gatewaydev= names the NIC off eth0), no bridge=', () => {
  assert.equal(vifKeys(after(xl, '/etc/xen/web1.cfg'), 'web1.cfg'), [{ mac: '00:16:3e:2a:10:01', ip: '192.168.1.11', script: 'vif-route', gatewaydev: 'eno1' }]);
  assert.equal(vifKeys(after(xl, '/etc/xen/db1.cfg'), 'db1.cfg'), [{ vifname: 'db1.0', ip: '10.9.0.5', script: 'vif-route', gatewaydev: 'eno1' }]);
  assert.is(after(xl, '/etc/xen/backup.cfg'), '', 'a guest not chosen is not touched');
});

test('xl: what network-route does at xend start is persisted — ip_forward, and proxy ARP on the NIC for guests in its subnet', () => {
  const conf = after(xl, '/etc/sysctl.d/60-xen-net-wizard.conf');
  assert.ok(conf.includes('net.ipv4.ip_forward = 1\n') && conf.includes('net.ipv4.conf.eno1.proxy_arp = 1\n'), conf);
  const off = planOf('debian12', { ...XL, 'route.proxyArp': false }) as JsonPlan;
  assert.not.ok(after(off, '/etc/sysctl.d/60-xen-net-wizard.conf').includes('proxy_arp'));
  assert.is(xl.method, 'next-start');
});

test('instructions: a guest in dom0\'s subnet keeps the LAN gateway (proxy ARP); one outside gets a /32 and dom0 as gateway', () => {
  const [web1, db1] = xl.instructions;
  assert.match(web1.text, /192\.168\.1\.11\/24.*192\.168\.1\.254/);
  assert.match(db1.text, /10\.9\.0\.5\/32.*192\.168\.1\.10/);
});

test('libvirt domain on xl (type=network) becomes an ethernet interface with vif-route', () => {
  const all = planOf('debian12', { guests: ['web1', 'build'], 'route.ips': 'web1=192.168.1.11 build=192.168.1.14' }) as JsonPlan;
  const [itf] = parseDomainXml(after(all, '/etc/libvirt/libxl/build.xml'), 'build.xml').interfaces;
  assert.equal([itf.type, itf.network, itf.script], ['ethernet', null, 'vif-route']);
});

test.run();
