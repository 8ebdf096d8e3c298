// The real network daemon in the namespace testbed's dom0: a private system bus (dbus-daemon
// --system) and Debian's systemd-networkd 252, both in a mount namespace of their own inside the
// dom0 network namespace — /run a fresh tmpfs (no bus, no udev, no state of the machine's), /sys a
// read-only sysfs of dom0 (networkd then takes links as initialised: no udev), and the root's
// etc/systemd/network bind-mounted over /etc/systemd/network. The wizard (and networkctl) run in
// the same namespaces through nsenter, so `networkctl reload` reaches this networkd and no other.
// The holder refuses to run in the machine's own network namespace; down() ends the process group
// it started, by its id.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Testbed } from './testbed.js';

export const NETWORKD = '/lib/systemd/systemd-networkd';

/** Why networkd with its own bus cannot run in the testbed here, or null. */
export function missingNetworkdBus(): string | null {
  if (!fs.existsSync(NETWORKD)) return `${NETWORKD} is not there (package systemd)`;
  for (const tool of ['dbus-daemon', 'networkctl', 'nsenter', 'unshare']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool} (scripts/setup-test-deps.sh installs it)`;
  }
  if (spawnSync('id', ['systemd-network']).status !== 0) return 'no systemd-network user (package systemd)';
  if (spawnSync('id', ['messagebus']).status !== 0) return 'no messagebus user (package dbus-system-bus-common)';
  return null;
}

/** Why Debian's netplan generator (unpacked by scripts/setup-test-deps.sh) cannot run here, or null. */
export function missingNetplanGenerator(): string | null {
  const debs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.cache/debs');
  for (const f of ['netplan.io/usr/libexec/netplan/generate', 'libnetplan0/usr/lib/x86_64-linux-gnu/libnetplan.so.0.0']) {
    if (!fs.existsSync(path.join(debs, f))) return `.cache/debs/${f} is not unpacked (scripts/setup-test-deps.sh)`;
  }
  return null;
}

export class DaemonNs {
  private child: ChildProcess | null = null;
  readonly log: string;

  constructor(private readonly tb: Testbed) {
    this.log = path.join(tb.dir, 'networkd.log');
  }

  /** dbus and networkd up over the root's files; resolves once networkd holds its bus name and `ready` holds. */
  async start(ready: string, opts: { flush?: string[]; timeoutMs?: number } = {}): Promise<this> {
    const timeoutMs = opts.timeoutMs ?? 20_000;
    const dir = path.join(this.tb.root, 'etc/systemd/network');
    fs.mkdirSync(dir, { recursive: true });
    // netplan: its generator's output under the root is networkd's /run/systemd/network, made as at boot.
    const netplan = this.tb.opts.manager === 'netplan'
      ? [`"${path.join(this.tb.bin, 'netplan')}" generate`, 'mkdir -p /run/systemd/network', `mount --bind "${path.join(this.tb.root, 'run/systemd/network')}" /run/systemd/network`]
      : [];
    // networkd drops to the systemd-network user: the bind-mounted directory must be readable to it.
    fs.chmodSync(dir, 0o755);
    const keep = path.join(this.tb.dir, 'netns');
    const script = [
      'set -e',
      '[ "$(readlink /proc/self/ns/net)" != "$(readlink /proc/1/ns/net)" ] || { echo "refusing: the machine\'s own network namespace" >&2; exit 99; }',
      'mount --make-rprivate /',
      // The named namespaces stay visible under the fresh /run: the wizard tells by them that it
      // is not in the machine's own network namespace (src/system/netns.ts).
      `mkdir -p "${keep}" && mount --rbind /run/netns "${keep}"`,
      'mount -t tmpfs tmpfs /run',
      `mkdir -p /run/netns && mount --move "${keep}" /run/netns`,
      'mkdir -p /run/dbus /run/systemd/netif && chown systemd-network:systemd-network /run/systemd/netif',
      'umount -l /sys 2>/dev/null || true',
      'mount -t sysfs -o ro sysfs /sys',
      `mount --bind "${dir}" /etc/systemd/network`,
      ...netplan,
      // networkd configured eno1 at boot: its address and route are networkd's, not the testbed's.
      ...(opts.flush ?? []).map((dev) => `ip -4 addr flush dev ${dev} && ip -4 route flush dev ${dev}`),
      'dbus-daemon --system --nofork --nopidfile --nosyslog & ',
      'for i in $(seq 1 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done',
      `SYSTEMD_LOG_LEVEL=debug ${NETWORKD} >>"${this.log}" 2>&1 &`,
      'echo started',
      'wait',
    ].join('\n');
    // Its own process group: down() ends exactly what was started here.
    this.child = spawn('ip', ['netns', 'exec', this.tb.ns.dom0, 'unshare', '-m', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // A test process that dies without its after() still ends the daemons it started.
    process.once('exit', this.cleanup);
    let err = '';
    this.child.stderr!.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      this.child!.stdout!.once('data', () => resolve());
      this.child!.once('exit', (code) => reject(new Error(`networkd holder exited ${code}: ${err}`)));
    });
    const end = Date.now() + timeoutMs;
    for (;;) {
      // networkctl answers once networkd holds its name on the bus.
      const bus = this.exec(['networkctl', 'list', '--no-pager']);
      if (bus.status === 0 && this.exec(['sh', '-c', ready]).status === 0) return this;
      if (Date.now() > end) throw new Error(`networkd not ready (${ready}): ${bus.stderr}${this.logText().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** argv run inside the holder's mount and network namespaces. */
  wrap(argv: string[]): string[] {
    if (!this.child?.pid) throw new Error('networkd holder not started');
    return ['nsenter', '-t', String(this.child.pid), '-m', '-n', '--', ...argv];
  }

  exec(argv: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
    const [cmd, ...args] = this.wrap(argv);
    return spawnSync(cmd, args, { encoding: 'utf8', env: opts.env ?? process.env, timeout: opts.timeout ?? 120_000 });
  }

  logText(): string {
    return fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8') : '';
  }

  private readonly cleanup = () => this.down();

  down(): void {
    const pid = this.child?.pid;
    this.child = null;
    process.off('exit', this.cleanup);
    if (!pid) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
