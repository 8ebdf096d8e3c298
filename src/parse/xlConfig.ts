// Xen guest configs: xl's grammar (libxlutil) and xm's, which is Python source. A Python-aware
// tokenizer finds top-level `key = value` assignments with their exact byte ranges, so an edit
// rewrites one token and nothing else. Non-literal values (`'ip=%d' % vmid`) are kept as expressions.
import { InputError } from '../errors.js';

export type XlValue =
  | { kind: 'string'; value: string; raw: string; start: number; end: number }
  | { kind: 'number'; value: number; raw: string; start: number; end: number }
  | { kind: 'list'; items: XlValue[]; start: number; end: number }
  | { kind: 'expression'; raw: string; start: number; end: number };

export interface XlSetting { key: string; value: XlValue; start: number; end: number; line: number }
export interface XlConfig { text: string; file: string; settings: XlSetting[] }

type TokKind = 'string' | 'number' | 'name' | 'op' | 'newline';
interface Token { kind: TokKind; raw: string; value: string; start: number; end: number; line: number; col: number; indent: boolean }

const PY_BLOCK = new Set(['def', 'if', 'elif', 'else', 'for', 'while', 'import', 'from', 'return', 'try', 'except', 'finally', 'class', 'pass', 'raise', 'print', 'with', 'del', 'global', 'assert']);

function dequote(body: string): string {
  return body.replace(/\\(.)/gs, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' })[c] ?? `\\${c}`);
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let atLineStart = true;
  let indented = false;
  const fail = (key: string, at: number, l = line, ls = lineStart) => {
    throw new InputError(key, { file, line: l, column: at - ls + 1 });
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0) tokens.push({ kind: 'newline', raw: '\n', value: '', start: i, end: i + 1, line, col: i - lineStart + 1, indent: false });
      i++;
      line++;
      lineStart = i;
      atLineStart = depth === 0;
      indented = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      if (atLineStart) indented = true;
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const tokLine = line;
    const col = i - lineStart + 1;
    const indent = atLineStart && indented;
    atLineStart = false;
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      const startLine = line;
      const startLineStart = lineStart;
      while (true) {
        if (j >= text.length) fail('error.configSyntax.unterminatedString', i, startLine, startLineStart);
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text[j] === '\n') {
          if (!triple) fail('error.configSyntax.unterminatedString', i, startLine, startLineStart);
          line++;
          lineStart = j + 1;
        }
        if (text.startsWith(quote, j)) break;
        j++;
      }
      const end = j + quote.length;
      tokens.push({ kind: 'string', raw: text.slice(i, end), value: dequote(text.slice(i + quote.length, j)), start: i, end, line: tokLine, col, indent });
      i = end;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+)/.exec(text.slice(i, i + 64));
    if (num) {
      tokens.push({ kind: 'number', raw: num[0], value: num[0], start: i, end: i + num[0].length, line: tokLine, col, indent });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', raw: name[0], value: name[0], start: i, end: i + name[0].length, line: tokLine, col, indent });
      i += name[0].length;
      continue;
    }
    const op = /^(\*\*|\/\/|==|!=|<=|>=|\+=|-=|\*=|\/=|%=|<<|>>|[-+*/%=<>()[\]{},:;.~|&^@!])/.exec(text.slice(i, i + 3));
    if (!op) fail('error.configSyntax.unexpectedChar', i);
    if ('([{'.includes(op![0])) depth++;
    if (')]}'.includes(op![0])) {
      depth--;
      if (depth < 0) fail('error.configSyntax.unbalancedBracket', i);
    }
    tokens.push({ kind: 'op', raw: op![0], value: op![0], start: i, end: i + op![0].length, line: tokLine, col, indent });
    i += op![0].length;
  }
  if (depth > 0) {
    const open = [...tokens].reverse().find((t) => t.kind === 'op' && '([{'.includes(t.raw) && isUnclosed(tokens, t));
    throw new InputError('error.configSyntax.unbalancedBracket', { file, line: open?.line ?? line, column: open?.col ?? 1 });
  }
  tokens.push({ kind: 'newline', raw: '', value: '', start: text.length, end: text.length, line, col: 1, indent: false });
  return tokens;
}

function isUnclosed(tokens: Token[], open: Token): boolean {
  let depth = 0;
  for (const t of tokens) {
    if (t.start < open.start || t.kind !== 'op') continue;
    if ('([{'.includes(t.raw)) depth++;
    if (')]}'.includes(t.raw)) depth--;
  }
  return depth > 0;
}

/** A literal: string, number (with sign), or list of literals; null when the tokens are anything else. */
function literal(toks: Token[]): XlValue | null {
  let pos = 0;
  const value = (): XlValue | null => {
    const t = toks[pos];
    if (!t) return null;
    if (t.kind === 'string') {
      // Python joins adjacent string literals; that is an expression for our purposes.
      pos++;
      return { kind: 'string', value: t.value, raw: t.raw, start: t.start, end: t.end };
    }
    if (t.kind === 'number' || (t.raw === '-' && toks[pos + 1]?.kind === 'number')) {
      const neg = t.raw === '-';
      const n = neg ? toks[pos + 1] : t;
      pos += neg ? 2 : 1;
      return { kind: 'number', value: (neg ? -1 : 1) * Number(n.raw), raw: neg ? `-${n.raw}` : n.raw, start: t.start, end: n.end };
    }
    if (t.raw === '[' || t.raw === '(') {
      const close = t.raw === '[' ? ']' : ')';
      pos++;
      const items: XlValue[] = [];
      while (toks[pos] && toks[pos].raw !== close) {
        const item = value();
        if (!item) return null;
        items.push(item);
        if (toks[pos]?.raw === ',') pos++;
        else if (toks[pos]?.raw !== close) return null;
      }
      if (!toks[pos]) return null;
      return { kind: 'list', items, start: t.start, end: toks[pos++].end };
    }
    return null;
  };
  const v = value();
  return v && pos === toks.length ? v : null;
}

export function parseXlConfig(text: string, file: string): XlConfig {
  const tokens = tokenize(text, file);
  const settings: XlSetting[] = [];
  let stmt: Token[] = [];
  let inBlock = false;
  for (const tok of tokens) {
    if (tok.kind !== 'newline' && tok.raw !== ';') {
      stmt.push(tok);
      continue;
    }
    if (stmt.length === 0) continue;
    const [first, second] = stmt;
    if (first.indent) {
      // The body of a Python block (xmexample2's def vmid_check): not configuration.
      if (!inBlock) throw new InputError('error.configSyntax.unexpectedIndent', { file, line: first.line, column: first.col });
    } else if (first.kind === 'name' && second?.raw === '=') {
      inBlock = false;
      const rhs = stmt.slice(2);
      if (rhs.length === 0) throw new InputError('error.configSyntax.missingValue', { file, line: first.line, column: second.col });
      const start = rhs[0].start;
      const end = rhs[rhs.length - 1].end;
      const value = literal(rhs) ?? { kind: 'expression', raw: text.slice(start, end), start, end };
      settings.push({ key: first.raw, value, start: first.start, end, line: first.line });
    } else if (first.kind === 'name' && PY_BLOCK.has(first.raw)) {
      inBlock = stmt[stmt.length - 1].raw === ':' || ['def', 'if', 'for', 'while', 'try', 'class', 'with', 'else', 'elif', 'except', 'finally'].includes(first.raw);
    } else if (first.kind === 'name' && (second?.raw === '(' || second?.raw === '+=' || second?.raw === '[' || second?.raw === '.')) {
      inBlock = false; // a call or augmented assignment: Python, not configuration
    } else {
      throw new InputError('error.configSyntax.notAssignment', { file, line: first.line, column: first.col });
    }
    stmt = [];
  }
  return { text, file, settings };
}

export function getSetting(cfg: XlConfig, key: string): XlSetting | undefined {
  return cfg.settings.filter((s) => s.key === key).pop();
}

export function getString(cfg: XlConfig, key: string): string | undefined {
  const s = getSetting(cfg, key);
  return s?.value.kind === 'string' ? s.value.value : undefined;
}

export type VifItem =
  | { index: number; spec: string; start: number; end: number; quote: string }
  | { index: number; expression: string; start: number; end: number };

/** The items of `vif = [ … ]`; a single string `vif = "…"` counts as one item, as xl accepts. */
export function vifSpecs(cfg: XlConfig): VifItem[] {
  const s = getSetting(cfg, 'vif');
  if (!s) return [];
  const items = s.value.kind === 'list' ? s.value.items : [s.value];
  return items.map((v, index) =>
    v.kind === 'string'
      ? { index, spec: v.value, start: v.start, end: v.end, quote: v.raw.startsWith('"""') || v.raw.startsWith("'''") ? v.raw.slice(0, 3) : v.raw[0] }
      : { index, expression: 'raw' in v ? v.raw : cfg.text.slice(v.start, v.end), start: v.start, end: v.end });
}

export function quoteXl(value: string, quote: string): string {
  const q = quote || '"';
  return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q[0], 'g'), `\\${q[0]}`) + q;
}

/**
 * Set a top-level string (xl.conf's `vif.default.bridge`): replace the live value token, or add a
 * live line right after the commented example of the key (stock xl.conf has one), or at the end.
 */
export function setXlSetting(text: string, file: string, key: string, value: string): string {
  const cfg = parseXlConfig(text, file);
  const live = getSetting(cfg, key);
  if (live) {
    const quote = live.value.kind === 'string' ? live.value.raw[0] : '"';
    return text.slice(0, live.value.start) + quoteXl(value, quote) + text.slice(live.value.end);
  }
  const line = `${key}=${quoteXl(value, '"')}\n`;
  const lines = text.split('\n');
  const escaped = key.replace(/[.]/g, '\\.');
  const example = lines.map((l, i) => (new RegExp(`^\\s*#\\s*${escaped}\\s*=`).test(l) ? i : -1)).filter((i) => i >= 0).pop();
  if (example !== undefined) {
    const offset = lines.slice(0, example + 1).join('\n').length + 1;
    return text.slice(0, offset) + line + text.slice(offset);
  }
  return text + (text.length > 0 && !text.endsWith('\n') ? '\n' : '') + line;
}
