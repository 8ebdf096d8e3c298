// Key files of NetworkManager (system-connections/*.nmconnection, GLib key-file syntax) and
// systemd-networkd (*.network, *.netdev): [Section] headers, key=value lines, '#' or ';' comments.
// Read with every byte's place kept; an edit replaces one value (or adds one line) and nothing else.
// Sections and keys may repeat (networkd's [Address] blocks): edits address the last of each.
import { InputError } from '../errors.js';

export interface IniEntry { key: string; value: string; line: number; valueStart: number; valueEnd: number; lineEnd: number }
export interface IniSection { name: string; line: number; entries: IniEntry[]; end: number /* after its last line */ }
export interface IniFile { text: string; file: string; sections: IniSection[] }

export function parseIni(text: string, file: string): IniFile {
  const sections: IniSection[] = [];
  let offset = 0;
  text.split('\n').forEach((raw, index) => {
    const start = offset;
    offset += raw.length + 1;
    const lineEnd = start + raw.length;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    // Blank lines and comments belong to no section: a comment above a header describes the next one.
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) {
      sections.push({ name: header[1], line: index + 1, entries: [], end: Math.min(offset, text.length) });
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || sections.length === 0) throw new InputError('error.iniSyntax', { file, line: index + 1 });
    // GLib and systemd both trim the blanks around the key and the value.
    let valueStart = start + eq + 1;
    let valueEnd = start + line.length;
    while (valueStart < valueEnd && (text[valueStart] === ' ' || text[valueStart] === '\t')) valueStart++;
    while (valueEnd > valueStart && (text[valueEnd - 1] === ' ' || text[valueEnd - 1] === '\t')) valueEnd--;
    const section = sections.at(-1)!;
    section.entries.push({ key: line.slice(0, eq).trim(), value: text.slice(valueStart, valueEnd), line: index + 1, valueStart, valueEnd, lineEnd });
    section.end = Math.min(offset, text.length);
  });
  return { text, file, sections };
}

/** The value of `key` in the last section called `section` (the last such key wins, as in both readers). */
export function getIniValue(ini: IniFile, section: string, key: string): string | undefined {
  return ini.sections.filter((s) => s.name === section).at(-1)?.entries.filter((e) => e.key === key).at(-1)?.value;
}

/** Set `key` in the last `[section]`: its value in place, else a new line after the section's last line, else a new section. */
export function setIniValue(text: string, file: string, section: string, key: string, value: string): string {
  // A line break would end the value and start a line of its own.
  if (/[\r\n]/.test(value)) throw new InputError('error.iniValue', { file, key, value: JSON.stringify(value) });
  const ini = parseIni(text, file);
  const target = ini.sections.filter((s) => s.name === section).at(-1);
  const entry = target?.entries.filter((e) => e.key === key).at(-1);
  if (entry) return text.slice(0, entry.valueStart) + value + text.slice(entry.valueEnd);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (target) {
    const at = target.end;
    const sep = at > 0 && text[at - 1] !== '\n' ? eol : '';
    return text.slice(0, at) + sep + `${key}=${value}${eol}` + text.slice(at);
  }
  const sep = text === '' ? '' : text.endsWith('\n\n') || text.endsWith('\r\n\r\n') ? '' : text.endsWith('\n') ? eol : eol + eol;
  return text + sep + `[${section}]${eol}${key}=${value}${eol}`;
}
