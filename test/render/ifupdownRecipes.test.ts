// The ifupdown backend (Debian's interfaces(5)) for the recipes beyond the bridge over a NIC, as
// pure functions over made-up files: the stanzas a user finds after apply, the ifup/ifdown around
// them, what a second run leaves alone, and the refusals — the recipe golden tests see the same
// through the CLI, too slowly for a mutation run; this suite sees each rule alone.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ifupdown, renderIfupdown, renderInternalIfupdown, renderShadowIfupdown, renderVlanInterfaces, linkFilePath } from '../../src/backends/ifupdown.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import type { VlanLayout } from '../../src/backends/types.js';
import { argvs, bridge, reader, refusal } from '../_helpers/renders.js';

const MAIN = '/etc/network/interfaces';
const parsed = (files: Record<string, string>) => Object.entries(files).map(([f, t]) => parseInterfaces(t, f));

// ---- the bridge over a NIC -------------------------------------------------------------------------

test('bridge: the NIC\'s file keeps its mode; ifdown before the edit (the file still says static), ifup of the bridge after; once migrated nothing', () => {
  const text = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 10.0.0.2/24\n    gateway 10.0.0.1\n';
  const files = { [MAIN]: text };
  const r = renderIfupdown(bridge('xenbr0', 'eth0'), parsed(files), reader(files));
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[MAIN, '0640', text]]);
  assert.equal(argvs(r), ['before-edit: ifdown eth0 (undo: ifup eth0) [ifdown-eth0]', 'after-edit: ifup xenbr0 (undo: ifdown xenbr0) [ifup-xenbr0]']);
  const done = { [MAIN]: r.files[0].after! };
  assert.equal(renderIfupdown(bridge('xenbr0', 'eth0'), parsed(done), reader(done)), { files: [], commands: [] });
  assert.equal(refusal(() => renderIfupdown(bridge('xenbr0', 'eth9'), parsed(files), reader(files))), { key: 'error.nicNotInInterfaces', params: { file: MAIN, nic: 'eth9' } });
  // A file the reader does not know (a part parsed elsewhere) is written 0644.
  assert.is(renderIfupdown(bridge('xenbr0', 'eth0'), parsed(files), reader({})).files[0].mode, '0644');
});

test('configuredMac: the hwaddress of a name\'s stanza (with or without "ether"), lower-cased; none without one', () => {
  const files = parsed({ [MAIN]: 'iface xenbr0 inet dhcp\n    hwaddress ether 52:54:00:AA:BB:CC\n\niface xenbr1 inet dhcp\n    hwaddress 52:54:00:AA:BB:DD\n\niface eth0 inet manual\n    mtu 9000\n' });
  const at = (name: string) => ifupdown.configuredMac(name, { read: reader({}), interfaces: files });
  assert.equal([at('xenbr0'), at('xenbr1'), at('eth0'), at('eth1')], ['52:54:00:aa:bb:cc', '52:54:00:aa:bb:dd', null, null]);
});

// ---- internal-dummy: a bridge with no port, or over a NIC with no address -------------------------

test('internal bridge without a port: appended to the main file in its own indentation, static with its MAC, bridge_ports none; ifup after', () => {
  const text = 'auto lo\niface lo inet loopback\n\tpre-up true';
  const files = { [MAIN]: text, '/etc/network/interfaces.d/eth0': 'iface eth0 inet dhcp\n' };
  const spec = { bridge: { name: 'xenbr9', nic: null, stp: false as const, forwardDelay: 0 as const, antispoof: false, address: { ip: '10.9.0.1', prefix: 24 } }, mac: '00:16:3e:00:00:09' };
  const r = renderInternalIfupdown(spec, parsed(files), reader(files));
  assert.equal(r.files, [{
    path: MAIN, mode: '0640', before: text,
    after: `${text}\n\n# Internal-only bridge for the guests, created by xen-net-wizard (seed 000: internal-dummy).\n`
      + '# No port and no dummy0: a bridge without ports is valid, vifs join it when guests start.\n'
      + 'auto xenbr9\niface xenbr9 inet static\n\taddress 10.9.0.1/24\n\thwaddress 00:16:3e:00:00:09\n\tbridge_ports none\n\tbridge_stp off\n\tbridge_fd 0\n\tbridge_maxwait 0\n',
  }]);
  assert.equal(argvs(r), ['after-edit: ifup xenbr9 (undo: ifdown xenbr9) [ifup-xenbr9]']);
  const done = { ...files, [MAIN]: r.files[0].after! };
  assert.equal(renderInternalIfupdown(spec, parsed(done), reader(done)), { files: [], commands: [] }, 'second run');
});

test('internal bridge over a NIC: manual, no MAC, the NIC named as its port; no file yet is a new one; 4-space default indent', () => {
  const spec = { bridge: { name: 'xenbr9', nic: 'eth1', stp: false as const, forwardDelay: 0 as const, antispoof: false }, mac: null };
  const r = renderInternalIfupdown(spec, [], reader({}));
  assert.equal(r.files, [{
    path: MAIN, mode: '0644', before: null,
    after: '\n# Internal-only bridge for the guests, created by xen-net-wizard (seed 000: internal-dummy).\n'
      + '# Its port is eth1, a NIC on no other network.\n'
      + 'auto xenbr9\niface xenbr9 inet manual\n    bridge_ports eth1\n    bridge_stp off\n    bridge_fd 0\n    bridge_maxwait 0\n',
  }]);
  // A manual stanza of the NIC (or one of another family) is fine; the file ending in a newline gets none added.
  const files = { [MAIN]: 'iface eth1 inet manual\n\niface eth1 inet6 auto\n' };
  assert.ok(renderInternalIfupdown(spec, parsed(files), reader(files)).files[0].after!.startsWith('iface eth1 inet manual\n\niface eth1 inet6 auto\n\n# Internal-only'));
});

test('internal bridge: refused over an existing stanza with other ports and over an addressed NIC (naming line and method); the same ports are a second run', () => {
  const spec = { bridge: { name: 'xenbr9', nic: 'eth1', stp: false as const, forwardDelay: 0 as const, antispoof: false }, mac: null };
  const other = { [MAIN]: 'auto lo\niface lo inet loopback\n\niface xenbr9 inet manual\n    bridge_ports eth2\n' };
  assert.equal(refusal(() => renderInternalIfupdown(spec, parsed(other), reader(other))), { key: 'error.internalBridgeConfigured', params: { bridge: 'xenbr9', file: MAIN, line: 4 } });
  const same = { [MAIN]: 'iface xenbr9 inet manual\n    bridge-ports  eth1 \n' };
  assert.equal(renderInternalIfupdown(spec, parsed(same), reader(same)), { files: [], commands: [] });
  const none = { [MAIN]: 'iface xenbr9 inet manual\n    bridge_ports none\n' };
  assert.equal(renderInternalIfupdown({ ...spec, bridge: { ...spec.bridge, nic: null } }, parsed(none), reader(none)), { files: [], commands: [] });
  const addressed = { [MAIN]: 'auto lo\niface lo inet loopback\n\niface eth1 inet dhcp\n' };
  assert.equal(refusal(() => renderInternalIfupdown(spec, parsed(addressed), reader(addressed))), { key: 'error.internalNicConfigured', params: { nic: 'eth1', file: MAIN, line: 4, method: 'dhcp' } });
});

// ---- shadow-bridge: the NIC's stanza becomes the bridge's, the NIC renamed s<nic> by a .link file --

const S = { nic: 'eth0', port: 'seth0', mac: '52:54:00:12:34:56' };

test('shadow bridge: the .link file names the NIC by its permanent MAC; the stanza gains the bridge options, link settings move to seth0', () => {
  const text = 'allow-hotplug eth0 eth1\niface eth0 inet static\n  address 10.0.0.2/24\n  mtu 9000\n  hwaddress ether 52:54:00:12:34:56\n  post-up ethtool -K eth0 tx off\n\niface eth1 inet dhcp\n';
  const files = { [MAIN]: text };
  const r = renderShadowIfupdown(S, parsed(files), reader(files));
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[linkFilePath(S), '0644', null], [MAIN, '0640', text]]);
  assert.is(r.files[0].path, '/etc/systemd/network/10-xen-net-wizard-seth0.link');
  assert.is(r.files[0].after, '# xen-net-wizard: recipe shadow-bridge (seed 001 lines 134–136). The NIC with this permanent\n'
    + '# address is named seth0, so that eth0 is the bridge over it (/etc/network/interfaces).\n[Match]\nPermanentMACAddress=52:54:00:12:34:56\n\n[Link]\nName=seth0\n');
  assert.is(r.files[1].after, [
    'allow-hotplug eth1', 'auto eth0',
    '# xen-net-wizard: recipe shadow-bridge (seed 001): eth0 is a bridge over the NIC, which is named seth0 at boot',
    'iface eth0 inet static', '  address 10.0.0.2/24', '  mtu 9000',
    '  bridge_ports seth0', '  bridge_hw 52:54:00:12:34:56', '  bridge_stp off', '  bridge_fd 0', '  bridge_maxwait 0',
    '', 'iface seth0 inet manual', '  mtu 9000', '  hwaddress ether 52:54:00:12:34:56', '  post-up ethtool -K seth0 tx off',
    '', 'iface eth1 inet dhcp', '',
  ].join('\n'));
  assert.equal(argvs(r), [
    'before-edit: ifdown eth0 (undo: ifup eth0) [ifdown-eth0]',
    'after-edit: ip link set dev eth0 name seth0 (undo: ip link set dev seth0 name eth0) [rename-eth0]',
    'after-edit: ifup eth0 (undo: ifdown eth0) [ifup-eth0]',
  ]);
  // A second run: nothing; with the .link file gone, only it comes back.
  const done = { [MAIN]: r.files[1].after!, [linkFilePath(S)]: r.files[0].after! };
  assert.equal(renderShadowIfupdown(S, parsed({ [MAIN]: done[MAIN] }), reader(done)), { files: [], commands: [] });
  const noLink = renderShadowIfupdown(S, parsed({ [MAIN]: done[MAIN] }), reader({ [MAIN]: done[MAIN] }));
  assert.equal([noLink.files.map((f) => f.path), noLink.commands], [[linkFilePath(S)], []]);
});

test('shadow bridge: a NIC alone on its allow-hotplug line becomes auto, others stay; auto lines stay; no link settings, no port stanza; no NIC stanza is refused', () => {
  const three = 'auto lo eth0\nallow-hotplug eth1 eth0 eth2\niface eth0 inet dhcp\n';
  assert.ok(renderShadowIfupdown(S, parsed({ [MAIN]: three }), reader({})).files[1].after!.startsWith('auto lo eth0\nallow-hotplug eth1 eth2\nauto eth0\n# xen-net-wizard'));
  assert.is(renderShadowIfupdown(S, parsed({ [MAIN]: three }), reader({})).files[1].mode, '0644', 'a part the reader does not know is written 0644');
  const text = 'allow-hotplug eth0\niface eth0 inet dhcp\n';
  const r = renderShadowIfupdown(S, parsed({ [MAIN]: text }), reader({ [MAIN]: text }));
  assert.is(r.files[1].after, 'auto eth0\n# xen-net-wizard: recipe shadow-bridge (seed 001): eth0 is a bridge over the NIC, which is named seth0 at boot\niface eth0 inet dhcp\n    bridge_ports seth0\n    bridge_hw 52:54:00:12:34:56\n    bridge_stp off\n    bridge_fd 0\n    bridge_maxwait 0\n');
  assert.equal(refusal(() => renderShadowIfupdown(S, parsed({ [MAIN]: 'iface eth1 inet dhcp\n' }), reader({}))), { key: 'error.nicNotInInterfaces', params: { file: MAIN, nic: 'eth0' } });
});

// ---- vlan-bridges (seed 002 lines 97–114) ------------------------------------------------------------

const layout = (o: Partial<VlanLayout> = {}): VlanLayout => ({ nic: 'eth0', vlans: [{ id: 293, dev: 'eth0.293', bridge: 'xen-br293' }, { id: 294, dev: 'eth0.294', bridge: 'xen-br294' }], mtu1496: false, txOff: false, ...o });
const TRUNK = 'auto eth0\niface eth0 inet static\n\taddress 10.0.0.2/24\n\n\n';

test('vlan bridges, xend: the seed\'s stanza per VLAN (network-bridge with its own vifnum), no auto; only the bridges are brought up', () => {
  const files = { [MAIN]: TRUNK };
  const r = renderVlanInterfaces(layout(), parsed(files), reader(files), 'xend');
  const stanza = (id: number, n: number) => [
    `# xen-net-wizard: recipe vlan-bridges (seed 002 lines 97–104): VLAN ${id} of eth0`,
    `iface xen-br${id} inet manual`, `up vconfig add eth0 ${id}`,
    `up /etc/xen/scripts/network-bridge start vifnum=${n} netdev=eth0.${id} bridge=xen-br${id} antispoof=no`,
    `up /sbin/ifconfig eth0.${id} up`,
    `down /etc/xen/scripts/network-bridge stop vifnum=${n} netdev=eth0.${id} bridge=xen-br${id} antispoof=no`,
    `down vconfig rem eth0.${id}`,
  ].join('\n');
  assert.equal(r.files, [{ path: MAIN, mode: '0640', before: TRUNK, after: `auto eth0\niface eth0 inet static\n\taddress 10.0.0.2/24\n\n${stanza(293, 1)}\n\n${stanza(294, 2)}\n` }]);
  assert.equal(r.commands.map((c) => c.id), ['ifup-xen-br293', 'ifup-xen-br294']);
});

test('vlan bridges, xl: VLAN device and bridge stanzas in the trunk\'s indentation, both auto; each device up before its bridge; a second run plans nothing', () => {
  const files = { [MAIN]: TRUNK };
  const r = renderVlanInterfaces(layout({ vlans: [layout().vlans[0]] }), parsed(files), reader(files), 'xl');
  assert.is(r.files[0].after, 'auto eth0\niface eth0 inet static\n\taddress 10.0.0.2/24\n\n# xen-net-wizard: recipe vlan-bridges (seed 002 lines 97–104): VLAN 293 of eth0\n'
    + 'auto eth0.293\niface eth0.293 inet manual\n\tvlan-raw-device eth0\n\nauto xen-br293\niface xen-br293 inet manual\n\tbridge_ports eth0.293\n\tbridge_stp off\n\tbridge_fd 0\n\tbridge_maxwait 0\n');
  assert.equal(argvs(r), ['after-edit: ifup eth0.293 (undo: ifdown eth0.293) [ifup-eth0.293]', 'after-edit: ifup xen-br293 (undo: ifdown xen-br293) [ifup-xen-br293]']);
  const done = { [MAIN]: r.files[0].after! };
  assert.equal(renderVlanInterfaces(layout({ vlans: [layout().vlans[0]] }), parsed(done), reader(done), 'xl'), { files: [], commands: [] });
  // One VLAN there, one new: only the new one is added and brought up.
  const more = renderVlanInterfaces(layout(), parsed(done), reader(done), 'xl');
  assert.equal(more.commands.map((c) => c.id), ['ifup-eth0.294', 'ifup-xen-br294']);
  assert.is((more.files[0].after!.match(/VLAN 293/g) ?? []).length, 1);
});

test('vlan bridges: MTU 1496 replaces the trunk\'s own mtu, tx off is added once, both set now; already there → nothing; no trunk stanza refused', () => {
  const text = 'iface eth0 inet manual\n    mtu 1500\n';
  const r = renderVlanInterfaces(layout({ vlans: [], mtu1496: true, txOff: true }), parsed({ [MAIN]: text }), reader({ [MAIN]: text }), 'xl');
  assert.is(r.files[0].after, 'iface eth0 inet manual\n    mtu 1496\n    post-up ethtool -K eth0 tx off\n');
  assert.equal(argvs(r), [
    'after-edit: ip link set dev eth0 mtu 1496 (undo: ip link set dev eth0 mtu 1500) [mtu-eth0]',
    'after-edit: ethtool -K eth0 tx off (undo: ethtool -K eth0 tx on) [ethtool-eth0-tx-off]',
  ]);
  const done = { [MAIN]: r.files[0].after! };
  assert.equal(renderVlanInterfaces(layout({ vlans: [], mtu1496: true, txOff: true }), parsed(done), reader(done), 'xl'), { files: [], commands: [] });
  // No mtu line yet: one is added; tx off not asked: nothing about ethtool.
  const bare = { [MAIN]: 'iface eth0 inet manual\n' };
  const mtu = renderVlanInterfaces(layout({ vlans: [], mtu1496: true }), parsed(bare), reader(bare), 'xl');
  assert.equal([mtu.files[0].after, mtu.commands.map((c) => c.id)], ['iface eth0 inet manual\n    mtu 1496\n', ['mtu-eth0']]);
  assert.equal(refusal(() => renderVlanInterfaces(layout({ txOff: true }), parsed({ [MAIN]: 'iface eth1 inet dhcp\n' }), reader({}), 'xl')), { key: 'error.nicNotInInterfaces', params: { file: MAIN, nic: 'eth0' } });
  assert.equal(refusal(() => renderVlanInterfaces(layout(), [], reader({}), 'xl')), { key: 'error.nicNotInInterfaces', params: { file: MAIN, nic: 'eth0' } });
  // Without MTU or tx off the trunk needs no stanza: the VLANs go into the first file.
  assert.is(renderVlanInterfaces(layout(), parsed({ [MAIN]: 'auto lo\n' }), reader({}), 'xl').files[0].mode, '0644');
});

test('the backend object routes each recipe to its renderer', () => {
  const files = { [MAIN]: TRUNK };
  const inputs = { read: reader(files), interfaces: parsed(files) };
  assert.is(ifupdown.id, 'ifupdown');
  assert.equal(ifupdown.vlanBridges(layout(), 'xend', inputs), renderVlanInterfaces(layout(), inputs.interfaces, inputs.read, 'xend'));
  assert.equal(ifupdown.shadowBridge(S, inputs), renderShadowIfupdown(S, inputs.interfaces, inputs.read));
  const spec = { bridge: { name: 'xenbr9', nic: null, stp: false as const, forwardDelay: 0 as const, antispoof: false }, mac: null };
  assert.equal(ifupdown.internalBridge(spec, inputs), renderInternalIfupdown(spec, inputs.interfaces, inputs.read));
  const bond = { name: 'bond0', slaves: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 };
  assert.equal(ifupdown.bondBridges(bond, bridge('xenbr0', 'bond0'), bridge('xenbr1', 'eth2'), inputs).commands.map((c) => c.id), ['ifdown-eth0', 'ifup-bond0', 'ifup-xenbr0', 'ifup-xenbr1']);
  assert.equal(ifupdown.portedBridge(bridge('xenbr0', 'eth0'), { ...inputs, linkMac: () => null }), renderIfupdown(bridge('xenbr0', 'eth0'), inputs.interfaces, inputs.read));
});

test.run();
