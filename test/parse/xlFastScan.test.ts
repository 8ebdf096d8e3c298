// The fast path of parseXlConfig (scanSimple, src/parse/xlConfig.ts, issue 11) reads exactly what
// the tokenizer reads: same settings, offsets, lines and key order, on every corpus and fixture
// file and on random configs made of plain and unusual pieces; on anything else it declines.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parseXlConfig, parseXlConfigFull, scanSimple } from '../../src/parse/xlConfig.js';
import { PROJECT } from '../_helpers/roots.js';

const CORPUS = path.resolve(PROJECT, '../shared/corpus');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** What the fast path says of `text` against the tokenizer: 'fast' (same), 'declined', or why not. */
function compare(text: string): 'fast' | 'declined' | string {
  const fast = scanSimple(text);
  let full: ReturnType<typeof parseXlConfigFull> | null = null;
  try {
    full = parseXlConfigFull(text, 'f');
  } catch {
    return fast === null ? 'declined' : 'fast path read a file the tokenizer refuses';
  }
  if (fast === null) return 'declined';
  if (full.skipped?.length) return 'fast path read a file with Python statements';
  // JSON text: the same keys in the same order, as --json and the golden artifacts would print them.
  return JSON.stringify(fast) === JSON.stringify(full.settings) ? 'fast' : `differs:\n${JSON.stringify(fast)}\n${JSON.stringify(full.settings)}`;
}

test('every corpus and fixture file: the fast path reads what the tokenizer reads, or declines', () => {
  const files = [...filesUnder(CORPUS), ...filesUnder(path.join(PROJECT, 'test/fixtures')), ...filesUnder(path.join(PROJECT, 'demo/root'))];
  const outcomes = { fast: 0, declined: 0 };
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const got = compare(text);
    assert.ok(got === 'fast' || got === 'declined', `${path.relative(PROJECT, file)}: ${got}`);
    outcomes[got as 'fast' | 'declined']++;
  }
  // Not vacuous: most of libvirt's xl/xm test configs are plain; xm's Python examples are not.
  assert.ok(outcomes.fast >= 80, `fast path taken for ${outcomes.fast} of ${files.length} files`);
  assert.ok(outcomes.declined >= 50, `declined for ${outcomes.declined} of ${files.length} files`);
});

test('what the fast path takes and declines', () => {
  const plain = 'name = "g1"\n  memory=512 # MB\n\n# c\nvif = [ \'mac=00:16:3e:00:00:01,bridge=virbr0\', # first\n  "bridge=xenbr1",\n]\ndisk += []\nvif.default.bridge = \'\'';
  assert.is(compare(plain), 'fast');
  assert.equal(parseXlConfig(plain, 'f'), parseXlConfigFull(plain, 'f'));
  for (const declined of ['a = "x\\"y"', 'a = r"x"', 'a = """x"""', "a = ''' '''", 'a = 0755', 'a = 1.5', 'a = 10L', 'a = -1', 'a = 0x10',
    'a = "x" "y"', 'a = 1; b = 2', 'a = "x",', 'a = [,]', 'a = [[1]]', 'a = ["x" "y"]', 'a = \\\n 1', 'a = 1\r\n', '\ufeffa = 1',
    'é = 1', 'a == 1', 'a =', 'def f():\n  vif = []', 'import os', 'a = "x', 'a = [1', 'a = 1 b = 2', 'a = \f1']) {
    assert.is(compare(declined), 'declined', JSON.stringify(declined));
  }
});

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('name', 'vif', 'memory', 'vif.default.bridge', '_x1', 'a.1b', 'r', 'def', 'é') },
  { weight: 1, arbitrary: fc.string({ maxLength: 3 }) },
);
const scalar = fc.oneof(
  fc.constantFrom('0', '512', '0755', '1.5', '10L', '-1', '1e3', '12abc', '""', "''", '"""x"""', 'r"a"', 'b"a"'),
  fc.string({ maxLength: 8 }).map((s) => `"${s}"`),
  fc.string({ maxLength: 8 }).map((s) => `'${s}'`),
  fc.nat().map(String),
);
const gap = fc.constantFrom('', ' ', '\t', '\n', ' # c\n', '\n  ', '\r\n', '\\\n', '\f');
const value = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.tuple(fc.array(fc.tuple(gap, scalar, gap), { maxLength: 4 }), fc.constantFrom('', ',', ',,'), gap)
    .map(([items, trail, g]) => `[${items.map(([a, v, b]) => a + v + b).join(',')}${items.length ? trail : ''}${g}]`) },
  { weight: 1, arbitrary: fc.tuple(scalar, fc.constantFrom(' ', '', ' + ', ' % ', ','), scalar).map(([a, op, b]) => a + op + b) },
);
const statement = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\t'), piece, fc.constantFrom(' ', '', '\t'), fc.constantFrom('=', '+=', '==', '-=', ''), fc.constantFrom(' ', ''), value, fc.constantFrom('', ' # why', '  ', ';', ' ; x = 1', '\r'))
    .map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '# comment', '   ', '#!/usr/bin/python', 'import os', 'def f():', '    x = 1', 'print("x")', '\ufeff') },
);
const config = fc.tuple(fc.array(statement, { maxLength: 6 }), fc.constantFrom('', '\n')).map(([lines, end]) => lines.join('\n') + end);

test('random configs: the fast path agrees with the tokenizer or declines, and takes a fair share', () => {
  const outcomes = { fast: 0, declined: 0 };
  fc.assert(fc.property(config, (text) => {
    const got = compare(text);
    assert.ok(got === 'fast' || got === 'declined', `${JSON.stringify(text)}: ${got}`);
    outcomes[got as 'fast' | 'declined']++;
  }), { numRuns: 4000 });
  assert.ok(outcomes.fast >= 400 && outcomes.declined >= 400, JSON.stringify(outcomes));
});

test.run();
