// Every user-facing string lives in both locale files, with the same keys and placeholders,
// and every key the code uses exists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT } from './_helpers/roots.js';

const en = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/en.json'), 'utf8')) as Record<string, string>;
const ja = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/ja.json'), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('en and ja have the same keys', () => {
  assert.equal(Object.keys(ja).sort(), Object.keys(en).sort());
});

test('each message has the same placeholders in both languages', () => {
  for (const key of Object.keys(en)) {
    assert.equal(placeholders(ja[key] ?? ''), placeholders(en[key]), key);
  }
});

test('Japanese messages are Japanese (not copies of the English)', () => {
  const same = Object.keys(en).filter((k) => en[k] === ja[k] && /[a-z]{4,}/.test(en[k]) && !/^\S+$/.test(en[k]));
  assert.equal(same, []);
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

test('every literal key the code uses exists in the locales', () => {
  const used = new Set<string>();
  for (const file of [...sources(path.join(PROJECT, 'src')), ...sources(path.join(PROJECT, 'steps'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:\bt|Error)\(\s*'([a-z][\w.-]*\.[\w.-]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/\bkey: '([a-z][\w-]*\.[\w.-]+)'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !(k in en));
  assert.equal(missing, []);
  assert.ok(used.size > 50, `found ${used.size} keys in use`);
});

test.run();
