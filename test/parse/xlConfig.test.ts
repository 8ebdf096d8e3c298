// xm/xl guest configs and xl.conf: every corpus file parses (xm's full Python included), bad files
// name their line — and Xen's own parser (libxlutil) reads what we read, before and after our edits.
// The edits themselves (pure, fast: the mutation group edits-xl runs them) are in xlEdits.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseXlConfig, getSetting, getString, vifSpecs, setXlSetting, type XlValue } from '../../src/parse/xlConfig.js';
import { setVifKeyInConfig } from '../../src/parse/vifSpec.js';
import { InputError } from '../../src/errors.js';
import { PROJECT } from '../_helpers/roots.js';
import { missingXlu, testUnless } from '../_helpers/skip.js';

import { CORPUS, XEN, XL_CFGS, CORPUS_CONFIGS, XL_CONF, read, rel } from '../_helpers/xlCorpus.js';

// ---- the oracle: Xen's libxlutil through test/oracle/xlu.py ---------------------------------------
const XLU = path.join(PROJECT, 'test/oracle/xlu.py');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-xl-'));
process.once('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
let tmpCount = 0;
type XluResult = { ok: true; values: Record<string, string | (string | null)[] | null> } | { ok: false; error: string };
function xlu(text: string, keys: string[]): XluResult {
  const file = path.join(tmp, `${tmpCount++}.cfg`);
  fs.writeFileSync(file, text);
  const run = spawnSync('python3', [XLU, file, ...keys], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as XluResult;
}
/** What our parser says for name and vif, in the oracle's shape. */
function ours(text: string): Record<string, unknown> {
  const cfg = parseXlConfig(text, 't.cfg');
  const vif = getSetting(cfg, 'vif');
  return { name: getString(cfg, 'name') ?? null, vif: vif ? vifSpecs(cfg).map((v) => ('spec' in v ? v.spec : null)) : null };
}

// ---- every corpus file parses --------------------------------------------------------------------
for (const file of CORPUS_CONFIGS) {
  test(`parses ${rel(file)}`, () => {
    const text = read(file);
    const cfg = parseXlConfig(text, file);
    // Independent of the tokenizer: a line that starts with `name =` at column 0.
    const hasName = text.split('\n').some((l) => l.startsWith('name') && l.slice(4).trimStart().startsWith('='));
    assert.is(getSetting(cfg, 'name') !== undefined, hasName);
    for (const s of cfg.settings) assert.is(text.slice(s.start, s.start + s.key.length), s.key);
  });
}

test('xmexample2 (Python): def block, xm_vars calls and % formatting are skipped or kept as expressions', () => {
  const cfg = parseXlConfig(read(path.join(XEN, 'RELEASE-4.0.4/xmexample2')), 'xmexample2');
  assert.equal(cfg.settings.map((s) => [s.key, s.value.kind]), [
    ['kernel', 'string'], ['memory', 'number'], ['name', 'expression'], ['vcpus', 'number'],
    ['vif', 'list'], ['disk', 'list'], ['root', 'string'], ['extra', 'expression'],
  ]);
  assert.equal(getSetting(cfg, 'name')!.value, { kind: 'expression', raw: '"VM%d" % vmid', start: cfg.text.indexOf('"VM%d"'), end: cfg.text.indexOf('"VM%d"') + 13 });
  const disk = getSetting(cfg, 'disk')!.value;
  assert.equal(disk.kind === 'list' && disk.items.map((i) => i.kind), ['expression', 'string']);
  assert.equal(vifSpecs(cfg).map((v) => 'spec' in v && v.spec), ['']);
});

test('xmexample3: a vif item that is an expression is reported as one, with its text', () => {
  const cfg = parseXlConfig(read(path.join(XEN, 'RELEASE-3.0.0/xmexample3')), 'xmexample3');
  assert.equal(vifSpecs(cfg).map((v) => ('expression' in v ? v.expression : v.spec)), ["'ip=192.168.%d.1/24' % (vmid)"]);
  assert.is(getString(cfg, 'netmask'), '255.255.255.0');
  assert.is(getString(cfg, 'gateway'), undefined); // "192.168.%d.1" % (vmid)
});

test("test-escape-paths.cfg: a triple-quoted string holding ' and \" reads as Python reads it", () => {
  const cfg = parseXlConfig(read(path.join(CORPUS, 'libvirt-xmconfigdata/test-escape-paths.cfg')), 'x');
  const disk = getSetting(cfg, 'disk')!.value;
  assert.equal(disk.kind === 'list' && disk.items.map((i) => i.kind === 'string' && i.value), [
    'phy:/dev/HostVG/XenGuest2,hda,w', `phy:/dev/HostVG/XenGuest'",hdb,w`, 'file:/root/boot.iso&test,hdc:cdrom,r',
  ]);
  assert.is(getString(cfg, 'name'), 'XenGuest2&test');
});

// ---- tokenizer and values ------------------------------------------------------------------------
const VALUES: [string, string, unknown][] = [
  // text, key, value (string | number | list of those | 'expression:…')
  ['a = "x\\ty\\\\z\\"q"\n', 'a', 'x\ty\\z"q'],
  ["a = 'it\\'s'\n", 'a', "it's"],
  ['a = "\\x41\\101\\u00e9\\q"\n', 'a', 'AAé\\q'],
  ['a = r"c:\\dir"\n', 'a', 'c:\\dir'],
  ['a = u"x"\n', 'a', 'x'],
  ["a = '''one\ntwo'''\n", 'a', 'one\ntwo'],
  ['a = "one \\\ntwo"\n', 'a', 'one two'],
  ['a = 64\n', 'a', 64],
  ['a = 0x1f\n', 'a', 31],
  ['a = 0755\n', 'a', 493],
  ['a = -1\n', 'a', -1],
  ['a = 1.5e3\n', 'a', 1500],
  ['a = 12abc\n', 'a', 'expression:12abc'],
  ['a = [ ]\n', 'a', []],
  ['a = [ "x", 1, ]\n', 'a', ['x', 1]],
  ['a = [\n  "x",  # first\n\n  # between\n  "y"\n]\n', 'a', ['x', 'y']],
  ['a = [ "x", [ "y" ] ]\n', 'a', ['x', ['y']]],
  ['a = "x" "y"\n', 'a', 'expression:"x" "y"'],
  ['a = f"{b}"\n', 'a', 'expression:f"{b}"'],
  ['a = ("x")\n', 'a', 'expression:("x")'],
  ['a = True\n', 'a', 'expression:True'],
  ['a = "x" ; b = "y"\n', 'b', 'y'],
  ['a = "x" # trailing comment\n', 'a', 'x'],
  ['a = "first"\na = "second"\n', 'a', 'second'],
  ['a = "x"\r\nb = "y"\r\n', 'b', 'y'],
  ['vif.default.bridge="xenbr0"', 'vif.default.bridge', 'xenbr0'],
  ['a = \\\n  "x"\n', 'a', 'x'],
  ['\ufeffa = "x"\n', 'a', 'x'],
  ['a = "top"\nif x:\n    a = "inside"\nelse:\n    a = "too"\n', 'a', 'top'],
  ['name = "a"\n   memory = 64\n', 'memory', 64], // xl ignores indentation outside Python blocks
  ['memory = 2\ndef f(v):\n    memory = 1\n\n    return v\n', 'memory', 2],
  ['import os\nfrom x import y\ndef f(v):\n    return v\n\nxm_vars.check()\n"""docstring"""\na = "x"\n', 'a', 'x'],
];
const simple = (v: XlValue): unknown =>
  v.kind === 'list' ? v.items.map(simple) : v.kind === 'expression' ? `expression:${v.raw}` : v.value;

for (const [text, key, want] of VALUES) {
  test(`value of ${JSON.stringify(text)}`, () => {
    const cfg = parseXlConfig(text, 't');
    const s = getSetting(cfg, key)!;
    assert.equal(simple(s.value), want);
    if (s.value.kind === 'string') assert.is(text.slice(s.value.start, s.value.end), s.value.raw);
  });
}

test('settings carry their line and span; += appends as libxlutil does', () => {
  const text = 'name = "a"\n\nvif = [ "bridge=br0" ]\nvif += [ "bridge=br1" ]\nextra = "x"\nextra += "y"\n';
  const cfg = parseXlConfig(text, 't');
  assert.equal(cfg.settings.map((s) => [s.key, s.op, s.line, text.slice(s.start, s.end)]), [
    ['name', '=', 1, 'name = "a"'],
    ['vif', '=', 3, 'vif = [ "bridge=br0" ]'],
    ['vif', '+=', 4, 'vif += [ "bridge=br1" ]'],
    ['extra', '=', 5, 'extra = "x"'],
    ['extra', '+=', 6, 'extra += "y"'],
  ]);
  assert.equal(vifSpecs(cfg).map((v) => 'spec' in v && v.spec), ['bridge=br0', 'bridge=br1']);
  assert.is(getString(cfg, 'extra'), 'xy');
  assert.is(getString(parseXlConfig('a = [ "x" ]\na = "y"\n', 't'), 'a'), 'y');
  assert.is(getString(parseXlConfig('a = "x"\na += [ "y" ]\n', 't'), 'a'), undefined);
  assert.is(getString(parseXlConfig('a = "x"\nb = 1\n', 't'), 'b'), undefined);
  assert.equal(vifSpecs(parseXlConfig('vif = "bridge=br0"\n', 't')).map((v) => [v.index, 'spec' in v && v.spec]), [[0, 'bridge=br0']]);
});

// ---- bad input: the right key, line and column ------------------------------------------------------
const BAD: [string, string, string, number, number][] = [
  // name, text, key, line, column
  ['unterminated string', 'name = "a"\nkernel = "/boot/vmlinuz\nmemory = 64\n', 'error.configSyntax.unterminatedString', 2, 10],
  ['unterminated string at end of file', 'name = "a"\nextra = \'x', 'error.configSyntax.unterminatedString', 2, 9],
  ['unterminated triple quote', 'a = 1\nb = """x\n\ny\n', 'error.configSyntax.unterminatedString', 2, 5],
  ['list never closed', 'name = "a"\nmemory = 256\nvif = [ "bridge=virbr0"\n', 'error.configSyntax.unbalancedBracket', 3, 7],
  ['extra closing bracket', 'vif = [ "bridge=virbr0" ] ]\n', 'error.configSyntax.unbalancedBracket', 1, 27],
  ['mismatched bracket', 'disk = [ "a", ("b" ]\n', 'error.configSyntax.unbalancedBracket', 1, 20],
  ['garbage line', 'name = "a"\nthis is not a setting\n', 'error.configSyntax.notAssignment', 2, 1],
  ['key without =', 'name = "a"\n  \nbridge xenbr0\n', 'error.configSyntax.notAssignment', 3, 1],
  ['= without key', '= "x"\n', 'error.configSyntax.notAssignment', 1, 1],
  ['= without value', 'name = "a"\nmemory =\n', 'error.configSyntax.missingValue', 2, 8],
  ['character no config has', 'name = "a"\nmemory = $MEM\n', 'error.configSyntax.unexpectedChar', 2, 10],
  ['indented garbage', 'name = "a"\n\t  not a setting\n', 'error.configSyntax.notAssignment', 2, 4],
  ['empty list item', 'vif = [ "a",, "b" ]\n', 'error.configSyntax.unexpectedToken', 1, 13],
];
for (const [name, text, key, line, column] of BAD) {
  test(`bad input: ${name}`, () => {
    try {
      parseXlConfig(text, '/etc/xen/bad');
      assert.unreachable('no error');
    } catch (e) {
      assert.instance(e, InputError);
      const err = e as InputError;
      assert.equal([err.key, err.params.file, err.params.line, err.params.column], [key, '/etc/xen/bad', line, column]);
    }
  });
}

// ---- oracle: libxlutil reads the same name and vif --------------------------------------------------
for (const file of XL_CFGS) {
  testUnless(test, missingXlu(), `libxlutil agrees on ${rel(file)} (as is, and with vif 0's bridge and mac edited)`, () => {
    const before = read(file);
    const theirs = xlu(before, ['name', 'vif']);
    assert.equal(theirs, { ok: true, values: ours(before) });
    if (vifSpecs(parseXlConfig(before, file)).length === 0) return;
    const after = setVifKeyInConfig(setVifKeyInConfig(before, file, 0, 'bridge', 'xenbr0'), file, 0, 'mac', '00:16:3e:17:d4:87');
    assert.equal(xlu(after, ['name', 'vif']), { ok: true, values: ours(after) });
  });
}

testUnless(test, missingXlu(), 'libxlutil agrees on xl.conf before and after vif.default.bridge is set', () => {
  const before = read(XL_CONF);
  const after = setXlSetting(before, XL_CONF, 'vif.default.bridge', 'xenbr0');
  assert.equal(xlu(before, ['vif.default.bridge']), { ok: true, values: { 'vif.default.bridge': null } });
  assert.equal(xlu(after, ['vif.default.bridge']), { ok: true, values: { 'vif.default.bridge': 'xenbr0' } });
});

testUnless(test, missingXlu(), 'libxlutil agrees on escapes, comments in lists, trailing commas and +=', () => {
  const text = [
    'name = "a\\"b\\\\c"',
    'vif = [ # the NICs',
    "  'mac=00:16:3e:00:00:01,bridge=it\\'s',",
    '',
    '  "bridge=br1", # second',
    ']',
    'vif += [ "bridge=br2" ]',
    '',
  ].join('\n');
  assert.equal(xlu(text, ['name', 'vif']), { ok: true, values: ours(text) });
  assert.equal(ours(text).vif, ["mac=00:16:3e:00:00:01,bridge=it's", 'bridge=br1', 'bridge=br2']);
});

test.run();
