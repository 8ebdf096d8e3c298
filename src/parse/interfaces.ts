// ifupdown's interfaces(5), parsed with its line structure kept: stanzas, options with their line,
// `auto`/`allow-*`, `source`/`source-directory`, comments and backslash continuations.
import { InputError } from '../errors.js';

export interface IfaceOption { key: string; value: string; line: number }
export interface IfaceStanza {
  name: string;
  family: string;
  method: string;
  /** `iface NAME FAMILY METHOD inherits OTHER` (ifupdown's stanza templates), when present. */
  inherits?: string;
  options: IfaceOption[];
  /** 0-based line of `iface …` and of the last option (not trailing blanks or comments). */
  startLine: number;
  endLine: number;
}
export interface InterfacesFile {
  text: string;
  file: string;
  lines: string[];
  ifaces: IfaceStanza[];
  auto: Array<{ names: string[]; kind: string; line: number }>;
  sources: Array<{ kind: 'source' | 'source-directory'; pattern: string; line: number }>;
}

const AUTO = /^(auto|allow-[\w-]+|no-auto-down|no-scripts)$/;

export function parseInterfaces(text: string, file: string): InterfacesFile {
  const lines = text.split('\n');
  const result: InterfacesFile = { text, file, lines, ifaces: [], auto: [], sources: [] };
  let current: IfaceStanza | null = null;
  let inMapping = false;
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let logical = lines[i];
    while (logical.endsWith('\\') && i + 1 < lines.length) logical = logical.slice(0, -1) + ' ' + lines[++i];
    const trimmed = logical.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const words = trimmed.split(/\s+/);
    const head = words[0];
    if (head === 'iface') {
      // ifupdown reads `iface NAME [FAMILY [METHOD]] inherits TEMPLATE` or `iface NAME FAMILY METHOD`,
      // and refuses the whole file for anything else (its tests/linux/testcase.14, .15 and .16).
      const k = words.indexOf('inherits', 2);
      if (k < 0 ? words.length !== 4 : words.length !== k + 2 || k > 4) throw new InputError('error.interfacesSyntax', { file, line: first + 1 });
      current = { name: words[1], family: k === 2 ? '' : words[2], method: k >= 0 && k <= 3 ? '' : words[3], options: [], startLine: first, endLine: i };
      if (k >= 0) current.inherits = words[k + 1];
      result.ifaces.push(current);
      inMapping = false;
    } else if (AUTO.test(head)) {
      result.auto.push({ names: words.slice(1), kind: head, line: first });
      current = null;
      inMapping = false;
    } else if (head === 'source' || head === 'source-directory') {
      result.sources.push({ kind: head, pattern: words.slice(1).join(' '), line: first });
      current = null;
      inMapping = false;
    } else if (head === 'mapping' || head === 'rename') {
      current = null;
      inMapping = head === 'mapping';
    } else if (current) {
      current.options.push({ key: head, value: trimmed.slice(head.length).trim(), line: first });
      current.endLine = i;
    } else if (!inMapping) {
      throw new InputError('error.interfacesSyntax', { file, line: first + 1 });
    }
  }
  return result;
}
