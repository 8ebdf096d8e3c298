// NixOS modules (/etc/nixos/*.nix) read line-wise, not evaluated: the statements whose first line
// starts a given attribute path, to the `;` that closes them at bracket depth 0. Read-only.
export interface NixStatement { file: string; line: number; text: string }

/** Statements (to the `;` that closes them at bracket depth 0) whose first line matches `start`. */
export function nixStatements(file: string, text: string, start: RegExp): NixStatement[] {
  const out: NixStatement[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith('#') || !start.test(trimmed)) continue;
    const first = i;
    let depth = 0;
    const body: string[] = [];
    for (;;) {
      const code = lines[i].replace(/#.*$/, '');
      for (const c of code) depth += '[{('.includes(c) ? 1 : ')}]'.includes(c) ? -1 : 0;
      body.push(lines[i]);
      if ((depth <= 0 && code.trimEnd().endsWith(';')) || i + 1 >= lines.length) break;
      i++;
    }
    out.push({ file, line: first + 1, text: body.join('\n') });
  }
  return out;
}
