// The answers file as a user writes it (the debconf-preseed contract): every way it can be wrong is
// refused with its own message naming the file, the id and the value — before anything is read
// from the host — and a written file replays in question order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { answerIds, combineAnswers, parseAnswersText, readAnswersFile, validateAnswers, writeAnswersFile } from '../src/plan/answersFile.js';
import { InputError } from '../src/errors.js';
import { configureWritePoints } from '../src/system/diskFault.js';
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
  ['macs with a number after a MAC', { macs: { a: 'auto', b: 1 } }, 'error.answersWrongType.macs', { id: 'macs' }],
  ['a bond mode that is no choice (a recipe\'s own choices)', { 'bond.mode': 'fast' }, 'error.answersBadChoice', { id: 'bond.mode', value: 'fast' }],
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

test('a file that is not JSON is refused by line and column, like text given directly', () => {
  const file = path.join(tempDir(), 'bad.json');
  fs.writeFileSync(file, '{\n  "recipe": single-bridge\n}\n');
  assert.equal(refusal(() => readAnswersFile(file)), { key: 'error.answersJson.unexpectedChar', params: { file, line: 2, column: 13, char: 's' } });
});

test('an answers file that cannot be written: a full disk is refused by path (exit 2), other errors are thrown as they are; no temp file stays', () => {
  const dir = tempDir();
  const file = path.join(dir, 'saved.json');
  configureWritePoints({ XNW_DISK_FAULT: '0:ENOSPC' });
  try {
    assert.equal(refusal(() => writeAnswersFile(file, { recipe: 'single-bridge' })), { key: 'error.diskFault.ENOSPC', params: { path: file } });
  } finally {
    configureWritePoints({});
  }
  assert.equal(fs.readdirSync(dir), [], 'nothing written');
  const missing = path.join(dir, 'no/such/dir/saved.json');
  assert.throws(() => writeAnswersFile(missing, { recipe: 'single-bridge' }), (e: unknown) => !(e instanceof InputError) && (e as NodeJS.ErrnoException).code === 'ENOENT');
  // The temp file is removed when the rename fails: a directory in the answers file's place.
  fs.mkdirSync(path.join(dir, 'taken.json'));
  fs.writeFileSync(path.join(dir, 'taken.json', 'x'), '');
  assert.throws(() => writeAnswersFile(path.join(dir, 'taken.json'), { recipe: 'single-bridge' }));
  assert.equal(fs.readdirSync(dir), ['taken.json'], 'no temp file left beside it');
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

test('an unknown id suggests the closest known one when there is one, and only then', () => {
  assert.is(refusal(() => validateAnswers({ 'wan.nick': 'eth0' }, F))!.params.suggestion, 'wan.nic');
  assert.not.ok('suggestion' in refusal(() => validateAnswers({ zzzzzzzzzz: 'eth0' }, F))!.params);
});

test('every backend the wizard can write is a valid choice; the answers file may name its $schema', () => {
  for (const backend of ['ifcfg', 'ifupdown', 'ifupdown-ng', 'netplan', 'networkmanager', 'networkd', 'wicked']) {
    assert.equal(validateAnswers({ backend }, F), { backend }, backend);
  }
  const schema = { $schema: 'https://example.org/answers.schema.json', recipe: 'single-bridge' };
  assert.equal(validateAnswers(schema, F), schema);
  assert.is(refusal(() => validateAnswers({ $schema: 1 }, F))!.key, 'error.answersUnknownId', 'a $schema that is no string is no schema');
});

test('schemaVersion: the supported one is accepted, any other (or a string) is refused naming both', () => {
  assert.equal(validateAnswers({ schemaVersion: 1, recipe: 'routed-lan' }, F), { schemaVersion: 1, recipe: 'routed-lan' });
  for (const [value, shown] of [[2, '2'], ['1', '"1"'], [null, 'null']] as const) {
    const r = refusal(() => validateAnswers({ schemaVersion: value }, F));
    assert.equal(r, { key: 'error.answersSchemaVersion', params: { file: F, value: shown, supported: 1 } }, shown);
  }
});

// --set ID=VALUE on the command line (over the answers file, like helm's --set over a values file):
// each value is read as its question's type, and what does not fit is refused as from a file named --set.
const FILE = { recipe: 'single-bridge', 'wan.nic': 'eth0', guests: ['web'] };
const setsAccepted: [string, string[], Record<string, unknown>][] = [
  ['a boolean "true"', ['antispoof=true'], { antispoof: true }],
  ['a boolean "false"', ['antispoof=false'], { antispoof: false }],
  ['a whole number', ['bond.miimon=60'], { 'bond.miimon': 60 }],
  ['a negative decimal number', ['bond.miimon=-1.5'], { 'bond.miimon': -1.5 }],
  ['a number with two decimals', ['bond.miimon=2.25'], { 'bond.miimon': 2.25 }],
  ['a comma list', ['guests=a,b'], { guests: ['a', 'b'] }],
  ['one name as a list', ['guests=a'], { guests: ['a'] }],
  ['an empty list', ['guests='], { guests: [] }],
  ['a JSON list (a comma inside a name)', ['guests=["a,b","c"]'], { guests: ['a,b', 'c'] }],
  ['macs "auto"', ['macs=auto'], { macs: 'auto' }],
  ['macs as a JSON object', ['macs={"web":"00:16:3e:00:00:01"}'], { macs: { web: '00:16:3e:00:00:01' } }],
  ['a string that looks like a number stays a string', ['wan.nic=60'], { 'wan.nic': '60' }],
  ['a value with "=" in it (split at the first)', ['wan.bridge=br=0'], { 'wan.bridge': 'br=0' }],
  ['the later of two sets of one id', ['wan.nic=eth1', 'wan.nic=eth2'], { 'wan.nic': 'eth2' }],
];
for (const [name, sets, over] of setsAccepted) {
  test(`--set accepted: ${name}`, () => {
    assert.equal(combineAnswers(FILE, null, sets), { ...FILE, ...over });
  });
}

const setsRefused: [string, string, string, string][] = [
  ['a boolean "yes"', 'antispoof=yes', 'error.answersWrongType.boolean', '"yes"'],
  ['a boolean "True"', 'antispoof=True', 'error.answersWrongType.boolean', '"True"'],
  ['a number with a unit', 'bond.miimon=60ms', 'error.answersWrongType.number', '"60ms"'],
  ['a number after a letter', 'bond.miimon=x60', 'error.answersWrongType.number', '"x60"'],
  ['a number with a trailing dot', 'bond.miimon=60.', 'error.answersWrongType.number', '"60."'],
  ['a number in exponent form', 'bond.miimon=1e3', 'error.answersWrongType.number', '"1e3"'],
  ['an empty number', 'bond.miimon=', 'error.answersWrongType.number', '""'],
  ['a broken JSON list', 'guests=[a', 'error.answersWrongType.stringList', '"[a"'],
  ['a JSON list with a number', 'guests=[1]', 'error.answersWrongType.stringList', '[1]'],
  ['macs "none"', 'macs=none', 'error.answersWrongType.macs', '"none"'],
  ['macs as a JSON list', 'macs=["00:16:3e:00:00:01"]', 'error.answersWrongType.macs', '["00:16:3e:00:00:01"]'],
  ['a profile that is no choice', 'profile=xm', 'error.answersBadChoice', 'xm'],
];
for (const [name, set, key, value] of setsRefused) {
  test(`--set refused: ${name} → ${key}`, () => {
    const r = refusal(() => combineAnswers(FILE, null, [set]));
    assert.ok(r, 'refused');
    assert.is(r!.key, key);
    assert.is(r!.params.file, '--set');
    assert.is(r!.params.id, set.slice(0, set.indexOf('=')));
    assert.is(r!.params.value, value);
  });
}

test('--set of an unknown id is refused like one in a file, with a suggestion', () => {
  const r = refusal(() => combineAnswers(FILE, null, ['wan.nick=eth0']));
  assert.is(r!.key, 'error.answersUnknownId');
  assert.equal([r!.params.file, r!.params.id, r!.params.suggestion], ['--set', 'wan.nick', 'wan.nic']);
});

test('--recipe and --set override the answers file; without either the file is taken as it is', () => {
  assert.is(combineAnswers(FILE, null, []), FILE, 'the same answers, untouched');
  assert.equal(combineAnswers(FILE, 'routed-lan', []), { ...FILE, recipe: 'routed-lan' });
  assert.equal(combineAnswers({}, 'bond-bridge', ['bond.miimon=200']), { recipe: 'bond-bridge', 'bond.miimon': 200 });
  assert.equal(combineAnswers(FILE, null, ['recipe=routed-lan']), { ...FILE, recipe: 'routed-lan' });
  assert.equal(FILE, { recipe: 'single-bridge', 'wan.nic': 'eth0', guests: ['web'] }, 'the file\'s answers are not changed in place');
  assert.is(refusal(() => combineAnswers(FILE, null, ['bond.miimon=fast']))!.params.file, '--set');
});

test.run();
