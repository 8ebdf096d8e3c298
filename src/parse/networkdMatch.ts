// systemd's [Match] lists (systemd.network(5)): space-separated fnmatch(3) globs, a leading "!"
// negating the whole list, and whether a unit's [Match] fits a link. Shared by manager detection
// and the networkd backend.
import type { IniFile } from './iniFile.js';

/** fnmatch(3) as systemd's [Match] Name= uses it: *, ? and [...] classes. */
export function globMatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
      i = end;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(re + '$').test(name);
}

/** A [Match] list: space-separated, a leading "!" negating the whole list. */
export function listMatches(value: string, test: (item: string) => boolean): boolean {
  const negate = value.startsWith('!');
  const items = (negate ? value.slice(1) : value).split(/\s+/).filter(Boolean);
  return items.some(test) !== negate;
}

export interface LinkFacts { name: string; type: 'ether' | 'bridge'; mac: string | null }

/** Keys of [Match] this backend can decide from files alone. */
const DECIDABLE = new Set(['Name', 'OriginalName', 'MACAddress', 'PermanentMACAddress', 'Type', 'Kind']);

/**
 * Whether the unit's [Match] fits the link: true, false, or the key that cannot be decided offline
 * (Path=, Driver=, Property=, Virtualization=, …), which the caller refuses rather than guess.
 * Every condition must hold (systemd.network(5)), so one decidable condition the link fails rules
 * the unit out whatever the undecidable ones would say: systemd's own 80-container-host0.network
 * (Virtualization=container, Name=host0) never fits an eth1.
 */
export function unitMatches(unit: { ini: IniFile }, link: LinkFacts): boolean | string {
  let undecidable: string | null = null;
  for (const section of unit.ini.sections.filter((s) => s.name === 'Match')) {
    for (const e of section.entries) {
      if (e.value === '') continue;
      if (!DECIDABLE.has(e.key)) { undecidable ??= e.key; continue; }
      const ok = e.key === 'Name' || e.key === 'OriginalName' ? listMatches(e.value, (p) => globMatch(p, link.name))
        : e.key === 'Type' ? listMatches(e.value, (t) => t === link.type)
        : e.key === 'Kind' ? listMatches(e.value, (k) => link.type === 'bridge' && k === 'bridge')
        : listMatches(e.value, (m) => link.mac !== null && m.toLowerCase() === link.mac.toLowerCase());
      if (!ok) return false;
    }
  }
  return undecidable ?? true;
}
