// The NIC → bridge rewrite of /etc/network/interfaces (the bridge over a NIC, seed 000), as the
// admin reads the file afterwards: the whole text, line by line — where the bridge block goes, what
// stays on the NIC, what moves, in which order — for the shapes the table tests of
// netconfBridge.test.ts only sample with `includes`. Also renderIfupdown's plan: the file, its mode,
// ifdown before and ifup after, nothing once migrated, and the refusal naming the NIC.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import { renderInterfacesMigration, renderIfupdown, staysWithNic, isMigrated, findNicFile, bridgeStanzaFor } from '../../src/backends/ifupdown.js';
import { InputError } from '../../src/errors.js';
import type { PortedBridge } from '../../src/model/topology.js';
import type { ReadFile } from '../../src/model/plan.js';

const MAIN = '/etc/network/interfaces';
const BLOCK = '# Xen bridge for guests, created by xen-net-wizard (seed 000: single-bridge)';
const m = { nic: 'eth0', bridge: 'xenbr0' };
const migrate = (text: string, mig: Parameters<typeof renderInterfacesMigration>[1] = m) =>
  renderInterfacesMigration(parseInterfaces(text, MAIN), mig).split('\n');

test('an inet and an inet6 stanza: both become manual ports, the bridge block follows the last of them, the bridge options only once', () => {
  const text = [
    'auto eth0', 'iface eth0 inet static', '  address 10.0.0.2/24', '  # the uplink MTU', '  mtu 9000', '  up ethtool -K eth0 tx off', '',
    'iface eth0 inet6 static', '  address 2001:db8::2/64', '  pre-up ip link set eth0 txqueuelen 2000', '',
    'auto eth1', 'iface eth1 inet manual', '',
  ].join('\n');
  assert.equal(migrate(text), [
    'auto eth0', 'iface eth0 inet manual', '  # the uplink MTU', '  mtu 9000', '  up ethtool -K eth0 tx off', '',
    'iface eth0 inet6 manual', '  pre-up ip link set eth0 txqueuelen 2000', '',
    BLOCK, 'auto xenbr0',
    'iface xenbr0 inet static', '  address 10.0.0.2/24', '  mtu 9000', '  bridge_ports eth0', '  bridge_stp off', '  bridge_fd 0', '  bridge_maxwait 0',
    'iface xenbr0 inet6 static', '  address 2001:db8::2/64',
    '', 'auto eth1', 'iface eth1 inet manual', '',
  ]);
});

test('a manual NIC without options: a manual bridge in the default 4-space indentation', () => {
  assert.equal(migrate('auto eth0\niface eth0 inet manual\n'), [
    'auto eth0', 'iface eth0 inet manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet manual',
    '    bridge_ports eth0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ]);
});

test('a DHCP NIC without options: the bridge pins the link\'s MAC, lower-cased, before the bridge options', () => {
  assert.equal(migrate('allow-hotplug eth0\niface eth0 inet dhcp\n', { ...m, mac: '00:16:3E:AA:BB:CC' }), [
    'allow-hotplug eth0', 'iface eth0 inet manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet dhcp',
    '    hwaddress ether 00:16:3e:aa:bb:cc', '    bridge_ports eth0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ]);
});

test('an alias (eth0:1) follows its NIC onto the bridge, with its own auto line', () => {
  const out = migrate('auto eth0 eth0:1\niface eth0 inet static\n\taddress 10.0.0.2/24\n\niface eth0:1 inet static\n\taddress 10.0.1.2/24\n');
  assert.equal(out.slice(0, 11), [
    'auto eth0', 'iface eth0 inet manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet static', '\taddress 10.0.0.2/24',
    '\tbridge_ports eth0', '\tbridge_stp off', '\tbridge_fd 0', '\tbridge_maxwait 0',
  ]);
  assert.equal(out.slice(11).filter((l) => l !== ''), ['auto xenbr0:1', 'iface xenbr0:1 inet static', '\taddress 10.0.1.2/24']);
});

test('what stays with the NIC: MAC, MTU, description, ethernet-*/link-* and ethtool/ip link hooks; routes and other hooks move', () => {
  const text = [
    'iface eth0 inet static', '    address 10.0.0.2/24', '    description uplink', '    ethernet-autoneg off', '    link-speed 1000',
    '    up ip route add 10.9.0.0/16 via 10.0.0.1', '    post-down ethtool -s eth0 wol g', '    pre-down ip link set eth0 down', '',
  ].join('\n');
  assert.equal(migrate(text), [
    'iface eth0 inet manual', '    description uplink', '    ethernet-autoneg off', '    link-speed 1000',
    '    post-down ethtool -s eth0 wol g', '    pre-down ip link set eth0 down', '',
    BLOCK, 'auto xenbr0', 'iface xenbr0 inet static', '    address 10.0.0.2/24', '    up ip route add 10.9.0.0/16 via 10.0.0.1',
    '    bridge_ports eth0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0', '',
  ]);
  // Each hook keyword, and only a whole word: "ethtoolx" or "ip linkset" is not a link hook.
  for (const key of ['pre-up', 'up', 'post-up', 'down', 'pre-down', 'post-down']) assert.ok(staysWithNic(key, 'ethtool -K eth0 tso off'), key);
  for (const [key, value] of [['up-x', 'ethtool -K eth0 tso off'], ['xup', 'ip link set eth0 mtu 9000'], ['up', 'myethtoolx eth0'], ['up', 'ip linkset eth0'], ['address', 'ethtool']]) {
    assert.not.ok(staysWithNic(key, value), `${key} ${value}`);
  }
});

const bridge: PortedBridge = { name: 'xenbr0', nic: 'eth0' } as PortedBridge;
const reader = (files: Record<string, string>, mode = '0600'): ReadFile => (p) => (p in files ? { text: files[p], mode } : null);

test('renderIfupdown: the NIC\'s own file (sourced part) with its mode; ifdown of the NIC before the edit, ifup of the bridge after', () => {
  const main = 'source /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n';
  const partFile = '/etc/network/interfaces.d/eth0';
  const part = 'auto eth0\niface eth0 inet dhcp\n';
  const r = renderIfupdown(bridge, [parseInterfaces(main, MAIN), parseInterfaces(part, partFile)], reader({ [MAIN]: main, [partFile]: part }, '0600'), () => '00:16:3E:00:00:01');
  assert.equal(r.files.map((f) => [f.path, f.mode, f.before]), [[partFile, '0600', part]]);
  assert.ok(r.files[0].after!.includes('iface xenbr0 inet dhcp\n    hwaddress ether 00:16:3e:00:00:01\n'), r.files[0].after!);
  assert.equal(r.commands, [
    { id: 'ifdown-eth0', phase: 'before-edit', argv: ['ifdown', 'eth0'], undo: ['ifup', 'eth0'] },
    { id: 'ifup-xenbr0', phase: 'after-edit', argv: ['ifup', 'xenbr0'], undo: ['ifdown', 'xenbr0'] },
  ]);
  // A file the reader cannot see is written 0644; once migrated, nothing to do.
  const fresh = renderIfupdown(bridge, [parseInterfaces(part, partFile)], reader({}));
  assert.is(fresh.files[0].mode, '0644');
  const again = parseInterfaces(fresh.files[0].after!, partFile);
  assert.ok(isMigrated(again, m));
  assert.equal(renderIfupdown(bridge, [again], reader({})), { files: [], commands: [] });
});

test('renderIfupdown: a NIC with no stanza is refused, naming the NIC and the main file; a CAN stanza of that name is not the NIC', () => {
  try {
    renderIfupdown(bridge, [parseInterfaces('auto lo\niface lo inet loopback\n', MAIN)], reader({}));
    assert.unreachable('refused');
  } catch (err) {
    assert.instance(err, InputError);
    assert.equal([(err as InputError).key, (err as InputError).params], ['error.nicNotInInterfaces', { file: MAIN, nic: 'eth0' }]);
  }
  const can = parseInterfaces('iface eth0 can static\n    bitrate 125000\n', '/etc/network/interfaces.d/can');
  const eth = parseInterfaces('iface eth0 inet dhcp\n', MAIN);
  assert.is(findNicFile([can, eth], 'eth0'), eth);
  assert.is(findNicFile([can], 'eth0'), undefined);
});

test('a DHCP NIC\'s own hwaddress (without "ether") wins over the link\'s MAC; blank lines and continued lines inside the stanza move with their option', () => {
  const text = '# uplink\niface eth0 inet dhcp\n  hostname xen1\n\n  up ip route add 10.9.0.0/16 \\\n     via 10.0.0.1\n  hwaddress 00:11:22:33:44:AA\n';
  assert.equal(migrate(text, { ...m, mac: '00:16:3e:00:00:09' }), [
    '# uplink', 'iface eth0 inet manual', '  hwaddress 00:11:22:33:44:AA', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet dhcp',
    '  hostname xen1', '', '  up ip route add 10.9.0.0/16       via 10.0.0.1', '  hwaddress ether 00:11:22:33:44:aa',
    '  bridge_ports eth0', '  bridge_stp off', '  bridge_fd 0', '  bridge_maxwait 0', '',
  ]);
});

test('options written without indentation: the bridge gets the default 4 spaces; an inet6 DHCP stanza gets no hwaddress (the lease keyed on the MAC is IPv4\'s)', () => {
  assert.equal(migrate('iface eth0 inet dhcp\nhostname xen1\niface eth0 inet6 dhcp\n', { ...m, mac: '00:16:3E:00:00:09' }), [
    'iface eth0 inet manual', 'iface eth0 inet6 manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet dhcp', '    hostname xen1',
    '    hwaddress ether 00:16:3e:00:00:09', '    bridge_ports eth0', '    bridge_stp off', '    bridge_fd 0', '    bridge_maxwait 0',
    'iface xenbr0 inet6 dhcp', '',
  ]);
});

test('a NIC stanza with the loopback method gives a manual bridge, not a second loopback', () => {
  assert.equal(migrate('iface eth0 inet loopback\n').slice(0, 5), ['iface eth0 inet manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet manual']);
});

test('renderInterfacesMigration over a file without the NIC: refused, naming the file and the NIC', () => {
  try {
    renderInterfacesMigration(parseInterfaces('auto lo\niface lo inet loopback\n', '/etc/network/interfaces.d/lo'), m);
    assert.unreachable('refused');
  } catch (err) {
    assert.instance(err, InputError);
    assert.equal([(err as InputError).key, (err as InputError).params], ['error.nicNotInInterfaces', { file: '/etc/network/interfaces.d/lo', nic: 'eth0' }]);
  }
});

test('migrated means a stanza of that bridge name listing the NIC among its ports (either spelling, any spacing); bridgeStanzaFor finds it by name', () => {
  const f = (t: string) => parseInterfaces(t, MAIN);
  assert.ok(isMigrated(f('iface xenbr0 inet dhcp\n    bridge-ports eth1  eth0\n'), m));
  assert.ok(isMigrated(f('iface xenbr0 inet dhcp\n    bridge_ports eth0\n'), m));
  // Another bridge over the NIC is not ours; ours over other ports is not done; a hook naming the NIC is no port.
  assert.not.ok(isMigrated(f('iface br9 inet dhcp\n    bridge_ports eth0\n'), m));
  assert.not.ok(isMigrated(f('iface xenbr0 inet dhcp\n    bridge_ports eth1\n    post-up ethtool -K eth0 tx off\n'), m));
  assert.not.ok(isMigrated(f('iface xenbr0 inet dhcp\n    bridge_portsx eth0\n'), m));
  const file = f('iface eth0 inet manual\n\niface xenbr0 inet dhcp\n    bridge_ports eth0\n');
  assert.is(bridgeStanzaFor(file, 'xenbr0'), file.ifaces[1]);
  assert.is(bridgeStanzaFor(file, 'xenbr1'), undefined);
});

test('renderIfupdown: a bridge already in one of the files (the main file, the NIC in a sourced part) plans nothing', () => {
  const main = parseInterfaces('source /etc/network/interfaces.d/*\niface xenbr0 inet dhcp\n    bridge_ports eth0\n', MAIN);
  const part = parseInterfaces('iface eth0 inet manual\n', '/etc/network/interfaces.d/eth0');
  assert.equal(renderIfupdown(bridge, [part, main], reader({})), { files: [], commands: [] });
});

test('another reader\'s style (ifupdown-ng): its MAC line and bridge options, the MAC lower-cased all the same; a blank line of spaces stays with its option', () => {
  const style = { hwaddress: (indent: string, mac: string) => `${indent}hwaddress ${mac}`, bridgeOptions: (indent: string, port: string) => [`${indent}use bridge`, `${indent}bridge-ports ${port}`] };
  assert.equal(migrate('iface eth0 inet dhcp\n  hostname a\n   \n  vendor b\n', { ...m, mac: '00:16:3E:AA:BB:CC', style }), [
    'iface eth0 inet manual', '', BLOCK, 'auto xenbr0', 'iface xenbr0 inet dhcp', '  hostname a', '   ', '  vendor b',
    '  hwaddress 00:16:3e:aa:bb:cc', '  use bridge', '  bridge-ports eth0', '',
  ]);
});

test.run();
