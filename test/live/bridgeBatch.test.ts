// The live move as one `ip -batch` (recipe single-bridge --live), checked without root: the batch
// and its inverse run through a small model of what the kernel does with each line (a gateway must
// be reachable through an address on the device; deleting an address drops the routes that needed
// it; `ip -batch` stops at the first failing line). What the model ends with is what the user's
// dom0 would: guests' vifs in the new bridge, and after the undo exactly the state before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderBridgeBatch, dropVanishedLinks } from '../../src/live/bridgeBatch.js';
import type { LiveSnapshot } from '../../src/live/snapshot.js';
import { InputError } from '../../src/errors.js';

interface Link { kind: string; master: string | null; address?: string; up: boolean; addrs: string[] }
interface Model { links: Map<string, Link>; routes: Map<string, { via: string | null; dev: string; rest: string }> }

const ipv4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const inSubnet = (addr: string, cidr: string) => {
  const [net, bits] = cidr.split('/');
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  return ((ipv4(addr) & mask) >>> 0) === ((ipv4(net) & mask) >>> 0);
};

function modelOf(s: LiveSnapshot): Model {
  const links = new Map<string, Link>(s.links.map((l) => [l.ifname, {
    kind: l.linkinfo?.info_kind ?? 'ether', master: l.master ?? null, address: l.address, up: true,
    addrs: (l.addr_info ?? []).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`),
  }]));
  const routes = new Map(s.routes.filter((r) => r.protocol !== 'kernel').map((r) => [r.dst, { via: r.gateway ?? null, dev: r.dev!, rest: '' }]));
  return { links, routes };
}

/** Runs a batch line by line as the kernel would; throws at the first line that would fail. */
function runBatch(m: Model, batch: string): void {
  for (const line of batch.trim().split('\n')) {
    const w = line.split(' ');
    const need = (name: string) => m.links.get(name) ?? assert.unreachable(`${line}: no such device ${name}`) as never;
    if (line.startsWith('link add name ')) {
      if (m.links.has(w[3])) assert.unreachable(`${line}: exists`);
      const mac = w.indexOf('address');
      m.links.set(w[3], { kind: 'bridge', master: null, up: false, addrs: [], address: mac > 0 ? w[mac + 1] : undefined });
    } else if (/^link set dev \S+ up$/.test(line)) need(w[3]).up = true;
    else if (/^link set dev \S+ master \S+$/.test(line)) {
      if (need(w[5]).kind !== 'bridge') assert.unreachable(`${line}: not a bridge`);
      need(w[3]).master = w[5];
    } else if (/^link set dev \S+ nomaster$/.test(line)) need(w[3]).master = null;
    else if (/^link del \S+$/.test(line)) {
      need(w[2]);
      for (const l of m.links.values()) if (l.master === w[2]) l.master = null;
      m.links.delete(w[2]);
      for (const [dst, r] of m.routes) if (r.dev === w[2]) m.routes.delete(dst);
    } else if (line.startsWith('address add ')) {
      const dev = need(w[w.indexOf('dev') + 1]);
      if (dev.addrs.includes(w[2])) assert.unreachable(`${line}: RTNETLINK answers: File exists`);
      dev.addrs.push(w[2]);
    } else if (line.startsWith('address replace ')) {
      const dev = need(w[w.indexOf('dev') + 1]);
      if (!dev.addrs.includes(w[2])) dev.addrs.push(w[2]);
    }
    else if (line.startsWith('address del ')) {
      const dev = need(w[4]);
      if (!dev.addrs.includes(w[2])) assert.unreachable(`${line}: no such address`);
      dev.addrs = dev.addrs.filter((a) => a !== w[2]);
      // The kernel drops the routes whose gateway is no longer reachable through that device.
      for (const [dst, r] of m.routes) if (r.dev === w[4] && r.via && !dev.addrs.some((a) => inSubnet(r.via!, a))) m.routes.delete(dst);
    } else if (line.startsWith('route replace ')) {
      const via = w.includes('via') ? w[w.indexOf('via') + 1] : null;
      const dev = w[w.indexOf('dev') + 1];
      if (via && !need(dev).addrs.some((a) => inSubnet(via, a))) assert.unreachable(`${line}: Nexthop has invalid gateway`);
      m.routes.set(w[2], { via, dev, rest: w.slice(w.indexOf('dev') + 2).join(' ') });
    } else assert.unreachable(`the model does not know: ${line}`);
  }
}

const state = (m: Model) => ({
  links: [...m.links].map(([n, l]) => `${n} master=${l.master ?? '-'} ${[...l.addrs].sort().join(',')}`).sort(),
  routes: [...m.routes].map(([d, r]) => `${d} via ${r.via ?? '-'} dev ${r.dev}`).sort(),
});

/** dom0: eth0 with 192.168.1.10/24 and the default route; two running guests, one already in a bridge. */
const dom0: LiveSnapshot = {
  links: [
    { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
    { ifname: 'eth0', address: '52:54:00:12:34:56', mtu: 9000, addr_info: [
      { family: 'inet', local: '192.168.1.10', prefixlen: 24, broadcast: '192.168.1.255', scope: 'global' },
      { family: 'inet6', local: 'fe80::5054:ff:fe12:3456', prefixlen: 64, scope: 'link' },
      { family: 'inet', local: '192.168.1.77', prefixlen: 24, scope: 'global', dynamic: true },
    ] },
    { ifname: 'virbr0', linkinfo: { info_kind: 'bridge' }, addr_info: [{ family: 'inet', local: '192.168.122.1', prefixlen: 24, scope: 'global' }] },
    { ifname: 'vif1.0', master: 'virbr0', linkinfo: { info_kind: 'vif' } },
    { ifname: 'vif2.0', linkinfo: { info_kind: 'vif' } },
  ],
  routes: [
    { dst: 'default', gateway: '192.168.1.1', dev: 'eth0', protocol: 'static', metric: 100 },
    { dst: '10.9.0.0/16', gateway: '192.168.1.254', dev: 'eth0', protocol: 'boot' },
    { dst: '192.168.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.168.1.10' },
    { dst: '192.168.122.0/24', dev: 'virbr0', protocol: 'kernel', scope: 'link' },
    { dst: '192.168.1.10', dev: 'eth0', type: 'local', protocol: 'kernel' },
    { dst: '10.8.0.0/16', dev: 'eth0', protocol: 'static', scope: 'link', prefsrc: '192.168.1.10' },
    { dst: '198.51.100.7', dev: 'eth0', type: 'local', protocol: 'boot' },
    { dst: '10.7.0.0/16', gateway: '192.168.122.5', dev: 'virbr0', protocol: 'static' },
  ],
};
const move = { nic: 'eth0', bridge: 'xenbr0', vifs: ['vif1.0', 'vif2.0'] };

test('forward: the bridge takes the NIC\'s MAC and MTU, the NIC and every running guest\'s vif get master xenbr0, address and routes move', () => {
  const { forward } = renderBridgeBatch(dom0, move);
  const m = modelOf(dom0);
  runBatch(m, forward);
  assert.is(m.links.get('xenbr0')!.address, '52:54:00:12:34:56');
  assert.match(forward, /^link add name xenbr0 address 52:54:00:12:34:56 mtu 9000 type bridge stp_state 0 forward_delay 0$/m);
  for (const port of ['eth0', 'vif1.0', 'vif2.0']) assert.is(m.links.get(port)!.master, 'xenbr0', port);
  assert.ok(m.links.get('xenbr0')!.up);
  assert.equal(m.links.get('xenbr0')!.addrs, ['192.168.1.10/24'], 'the static address, not the DHCP or link-local one');
  assert.equal(m.links.get('eth0')!.addrs, ['192.168.1.77/24'], 'a DHCP lease is left to its client');
  assert.equal(m.routes.get('default'), { via: '192.168.1.1', dev: 'xenbr0', rest: 'proto static metric 100' });
  assert.equal(m.routes.get('10.9.0.0/16'), { via: '192.168.1.254', dev: 'xenbr0', rest: '' }, 'proto boot is the default: not repeated');
  assert.is(m.links.get('virbr0')!.master, null, 'the old bridge itself is untouched');
});

test('the exact batch and its inverse for a NIC with a MAC, an MTU, a static address, a DHCP lease and four kinds of route', () => {
  const { forward, inverse } = renderBridgeBatch(dom0, move);
  assert.is(forward, [
    'link add name xenbr0 address 52:54:00:12:34:56 mtu 9000 type bridge stp_state 0 forward_delay 0',
    'link set dev xenbr0 up',
    'link set dev eth0 master xenbr0',
    'address add 192.168.1.10/24 brd 192.168.1.255 dev xenbr0',
    'route replace default via 192.168.1.1 dev xenbr0 proto static metric 100',
    'route replace 10.9.0.0/16 via 192.168.1.254 dev xenbr0',
    'route replace 10.8.0.0/16 dev xenbr0 proto static scope link src 192.168.1.10',
    'address del 192.168.1.10/24 dev eth0',
    'link set dev vif1.0 master xenbr0',
    'link set dev vif2.0 master xenbr0',
  ].join('\n') + '\n');
  assert.is(inverse, [
    'link set dev vif1.0 master virbr0',
    'link set dev vif2.0 nomaster',
    'address replace 192.168.1.10/24 brd 192.168.1.255 dev eth0',
    'route replace default via 192.168.1.1 dev eth0 proto static metric 100',
    'route replace 10.9.0.0/16 via 192.168.1.254 dev eth0',
    'route replace 10.8.0.0/16 dev eth0 proto static scope link src 192.168.1.10',
    'link set dev eth0 nomaster',
    'link del xenbr0',
  ].join('\n') + '\n');
});

test('a NIC with no MAC, MTU or address reported: a bare bridge, no address or route lines', () => {
  const bare: LiveSnapshot = { links: [{ ifname: 'eth1' }], routes: [{ dst: '10.0.0.0/8', dev: 'eth1', protocol: 'static', scope: 'global' }] };
  const { forward, inverse } = renderBridgeBatch(bare, { nic: 'eth1', bridge: 'br1', vifs: [] });
  assert.is(forward, 'link add name br1 type bridge stp_state 0 forward_delay 0\nlink set dev br1 up\nlink set dev eth1 master br1\nroute replace 10.0.0.0/8 dev br1 proto static\n');
  assert.is(inverse, 'route replace 10.0.0.0/8 dev eth1 proto static\nlink set dev eth1 nomaster\nlink del br1\n');
});

test('an address reported without a broadcast moves without one', () => {
  const nic: LiveSnapshot = { links: [{ ifname: 'eth1', addr_info: [{ family: 'inet', local: '10.1.2.3', prefixlen: 32, scope: 'global' }] }], routes: [] };
  const { forward, inverse } = renderBridgeBatch(nic, { nic: 'eth1', bridge: 'br1', vifs: [] });
  assert.ok(forward.includes('\naddress add 10.1.2.3/32 dev br1\naddress del 10.1.2.3/32 dev eth1\n'), forward);
  assert.ok(inverse.startsWith('address replace 10.1.2.3/32 dev eth1\n'), inverse);
});

test('forward order: address on the bridge before the routes, routes before the NIC loses its address, vifs last', () => {
  const lines = renderBridgeBatch(dom0, move).forward.trim().split('\n');
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  assert.is(at(/^link add name xenbr0/), 0);
  assert.ok(at(/^link set dev xenbr0 up$/) < at(/^link set dev eth0 master xenbr0$/));
  assert.ok(at(/^address add 192\.168\.1\.10\/24 brd 192\.168\.1\.255 dev xenbr0$/) < at(/^route replace default/));
  assert.ok(at(/^route replace 10\.9\.0\.0\/16/) < at(/^address del 192\.168\.1\.10\/24 dev eth0$/));
  assert.equal(lines.slice(-2), ['link set dev vif1.0 master xenbr0', 'link set dev vif2.0 master xenbr0']);
});

test('inverse: restores in reverse order — vifs to their old bridge (or none), address and routes back, NIC released, bridge deleted last', () => {
  const { forward, inverse } = renderBridgeBatch(dom0, move);
  const lines = inverse.trim().split('\n');
  assert.equal(lines.slice(0, 2), ['link set dev vif1.0 master virbr0', 'link set dev vif2.0 nomaster']);
  assert.ok(lines.indexOf('address replace 192.168.1.10/24 brd 192.168.1.255 dev eth0') < lines.findIndex((l) => l.startsWith('route replace default via 192.168.1.1 dev eth0')));
  assert.equal(lines.slice(-2), ['link set dev eth0 nomaster', 'link del xenbr0']);
  const m = modelOf(dom0);
  const original = state(m);
  runBatch(m, forward);
  runBatch(m, inverse);
  assert.equal(state(m), original, 'the undo returns every link, address and route');
});

test('without running guests: only the NIC moves, and the inverse still ends with the bridge', () => {
  const { forward, inverse } = renderBridgeBatch(dom0, { nic: 'eth0', bridge: 'xenbr0', vifs: [] });
  assert.not.match(forward, /vif/);
  const m = modelOf(dom0);
  const original = state(m);
  runBatch(m, forward);
  assert.is(m.links.get('vif1.0')!.master, 'virbr0');
  runBatch(m, inverse);
  assert.equal(state(m), original);
  assert.is(inverse.trim().split('\n').pop(), 'link del xenbr0');
});

test('refused before anything runs: an unknown NIC, an unknown vif, a bridge name taken by a link or an existing bridge', () => {
  const refusal = (f: () => unknown) => {
    try {
      f();
      return null;
    } catch (e) {
      return e instanceof InputError ? { key: e.key, ...e.params } : String(e);
    }
  };
  assert.equal(refusal(() => renderBridgeBatch(dom0, { ...move, nic: 'eth9' })), { key: 'error.nicNotFound', nic: 'eth9', known: 'lo, eth0, virbr0, vif1.0, vif2.0' });
  assert.equal(refusal(() => renderBridgeBatch(dom0, { ...move, vifs: ['vif7.0'] })), { key: 'error.vifNotFound', vif: 'vif7.0' });
  assert.equal(refusal(() => renderBridgeBatch(dom0, { ...move, bridge: 'vif2.0' })), { key: 'error.bridgeNameTaken', bridge: 'vif2.0' });
  assert.equal(refusal(() => renderBridgeBatch(dom0, { ...move, bridge: 'lo' })), { key: 'error.bridgeNameTaken', bridge: 'lo' }, 'a link ip reports without linkinfo');
  assert.equal(refusal(() => renderBridgeBatch(dom0, { ...move, bridge: 'virbr0' })), { key: 'error.bridgeExistsLive', bridge: 'virbr0', nic: 'eth0' });
});

test('undo later: a vif whose guest was destroyed is left out (ip -batch would stop there), the rest is kept in order', () => {
  const { inverse } = renderBridgeBatch(dom0, move);
  const { batch, dropped } = dropVanishedLinks(inverse, new Set(['lo', 'eth0', 'xenbr0', 'virbr0', 'vif2.0']));
  assert.equal(dropped, ['vif1.0']);
  assert.equal(batch.trim().split('\n'), inverse.trim().split('\n').filter((l) => !l.includes('vif1.0')));
  assert.equal(dropVanishedLinks(inverse, new Set(['eth0', 'xenbr0', 'virbr0', 'vif1.0', 'vif2.0'])).dropped, []);
  // Only whole re-attach lines go (trailing blanks allowed); a comment or a longer command stays.
  const other = ['# link set dev vif1.0 nomaster', 'link set dev vif1.0 master xenbr0 mtu 1500', 'link set dev vif1.0 nomaster  '].join('\n');
  assert.equal(dropVanishedLinks(other, new Set()), { batch: other.split('\n').slice(0, 2).join('\n'), dropped: ['vif1.0'] });
});

test('undo in a later boot (a power cut mid-apply): on the network the boot brought up from the old files, the inverse changes nothing and stops nowhere', () => {
  const { inverse } = renderBridgeBatch(dom0, move);
  const m = modelOf(dom0);
  const original = state(m);
  // The boot gave eth0 its address again and made no xenbr0: `address add` would stop the batch
  // ("File exists") and `link del xenbr0` ("Cannot find device").
  const { batch, dropped } = dropVanishedLinks(inverse, new Set(m.links.keys()));
  assert.equal(dropped, ['xenbr0']);
  runBatch(m, batch);
  assert.equal(state(m), original);
});

test.run();
