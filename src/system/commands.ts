// Running the plan's commands: execa with argv arrays, never a shell. Binaries are looked up on
// PATH; the dom0's own scripts (/etc/xen/scripts/…) are resolved under --root.
import nodeFs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RootFs } from './rootfs.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommandRunner {
  /** True when commands really run; false for offline and demo runs (they are only listed). */
  readonly live: boolean;
  run(argv: readonly string[], input?: string): Promise<CommandResult>;
}

/**
 * The dom0's own scripts resolve under --root; so do the XML files virsh reads for `define` and
 * `net-define`: virsh (the client, on this machine) opens the file and sends its text to libvirtd.
 */
export function resolveArgv0(fs: RootFs, argv: readonly string[]): string[] {
  const [cmd, ...rest] = argv;
  const file = cmd === 'virsh' && (rest[0] === 'define' || rest[0] === 'net-define') && rest[1]?.startsWith('/') && rest[1] !== '/dev/stdin';
  return [cmd.startsWith('/etc/xen/') ? fs.resolve(cmd) : cmd, ...(file ? [rest[0], fs.resolve(rest[1]), ...rest.slice(2)] : rest)];
}

export function liveRunner(fs: RootFs): CommandRunner {
  return {
    live: true,
    async run(argv, input) {
      const { execa } = await import('execa');
      const [cmd, ...args] = resolveArgv0(fs, argv);
      // `virsh net-define /dev/stdin`: a child's stdin from node is a socket, which /dev/stdin cannot
      // reopen (ENXIO, measured with virsh 9.0) — the text goes through a private temporary file.
      const viaFile = input !== undefined && args.includes('/dev/stdin');
      const dir = viaFile ? nodeFs.mkdtempSync(path.join(os.tmpdir(), 'xnw-stdin-')) : null;
      try {
        if (dir) {
          nodeFs.writeFileSync(path.join(dir, 'input'), input!, { mode: 0o600 });
          args.splice(args.indexOf('/dev/stdin'), 1, path.join(dir, 'input'));
        }
        const stdin = input === undefined || dir ? { stdin: 'ignore' as const } : { input };
        const result = await execa(cmd, args, { reject: false, ...stdin, timeout: 5 * 60_000 });
        const exitCode = result.exitCode ?? (result.failed ? 127 : 0);
        return { exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr || result.shortMessage || '') };
      } finally {
        if (dir) nodeFs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Lists instead of running: a --root run without --live, and the demo dom0. */
export function offlineRunner(): CommandRunner {
  return {
    live: false,
    async run() {
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
}

/** `ip` for detection: read-only queries of the current network namespace. */
export async function runIp(args: string[]): Promise<string> {
  const { execa } = await import('execa');
  const result = await execa('ip', args, { reject: false, stdin: 'ignore' });
  return result.exitCode === 0 ? String(result.stdout) : '[]';
}
