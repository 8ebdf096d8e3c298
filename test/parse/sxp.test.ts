// xend-config.sxp: the stock files read as xend reads them, and setDirective changes only the live
// (network-script …) line, as the guide does (seed 000 lines 66 → 68), never the commented examples.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { parseSxp, getDirective, setDirective } from '../../src/parse/sxp.js';
import { InputError } from '../../src/errors.js';
import { PROJECT, seedLines } from '../_helpers/roots.js';

const XEN = '/work/shared/corpus/xen-examples';
const STOCK: [string, number][] = [
  // file, line of the live (network-script network-bridge)
  ['RELEASE-3.0.0/xend-config.sxp', 75],
  ['RELEASE-4.0.4/xend-config.sxp', 157],
];
const stock = (rel: string) => fs.readFileSync(path.join(XEN, rel), 'utf8');
const seed001 = fs.readFileSync(path.resolve(PROJECT, '../shared/seeds/001_1828b344e6bd54d7.txt'), 'utf8').split('\n');

/** [before, after] pairs of the lines that differ; the line count must not change. */
function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.is(b.length, a.length, 'line count changed');
  return a.map((l, i) => [l, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

test('stock 3.0.0 file: every live directive, in order, with its line', () => {
  const got = parseSxp(stock('RELEASE-3.0.0/xend-config.sxp'), 'xend-config.sxp').map((d) => [d.line, d.name, d.value]);
  assert.equal(got, [
    [18, 'xend-http-server', 'yes'],
    [21, 'xend-relocation-server', 'yes'],
    [37, 'xend-address', 'localhost'],
    [43, 'xend-relocation-address', 'localhost'],
    [75, 'network-script', 'network-bridge'],
    [90, 'vif-script', 'vif-bridge'],
    [108, 'dom0-min-mem', '196'],
    [112, 'dom0-cpus', '0'],
  ]);
});

test('stock 4.0.4 file: quoted values, escapes and the empty string as xend decodes them', () => {
  const text = stock('RELEASE-4.0.4/xend-config.sxp');
  assert.is(getDirective(text, 'f', 'xend-relocation-hosts-allow')?.value, '^localhost$ ^localhost\\.localdomain$');
  assert.is(getDirective(text, 'f', 'vncpasswd')?.value, '');
  assert.is(getDirective(text, 'f', 'total_available_memory')?.value, '0');
  // (xen-api-server …) and (keymap 'en-us') appear only in comments there.
  assert.is(getDirective(text, 'f', 'xen-api-server'), undefined);
  assert.is(getDirective(text, 'f', 'keymap'), undefined);
});

for (const [rel, line] of STOCK) {
  test(`${rel}: the live network-script, then seed 000 line 66 → 68 on that line only`, () => {
    const text = stock(rel);
    const d = getDirective(text, rel, 'network-script')!;
    assert.equal([d.value, d.line, d.raw], ['network-bridge', line, seedLines(66)[0]]);
    assert.is(text.slice(d.valueStart, d.valueEnd), 'network-bridge');
    assert.is(text.slice(d.start, d.end), d.raw);
    const after = setDirective(text, rel, 'network-script', 'network-bridge-custom');
    assert.equal(changedLines(text, after), [[seedLines(66)[0], seedLines(68)[0]]]);
    assert.is(after.split('\n')[line - 1], '(network-script network-bridge-custom)');
    assert.is(setDirective(after, rel, 'network-script', 'network-bridge-custom'), after, 'idempotent');
  });
}

test("seed 001: quoted values (network-script 'network-bridge-additional bridge=eth0')", () => {
  const text = seed001.slice(317, 319).join('\n') + '\n';
  assert.is(text, "(network-script 'network-bridge-additional bridge=eth0')\n(vif-script 'vif-bridge bridge=eth0')\n");
  const ds = parseSxp(text, 'xend-config.sxp');
  assert.equal(ds.map((d) => [d.name, d.value, d.line]), [
    ['network-script', 'network-bridge-additional bridge=eth0', 1],
    ['vif-script', 'vif-bridge bridge=eth0', 2],
  ]);
  assert.is(text.slice(ds[0].valueStart, ds[0].valueEnd), "'network-bridge-additional bridge=eth0'");
  assert.is(setDirective(text, 'f', 'network-script', 'network-bridge-custom'),
    "(network-script network-bridge-custom)\n(vif-script 'vif-bridge bridge=eth0')\n");
  assert.is(setDirective(text, 'f', 'vif-script', 'vif-bridge bridge=xenbr0'),
    "(network-script 'network-bridge-additional bridge=eth0')\n(vif-script 'vif-bridge bridge=xenbr0')\n");
});

// value written → how it appears, and it must read back as the same value
const VALUES: [string, string][] = [
  ['network-bridge-custom', 'network-bridge-custom'],
  ['network-bridge bridge=xenbr0 netdev=eth0', "'network-bridge bridge=xenbr0 netdev=eth0'"],
  ['tab\there', "'tab\there'"],
  ['', "''"],
  ["it's", "'it\\'s'"],
  ['a\\b', "'a\\\\b'"],
  ['(paren)', "'(paren)'"],
  ['x#y', "'x#y'"],
  ['/etc/xen/scripts/network-bridge', '/etc/xen/scripts/network-bridge'],
];

for (const [value, written] of VALUES) {
  test(`setDirective writes ${JSON.stringify(value)} as ${written} and reads it back`, () => {
    const text = '# head\n(network-script network-bridge) # trailing comment\n(vif-script vif-bridge)\n';
    const after = setDirective(text, 'f', 'network-script', value);
    assert.is(after, `# head\n(network-script ${written}) # trailing comment\n(vif-script vif-bridge)\n`);
    assert.is(getDirective(after, 'f', 'network-script')?.value, value);
  });
}

test('no live directive: inserted after the last commented example of that name', () => {
  // The 3.0.0 file without its live line: the examples at lines 59, 64, 68 and 94/100 stay comments.
  const lines = stock('RELEASE-3.0.0/xend-config.sxp').split('\n');
  const text = [...lines.slice(0, 74), ...lines.slice(75)].join('\n');
  assert.is(getDirective(text, 'f', 'network-script'), undefined);
  const after = setDirective(text, 'f', 'network-script', 'network-bridge-custom').split('\n');
  const at = after.indexOf('(network-script network-bridge-custom)');
  assert.is(after[at - 1], '#(network-script network-nat)');
  assert.equal([...after.slice(0, at), ...after.slice(at + 1)], text.split('\n'));
});

test('no live directive and no example: appended at the end on its own line', () => {
  const rows: [string, string][] = [
    ['(dom0-cpus 0)\n', '(dom0-cpus 0)\n(network-script network-bridge-custom)\n'],
    ['(dom0-cpus 0)', '(dom0-cpus 0)\n(network-script network-bridge-custom)\n'],
    ['', '(network-script network-bridge-custom)\n'],
    ['#(network-scripts other)\n', '#(network-scripts other)\n(network-script network-bridge-custom)\n'],
    ['(a 1)\r\n', '(a 1)\r\n(network-script network-bridge-custom)\r\n'],
    ['# (network-script network-nat)', '# (network-script network-nat)\n(network-script network-bridge-custom)\n'],
  ];
  for (const [text, expected] of rows) assert.is(setDirective(text, 'f', 'network-script', 'network-bridge-custom'), expected, JSON.stringify(text));
});

test('two live forms: xend reads the first (sxp.child); setDirective makes both agree', () => {
  const text = '(network-script network-bridge)\n(dom0-cpus 0)\n(network-script network-route)\n';
  assert.is(getDirective(text, 'f', 'network-script')?.line, 1);
  assert.is(setDirective(text, 'f', 'network-script', 'network-bridge-custom'),
    '(network-script network-bridge-custom)\n(dom0-cpus 0)\n(network-script network-bridge-custom)\n');
});

test('tokens: comments after forms, parens and # inside quotes, nested lists, multi-line forms', () => {
  const text = [
    '(a "x ) y")#(b 2)',
    "(c 'has # inside')",
    '(xen-api-server ((9363 pam \'^localhost$\')\n                 (unix none)))',
    '(d\n   4)',
    '(e)',
    '(f "\\x41\\101\\t")',
  ].join('\n');
  const ds = parseSxp(text, 'f');
  assert.equal(ds.map((d) => [d.name, d.value, d.line]), [
    ['a', 'x ) y', 1],
    ['c', 'has # inside', 2],
    ['xen-api-server', "((9363 pam '^localhost$')\n                 (unix none))", 3],
    ['d', '4', 5],
    ['e', '', 7],
    ['f', 'AA\t', 8],
  ]);
  assert.is(setDirective(text, 'f', 'e', 'v').split('\n')[6], '(e v)');
  assert.is(setDirective(text, 'f', 'd', '5').split('\n').slice(4, 6).join('\n'), '(d\n   5)');
});

const BAD: [string, string, number, number][] = [
  // name, text, line, column
  ['unclosed paren', '(a 1)\n\n(network-script network-bridge\n(b 2)\n', 3, 1],
  ['extra close paren', '(a 1)\n(b 2))\n', 2, 6],
  ['unterminated single quote', "(a 1)\n(network-script 'network-bridge bridge=eth0)\n", 2, 17],
  ['unterminated double quote', '(a "b\n', 1, 4],
  ['stray close paren at top', ')\n', 1, 1],
  ['backslash at end of a string', "(a 'b\\", 1, 4],
];

for (const [name, text, line, column] of BAD) {
  test(`bad input → InputError error.sxpSyntax with its position: ${name}`, () => {
    for (const run of [() => parseSxp(text, 'x.sxp'), () => setDirective(text, 'x.sxp', 'network-script', 'v'), () => getDirective(text, 'x.sxp', 'a')]) {
      try {
        run();
        assert.unreachable('parsed');
      } catch (err) {
        assert.instance(err, InputError);
        assert.is((err as InputError).key, 'error.sxpSyntax');
        assert.equal((err as InputError).params, { file: 'x.sxp', line, column });
      }
    }
  });
}

test('not errors: unbalanced parens and quotes inside comments', () => {
  const text = "# (network-script 'unclosed\n#(((\n(a 1)\n";
  assert.equal(parseSxp(text, 'f').map((d) => d.name), ['a']);
});

test('which comments are examples of the directive: #, spaces and tabs before "(name", then a space, ")" or the end of the comment', () => {
  const rows: [string, boolean][] = [
    // comment line, is an example (the new line goes right after it; else at the end, after "(a 1)")
    ['# (network-script network-nat)', true],
    ['#\t(network-script network-nat)', true],
    ['## \t (network-script network-nat)', true],
    ['#(network-script)', true],
    ['#(network-script', true],
    ['#(network-script\tnetwork-nat)', true],
    ['#(network-scripts other)', false],
    ['#(network-script-x other)', false],
    ['# see (network-script network-nat)', false],
  ];
  for (const [comment, example] of rows) {
    const text = `${comment}\n(a 1)\n`;
    const after = setDirective(text, 'f', 'network-script', 'v');
    assert.is(after, example ? `${comment}\n(network-script v)\n(a 1)\n` : `${text}(network-script v)\n`, comment);
  }
});

test('top-level forms that are not directives (an empty list, a list headed by a list) are passed over', () => {
  const text = '()\n((x) 1)\n(network-script old)\n';
  assert.is(setDirective(text, 'f', 'network-script', 'new'), '()\n((x) 1)\n(network-script new)\n');
  assert.is(setDirective('()\n', 'f', 'network-script', 'new'), '()\n(network-script new)\n');
});

test.run();
