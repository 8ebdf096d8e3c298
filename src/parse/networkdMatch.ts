// systemd's [Match] lists (systemd.network(5)): space-separated fnmatch(3) globs, a leading "!"
// negating the whole list. Shared by manager detection and the networkd backend.
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
