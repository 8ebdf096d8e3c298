// vif specs ("mac=…,bridge=…") and the surgical edit of one vif in a guest config: the guide's
// own lines (seed 000 lines 38 → 42, 97 → 256) byte for byte, comments and spacing kept, quotes
// escaped for the token's own quote style — checked against Xen's parser where xl can read it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseVifSpec, vifSpecToKeys, setVifSpecKey, setVifKeyInConfig, removeVifKeyInConfig } from '../../src/parse/vifSpec.js';
import { parseXlConfig, vifSpecs } from '../../src/parse/xlConfig.js';
import { InputError } from '../../src/errors.js';
import { PROJECT, seedLines } from '../_helpers/roots.js';
import { missingXlu, testUnless } from '../_helpers/skip.js';

// ---- parseVifSpec ---------------------------------------------------------------------------------
const PARSE: [string, [string, string, string][]][] = [
  // spec, [key, value, raw]…
  ['mac=00:16:3e:17:d4:87,bridge=virbr0', [['mac', '00:16:3e:17:d4:87', 'mac=00:16:3e:17:d4:87'], ['bridge', 'virbr0', 'bridge=virbr0']]],
  ['type=ioemu, bridge=xenbr0', [['type', 'ioemu', 'type=ioemu'], ['bridge', 'xenbr0', 'bridge=xenbr0']]],
  ['', []],
  ['bridge', [['bridge', '', 'bridge']]],
  ['ip=10.0.0.1 10.1.1.1 2000::1,script=vif-bridge', [['ip', '10.0.0.1 10.1.1.1 2000::1', 'ip=10.0.0.1 10.1.1.1 2000::1'], ['script', 'vif-bridge', 'script=vif-bridge']]],
  [' mac = 00:16:3e:00:00:01\t,bridge=br0,', [['mac', '00:16:3e:00:00:01', 'mac = 00:16:3e:00:00:01'], ['bridge', 'br0', 'bridge=br0']]],
  [',,rate=10240KB/s,,', [['rate', '10240KB/s', 'rate=10240KB/s']]],
  ['a=b=c', [['a', 'b=c', 'a=b=c']]],
  // A bare word before an item with a value: the later '=' is not the bare word's.
  ['bridge,mac=00:16:3e:00:00:01', [['bridge', '', 'bridge'], ['mac', '00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01']]],
];
for (const [spec, want] of PARSE) {
  test(`parseVifSpec ${JSON.stringify(spec)}`, () => {
    const items = parseVifSpec(spec);
    assert.equal(items.map((i) => [i.key, i.value, i.raw]), want);
    for (const i of items) {
      assert.is(spec.slice(i.start, i.end), i.raw);
      assert.is(spec.slice(i.valueStart, i.valueEnd), i.value);
    }
  });
}

test('vifSpecToKeys: the same object Object.fromEntries made of the items, "__proto__" and "constructor" plain keys (issue 11 loop)', () => {
  for (const spec of ['__proto__=x,mac=00:16:3e:00:00:01', 'constructor=1,bridge=b,__proto__=y, __proto__=z', 'toString,bridge', '', ' , ,']) {
    const keys = vifSpecToKeys(spec);
    const expected = Object.fromEntries(parseVifSpec(spec).map((i) => [i.key, i.value]));
    assert.equal(Object.entries(keys), Object.entries(expected), spec);
    assert.is(Object.getPrototypeOf(keys), Object.prototype, spec);
  }
  assert.is(Object.getOwnPropertyDescriptor(vifSpecToKeys('__proto__=x'), '__proto__')?.value, 'x');
});

test('vifSpecToKeys: a key given twice keeps the last, as xl does', () => {
  assert.equal(vifSpecToKeys('bridge=a, mac=00:16:3e:00:00:01,bridge=b'), { bridge: 'b', mac: '00:16:3e:00:00:01' });
});

// ---- setVifSpecKey --------------------------------------------------------------------------------
const SET: [string, string, string, string][] = [
  // spec, key, value, result
  ['mac=00:16:3e:17:d4:87,bridge=virbr0', 'bridge', 'xenbr0', 'mac=00:16:3e:17:d4:87,bridge=xenbr0'],
  ['bridge=virbr0', 'mac', '00:16:3e:17:d4:87', 'mac=00:16:3e:17:d4:87,bridge=virbr0'],
  ['mac=00:16:3e:17:d4:87', 'bridge', 'xenbr0', 'mac=00:16:3e:17:d4:87,bridge=xenbr0'],
  ['type=ioemu, bridge=xenbr0', 'bridge', 'br1', 'type=ioemu, bridge=br1'],
  [' mac = 00:16:3e:00:00:01 , bridge = virbr0 ', 'bridge', 'xenbr0', ' mac = 00:16:3e:00:00:01 , bridge = xenbr0 '],
  ['', 'bridge', 'xenbr0', 'bridge=xenbr0'],
  ['  ', 'mac', '00:16:3e:00:00:01', 'mac=00:16:3e:00:00:01'],
  ['bridge', 'bridge', 'xenbr0', 'bridge=xenbr0'],
  ['bridge=a,bridge=b', 'bridge', 'c', 'bridge=a,bridge=c'],
  ['bridge=virbr0,', 'script', 'vif-bridge', 'bridge=virbr0,script=vif-bridge'],
  ['bridge=xenbr0', 'bridge', 'xenbr0', 'bridge=xenbr0'],
  // An empty value followed by a blank: the value goes right after the '=', the blank stays.
  ['bridge= ,mac=00:16:3e:00:00:01', 'bridge', 'br0', 'bridge=br0 ,mac=00:16:3e:00:00:01'],
  // A trailing comma and a blank: no second comma.
  ['mac=00:16:3e:00:00:01, ', 'bridge', 'br0', 'mac=00:16:3e:00:00:01, bridge=br0'],
];
for (const [spec, key, value, want] of SET) {
  test(`setVifSpecKey ${JSON.stringify(spec)} ${key}=${value}`, () => {
    const got = setVifSpecKey(spec, key, value);
    assert.is(got, want);
    assert.is(vifSpecToKeys(got)[key], value);
  });
}

test('a value with a comma is refused: it would become a second item', () => {
  try {
    setVifSpecKey('bridge=br0', 'bridge', 'br0,br1');
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, InputError);
    assert.equal([(e as InputError).key, (e as InputError).params], ['error.vifSpecValue', { key: 'bridge', value: 'br0,br1' }]);
  }
});

// ---- setVifKeyInConfig: the guide ---------------------------------------------------------------
test('seed 000 line 38 → 42: only the bridge token changes', () => {
  const [line38, line42] = [seedLines(38)[0], seedLines(42)[0]];
  assert.is(line38, 'vif = [ "mac=00:16:3e:17:d4:87,bridge=virbr0" ]');
  const text = `name = "centos51u"\n${line38}\n`;
  assert.is(setVifKeyInConfig(text, '/etc/xen/centos51u', 0, 'bridge', 'xenbr0'), `name = "centos51u"\n${line42}\n`);
});

test('seed 000 line 97 → 256: the second vif of a multi-vif line moves to xenbr1, the first is untouched', () => {
  const [line97, line256] = [seedLines(97)[0], seedLines(256)[0]];
  const after = setVifKeyInConfig(`${line97}\n`, 'centos51u', 1, 'bridge', 'xenbr1');
  assert.is(after, `${line256}\n`);
  assert.is(setVifKeyInConfig(after, 'centos51u', 0, 'bridge', 'xenbr0'), after);
});

test('a vif without a mac gets mac= first, then the guide line', () => {
  const text = 'vif = [ "bridge=virbr0" ]\n';
  const withMac = setVifKeyInConfig(text, 'g', 0, 'mac', '00:16:3e:17:d4:87');
  assert.is(withMac, `${seedLines(38)[0]}\n`);
  assert.is(setVifKeyInConfig(withMac, 'g', 0, 'bridge', 'xenbr0'), `${seedLines(42)[0]}\n`);
});

const ODD = [
  '# guest with comments',
  "vif = [\t'mac=00:16:3e:00:00:01 , bridge=virbr0' ,   # first NIC",
  '',
  '        "bridge=virbr0",  # second, no mac',
  '      ]  # end of vifs',
  'name="odd" ; memory = 512',
  '',
].join('\n');

const ODD_CASES: [number, string, string, string, string][] = [
  // vif, key, value, old fragment, new fragment (the only difference in the file)
  [0, 'bridge', 'xenbr0', "'mac=00:16:3e:00:00:01 , bridge=virbr0'", "'mac=00:16:3e:00:00:01 , bridge=xenbr0'"],
  [1, 'mac', '00:16:3e:00:00:02', '"bridge=virbr0"', '"mac=00:16:3e:00:00:02,bridge=virbr0"'],
  [1, 'script', 'vif-bridge', '"bridge=virbr0"', '"bridge=virbr0,script=vif-bridge"'],
  [0, 'script', "it's", "bridge=virbr0'", "bridge=virbr0,script=it\\'s'"],
  [1, 'script', 'say "hi"', 'bridge=virbr0"', 'bridge=virbr0,script=say \\"hi\\""'],
  [1, 'script', 'c:\\x', 'bridge=virbr0"', 'bridge=virbr0,script=c:\\\\x"'],
];
for (const [index, key, value, from, to] of ODD_CASES) {
  test(`comments, spacing and quote style kept: vif ${index} ${key}=${value}`, () => {
    const after = setVifKeyInConfig(ODD, 'odd', index, key, value);
    const at = ODD.indexOf(from, ODD.indexOf(index === 0 ? "'mac" : '"bridge'));
    assert.is(after, ODD.slice(0, at) + to + ODD.slice(at + from.length));
    const vif = vifSpecs(parseXlConfig(after, 'odd'))[index];
    assert.is('spec' in vif && vifSpecToKeys(vif.spec)[key], value);
  });
}

const TOKENS: [string, string, string, string, string][] = [
  // text, key, value, result, why
  ['vif = [ r"bridge=virbr0" ]\n', 'bridge', 'xenbr0', 'vif = [ r"bridge=xenbr0" ]\n', 'a raw string stays raw'],
  ['vif = [ r"bridge=virbr0" ]\n', 'script', 'a"b', 'vif = [ "bridge=virbr0,script=a\\"b" ]\n', 'a raw string that cannot hold a quote is rewritten plain'],
  ['vif = [ "mac=00:16:3e:00:00:01,bridge=\\x76irbr0,script=vif\\x2dbridge" ]\n', 'mac', '00:16:3e:00:00:09', 'vif = [ "mac=00:16:3e:00:00:09,bridge=\\x76irbr0,script=vif\\x2dbridge" ]\n', 'escapes elsewhere in the token are kept'],
  ['vif = [ "bridge=\\x76irbr0" ]\n', 'bridge', 'xenbr0', 'vif = [ "bridge=xenbr0" ]\n', 'an escaped value is replaced whole'],
  ['vif = [ "bridge=br\\60" ]\n', 'script', 'x', 'vif = [ "bridge=br0,script=x" ]\n', 'a short octal escape before the cut is not extended'],
  ["vif = [ '''bridge=virbr0''' ]\n", 'bridge', 'xenbr0', "vif = [ '''bridge=xenbr0''' ]\n", 'triple quotes kept'],
  ['vif = "bridge=virbr0"\n', 'bridge', 'xenbr0', 'vif = "bridge=xenbr0"\n', 'a single string is vif 0'],
  ['vif = [ "bridge=a" ]\nvif += [ "bridge=virbr0" ]\n', 'bridge', 'xenbr0', 'vif = [ "bridge=a" ]\nvif += [ "bridge=xenbr0" ]\n', 'vif 1 comes from +='],
];
for (const [text, key, value, want, why] of TOKENS) {
  test(`string token edit: ${why}`, () => {
    const index = vifSpecs(parseXlConfig(text, 't')).length - 1;
    const after = setVifKeyInConfig(text, 't', index, key, value);
    assert.is(after, want);
    const vif = vifSpecs(parseXlConfig(after, 't'))[index];
    assert.is('spec' in vif && vifSpecToKeys(vif.spec)[key], value);
  });
}

// ---- setVifKeyInConfig: refusals ----------------------------------------------------------------
const REFUSE: [string, string, number, string, Record<string, string | number>][] = [
  ['expression vif', "memory = 64\n\nvif = [ 'ip=192.168.%d.1/24' % (vmid)]\n", 0, 'error.vifExpression', { file: 'g', line: 3, index: 0 }],
  ['vif past the end', 'vif = [ "bridge=br0" ]\n', 1, 'error.vifIndex', { file: 'g', index: 1 }],
  ['no vif at all', 'name = "g"\n', 0, 'error.vifIndex', { file: 'g', index: 0 }],
];
for (const [name, text, index, key, params] of REFUSE) {
  test(`refused: ${name}`, () => {
    try {
      setVifKeyInConfig(text, 'g', index, 'bridge', 'xenbr0');
      assert.unreachable('no error');
    } catch (e) {
      assert.instance(e, InputError);
      assert.equal([(e as InputError).key, (e as InputError).params], [key, params]);
    }
  });
}

// ---- removeVifKeyInConfig (routed drops bridge=) ------------------------------------------------
const G = 'vif = [ "mac=00:16:3e:00:00:01,script=vif-route,bridge=xenbr0", "script=a,bridge=b,script=c" ]\n';
const REMOVE: [string, number, string, string][] = [
  // text, vif, key, result
  [G, 0, 'script', 'vif = [ "mac=00:16:3e:00:00:01,bridge=xenbr0", "script=a,bridge=b,script=c" ]\n'],
  [G, 0, 'mac', 'vif = [ "script=vif-route,bridge=xenbr0", "script=a,bridge=b,script=c" ]\n'],
  [G, 0, 'bridge', 'vif = [ "mac=00:16:3e:00:00:01,script=vif-route", "script=a,bridge=b,script=c" ]\n'],
  [G, 1, 'script', 'vif = [ "mac=00:16:3e:00:00:01,script=vif-route,bridge=xenbr0", "bridge=b" ]\n'],
  [G, 1, 'bridge', 'vif = [ "mac=00:16:3e:00:00:01,script=vif-route,bridge=xenbr0", "script=a,script=c" ]\n'],
  ['vif = [ "bridge=b" ]\n', 0, 'bridge', 'vif = [ "" ]\n'],
  ["vif = [ 'ip=192.168.%d.1/24' % (vmid)]\n", 0, 'bridge', "vif = [ 'ip=192.168.%d.1/24' % (vmid)]\n"],
];
for (const [text, index, key, want] of REMOVE) {
  test(`removeVifKeyInConfig vif ${index} ${key} from ${JSON.stringify(text)}`, () => {
    assert.is(removeVifKeyInConfig(text, 'g', index, key), want);
    assert.is(removeVifKeyInConfig(want, 'g', index, key), want, 'a second removal changes nothing');
  });
}

test('removeVifKeyInConfig: an absent key leaves the text as it is; a vif past the end is refused', () => {
  assert.is(removeVifKeyInConfig(G, 'g', 0, 'ip'), G);
  try {
    removeVifKeyInConfig(G, 'g', 2, 'bridge');
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, InputError);
    assert.equal([(e as InputError).key, (e as InputError).params], ['error.vifIndex', { file: 'g', index: 2 }]);
  }
});

test('setting a value that an escape already spells leaves the file untouched (a second run changes nothing)', () => {
  const text = 'vif = [ "bridge=\\x76irbr0" ]\n';
  assert.is(setVifKeyInConfig(text, 'g', 0, 'bridge', 'virbr0'), text);
});

// ---- oracle: libxlutil reads our escaped edits as we do -------------------------------------------
const XLU = path.join(PROJECT, 'test/oracle/xlu.py');

testUnless(test, missingXlu(), 'libxlutil reads the edited vifs of the odd file exactly as we do', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-vif-'));
  try {
    for (const [index, key, value] of ODD_CASES) {
      const after = setVifKeyInConfig(ODD, 'odd', index, key, value);
      fs.writeFileSync(path.join(tmp, 'g.cfg'), after);
      const run = spawnSync('python3', [XLU, path.join(tmp, 'g.cfg'), 'vif', 'name'], { encoding: 'utf8' });
      const ours = vifSpecs(parseXlConfig(after, 'g')).map((v) => ('spec' in v ? v.spec : null));
      assert.equal(JSON.parse(run.stdout), { ok: true, values: { vif: ours, name: 'odd' } }, `${key}=${value}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
