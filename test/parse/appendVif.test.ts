// Adding an interface to a guest: a vif item in xm/xl configs, an <interface> in libvirt XML — in
// the guide's shape (seed 000 lines 97, 101, 112–116), every other byte kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { appendVifInConfig } from '../../src/parse/vifSpec.js';
import { appendInterface, parseDomainXml } from '../../src/parse/libvirtXml.js';
import { vifSpecs, parseXlConfig } from '../../src/parse/xlConfig.js';
import { renderWrapperScript } from '../../src/render/xend.js';
import { FIXTURES, seedLines } from '../_helpers/roots.js';
import { InputError } from '../../src/errors.js';

test('seed 000 line 95 → 97: a second vif after the first, no space after the comma', () => {
  const before = 'vif = [ "mac=00:16:3e:17:d4:87,bridge=xenbr0" ]\n';
  const after = appendVifInConfig(before, 'centos51u', 'mac=00:16:3e:17:d4:88,bridge=virbr1');
  assert.is(after, `${seedLines(97)[0]}\n`);
});

const rows: [string, string, string][] = [
  ["vif = [ 'a=1', 'b=2' ]\n", 'c=3', "vif = [ 'a=1', 'b=2', 'c=3' ]\n"],
  ["vif = [ 'a=1', 'b=2', ]\n", 'c=3', "vif = [ 'a=1', 'b=2', 'c=3', ]\n"],
  ["vif = [\n  'a=1',\n  'b=2'\n]\n", 'c=3', "vif = [\n  'a=1',\n  'b=2',\n  'c=3'\n]\n"],
  ['vif = [ ]\n', 'c=3', 'vif = [ "c=3" ]\n'],
  ["name = 'x'\n", 'c=3', "name = 'x'\nvif = [ \"c=3\" ]\n"],
  ["name = 'x'", 'c=3', "name = 'x'\nvif = [ \"c=3\" ]\n"],
  ["vif = [ 'a=1' ]\r\nname='x'\r\n", 'c=3', "vif = [ 'a=1','c=3' ]\r\nname='x'\r\n"],
  ["vif = [ 'a=1' ] # keep\nvif += [ 'b=2' ]\n", 'c=3', "vif = [ 'a=1' ] # keep\nvif += [ 'b=2','c=3' ]\n"],
  // A trailing comma set apart from the last item stays after the new one, wherever it stood.
  ["vif = [ 'a=1', 'b=2' , ]\n", 'c=3', "vif = [ 'a=1', 'b=2' , 'c=3', ]\n"],
  ["vif = [\n  'a=1',\n  'b=2'\n  ,\n]\n", 'c=3', "vif = [\n  'a=1',\n  'b=2'\n  ,\n  'c=3',\n]\n"],
  // A comma inside the comment after the last item is no trailing comma.
  ["vif = [ 'a=1' # eth0, the uplink\n]\n", 'c=3', "vif = [ 'a=1','c=3' # eth0, the uplink\n]\n"],
  ['vif = []\n', 'c=3', 'vif = [ "c=3" ]\n'],
  ['vif = [\n]\n', 'c=3', 'vif = [ "c=3" ]\n'],
  ['vif = [ # none yet\n]\n', 'c=3', 'vif = [ "c=3" # none yet\n]\n'],
  ['', 'c=3', 'vif = [ "c=3" ]\n'],
  ['x = 1\r\n', 'c=3', 'x = 1\r\nvif = [ "c=3" ]\r\n'],
  // The quote style comes from the last string item (prefix letters skipped), not from an expression.
  ["vif = [ 'ip=192.168.%d.1/24' % (vmid)]\n", 'c=3', "vif = [ 'ip=192.168.%d.1/24' % (vmid),\"c=3\"]\n"],
  ["vif = [ ur'bridge=a' ]\n", 'c=3', "vif = [ ur'bridge=a','c=3' ]\n"],
];
for (const [before, spec, after] of rows) {
  test(`append ${JSON.stringify(spec)} to ${JSON.stringify(before)}`, () => {
    const out = appendVifInConfig(before, 'f', spec);
    assert.is(out, after);
    assert.is(vifSpecs(parseXlConfig(out, 'f')).at(-1)!.index, vifSpecs(parseXlConfig(before, 'f')).length);
  });
}

test('a vif that is not a list, or a spec that cannot be quoted, is bad input (naming the file, and the line or the spec)', () => {
  const params = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      assert.instance(e, InputError);
      return [(e as InputError).key, (e as InputError).params];
    }
    return assert.unreachable('no error');
  };
  assert.equal(params(() => appendVifInConfig('name = "g"\nvif = "a=1"\n', 'f', 'c=3')), ['error.vifNotList', { file: 'f', line: 2 }]);
  for (const bad of ['a"b', "a'b", 'a\\b', 'a\nb', 'a\rb']) {
    assert.equal(params(() => appendVifInConfig("vif = [ 'a=1' ]\n", 'f', bad)), ['error.vifSpecUnquotable', { file: 'f', spec: bad }]);
  }
});

test('seed 000 lines 112–116: the second <interface> of the XML dump, indented like the first', () => {
  const file = path.join(FIXTURES.centos5, 'etc/xen/xml/centos51u.xml');
  const before = fs.readFileSync(file, 'utf8');
  const after = appendInterface(before, file, { bridge: 'virbr1', mac: '00:16:3e:17:d4:88', script: 'vif-bridge' });
  const added = seedLines(112, 116);
  const indent = '    ';
  assert.ok(after.includes(added.map((l) => indent + l).join('\n')), after);
  assert.is(after.replace(added.map((l) => `\n${indent}${l}`).join(''), ''), before);
  const dom = parseDomainXml(after, file);
  assert.is(dom.interfaces.length, 2);
  assert.equal([dom.interfaces[1].bridge, dom.interfaces[1].mac], ['virbr1', '00:16:3e:17:d4:88']);
});

test('a domain without <devices> cannot take an interface', () => {
  assert.throws(() => appendInterface('<domain><name>x</name></domain>', 'f', { bridge: 'b', mac: '00:16:3e:00:00:01' }),
    (e: unknown) => e instanceof InputError && e.key === 'error.xmlNoDevices');
});

test('the wrapper layout of seed 000 lines 243–249: two network-bridge calls and the ip_forward tail', () => {
  const text = renderWrapperScript({
    vars: [], before: [],
    calls: [
      { script: 'network-bridge', args: [['vifnum', '0'], ['bridge', 'xenbr0'], ['netdev', 'eth0'], ['antispoof', 'yes']] },
      { script: 'network-bridge', args: [['vifnum', '1'], ['bridge', 'xenbr1'], ['netdev', 'dummy0'], ['antispoof', 'yes']] },
    ],
    after: ['echo 0 >/proc/sys/net/ipv4/ip_forward'],
  });
  assert.equal(text.split('\n').slice(0, -1).map((l) => l.trim()), seedLines(243, 249).map((l) => l.trim()));
});

test.run();
