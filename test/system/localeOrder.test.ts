// sortByLocale (src/system/localeOrder.ts, issue 11) sorts as `new Intl.Collator().compare` does:
// code-unit order only where it is the collation order (proven here for every string of up to
// three characters of its alphabet, under each locale it trusts), the collator everywhere else.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { plainOrderHolds, sortByLocale } from '../../src/system/localeOrder.js';

const ALPHABET = [...'-.0123456789abcdefghijklmnopqrstuvwxyz'];
const plainSort = (xs: string[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function allStrings(maxLength: number): string[] {
  let all = [''];
  let level = [''];
  for (let n = 0; n < maxLength; n++) {
    level = level.flatMap((s) => ALPHABET.map((c) => s + c));
    all = all.concat(level);
  }
  return all;
}

test('every string of up to 3 plain characters: the collation of each trusted locale is code-unit order', () => {
  const all = allStrings(3);
  const expected = plainSort(all);
  for (const locale of [undefined, 'en', 'en-US', 'en-GB', 'en-US-u-va-posix', 'ja', 'ja-JP']) {
    const sorted = [...all].sort(new Intl.Collator(locale).compare);
    assert.ok(sorted.every((s, i) => s === expected[i]), `${locale}: ${sorted.find((s, i) => s !== expected[i])}`);
  }
});

test('the locale a process gets from its environment: trusted ones collate plainly, the others are refused', () => {
  const sample = JSON.stringify(plainSort(['t', 'z', 's', 'j', 'y', 'i', 'a-b', 'ab', 'a.c', 'guest10', 'guest9', '0x']));
  for (const env of [{ LANG: 'C.UTF-8' }, { LC_ALL: 'C' }, { LANG: 'POSIX' }, { LANG: 'en_GB.UTF-8' }, { LANG: 'ja_JP.UTF-8' }, { LC_ALL: 'ja_JP.eucJP' }, { LANGUAGE: 'ja:en', LANG: 'ja_JP.UTF-8' }]) {
    const child = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(${sample}.sort(new Intl.Collator().compare)))`],
      { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    assert.is(child.stdout.trim(), sample, JSON.stringify(env));
    assert.ok(plainOrderHolds(JSON.parse(sample), env), JSON.stringify(env));
  }
  // Why the environment is asked: Estonian sorts z before t, Lithuanian y before j.
  for (const [env, order] of [[{ LANG: 'et_EE.UTF-8' }, ['s', 'z', 't']], [{ LC_ALL: 'lt_LT.UTF-8' }, ['i', 'y', 'j']]] as const) {
    const child = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(${JSON.stringify(order)}.slice().sort().sort(new Intl.Collator().compare)))`],
      { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    assert.equal(JSON.parse(child.stdout), order, JSON.stringify(env));
    assert.not.ok(plainOrderHolds([...order], env), JSON.stringify(env));
  }
  for (const env of [{ LC_COLLATE: 'de_DE.UTF-8' }, { LC_MESSAGES: 'sv_SE' }, { LC_CTYPE: 'tr_TR.UTF-8' }, { LANGUAGE: 'en:et' }, { LANG: 'en_US@euro' }, { LANG: 'english' }, { LANG: 'en-u-kn-true' }, { LC_ALL: 'en_US.UTF-8@collation=phonebook' }]) {
    assert.not.ok(plainOrderHolds(['a'], env), JSON.stringify(env));
  }
  for (const names of [['Web', 'db'], ['a_b', 'a0'], ['a b'], ['é'], ['guest-1', 'Guest-2']]) {
    assert.not.ok(plainOrderHolds(names, {}), JSON.stringify(names));
  }
  assert.ok(plainOrderHolds(['guest-1.example', 'db10', ''], {}));
});

test('sortByLocale sorts as the collator does, plain or not, keeping the items', () => {
  const { compare } = new Intl.Collator();
  const name = fc.oneof(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 6 }), fc.string({ maxLength: 6 }), fc.constantFrom('Web', 'db', 'a_b', 'ä', 'guest10', 'guest9'));
  fc.assert(fc.property(fc.array(name, { maxLength: 12 }), (names) => {
    const items = names.map((n, i) => ({ n, i }));
    const got = sortByLocale([...items], (x) => x.n);
    assert.equal(got.map((x) => x.n), [...names].sort(compare));
    assert.equal(got.map((x) => x.i).sort((a, b) => a - b), items.map((x) => x.i));
  }), { numRuns: 3000 });
});

test.run();
