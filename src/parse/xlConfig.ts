// Xen guest configs and xl.conf: xl's grammar (libxlutil) and xm's, which is Python source. A
// Python-aware tokenizer finds top-level `key = value` settings with their exact offsets, so an
// edit rewrites one token and nothing else. Values that are not literals ('ip=%d' % vmid) are kept
// as expressions; Python statements (def, import, calls) are skipped, not errors.
import { InputError } from '../errors.js';
import { CLOSER, PY_KEYWORDS, PY_STATEMENT_SECOND, tokenize, type Token } from './xlTokens.js';
import { decodeStringLiteral, quoted, spliceStringLiteral } from './xlString.js';

export type XlValue =
  | { kind: 'string'; value: string; raw: string; start: number; end: number }
  | { kind: 'number'; value: number; raw: string; start: number; end: number }
  | { kind: 'list'; items: XlValue[]; start: number; end: number }
  | { kind: 'expression'; raw: string; start: number; end: number };

/** `op` is '+=' for xl's (and Python's) append: `vif += [ "…" ]` extends the list set before it. */
export interface XlSetting { key: string; value: XlValue; start: number; end: number; line: number; op: '=' | '+=' }
/** Python that xm ran and we do not: a block's header or body line, an import, a call (1-based line). */
export interface SkippedPython { line: number; /** The key a skipped line assigns (inside a block), else null. */ assigns: string | null }
export interface XlConfig { text: string; file: string; settings: XlSetting[]; /** Python statements skipped, in file order. */ skipped?: SkippedPython[] }

export type VifItem =
  | { index: number; spec: string; start: number; end: number }
  | { index: number; expression: string; start: number; end: number };

/** Python's number literals (and xl's, a subset); null for what only looks like one ("12abc", 1j). */
function numberValue(raw: string): number | null {
  let s = raw.split('_').join('');
  if (s.endsWith('l') || s.endsWith('L')) s = s.slice(0, -1); // Python 2 long: 10L
  // Python 2 octal (0755) — libxlutil's strtol(…, 0) reads it the same way.
  if (s.length > 1 && s[0] === '0' && [...s].every((c) => c >= '0' && c <= '7')) return parseInt(s, 8);
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? n : null;
}

function parseValue(toks: Token[], text: string, file: string): XlValue {
  const first = toks[0];
  const last = toks[toks.length - 1];
  const [start, end] = [first.start, last.end];
  const expression = (): XlValue => ({ kind: 'expression', raw: text.slice(start, end), start, end });
  if (toks.length === 1 && first.kind === 'string') {
    const lit = decodeStringLiteral(first.text, false);
    // f-strings are code; bytes are not text. Neither is a setting we can read.
    return lit.literal ? { kind: 'string', value: lit.value, raw: first.text, start, end } : expression();
  }
  const signed = toks.length === 2 && (first.text === '-' || first.text === '+') && last.kind === 'number';
  if ((toks.length === 1 && first.kind === 'number') || signed) {
    const n = numberValue(last.text);
    if (n === null) return expression();
    return { kind: 'number', value: first.text === '-' ? -n : n, raw: text.slice(start, end), start, end };
  }
  if (first.text !== '[' || first.closeAt !== last.start) return expression();
  // A list: items split at its own commas; a trailing comma is allowed (Python and xl alike).
  const items: XlValue[] = [];
  let item: Token[] = [];
  let depth = 0;
  for (const t of toks.slice(1, -1)) {
    if (t.kind === 'op' && CLOSER[t.text]) depth++;
    if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    if (depth > 0 || t.text !== ',' || t.kind !== 'op') {
      item.push(t);
      continue;
    }
    if (item.length === 0) throw new InputError('error.configSyntax.unexpectedToken', { file, line: t.line, column: t.column, token: ',' });
    items.push(parseValue(item, text, file));
    item = [];
  }
  if (item.length > 0) items.push(parseValue(item, text, file));
  return { kind: 'list', items, start, end };
}

/** Settings, plus the comments (setXlSetting looks for the commented example of a key). */
function scan(text: string, file: string): { settings: XlSetting[]; comments: Token[]; skipped: SkippedPython[] } {
  const settings: XlSetting[] = [];
  const skipped: SkippedPython[] = [];
  const comments: Token[] = [];
  let inBlock = false;
  let stmt: Token[] = [];
  for (const tok of tokenize(text, file)) {
    if (tok.kind === 'comment') comments.push(tok);
    else if (tok.kind !== 'end') stmt.push(tok);
    else if (stmt.length > 0) {
      inBlock = statement(stmt, inBlock);
      stmt = [];
    }
  }
  return { settings, comments, skipped };

  /** Records a setting or skips Python; returns whether the lines after it are a block body. */
  function statement([first, second, ...rest]: Token[], inBody: boolean): boolean {
    // The body of a Python block (xmexample2's def vmid_check) is code, not configuration. An
    // indented line anywhere else is read as usual: libxlutil ignores indentation.
    if (first.indented && inBody) {
      skipped.push({ line: first.line, assigns: first.kind === 'name' && (second?.text === '=' || second?.text === '+=') ? first.text : null });
      return true;
    }
    // `name =` is never a Python statement that starts with a keyword, so this test goes first.
    if (first.kind === 'name' && (second?.text === '=' || second?.text === '+=')) {
      if (rest.length === 0) throw new InputError('error.configSyntax.missingValue', { file, line: second.line, column: second.column });
      const value = parseValue(rest, text, file);
      settings.push({ key: first.text, value, start: first.start, end: value.end, line: first.line, op: second.text });
      return false;
    }
    if (first.kind === 'name' && PY_KEYWORDS.has(first.text)) {
      skipped.push({ line: first.line, assigns: null });
      const lastTok = rest[rest.length - 1] ?? second;
      return lastTok?.text === ':'; // a compound statement's header opens a block
    }
    const call = first.kind === 'name' && PY_STATEMENT_SECOND.has(second?.text ?? '');
    const docstring = first.kind === 'string' && !second;
    if (call || first.text === '@') skipped.push({ line: first.line, assigns: null });
    if (call || docstring || first.text === '@') return false;
    throw new InputError('error.configSyntax.notAssignment', { file, line: first.line, column: first.column });
  }
}

export function parseXlConfig(text: string, file: string): XlConfig {
  const simple = scanSimple(text); // plain configs without the tokenizer (issue 11): scanSimple, at the end
  return simple ? { text, file, settings: simple, skipped: [] } : parseXlConfigFull(text, file);
}

/** The last assignment of `key` wins, as in Python and libxlutil. */
export function getSetting(cfg: XlConfig, key: string): XlSetting | undefined {
  for (let i = cfg.settings.length - 1; i >= 0; i--) if (cfg.settings[i].key === key) return cfg.settings[i];
  return undefined;
}

/** The string value of `key`, with `+=` appends applied; undefined when unset or not a string. */
export function getString(cfg: XlConfig, key: string): string | undefined {
  let value: string | null | undefined;
  for (const s of cfg.settings) {
    if (s.key !== key) continue;
    const next = s.value.kind === 'string' ? s.value.value : null;
    if (s.op === '=') value = next;
    else value = next === null || value === null ? null : (value ?? '') + next;
  }
  return value ?? undefined;
}

/**
 * The items of `vif`, `+=` appends included. A single string `vif = "…"` counts as one item: that
 * is what its author meant (xl 4.17 itself only warns that vif should be a list, and skips it).
 */
export function vifSpecs(cfg: XlConfig): VifItem[] {
  let values: XlValue[] = [];
  for (const s of cfg.settings) {
    if (s.key !== 'vif') continue;
    const items = s.value.kind === 'list' ? s.value.items : [s.value];
    values = s.op === '+=' ? [...values, ...items] : items;
  }
  const out: VifItem[] = [];
  for (let index = 0; index < values.length; index++) {
    const v = values[index];
    out.push(v.kind === 'string'
      ? { index, spec: v.value, start: v.start, end: v.end }
      : { index, expression: cfg.text.slice(v.start, v.end), start: v.start, end: v.end });
  }
  return out;
}

/** `#vif.default.bridge="xenbr0"` is a commented-out example of the key vif.default.bridge. */
function isCommentedExample(comment: string, key: string): boolean {
  let i = 0;
  while (comment[i] === '#' || comment[i] === ' ' || comment[i] === '\t') i++;
  if (!comment.startsWith(key, i)) return false;
  for (i += key.length; comment[i] === ' ' || comment[i] === '\t'; i++);
  return comment[i] === '=' && comment[i + 1] !== '=';
}

/**
 * Set a top-level string (xl.conf's vif.default.bridge): replace the live value token, else add a
 * live line right after the commented example of the key (stock xl.conf has one), else at the end.
 */
export function setXlSetting(text: string, file: string, key: string, value: string): string {
  const { settings, comments } = scan(text, file);
  const live = settings.filter((s) => s.key === key).pop();
  if (live && getString({ text, file, settings }, key) === value) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const line = `${key}=${quoted(value)}${eol}`;
  if (live && live.op === '=') {
    const v = live.value;
    if (v.kind === 'string') return spliceStringLiteral(text, v.start, v.end, 0, v.value.length, value);
    return text.slice(0, v.start) + quoted(value) + text.slice(v.end);
  }
  const example = comments.filter((c) => c.lineFirst && isCommentedExample(c.text, key)).pop();
  if (!live && example) {
    const next = text.indexOf('\n', example.end);
    if (next >= 0) return text.slice(0, next + 1) + line + text.slice(next + 1);
  }
  // Appended last, it wins over anything before it (a `+=` chain included).
  return text + (text === '' || text.endsWith('\n') ? '' : eol) + line;
}

/** The tokenizer's reading of a config: the whole grammar, every error with its line. */
export function parseXlConfigFull(text: string, file: string): XlConfig {
  const { settings, skipped } = scan(text, file);
  return { text, file, settings, skipped };
}

// The plain shape of almost every guest config: `key = "string"`, `key = 123` or a list of those,
// comments and blank lines. Read with sticky regexes (native code from the first call) instead of
// the tokenizer, which a cold plan over 1,000 guests runs mostly unoptimized (issue 11). It returns
// what scan() would, or null on anything else (Python, escapes, CR, a BOM, non-ASCII names, errors),
// and scan() decides; test/parse/xlFastScan.test.ts proves both agree on the corpus and random input.
const BLANK = /[ \t]*(?:#[^\n]*)?(?:\n|$)/y;
const KEY_OP = /[ \t]*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)[ \t]*(\+?=)[ \t]*/y;
/** What may follow a value: blank, a comment, the next list item, the list's end (or the text's end). */
const VALUE_END = ' \t\n#,]';
/** Blank space inside a list: newlines and comments included. */
const LIST_GAP = /(?:[ \t\n]|#[^\n]*)*/y;

export function scanSimple(text: string): XlSetting[] | null {
  if (text.includes('\r') || text.startsWith('\ufeff')) return null;
  const settings: XlSetting[] = [];
  let line = 1;
  let i = 0;
  const match = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (m) i = re.lastIndex;
    return m;
  };
  // As match, without the match array (blank lines and gaps have nothing to capture).
  const skip = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  // A string without escapes (not triple-quoted: the check after it sees a third quote) or a
  // decimal integer, ending where a value may end. By hand, not a regex: this runs for every value
  // of every guest, and V8 ran that regex's alternation interpreted on a cold plan (~16 ms of 1,000
  // guests' 175).
  const endsValue = (k: number): boolean => k === text.length || VALUE_END.includes(text[k]!);
  const scalar = (): XlValue | null => {
    const start = i;
    const c = text[i];
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1);
      if (close < 0) return null;
      const value = text.slice(i + 1, close);
      if (value.includes('\\') || value.includes('\n') || !endsValue(close + 1)) return null;
      i = close + 1;
      return { kind: 'string', value, raw: text.slice(start, i), start, end: i };
    }
    let end = i + 1;
    if (c === '0') {
      // 0 alone: 01 is no decimal integer.
    } else if (c !== undefined && c >= '1' && c <= '9') {
      while (end < text.length && text[end]! >= '0' && text[end]! <= '9') end++;
    } else {
      return null;
    }
    if (!endsValue(end)) return null;
    i = end;
    const raw = text.slice(start, end);
    return { kind: 'number', value: Number(raw), raw, start, end };
  };
  const gap = () => {
    const from = i;
    skip(LIST_GAP);
    for (let k = text.indexOf('\n', from); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) line++;
  };
  while (i < text.length) {
    const lineStart = i;
    if (skip(BLANK)) {
      line++;
      continue;
    }
    const keyOp = match(KEY_OP);
    if (!keyOp) return null;
    const keyStart = lineStart + keyOp[0].indexOf(keyOp[1]);
    const keyLine = line;
    let value: XlValue | null;
    if (text[i] === '[') {
      const start = i++;
      const items: XlValue[] = [];
      for (;;) {
        gap();
        if (text[i] === ']') break;
        const item = scalar();
        if (!item) return null;
        items.push(item);
        gap();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') return null;
      }
      i++;
      value = { kind: 'list', items, start, end: i };
    } else {
      value = scalar();
      if (!value) return null;
    }
    const end = i;
    if (!skip(BLANK)) return null;
    settings.push({ key: keyOp[1], value, start: keyStart, end, line: keyLine, op: keyOp[2] as '=' | '+=' });
    line++;
  }
  return settings;
}
