// The xl edits, pure: a bridge edit over the corpus changes one token and nothing else, xl.conf gets
// vif.default.bridge after its commented example. libxlutil's view of the edited files is checked in
// xlConfig.test.ts (slow: a python3 per file); this suite is what the mutation group edits-xl runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseXlConfig, getString, vifSpecs, setXlSetting, type XlConfig } from '../../src/parse/xlConfig.js';
import { setVifKeyInConfig, setVifKeysInConfig, vifSpecToKeys } from '../../src/parse/vifSpec.js';
import { XL_CFGS, XM_CFGS, XEN_EXAMPLES, XL_CONF, read, rel } from '../_helpers/xlCorpus.js';
import { decodeStringLiteral, spliceStringLiteral } from '../../src/parse/xlString.js';
import fc from 'fast-check';

/** A setting compared without its offsets (they move when an earlier token changes length). */
const shape = (cfg: XlConfig) => cfg.settings.map((s) => [s.key, s.op, strip(s.value)]);
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'start' && k !== 'end').map(([k, x]) => [k, strip(x)]));
  return v;
}

// ---- the surgical bridge edit over the corpus -------------------------------------------------------
const WITH_BRIDGE = [...XL_CFGS, ...XM_CFGS, ...XEN_EXAMPLES].flatMap((file) => {
  const cfg = parseXlConfig(read(file), file);
  return vifSpecs(cfg).flatMap((v) => ('spec' in v && vifSpecToKeys(v.spec).bridge !== undefined ? [{ file, item: v }] : []));
});

test('the corpus has vifs with bridge= to edit', () => {
  assert.ok(WITH_BRIDGE.length >= 40, `only ${WITH_BRIDGE.length}`);
});

for (const { file, item } of WITH_BRIDGE) {
  test(`${rel(file)} vif ${item.index}: bridge edit touches only the bridge value`, () => {
    const before = read(file);
    const old = vifSpecToKeys((item as { spec: string }).spec).bridge;
    const after = setVifKeyInConfig(before, file, item.index, 'bridge', 'xenbr7');
    // Located by plain search inside the token, independent of the spec parser's offsets.
    const at = before.indexOf(`bridge=${old}`, item.start) + 'bridge='.length;
    assert.ok(at > item.start && at < item.end);
    assert.is(after.slice(0, at), before.slice(0, at));
    assert.is(after.slice(at, at + 'xenbr7'.length), 'xenbr7');
    assert.is(after.slice(at + 'xenbr7'.length), before.slice(at + old.length));
    const [was, now] = [parseXlConfig(before, file), parseXlConfig(after, file)];
    const vif = vifSpecs(now)[item.index];
    assert.is('spec' in vif && vifSpecToKeys(vif.spec).bridge, 'xenbr7');
    const others = (c: XlConfig) => shape(c).filter(([k]) => k !== 'vif');
    assert.equal(others(now), others(was));
    assert.equal(vifSpecs(now).length, vifSpecs(was).length);
  });
}

// ---- xl.conf: vif.default.bridge -----------------------------------------------------------------
const EXAMPLE = '#vif.default.bridge="xenbr0"\n';

test('stock xl.conf: the live line goes right after its commented example, and again is a no-op', () => {
  const before = read(XL_CONF);
  const after = setXlSetting(before, XL_CONF, 'vif.default.bridge', 'xenbr0');
  const cut = before.indexOf(EXAMPLE) + EXAMPLE.length;
  assert.ok(cut > EXAMPLE.length);
  assert.is(after, before.slice(0, cut) + 'vif.default.bridge="xenbr0"\n' + before.slice(cut));
  assert.is(getString(parseXlConfig(after, XL_CONF), 'vif.default.bridge'), 'xenbr0');
  assert.is(setXlSetting(after, XL_CONF, 'vif.default.bridge', 'xenbr0'), after);
  // A different bridge later: only the value token changes.
  const again = setXlSetting(after, XL_CONF, 'vif.default.bridge', 'br0');
  assert.is(again, before.slice(0, cut) + 'vif.default.bridge="br0"\n' + before.slice(cut));
});

const SET_CASES: [string, string, string][] = [
  // before, value, after
  ["vif.default.bridge = 'xenbr0' # ours\n", 'br1', "vif.default.bridge = 'br1' # ours\n"],
  ['vif.default.bridge = 0\n', 'br1', 'vif.default.bridge = "br1"\n'],
  ['autoballoon="off"\n', 'br1', 'autoballoon="off"\nvif.default.bridge="br1"\n'],
  ['autoballoon="off"', 'br1', 'autoballoon="off"\nvif.default.bridge="br1"\n'],
  ['', 'br1', 'vif.default.bridge="br1"\n'],
  ['# vif.default.bridge = "xenbr0"\n#vif.default.bridgeX="no"\n', 'br1', '# vif.default.bridge = "xenbr0"\nvif.default.bridge="br1"\n#vif.default.bridgeX="no"\n'],
  ['a="1" # vif.default.bridge="xenbr0"\n', 'br1', 'a="1" # vif.default.bridge="xenbr0"\nvif.default.bridge="br1"\n'],
  ['vif.default.bridge="a"\nvif.default.bridge += "b"\n', 'br1', 'vif.default.bridge="a"\nvif.default.bridge += "b"\nvif.default.bridge="br1"\n'],
  ['x="1"\r\n#vif.default.bridge="xenbr0"\r\n', 'br1', 'x="1"\r\n#vif.default.bridge="xenbr0"\r\nvif.default.bridge="br1"\r\n'],
];
for (const [before, value, after] of SET_CASES) {
  test(`setXlSetting on ${JSON.stringify(before)}`, () => {
    assert.is(setXlSetting(before, 'xl.conf', 'vif.default.bridge', value), after);
    assert.is(setXlSetting(after, 'xl.conf', 'vif.default.bridge', value), after);
  });
}

// ---- which vif an index names, and what the edits write ------------------------------------------
test('vif indexes: += appends to the list (a list or a single string), a second = replaces it; an expression item keeps its text', () => {
  const specs = (text: string) => vifSpecs(parseXlConfig(text, 'g')).map((v) => ('spec' in v ? v.spec : v.expression));
  assert.equal(specs('vif = [ "bridge=a" ]\nvif += [ "bridge=b" ]\nvif += "bridge=c"\n'), ['bridge=a', 'bridge=b', 'bridge=c']);
  assert.equal(specs('vif = [ "bridge=a" ]\nvif = [ "bridge=b" ]\n'), ['bridge=b']);
  assert.equal(specs("memory = 64\nvif = [ 'ip=192.168.%d.1/24' % (vmid), \"bridge=b\" ]\n"), ["'ip=192.168.%d.1/24' % (vmid)", 'bridge=b']);
});

const ENCODE: [string, string, string, string][] = [
  // text, key, value, result: what a string token can hold, escaped as Python and libxlutil read it
  ["vif = [ r'bridge=virbr0' ]\n", 'script', "it's", "vif = [ 'bridge=virbr0,script=it\\'s' ]\n"],
  ["vif = [ r'bridge=virbr0' ]\n", 'script', 'a\\b', "vif = [ 'bridge=virbr0,script=a\\\\b' ]\n"],
  ["vif = [ r'bridge=virbr0' ]\n", 'script', 'a\nb', "vif = [ 'bridge=virbr0,script=a\\nb' ]\n"],
  ["vif = [ r'bridge=virbr0' ]\n", 'script', 'a\rb', "vif = [ 'bridge=virbr0,script=a\\rb' ]\n"],
  // Unknown escapes keep their backslash (as in Python): the bytes around the edit stay.
  ['vif = [ "script=a\\qb,bridge=x" ]\n', 'bridge', 'y', 'vif = [ "script=a\\qb,bridge=y" ]\n'],
  ['vif = [ "script=a\\N{DASH}b\\xZZ,bridge=x" ]\n', 'bridge', 'y', 'vif = [ "script=a\\N{DASH}b\\xZZ,bridge=y" ]\n'],
];
for (const [text, key, value, want] of ENCODE) {
  test(`vif edit encodes ${JSON.stringify(value)} in ${JSON.stringify(text)}`, () => {
    const after = setVifKeyInConfig(text, 'g', 0, key, value);
    assert.is(after, want);
    const vif = vifSpecs(parseXlConfig(after, 'g'))[0];
    assert.is('spec' in vif && vifSpecToKeys(vif.spec)[key], value);
  });
}

test('spliceStringLiteral: any cut of any string token decodes to the spliced value, bytes around the token kept (plain tokens take the short path, issue 11)', () => {
  const bodyChar = fc.constantFrom('a', 'b', '=', ',', ' ', '\\', '\\n', '\\x41', '\\101', '\\1', '\\q', '"', "'", 'é', '0', '7');
  const token = fc.tuple(fc.constantFrom('', 'r', 'R', 'u'), fc.constantFrom('"', "'", '"""', "'''"), fc.array(bodyChar, { maxLength: 12 }))
    .map(([prefix, quote, chars]) => ({ prefix, quote, body: chars.join('') }))
    // A body the tokenizer would end early (its own quote unescaped, a lone backslash at the end) is no token.
    .filter(({ prefix, quote, body }) => !body.includes(quote[0]) && !(prefix.toLowerCase().includes('r') ? /\\$/.test(body) : /(^|[^\\])(\\\\)*\\$/.test(body)));
  const insert = fc.constantFrom('', 'xenbr0', '2', '00:16:3e:00:00:01', 'a"b', "a'b", 'a\\b', 'a\nb', '日本');
  fc.assert(fc.property(token, insert, fc.nat(), fc.nat(), ({ prefix, quote, body }, ins, x, y) => {
    const tok = `${prefix}${quote}${body}${quote}`;
    const value = decodeStringLiteral(tok, false).value;
    const [from, to] = [x % (value.length + 1), y % (value.length + 1)].sort((a, b) => a - b);
    const text = `vif = [ ${tok} ]\n`;
    const start = text.indexOf(tok);
    const after = spliceStringLiteral(text, start, start + tok.length, from, to, ins);
    assert.ok(after.startsWith('vif = [ ') && after.endsWith(' ]\n'), after);
    const spliced = decodeStringLiteral(after.slice(start, after.length - ' ]\n'.length), false).value;
    assert.is(spliced, value.slice(0, from) + ins + value.slice(to), JSON.stringify({ tok, from, to, ins, after }));
  }), { numRuns: 5000 });
});

test('setVifKeysInConfig: bridge then mac from one parse is what two edits with a parse each give (corpus, escapes, bare words)', () => {
  const cases: [string, number][] = WITH_BRIDGE.map(({ file, item }) => [read(file), item.index]);
  for (const text of ['vif = [ "script=a\\qb,bridge=x" ]\n', "vif = [ r'bridge=virbr0' ]\n", 'vif = [ "bridge" ]\n', 'vif = [ "" ]\n', "vif = [ 'mac=00:16:3e:00:00:09, bridge = virbr0 ,' ]\n", 'vif = [ "a\\101,bridge=virbr0\\x41" ]\n']) cases.push([text, 0]);
  for (const [text, index] of cases) {
    for (const keys of [[['bridge', 'xenbr0'], ['mac', '00:16:3e:12:34:56']], [['mac', '00:16:3e:12:34:56'], ['bridge', 'br-lan']], [['bridge', 'xenbr0']], [['bridge', 'xenbr0'], ['bridge', 'xenbr1']]] as [string, string][][]) {
      const stepwise = keys.reduce((t, [k, v]) => setVifKeyInConfig(t, 'g', index, k, v), text);
      assert.is(setVifKeysInConfig(text, 'g', index, keys, parseXlConfig(text, 'g')), stepwise, JSON.stringify({ text: text.slice(0, 80), index, keys }));
    }
  }
});

test('unknown escapes read back with their backslash', () => {
  const vif = vifSpecs(parseXlConfig('vif = [ "script=a\\qb\\xZZ,bridge=x" ]\n', 'g'))[0];
  assert.is('spec' in vif && vif.spec, 'script=a\\qb\\xZZ,bridge=x');
});

test('setXlSetting: a new line escapes quotes, backslashes, newlines and carriage returns', () => {
  for (const [value, written] of [['a"b', '"a\\"b"'], ['a\\b', '"a\\\\b"'], ['a\nb', '"a\\nb"'], ['a\rb', '"a\\rb"']]) {
    const after = setXlSetting('x="1"\n', 'xl.conf', 'vif.default.bridge', value);
    assert.is(after, `x="1"\nvif.default.bridge=${written}\n`);
    assert.is(getString(parseXlConfig(after, 'xl.conf'), 'vif.default.bridge'), value);
  }
});

const EXAMPLES: [string, boolean][] = [
  // comment line, is an example of vif.default.bridge (the live line goes right after it; else at the end)
  ['#\tvif.default.bridge="xenbr0"', true],
  ['#vif.default.bridge\t= "xenbr0"', true],
  ['#vif.default.script="vif-bridge"', false],
  ['# vif.default.bridge is the bridge', false],
  ['#vif.default.bridge == "xenbr0"', false],
];
for (const [comment, example] of EXAMPLES) {
  test(`setXlSetting: ${JSON.stringify(comment)} is ${example ? '' : 'not '}an example of the key`, () => {
    const after = setXlSetting(`${comment}\n#x\n`, 'xl.conf', 'vif.default.bridge', 'br1');
    assert.is(after, example ? `${comment}\nvif.default.bridge="br1"\n#x\n` : `${comment}\n#x\nvif.default.bridge="br1"\n`);
  });
}

test('setXlSetting: a value that an escape already spells leaves the file untouched', () => {
  const text = 'vif.default.bridge="\\x78enbr0"\n';
  assert.is(setXlSetting(text, 'xl.conf', 'vif.default.bridge', 'xenbr0'), text);
});

test.run();
