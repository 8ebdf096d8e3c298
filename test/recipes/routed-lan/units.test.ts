// routed-lan's pure parts as tables: rt_tables appends, defaults on the guide's two dom0
// generations, and which vifs each guest gets (address checks: internalNetwork.ts, internal-l2's tests).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderRtTables } from '../../../src/render/routing.js';
import { routedDefaults } from '../../../src/recipes/routed-lan/index.js';
import { planGuestVifs } from '../../../src/recipes/routed-lan/vifs.js';
import { TABLES } from '../../../src/recipes/routed-lan/layout.js';
import { InputError } from '../../../src/errors.js';
import type { HostFacts, Guest, Link } from '../../../src/model/host.js';

const file = (text: string | null) => (p: string) => (p === '/etc/iproute2/rt_tables' && text !== null ? { text, mode: '0644' } : null);
test('rt_tables: appended after the last line (a missing final newline added), present entries kept, clashes refused', () => {
  assert.is(renderRtTables(TABLES, file('255\tlocal\n254\tmain'))!.after, '255\tlocal\n254\tmain\n100    wanside\n101    lanside\n102    virside\n');
  assert.is(renderRtTables(TABLES, file('100 wanside\n'))!.after, '100 wanside\n101    lanside\n102    virside\n');
  assert.is(renderRtTables(TABLES, file('100 wanside\n101\tlanside\n102 virside\n')), null);
  assert.is(renderRtTables(TABLES, file(null))!.before, null);
  assert.throws(() => renderRtTables(TABLES, file('100 mytable\n')), (e: unknown) => e instanceof InputError && e.key === 'error.rtTableId');
  assert.throws(() => renderRtTables(TABLES, file('200 lanside\n')), (e: unknown) => e instanceof InputError && e.key === 'error.rtTableName');
});

const link = (name: string, extra: Partial<Link> = {}): Link => ({ name, mac: null, master: null, isBridge: false, ports: [], ...extra });
const host = (links: Link[], defaultRouteNic: string, guests: Guest[] = []): HostFacts => ({
  root: '/', profile: 'xend', backend: 'ifcfg', linkSource: 'sysfs', links, routes: [], defaultRouteNic, networkScript: 'network-bridge',
  libvirtNetworks: [{ name: 'default', path: '/x', bridge: 'virbr0', forwardMode: 'nat', autostart: true, autostartPath: '/y' }], guests, macsInUse: [],
});

test('defaults, CentOS 5 (Xen 3.0): xenbr0 over peth0, dom0 keeps eth0, eth1 is the LAN NIC (seed 000 lines 387, 455)', () => {
  const d = routedDefaults(host([link('eth0'), link('peth0', { master: 'xenbr0' }), link('eth1'), link('xenbr0', { isBridge: true, ports: ['peth0', 'vif0.0'] })], 'eth0'));
  assert.equal([d['wan.nic'], d['wan.bridge'], d['routed.nic'], d['routed.network'], d['routed.bridge']], ['eth0', 'xenbr0', 'eth1', 'virnet0', 'virbr0']);
});

test('defaults, Fedora 8 (Xen 3.2): the bridge is named eth0 like its NIC (seed 000 lines 387, 452)', () => {
  const d = routedDefaults(host([link('eth0', { isBridge: true, ports: ['peth0'] }), link('peth0', { master: 'eth0' }), link('eth1')], 'eth0'));
  assert.equal([d['wan.nic'], d['wan.bridge'], d['routed.nic']], ['eth0', 'eth0', 'eth1']);
});

const guest = (name: string, bridges: string[]): Guest => ({
  name, definitions: [{ kind: 'xm', path: `/etc/xen/${name}`, vifs: bridges.map((bridge, index) => ({ index, mac: `00:16:3e:00:00:0${index + 1}`, bridge, keys: {} })) }],
});
let seed = 0;
/** A deterministic byte source: a different draw each call. */
const random = (n: number) => new Uint8Array(n).map((_, i) => (++seed * 37 + i * 11) & 0x7f);

test('vifs: virbr0 vif → WAN + new LAN vif; no vif → two new; already laid out → nothing', () => {
  const h = host([], 'eth0', [guest('a', ['virbr0']), guest('b', []), guest('c', ['xenbr0', 'virbr0'])]);
  const { moves, lanIndex } = planGuestVifs(h, ['a', 'b', 'c'], 'xenbr0', 'virbr0', 'auto', random);
  assert.equal(moves.map((m) => `${m.guest}#${m.index} ${m.from ?? '+'}→${m.to}`), ['a#0 virbr0→xenbr0', 'b#0 +→xenbr0', 'a#1 +→virbr0', 'b#1 +→virbr0']);
  assert.equal(lanIndex, { a: 1, b: 1, c: 1 });
  assert.is(new Set(moves.filter((m) => m.add).map((m) => m.mac)).size, 3, 'each new vif its own MAC');
});

test('vifs: of a guest\'s virbr0 vifs the lowest by number moves to the WAN (vif 2, not vif 10)', () => {
  const bridges = Array.from({ length: 11 }, (_, i) => (i === 2 || i === 10 ? 'virbr0' : 'br9'));
  const many: Guest = { name: 'many', definitions: [{ kind: 'xm', path: '/etc/xen/many', vifs: bridges.map((bridge, index) => ({ index, mac: `00:16:3e:00:01:${index.toString(16).padStart(2, '0')}`, bridge, keys: {} })) }] };
  const { moves } = planGuestVifs(host([], 'eth0', [many]), ['many'], 'xenbr0', 'virbr0', 'auto', random);
  assert.equal(moves.filter((m) => !m.add).map((m) => `${m.index} ${m.from}→${m.to}`), ['2 virbr0→xenbr0']);
});

test.run();
