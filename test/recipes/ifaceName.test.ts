// Interface names as the kernel takes them (IFNAMSIZ 16 with the NUL: 15 bytes at most), at the
// edges, and every refusal says why. The same edges through `plan`: ifaceNamePlan.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateIfaceName } from '../../src/recipes/shared/ifaceName.js';
import { InputError } from '../../src/errors.js';

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

test('each refusal names the answer id and the name; a name too long also says how many bytes it has', () => {
  const params = (name: string) => {
    try {
      validateIfaceName(name, 'wan.bridge');
    } catch (err) {
      return (err as InputError).params;
    }
    return null;
  };
  assert.equal(params('éééééééé'), { id: 'wan.bridge', value: 'éééééééé', bytes: 16 });
  assert.equal(params('xen br0'), { id: 'wan.bridge', value: 'xen br0' });
  assert.equal(params('-xenbr0'), { id: 'wan.bridge', value: '-xenbr0' });
});

test.run();
