// Text for a terminal: width by display columns (string-width: a Japanese character is two
// columns), line breaking with kinsoku (no 、。) 」 at the start of a line, no ( 「 at its end),
// never inside an ASCII word, and columns padded by display width, not by character count.
import { createRequire } from 'node:module';

/** Characters that may not start a line (JIS X 4051 gyoto kinsoku, the usual subset). */
const NO_LINE_START = new Set([...'、。，．,.:;?!！？：；)）]］}｝〕〉》」』】〙〗〟’”…‥ー〜～・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ%％']);
/** Characters that may not end a line (gyomatsu kinsoku). */
const NO_LINE_END = new Set([...'(（[［{｛〔〈《「『【〘〖〝‘“']);

/** A number and its counter stay on one line: "13 桁目", "2 枚目", "120 秒". */
const COUNTER = /^(?:行目|桁目|番目|枚目|つ目|個|枚|秒|件|台|回|バイト|ステップ|文字|ミリ秒)/;

// Startup (issue 11): an Intl.Segmenter costs ICU's break-iterator data, ~15 ms of a cold start,
// and string-width makes one as it loads. Text of only NARROW characters — all the English
// texts — needs neither: each such character is a grapheme and a word break of its own, one column
// wide (test/ui/textWidth.test.ts proves it against string-width and Intl.Segmenter). Anything else
// loads string-width and the segmenters on first use.
/** Printable ASCII and the non-ASCII punctuation of the English texts (– — … →): one column each. */
export const NARROW = /^[\x20-\x7e\u2013\u2014\u2026\u2192]*$/;

let segmenterOnce: Intl.Segmenter | undefined;
let graphemesOnce: Intl.Segmenter | undefined;
const segmenter = () => (segmenterOnce ??= new Intl.Segmenter('ja', { granularity: 'word' }));
const graphemes = () => (graphemesOnce ??= new Intl.Segmenter('ja', { granularity: 'grapheme' }));

/**
 * string-width, loaded when first needed: synchronously (require of an ES module) where node can
 * (≥ 20.19), else up front: main() and the watchdog await `textWidthLoaded` before anything else
 * (no top-level await here: the engine is compiled as one script, scripts/bundle.mjs).
 */
const requireModule = (process.features as { require_module?: boolean }).require_module === true;
let stringWidth: typeof import('string-width').default | undefined;
export const textWidthLoaded: Promise<void> | undefined = requireModule
  ? undefined
  : import('string-width').then((m) => { stringWidth = m.default; });
const libraryWidth = (text: string): number =>
  (stringWidth ??= (createRequire(import.meta.url)('string-width') as typeof import('string-width')).default)(text);

export const DEFAULT_WIDTH = 80;

export function displayWidth(text: string): number {
  return NARROW.test(text) ? text.length : libraryWidth(text);
}

/** Pads to `width` display columns (a Japanese character counts two). */
export function padEndDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** The width to wrap for: the terminal's when it is one (at most 200), else 80. */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } | undefined): number {
  const columns = stream?.isTTY ? stream.columns : undefined;
  return columns && columns >= 20 ? Math.min(columns, 200) : DEFAULT_WIDTH;
}

interface Atom {
  text: string;
  /** A space separated it from the atom before (the space is dropped at a line break). */
  spaced: boolean;
}

/** Japanese words (Intl.Segmenter); a run of NARROW punctuation is one word per character, as the segmenter says. */
function words(text: string): string[] {
  return NARROW.test(text) ? [...text] : [...segmenter().segment(text)].map((s) => s.segment);
}

/** Units a line may break between: ASCII words whole, Japanese by word (Intl.Segmenter), kinsoku glued. */
function atoms(line: string): Atom[] {
  const out: Atom[] = [];
  let spaced = false;
  for (const m of line.matchAll(/( +)|([\x21-\x7e]+)|([^\x20-\x7e]+)/g)) {
    if (m[1]) {
      spaced = true;
      continue;
    }
    const counter = m[3] ? COUNTER.exec(m[3]) : null;
    const rest = counter ? m[3].slice(counter[0].length) : m[3];
    const pieces = m[2] ? [m[2]] : [...(counter ? [counter[0]] : []), ...words(rest)];
    for (const [i, text] of pieces.entries()) {
      const prev = out.at(-1);
      // An ASCII word written against Japanese ("IPアドレス", "裏LAN", "dom0の") is one unit: the
      // guide puts a space where a break is allowed.
      const against = i === 0 && prev && !spaced;
      // A range stays whole too: "24〜83", "85–199".
      const range = prev && /[〜–]$/.test(prev.text) && /^\d/.test(text);
      // Hiragana (okurigana, particles, the ます of a verb) stays with the word before it, so a line
      // breaks between phrases — 「設定して|ください」 is never cut as 「くだ|さい」.
      const okurigana = prev && /^[ぁ-ゖー]/.test(text) && /[ぁ-ゖー一-龯々ァ-ヺ]$/.test(prev.text);
      const glue = prev && !spaced && (NO_LINE_START.has(text[0]) || NO_LINE_END.has(prev.text.at(-1)!) || range || okurigana || against);
      if (glue) prev.text += text;
      else if (prev && spaced && /^[\d,.〜–-]+$/.test(prev.text) && COUNTER.test(text)) prev.text += ' ' + text;
      else out.push({ text, spaced });
      spaced = false;
    }
  }
  return out;
}

/** Splits a unit wider than a whole line at grapheme boundaries (a long path or URL). */
function hardSplit(text: string, width: number): string[] {
  const parts: string[] = [];
  let current = '';
  // NARROW text is one grapheme per character (no segmenter needed, see NARROW).
  for (const segment of NARROW.test(text) ? text : Array.from(graphemes().segment(text), (s) => s.segment)) {
    if (current && displayWidth(current + segment) > width) {
      parts.push(current);
      current = '';
    }
    current += segment;
  }
  if (current) parts.push(current);
  // Kinsoku here too: a piece may not start with 、。 — the character before it moves down with it.
  for (let i = 1; i < parts.length; i++) {
    while (NO_LINE_START.has(parts[i][0]) && [...parts[i - 1]].length > 1) {
      const chars = [...parts[i - 1]];
      parts[i] = chars.pop()! + parts[i];
      parts[i - 1] = chars.join('');
    }
  }
  return parts;
}

export interface WrapOptions {
  /** Put before every line after the first of a paragraph; default: the paragraph's own leading spaces. */
  hanging?: string;
}

/** Fills lines of at most `width` columns: `first` starts the first line, `hanging` the others. */
function fill(text: string, width: number, first: string, hanging: string): string[] {
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const atom of atoms(text)) {
    const sep = !empty && atom.spaced ? ' ' : '';
    if (displayWidth(current + sep + atom.text) <= width) {
      current += sep + atom.text;
      empty = false;
      continue;
    }
    // A label or table cell alone on its line is better than a word cut in two.
    const alone = empty && current.trim() !== '' && displayWidth(hanging + atom.text) <= width;
    if (!empty || alone) {
      lines.push(current);
      current = hanging;
    }
    const pieces = hardSplit(atom.text, Math.max(10, width - displayWidth(current)));
    for (const piece of pieces.slice(0, -1)) {
      lines.push(current + piece);
      current = hanging;
    }
    current += pieces.at(-1)!;
    empty = false;
  }
  lines.push(current);
  return lines.map((l) => l.trimEnd());
}

/** Wraps text (paragraphs separated by newlines) to `width` display columns with kinsoku. */
export function wrapText(text: string, width = DEFAULT_WIDTH, options: WrapOptions = {}): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (displayWidth(line) <= width) return [line];
      const lead = /^ */.exec(line)![0];
      return fill(line.slice(lead.length), width, lead, options.hanging ?? lead);
    })
    .join('\n');
}

/**
 * Wraps a question so that what the prompt library appends after it (" (xenbr0)", the yes/no hint)
 * still fits on its last line; when it would not, the question ends with a line break instead.
 */
export function wrapBeforeTail(text: string, width: number, tailWidth: number): string {
  if (tailWidth <= 0) return wrapText(text, width);
  const marker = 'x'.repeat(tailWidth);
  const wrapped = wrapText(`${text} ${marker}`, width);
  return wrapped.slice(0, -marker.length).replace(/ $/, '');
}

/** A message of the wizard's own: continuation lines indented by two spaces, so a wrapped paragraph reads as one. */
const COMMAND_LINE = /^ +xen-net-wizard /;

export function wrapMessage(text: string, width = DEFAULT_WIDTH): string {
  return wrapLabelled('', text, width);
}

/** A message after a label ("エラー: …", "* …"): continuation lines indented under the text. */
export function wrapLabelled(label: string, text: string, width = DEFAULT_WIDTH, indent = '  '): string {
  return text
    .split('\n')
    // A command the user is to copy ("  xen-net-wizard rollback … --root … --live") stays whole:
    // broken over two lines it would run without its last options.
    .flatMap((line, i) => (COMMAND_LINE.test(line) ? [(i === 0 ? label : indent) + line.trimStart()] : fill(line, width, i === 0 ? label : indent, indent)))
    .join('\n');
}

/**
 * Help-style text: rows of "  term   description" have their description column aligned by
 * display width and wrapped under itself; everything else is wrapped as prose.
 */
export function formatColumns(text: string, width = DEFAULT_WIDTH): string {
  const row = /^( +)(\S(?:.*?\S)?)( {2,})(\S.*)$/;
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!row.test(lines[i])) {
      out.push(wrapText(lines[i], width));
      i++;
      continue;
    }
    // A block of consecutive rows (a continuation line of only indentation + text belongs to it).
    const block: { lead: string; term: string; desc: string }[] = [];
    for (; i < lines.length; i++) {
      const m = row.exec(lines[i]);
      if (block.length && /^ {10,}\S/.test(lines[i])) block.at(-1)!.desc += ' ' + lines[i].trim();
      else if (m) block.push({ lead: m[1], term: m[2], desc: m[4] });
      else break;
    }
    // The description column: after the widest term that leaves half the line; longer terms
    // get their description on the next line.
    const narrow = block.map((r) => displayWidth(r.lead + r.term)).filter((w) => w + 2 <= width / 2);
    const column = Math.max(0, ...narrow) + 2;
    for (const r of block) {
      const head = r.lead + r.term;
      if (displayWidth(head) + 2 > column) {
        const under = ' '.repeat(Math.min(column, width / 2));
        out.push(head, ...r.desc.split('\n').flatMap((d) => fill(d, width, under, under)));
        continue;
      }
      const hanging = ' '.repeat(column);
      r.desc.split('\n').forEach((d, k) => out.push(...fill(d, width, k === 0 ? padEndDisplay(head, column) : hanging, hanging)));
    }
  }
  return out.join('\n');
}

/** The wrap width of a run: its terminal's (stderr, where prompts and progress go), else 80. */
export function widthOf(ctx: { io?: { plainStderr?: boolean; stderr?: { isTTY?: boolean; columns?: number } } }): number {
  // A pipe or a file is no terminal: known without making node's stream (main.ts's defaultIo).
  return terminalWidth(ctx.io?.plainStderr ? undefined : ctx.io?.stderr);
}

/**
 * Rows of cells as aligned lines: every column but the last padded to its widest cell by display
 * width; the last column wraps under itself when the line would pass `width`.
 */
export function tableLines(rows: readonly (readonly string[])[], width = DEFAULT_WIDTH): string[] {
  if (rows.length === 0) return [];
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns - 1 }, (_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
  return rows.flatMap((row) => {
    const head = widths.map((w, c) => padEndDisplay(row[c] ?? '', w) + '  ').join('');
    const last = row[columns - 1] ?? '';
    const hanging = displayWidth(head) <= width / 2 ? ' '.repeat(displayWidth(head)) : '    ';
    return fill(last, width, head, hanging);
  });
}
