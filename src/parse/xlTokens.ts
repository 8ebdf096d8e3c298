// The tokenizer of xl/xm guest configs: Python's lexical rules (strings with prefixes and
// escapes, numbers, operators, comments, bracket nesting), each token with its exact offsets.
import { InputError } from '../errors.js';

export type TokenKind = 'string' | 'number' | 'name' | 'op' | 'comment' | 'end';
export interface Token {
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
/** OPERATORS by first character, in the same order: the first that matches is the longest. */
const OPERATORS_BY_FIRST = new Map<string, string[]>();
for (const op of OPERATORS) OPERATORS_BY_FIRST.set(op[0], [...(OPERATORS_BY_FIRST.get(op[0]) ?? []), op]);
export const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'ur', 'fr', 'rf']);
// Statements that are Python, not settings (xmexample2: def vmid_check(…):, import, if …).
export const PY_KEYWORDS = new Set(['def', 'class', 'if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with',
  'import', 'from', 'return', 'pass', 'raise', 'assert', 'del', 'global', 'nonlocal', 'print', 'break', 'continue', 'exec', 'yield']);
export const PY_STATEMENT_SECOND = new Set(['(', '[', ',', ':', '-=', '*=', '/=', '%=', '**=', '//=', '&=', '|=', '^=', '>>=', '<<=', '@=']);

export const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c > '\x7f';
const isIdentChar = (c: string) => isIdentStart(c) || isDigit(c);

export function tokenize(text: string, file: string): Token[] {
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
    const op = OPERATORS_BY_FIRST.get(c)?.find((o) => text.startsWith(o, i));
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
