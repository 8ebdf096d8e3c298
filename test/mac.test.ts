// MACs: xenmacgen's job (seed 000 line 216) done with checks — range, uniqueness, validation.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { checkMac, generateMacs, normalizeMac } from '../src/mac.js';
import { InputError } from '../src/errors.js';

test('generated MACs are 00:16:3e with the 4th byte below 0x80, as libxl and xend draw them', () => {
  const macs = generateMacs(2000, new Set(), (n) => new Uint8Array(randomBytes(n)));
  assert.is(macs.length, 2000);
  assert.is(new Set(macs).size, 2000, 'unique within the output');
  for (const mac of macs) {
    assert.match(mac, /^00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2}$/);
  }
});

test('generated MACs avoid every MAC in use, even when the random source keeps proposing them', () => {
  // A source that proposes 00:16:3e:00:00:01 three times, then 00:16:3e:00:00:02.
  const proposals = [[0, 0, 1], [0, 0, 1], [0x80, 0, 1], [0, 0, 2]];
  let i = 0;
  const macs = generateMacs(1, new Set(['00:16:3e:00:00:01']), () => new Uint8Array(proposals[i++]));
  assert.equal(macs, ['00:16:3e:00:00:02']);
  assert.is(i, 4, 'the 0x80 proposal is masked to 0x00 and so also collides');
});

test('a saturated range is an error, not an endless loop', () => {
  assert.throws(() => generateMacs(1, new Set(['00:16:3e:00:00:00']), () => new Uint8Array([0, 0, 0])), (e: unknown) => (e as InputError).key === 'error.macExhausted');
});

const valid: [string, string, string[]][] = [
  ['00:16:3e:17:d4:87', '00:16:3e:17:d4:87', []],
  ['00:16:3E:17:D4:87', '00:16:3e:17:d4:87', []],
  ['00-16-3e-01-02-03', '00:16:3e:01:02:03', []],
  ['aa:00:00:00:00:11', 'aa:00:00:00:00:11', ['outsideXenRange']],
  ['a8:00:00:00:00:11', 'a8:00:00:00:00:11', ['outsideXenRange', 'notLocallyAdministered']],
];
for (const [input, mac, warnings] of valid) {
  test(`accepts ${input}`, () => {
    const r = checkMac(input);
    assert.is(r.mac, mac);
    assert.equal(r.warnings, warnings);
  });
}

const invalid: [string, string][] = [
  ['00:16:3e:17:d4', 'error.macMalformed'],
  ['00:16:3e:17:d4:87:00', 'error.macMalformed'],
  ['00:16:3e:17:d4:zz', 'error.macMalformed'],
  ['hello', 'error.macMalformed'],
  ['01:00:5e:00:00:01', 'error.macMulticast'],
  ['ab:00:00:00:00:00', 'error.macMulticast'],
  ['ff:ff:ff:ff:ff:ff', 'error.macMulticast'],
  ['00:00:00:00:00:00', 'error.macZero'],
];
for (const [input, key] of invalid) {
  test(`refuses ${input} (${key})`, () => {
    assert.throws(() => checkMac(input), (e: unknown) => e instanceof InputError && e.key === key);
  });
}

test('a MAC already in use is refused', () => {
  assert.throws(() => checkMac('00:16:3E:17:D4:87', new Set(['00:16:3e:17:d4:87'])), (e: unknown) => (e as InputError).key === 'error.macInUse');
});

test('normalizeMac pads and lower-cases', () => {
  assert.is(normalizeMac('0:16:3E:1:2:3'), '00:16:3e:01:02:03');
  assert.is(normalizeMac('00:16:3e:01:02'), null);
});

test.run();
