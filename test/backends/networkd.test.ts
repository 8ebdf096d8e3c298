// systemd-networkd backend: which .network networkd applies to the NIC (precedence of /etc, /run,
// /usr/lib; first matching name wins), what moves to the bridge's .network, what stays, the names
// our files get so networkd reads them first, and what is refused (exit 2) rather than guessed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { networkd } from '../../src/backends/networkd.js';
import { globMatch, unitMatches } from '../../src/parse/networkdMatch.js';
import { parseIni } from '../../src/parse/iniFile.js';
import { InputError } from '../../src/errors.js';
import type { PortedBridge } from '../../src/model/topology.js';
import { memoryFiles } from '../_helpers/unitRoot.js';

const bridge: PortedBridge = { name: 'xenbr0', nic: 'enp1s0', stp: false, forwardDelay: 0, antispoof: true };
const MAC = '52:54:00:a1:00:01';
const E = '/etc/systemd/network';
// Arch wiki, systemd-networkd: "Wired adapter using a static IP" and "using DHCP".
const ARCH_STATIC = '[Match]\nName=enp1s0\n\n[Network]\nAddress=10.1.10.9/24\nGateway=10.1.10.1\nDNS=10.1.10.1\n';
const ARCH_DHCP_GLOB = '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n';

const render = (files: Record<string, string>) => networkd.portedBridge(bridge, memoryFiles(files, { enp1s0: MAC }));
const after = (r: ReturnType<typeof render>, p: string) => r.files.find((f) => f.path === p)?.after;
const refusal = (files: Record<string, string>): InputError => {
  try {
    render(files);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('not refused');
};

test('static, the NIC named alone in /etc: edited in place to Bridge=, the addressing on the bridge', () => {
  const r = render({ [`${E}/20-wired.network`]: ARCH_STATIC });
  assert.is(after(r, `${E}/20-wired.network`), '[Match]\nName=enp1s0\n\n[Network]\nBridge=xenbr0\n');
  assert.match(after(r, `${E}/10-xen-net-wizard-xenbr0.network`)!, /\[Match\]\nName=xenbr0\n\n\[Network\]\nAddress=10\.1\.10\.9\/24\nGateway=10\.1\.10\.1\nDNS=10\.1\.10\.1\n\n\[Network\]\nKeepConfiguration=static\n$/);
  const netdev = after(r, `${E}/10-xen-net-wizard-xenbr0.netdev`)!;
  assert.match(netdev, /\[NetDev\]\nName=xenbr0\nKind=bridge\n\n\[Bridge\]\nSTP=no\nForwardDelaySec=0\n/);
  assert.not.match(netdev, /MACAddress/, 'static: no MAC pinned');
  assert.equal(r.commands.map((c) => c.argv), [['networkctl', 'reload'], ['networkctl', 'reconfigure', 'enp1s0']]);
  assert.ok(r.commands.every((c) => c.rerunOnRollback), 'rerun after the files are restored');
  assert.equal(r.commands[1].undo, ['networkctl', 'delete', 'xenbr0']);
});

test('KeepConfiguration=static on the bridge taking the addressing, once: networkd keeps the address it did not set (a live move\'s) instead of dropping and re-adding it', () => {
  const r = render({ [`${E}/20-wired.network`]: ARCH_STATIC });
  assert.is(after(r, `${E}/10-xen-net-wizard-xenbr0.network`)!.match(/KeepConfiguration=/g)?.length, 1);
  assert.not.match(after(r, `${E}/20-wired.network`)!, /KeepConfiguration/, 'not on the port');
  const own = render({ [`${E}/20-wired.network`]: ARCH_STATIC.replace('DNS=', 'KeepConfiguration=yes\nDNS=') });
  assert.equal(after(own, `${E}/10-xen-net-wizard-xenbr0.network`)!.match(/KeepConfiguration=\S+/g), ['KeepConfiguration=yes'], 'the admin\'s own setting moves, none added');
});

test('the live hand-over: networkctl reload alone (it reconfigures only the links whose .network changed), rerun after the files are restored', () => {
  const cmds = networkd.liveHandOver!({ nic: 'enp1s0', bridge: 'xenbr0' }, memoryFiles({}));
  assert.equal(cmds.map((c) => c.argv), [['networkctl', 'reload']]);
  assert.ok(cmds.every((c) => c.phase === 'after-edit' && c.rerunOnRollback && !c.undo), 'no undo of its own: the files restored and the batch inverse put everything back');
});

test('DHCP through a glob (Name=en*): the file keeps serving other NICs; a new file for this NIC sorts first; the MAC pinned', () => {
  const r = render({ [`${E}/20-wired.network`]: ARCH_DHCP_GLOB });
  assert.not.ok(r.files.some((f) => f.path === `${E}/20-wired.network`), 'the glob file is untouched');
  const port = after(r, `${E}/10-xen-net-wizard-enp1s0.network`)!;
  assert.match(port, /\[Match\]\nName=enp1s0\n\n\[Network\]\nBridge=xenbr0\n$/);
  assert.match(after(r, `${E}/10-xen-net-wizard-xenbr0.network`)!, /\[Network\]\nDHCP=yes\n\n\[Network\]\nKeepConfiguration=static\n$/);
  assert.match(after(r, `${E}/10-xen-net-wizard-xenbr0.netdev`)!, new RegExp(`Kind=bridge\\nMACAddress=${MAC}\\n`));
});

test('a vendor file (/usr/lib) is never edited, and /etc masks /usr/lib by name', () => {
  const vendor = { '/usr/lib/systemd/network/89-ethernet.network': '[Match]\nType=ether\n\n[Network]\nDHCP=yes\n' };
  const r = render(vendor);
  assert.ok(r.files.every((f) => f.path.startsWith(`${E}/`)));
  assert.match(after(r, `${E}/10-xen-net-wizard-enp1s0.network`)!, /Name=enp1s0/);
  const masked = refusal({ ...vendor, [`${E}/89-ethernet.network`]: '' });
  assert.is(masked.key, 'error.networkdNoNetwork');
});

test('routes, IPv6 and MTU: [Route] and every address move; the MTU is on both; [Link] stays with the port', () => {
  const text = '# uplink\n[Match]\nName=enp1s0\n\n[Link]\nMTUBytes=9000\n\n[Network]\nAddress=10.1.10.9/24\nAddress=2001:db8::9/64\nVLAN=vlan10\n\n[Route]\nDestination=10.2.0.0/16\nGateway=10.1.10.254\n\n[Network]\nDNS=10.1.10.1\n';
  const r = render({ [`${E}/20-wired.network`]: text });
  const port = after(r, `${E}/20-wired.network`)!;
  assert.is(port, '# uplink\n[Match]\nName=enp1s0\n\n[Link]\nMTUBytes=9000\n\n[Network]\nBridge=xenbr0\nVLAN=vlan10\n\n[Network]\n');
  const br = after(r, `${E}/10-xen-net-wizard-xenbr0.network`)!;
  assert.match(br, /\[Network\]\nAddress=10\.1\.10\.9\/24\nAddress=2001:db8::9\/64\n\n\[Route\]\nDestination=10\.2\.0\.0\/16\nGateway=10\.1\.10\.254\n\n\[Network\]\nDNS=10\.1\.10\.1\n\n\[Network\]\nKeepConfiguration=static\n\n\[Link\]\nMTUBytes=9000\n$/);
});

test('names sort before a catch-all file that would match the bridge too', () => {
  const r = render({ [`${E}/05-all.network`]: '[Match]\nName=*\n\n[Network]\nDHCP=yes\n' });
  assert.ok(r.files.some((f) => f.path === `${E}/00-xen-net-wizard-xenbr0.network`), r.files.map((f) => f.path).join(' '));
  assert.ok(r.files.some((f) => f.path === `${E}/00-xen-net-wizard-enp1s0.network`));
});

test('already a port of the bridge with its netdev: nothing to do', () => {
  const r = render({ [`${E}/20-wired.network`]: ARCH_STATIC });
  const applied = Object.fromEntries(r.files.map((f) => [f.path, f.after!]));
  assert.equal(render(applied).files, []);
});

test('refused: a port of another bridge, a netdev of that name, a match on Path=, no matching file', () => {
  assert.is(refusal({ [`${E}/20-wired.network`]: '[Match]\nName=enp1s0\n\n[Network]\nBond=bond0\n' }).key, 'error.networkdNicEnslaved');
  assert.is(refusal({ [`${E}/20-wired.network`]: ARCH_STATIC, [`${E}/30-br.netdev`]: '[NetDev]\nName=xenbr0\nKind=bond\n' }).key, 'error.networkdBridgeDefined');
  const path = refusal({ [`${E}/20-wired.network`]: '[Match]\nPath=pci-0000:01:00.0\n\n[Network]\nDHCP=yes\n' });
  assert.equal([path.key, path.params.key], ['error.networkdMatchUndecidable', 'Path']);
  assert.is(refusal({ [`${E}/20-wired.network`]: '[Match]\nName=eth9\n\n[Network]\nDHCP=yes\n' }).key, 'error.networkdNoNetwork');
});

test('[Match]: a decidable condition the link fails rules the unit out, whatever an undecidable one says (the manager lab\'s bond boot)', () => {
  // Debian 12's systemd ships /usr/lib/systemd/network/80-container-host0.network: Virtualization= first, then Name=host0.
  const host0 = { ini: parseIni('[Match]\nVirtualization=container\nName=host0\n\n[Network]\nDHCP=yes\n', 'host0.network') };
  assert.is(unitMatches(host0, { name: 'eth1', type: 'ether', mac: null }), false);
  assert.is(unitMatches(host0, { name: 'host0', type: 'ether', mac: null }), 'Virtualization', 'the name fits: undecidable, refused');
  assert.is(unitMatches({ ini: parseIni('[Match]\nName=eth1\n\n[Match]\nDriver=virtio_net\n', 'x.network') }, { name: 'eth1', type: 'ether', mac: null }), 'Driver');
});

test('[Match] Name= globs as fnmatch reads them', () => {
  for (const [pattern, name, expected] of [['en*', 'enp1s0', true], ['en*', 'eth0', false], ['eth[0-2]', 'eth1', true], ['eth[!0]', 'eth0', false], ['e?h0', 'eth0', true], ['vif*.0', 'vif1.0', true]] as const) {
    assert.is(globMatch(pattern, name), expected, `${pattern} ~ ${name}`);
  }
});

test('internal bridge (no port): a .netdev with its MAC and a .network up without carrier', () => {
  const r = networkd.internalBridge({ bridge: { name: 'xenbr1', nic: null, stp: false, forwardDelay: 0, antispoof: false, address: { ip: '10.0.0.1', prefix: 24 } }, mac: '00:16:3e:00:00:01' }, memoryFiles({}));
  assert.match(after(r as ReturnType<typeof render>, `${E}/10-xen-net-wizard-xenbr1.netdev`)!, /MACAddress=00:16:3e:00:00:01/);
  assert.match(after(r as ReturnType<typeof render>, `${E}/10-xen-net-wizard-xenbr1.network`)!, /Address=10\.0\.0\.1\/24\nConfigureWithoutCarrier=yes/);
});

test('bond-bridge: slaves Bond=, the bond Bridge= of the main bridge, which takes the addressed slave\'s addressing; the back bridge its NIC\'s', () => {
  const bond = { name: 'bond0', slaves: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 };
  const main: PortedBridge = { name: 'xenbr0', nic: 'bond0', stp: false, forwardDelay: 0, antispoof: true };
  const back: PortedBridge = { name: 'xenbr1', nic: 'eth2', stp: false, forwardDelay: 0, antispoof: true };
  const files = {
    [`${E}/20-eth0.network`]: '[Match]\nName=eth0\n\n[Network]\nAddress=192.168.1.20/24\nGateway=192.168.1.254\n',
    [`${E}/20-eth2.network`]: '[Match]\nName=eth2\n\n[Network]\nAddress=192.168.0.3/24\n',
  };
  const r = networkd.bondBridges(bond, main, back, memoryFiles(files));
  const get = (p: string) => r.files.find((f) => f.path === p)?.after;
  assert.is(get(`${E}/20-eth0.network`), '[Match]\nName=eth0\n\n[Network]\nBond=bond0\n');
  assert.match(get(`${E}/10-xen-net-wizard-eth1.network`)!, /\[Match\]\nName=eth1\n\n\[Network\]\nBond=bond0\n$/);
  assert.match(get(`${E}/10-xen-net-wizard-bond0.netdev`)!, /Kind=bond\n\n\[Bond\]\nMode=active-backup\nMIIMonitorSec=100ms\n/);
  assert.match(get(`${E}/10-xen-net-wizard-bond0.network`)!, /Name=bond0\n\n\[Network\]\nBridge=xenbr0\n$/);
  assert.match(get(`${E}/10-xen-net-wizard-xenbr0.network`)!, /Name=xenbr0\n\n\[Network\]\nAddress=192\.168\.1\.20\/24\nGateway=192\.168\.1\.254\n\n\[Network\]\nKeepConfiguration=static\n$/);
  assert.match(get(`${E}/10-xen-net-wizard-xenbr1.network`)!, /Name=xenbr1\n\n\[Network\]\nAddress=192\.168\.0\.3\/24\n\n\[Network\]\nKeepConfiguration=static\n$/);
  assert.is(get(`${E}/20-eth2.network`), '[Match]\nName=eth2\n\n[Network]\nBridge=xenbr1\n');
  assert.equal(r.commands[1].argv, ['networkctl', 'reconfigure', 'eth0', 'eth1', 'eth2']);
  assert.equal(r.commands[1].undo, ['networkctl', 'delete', 'bond0', 'xenbr0', 'xenbr1']);
  const applied = { ...files, ...Object.fromEntries(r.files.map((f) => [f.path, f.after!])) };
  assert.equal(networkd.bondBridges(bond, main, back, memoryFiles(applied)).files, [], 'second run: nothing to do');
  const both = { ...files, [`${E}/20-eth1.network`]: '[Match]\nName=eth1\n\n[Network]\nDHCP=yes\n' };
  assert.throws(() => networkd.bondBridges(bond, main, back, memoryFiles(both)), (e: unknown) => e instanceof InputError && e.key === 'error.bondSlaveAddressed');
});

test.run();
