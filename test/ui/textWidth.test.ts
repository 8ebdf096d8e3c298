// Wrapping by display width with kinsoku, and columns padded by display width (src/ui/textWidth.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { NARROW, displayWidth, formatColumns, padEndDisplay, tableLines, wrapLabelled, wrapText } from '../../src/ui/textWidth.js';
import { screenFaults } from '../_helpers/screen.js';

test('a Japanese character is two columns, an ASCII one one', () => {
  assert.is(displayWidth('xenbr0 に eno1 を追加します'), 6 + 1 + 2 + 1 + 4 + 1 + 2 + 10);
  assert.is(padEndDisplay('適用済み', 12), '適用済み    ');
  assert.is(padEndDisplay('applied', 12), 'applied     ');
});

const rows: [string, string, number, string][] = [
  // [what, text, width, expected]
  ['ASCII words are never cut', 'one two three four five six', 10, 'one two\nthree four\nfive six'],
  ['、 never starts a line', 'ああああ、いいい', 10, 'ああああ、\nいいい'],
  ['。 never starts a line, and a verb keeps its ending', 'ゲストを移します。次へ', 16, 'ゲストを\n移します。次へ'],
  ['「ください」 is never cut in two', 'アドレスを設定してください。', 20, 'アドレスを\n設定してください。'],
  ['。 stays with the character before it, even in a cut word', 'ああああああああ。い', 16, 'あああああああ\nあ。い'],
  ['a closing bracket stays with its text', '名前 (ガイド 199 行目) です', 24, '名前 (ガイド 199 行目)\nです'],
  ['an opening bracket does not end a line', 'あいうえおかき「くけこ」', 16, 'あいうえおかき\n「くけこ」'],
  ['a number keeps its counter', 'ファイルの 1 行目 13 桁目です', 22, 'ファイルの 1 行目\n13 桁目です'],
  ['a range stays whole', 'ガイドの 24〜83 行目', 14, 'ガイドの\n24〜83 行目'],
  ['a word longer than the line is cut at the width', 'x'.repeat(25), 10, 'xxxxxxxxxx\nxxxxxxxxxx\nxxxxx'],
  ['a line that fits is left alone, spaces included', 'a  b', 10, 'a  b'],
];
for (const [what, text, width, expected] of rows) {
  test(`wrapText: ${what}`, () => {
    const wrapped = wrapText(text, width);
    assert.is(wrapped, expected);
    assert.equal(screenFaults(wrapped, width), []);
  });
}

test('wrapLabelled: continuation lines are indented under the message', () => {
  const out = wrapLabelled('エラー: ', 'wan.bridge: "virbr0" は libvirt の NAT ブリッジなので、移し先には使えません。別の名前を指定してください。', 40);
  const lines = out.split('\n');
  assert.ok(lines[0].startsWith('エラー: wan.bridge:'));
  assert.ok(lines.slice(1).every((l) => l.startsWith('  ') && !l.startsWith('   ')), out);
  assert.equal(screenFaults(out, 40), []);
});

test('formatColumns: descriptions aligned by display width and wrapped under themselves', () => {
  const out = formatColumns('  --root ディレクトリ  対象の dom0 のルートディレクトリです (既定は /)\n  --confirm-timeout 秒数  確定を待つ秒数\n  -n 個数  個数', 50);
  assert.is(out, [
    '  --root ディレクトリ  対象の dom0 のルート',
    '                       ディレクトリです (既定は /)',
    '  --confirm-timeout 秒数',
    '                       確定を待つ秒数',
    '  -n 個数              個数',
  ].join('\n'));
  assert.equal(screenFaults(out, 50), []);
});

test('tableLines: Japanese cells pad by display width, so the next column lines up', () => {
  const lines = tableLines([['20260101-a', '適用済み', 'single-bridge'], ['20260101-b', 'ロールバック済み', 'internal-l2'], ['20260101-c', 'applied', 'routed-lan']]);
  const at = lines.map((l) => displayWidth(l.slice(0, l.search(/(single-bridge|internal-l2|routed-lan)/))));
  assert.equal(new Set(at).size, 1, lines.join('\n'));
});

// The startup fast path (src/ui/textWidth.ts NARROW): text of these characters is measured and
// broken into words without string-width or Intl.Segmenter; it must give what they give.
const narrowChars = [...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)), '\u2013', '\u2014', '\u2026', '\u2192'];

test('NARROW: exactly printable ASCII and – — … →, each one column as string-width measures it', () => {
  for (let cp = 0; cp <= 0xffff; cp++) {
    const ch = String.fromCharCode(cp);
    assert.is(NARROW.test(ch), narrowChars.includes(ch), `U+${cp.toString(16)}`);
  }
  for (const ch of narrowChars) assert.is(stringWidth(ch), 1, ch);
});

test('NARROW text: display width and word breaks are string-width\'s and Intl.Segmenter\'s', () => {
  const words = new Intl.Segmenter('ja', { granularity: 'word' });
  const graphemes = new Intl.Segmenter('ja', { granularity: 'grapheme' });
  const punctuation = narrowChars.filter((c) => c > '\x7e');
  fc.assert(fc.property(fc.array(fc.constantFrom(...narrowChars), { maxLength: 40 }), (chars) => {
    const text = chars.join('');
    assert.is(displayWidth(text), stringWidth(text));
    assert.equal([...graphemes.segment(text)].map((s) => s.segment), chars);
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.array(fc.constantFrom(...punctuation), { minLength: 1, maxLength: 8 }), (chars) => {
    const text = chars.join('');
    assert.equal([...words.segment(text)].map((s) => s.segment), chars);
  }), { numRuns: 500 });
  // What the fast path hands on is measured by string-width as before.
  assert.is(displayWidth('xen — 日本語 →'), stringWidth('xen — 日本語 →'));
  assert.is(wrapText('a — b → c … d – e', 7), 'a — b →\nc … d –\ne');
  assert.is(wrapText('see https://example.org/a/very/long/path/to/cut', 20), 'see\nhttps://example.org/\na/very/long/path/to/\ncut');
});

test.run();
