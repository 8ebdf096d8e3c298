// The ifcfg backend (RHEL initscripts) for every recipe, as pure functions over made-up
// network-scripts: the files a user finds after apply, the ifup/ifdown around them in seed 003's
// order, what a second run leaves alone, and the refusals — the recipe golden tests see the same
// through the CLI, too slowly for a mutation run; this suite sees each rule alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ifcfg, renderIfcfg, renderInternalIfcfg, renderShadowIfcfg, renderVlanIfcfg } from '../../src/backends/ifcfg.js';
import type { FileChange } from '../../src/model/plan.js';
import type { BondSpec } from '../../src/model/topology.js';
import type { VlanLayout } from '../../src/backends/types.js';
import { argvs, bridge, reader, refusal } from '../_helpers/renders.js';

const D = '/etc/sysconfig/network-scripts';
const after = (files: FileChange[]) => Object.fromEntries(files.map((f) => [f.path, f.after]));

// ---- the bridge over a NIC (single-bridge on a RHEL-like xl host) ---------------------------------

test('bridge: both files (the NIC keeps its mode, the new bridge file 0644), the NIC down first, the bridge up before its port', () => {
  const r = renderIfcfg(bridge('xenbr0', 'eth0'), reader({ [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=dhcp\n' }), () => '52:54:00:AA:BB:CC');
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[`${D}/ifcfg-eth0`, '0640', 'DEVICE=eth0\nBOOTPROTO=dhcp\n'], [`${D}/ifcfg-xenbr0`, '0644', null]]);
  assert.is(after(r.files)[`${D}/ifcfg-eth0`], 'DEVICE=eth0\nBOOTPROTO=none\nBRIDGE=xenbr0\n');
  assert.match(after(r.files)[`${D}/ifcfg-xenbr0`]!, /^BOOTPROTO=dhcp\nMACADDR=52:54:00:aa:bb:cc\n/m);
  assert.equal(argvs(r), [
    'before-edit: ifdown eth0 (undo: ifup eth0) [ifdown-eth0]',
    'after-edit: ifup xenbr0 (undo: ifdown xenbr0) [ifup-xenbr0]',
    'after-edit: ifup eth0 (undo: ifdown eth0) [ifup-eth0]',
  ]);
});

test('bridge: a bridge file that exists is rewritten with its mode; once migrated nothing is planned; no NIC file is refused', () => {
  const files = { [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=none\n', [`${D}/ifcfg-xenbr0`]: 'DEVICE=xenbr0\n' };
  const r = renderIfcfg(bridge('xenbr0', 'eth0'), reader(files, '0600'));
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[`${D}/ifcfg-eth0`, '0600', files[`${D}/ifcfg-eth0`]], [`${D}/ifcfg-xenbr0`, '0600', 'DEVICE=xenbr0\n']]);
  const done = reader(after(r.files) as Record<string, string>);
  assert.equal(renderIfcfg(bridge('xenbr0', 'eth0'), done), { files: [], commands: [] });
  assert.equal(refusal(() => renderIfcfg(bridge('xenbr0', 'eth9'), reader(files))), { key: 'error.nicNoIfcfg', params: { file: `${D}/ifcfg-eth9`, nic: 'eth9' } });
});

test('bridge: secondary addresses (IPADDR0, NETMASK0, PREFIX1, GATEWAY0, DNS10) and a bare PREFIX move to the bridge; MACADDR wins over HWADDR for a DHCP NIC', () => {
  const text = 'DEVICE=eth0\nMACADDR=52:54:00:00:00:0A\nHWADDR=52:54:00:00:00:0B\nBOOTPROTO=dhcp\nIPADDR0=10.0.0.2\nNETMASK0=255.255.255.0\nPREFIX=24\nIPADDR1=10.0.1.2\nPREFIX1=24\nGATEWAY0=10.0.0.1\nDNS10=10.0.0.53\nLINKDELAY=5\n';
  const r = renderIfcfg(bridge('xenbr0', 'eth0'), reader({ [`${D}/ifcfg-eth0`]: text }), () => '52:54:00:00:00:0c');
  assert.is(after(r.files)[`${D}/ifcfg-eth0`], 'DEVICE=eth0\nMACADDR=52:54:00:00:00:0A\nHWADDR=52:54:00:00:00:0B\nBOOTPROTO=none\nLINKDELAY=5\nBRIDGE=xenbr0\n');
  assert.is(after(r.files)[`${D}/ifcfg-xenbr0`], 'DEVICE=xenbr0\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=dhcp\nIPADDR0=10.0.0.2\nNETMASK0=255.255.255.0\nPREFIX=24\nIPADDR1=10.0.1.2\nPREFIX1=24\nGATEWAY0=10.0.0.1\nDNS10=10.0.0.53\nMACADDR=52:54:00:00:00:0a\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n');
});

test('configuredMac: the MACADDR of a name\'s ifcfg file, lower-cased; none without the variable or the file', () => {
  const read = reader({ [`${D}/ifcfg-xenbr0`]: 'DEVICE=xenbr0\nMACADDR=52:54:00:AA:BB:CC\n', [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\n' });
  assert.is(ifcfg.configuredMac('xenbr0', { read, interfaces: [] }), '52:54:00:aa:bb:cc');
  assert.is(ifcfg.configuredMac('eth0', { read, interfaces: [] }), null);
  assert.is(ifcfg.configuredMac('eth1', { read, interfaces: [] }), null);
});

// ---- bond-bridge on xl: the bond a port of the main bridge, the back bridge over the third NIC ----

test('bond-bridge: slaves down first, the main bridge up before the bond, then the back bridge; a second run plans nothing', () => {
  const bond: BondSpec = { name: 'bond0', slaves: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 };
  const files = { [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nBOOTPROTO=static\nIPADDR=10.0.0.2\nPREFIX=24\n', [`${D}/ifcfg-eth1`]: 'DEVICE=eth1\n', [`${D}/ifcfg-eth2`]: 'DEVICE=eth2\nBOOTPROTO=none\n' };
  const r = ifcfg.bondBridges(bond, bridge('xenbr0', 'bond0'), bridge('xenbr1', 'eth2'), { read: reader(files), interfaces: [] });
  assert.equal(argvs(r), [
    'before-edit: ifdown eth0 (undo: ifup eth0) [ifdown-eth0]',
    'before-edit: ifdown eth1 (undo: ifup eth1) [ifdown-eth1]',
    'after-edit: ifup xenbr0 (undo: ifdown xenbr0) [ifup-xenbr0]',
    'after-edit: ifup bond0 (undo: ifdown bond0) [ifup-bond0]',
    'before-edit: ifdown eth2 (undo: ifup eth2) [ifdown-eth2]',
    'after-edit: ifup xenbr1 (undo: ifdown xenbr1) [ifup-xenbr1]',
    'after-edit: ifup eth2 (undo: ifdown eth2) [ifup-eth2]',
  ]);
  assert.match(after(r.files)[`${D}/ifcfg-xenbr0`]!, /^IPADDR=10\.0\.0\.2$/m);
  assert.match(after(r.files)[`${D}/ifcfg-xenbr1`]!, /^TYPE=Bridge$/m);
  const second = ifcfg.bondBridges(bond, bridge('xenbr0', 'bond0'), bridge('xenbr1', 'eth2'), { read: reader({ ...files, ...after(r.files) } as Record<string, string>), interfaces: [] });
  assert.equal(second, { files: [], commands: [] });
});

// ---- internal-dummy on xl: a bridge with no port, or over a NIC with no address -------------------

test('internal bridge: an addressed bridge without a port is TYPE=Bridge, static, with its fixed MAC; up after the edit', () => {
  const spec = { bridge: { name: 'xenbr9', nic: null, stp: false as const, forwardDelay: 0 as const, antispoof: false, address: { ip: '10.9.0.1', prefix: 24 } }, mac: '00:16:3e:00:00:09' };
  const r = renderInternalIfcfg(spec, reader({}));
  assert.equal(r.files, [{ path: `${D}/ifcfg-xenbr9`, mode: '0644', before: null, after: 'DEVICE=xenbr9\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=10.9.0.1\nPREFIX=24\nMACADDR=00:16:3e:00:00:09\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n' }]);
  assert.equal(argvs(r), ['after-edit: ifup xenbr9 (undo: ifdown xenbr9) [ifup-xenbr9]']);
  assert.equal(renderInternalIfcfg(spec, reader(after(r.files) as Record<string, string>)), { files: [], commands: [] }, 'second run');
});

test('internal bridge over a NIC: no address, no MAC; the NIC file gets BRIDGE= (or is made), the bridge up before its port', () => {
  const spec = { bridge: { name: 'xenbr9', nic: 'eth1', stp: false as const, forwardDelay: 0 as const, antispoof: false, address: null }, mac: null };
  const made = renderInternalIfcfg(spec, reader({}));
  assert.equal(after(made.files), {
    [`${D}/ifcfg-xenbr9`]: 'DEVICE=xenbr9\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=none\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n',
    [`${D}/ifcfg-eth1`]: 'DEVICE=eth1\nONBOOT=yes\nBOOTPROTO=none\nBRIDGE=xenbr9\nNM_CONTROLLED=no\n',
  });
  assert.equal(made.files.map((f) => [f.mode, f.before]), [['0644', null], ['0644', null]]);
  assert.equal(argvs(made), ['after-edit: ifup xenbr9 (undo: ifdown xenbr9) [ifup-xenbr9]', 'after-edit: ifup eth1 (undo: ifdown eth1) [ifup-eth1]']);
  const edited = renderInternalIfcfg(spec, reader({ [`${D}/ifcfg-eth1`]: 'DEVICE=eth1\nONBOOT=yes\n' }));
  assert.equal(edited.files[1], { path: `${D}/ifcfg-eth1`, mode: '0640', before: 'DEVICE=eth1\nONBOOT=yes\n', after: 'DEVICE=eth1\nONBOOT=yes\nBRIDGE=xenbr9\n' });
  assert.equal(renderInternalIfcfg(spec, reader(after(edited.files) as Record<string, string>)), { files: [], commands: [] }, 'second run');
});

test('internal bridge: refused over a file that is no bridge, and over a NIC with an address or DHCP (naming its method)', () => {
  const spec = { bridge: { name: 'xenbr9', nic: 'eth1', stp: false as const, forwardDelay: 0 as const, antispoof: false }, mac: null };
  assert.equal(refusal(() => renderInternalIfcfg(spec, reader({ [`${D}/ifcfg-xenbr9`]: 'DEVICE=xenbr9\nTYPE=Ethernet\n' }))), { key: 'error.internalBridgeConfigured', params: { bridge: 'xenbr9', file: `${D}/ifcfg-xenbr9`, line: 1 } });
  for (const [text, method] of [['DEVICE=eth1\nIPADDR=10.0.0.5\n', 'none'], ['DEVICE=eth1\nBOOTPROTO=DHCP\n', 'DHCP'], ['DEVICE=eth1\nBOOTPROTO=bootp\n', 'bootp']]) {
    assert.equal(refusal(() => renderInternalIfcfg(spec, reader({ [`${D}/ifcfg-eth1`]: text }))), { key: 'error.internalNicConfigured', params: { nic: 'eth1', file: `${D}/ifcfg-eth1`, line: 1, method } }, text);
  }
  // A method that merely contains "dhcp" is not DHCP (the match is whole).
  assert.equal(renderInternalIfcfg(spec, reader({ [`${D}/ifcfg-eth1`]: 'DEVICE=eth1\nBOOTPROTO=nodhcp\n' })).files.length, 2);
});

// ---- shadow-bridge: the NIC's name becomes the bridge's, the NIC is renamed s<nic> by its HWADDR --

test('shadow bridge: ifcfg-eth0 becomes the bridge with the MAC and all addressing; ifcfg-seth0 has the HWADDR and link settings', () => {
  const nicText = 'DEVICE=eth0\nHWADDR=52:54:00:12:34:56\nMACADDR=52:54:00:12:34:56\nNAME="System eth0"\nUUID=5fb06bd0\nMTU=9000\nIPV6_MTU=1280\nETHTOOL_OPTS="-K eth0 tx off"\nBOOTPROTO=static\nIPADDR=10.0.0.2\nONBOOT=yes\n';
  const s = { nic: 'eth0', port: 'seth0', mac: '52:54:00:ff:ff:ff' };
  const r = renderShadowIfcfg(s, reader({ [`${D}/ifcfg-eth0`]: nicText }));
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[`${D}/ifcfg-eth0`, '0640', nicText], [`${D}/ifcfg-seth0`, '0644', null]]);
  assert.is(after(r.files)[`${D}/ifcfg-eth0`], 'DEVICE=eth0\nMTU=9000\nIPV6_MTU=1280\nBOOTPROTO=static\nIPADDR=10.0.0.2\nONBOOT=yes\nTYPE=Bridge\nDELAY=0\nSTP=off\nMACADDR=52:54:00:12:34:56\n');
  assert.is(after(r.files)[`${D}/ifcfg-seth0`], [
    '# xen-net-wizard: recipe shadow-bridge (seed 001): the NIC with this HWADDR is named seth0',
    '# (initscripts\' rename_device), a port of the bridge eth0.',
    'DEVICE=seth0', 'HWADDR=52:54:00:12:34:56', 'ONBOOT=yes', 'BOOTPROTO=none', 'BRIDGE=eth0', 'MACADDR=52:54:00:12:34:56', 'MTU=9000', 'ETHTOOL_OPTS="-K seth0 tx off"', '',
  ].join('\n'));
  assert.equal(argvs(r), [
    'before-edit: ifdown eth0 (undo: ifup eth0) [ifdown-eth0]',
    'after-edit: ip link set dev eth0 name seth0 (undo: ip link set dev seth0 name eth0) [rename-eth0]',
    'after-edit: ifup eth0 (undo: ifdown eth0) [ifup-eth0]',
    'after-edit: ifup seth0 (undo: ifdown seth0) [ifup-seth0]',
  ]);
  // A second run: the bridge file and its port naming it: nothing to do.
  assert.equal(renderShadowIfcfg(s, reader(after(r.files) as Record<string, string>)), { files: [], commands: [] });
});

test('shadow bridge: without HWADDR the link\'s MAC is used; a port file that names another bridge is rewritten; no NIC file is refused', () => {
  const s = { nic: 'eth0', port: 'seth0', mac: '52:54:00:ff:ff:ff' };
  const files = { [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\nTYPE=Bridge\n', [`${D}/ifcfg-seth0`]: 'DEVICE=seth0\nBRIDGE=xenbr0\n' };
  const r = renderShadowIfcfg(s, reader(files));
  assert.match(after(r.files)[`${D}/ifcfg-eth0`]!, /^MACADDR=52:54:00:ff:ff:ff$/m);
  assert.match(after(r.files)[`${D}/ifcfg-seth0`]!, /^HWADDR=52:54:00:ff:ff:ff$/m);
  assert.equal(r.files.map((f) => [f.mode, f.before]), [['0640', files[`${D}/ifcfg-eth0`]], ['0640', files[`${D}/ifcfg-seth0`]]]);
  const notBridge = renderShadowIfcfg(s, reader({ [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\n', [`${D}/ifcfg-seth0`]: 'DEVICE=seth0\nBRIDGE=eth0\n' }));
  assert.is(notBridge.files.length, 2, 'a port naming the NIC is not enough while the NIC is no bridge');
  assert.equal(refusal(() => renderShadowIfcfg(s, reader({}))), { key: 'error.nicNoIfcfg', params: { file: `${D}/ifcfg-eth0`, nic: 'eth0' } });
});

// ---- vlan-bridges: ifcfg-eth0.<id> VLAN=yes BRIDGE=, ifcfg-<bridge> TYPE=Bridge (seed 002) ---------

const vlans = (o: Partial<VlanLayout> = {}): VlanLayout => ({ nic: 'eth0', vlans: [{ id: 293, dev: 'eth0.293', bridge: 'xen-br293' }, { id: 294, dev: 'eth0.294', bridge: 'xen-br294' }], mtu1496: false, txOff: false, ...o });

test('vlan bridges: per VLAN the bridge file then the VLAN device\'s, each with its header; each bridge up before its VLAN device', () => {
  const r = renderVlanIfcfg(vlans(), reader({}));
  const head = '# xen-net-wizard: recipe vlan-bridges (seed 002 lines 97–104): VLAN 293 of eth0\n';
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [
    [`${D}/ifcfg-xen-br293`, '0644', null], [`${D}/ifcfg-eth0.293`, '0644', null], [`${D}/ifcfg-xen-br294`, '0644', null], [`${D}/ifcfg-eth0.294`, '0644', null],
  ]);
  assert.is(r.files[0].after, `${head}DEVICE=xen-br293\nTYPE=Bridge\nONBOOT=yes\nBOOTPROTO=none\nDELAY=0\nSTP=off\nNM_CONTROLLED=no\n`);
  assert.is(r.files[1].after, `${head}DEVICE=eth0.293\nVLAN=yes\nONBOOT=yes\nBOOTPROTO=none\nBRIDGE=xen-br293\nNM_CONTROLLED=no\n`);
  assert.equal(argvs(r), [
    'after-edit: ifup xen-br293 (undo: ifdown xen-br293) [ifup-xen-br293]',
    'after-edit: ifup eth0.293 (undo: ifdown eth0.293) [ifup-eth0.293]',
    'after-edit: ifup xen-br294 (undo: ifdown xen-br294) [ifup-xen-br294]',
    'after-edit: ifup eth0.294 (undo: ifdown eth0.294) [ifup-eth0.294]',
  ]);
  // Only VLAN 294 missing: only its files and its ifups.
  const partly = renderVlanIfcfg(vlans(), reader({ [`${D}/ifcfg-xen-br293`]: r.files[0].after!, [`${D}/ifcfg-eth0.293`]: r.files[1].after! }));
  assert.equal(partly.files.map((f) => f.path), [`${D}/ifcfg-xen-br294`, `${D}/ifcfg-eth0.294`]);
  assert.equal(partly.commands.map((c) => c.id), ['ifup-xen-br294', 'ifup-eth0.294']);
  // A changed bridge file alone is rewritten with its mode, and both ifups run again.
  const one = renderVlanIfcfg(vlans({ vlans: [vlans().vlans[0]] }), reader({ [`${D}/ifcfg-xen-br293`]: 'DEVICE=xen-br293\n', [`${D}/ifcfg-eth0.293`]: r.files[1].after! }));
  assert.equal(one.files.map((f) => [f.path, f.mode, f.before]), [[`${D}/ifcfg-xen-br293`, '0640', 'DEVICE=xen-br293\n']]);
  assert.equal(one.commands.map((c) => c.id), ['ifup-xen-br293', 'ifup-eth0.293']);
});

test('vlan bridges: MTU 1496 and tx off on the trunk NIC (quoted for the shell), set now too; only what changes; a second run plans nothing', () => {
  const nic = `${D}/ifcfg-eth0`;
  const r = renderVlanIfcfg(vlans({ vlans: [], mtu1496: true, txOff: true }), reader({ [nic]: 'DEVICE=eth0\nONBOOT=yes\n' }));
  assert.equal(r.files, [{ path: nic, mode: '0640', before: 'DEVICE=eth0\nONBOOT=yes\n', after: 'DEVICE=eth0\nONBOOT=yes\nMTU=1496\nETHTOOL_OPTS="-K eth0 tx off"\n' }]);
  assert.equal(argvs(r), [
    'after-edit: ip link set dev eth0 mtu 1496 (undo: ip link set dev eth0 mtu 1500) [mtu-eth0]',
    'after-edit: ethtool -K eth0 tx off (undo: ethtool -K eth0 tx on) [ethtool-eth0-tx-off]',
  ]);
  assert.equal(renderVlanIfcfg(vlans({ vlans: [], mtu1496: true, txOff: true }), reader({ [nic]: r.files[0].after! })), { files: [], commands: [] });
  // MTU already 1496: only the offload changes, and only it is run now; an existing single-quoted value keeps its quote.
  const mtuDone = renderVlanIfcfg(vlans({ vlans: [], mtu1496: true, txOff: true }), reader({ [nic]: "DEVICE=eth0\nMTU=1496\nETHTOOL_OPTS='-K eth0 rx off'\n" }));
  assert.is(mtuDone.files[0].after, "DEVICE=eth0\nMTU=1496\nETHTOOL_OPTS='-K eth0 tx off'\n");
  assert.equal(mtuDone.commands.map((c) => c.id), ['ethtool-eth0-tx-off']);
  // tx off already there, the MTU not: only the MTU is set now.
  const txDone = renderVlanIfcfg(vlans({ vlans: [], mtu1496: true, txOff: true }), reader({ [nic]: 'DEVICE=eth0\nETHTOOL_OPTS="-K eth0 tx off"\n' }));
  assert.equal(txDone.commands.map((c) => c.id), ['mtu-eth0']);
  // Only the MTU asked: the offload is left as it is.
  const mtuOnly = renderVlanIfcfg(vlans({ vlans: [], mtu1496: true }), reader({ [nic]: 'DEVICE=eth0\nETHTOOL_OPTS="-K eth0 rx off"\n' }));
  assert.is(mtuOnly.files[0].after, 'DEVICE=eth0\nETHTOOL_OPTS="-K eth0 rx off"\nMTU=1496\n');
  assert.equal(mtuOnly.commands.map((c) => c.id), ['mtu-eth0']);
  // Neither asked: the NIC file is not touched even when it exists.
  assert.equal(renderVlanIfcfg(vlans({ vlans: [] }), reader({ [nic]: 'DEVICE=eth0\n' })), { files: [], commands: [] });
});

test('vlan bridges: MTU or tx off without the NIC\'s file is refused by path; without either, no NIC file is needed', () => {
  for (const o of [{ mtu1496: true }, { txOff: true }]) {
    assert.equal(refusal(() => renderVlanIfcfg(vlans(o), reader({}))), { key: 'error.nicNoIfcfg', params: { file: `${D}/ifcfg-eth0`, nic: 'eth0' } }, JSON.stringify(o));
  }
  assert.is(renderVlanIfcfg(vlans(), reader({})).files.length, 4);
});

test('the backend object routes each recipe to its renderer', () => {
  assert.is(ifcfg.id, 'ifcfg');
  const read = reader({ [`${D}/ifcfg-eth0`]: 'DEVICE=eth0\n' });
  assert.equal(ifcfg.vlanBridges(vlans({ mtu1496: true }), 'xl', { read, interfaces: [] }), renderVlanIfcfg(vlans({ mtu1496: true }), read));
  const s = { nic: 'eth0', port: 'seth0', mac: '52:54:00:00:00:01' };
  assert.equal(ifcfg.shadowBridge(s, { read, interfaces: [] }), renderShadowIfcfg(s, read));
  const spec = { bridge: { name: 'xenbr9', nic: null, stp: false as const, forwardDelay: 0 as const, antispoof: false }, mac: null };
  assert.equal(ifcfg.internalBridge(spec, { read, interfaces: [] }), renderInternalIfcfg(spec, read));
});

test.run();
