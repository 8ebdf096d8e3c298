// Nothing English under --lang ja from the libraries either: inquirer's key hints and yes/no,
// listr2's "[FAILED: …]", Node's JSON parser messages, type names in answer errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Writable } from 'node:stream';
import { render } from '@inquirer/testing';
import { checkbox, confirm, select } from '@inquirer/prompts';
import fs from 'node:fs';
import path from 'node:path';
import { format, type Translate } from '../../src/i18n.js';
import { PROJECT } from '../_helpers/roots.js';
import { confirmTheme, listTheme } from '../../src/ui/promptTheme.js';
import { localizedLogger } from '../../src/ui/listrLogger.js';
import { parseAnswersText } from '../../src/plan/answersFile.js';
import { InputError } from '../../src/errors.js';

// From the locale files themselves (src/i18n finds them relative to dist/ when built).
function translator(lang: string): Translate {
  const messages = JSON.parse(fs.readFileSync(path.join(PROJECT, `locales/${lang}.json`), 'utf8')) as Record<string, string>;
  return (key, params) => format(messages[key] ?? key, params);
}
const ja = translator('ja');
const en = translator('en');
/** An ASCII-only hint line such as "↑↓ navigate • ⏎ select" — what must not be on a Japanese screen. */
const ENGLISH_HINT = /\b(?:navigate|select|submit|space|all|invert|Yes|No)\b/;

test('select: the key hint under the list is in Japanese', async () => {
  const { answer, events, getScreen } = await render(select, {
    message: 'どのネットワーク構成にしますか?', choices: [{ value: 'a', name: 'single-bridge' }, { value: 'b', name: 'internal-l2' }], theme: listTheme(ja),
  });
  const screen = getScreen();
  assert.match(screen, /↑↓ 移動 • ⏎ 選択/);
  assert.not.match(screen, ENGLISH_HINT);
  events.keypress('enter');
  assert.is(await answer, 'a');
});

test('checkbox: space, all, invert and submit are named in Japanese', async () => {
  const { answer, events, getScreen } = await render(checkbox, {
    message: 'virbr0 から移すゲストはどれですか?', choices: [{ value: 'web1', name: 'web1' }, { value: 'db1', name: 'db1', disabled: 'virbr0 にはつながっていません' }], theme: listTheme(ja),
  });
  const screen = getScreen();
  assert.match(screen, /スペース 選択/);
  assert.match(screen, /すべて選択/);
  assert.match(screen, /⏎ 決定/);
  assert.not.match(screen, ENGLISH_HINT);
  events.keypress('space');
  events.keypress('enter');
  assert.equal(await answer, ['web1']);
});

for (const [typed, expected, echo] of [['y', true, 'はい'], ['n', false, 'いいえ'], ['', false, 'いいえ']] as const) {
  test(`confirm: "${typed}" answers ${expected}, echoed as 「${echo}」, with a Japanese hint`, async () => {
    const { answer, events, getScreen } = await render(confirm, { message: 'この計画を今すぐ適用しますか?', default: false, theme: confirmTheme(ja, false) });
    assert.match(getScreen(), /\(y\/n、既定: いいえ\)/);
    if (typed) events.type(typed);
    events.keypress('enter');
    assert.is(await answer, expected);
    assert.match(getScreen(), new RegExp(`適用しますか\\? ${echo}`));
    assert.not.match(getScreen(), ENGLISH_HINT);
  });
}

test('confirm: an answer that is neither yes nor no is refused in Japanese', async () => {
  const { answer, events, getScreen } = await render(confirm, { message: '有効にしますか?', default: true, theme: confirmTheme(ja, true) });
  events.type('x');
  events.keypress('enter');
  assert.match(getScreen(), /y \(はい\) か n \(いいえ\) で答えてください/);
  events.keypress('backspace');
  events.type('y');
  events.keypress('enter');
  assert.is(await answer, true);
});

function captured(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
  return { stream, text: () => text };
}

for (const [lang, t, label] of [['ja', ja, '失敗'], ['en', en, 'FAILED']] as const) {
  test(`listr2 (simple renderer): a failed task says [${label}: …] in ${lang}`, async () => {
    process.env.NO_COLOR = '1';
    const listr2 = await import('listr2');
    const out = captured();
    const processOutput = new listr2.ProcessOutput(out.stream as NodeJS.WriteStream, out.stream as NodeJS.WriteStream);
    const tasks = new listr2.Listr([{ title: 'ip -batch', task: () => { throw new Error('RTNETLINK answers: File exists'); } }], {
      renderer: 'simple', exitOnError: true, registerSignalListeners: false,
      rendererOptions: { logger: localizedLogger(listr2, t, processOutput, [...listr2.LISTR_LOGGER_STDERR_LEVELS]) },
    } as never);
    await tasks.run().catch(() => {});
    assert.match(out.text(), new RegExp(`\\[${label}: RTNETLINK answers: File exists\\]`));
    if (lang === 'ja') assert.not.match(out.text(), /FAILED/);
  });
}

const jsonRows: [string, string, string, Record<string, string | number>][] = [
  ['a bare word where a string belongs', '{\n  "recipe": single-bridge\n}\n', 'error.answersJson.unexpectedChar', { line: 2, column: 13, char: 's' }],
  ['a missing comma', '{ "recipe": "single-bridge"\n  "wan.nic": "eth0" }', 'error.answersJson.unexpectedChar', { line: 2, column: 3, char: '\\"' }],
  ['a file that ends inside the object', '{ "recipe": "single-bridge",', 'error.answersJson.unexpectedEnd', { line: 1, column: 29 }],
  ['an empty file', '', 'error.answersJson.unexpectedEnd', { line: 1, column: 1 }],
];
for (const [what, text, key, where] of jsonRows) {
  test(`answers JSON, ${what}: a Japanese summary with line and column, not Node's English message`, () => {
    try {
      parseAnswersText(text, 'a.json');
      assert.unreachable('accepted');
    } catch (err) {
      assert.instance(err, InputError);
      const e = err as InputError;
      assert.is(e.key, key);
      for (const [name, value] of Object.entries(where)) assert.is(String(e.params[name]), String(value), name);
      const message = ja(e.key, e.params);
      assert.match(message, new RegExp(`${where.line} 行目 ${where.column} 桁目`));
      assert.not.match(message, /Unexpected|Expected|position|JSON at/);
    }
  });
}

for (const [kind, value, words] of [['string[]', 'web1', '文字列の配列'], ['boolean', '"yes"', 'true か false'], ['string', 1, '文字列']] as const) {
  test(`answers of the wrong type name the type in words (${kind} → 「${words}」)`, () => {
    const id = { 'string[]': 'guests', boolean: 'antispoof', string: 'wan.nic' }[kind];
    try {
      parseAnswersText(JSON.stringify({ recipe: 'single-bridge', [id]: value }), 'a.json');
      assert.unreachable('accepted');
    } catch (err) {
      const e = err as InputError;
      const message = ja(e.key, e.params);
      assert.ok(message.includes(words), message);
      assert.not.ok(message.includes(kind === 'string' ? ' string' : kind), message);
    }
  });
}

test.run();
