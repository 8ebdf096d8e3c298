// Random bytes from /dev/urandom, node:crypto when it cannot be read (src/system/random.ts, issue 11).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { nodeCrypto, randomBytes } from '../../src/system/random.js';
import { tempDir } from '../_helpers/roots.js';

test('randomBytes: n bytes read from the device, in order', () => {
  const device = path.join(tempDir(), 'bytes');
  fs.writeFileSync(device, Buffer.from([0x00, 0x16, 0x3e, 0xaa, 0xbb, 0xcc, 0xdd]));
  assert.equal([...randomBytes(3, device)], [0x00, 0x16, 0x3e]);
  assert.equal([...randomBytes(7, device)], [0x00, 0x16, 0x3e, 0xaa, 0xbb, 0xcc, 0xdd]);
  assert.is(randomBytes(0, device).length, 0);
});

test('randomBytes: /dev/urandom by default — n bytes, not the same twice', () => {
  const a = randomBytes(32);
  const b = randomBytes(32);
  assert.ok(a instanceof Uint8Array);
  assert.is(a.length, 32);
  assert.not.equal([...a], [...b]);
});

test('randomBytes: /dev/urandom through a pool — 2,000 draws of 3 bytes (a plan\'s MACs) are fresh, and a draw larger than the pool is read whole', () => {
  const draws = Array.from({ length: 2000 }, () => Buffer.from(randomBytes(3)).toString('hex'));
  assert.ok(new Set(draws).size > 1990, 'at most a few repeats among 2,000 draws of 24 bits');
  assert.ok(draws.every((d) => d.length === 6));
  const big = randomBytes(10000);
  assert.is(big.length, 10000);
  assert.ok(new Set(big).size > 200, 'the bytes vary');
});

test('randomBytes: node:crypto when the device is missing or too short (a chroot without /dev)', () => {
  const short = path.join(tempDir(), 'short');
  fs.writeFileSync(short, Buffer.from([1, 2]));
  for (const device of ['/nonexistent/urandom', short]) {
    const got = randomBytes(16, device);
    assert.is(got.length, 16, device);
    assert.not.equal([...got.subarray(0, 2)], [1, 2], device); // not the short file's bytes (p = 2^-16)
  }
  assert.is(typeof nodeCrypto().createHash, 'function');
});

test.run();
