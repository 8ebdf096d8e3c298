// Driving the whole wizard as a person would: a real terminal in tmux, keys in, screen out.
import { spawnSync } from 'node:child_process';

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

export class TmuxSession {
  readonly name: string;
  // A server of its own (tmux -L): sessions of parallel test runs never share, or kill, one server.
  private tmux(args: string[], opts: { encoding: 'utf8' } = { encoding: 'utf8' }) {
    return spawnSync('tmux', ['-L', this.name, ...args], opts);
  }

  constructor(tag: string, command: string[], env: Record<string, string>, size: { columns: number; rows: number } = { columns: 160, rows: 50 }) {
    this.name = `xnw-${tag}-${process.pid}`;
    // tmux's shell may reset PATH from a profile, so the variables go on the command itself.
    const withEnv = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...command];
    const quoted = withEnv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // The pane stays after the program ends so its last screen can still be read.
    const r = this.tmux(['new-session', '-d', '-s', this.name, '-x', String(size.columns), '-y', String(size.rows), `${quoted}; echo "[exit $?]"; sleep 30`]);
    if (r.status !== 0) throw new Error(`tmux: ${r.stderr}`);
    process.once('exit', () => this.kill());
  }

  send(...keys: string[]): void {
    this.tmux(['send-keys', '-t', this.name, ...keys]);
  }

  screen(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-2000', '-t', this.name]).stdout;
  }

  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < end) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
  }

  kill(): void {
    this.tmux(['kill-server']);
  }
}
