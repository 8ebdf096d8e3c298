// A bridge taking over a DHCP NIC keeps the NIC's MAC in the backend's own syntax (ifupdown
// `hwaddress ether`, ifcfg `MACADDR=`): the lease is keyed on the MAC, and a bridge otherwise takes
// the lowest MAC among its ports at boot. ifupdown's output is read back by the real ifquery.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ifupdown } from '../../src/backends/ifupdown.js';
import { ifcfg } from '../../src/backends/ifcfg.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import type { ReadFile } from '../../src/model/plan.js';
import type { PortedBridge } from '../../src/model/topology.js';
import { tempDir, PROJECT } from '../_helpers/roots.js';
import { missingUnpacked, testUnless } from '../_helpers/skip.js';

const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown/sbin/ifquery');
const NO_IFQUERY = missingUnpacked('ifupdown/sbin/ifquery');
const LINK_MAC = '52:54:00:12:34:56';
const bridge: PortedBridge = { name: 'xenbr0', nic: 'eth0', stp: false, forwardDelay: 0, antispoof: true };
const linkMac = (name: string) => (name === 'eth0' ? LINK_MAC : null);

function readerOf(files: Record<string, string>): ReadFile {
  return (p) => (p in files ? { text: files[p], mode: '0644' } : null) as ReturnType<ReadFile>;
}

function ifupdownAfter(text: string): string {
  const file = '/etc/network/interfaces';
  const out = ifupdown.portedBridge(bridge, { read: readerOf({ [file]: text }), interfaces: [parseInterfaces(text, file)], linkMac });
  return out.files[0].after!;
}

function ifquery(text: string, iface: string): { status: number | null; stdout: string } {
  const file = path.join(tempDir(), 'interfaces');
  fs.writeFileSync(file, text);
  return spawnSync(IFQUERY, ['-i', file, iface], { encoding: 'utf8' });
}

const DHCP = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n';
const STATIC = 'auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n';

test('ifupdown: the bridge over a DHCP NIC pins the NIC\'s MAC with hwaddress ether', () => {
  const after = ifupdownAfter(DHCP);
  assert.match(after, /iface xenbr0 inet dhcp\n {4}hwaddress ether 52:54:00:12:34:56\n {4}bridge_ports eth0\n/);
  assert.match(after, /iface eth0 inet manual\n/);
});

test('ifupdown: a DHCP NIC\'s own hwaddress wins over the link\'s MAC, and stays on the NIC too', () => {
  const after = ifupdownAfter('auto eth0\niface eth0 inet dhcp\n    hwaddress ether 02:AA:BB:CC:DD:EE\n');
  assert.match(after, /iface eth0 inet manual\n {4}hwaddress ether 02:AA:BB:CC:DD:EE\n/);
  assert.match(after, /iface xenbr0 inet dhcp\n {4}hwaddress ether 02:aa:bb:cc:dd:ee\n/);
});

test('ifupdown: a static NIC\'s bridge gets no hwaddress (no lease to keep)', () => {
  assert.not.match(ifupdownAfter(STATIC), /hwaddress/);
});

testUnless(test, NO_IFQUERY, 'ifupdown: real ifquery reads the bridge as DHCP with the NIC\'s MAC and the NIC as a manual port', () => {
  const after = ifupdownAfter(DHCP);
  const br = ifquery(after, 'xenbr0');
  assert.is(br.status, 0, br.stdout);
  assert.ok(br.stdout.includes('hwaddress: 52:54:00:12:34:56\n'), br.stdout);
  assert.ok(br.stdout.includes('bridge_ports: eth0\n'), br.stdout);
  const nic = ifquery(after, 'eth0');
  assert.is(nic.status, 0);
  assert.not.ok(nic.stdout.includes('hwaddress'), nic.stdout);
});

const IFCFG = '/etc/sysconfig/network-scripts';

function ifcfgBridge(nicText: string): string {
  const out = ifcfg.portedBridge(bridge, { read: readerOf({ [`${IFCFG}/ifcfg-eth0`]: nicText }), interfaces: [], linkMac });
  return out.files.find((f) => f.path === `${IFCFG}/ifcfg-xenbr0`)!.after!;
}

test('ifcfg: the bridge over a DHCP NIC gets MACADDR= from HWADDR, else from the link', () => {
  assert.match(ifcfgBridge('DEVICE=eth0\nBOOTPROTO=dhcp\nHWADDR=00:19:B9:3A:66:13\nONBOOT=yes\n'), /^BOOTPROTO=dhcp\nMACADDR=00:19:b9:3a:66:13\n/m);
  assert.match(ifcfgBridge('DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n'), /^MACADDR=52:54:00:12:34:56\n/m);
});

test('ifcfg: a static NIC\'s bridge gets no MACADDR', () => {
  assert.not.match(ifcfgBridge('DEVICE=eth0\nBOOTPROTO=static\nIPADDR=192.0.2.10\nNETMASK=255.255.255.0\n'), /MACADDR/);
});

test.run();
