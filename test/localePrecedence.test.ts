// Which language the wizard speaks: LC_ALL, then LC_MESSAGES, then LANG — the first one set and
// non-empty wins (POSIX, create-vue's order), in both directions, and --lang over all of them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { langFromEnv, type Lang } from '../src/i18n.js';
import { runCli } from './_helpers/roots.js';

const JA = 'ja_JP.UTF-8';
const EN = 'en_US.UTF-8';
const rows: [Record<string, string>, Lang][] = [
  [{}, 'en'],
  [{ LANG: JA }, 'ja'],
  [{ LANG: 'C' }, 'en'],
  [{ LC_MESSAGES: JA, LANG: EN }, 'ja'],
  [{ LC_MESSAGES: EN, LANG: JA }, 'en'],
  [{ LC_ALL: JA, LC_MESSAGES: EN, LANG: EN }, 'ja'],
  [{ LC_ALL: 'C', LC_MESSAGES: JA, LANG: JA }, 'en'],
  [{ LC_ALL: EN, LANG: JA }, 'en'],
  [{ LC_ALL: JA, LANG: 'C' }, 'ja'],
  [{ LC_ALL: '', LC_MESSAGES: JA, LANG: EN }, 'ja'], // empty counts as unset
  [{ LC_ALL: '', LC_MESSAGES: '', LANG: JA }, 'ja'],
  [{ LANG: 'JA_JP' }, 'ja'],
];
for (const [env, lang] of rows) {
  test(`${JSON.stringify(env)} → ${lang}`, () => {
    assert.is(langFromEnv(env), lang);
  });
}

const missingRoot = (env: NodeJS.ProcessEnv, extra: string[] = []) =>
  runCli(['plan', '--root', path.join('/nonexistent', String(process.pid)), ...extra], { env: { LANG: '', ...env } });

test('the CLI: LC_ALL=C over LANG=ja gives English; LC_ALL=ja over LANG=C gives Japanese; LC_MESSAGES over LANG', () => {
  const en = missingRoot({ LC_ALL: 'C', LANG: JA });
  assert.is(en.status, 2);
  assert.match(en.stderr, /^error: /m);
  const ja = missingRoot({ LC_ALL: JA, LANG: 'C' });
  assert.is(ja.status, 2);
  assert.match(ja.stderr, /^エラー: /m);
  assert.match(missingRoot({ LC_MESSAGES: JA, LANG: 'C' }).stderr, /^エラー: /m);
  assert.match(missingRoot({ LC_MESSAGES: 'C', LANG: JA }).stderr, /^error: /m);
  assert.match(missingRoot({ LC_ALL: JA }, ['--lang', 'en']).stderr, /^error: /m, '--lang wins');
});

test.run();
