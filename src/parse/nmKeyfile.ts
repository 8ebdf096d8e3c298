// NetworkManager keyfiles (nm-settings-keyfile(5)): GLib key files, [section] then key=value,
// '#' comments. Kept as lines so an edit changes the lines it means to and no other byte.
import { InputError } from '../errors.js';

export interface KeyfileEntry { section: string; key: string; value: string; line: number }
export interface Keyfile { file: string; lines: string[]; sections: { name: string; line: number }[]; entries: KeyfileEntry[] }

/** Section names NetworkManager reads as one another (the long forms of older keyfiles). */
const ALIASES: Record<string, string> = { '802-3-ethernet': 'ethernet' };
const canonical = (s: string) => ALIASES[s] ?? s;

export function parseKeyfile(text: string, file: string): Keyfile {
  const lines = text.split('\n');
  const sections: Keyfile['sections'] = [];
  const entries: KeyfileEntry[] = [];
  let section: string | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const head = /^\[([^\]]+)\]$/.exec(line);
    if (head) {
      section = head[1];
      sections.push({ name: section, line: i });
      return;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || section === null) throw new InputError('error.keyfileSyntax', { file, line: i + 1 });
    entries.push({ section: canonical(section), key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: i });
  });
  return { file, lines, sections, entries };
}

export function keyfileGet(kf: Keyfile, section: string, key: string): string | undefined {
  return kf.entries.filter((e) => e.section === canonical(section) && e.key === key).pop()?.value;
}

/** The lines of a section (header included), as written. */
export function sectionLines(kf: Keyfile, section: string): string[] {
  const out: string[] = [];
  kf.sections.forEach((s, n) => {
    if (canonical(s.name) !== canonical(section)) return;
    const end = kf.sections[n + 1]?.line ?? kf.lines.length;
    out.push(...kf.lines.slice(s.line, end));
  });
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out;
}

/** The text with whole sections removed and keys set in [connection]; every other line kept. */
export function editKeyfile(kf: Keyfile, drop: string[], set: { section: string; key: string; value: string }[], unset: { section: string; key: string }[] = []): string {
  const dropped = new Set<number>();
  kf.sections.forEach((s, n) => {
    if (!drop.includes(canonical(s.name))) return;
    const end = kf.sections[n + 1]?.line ?? kf.lines.length;
    for (let i = s.line; i < end; i++) dropped.add(i);
  });
  const gone = new Set([...set, ...unset].flatMap((u) => kf.entries.filter((e) => e.section === canonical(u.section) && e.key === u.key).map((e) => e.line)));
  const lines = kf.lines.map((l, i) => (dropped.has(i) || gone.has(i) ? null : l));
  for (const s of set) {
    const head = kf.sections.find((x) => canonical(x.name) === canonical(s.section));
    if (!head) {
      while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
      lines.push('', `[${s.section}]`, `${s.key}=${s.value}`, '');
      continue;
    }
    // After the section's last key line, so keys keep their order.
    let at = head.line;
    for (const e of kf.entries) if (e.section === canonical(s.section) && e.line > at && !gone.has(e.line)) at = e.line;
    lines[at] = `${lines[at]}\n${s.key}=${s.value}`;
  }
  let text = lines.filter((l): l is string => l !== null).join('\n');
  text = text.replace(/\n{3,}/g, '\n\n');
  return text.endsWith('\n') ? text : text + '\n';
}
