// Top-level assignments of a sourced shell file (Gentoo's /etc/conf.d/net): NAME=word, NAME="…",
// NAME='…' and NAME=( … ) arrays, quoted values spanning lines. Read-only: nothing is edited.
export interface ShellAssignment { name: string; value: string; line: number }

/** Top-level NAME="…" / NAME='…' / NAME=word assignments, quoted values may span lines. */
export function shellAssignments(text: string): ShellAssignment[] {
  const out: ShellAssignment[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(lines[i]);
    if (!m) continue;
    let rest = m[2];
    const start = i;
    const q = rest[0];
    if (q === '"' || q === "'" || q === '(') {
      const close = q === '(' ? ')' : q;
      let body = rest.slice(1);
      while (!body.includes(close) && i + 1 < lines.length) body += '\n' + lines[++i];
      rest = q === '(' ? `(${body.slice(0, body.lastIndexOf(close))})` : body.slice(0, body.indexOf(close));
    } else rest = rest.replace(/\s+#.*$/, '').trim();
    out.push({ name: m[1], value: rest, line: start + 1 });
  }
  return out;
}
