// Interface names as the kernel takes them (IFNAMSIZ 16 with the NUL: 15 bytes at most), at the
// edges: the longest valid name is accepted by `plan`, one byte more is refused (exit 2), and
// every refusal says why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { validateIfaceName } from '../../src/recipes/shared/ifaceName.js';
import { InputError } from '../../src/errors.js';
import { copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';

const refusal = (name: string) => {
  try {
    validateIfaceName(name, 'wan.bridge');
    return null;
  } catch (err) {
    assert.instance(err, InputError);
    return (err as InputError).key;
  }
};

const rows: [string, string | null][] = [
  ['x', null], // the shortest
  ['xenbr0123456789', null], // 15 bytes: the longest the kernel takes
  ['br.lan_1-a', null],
  ['xenbr01234567890', 'error.ifaceNameLength'], // 16 bytes: the shortest too long
  ['', 'error.ifaceNameLength'],
  ['éééééééé', 'error.ifaceNameLength'], // 8 characters but 16 bytes: the kernel counts bytes
  ['ééééééé', 'error.ifaceNameChars'], // 14 bytes: short enough, but not a character every tool takes
  ['xen br0', 'error.ifaceNameChars'],
  ['xenbr0/1', 'error.ifaceNameChars'],
  ['.', 'error.ifaceNameChars'],
  ['..', 'error.ifaceNameChars'],
  ['-xenbr0', 'error.ifaceNameDash'],
];
for (const [name, key] of rows) {
  test(`${JSON.stringify(name)} (${Buffer.byteLength(name)} bytes) → ${key ?? 'accepted'}`, () => {
    assert.is(refusal(name), key);
  });
}

test('plan: a 15-byte bridge name is used as given, a 16-byte one is refused with exit 2 and the byte count', () => {
  const answers = (bridge: string) => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', 'wan.bridge': bridge });
  const ok = runCli(['plan', '--root', copyFixture('centos5'), '--answers', answers('xenbr0123456789'), '--json']);
  assert.is(ok.status, 0, ok.stderr);
  assert.ok(ok.stdout.includes('bridge=xenbr0123456789'), 'the guests move to the long bridge');
  const bad = runCli(['plan', '--root', copyFixture('centos5'), '--answers', answers('xenbr01234567890'), '--json']);
  assert.is(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /xenbr01234567890/);
  assert.match(bad.stderr, /16/);
});

test.run();
