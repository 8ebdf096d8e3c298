// Network namespaces for tests that run commands for real (--live): made here, removed always.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export function canUseNetns(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).status === 0;
}

/** Why this process cannot make network namespaces (for skipCheck), or null. */
export function missingNetns(): string | null {
  return canUseNetns() ? null : 'needs root and ip netns (CI runs as root)';
}

export class Netns {
  readonly name: string;
  constructor(tag: string) {
    this.name = `xnw-${tag}-${process.pid}`;
    const r = spawnSync('ip', ['netns', 'add', this.name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip netns add ${this.name}: ${r.stderr}`);
    process.once('exit', () => this.remove());
  }

  exec(argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}) {
    const r = spawnSync('ip', ['netns', 'exec', this.name, ...argv], { encoding: 'utf8', env: opts.env, input: opts.input ?? '', timeout: 60_000 });
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  remove(): void {
    spawnSync('ip', ['netns', 'del', this.name]);
  }
}

/** Recording stand-ins for what only a dom0 has: each appends its argv to LOG and exits 0 (or FAIL_ON). */
export function standIns(dir: string, names: string[]): { bin: string; log: string } {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'commands.log');
  fs.mkdirSync(bin, { recursive: true });
  for (const name of names) {
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh
echo "${name} $*" >> "${log}"
case "${name} $*" in "$XNW_STANDIN_FAIL") echo "stand-in failure" >&2; exit 1;; esac
exit 0
`, { mode: 0o755 });
  }
  fs.writeFileSync(log, '');
  return { bin, log };
}
