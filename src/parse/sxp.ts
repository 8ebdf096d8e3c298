// xend's /etc/xen/xend-config.sxp: a tokenizer and reader that follow xend's own sxp.py, and a
// surgical setter for one directive such as (network-script network-bridge) (seed 000 lines 64–68).
import { InputError } from '../errors.js';

export interface SxpDirective {
  name: string;
  value: string;
  raw: string /* the whole form as written */;
  start: number;
  end: number /* the whole (name value) form */;
  valueStart: number;
  valueEnd: number;
  line: number;
}

type Token =
  | { kind: 'open' | 'close'; start: number; end: number }
  | { kind: 'atom' | 'string' | 'comment'; start: number; end: number; value: string };

type Node = { kind: 'atom' | 'string'; start: number; end: number; value: string } | { kind: 'list'; start: number; end: number; items: Node[] };

const SPACE = ' \t\n\v\f\r';
// sxp.py is_separator(): these end an atom, as do whitespace and '#'.
const SEPARATORS = '{}()<>[]!;';
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '\\': '\\', "'": "'", '"': '"' };

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) if (text[i] === '\n') { line++; lineStart = i + 1; }
  return { line, column: offset - lineStart + 1 };
}

function syntaxError(text: string, file: string, offset: number): InputError {
  return new InputError('error.sxpSyntax', { file, ...lineColumn(text, offset) });
}

/** Decode one quoted string starting at its quote; returns its value and the offset after the closing quote. */
function readString(text: string, file: string, open: number): { value: string; end: number } {
  const quote = text[open];
  let value = '';
  let i = open + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] !== '\\') { value += text[i++]; continue; }
    const c = text[i + 1];
    if (c === undefined) throw syntaxError(text, file, open);
    const digits = (allowed: string, max: number) => {
      let j = 0;
      while (j < max && allowed.includes(text[i + 2 + j] ?? '')) j++;
      return j;
    };
    if (ESCAPES[c] !== undefined) { value += ESCAPES[c]; i += 2; }
    else if (c === 'x' && digits('0123456789abcdefABCDEF', 2) > 0) {
      const n = digits('0123456789abcdefABCDEF', 2);
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 2 + n), 16));
      i += 2 + n;
    } else if ('01234567'.includes(c)) {
      const n = digits('01234567', 3) + 1;
      value += String.fromCharCode(parseInt(text.slice(i + 1, i + 1 + n), 8) & 0xff);
      i += 1 + n;
    } else {
      // sxp.py keeps the backslash of an unknown escape; we keep the character too rather than lose it.
      value += '\\' + c;
      i += 2;
    }
  }
  if (i >= text.length) throw syntaxError(text, file, open);
  return { value, end: i + 1 };
}

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const start = i;
    if (SPACE.includes(c)) i++;
    else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      tokens.push({ kind: 'comment', start, end: i, value: text.slice(start, i) });
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', start, end: ++i });
    } else if (c === "'" || c === '"') {
      const s = readString(text, file, start);
      i = s.end;
      tokens.push({ kind: 'string', start, end: i, value: s.value });
    } else {
      // The first character always belongs to the atom (even '<' or '['), as in sxp.py's begin_atom.
      i++;
      while (i < text.length && !SPACE.includes(text[i]) && !SEPARATORS.includes(text[i]) && text[i] !== '#') i++;
      tokens.push({ kind: 'atom', start, end: i, value: text.slice(start, i) });
    }
  }
  return tokens;
}

/** Top-level nodes and comments. Unbalanced parentheses fail where xend's reader would. */
function read(text: string, file: string): { nodes: Node[]; comments: Token[] } {
  const nodes: Node[] = [];
  const comments: Token[] = [];
  const open: { start: number; items: Node[] }[] = [];
  for (const t of tokenize(text, file)) {
    const items = open.at(-1)?.items ?? nodes;
    if (t.kind === 'comment') comments.push(t);
    else if (t.kind === 'open') open.push({ start: t.start, items: [] });
    else if (t.kind === 'close') {
      const list = open.pop();
      if (!list) throw syntaxError(text, file, t.start);
      (open.at(-1)?.items ?? nodes).push({ kind: 'list', start: list.start, end: t.end, items: list.items });
    } else items.push(t as Node);
  }
  if (open.length) throw syntaxError(text, file, open.at(-1)!.start);
  return { nodes, comments };
}

function toDirective(text: string, node: Node): SxpDirective | null {
  if (node.kind !== 'list') return null;
  const [head, first] = node.items;
  if (head?.kind !== 'atom') return null;
  // xend reads a directive's value as its first child (sxp.child_value); a list value is kept as written.
  const value = !first ? '' : first.kind === 'list' ? text.slice(first.start, first.end) : first.value;
  return {
    name: head.value,
    value,
    raw: text.slice(node.start, node.end),
    start: node.start,
    end: node.end,
    valueStart: first ? first.start : node.end - 1,
    valueEnd: first ? first.end : node.end - 1,
    line: lineColumn(text, node.start).line,
  };
}

/** Live top-level (name value) forms, in file order; comments (and the examples in them) are skipped. */
export function parseSxp(text: string, file: string): SxpDirective[] {
  return read(text, file).nodes.map((n) => toDirective(text, n)).filter((d): d is SxpDirective => d !== null);
}

/** The live directive xend uses. xend's get_config_value() takes the FIRST child of that name (sxp.child). */
export function getDirective(text: string, file: string, name: string): SxpDirective | undefined {
  return parseSxp(text, file).find((d) => d.name === name);
}

/** How the value is written: a bare atom when sxp would read it back as one, else a single-quoted string. */
function formatValue(value: string): string {
  const bare = value !== '' && [...value].every((c) => !SPACE.includes(c) && !SEPARATORS.includes(c) && !`#'"\\`.includes(c));
  if (bare) return value;
  return `'${[...value].map((c) => (c === '\\' || c === "'" ? '\\' + c : c)).join('')}'`;
}

/** A comment that holds an example of this directive, like "#(network-script network-route)" or "# (network-script …)". */
function isCommentedExample(comment: string, name: string): boolean {
  let i = 0;
  while (comment[i] === '#' || comment[i] === ' ' || comment[i] === '\t') i++;
  const head = `(${name}`;
  const after = comment[i + head.length];
  return comment.startsWith(head, i) && (after === undefined || after === ')' || SPACE.includes(after));
}

/**
 * Set a directive's value. Every live form of that name is changed (xend reads the first, a human the
 * last: after the edit both agree); commented examples stay as they are (seed 000 lines 64–68).
 * Without a live form, `(name value)` goes on its own line after the last commented example, or at the end.
 */
export function setDirective(text: string, file: string, name: string, value: string): string {
  const { nodes, comments } = read(text, file);
  const formatted = formatValue(value);
  const live = nodes.map((n) => toDirective(text, n)).filter((d): d is SxpDirective => d?.name === name);
  if (live.length) {
    let out = text;
    for (const d of [...live].reverse()) {
      const insert = d.valueStart === d.valueEnd ? ` ${formatted}` : formatted;
      out = out.slice(0, d.valueStart) + insert + out.slice(d.valueEnd);
    }
    return out;
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const form = `(${name} ${formatted})`;
  const example = comments.filter((c) => c.kind === 'comment' && isCommentedExample(c.value, name)).at(-1);
  if (example && example.end < text.length) {
    const at = example.end + 1; // just after the comment's '\n'
    return text.slice(0, at) + form + eol + text.slice(at);
  }
  const sep = text === '' || text.endsWith('\n') ? '' : eol;
  return text + sep + form + eol;
}
