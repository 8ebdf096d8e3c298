// The answers file as a user writes it (the debconf-preseed contract): every way it can be wrong is
// refused with its own message naming the file, the id and the value — before anything is read
// from the host — and a written file replays in question order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { answerIds, parseAnswersText, readAnswersFile, validateAnswers, writeAnswersFile } from '../src/plan/answersFile.js';
import { InputError } from '../src/errors.js';
import { tempDir } from './_helpers/roots.js';

const F = '/tmp/a.json';
const refusal = (f: () => unknown): { key: string; params: Record<string, unknown> } | null => {
  try {
    f();
    return null;
  } catch (err) {
    assert.instance(err, InputError);
    return { key: (err as InputError).key, params: (err as InputError).params as Record<string, unknown> };
  }
};

const accepted: [string, unknown][] = [
  ['every kind', { recipe: 'single-bridge', profile: 'xl', backend: 'ifupdown', 'wan.nic': 'eth0', guests: ['a', 'b'], macs: { a: 'auto', 'b#1': '00:16:3e:00:00:01' }, antispoof: false, 'bond.miimon': 100 }],
  ['macs "auto" for all', { macs: 'auto' }],
  ['empty guests list', { guests: [] }],
  ['empty object', {}],
];
for (const [name, data] of accepted) {
  test(`accepted: ${name}`, () => {
    assert.equal(validateAnswers(data, F), data);
  });
}

const refused: [string, unknown, string, Record<string, unknown>][] = [
  ['an array', [], 'error.answersNotObject', { file: F }],
  ['null', null, 'error.answersNotObject', { file: F }],
  ['a string', 'eth0', 'error.answersNotObject', { file: F }],
  ['an unknown id', { 'wan.nick': 'eth0' }, 'error.answersUnknownId', { id: 'wan.nick' }],
  ['"__proto__" as an id', JSON.parse('{"__proto__": {"x": 1}}'), 'error.answersUnknownId', { id: '__proto__' }],
  ['"constructor" as an id', { constructor: 'x' }, 'error.answersUnknownId', { id: 'constructor' }],
  ['a number where a string goes', { 'wan.nic': 0 }, 'error.answersWrongType.string', { id: 'wan.nic', value: '0' }],
  ['a string where a boolean goes', { antispoof: 'no' }, 'error.answersWrongType.boolean', { id: 'antispoof', value: '"no"' }],
  ['a string where a number goes', { 'bond.miimon': '100' }, 'error.answersWrongType.number', { id: 'bond.miimon' }],
  ['NaN-like infinity as a number', { 'bond.miimon': Infinity }, 'error.answersWrongType.number', { id: 'bond.miimon' }],
  ['guests not a list', { guests: 'a' }, 'error.answersWrongType.stringList', { id: 'guests' }],
  ['guests with a number', { guests: ['a', 1] }, 'error.answersWrongType.stringList', { id: 'guests' }],
  ['macs as a list', { macs: ['00:16:3e:00:00:01'] }, 'error.answersWrongType.macs', { id: 'macs' }],
  ['macs null', { macs: null }, 'error.answersWrongType.macs', { id: 'macs' }],
  ['macs "none"', { macs: 'none' }, 'error.answersWrongType.macs', { id: 'macs' }],
  ['macs with a number', { macs: { a: 1 } }, 'error.answersWrongType.macs', { id: 'macs' }],
  ['a profile that is no choice', { profile: 'xm' }, 'error.answersBadChoice', { id: 'profile', value: 'xm', choices: 'xend, xl' }],
  ['a backend that is no choice', { backend: 'nixos' }, 'error.answersBadChoice', { id: 'backend', value: 'nixos' }],
];
for (const [name, data, key, params] of refused) {
  test(`refused: ${name} → ${key}`, () => {
    const r = refusal(() => validateAnswers(data, F));
    assert.ok(r, 'refused');
    assert.is(r!.key, key);
    for (const [k, v] of Object.entries(params)) assert.is(r!.params[k], v, k);
    if (key !== 'error.answersNotObject') assert.is(r!.params.file, F);
  });
}

test('the unknown-id message lists the known ids', () => {
  const known = String(refusal(() => validateAnswers({ nope: 1 }, F))!.params.known).split(', ');
  for (const id of ['recipe', 'profile', 'backend', 'wan.nic', 'wan.bridge', 'guests', 'macs', 'bond.miimon']) assert.ok(known.includes(id), id);
});

test('every recipe\'s question ids are known, with one type each', () => {
  const ids = answerIds();
  assert.is(Object.getPrototypeOf(ids), null);
  assert.is(ids['wan.nic'].kind, 'string');
  assert.is(ids.guests.kind, 'string[]');
  assert.is(ids['bond.miimon'].kind, 'number');
  assert.equal(ids.profile.choices, ['xend', 'xl']);
});

test('not JSON: the line, column and character of the first error are named; an empty file ends too early', () => {
  const r = refusal(() => parseAnswersText('{\n  "recipe": "single-bridge",\n  "wan.nic": eth0\n}\n', F));
  assert.equal({ key: r!.key, ...r!.params }, { key: 'error.answersJson.unexpectedChar', file: F, line: 3, column: 14, char: 'e' });
  assert.equal({ key: refusal(() => parseAnswersText('', F))!.key, line: refusal(() => parseAnswersText('', F))!.params.line }, { key: 'error.answersJson.unexpectedEnd', line: 1 });
  assert.equal(parseAnswersText('{"recipe": "routed-lan"}', F), { recipe: 'routed-lan' });
});

test('a file that cannot be read is named; a readable one is parsed and checked', () => {
  const dir = tempDir();
  const missing = path.join(dir, 'none.json');
  assert.equal(refusal(() => readAnswersFile(missing)), { key: 'error.answersUnreadable', params: { file: missing } });
  const file = path.join(dir, 'a.json');
  fs.writeFileSync(file, '{"profile": "xm"}');
  assert.is(refusal(() => readAnswersFile(file))!.key, 'error.answersBadChoice');
  fs.writeFileSync(file, '{"profile": "xl"}');
  assert.equal(readAnswersFile(file), { profile: 'xl' });
});

test('a written answers file has the questions\' order, leaves out what is unset, and reads back the same', () => {
  const file = path.join(tempDir(), 'saved.json');
  writeAnswersFile(file, { guests: ['a'], 'wan.nic': 'eth0', recipe: 'single-bridge', antispoof: undefined });
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(Object.keys(JSON.parse(text)), ['schemaVersion', 'recipe', 'wan.nic', 'guests']);
  assert.ok(text.endsWith('}\n'));
  assert.match(text, /^ {2}"recipe": "single-bridge",$/m);
  assert.equal(readAnswersFile(file), { schemaVersion: 1, recipe: 'single-bridge', 'wan.nic': 'eth0', guests: ['a'] });
  assert.equal(fs.readdirSync(path.dirname(file)), ['saved.json'], 'no temp file left');
});

test.run();
