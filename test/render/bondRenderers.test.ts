// bond-bridge's renderers as pure functions over made-up dom0 files (recipe bond-bridge, seed 000
// lines 300–330): which files change and how, what ifdown/ifup run around the edit, what a second
// run leaves alone, and the refusals — the cases the fixture-driven recipe tests do not reach.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderIfcfgBond } from '../../src/backends/ifcfg.js';
import { renderIfupdownBond, bondStanza } from '../../src/backends/ifupdown.js';
import { renderIfcfgMigration, isIfcfgMigrated } from '../../src/backends/ifcfg.js';
import { parseIfcfg } from '../../src/parse/ifcfg.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import type { ReadFile } from '../../src/model/plan.js';
import type { PortedBridge } from '../../src/model/topology.js';
import { InputError } from '../../src/errors.js';

const D = '/etc/sysconfig/network-scripts';
const bond = { name: 'pbond0', slaves: ['eth0', 'eth2'], mode: 'active-backup', miimon: 100 };
const reader = (files: Record<string, string>, mode = '0644'): ReadFile => (p) => (p in files ? { text: files[p], mode } : null);
const bridge = (name: string, nic: string): PortedBridge => ({ name, nic, stp: false, forwardDelay: 0, antispoof: false });
const byPath = (changes: { path: string; before: string | null; after: string | null; mode: string }[]) => Object.fromEntries(changes.map((c) => [c.path, c]));

// ---- RHEL ifcfg: the bridge over a NIC (seed 003) ----------------------------------------------

test('ifcfg bridge: addressing (quotes kept) moves to TYPE=Bridge, the NIC keeps its link settings and gets BRIDGE=', () => {
  const nic = parseIfcfg('DEVICE=eth0\nHWADDR=52:54:00:12:34:56\nBOOTPROTO=static\nIPADDR=192.168.1.10\nNETMASK="255.255.255.0"\nGATEWAY=192.168.1.1\nDNS1=192.168.1.1\nMTU=9000\nONBOOT=yes\n', `${D}/ifcfg-eth0`);
  const { nicAfter, bridgeText } = renderIfcfgMigration(nic, { nic: 'eth0', bridge: 'xenbr0' });
  assert.is(bridgeText, 'DEVICE=xenbr0\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=192.168.1.10\nNETMASK="255.255.255.0"\nGATEWAY=192.168.1.1\nDNS1=192.168.1.1\nMTU=9000\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n');
  assert.is(nicAfter, 'DEVICE=eth0\nHWADDR=52:54:00:12:34:56\nBOOTPROTO=none\nMTU=9000\nONBOOT=yes\nBRIDGE=xenbr0\n');
});

test('ifcfg bridge: a NIC without BOOTPROTO or MTU gives a BOOTPROTO=none bridge without MTU', () => {
  const nic = parseIfcfg('DEVICE=eth1\nONBOOT=yes\n', `${D}/ifcfg-eth1`);
  const { bridgeText } = renderIfcfgMigration(nic, { nic: 'eth1', bridge: 'xenbr1' });
  assert.is(bridgeText, 'DEVICE=xenbr1\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=none\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n');
});

test('ifcfg bridge: migrated means BRIDGE= on the NIC and a TYPE=Bridge file, both', () => {
  const nic = parseIfcfg('DEVICE=eth0\nBRIDGE=xenbr0\n', 'n');
  const m = { nic: 'eth0', bridge: 'xenbr0' };
  assert.ok(isIfcfgMigrated(nic, parseIfcfg('TYPE=Bridge\n', 'b'), m));
  assert.not.ok(isIfcfgMigrated(nic, undefined, m));
  assert.not.ok(isIfcfgMigrated(nic, parseIfcfg('TYPE=Ethernet\n', 'b'), m));
  assert.not.ok(isIfcfgMigrated(parseIfcfg('DEVICE=eth0\nBRIDGE=xenbr9\n', 'n'), parseIfcfg('TYPE=Bridge\n', 'b'), m));
});

// ---- RHEL ifcfg: the bond (bonding.txt, initscripts) ------------------------------------------

const rhel = {
  [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=static\nIPADDR=192.168.1.10\nNETMASK=255.255.255.0\nONBOOT=yes\n',
  [`${D}/ifcfg-eth2`]: 'DEVICE=eth2\nBOOTPROTO=none\nONBOOT=no\nBRIDGE=virbr9\n',
};

test('ifcfg bond, xend: the bond takes the addressed slave\'s address in bonding.txt\'s order; slaves become MASTER=/SLAVE=yes', () => {
  const c = byPath(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(rhel, '0600')));
  assert.equal(Object.keys(c).sort(), [`${D}/ifcfg-eth0`, `${D}/ifcfg-eth2`, `${D}/ifcfg-xenbr0`]);
  assert.equal(c[`${D}/ifcfg-xenbr0`], { path: `${D}/ifcfg-xenbr0`, mode: '0644', before: null,
    after: 'DEVICE=xenbr0\nIPADDR=192.168.1.10\nNETMASK=255.255.255.0\nONBOOT=yes\nBOOTPROTO=static\nUSERCTL=no\nBONDING_OPTS="mode=active-backup miimon=100"\n' });
  assert.is(c[`${D}/ifcfg-eth0`].after, 'DEVICE=eth0\nBOOTPROTO=none\nONBOOT=yes\nMASTER=xenbr0\nSLAVE=yes\nUSERCTL=no\n');
  assert.is(c[`${D}/ifcfg-eth0`].mode, '0600', 'an edited file keeps its mode');
  assert.is(c[`${D}/ifcfg-eth2`].after, 'DEVICE=eth2\nBOOTPROTO=none\nONBOOT=yes\nMASTER=xenbr0\nSLAVE=yes\nUSERCTL=no\n', 'BRIDGE= goes: a slave is no bridge port');
});

test('ifcfg bond, xl: the bond is a port of the bridge; the bridge file carries the address', () => {
  const c = byPath(renderIfcfgBond({ bond, device: 'pbond0', bridge: 'xenbr0' }, reader(rhel)));
  assert.is(c[`${D}/ifcfg-pbond0`].after, 'DEVICE=pbond0\nONBOOT=yes\nBOOTPROTO=none\nUSERCTL=no\nBONDING_OPTS="mode=active-backup miimon=100"\nBRIDGE=xenbr0\nNM_CONTROLLED=no\n');
  assert.is(c[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=192.168.1.10\nNETMASK=255.255.255.0\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n');
  assert.is(c[`${D}/ifcfg-eth0`].after, 'DEVICE=eth0\nBOOTPROTO=none\nONBOOT=yes\nMASTER=pbond0\nSLAVE=yes\nUSERCTL=no\n');
});

test('ifcfg bond: a DHCP slave is the addressed one too; a slave without a file gets one', () => {
  const c = byPath(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader({ [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=dhcp\n' })));
  assert.is(c[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nONBOOT=yes\nBOOTPROTO=dhcp\nUSERCTL=no\nBONDING_OPTS="mode=active-backup miimon=100"\n');
  assert.equal(c[`${D}/ifcfg-eth2`], { path: `${D}/ifcfg-eth2`, mode: '0644', before: null, after: 'DEVICE=eth2\nBOOTPROTO=none\nONBOOT=yes\nMASTER=xenbr0\nSLAVE=yes\nUSERCTL=no\n' });
});

test('ifcfg bond, second run: nothing changes; changed options are the only edit (BONDING_OPTS set or added)', () => {
  const first = renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(rhel));
  const after = { ...rhel, ...Object.fromEntries(first.map((c) => [c.path, c.after!])) };
  assert.equal(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(after)), []);
  const again = renderIfcfgBond({ bond: { ...bond, mode: 'balance-alb', miimon: 50 }, device: 'xenbr0', bridge: null }, reader(after));
  assert.equal(again.map((c) => c.path), [`${D}/ifcfg-xenbr0`]);
  assert.match(again[0].after!, /^BONDING_OPTS="mode=balance-alb miimon=50"$/m);
  const noOpts = { ...after, [`${D}/ifcfg-xenbr0`]: 'DEVICE=xenbr0\nONBOOT=yes' };
  assert.is(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(noOpts))[0].after, 'DEVICE=xenbr0\nONBOOT=yes\nBONDING_OPTS="mode=active-backup miimon=100"\n');
});

test('ifcfg bond: which slave is the addressed one — IPADDR0 or DHCP counts, a slave already of this bond or without an address does not', () => {
  const xend = (files: Record<string, string>) => byPath(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(files)));
  // A secondary-style IPADDR0 is an address: it moves to the bond.
  const numbered = xend({ [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=none\n', [`${D}/ifcfg-eth2`]: 'DEVICE=eth2\nIPADDR0=10.0.0.2\nPREFIX0=24\n' });
  assert.is(numbered[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nIPADDR0=10.0.0.2\nPREFIX0=24\nONBOOT=yes\nBOOTPROTO=none\nUSERCTL=no\nBONDING_OPTS="mode=active-backup miimon=100"\n');
  // A master written by hand before (no slave addressed, none enslaved yet): only its options are added.
  const byHand = { [`${D}/ifcfg-xenbr0`]: 'DEVICE=xenbr0\nIPADDR=10.0.0.2\n', [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=none\nDHCP_HOSTNAME=nodhcp\n', [`${D}/ifcfg-eth2`]: 'DEVICE=eth2\nBOOTPROTO=none\n' };
  assert.is(xend(byHand)[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nIPADDR=10.0.0.2\nBONDING_OPTS="mode=active-backup miimon=100"\n');
  // A slave of this bond that still has an IPADDR left by hand is not taken as the addressed one again.
  const enslaved = { ...byHand, [`${D}/ifcfg-xenbr0`]: 'DEVICE=xenbr0\nIPADDR=10.0.0.2\nBONDING_OPTS="mode=active-backup miimon=100"\n', [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=none\nONBOOT=yes\nMASTER=xenbr0\nSLAVE=yes\nUSERCTL=no\nIPADDR=10.0.0.9\n' };
  assert.not.ok(`${D}/ifcfg-xenbr0` in xend(enslaved), 'the bond\'s own file is left alone');
});

test('ifcfg bond: no slave addressed and no bond file yet: the bond is made without an address (xend) or as a bare port of the bridge (xl)', () => {
  const files = { [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=none\n', [`${D}/ifcfg-eth2`]: 'DEVICE=eth2\nBOOTPROTO=none\n' };
  const xend = byPath(renderIfcfgBond({ bond, device: 'xenbr0', bridge: null }, reader(files)));
  assert.is(xend[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nONBOOT=yes\nBOOTPROTO=none\nUSERCTL=no\nBONDING_OPTS="mode=active-backup miimon=100"\n');
  const xl = byPath(renderIfcfgBond({ bond, device: 'pbond0', bridge: 'xenbr0' }, reader(files)));
  assert.is(xl[`${D}/ifcfg-xenbr0`].after, 'DEVICE=xenbr0\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=none\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n');
});

// ---- Debian ifupdown: the bond (ifenslave) ----------------------------------------------------

const MAIN = '/etc/network/interfaces';
const files = (text: string) => [parseInterfaces(text, MAIN)];
const main = bridge('xenbr0', 'pbond0');
const back = bridge('xenbr1', 'eth1');

test('ifupdown bond: ifenslave\'s stanza, with the file\'s own indentation', () => {
  assert.equal(bondStanza(bond, '\t'), ['auto pbond0', 'iface pbond0 inet manual', '\tbond-slaves eth0 eth2', '\tbond-mode active-backup', '\tbond-miimon 100', '']);
});

test('ifupdown bond: the addressed slave\'s stanza becomes the bridge over the bond; the back NIC\'s its bridge; ifdown before, ifup after', () => {
  const text = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n\taddress 192.168.1.10/24\n\tgateway 192.168.1.1\n\nauto eth1\niface eth1 inet manual\n';
  const r = renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }, '0640'));
  assert.is(r.files.length, 1);
  assert.is(r.files[0].mode, '0640');
  assert.is(r.files[0].after, [
    'auto lo', 'iface lo inet loopback', '', 'auto eth0', 'iface eth0 inet manual', '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    'auto pbond0', 'iface pbond0 inet manual', '\tbond-slaves eth0 eth2', '\tbond-mode active-backup', '\tbond-miimon 100', '',
    'auto xenbr0', 'iface xenbr0 inet static', '\taddress 192.168.1.10/24', '\tgateway 192.168.1.1',
    '\tbridge_ports pbond0', '\tbridge_stp off', '\tbridge_fd 0', '\tbridge_maxwait 0', '',
    'auto eth1', 'iface eth1 inet manual', '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    // eth1's stanza has no option to take the indentation from: the renderer's default.
    'auto xenbr1', 'iface xenbr1 inet manual', '    bridge_ports eth1', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ].join('\n'));
  assert.equal(r.commands.map((c) => `${c.phase}: ${c.argv!.join(' ')} / ${c.undo!.join(' ')}`), [
    'before-edit: ifdown eth1 / ifup eth1',
    'before-edit: ifdown eth0 / ifup eth0',
    'after-edit: ifup pbond0 / ifdown pbond0',
    'after-edit: ifup xenbr0 / ifdown xenbr0',
    'after-edit: ifup xenbr1 / ifdown xenbr1',
  ]);
  assert.equal(r.commands.map((c) => c.id), ['ifdown-eth1', 'ifdown-eth0', 'ifup-pbond0', 'ifup-xenbr0', 'ifup-xenbr1']);
  const second = renderIfupdownBond(bond, main, back, files(r.files[0].after!), reader({ [MAIN]: r.files[0].after! }));
  assert.equal(second, { files: [], commands: [] }, 'a second run changes nothing');
});

test('ifupdown bond: slaves and back NIC without stanzas: bare bridges appended (4-space default indent), no ifdown', () => {
  const text = 'auto lo\niface lo inet loopback';
  const r = renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }));
  assert.is(r.files[0].after, [
    'auto lo', 'iface lo inet loopback', '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    'auto pbond0', 'iface pbond0 inet manual', '    bond-slaves eth0 eth2', '    bond-mode active-backup', '    bond-miimon 100', '',
    'auto xenbr0', 'iface xenbr0 inet manual', '    bridge_ports pbond0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0',
    '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    'auto xenbr1', 'iface xenbr1 inet manual', '    bridge_ports eth1', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ].join('\n'));
  assert.equal(r.commands.map((c) => c.argv!.join(' ')), ['ifup pbond0', 'ifup xenbr0', 'ifup xenbr1']);
  const empty = renderIfupdownBond(bond, main, back, [], reader({}));
  assert.equal(empty.files.map((f) => [f.path, f.before, f.mode]), [[MAIN, null, '0644']]);
  assert.ok(empty.files[0].after!.startsWith('\n# Xen bridge'), 'a new file starts with the block');
});

test('ifupdown bond: two addressed slaves are refused — which address should the bridge take?', () => {
  const text = 'iface eth0 inet static\n    address 192.168.1.10/24\n\niface eth2 inet dhcp\n';
  try {
    renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }));
    assert.unreachable('refused');
  } catch (err) {
    assert.instance(err, InputError);
    assert.equal({ key: (err as InputError).key, ...(err as InputError).params }, { key: 'error.bondSlaveAddressed', file: MAIN, nic: 'eth2', other: 'eth0' });
  }
});

test('ifupdown bond: the addressed slave may be the second (the first is manual, lo is loopback): its address goes to the bridge', () => {
  const text = 'auto lo\niface lo inet loopback\n\niface eth0 inet manual\n\nauto eth2\niface eth2 inet static\n    address 10.0.0.2/24\n';
  const r = renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }));
  assert.is(r.files[0].after, [
    'auto lo', 'iface lo inet loopback', '', 'iface eth0 inet manual', '', 'auto eth2', 'iface eth2 inet manual', '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    'auto pbond0', 'iface pbond0 inet manual', '    bond-slaves eth0 eth2', '    bond-mode active-backup', '    bond-miimon 100', '',
    'auto xenbr0', 'iface xenbr0 inet static', '    address 10.0.0.2/24', '    bridge_ports pbond0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
    '# Xen bridge for guests, created by xen-net-wizard (seed 000: bond-bridge)',
    'auto xenbr1', 'iface xenbr1 inet manual', '    bridge_ports eth1', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ].join('\n'));
  assert.equal(r.commands.map((c) => c.id), ['ifdown-eth2', 'ifup-pbond0', 'ifup-xenbr0', 'ifup-xenbr1']);
});

test('ifupdown bond: manual slaves beside a loopback stanza are not addressed: the bridge over the bond is appended bare, no ifdown', () => {
  const text = 'auto lo\niface lo inet loopback\n\niface eth0 inet manual\n\niface eth2 inet manual\n';
  const r = renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }));
  assert.ok(r.files[0].after!.startsWith(text + '\n# Xen bridge for guests'), r.files[0].after!);
  assert.ok(r.files[0].after!.includes('\nauto xenbr0\niface xenbr0 inet manual\n    bridge_ports pbond0\n'));
  assert.equal(r.commands.map((c) => c.id), ['ifup-pbond0', 'ifup-xenbr0', 'ifup-xenbr1']);
});

test('ifupdown bond: a slave manual for IPv4 but with an IPv6 address is the addressed one (every stanza of it must be manual)', () => {
  const text = 'iface eth0 inet manual\n\niface eth0 inet6 static\n    address 2001:db8::2/64\n';
  const r = renderIfupdownBond(bond, main, back, files(text), reader({ [MAIN]: text }));
  assert.ok(r.files[0].after!.includes('\nauto xenbr0\niface xenbr0 inet manual\n    bridge_ports pbond0\n    bridge_stp off\n    bridge_fd 0\n    bridge_maxwait 0\niface xenbr0 inet6 static\n    address 2001:db8::2/64\n'), r.files[0].after!);
  assert.equal(r.commands.map((c) => c.id), ['ifdown-eth0', 'ifup-pbond0', 'ifup-xenbr0', 'ifup-xenbr1']);
});

test('ifupdown bond: the slave and the back NIC in a sourced part: only that part changes; a second run over both files changes nothing', () => {
  const PART = '/etc/network/interfaces.d/eth0';
  const fs = { [MAIN]: 'source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n', [PART]: 'auto eth0\niface eth0 inet static\n    address 10.0.0.2/24\n\niface eth1 inet manual\n' };
  const parsed = (t: Record<string, string>) => Object.entries(t).map(([f, x]) => parseInterfaces(x, f));
  const r = renderIfupdownBond(bond, main, back, parsed(fs), reader(fs));
  assert.equal(r.files.map((f) => f.path), [PART]);
  assert.equal(r.commands.map((c) => c.id), ['ifdown-eth1', 'ifdown-eth0', 'ifup-pbond0', 'ifup-xenbr0', 'ifup-xenbr1']);
  const after = { ...fs, [PART]: r.files[0].after! };
  assert.equal(renderIfupdownBond(bond, main, back, parsed(after), reader(after)), { files: [], commands: [] });
});

test.run();
