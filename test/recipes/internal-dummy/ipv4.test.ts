// internal.address parsing and the overlap check, as a table of input → result.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCidr, overlappingRoute } from '../../../src/recipes/ipv4.js';
import { InputError } from '../../../src/errors.js';
import type { HostFacts } from '../../../src/host.js';

const rows: [string, string | null][] = [
  ['192.168.200.1/24', '192.168.200.1/24'],
  [' 10.0.0.1/8 ', '10.0.0.1/8'],
  ['172.16.5.254/30', '172.16.5.254/30'],
  ['192.168.200.1', 'error.cidrMalformed'],
  ['192.168.200.1/31', 'error.cidrMalformed'],
  ['192.168.200.1/7', 'error.cidrMalformed'],
  ['192.168.256.1/24', 'error.cidrMalformed'],
  ['192.168.01.1/24', 'error.cidrMalformed'],
  ['192.168.200/24', 'error.cidrMalformed'],
  ['fe80::1/64', 'error.cidrMalformed'],
  ['192.168.200.0/24', 'error.cidrNotHost'],
  ['192.168.200.255/24', 'error.cidrNotHost'],
];

for (const [input, want] of rows) {
  test(`parseCidr(${JSON.stringify(input)}) → ${want}`, () => {
    try {
      const c = parseCidr(input, 'internal.address');
      assert.is(`${c.ip}/${c.prefix}`, want);
    } catch (err) {
      assert.instance(err, InputError);
      assert.is((err as InputError).key, want);
      assert.is((err as InputError).params.id, 'internal.address');
    }
  });
}

const host = {
  routes: [
    { dev: 'eth0', dst: '192.168.1.0/24', gateway: null },
    { dev: 'eth0', dst: '0.0.0.0/0', gateway: '192.168.1.254' },
    { dev: 'virbr0', dst: '192.168.122.0/24', gateway: null },
    { dev: 'tun0', dst: '10.8.0.1', gateway: null },
    { dev: 'xenbr1', dst: '192.168.200.0/24', gateway: null },
  ],
} as unknown as HostFacts;

const overlaps: [string, string | null][] = [
  ['192.168.200.1/24', null], // its own bridge's route (an applied host) is not a clash
  ['192.168.1.200/24', '192.168.1.0/24'],
  ['192.168.0.1/16', '192.168.1.0/24'], // a wider segment swallowing the LAN
  ['192.168.122.5/25', '192.168.122.0/24'],
  ['10.8.0.2/24', '10.8.0.1'], // a host route inside it
  ['172.16.0.1/24', null], // the default route overlaps everything and is skipped
];

for (const [input, want] of overlaps) {
  test(`overlappingRoute(${input}) → ${want}`, () => {
    const clash = overlappingRoute(host, parseCidr(input, 'internal.address'), ['xenbr1', 'dummy0']);
    assert.is(clash?.dst ?? null, want);
  });
}

test.run();
