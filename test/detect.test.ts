// detect on whole roots: profile, backend, NICs and MACs, default-route NIC, bridges, libvirt
// networks and autostart, guests (one guest found twice = two definitions; symlinks not counted).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RootFs } from '../src/system/rootfs.js';
import { detectHost } from '../src/detect/index.js';
import { parseProcNetRoute, linksFromIpJson, routesFromIpJson } from '../src/detect/links.js';
import { copyFixture, runCli, FIXTURES } from './_helpers/roots.js';

const noIp = async () => {
  throw new Error('ip must not run for a root with sys/class/net');
};
const detect = (fixture: string) => detectHost(new RootFs(FIXTURES[fixture]), { live: false, ip: noIp });

test('CentOS 5 / Xen 3.1: xend, ifcfg, network-bridge at work (eth0 holds the IP, peth0 in xenbr0)', async () => {
  const host = await detect('centos5');
  assert.is(host.profile, 'xend');
  assert.is(host.backend, 'ifcfg');
  assert.is(host.linkSource, 'sysfs');
  assert.is(host.defaultRouteNic, 'eth0');
  assert.is(host.networkScript, 'network-bridge');
  const link = (n: string) => host.links.find((l) => l.name === n)!;
  assert.is(link('eth0').mac, '00:19:b9:3a:66:12');
  assert.is(link('peth0').master, 'xenbr0');
  assert.ok(link('xenbr0').isBridge);
  assert.equal(link('xenbr0').ports, ['peth0', 'vif0.0']);
  assert.ok(link('virbr0').isBridge);
  assert.equal(host.libvirtNetworks.map((n) => [n.name, n.bridge, n.forwardMode, n.autostart]), [['default', 'virbr0', 'nat', true]]);
});

test('CentOS 5: centos51u is one guest with an xm file and an XML dump; auto/ symlink not a second guest', async () => {
  const host = await detect('centos5');
  assert.equal(host.guests.map((g) => g.name), ['centos51u', 'centos51u2']);
  const g = host.guests[0];
  assert.equal(g.definitions.map((d) => [d.kind, d.path]), [['xm', '/etc/xen/centos51u'], ['libvirt-xml', '/etc/xen/xml/centos51u.xml']]);
  assert.equal(g.definitions[0].vifs[0].keys, { mac: '00:16:3e:17:d4:87', bridge: 'virbr0' });
  assert.is(g.definitions[1].vifs[0].bridge, 'virbr0');
  assert.is(g.definitions[1].vifs[0].keys.script, 'vif-bridge');
  assert.ok(host.macsInUse.includes('00:16:3e:17:d4:87') && host.macsInUse.includes('00:19:b9:3a:66:12'));
});

test('Debian 12: xl, ifupdown, eno1 with the default route; a libvirt type=network vif is on virbr0', async () => {
  const host = await detect('debian12');
  assert.is(host.profile, 'xl');
  assert.is(host.backend, 'ifupdown');
  assert.is(host.defaultRouteNic, 'eno1');
  assert.equal(host.guests.map((g) => g.name), ['backup', 'build', 'db1', 'web1']);
  const build = host.guests.find((g) => g.name === 'build')!;
  assert.is(build.definitions[0].vifs[0].bridge, 'virbr0');
  assert.is(build.definitions[0].vifs[0].keys.network, 'default');
  const db1 = host.guests.find((g) => g.name === 'db1')!;
  assert.equal(db1.definitions[0].vifs[0].keys, { bridge: 'virbr0', vifname: 'db1.0' });
});

test('RHEL-like xl: ifcfg backend; a guest with two vifs', async () => {
  const host = await detect('rhel-xl');
  assert.is(host.profile, 'xl');
  assert.is(host.backend, 'ifcfg');
  assert.is(host.guests.find((g) => g.name === 'vm2')!.definitions[0].vifs.length, 2);
});

test('a root without sys/ and proc/ (offline): NICs and the default route come from the network config', async () => {
  for (const [fixture, nic] of [['debian12', 'eno1'], ['rhel-xl', 'eth0']] as const) {
    const root = copyFixture(fixture);
    fs.rmSync(path.join(root, 'sys'), { recursive: true });
    fs.rmSync(path.join(root, 'proc'), { recursive: true });
    const host = await detectHost(new RootFs(root), { live: false, ip: noIp });
    assert.is(host.linkSource, 'config');
    assert.is(host.defaultRouteNic, nic, fixture);
    assert.ok(host.links.some((l) => l.name === nic));
  }
});

test('/proc/net/route is read in the kernel\'s hex, little-endian format', () => {
  const text = fs.readFileSync(path.join(FIXTURES.centos5, 'proc/net/route'), 'utf8');
  assert.equal(parseProcNetRoute(text), [
    { dev: 'eth0', dst: '192.168.1.0/24', gateway: null },
    { dev: 'virbr0', dst: '192.168.122.0/24', gateway: null },
    { dev: 'eth0', dst: '169.254.0.0/16', gateway: null },
    { dev: 'eth0', dst: '0.0.0.0/0', gateway: '192.168.1.254' },
  ]);
});

test('ip -json output (a live host) gives links, masters and the default route', () => {
  const links = linksFromIpJson(JSON.stringify([
    { ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00' },
    { ifname: 'eth0', link_type: 'ether', address: '52:54:00:aa:bb:cc' },
    { ifname: 'virbr0', link_type: 'ether', address: '52:54:00:4f:a1:0c', linkinfo: { info_kind: 'bridge' } },
    { ifname: 'vif1.0', link_type: 'ether', address: 'fe:ff:ff:ff:ff:ff', master: 'virbr0', linkinfo: { info_kind: 'vif', info_slave_kind: 'bridge' } },
  ]));
  assert.equal(links.find((l) => l.name === 'virbr0')!.ports, ['vif1.0']);
  assert.is(links.find((l) => l.name === 'lo')!.mac, null);
  assert.equal(routesFromIpJson(JSON.stringify([{ dst: 'default', gateway: '10.0.0.1', dev: 'eth0' }, { dst: '10.0.0.0/24', dev: 'eth0' }])), [
    { dev: 'eth0', dst: '0.0.0.0/0', gateway: '10.0.0.1' },
    { dev: 'eth0', dst: '10.0.0.0/24', gateway: null },
  ]);
});

test('detect --json is one object; the human form lists every guest and vif', () => {
  const root = copyFixture('centos5');
  const r = runCli(['detect', '--root', root, '--json']);
  assert.is(r.status, 0, r.stderr);
  const host = JSON.parse(r.stdout);
  assert.is(host.profile, 'xend');
  assert.is(host.guests.length, 2);
  const human = runCli(['detect', '--root', root]);
  assert.match(human.stdout, /centos51u2/);
  assert.match(human.stdout, /vif#0\s+mac=00:16:3e:17:d4:87\s+bridge=virbr0/);
  const ja = runCli(['detect', '--root', root, '--lang', 'ja']);
  assert.match(ja.stdout, /プロファイル: xend/);
});

test('mac -n N: N fresh MACs, none in use on the root', () => {
  const root = copyFixture('centos5');
  const r = runCli(['mac', '-n', '50', '--root', root, '--json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { macs: string[]; checkedAgainst: number };
  assert.is(out.macs.length, 50);
  assert.is(new Set(out.macs).size, 50);
  assert.not.ok(out.macs.includes('00:16:3e:17:d4:87'));
  assert.ok(out.checkedAgainst >= 2);
  const plain = runCli(['mac', '--root', root]);
  assert.match(plain.stdout.trim(), /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
});

test('recipes lists every contract id; --help and --version work in both languages', () => {
  const r = runCli(['recipes']);
  for (const id of ['single-bridge', 'internal-l2', 'internal-dummy', 'bond-bridge', 'routed-lan', 'shadow-bridge', 'routed', 'virtual-network', 'vlan-bridges', 'libvirt-bridge']) {
    assert.ok(r.stdout.includes(id), id);
  }
  assert.match(runCli(['--help']).stdout, /Usage:/);
  assert.match(runCli(['--help', '--lang', 'ja']).stdout, /使い方:/);
  assert.match(runCli(['--help'], { env: { LANG: 'ja_JP.UTF-8' } }).stdout, /使い方:/);
  assert.match(runCli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
});

test.run();
