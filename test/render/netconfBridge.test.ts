// Table tests for the distro network-config side of single-bridge: interfaces(5) parsing and the
// NIC → bridge rewrite (every byte outside the NIC's stanzas kept), and the ifcfg rewrite (seed 003).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import { renderInterfacesMigration, isMigrated, findNicFile } from '../../src/backends/ifupdown.js';
import { parseIfcfg, getVar, setVar, removeVar } from '../../src/parse/ifcfg.js';
import { renderIfcfgMigration, isIfcfgMigrated } from '../../src/backends/ifcfg.js';
import { InputError } from '../../src/errors.js';

const CORPUS = path.resolve(process.cwd(), '../shared/corpus');
const m = { nic: 'eth0', bridge: 'xenbr0' };

for (const name of ['tests-linux-testcase.7.interfaces', 'tests-linux-testcase.8.interfaces']) {
  test(`corpus ifupdown/${name} parses`, () => {
    const file = path.join(CORPUS, 'ifupdown', name);
    assert.ok(parseInterfaces(fs.readFileSync(file, 'utf8'), file).ifaces.length > 0);
  });
}

test('corpus ifupdown/examples-network-interfaces (every example commented out) parses to no stanzas', () => {
  const file = path.join(CORPUS, 'ifupdown/examples-network-interfaces');
  assert.is(parseInterfaces(fs.readFileSync(file, 'utf8'), file).ifaces.length, 0);
});

test('corpus ifupdown/examples-bridge.txt: prose is refused, its embedded example parses', () => {
  const file = path.join(CORPUS, 'ifupdown/examples-bridge.txt');
  const text = fs.readFileSync(file, 'utf8');
  assert.throws(() => parseInterfaces(text, file), (e: unknown) => e instanceof InputError && e.params.line === 1);
  const example = text.slice(text.indexOf('auto br0'), text.indexOf('\n\nNote'));
  const br0 = parseInterfaces(example, file).ifaces[0];
  assert.is(br0.name, 'br0');
  assert.equal(br0.options.map((o) => o.key), ['address', 'gateway', 'bridge_ports']);
});

const cases: { name: string; input: string; nicLines: string[]; bridgeHas: string[] }[] = [
  {
    name: 'static with gateway and dns, tab-indented',
    input: 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n\taddress 10.0.0.2/24\n\tgateway 10.0.0.1\n\tdns-nameservers 10.0.0.1\n',
    nicLines: ['iface eth0 inet manual'],
    bridgeHas: ['iface xenbr0 inet static', '\taddress 10.0.0.2/24', '\tgateway 10.0.0.1', '\tdns-nameservers 10.0.0.1', '\tbridge_ports eth0', '\tbridge_stp off', '\tbridge_fd 0', '\tbridge_maxwait 0'],
  },
  {
    name: 'dhcp, allow-hotplug, 4 spaces',
    input: 'allow-hotplug eth0\niface eth0 inet dhcp\n    hostname xen1\n',
    nicLines: ['allow-hotplug eth0', 'iface eth0 inet manual'],
    bridgeHas: ['auto xenbr0', 'iface xenbr0 inet dhcp', '    hostname xen1', '    bridge_ports eth0'],
  },
  {
    name: 'link settings stay with the NIC, mtu is copied; an inet6 stanza moves too',
    input: 'auto eth0\niface eth0 inet static\n  address 10.0.0.2\n  netmask 255.255.255.0\n  hwaddress ether 00:11:22:33:44:55\n  mtu 9000\n  up ethtool -K eth0 tx off\n\niface eth0 inet6 static\n  address 2001:db8::2/64\n',
    nicLines: ['iface eth0 inet manual', '  hwaddress ether 00:11:22:33:44:55', '  mtu 9000', '  up ethtool -K eth0 tx off', 'iface eth0 inet6 manual'],
    bridgeHas: ['iface xenbr0 inet static', '  address 10.0.0.2', '  netmask 255.255.255.0', '  mtu 9000', 'iface xenbr0 inet6 static', '  address 2001:db8::2/64'],
  },
];

for (const c of cases) {
  test(`interfaces migration: ${c.name}`, () => {
    const file = parseInterfaces(c.input, '/etc/network/interfaces');
    const out = renderInterfacesMigration(file, m);
    const lines = out.split('\n');
    for (const l of c.nicLines) assert.ok(lines.includes(l), `NIC line "${l}" in:\n${out}`);
    for (const l of c.bridgeHas) assert.ok(lines.includes(l), `bridge line "${l}" in:\n${out}`);
    const again = parseInterfaces(out, '/etc/network/interfaces');
    assert.ok(isMigrated(again, m));
    assert.is(renderInterfacesMigration(again, m), out, 'idempotent');
    assert.not.ok(again.ifaces.find((s) => s.name === 'eth0')!.options.some((o) => o.key === 'address'));
  });
}

test('interfaces migration keeps every line outside the NIC stanza and finds the NIC in a sourced part', () => {
  const main = parseInterfaces('# head comment\nsource /etc/network/interfaces.d/*\nauto lo\niface lo inet loopback\n', '/etc/network/interfaces');
  const part = parseInterfaces('auto eth0\niface eth0 inet static\n  address 10.0.0.2/24\n# tail\n', '/etc/network/interfaces.d/eth0');
  assert.is(findNicFile([main, part], 'eth0'), part);
  const out = renderInterfacesMigration(part, m);
  assert.ok(out.startsWith('auto eth0\niface eth0 inet manual\n'));
  assert.ok(out.endsWith('# tail\n'));
});

test('interfaces: a NIC without a stanza and bad syntax are InputErrors with the file and line', () => {
  const file = parseInterfaces('auto lo\niface lo inet loopback\n', '/etc/network/interfaces');
  assert.throws(() => renderInterfacesMigration(file, m), (e: unknown) => e instanceof InputError && e.key === 'error.nicNotInInterfaces');
  assert.throws(() => parseInterfaces('  address 10.0.0.2\n', 'f'), (e: unknown) => e instanceof InputError && e.params.line === 1);
  assert.throws(() => parseInterfaces('auto eth0\niface eth0 inet\n', 'f'), (e: unknown) => e instanceof InputError && e.params.line === 2);
});

for (const name of fs.readdirSync(path.join(CORPUS, 'ifcfg/examples'))) {
  test(`corpus ifcfg/${name} parses`, () => {
    const file = path.join(CORPUS, 'ifcfg/examples', name);
    parseIfcfg(fs.readFileSync(file, 'utf8'), file);
  });
}

test('ifcfg: set/remove keep quoting and other lines; unterminated quote is an error', () => {
  const text = '# eth0\nDEVICE="eth0"\nONBOOT=yes\n';
  assert.is(setVar(text, 'f', 'DEVICE', 'eth1'), '# eth0\nDEVICE="eth1"\nONBOOT=yes\n');
  assert.is(setVar(text, 'f', 'MTU', '9000'), '# eth0\nDEVICE="eth0"\nONBOOT=yes\nMTU=9000\n');
  assert.is(removeVar(text, 'f', 'ONBOOT'), '# eth0\nDEVICE="eth0"\n');
  assert.throws(() => parseIfcfg('DEVICE="eth0\n', 'f'), (e: unknown) => e instanceof InputError && e.key === 'error.ifcfgSyntax');
});

test('ifcfg migration in the shape of seed 003: BRIDGE= on the NIC, TYPE=Bridge with the address on the bridge', () => {
  const nic = parseIfcfg('DEVICE=eth0\nHWADDR=00:16:76:D6:C9:45\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=192.168.1.3\nNETMASK=255.255.255.0\nGATEWAY=192.168.1.254\nMTU=9000\n', '/etc/sysconfig/network-scripts/ifcfg-eth0');
  const { nicAfter, bridgeText } = renderIfcfgMigration(nic, m);
  assert.is(nicAfter, 'DEVICE=eth0\nHWADDR=00:16:76:D6:C9:45\nONBOOT=yes\nBOOTPROTO=none\nMTU=9000\nBRIDGE=xenbr0\n');
  const br = parseIfcfg(bridgeText, '/etc/sysconfig/network-scripts/ifcfg-xenbr0');
  for (const [k, v] of [['DEVICE', 'xenbr0'], ['TYPE', 'Bridge'], ['ONBOOT', 'yes'], ['BOOTPROTO', 'static'], ['IPADDR', '192.168.1.3'], ['NETMASK', '255.255.255.0'], ['GATEWAY', '192.168.1.254'], ['MTU', '9000'], ['DELAY', '0'], ['STP', 'off'], ['NM_CONTROLLED', 'no']]) {
    assert.is(getVar(br, k), v, k);
  }
  assert.ok(isIfcfgMigrated(parseIfcfg(nicAfter, 'n'), br, m));
  assert.not.ok(isIfcfgMigrated(nic, undefined, m));
});

test('comments inside the NIC\'s stanza are kept, each beside the line it explains (address → bridge, ethtool → NIC)', () => {
  const text = [
    'auto eth0',
    'iface eth0 inet static',
    '    # the office LAN, static since 2019',
    '    address 192.168.1.10',
    '    netmask 255.255.255.0',
    '    # the switch port is forced to 1G',
    '    up ethtool -s eth0 speed 1000 duplex full',
    '    # ask Ana before changing the gateway',
    '    gateway 192.168.1.1',
    '    # end of eth0',
    '',
  ].join('\n');
  const out = renderInterfacesMigration(parseInterfaces(text, '/etc/network/interfaces'), m).split('\n');
  for (const c of ['# the office LAN, static since 2019', '# the switch port is forced to 1G', '# ask Ana before changing the gateway', '# end of eth0']) {
    assert.is(out.filter((l) => l.trim() === c).length, 1, `${c} kept once:\n${out.join('\n')}`);
  }
  const at = (needle: string) => out.findIndex((l) => l.trim() === needle);
  const bridge = at('iface xenbr0 inet static');
  assert.ok(at('iface eth0 inet manual') < at('# the switch port is forced to 1G') && at('# the switch port is forced to 1G') < bridge, 'the ethtool comment stays with the NIC');
  assert.is(at('# the switch port is forced to 1G') + 1, at('up ethtool -s eth0 speed 1000 duplex full'));
  assert.is(at('# the office LAN, static since 2019') + 1, at('address 192.168.1.10'));
  assert.ok(at('# the office LAN, static since 2019') > bridge, 'the address comment moves with the address');
  assert.is(at('# ask Ana before changing the gateway') + 1, at('gateway 192.168.1.1'));
});

test.run();
