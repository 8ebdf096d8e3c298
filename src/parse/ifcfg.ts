// RHEL-style ifcfg-* files: shell variable assignments (KEY=value, KEY="value", KEY='value'),
// comments and blank lines. Edits replace or remove whole assignment lines, nothing else.
import { InputError } from '../errors.js';

export interface IfcfgVar { key: string; value: string; line: number; start: number; end: number; quote: string }
export interface IfcfgFile { text: string; file: string; vars: IfcfgVar[] }

export function parseIfcfg(text: string, file: string): IfcfgFile {
  const vars: IfcfgVar[] = [];
  let offset = 0;
  text.split('\n').forEach((line, index) => {
    const start = offset;
    offset += line.length + 1;
    // initscripts source the file with bash, which keeps a CR as part of the value (BRIDGE=xenbr0\r).
    if (line.endsWith('\r')) throw new InputError('error.ifcfgCrlf', { file, line: index + 1 });
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) throw new InputError('error.ifcfgSyntax', { file, line: index + 1 });
      return;
    }
    let raw = m[2].trim();
    let quote = '';
    if (raw.startsWith('"') || raw.startsWith("'")) {
      quote = raw[0];
      const close = raw.indexOf(quote, 1);
      if (close < 0) throw new InputError('error.ifcfgSyntax', { file, line: index + 1 });
      raw = raw.slice(1, close);
    } else {
      raw = raw.replace(/\s+#.*$/, '');
    }
    vars.push({ key: m[1], value: raw, line: index, start, end: start + line.length, quote });
  });
  return { text, file, vars };
}

export function getVar(f: IfcfgFile, key: string): string | undefined {
  return f.vars.filter((v) => v.key === key).pop()?.value;
}

export function setVar(text: string, file: string, key: string, value: string): string {
  const v = parseIfcfg(text, file).vars.filter((x) => x.key === key).pop();
  if (v) return text.slice(0, v.start) + `${key}=${v.quote}${value}${v.quote}` + text.slice(v.end);
  return text + (text.length > 0 && !text.endsWith('\n') ? '\n' : '') + `${key}=${value}\n`;
}

export function removeVar(text: string, file: string, key: string): string {
  const lines = text.split('\n');
  const drop = new Set(parseIfcfg(text, file).vars.filter((v) => v.key === key).map((v) => v.line));
  return lines.filter((_, i) => !drop.has(i)).join('\n');
}
