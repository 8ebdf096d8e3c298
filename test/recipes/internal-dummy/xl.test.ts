// Recipe internal-dummy on xl hosts: the internal bridge persisted in the distro's own config —
// ifupdown's interfaces(5) read back by real ifquery, RHEL ifcfg — port-less (no dummy0 needed on
// xl) or over a real second NIC; the guests' second vif in xl cfgs and libvirt XML.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, tempDir, PROJECT } from '../../_helpers/roots.js';
import { addNic, argvsOf, fileOf, planOf } from './roots.js';
import { missingUnpacked, testUnless } from '../../_helpers/skip.js';

const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown/sbin/ifquery');

const NO_IFQUERY = missingUnpacked('ifupdown/sbin/ifquery');

function ifquery(text: string): (...args: string[]) => { status: number | null; stdout: string } {
  const file = path.join(tempDir(), 'interfaces');
  const dir = path.join(tempDir(), 'interfaces.d');
  fs.mkdirSync(dir);
  // ifquery follows `source`: point it at an empty directory instead of this machine's /etc.
  fs.writeFileSync(file, text.replace('source /etc/network/interfaces.d/*', `source ${dir}/*`));
  return (...args) => spawnSync(IFQUERY, ['-i', file, ...args], { encoding: 'utf8' });
}

const demo = copyFixture('debian12');
const portless = planOf(demo, {});
const interfaces = () => fileOf(portless.plan, '/etc/network/interfaces')!;

test('Debian 12: a port-less xenbr1 beside xenbr0 in one edit of /etc/network/interfaces, then ifup xenbr1', () => {
  assert.is(portless.status, 0, portless.stderr);
  assert.is(portless.plan.profile, 'xl');
  assert.is(portless.plan.steps.filter((s) => s.file?.path === '/etc/network/interfaces').length, 1);
  const argvs = argvsOf(portless.plan);
  assert.ok(argvs.indexOf('ifup xenbr1') > argvs.indexOf('ifup xenbr0'), argvs.join(' | '));
  assert.not.ok(/dummy/.test(interfaces().after!.replace(/^#.*$/gm, '')), 'no dummy0 on xl');
});

testUnless(test, NO_IFQUERY, 'Debian 12: ifquery reads xenbr1 as a port-less static bridge with its fixed MAC, and xenbr0 untouched by it', () => {
  const q = ifquery(interfaces().after!);
  assert.ok(q('--list').stdout.split('\n').includes('xenbr1'));
  const br = q('xenbr1');
  assert.is(br.status, 0);
  const mac = /hwaddress: (00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2})\n/.exec(br.stdout);
  assert.ok(mac, br.stdout);
  for (const line of ['address: 192.168.200.1', 'netmask: 255.255.255.0', 'bridge_ports: none', 'bridge_stp: off', 'bridge_fd: 0', 'bridge_maxwait: 0']) {
    assert.ok(br.stdout.includes(line + '\n'), `xenbr1 lacks "${line}":\n${br.stdout}`);
  }
  assert.ok(q('xenbr0').stdout.includes('bridge_ports: eno1\n'));
  assert.not.ok(q('xenbr0').stdout.includes('192.168.200'), 'the internal address is not on the LAN bridge');
});

test('Debian 12: each guest on virbr0 gets a second vif on xenbr1 with a fresh MAC, in the cfg and the libvirt XML', () => {
  const web1 = fileOf(portless.plan, '/etc/xen/web1.cfg')!.after!;
  assert.match(web1, /vif {9}= \[ 'mac=00:16:3e:2a:10:01,bridge=xenbr0','mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2},bridge=xenbr1' \]/);
  const xml = fileOf(portless.plan, '/etc/libvirt/libxl/build.xml')!.after!;
  assert.match(xml, /<source bridge='xenbr1'\/>/);
  assert.is(fileOf(portless.plan, '/etc/xen/backup.cfg'), undefined, 'a guest not on virbr0 is left alone');
  const macs = [...JSON.stringify(portless.plan).matchAll(/mac=(00:16:3e:[0-9a-f:]{8}),bridge=xenbr1/g)].map((m) => m[1]);
  assert.is(new Set(macs).size, macs.length, 'unique MACs');
});

testUnless(test, NO_IFQUERY, 'Debian 12, real second NIC eno2: xenbr1 over eno2, no hwaddress, eno2 carries no address', () => {
  const nic = planOf(copyFixture('debian12'), { 'internal.nic': 'eno2' });
  assert.is(nic.status, 0, nic.stderr);
  const q = ifquery(fileOf(nic.plan, '/etc/network/interfaces')!.after!);
  const br = q('xenbr1').stdout;
  assert.ok(br.includes('bridge_ports: eno2\n') && br.includes('address: 192.168.200.1\n'), br);
  assert.not.ok(br.includes('hwaddress'), 'the bridge takes the NIC\'s MAC');
  assert.not.ok(q('--list').stdout.split('\n').includes('eno2'), 'eno2 is brought up by the bridge, not on its own');
});

testUnless(test, NO_IFQUERY, 'Debian 12, internal.address "": xenbr1 inet manual, no address for dom0 on the segment', () => {
  const none = planOf(copyFixture('debian12'), { 'internal.address': '' });
  assert.is(none.status, 0, none.stderr);
  const q = ifquery(fileOf(none.plan, '/etc/network/interfaces')!.after!);
  assert.ok(fileOf(none.plan, '/etc/network/interfaces')!.after!.includes('iface xenbr1 inet manual\n'));
  assert.not.ok(q('xenbr1').stdout.includes('address: 192.168.200'));
});

test('RHEL-like xl: ifcfg-xenbr1 TYPE=Bridge with the address and a fixed MACADDR; ifcfg-eth0 only gets BRIDGE=xenbr0', () => {
  const rhel = planOf(copyFixture('rhel-xl'), {});
  assert.is(rhel.status, 0, rhel.stderr);
  const br = fileOf(rhel.plan, '/etc/sysconfig/network-scripts/ifcfg-xenbr1')!;
  assert.is(br.before, null);
  const lines = br.after!.trimEnd().split('\n');
  assert.equal(lines.filter((l) => !l.startsWith('MACADDR=')), ['DEVICE=xenbr1', 'TYPE=Bridge', 'ONBOOT=yes', 'BOOTPROTO=static', 'IPADDR=192.168.200.1', 'PREFIX=24', 'DELAY=0', 'STP=off', 'NM_CONTROLLED=no']);
  assert.match(lines.find((l) => l.startsWith('MACADDR='))!, /^MACADDR=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  assert.ok(argvsOf(rhel.plan).includes('ifup xenbr1'));
  assert.match(fileOf(rhel.plan, '/etc/xen/vm2.cfg')!.after!, /"mac=00:16:3e:5a:00:12,bridge=xenbr0", "mac=00:16:3e:[0-9a-f:]{8},bridge=xenbr1" \]/);
});

test('RHEL-like xl, real second NIC eth1 without an ifcfg: ifcfg-eth1 created with BRIDGE=xenbr1 and no address', () => {
  const root = copyFixture('rhel-xl');
  addNic(root, 'eth1', '52:54:00:12:34:57');
  const rhel = planOf(root, { 'internal.nic': 'eth1' });
  assert.is(rhel.status, 0, rhel.stderr);
  const nic = fileOf(rhel.plan, '/etc/sysconfig/network-scripts/ifcfg-eth1')!;
  assert.is(nic.before, null);
  assert.equal(nic.after!.trimEnd().split('\n'), ['DEVICE=eth1', 'ONBOOT=yes', 'BOOTPROTO=none', 'BRIDGE=xenbr1', 'NM_CONTROLLED=no']);
  assert.not.ok(fileOf(rhel.plan, '/etc/sysconfig/network-scripts/ifcfg-xenbr1')!.after!.includes('MACADDR='));
  const argvs = argvsOf(rhel.plan);
  assert.ok(argvs.indexOf('ifup xenbr1') < argvs.indexOf('ifup eth1'), 'the bridge before the port that names it');
});

test('Debian 12: forwarding off persisted in sysctl.d and set now (seed 000 line 249), only when libvirt\'s NAT goes too', () => {
  const drop = fileOf(portless.plan, '/etc/sysctl.d/60-xen-net-wizard.conf')!;
  assert.ok(drop.after!.split('\n').includes('net.ipv4.ip_forward = 0'), drop.after!);
  assert.ok(argvsOf(portless.plan).includes('sysctl -w net.ipv4.ip_forward=0'));
  const keep = planOf(copyFixture('debian12'), { 'libvirt.disableDefault': false });
  assert.is(fileOf(keep.plan, '/etc/sysctl.d/60-xen-net-wizard.conf'), undefined, 'virbr0 still NATs: forwarding stays');
  const off = planOf(copyFixture('debian12'), { 'internal.ipForwardOff': false });
  assert.not.ok(argvsOf(off.plan).some((a) => a.startsWith('sysctl')));
});

test.run();
