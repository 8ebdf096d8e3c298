// Xen guest configs and xl.conf: xl's grammar (libxlutil) and xm's, which is Python source. A
// Python-aware tokenizer finds top-level `key = value` settings with their exact offsets, so an
// edit rewrites one token and nothing else. Values that are not literals ('ip=%d' % vmid) are kept
// as expressions; Python statements (def, import, calls) are skipped, not errors.
import { InputError } from '../errors.js';

export type XlValue =
  | { kind: 'string'; value: string; raw: string; start: number; end: number }
  | { kind: 'number'; value: number; raw: string; start: number; end: number }
  | { kind: 'list'; items: XlValue[]; start: number; end: number }
  | { kind: 'expression'; raw: string; start: number; end: number };

/** `op` is '+=' for xl's (and Python's) append: `vif += [ "…" ]` extends the list set before it. */
export interface XlSetting { key: string; value: XlValue; start: number; end: number; line: number; op: '=' | '+=' }
export interface XlConfig { text: string; file: string; settings: XlSetting[] }

export type VifItem =
  | { index: number; spec: string; start: number; end: number }
  | { index: number; expression: string; start: number; end: number };

type TokenKind = 'string' | 'number' | 'name' | 'op' | 'comment' | 'end';
interface Token {
  kind: TokenKind; text: string; start: number; end: number; line: number; column: number;
  /** The logical line this token is on starts indented (a Python block body). */
  indented: boolean;
  /** First token on its physical line (tells a whole-line comment from a trailing one). */
  lineFirst: boolean;
  /** For an opening bracket: where its closing bracket starts. */
  closeAt?: number;
}

// Three-character operators first, so the scanner takes the longest match.
const OPERATORS = ['**=', '//=', '>>=', '<<=', '...', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '<>', '->', ':=',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '+', '-', '*', '/', '%', '&', '|', '^', '~', '<', '>', '=',
  '.', ':', ',', ';', '@', '`', '(', ')', '[', ']', '{', '}'];
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'ur', 'fr', 'rf']);
// Statements that are Python, not settings (xmexample2: def vmid_check(…):, import, if …).
const PY_KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with',
  'import', 'from', 'return', 'pass', 'raise', 'assert', 'del', 'global', 'nonlocal', 'print', 'break', 'continue', 'exec', 'yield']);
const PY_STATEMENT_SECOND = new Set(['(', '[', ',', ':', '-=', '*=', '/=', '%=', '**=', '//=', '&=', '|=', '^=', '>>=', '<<=', '@=']);

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
const isIdentChar = (c: string) => isIdentStart(c) || isDigit(c);

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  const open: Token[] = [];
  let i = text.startsWith('\ufeff') ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  let lineFirst = true; // no token yet on this physical line
  let logicalStart = true; // no token yet on this logical line
  let indented = false;
  const fail = (key: string, at: number, l = line, ls = lineStart): never => {
    throw new InputError(key, { file, line: l, column: at - ls + 1 });
  };
  const push = (kind: TokenKind, start: number, end: number, l = line, ls = lineStart): Token => {
    const tok: Token = { kind, text: text.slice(start, end), start, end, line: l, column: start - ls + 1, indented, lineFirst };
    tokens.push(tok);
    lineFirst = false;
    if (kind !== 'comment') logicalStart = false;
    return tok;
  };
  const endStatement = (at: number) => {
    if (open.length === 0 && !logicalStart) push('end', at, at);
    if (open.length === 0) logicalStart = true;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      endStatement(i);
      i++;
      line++;
      lineStart = i;
      lineFirst = true;
      if (logicalStart) indented = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r') {
      if (logicalStart && lineFirst) indented = true;
      i++;
      continue;
    }
    if (c === '\\') {
      // Python line continuation: the statement goes on on the next line.
      const next = text[i + 1] === '\r' ? i + 2 : i + 1;
      if (text[next] !== '\n') fail('error.configSyntax.unexpectedChar', i);
      i = next + 1;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      let j = i;
      while (j < text.length && text[j] !== '\n') j++;
      push('comment', i, j);
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      i = scanString(i, i);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(text[i + 1] ?? ''))) {
      const hex = c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X');
      let j = i;
      while (j < text.length && (isIdentChar(text[j]) || text[j] === '.')) {
        const exponent = !hex && (text[j] === 'e' || text[j] === 'E') && (text[j + 1] === '+' || text[j + 1] === '-');
        j += exponent ? 2 : 1;
      }
      push('number', i, j);
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i;
      while (j < text.length && isIdentChar(text[j])) j++;
      if ((text[j] === '"' || text[j] === "'") && STRING_PREFIXES.has(text.slice(i, j).toLowerCase())) {
        i = scanString(i, j);
        continue;
      }
      // xl keys are dotted (vif.default.bridge); in Python the same bytes are an attribute chain.
      while (text[j] === '.' && isIdentChar(text[j + 1] ?? '')) for (j++; j < text.length && isIdentChar(text[j]); j++);
      push('name', i, j);
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) return fail('error.configSyntax.unexpectedChar', i);
    if (op === ';' && open.length === 0) {
      endStatement(i);
    } else if (CLOSER[op]) {
      open.push(push('op', i, i + 1));
    } else if (op === ')' || op === ']' || op === '}') {
      const opener = open.pop();
      if (!opener || CLOSER[opener.text] !== op) fail('error.configSyntax.unbalancedBracket', i);
      opener!.closeAt = i;
      push('op', i, i + 1);
    } else {
      push('op', i, i + op.length);
    }
    i += op.length;
  }
  const unclosed = open.pop();
  if (unclosed) throw new InputError('error.configSyntax.unbalancedBracket', { file, line: unclosed.line, column: unclosed.column });
  endStatement(text.length);
  return tokens;

  /** A string token from `start` (its prefix, if any) whose quote is at `quoteAt`; returns its end. */
  function scanString(start: number, quoteAt: number): number {
    const q = text[quoteAt];
    const triple = text.startsWith(q.repeat(3), quoteAt);
    const close = triple ? q.repeat(3) : q;
    const [startLine, startLineStart] = [line, lineStart];
    let j = quoteAt + close.length;
    for (;;) {
      if (j >= text.length) return fail('error.configSyntax.unterminatedString', start, startLine, startLineStart);
      const ch = text[j];
      if (ch === '\\') {
        // An escaped newline is a continuation inside the string (Python); the line count goes on.
        const skip = text[j + 1] === '\r' && text[j + 2] === '\n' ? 3 : 2;
        if (text[j + skip - 1] === '\n') [line, lineStart] = [line + 1, j + skip];
        j += skip;
        continue;
      }
      if (ch === '\n') {
        if (!triple) return fail('error.configSyntax.unterminatedString', start, startLine, startLineStart);
        [line, lineStart] = [line + 1, j + 1];
      }
      if (text.startsWith(close, j)) break;
      j++;
    }
    const end = j + close.length;
    push('string', start, end, startLine, startLineStart);
    return end;
  }
}

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
    const lit = decodeStringLiteral(first.text);
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
function scan(text: string, file: string): { settings: XlSetting[]; comments: Token[] } {
  const settings: XlSetting[] = [];
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
  return { settings, comments };

  /** Records a setting or skips Python; returns whether the lines after it are a block body. */
  function statement([first, second, ...rest]: Token[], inBody: boolean): boolean {
    // The body of a Python block (xmexample2's def vmid_check) is code, not configuration. An
    // indented line anywhere else is read as usual: libxlutil ignores indentation.
    if (first.indented && inBody) return true;
    // `name =` is never a Python statement that starts with a keyword, so this test goes first.
    if (first.kind === 'name' && (second?.text === '=' || second?.text === '+=')) {
      if (rest.length === 0) throw new InputError('error.configSyntax.missingValue', { file, line: second.line, column: second.column });
      const value = parseValue(rest, text, file);
      settings.push({ key: first.text, value, start: first.start, end: value.end, line: first.line, op: second.text });
      return false;
    }
    if (first.kind === 'name' && PY_KEYWORDS.has(first.text)) {
      const lastTok = rest[rest.length - 1] ?? second;
      return lastTok?.text === ':'; // a compound statement's header opens a block
    }
    const call = first.kind === 'name' && PY_STATEMENT_SECOND.has(second?.text ?? '');
    const docstring = first.kind === 'string' && !second;
    if (call || docstring || first.text === '@') return false;
    throw new InputError('error.configSyntax.notAssignment', { file, line: first.line, column: first.column });
  }
}

export function parseXlConfig(text: string, file: string): XlConfig {
  return { text, file, settings: scan(text, file).settings };
}

/** The last assignment of `key` wins, as in Python and libxlutil. */
export function getSetting(cfg: XlConfig, key: string): XlSetting | undefined {
  return cfg.settings.filter((s) => s.key === key).pop();
}

/** The string value of `key`, with `+=` appends applied; undefined when unset or not a string. */
export function getString(cfg: XlConfig, key: string): string | undefined {
  let value: string | null | undefined;
  for (const s of cfg.settings.filter((x) => x.key === key)) {
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
  for (const s of cfg.settings.filter((x) => x.key === 'vif')) {
    const items = s.value.kind === 'list' ? s.value.items : [s.value];
    values = s.op === '+=' ? [...values, ...items] : items;
  }
  return values.map((v, index) =>
    v.kind === 'string'
      ? { index, spec: v.value, start: v.start, end: v.end }
      : { index, expression: cfg.text.slice(v.start, v.end), start: v.start, end: v.end });
}

interface StringLiteral {
  prefix: string; quote: string; isRaw: boolean;
  /** False for f-strings (code) and bytes: not a value we can read. */
  literal: boolean;
  value: string;
  /** map[i]: offset in the token where decoded character i comes from; map[value.length]: the closing quote. */
  map: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };
const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** Python's string escapes. libxlutil knows the same simple ones (and mangles \x and octal). */
function decodeStringLiteral(token: string): StringLiteral {
  let p = 0;
  while (token[p] !== '"' && token[p] !== "'") p++;
  const prefix = token.slice(0, p);
  const quote = token.startsWith(token[p].repeat(3), p) ? token[p].repeat(3) : token[p];
  const bodyEnd = token.length - quote.length;
  const isRaw = prefix.toLowerCase().includes('r');
  let value = '';
  const map: number[] = [];
  const emit = (s: string, at: number) => {
    value += s;
    for (let k = 0; k < s.length; k++) map.push(at);
  };
  for (let i = p + quote.length; i < bodyEnd;) {
    const n = token[i + 1];
    if (token[i] !== '\\' || isRaw) {
      emit(token[i], i);
      i++;
    } else if (SIMPLE_ESCAPES[n] !== undefined) {
      emit(SIMPLE_ESCAPES[n], i);
      i += 2;
    } else if (n === '\n' || (n === '\r' && token[i + 2] === '\n')) {
      i += n === '\n' ? 2 : 3; // an escaped newline joins the lines and adds nothing
    } else if (isOctal(n)) {
      let j = i + 1;
      while (j < i + 4 && isOctal(token[j])) j++;
      emit(String.fromCharCode(parseInt(token.slice(i + 1, j), 8)), i);
      i = j;
    } else {
      const width = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
      const digits = token.slice(i + 2, i + 2 + width);
      const code = width > 0 && digits.length === width && [...digits].every(isHex) ? parseInt(digits, 16) : -1;
      if (code >= 0 && code <= 0x10ffff) {
        emit(String.fromCodePoint(code), i);
        i += 2 + width;
      } else {
        emit('\\', i); // unknown escapes (and \N{…}) keep their backslash, as in Python
        i++;
      }
    }
  }
  map.push(bodyEnd);
  const kind = prefix.toLowerCase();
  return { prefix, quote, isRaw, literal: !kind.includes('f') && !kind.includes('b'), value, map };
}

/** The inside of a string token for `value`; null when a raw string cannot hold it. */
function encodeStringBody(value: string, quote: string, isRaw: boolean): string | null {
  const q = quote[0];
  if (isRaw) return [...value].some((c) => c === q || c === '\\' || c === '\n' || c === '\r') ? null : value;
  // Only escapes that Python and libxlutil read alike.
  return [...value].map((c) => (c === '\\' || c === q ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c)).join('');
}

const quoted = (value: string) => `"${encodeStringBody(value, '"', false)}"`;

/**
 * Replace characters [from, to) of the string token at text[start, end) — offsets in its decoded
 * value — with `insert`, keeping the prefix, the quotes and every other byte of the token.
 */
export function spliceStringLiteral(text: string, start: number, end: number, from: number, to: number, insert: string): string {
  const token = text.slice(start, end);
  const lit = decodeStringLiteral(token);
  const body = encodeStringBody(insert, lit.quote, lit.isRaw);
  // A short octal escape right before the cut would swallow inserted digits (\1 then "2" reads \12).
  const prev = from > 0 ? lit.map[from - 1] : -1;
  const octalBefore = prev >= 0 && !lit.isRaw && token[prev] === '\\' && isOctal(token[prev + 1]) && lit.map[from] - prev < 4;
  if (body !== null && !octalBefore) return text.slice(0, start + lit.map[from]) + body + text.slice(start + lit.map[to]);
  // Rare: rewrite the whole token as an ordinary string with the same quotes.
  const value = lit.value.slice(0, from) + insert + lit.value.slice(to);
  const prefix = [...lit.prefix].filter((c) => c !== 'r' && c !== 'R').join('');
  return text.slice(0, start) + prefix + lit.quote + encodeStringBody(value, lit.quote, false) + lit.quote + text.slice(end);
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
