// A small namespace testbed shared by recipes routed, virtual-network and libvirt-bridge: named
// namespaces (pid-unique), veth cables, a dom0 root copied from a fixture whose /proc/sys is the
// dom0 namespace's own, and an `xl` stand-in that lists the running guests. Everything is removed
// on exit, on a signal, and when a start fails half-way.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT } from './roots.js';

export function sh(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** Why the namespace testbed cannot run here, or null. */
export function nsBedUnavailable(tools: string[] = []): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of ['ip', 'ping', ...tools]) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool}`;
  }
  return null;
}

export class NsBed {
  readonly id: string;
  readonly dir: string;
  readonly root: string;
  readonly bin: string;
  readonly log: string;
  private readonly made: string[] = [];
  private readonly pids: number[] = [];
  private up = true;
  private readonly cleanup = () => this.down();
  private readonly onSignal = () => {
    this.down();
    process.exit(130);
  };

  constructor(tag: string) {
    this.id = `${tag}${process.pid % 100000}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `xnw-${tag}-`));
    this.root = path.join(this.dir, 'root');
    this.bin = path.join(this.dir, 'bin');
    this.log = path.join(this.dir, 'commands.log');
    fs.mkdirSync(this.bin);
    fs.writeFileSync(this.log, '');
    process.once('exit', this.cleanup);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** A new namespace with lo up; its full name. */
  ns(short: string): string {
    const name = `${this.id}-${short}`;
    sh(['ip', 'netns', 'add', name]);
    this.made.push(name);
    this.ip(name, 'link set lo up');
    return name;
  }

  ip(ns: string, args: string): string {
    return sh(['ip', '-n', ns, ...args.split(' ')]);
  }

  exec(ns: string, argv: string[], opts: { timeout?: number; input?: string } = {}) {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', env: this.env(), timeout: opts.timeout ?? 120_000, input: opts.input ?? '' });
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  env(): NodeJS.ProcessEnv {
    return { PATH: `${this.bin}:${process.env.PATH}`, HOME: process.env.HOME, LANG: 'C', NO_COLOR: '1' };
  }

  cable(a: { ns: string; name: string; mac?: string }, b: { ns: string; name: string; mac?: string }): void {
    sh(['ip', 'link', 'add', a.name, 'netns', a.ns, ...(a.mac ? ['address', a.mac] : []), 'type', 'veth', 'peer', 'name', b.name, 'netns', b.ns, ...(b.mac ? ['address', b.mac] : [])]);
    this.ip(a.ns, `link set ${a.name} up`);
    this.ip(b.ns, `link set ${b.name} up`);
  }

  /** A switch: a bridge in `ns` (STP off, no delay), optionally with an address. */
  bridge(ns: string, name: string, address?: string): void {
    this.ip(ns, `link add ${name} type bridge stp_state 0 forward_delay 0`);
    if (address) this.ip(ns, `addr add ${address} dev ${name}`);
    this.ip(ns, `link set ${name} up`);
  }

  /** dom0's files from a fixture: kernel state is read live; /proc/sys is the reader's namespace's. */
  rootFrom(fixture: string): void {
    fs.cpSync(fixture, this.root, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(this.root, 'sys'), { recursive: true, force: true });
    fs.rmSync(path.join(this.root, 'proc'), { recursive: true, force: true });
    fs.mkdirSync(path.join(this.root, 'proc'));
    fs.symlinkSync('/proc/sys', path.join(this.root, 'proc/sys'));
  }

  /** `xl` that lists these running guests (the guests are namespaces) and logs every call. */
  xlStandIn(guests: { name: string; domid: number }[]): void {
    const rows = guests.map((g) => `${g.name.padEnd(40)}${String(g.domid).padStart(5)}   512     1     -b----       1.0`).join('\\n');
    fs.writeFileSync(path.join(this.bin, 'xl'), `#!/bin/sh
echo "xl $*" >> "${this.log}"
case "$1" in
  list) printf 'Name                                        ID   Mem VCPUs\\tState\\tTime(s)\\nDomain-0                                     0  1280     2     r-----      10.0\\n${rows}\\n' ;;
esac
exit 0
`, { mode: 0o755 });
  }

  /** The wizard, run inside `ns` with the stand-ins on PATH. */
  wizard(ns: string, args: string[]) {
    return this.exec(ns, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args]);
  }

  /** A process this bed started (a daemon in a namespace): killed by its PID on teardown. */
  track(pid: number): void {
    this.pids.push(pid);
  }

  down(): void {
    if (!this.up) return;
    this.up = false;
    for (const pid of this.pids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    for (const n of this.made) spawnSync('ip', ['netns', 'del', n]);
    fs.rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.cleanup);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
