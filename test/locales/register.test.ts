// Japanese that reads as one writer's (../shared/GLOSSARY-ja.md): the polite register in every
// sentence the user reads, and the guide's terms and typography.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT } from '../_helpers/roots.js';

const ja = JSON.parse(fs.readFileSync(path.join(PROJECT, 'locales/ja.json'), 'utf8')) as Record<string, string>;
const glossary = fs.readFileSync(path.join(PROJECT, '../shared/GLOSSARY-ja.md'), 'utf8');

/**
 * Where a plain form is right: menu choices (a list item reads as an action, not as a sentence
 * to the user) and a recipe title that names the layout as the guide's heading does.
 */
const PLAIN_ALLOWED = new Set(['q.macsAuto', 'q.macsManual', 'recipe.shadow-bridge.title']);

/** Sentences of a message: split at 。 ? and line ends; placeholders and trailing "(…)" removed. */
function sentences(text: string): string[] {
  return text
    .replace(/\{\w+\}/g, 'X')
    .split(/(?<=[。?!])\s*|\n/)
    .map((s) => {
      let t = s.trim();
      for (let prev = ''; prev !== t; ) {
        prev = t;
        t = t.replace(/\s*\([^()]*\)$/, '').replace(/[。?!:…\s"」]+$/, '');
      }
      return t;
    })
    .filter(Boolean);
}

const POLITE = /(?:です|ます|ません|ください|でした|ました|ましょう)か?$/;
/** Nouns and particles that end in hiragana: 「なし」, 「適用済み」, 「確定待ち」, 「はい」, 「…へ」, 「…など」. */
const NOUN_IN_KANA = /(?:なし|済み|待ち|はい|いいえ|へ|など)$/;
/** A sentence that ends in hiragana is a verb or adjective ending: it must be a polite one. */
const VERBAL_ENDING = /[ぁ-ゖ]$/;
/** Noun endings (体言止め) are fine for titles, labels and step names, except these plain copulas and nominalisers. */
const PLAIN_NOUN_ENDING = /(?:である|こと|もの)$/;

test('every user-facing Japanese sentence is in the polite register (です/ます), not だ/である/〜すること', () => {
  const plain: string[] = [];
  for (const [key, text] of Object.entries(ja)) {
    if (PLAIN_ALLOWED.has(key)) continue;
    for (const s of sentences(text)) {
      if ((VERBAL_ENDING.test(s) && !POLITE.test(s) && !NOUN_IN_KANA.test(s)) || PLAIN_NOUN_ENDING.test(s) || /だ$/.test(s)) plain.push(`${key}: …${s.slice(-20)}`);
    }
  }
  assert.equal(plain, []);
});

test('the register check has teeth: it finds the plain forms the issue listed', () => {
  const samples = ['"{bridge}" は既に存在し、ブリッジではない', 'manual にしておくこと', '内部ネットワークには専用のブリッジが必要', 'デフォルトゲートウェイはルータのままにする (seed 000 87行目)。', 'libvirt の NAT ブリッジで、ゲストをそこから外すためのレシピである'];
  const flagged = samples.filter((text) => sentences(text).some((s) => (VERBAL_ENDING.test(s) && !POLITE.test(s)) || PLAIN_NOUN_ENDING.test(s)));
  // "…が必要" is a noun ending the check cannot tell from a title; the glossary check below catches the rest.
  assert.equal(flagged.length, samples.length - 1, flagged.join('\n'));
});

test('errors say what to do: every error with a sentence of its own asks for an action or states the fact politely', () => {
  const silent = Object.entries(ja)
    .filter(([key]) => key.startsWith('error.') && !['error.prefix', 'error.nothingChanged', 'error.interrupted', 'error.internal'].includes(key))
    .filter(([, text]) => !/(?:ください|ません|です|ます|ました|でした)/.test(text))
    .map(([key]) => key);
  assert.equal(silent, []);
});

/** The glossary's "not" column, read from the table itself so that the test follows the glossary. */
function forbiddenFromGlossary(): string[] {
  const rows = glossary.split('\n').filter((l) => /^\| [^-|]/.test(l) && !/^\| concept/.test(l));
  return rows.flatMap((row) => {
    const not = row.split('|')[3]?.trim() ?? '';
    return not.split(',').map((s) => s.trim()).filter((s) => s && !/mixed|both|bare noun|^–$/.test(s));
  });
}

test('terminology: none of the glossary\'s rejected spellings appears in ja.json', () => {
  const forbidden = forbiddenFromGlossary();
  assert.ok(forbidden.includes('インターフェース') && forbidden.includes('既に') && forbidden.includes('パーミション'), forbidden.join(', '));
  const found = Object.entries(ja).flatMap(([key, text]) => forbidden.filter((word) => text.includes(word)).map((word) => `${key}: ${word}`));
  assert.equal(found, []);
});

const TERM_RULES: [string, RegExp][] = [
  ['the guide is 「ガイド N 行目」, never "seed 000"', /seed \d{3}|\d行|\d+ 行(?![目で])/],
  ['ordinals keep a space: 2 枚目の NIC, 2 つ目の vif', /\d(?:枚|つ)目|第\d/],
  ['LAN 側 / LAN 用 with a space (裏LAN 用 as the guide)', /(?<!裏)LAN(?:側|用)|裏LAN用/],
  ['ranges use 〜, not – or ~', /\d\s*[–~]\s*\d/],
  ['half-width parentheses', /[（）]/],
  ['a run is 実行 ID, not a bare 実行 before its id', /実行 \{id\}/],
  ['the --root directory is ルートディレクトリ, not ルート', /ルート以下|ルート: \{root\}|フィクスチャのルート/],
  ['IPアドレス and IPフォワーディング are one word', /IP (?:アドレス|フォワーディング)/],
  ['a space between Japanese and ASCII words', /[ぁ-ゖァ-ヺ一-龯](?<!裏)[A-Za-z]{2,}|[A-Za-z]{2,}[ぁ-ゖ一-龯]/],
  ['no English placeholders in --help', /\b(?:FILE|DIR|SEC|SECONDS)\b|\[-n N\]|--count N\b/],
];

for (const [rule, pattern] of TERM_RULES) {
  test(`terminology: ${rule}`, () => {
    const found = Object.entries(ja).filter(([, text]) => pattern.test(text)).map(([key, text]) => `${key}: ${text.match(pattern)![0]}`);
    assert.equal(found, []);
  });
}

test('one form per kind of question: a choice asks 「…はどれですか?」, yes/no 「…しますか?」, a value 「…を入力してください:」', () => {
  const odd = Object.entries(ja)
    // Choice labels and the notes beside a choice are not questions.
    .filter(([key]) => key.startsWith('q.') && !/^q\.(?:guestNotOnNat|nicEnslaved|macsAuto|macsManual)/.test(key))
    .filter(([, text]) => !/(?:はどれですか\?|ますか\?|入力してください(?: \([^)]*\))?:)/.test(text))
    .map(([key, text]) => `${key}: ${text}`);
  assert.equal(odd, []);
});

test.run();
