// Faithful or refused (issue 12, deliverable 6): each interfaces(5) / ifcfg construct that bears on
// the addressing of the NIC a bridge takes over is either carried (table "carried": what the edited
// file must say) or refused with exit 2's InputError naming the file and the line (table "refused").
// The real ifupdown judges the carried ifupdown cases again in test/oracle/equivalence.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ifupdown } from '../../src/backends/ifupdown.js';
import { ifcfg } from '../../src/backends/ifcfg.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';
import { InputError } from '../../src/errors.js';
import type { ReadFile } from '../../src/model/plan.js';
import type { PortedBridge } from '../../src/model/topology.js';

const bridge: PortedBridge = { name: 'xenbr0', nic: 'eth0', stp: false, forwardDelay: 0, antispoof: true };
const MAIN = '/etc/network/interfaces';
const DIR = '/etc/sysconfig/network-scripts';

const readerOf = (files: Record<string, string>): ReadFile => (p) => (p in files ? { text: files[p], mode: '0644' } : null);

function ifupdownEdit(files: Record<string, string>, defaultRouteNic: string | null = 'eth0'): string {
  const interfaces = Object.entries(files).map(([file, text]) => parseInterfaces(text, file));
  return ifupdown.portedBridge(bridge, { read: readerOf(files), interfaces, defaultRouteNic }).files[0].after!;
}

function ifcfgEdit(files: Record<string, string>, defaultRouteNic: string | null = 'eth0') {
  const list = (dir: string) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1));
  return ifcfg.portedBridge(bridge, { read: readerOf(files), interfaces: [], defaultRouteNic, list }).files;
}

function refused(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected a refusal (InputError, exit 2), got an edit');
}

const STATIC = 'auto eth0\niface eth0 inet static\n    address 192.0.2.10/24\n    gateway 192.0.2.1\n';

// construct → edited text must contain / must not contain
const carried: Array<[string, Record<string, string>, RegExp[], RegExp[]]> = [
  ['inet static', { [MAIN]: STATIC }, [/iface xenbr0 inet static\n    address 192.0.2.10\/24\n    gateway 192.0.2.1/, /iface eth0 inet manual/], []],
  ['inet dhcp', { [MAIN]: 'auto eth0\niface eth0 inet dhcp\n' }, [/iface xenbr0 inet dhcp/], []],
  ['inet6 static', { [MAIN]: STATIC + 'iface eth0 inet6 static\n    address 2001:db8::10/64\n    gateway 2001:db8::1\n' }, [/iface xenbr0 inet6 static\n    address 2001:db8::10\/64\n    gateway 2001:db8::1/, /iface eth0 inet6 manual/], []],
  ['inet6 auto', { [MAIN]: STATIC + 'iface eth0 inet6 auto\n    privext 2\n' }, [/iface xenbr0 inet6 auto\n    privext 2/], []],
  ['inet6 dhcp', { [MAIN]: STATIC + 'iface eth0 inet6 dhcp\n' }, [/iface xenbr0 inet6 dhcp/], []],
  ['mtu (port and bridge)', { [MAIN]: STATIC + '    mtu 9000\n' }, [/iface eth0 inet manual\n    mtu 9000/, /iface xenbr0 inet static[^]*mtu 9000/], []],
  ['hwaddress (stays on the port: the bridge takes its only port\'s MAC)', { [MAIN]: STATIC + '    hwaddress ether 02:00:00:00:00:01\n' }, [/iface eth0 inet manual\n    hwaddress ether 02:00:00:00:00:01/], []],
  ['hooks with $IFACE move with the addressing', { [MAIN]: STATIC + '    up ip route add 10.0.0.0/8 via 192.0.2.254 dev $IFACE\n' }, [/iface xenbr0[^]*up ip route add 10.0.0.0\/8 via 192.0.2.254 dev \$IFACE/], []],
  ['link hooks (ethtool) stay on the port', { [MAIN]: STATIC + '    post-up ethtool -K eth0 tso off\n' }, [/iface eth0 inet manual\n    post-up ethtool -K eth0 tso off/], []],
  ['alias eth0:1 renamed onto the bridge, after it', { [MAIN]: STATIC + '\nauto eth0:1\niface eth0:1 inet static\n    address 192.0.2.11/24\n' }, [/bridge_maxwait 0\n\nauto xenbr0:1\niface xenbr0:1 inet static\n    address 192.0.2.11\/24/], [/eth0:1/]],
  ['alias on a shared auto line', { [MAIN]: 'auto eth0 eth0:0\niface eth0 inet static\n    address 192.0.2.10/24\niface eth0:0 inet static\n    address 192.0.2.12/24\n' }, [/^auto eth0\n/, /auto xenbr0:0\niface xenbr0:0 inet static/], [/eth0:0/]],
  ['manual NIC without the default route', { [MAIN]: 'auto eth0\niface eth0 inet manual\n' }, [/iface xenbr0 inet manual/], []],
  ['NIC stanza in a sourced file (source-directory)', { [MAIN]: 'source-directory /etc/network/interfaces.d\n', '/etc/network/interfaces.d/eth0': STATIC }, [/iface xenbr0 inet static/], []],
];

for (const [name, files, must, mustNot] of carried) {
  test(`ifupdown carries: ${name}`, () => {
    const after = ifupdownEdit(files, name.startsWith('manual') ? null : 'eth0');
    for (const re of must) assert.match(after, re);
    for (const re of mustNot) assert.not.match(after, re);
    assert.is(after.match(/^iface xenbr0 inet /gm)?.length, 1, 'one bridge stanza per family, never duplicated');
  });
}

test('ifupdown: a second run on the edited file writes nothing (no duplicated stanzas)', () => {
  const after = ifupdownEdit({ [MAIN]: STATIC + '\nauto eth0:1\niface eth0:1 inet static\n    address 192.0.2.11/24\n' });
  const again = ifupdown.portedBridge(bridge, { read: readerOf({ [MAIN]: after }), interfaces: [parseInterfaces(after, MAIN)], defaultRouteNic: 'xenbr0' });
  assert.equal(again.files, []);
});

// construct → message key and the line (1-based) it must name
const refusedIfupdown: Array<[string, Record<string, string>, string, number, string | null]> = [
  ['inherits', { [MAIN]: 'iface base inet static\n    mtu 9000\nauto eth0\niface eth0 inet static inherits base\n    address 192.0.2.10/24\n' }, 'error.ifupdownInherits', 4, 'base'],
  ['inherits (option form)', { [MAIN]: 'auto eth0\niface eth0 inet static\n    inherits base\n    address 192.0.2.10/24\n' }, 'error.ifupdownInherits', 3, 'eth0'],
  ['manual NIC with the default route', { [MAIN]: 'auto eth0\niface eth0 inet manual\n    up ip addr add 192.0.2.10/24 dev $IFACE\n' }, 'error.nicManualDefaultRoute', 2, 'eth0'],
  ['inet ppp', { [MAIN]: 'auto eth0\niface eth0 inet ppp\n    provider dsl\n' }, 'error.ifupdownMethodNotCarried', 2, 'eth0'],
  ['inet6 v4tunnel', { [MAIN]: STATIC + 'iface eth0 inet6 v4tunnel\n    endpoint 192.0.2.99\n' }, 'error.ifupdownMethodNotCarried', 5, 'eth0'],
  ['hook naming the NIC', { [MAIN]: STATIC + '    up ip route add 10.0.0.0/8 via 192.0.2.254 dev eth0\n' }, 'error.ifupdownHookNamesNic', 5, 'eth0'],
  ['bond slave (bond-master)', { [MAIN]: 'auto eth0\niface eth0 inet manual\n    bond-master bond0\n' }, 'error.nicBondSlaveConfig', 3, 'bond0'],
  ['bond slave (bond-slaves on the master)', { [MAIN]: STATIC + 'auto bond0\niface bond0 inet manual\n    bond-slaves eth0 eth1\n' }, 'error.nicBondSlaveConfig', 7, 'bond0'],
  ['port of another bridge', { [MAIN]: 'auto br1\niface br1 inet dhcp\n    bridge_ports eth0\n' + STATIC }, 'error.nicBridgePortConfig', 3, 'br1'],
  ['VLAN child eth0.10', { [MAIN]: STATIC + 'auto eth0.10\niface eth0.10 inet static\n    address 10.10.0.1/24\n' }, 'error.nicHasVlanChild', 6, 'eth0.10'],
  ['VLAN child by vlan-raw-device', { [MAIN]: STATIC + 'iface vlan10 inet manual\n    vlan-raw-device eth0\n' }, 'error.nicHasVlanChild', 5, 'vlan10'],
  ['the NIC is a VLAN device', { [MAIN]: 'auto eth0\niface eth0 inet static\n    address 10.10.0.1/24\n    vlan-raw-device eth9\n' }, 'error.nicIsVlanConfig', 4, 'eth0'],
  ['stanzas split over two files', { [MAIN]: STATIC + 'source /etc/network/v6\n', '/etc/network/v6': 'iface eth0 inet6 auto\n' }, 'error.nicStanzasSplit', 1, '/etc/network/interfaces'],
];

for (const [name, files, key, line, mention] of refusedIfupdown) {
  test(`ifupdown refuses: ${name}`, () => {
    const e = refused(() => ifupdownEdit(files));
    assert.is(e.key, key);
    assert.is(e.params.line, line);
    assert.ok(typeof e.params.file === 'string' && e.params.file.startsWith('/etc/network/'), String(e.params.file));
    if (mention) assert.ok(Object.values(e.params).some((v) => String(v).includes(mention)), JSON.stringify(e.params));
  });
}

const NIC = `${DIR}/ifcfg-eth0`;
const IFCFG_STATIC = 'DEVICE=eth0\nONBOOT=yes\nBOOTPROTO=static\nIPADDR=192.0.2.10\nPREFIX=24\nGATEWAY=192.0.2.1\n';

const carriedIfcfg: Array<[string, string, Record<string, string>, RegExp[]]> = [
  ['IPADDR1/PREFIX1 (secondary addresses)', IFCFG_STATIC + 'IPADDR1=192.0.2.11\nPREFIX1=24\n', {}, [/IPADDR1=192.0.2.11\nPREFIX1=24/]],
  ['IPV6INIT/IPV6ADDR/IPV6_AUTOCONF/DHCPV6C', IFCFG_STATIC + 'IPV6INIT=yes\nIPV6ADDR=2001:db8::10/64\nIPV6_AUTOCONF=no\nDHCPV6C=yes\n', {}, [/IPV6INIT=yes/, /IPV6ADDR=2001:db8::10\/64/, /IPV6_AUTOCONF=no/, /DHCPV6C=yes/]],
  ['DHCP_HOSTNAME/DHCP_FQDN', 'DEVICE=eth0\nBOOTPROTO=dhcp\nDHCP_HOSTNAME=dom0\nDHCP_FQDN=dom0.example.org\n', {}, [/DHCP_HOSTNAME=dom0/, /DHCP_FQDN=dom0.example.org/, /BOOTPROTO=dhcp/]],
  ['firewalld ZONE', IFCFG_STATIC + 'ZONE=internal\n', {}, [/ZONE=internal/]],
  ['MTU (port and bridge)', IFCFG_STATIC + 'MTU=9000\n', {}, [/MTU=9000/]],
  ['route-eth0 without a device name', IFCFG_STATIC, { [`${DIR}/route-eth0`]: '10.0.0.0/8 via 192.0.2.254\n' }, [/TYPE=Bridge/]],
];

for (const [name, text, extra, must] of carriedIfcfg) {
  test(`ifcfg carries: ${name}`, () => {
    const files = ifcfgEdit({ [NIC]: text, ...extra });
    const bridgeFile = files.find((f) => f.path === `${DIR}/ifcfg-xenbr0`)!.after!;
    const nicFile = files.find((f) => f.path === NIC)!.after!;
    for (const re of must) assert.match(bridgeFile, re);
    for (const key of ['IPADDR', 'IPV6', 'DHCP', 'ZONE']) assert.not.match(nicFile, new RegExp(`^${key}`, 'm'), `${key}… left on the port:\n${nicFile}`);
    if (extra[`${DIR}/route-eth0`]) {
      assert.is(files.find((f) => f.path === `${DIR}/route-eth0`)?.after, null);
      assert.is(files.find((f) => f.path === `${DIR}/route-xenbr0`)?.after, extra[`${DIR}/route-eth0`]);
    }
  });
}

const refusedIfcfg: Array<[string, string, Record<string, string>, string, number]> = [
  ['bond slave (MASTER=/SLAVE=yes)', 'DEVICE=eth0\nMASTER=bond0\nSLAVE=yes\n', {}, 'error.nicBondSlaveConfig', 2],
  ['VLAN device (VLAN=yes)', 'DEVICE=eth0\nVLAN=yes\nIPADDR=10.0.0.1\n', {}, 'error.nicIsVlanConfig', 2],
  ['port of another bridge', 'DEVICE=eth0\nBRIDGE=br1\n', {}, 'error.nicBridgePortConfig', 2],
  ['BOOTPROTO it cannot carry', 'DEVICE=eth0\nBOOTPROTO=ibft\n', {}, 'error.ifupdownMethodNotCarried', 2],
  ['no address yet the default route', 'DEVICE=eth0\nONBOOT=yes\nBOOTPROTO=none\n', {}, 'error.nicManualDefaultRoute', 3],
  ['route-eth0 naming the NIC', IFCFG_STATIC, { [`${DIR}/route-eth0`]: '# routes\n10.0.0.0/8 via 192.0.2.254 dev eth0\n' }, 'error.ifcfgRouteNamesNic', 2],
  ['VLAN child ifcfg-eth0.10', IFCFG_STATIC, { [`${DIR}/ifcfg-eth0.10`]: 'DEVICE=eth0.10\nVLAN=yes\n' }, 'error.nicHasVlanChild', 1],
  ['VLAN child by PHYSDEV=', IFCFG_STATIC, { [`${DIR}/ifcfg-vlan10`]: 'VLAN=yes\nVLAN_ID=10\nPHYSDEV=eth0\n' }, 'error.nicHasVlanChild', 3],
];

test('ifcfg carries: alias file ifcfg-eth0:0 becomes ifcfg-xenbr0:0 (ifup-aliases adds it to the device before the colon)', () => {
  const alias = '# alias\nDEVICE=eth0:0\nBOOTPROTO=none\nIPADDR=192.0.2.11\nNETMASK=255.255.255.0\nONBOOT=yes\n';
  const files = ifcfgEdit({ [NIC]: IFCFG_STATIC, [`${DIR}/ifcfg-eth0:0`]: alias });
  assert.is(files.find((f) => f.path === `${DIR}/ifcfg-eth0:0`)?.after, null);
  assert.is(files.find((f) => f.path === `${DIR}/ifcfg-xenbr0:0`)?.after, alias.replace('DEVICE=eth0:0', 'DEVICE=xenbr0:0'));
  const taken = refused(() => ifcfgEdit({ [NIC]: IFCFG_STATIC, [`${DIR}/ifcfg-eth0:0`]: alias, [`${DIR}/ifcfg-xenbr0:0`]: alias }));
  assert.is(taken.key, 'error.ifcfgMoveTargetExists');
});

for (const [name, text, extra, key, line] of refusedIfcfg) {
  test(`ifcfg refuses: ${name}`, () => {
    const e = refused(() => ifcfgEdit({ [NIC]: text, ...extra }));
    assert.is(e.key, key);
    assert.is(e.params.line, line);
    assert.ok(String(e.params.file).startsWith(DIR), String(e.params.file));
  });
}

test.run();
