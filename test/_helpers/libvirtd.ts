// A real libvirtd (Debian's monolithic daemon, package libvirt-daemon) for tests, isolated from
// the machine: it runs in a network namespace (its bridges, addresses, iptables rules and dnsmasq
// live there), in a private mount namespace where /etc and /var are overlays whose writes land in
// a temporary directory (its users, its /var/lib/libvirt), /run is a temporary directory (its
// sockets, pid files, network status — the machine's D-Bus is hidden, so no firewalld), and
// /etc/libvirt is the test dom0's ROOT/etc/libvirt: libvirt and the wizard read the same files.
// It is PID 1 of its own PID namespace under `setpriv --pdeathsig KILL` + `unshare --kill-child`,
// so it and its dnsmasq die with the test process even when that is killed outright.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LIBVIRTD = '/usr/sbin/libvirtd';

/** Why a real libvirtd cannot run here, or null. */
export function libvirtdAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of [LIBVIRTD, '/usr/bin/virsh', '/usr/sbin/dnsmasq', '/usr/bin/setpriv', '/usr/bin/unshare']) {
    if (!fs.existsSync(tool)) return `needs ${tool} (scripts/setup-test-deps.sh installs it)`;
  }
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'needs ip netns';
  return null;
}

// What Debian's libvirt-daemon-system adds on a real host (its postinst): the users the qemu driver
// and dnsmasq run as. Written into the daemon's overlay of /etc only.
const USERS = [
  'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin',
  'libvirt-dnsmasq:x:64056:64056:Libvirt Dnsmasq,,,:/var/lib/libvirt/dnsmasq:/usr/sbin/nologin',
];
const GROUPS = ['libvirt-qemu:x:64055:', 'libvirt-dnsmasq:x:64056:', 'kvm:x:64057:', 'libvirt:x:64058:'];

function startScript(dir: string, etcLibvirt: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    'set -e',
    // Nothing mounted here propagates back to the machine's mount namespace.
    'mount --make-rprivate /',
    `mount -t tmpfs -o mode=0700 xnw-libvirtd ${q(`${dir}/ovl`)}`,
    ...['etc', 'var'].flatMap((d) => [
      `mkdir -p ${q(`${dir}/ovl/${d}.up`)} ${q(`${dir}/ovl/${d}.work`)}`,
      `mount -t overlay overlay -o ${q(`lowerdir=/${d},upperdir=${dir}/ovl/${d}.up,workdir=${dir}/ovl/${d}.work`)} /${d}`,
    ]),
    ...USERS.map((u) => `echo ${q(u)} >> /etc/passwd`),
    ...GROUPS.map((g) => `echo ${q(g)} >> /etc/group`),
    'mkdir -p /etc/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt',
    `mount --bind ${q(etcLibvirt)} /etc/libvirt`,
    `mount --bind ${q(`${dir}/run`)} /run`,
    `exec ${LIBVIRTD}`,
  ].join('\n');
}

let made = 0;

export class Libvirtd {
  readonly dir: string;
  /** The network namespace it runs in: given, or made (and removed) here. */
  readonly netns: string;
  readonly socket: string;
  readonly log: string;
  private readonly ownNetns: boolean;
  private child: ChildProcess | null = null;
  private readonly cleanup = () => this.down();
  private readonly onSignal = () => {
    this.down();
    process.exit(130);
  };

  /** `etcLibvirt`: the directory libvirtd sees as /etc/libvirt (the test dom0's ROOT/etc/libvirt). */
  constructor(readonly etcLibvirt: string, opts: { netns?: string } = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-libvirtd-'));
    this.ownNetns = !opts.netns;
    this.netns = opts.netns ?? `xnw-lv${process.pid % 100000}${String.fromCharCode(97 + made++)}`;
    this.socket = path.join(this.dir, 'run/libvirt/libvirt-sock');
    this.log = path.join(this.dir, 'libvirtd.log');
  }

  /** Start it and wait for its socket to answer; on failure everything is torn down again. */
  async start(timeoutMs = 60_000): Promise<this> {
    const why = libvirtdAvailable();
    if (why) throw new Error(`libvirtd ${why}`);
    // In a testbed's namespace the testbed's own handlers call down(); alone, it has its own.
    if (this.ownNetns) {
      process.once('exit', this.cleanup);
      process.once('SIGINT', this.onSignal);
      process.once('SIGTERM', this.onSignal);
    }
    try {
      fs.mkdirSync(path.join(this.dir, 'ovl'));
      fs.mkdirSync(path.join(this.dir, 'run'));
      fs.mkdirSync(this.etcLibvirt, { recursive: true });
      fs.writeFileSync(path.join(this.dir, 'start.sh'), startScript(this.dir, this.etcLibvirt));
      if (this.ownNetns) {
        run(['ip', 'netns', 'add', this.netns]);
        run(['ip', '-n', this.netns, 'link', 'set', 'lo', 'up']);
      }
      const out = fs.openSync(this.log, 'a');
      this.child = spawn('setpriv', ['--pdeathsig', 'KILL', 'ip', 'netns', 'exec', this.netns,
        'unshare', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc', 'sh', path.join(this.dir, 'start.sh')],
      { stdio: ['ignore', out, out] });
      fs.closeSync(out);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`libvirtd exited:\n${this.logTail()}`);
        if (fs.existsSync(this.socket) && this.virsh('net-list', '--all').status === 0) break;
        if (Date.now() > deadline) throw new Error(`libvirtd did not answer within ${timeoutMs} ms:\n${this.logTail()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } catch (err) {
      this.down();
      throw err;
    }
    return this;
  }

  /** The URI every client of this daemon uses (virsh reads LIBVIRT_DEFAULT_URI). */
  get uri(): string {
    return `qemu:///system?socket=${this.socket}`;
  }

  env(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return { ...base, LIBVIRT_DEFAULT_URI: this.uri };
  }

  virsh(...args: string[]) {
    const r = spawnSync('virsh', ['-q', ...args], { encoding: 'utf8', env: this.env(), timeout: 60_000 });
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** libvirt's own view of a network: net-info's fields (Active, Autostart, Bridge, …). */
  netInfo(name: string): Record<string, string> | null {
    const r = this.virsh('net-info', name);
    if (r.status !== 0) return null;
    return Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes(':')).map((l) => {
      const i = l.indexOf(':');
      return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    }));
  }

  /** `net-list --all` as name → "active|inactive autostart|-". */
  netList(): Record<string, string> {
    const r = this.virsh('net-list', '--all');
    return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => {
      const [name, state, autostart] = l.trim().split(/\s+/);
      return [name, `${state} ${autostart === 'yes' ? 'autostart' : '-'}`];
    }));
  }

  /** Run a command in the daemon's network namespace. */
  exec(argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}) {
    const r = spawnSync('ip', ['netns', 'exec', this.netns, ...argv], { encoding: 'utf8', env: opts.env ?? this.env(), input: opts.input ?? '', timeout: opts.timeout ?? 120_000 });
    return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
  }

  /** The iptables rules libvirt installed in its namespace (iptables-save, counters stripped). */
  rules(): string[] {
    return this.exec(['iptables-save']).stdout.split('\n').filter((l) => l.startsWith('-A ') && l.includes('LIBVIRT'));
  }

  /** The dnsmasq command lines running in the namespace (libvirt starts one per network it serves). */
  dnsmasq(): string[] {
    return this.pids().flatMap((pid) => {
      try {
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        return argv[0]?.endsWith('/dnsmasq') ? [argv.join(' ')] : [];
      } catch {
        return [];
      }
    });
  }

  /** Every process in the namespace (libvirtd, its dnsmasq): PIDs as the machine sees them. */
  pids(): number[] {
    return spawnSync('ip', ['netns', 'pids', this.netns], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  }

  logTail(): string {
    try {
      return fs.readFileSync(this.log, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '';
    }
  }

  /** Stop the daemon (its PID namespace goes with it), remove the namespace and the directory. */
  down(): void {
    process.off('exit', this.cleanup);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    const child = this.child;
    this.child = null;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      // `unshare --kill-child` passes the end on to the PID namespace's init, libvirtd: all of
      // its processes go with it. SIGKILL: a test's teardown need not wait for a clean shutdown.
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      const until = Date.now() + 10_000;
      while (Date.now() < until && this.pids().length > 0) spawnSync('sleep', ['0.1']);
    }
    if (this.ownNetns) spawnSync('ip', ['netns', 'del', this.netns]);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function run(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}
