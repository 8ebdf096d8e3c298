// The string codec of xl/xm configs: a Python string token decoded to its value (with where each
// character came from), and a value written back into a token, keeping its prefix and quotes.
import { isDigit } from './xlTokens.js';

interface StringLiteral {
  prefix: string; quote: string; isRaw: boolean;
  /** False for f-strings (code) and bytes: not a value we can read. */
  literal: boolean;
  value: string;
  /** Where the body starts in the token (after prefix and opening quote). */
  bodyStart: number;
  /** The value is the body as written (raw, or no escape in it): character i is at bodyStart + i. */
  plain: boolean;
  /** map[i]: offset in the token where decoded character i comes from; map[value.length]: the closing quote (empty unless asked for). */
  map: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"' };
export const isOctal = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

/** Python's string escapes. libxlutil knows the same simple ones (and mangles \x and octal). `withMap`: for splicing. */
export function decodeStringLiteral(token: string, withMap = true): StringLiteral {
  let p = 0;
  while (token[p] !== '"' && token[p] !== "'") p++;
  const prefix = token.slice(0, p);
  const quote = token.startsWith(token[p].repeat(3), p) ? token[p].repeat(3) : token[p];
  const bodyEnd = token.length - quote.length;
  const isRaw = prefix.toLowerCase().includes('r');
  const kind = prefix.toLowerCase();
  const literal = !kind.includes('f') && !kind.includes('b');
  const bodyStart = p + quote.length;
  // Most values have no backslash: the body is the value, character for character (cold start,
  // issue 11: a plan over 1,000 guests decodes thousands of them once each).
  if (isRaw || token.indexOf('\\', bodyStart) < 0 || token.indexOf('\\', bodyStart) >= bodyEnd) {
    const value = token.slice(bodyStart, bodyEnd);
    const map: number[] = [];
    if (withMap) {
      for (let k = bodyStart; k < bodyEnd; k++) map.push(k);
      map.push(bodyEnd);
    }
    return { prefix, quote, isRaw, literal, value, bodyStart, plain: true, map };
  }
  let value = '';
  const map: number[] = [];
  const emit = (s: string, at: number) => {
    value += s;
    if (withMap) for (let k = 0; k < s.length; k++) map.push(at);
  };
  for (let i = bodyStart; i < bodyEnd;) {
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
  if (withMap) map.push(bodyEnd);
  return { prefix, quote, isRaw, literal, value, bodyStart, plain: false, map };
}

/** The inside of a string token for `value`; null when a raw string cannot hold it. */
export function encodeStringBody(value: string, quote: string, isRaw: boolean): string | null {
  const q = quote[0];
  // Nothing to escape (a bridge name, a MAC): the value as it is, without a character array.
  if (!value.includes(q) && !value.includes('\\') && !value.includes('\n') && !value.includes('\r')) return value;
  if (isRaw) return [...value].some((c) => c === q || c === '\\' || c === '\n' || c === '\r') ? null : value;
  // Only escapes that Python and libxlutil read alike.
  return [...value].map((c) => (c === '\\' || c === q ? `\\${c}` : c === '\n' ? '\\n' : c === '\r' ? '\\r' : c)).join('');
}

export const quoted = (value: string) => `"${encodeStringBody(value, '"', false)}"`;

/**
 * Replace characters [from, to) of the string token at text[start, end) — offsets in its decoded
 * value — with `insert`, keeping the prefix, the quotes and every other byte of the token.
 */
export function spliceStringLiteral(text: string, start: number, end: number, from: number, to: number, insert: string): string {
  const token = text.slice(start, end);
  const plain = decodeStringLiteral(token, false);
  const body = encodeStringBody(insert, plain.quote, plain.isRaw);
  // No escape before the cut (none at all): offsets in the value are offsets in the body.
  if (plain.plain && body !== null) return text.slice(0, start + plain.bodyStart + from) + body + text.slice(start + plain.bodyStart + to);
  const lit = decodeStringLiteral(token);
  // A short octal escape right before the cut would swallow inserted digits (\1 then "2" reads \12).
  const prev = from > 0 ? lit.map[from - 1] : -1;
  const octalBefore = prev >= 0 && !lit.isRaw && token[prev] === '\\' && isOctal(token[prev + 1]) && lit.map[from] - prev < 4;
  // So would a backslash kept as written (an unknown escape, "\q"): right before the cut it would
  // escape what comes after it — the closing quote itself when the cut ends the value.
  const keptBackslash = prev >= 0 && !lit.isRaw && token[prev] === '\\' && token[prev + 1] !== '\\' && lit.value[from - 1] === '\\';
  if (body !== null && !octalBefore && !keptBackslash) return text.slice(0, start + lit.map[from]) + body + text.slice(start + lit.map[to]);
  // Rare: rewrite the whole token as an ordinary string with the same quotes.
  const value = lit.value.slice(0, from) + insert + lit.value.slice(to);
  const prefix = [...lit.prefix].filter((c) => c !== 'r' && c !== 'R').join('');
  return text.slice(0, start) + prefix + lit.quote + encodeStringBody(value, lit.quote, false) + lit.quote + text.slice(end);
}
