// The namespace testbed of recipe routed-lan (seed 000 lines 385–533), in the style of
// test/testbed/testbed.ts: a dom0 with two NICs — eno1 to the WAN (gateway 192.168.1.254, a
// client) and eno2 to an "L3 switch" (192.168.0.254) with a LAN host behind it — and a guest
// whose vif1.0 starts on libvirt's NAT virbr0. Names are pid-unique, everything is removed always.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliResult } from '../../_helpers/roots.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROJECT = path.resolve(HERE, '../../..');

export const DOM0_WAN = '192.168.1.3';
export const GATEWAY = '192.168.1.254';
export const CLIENT = '192.168.1.50';
export const DOM0_LAN = '192.168.0.3';
export const L3SW = '192.168.0.254';
export const LANHOST = '192.168.0.50';
export const GUEST = { name: 'web1', domid: 1, mac: '00:16:3e:2a:10:01', wanIp: '192.168.1.11', lanIp: '192.168.122.11' };

function sh(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function routedTestbedAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of ['ip', 'iptables', 'unshare', 'ping']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool}`;
  }
  return null;
}

export class RoutedTestbed {
  readonly id = `xnr${process.pid % 100000}`;
  readonly ns: Record<'dom0' | 'wan' | 'client' | 'l3sw' | 'lanhost' | 'guest', string>;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-routed-'));
  readonly root = path.join(this.dir, 'root');
  readonly bin = path.join(this.dir, 'bin');
  readonly log = path.join(this.dir, 'commands.log');
  readonly state = path.join(this.dir, 'state');
  private up = false;
  private readonly cleanup = () => this.down();
  private readonly onSignal = () => {
    this.down();
    process.exit(130);
  };

  constructor() {
    const n = (s: string) => `${this.id}-${s}`;
    this.ns = { dom0: n('dom0'), wan: n('wan'), client: n('client'), l3sw: n('l3sw'), lanhost: n('lanhost'), guest: n(GUEST.name) };
  }

  start(): this {
    process.once('exit', this.cleanup);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    this.up = true;
    try {
      this.buildRoot();
      this.buildStandIns();
      this.buildNetwork();
    } catch (err) {
      this.down();
      throw err;
    }
    return this;
  }

  exec(ns: string, argv: string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', env: opts.env ?? this.env(), timeout: opts.timeout ?? 120_000 });
    return cliResult(r);
  }

  ip(ns: string, args: string): string {
    return sh(['ip', '-n', ns, ...args.split(' ')]);
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: `${this.bin}:${process.env.PATH}`, HOME: process.env.HOME, LANG: 'C', NO_COLOR: '1',
      XNW_ROOT: this.root, XNW_LOG: this.log, XNW_STATE: this.state, ...extra,
    };
  }

  /** A bridge (switch) with `ports` veth ends in namespace `ns`. */
  private sw(ns: string, address: string): void {
    this.ip(ns, 'link add sw0 type bridge stp_state 0 forward_delay 0');
    this.ip(ns, `addr add ${address} dev sw0`);
    this.ip(ns, 'link set sw0 up');
  }

  private cable(a: { ns: string; name: string; mac?: string }, b: { ns: string; name: string; mac?: string }): void {
    sh(['ip', 'link', 'add', a.name, 'netns', a.ns, ...(a.mac ? ['address', a.mac] : []), 'type', 'veth', 'peer', 'name', b.name, 'netns', b.ns, ...(b.mac ? ['address', b.mac] : [])]);
  }

  private buildNetwork(): void {
    const { dom0, wan, client, l3sw, lanhost, guest } = this.ns;
    for (const n of Object.values(this.ns)) {
      sh(['ip', 'netns', 'add', n]);
      this.ip(n, 'link set lo up');
    }
    // WAN: the NAT router of seed 000 line 389 (gateway) with a client on its segment.
    this.sw(wan, `${GATEWAY}/24`);
    this.cable({ ns: dom0, name: 'eno1', mac: '3c:ec:ef:12:34:56' }, { ns: wan, name: 'p-dom0' });
    this.cable({ ns: client, name: 'eth0' }, { ns: wan, name: 'p-client' });
    // LAN: the non-NAT router ("L3 switch", line 389) with a LAN host behind it.
    this.sw(l3sw, `${L3SW}/24`);
    sh(['ip', 'netns', 'exec', l3sw, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    this.cable({ ns: dom0, name: 'eno2', mac: '3c:ec:ef:12:34:57' }, { ns: l3sw, name: 'p-dom0' });
    this.cable({ ns: lanhost, name: 'eth0' }, { ns: l3sw, name: 'p-lanhost' });
    for (const [ns, port] of [[wan, 'p-dom0'], [wan, 'p-client'], [l3sw, 'p-dom0'], [l3sw, 'p-lanhost']]) {
      this.ip(ns, `link set ${port} master sw0`);
      this.ip(ns, `link set ${port} up`);
    }
    for (const [ns, addr, gw] of [[client, CLIENT, GATEWAY], [lanhost, LANHOST, L3SW]]) {
      this.ip(ns, `addr add ${addr}/24 dev eth0`);
      this.ip(ns, 'link set eth0 up');
      this.ip(ns, `route add default via ${gw}`);
    }
    this.ip(dom0, `addr add ${DOM0_WAN}/24 dev eno1`);
    this.ip(dom0, 'link set eno1 up');
    this.ip(dom0, `route add default via ${GATEWAY} dev eno1`);
    this.ip(dom0, `addr add ${DOM0_LAN}/24 dev eno2`);
    this.ip(dom0, 'link set eno2 up');
    // libvirt's NAT network "default", started the way the stand-in starts every network.
    const r = this.exec(dom0, ['virsh', 'net-start', 'default']);
    if (r.status !== 0) throw new Error(`virsh net-start default: ${r.stderr}`);
    // The running guest: its eth0 is vif1.0 in dom0, on virbr0 (virt-manager's layout).
    this.cable({ ns: dom0, name: 'vif1.0', mac: 'fe:ff:ff:ff:ff:ff' }, { ns: guest, name: 'eth0', mac: GUEST.mac });
    this.ip(dom0, 'link set vif1.0 master virbr0');
    this.ip(dom0, 'link set vif1.0 up');
    this.ip(guest, `addr add ${GUEST.lanIp}/24 dev eth0`);
    this.ip(guest, 'link set eth0 up');
    this.ip(guest, 'route add default via 192.168.122.1');
  }

  /** What Xen's vif-bridge does when the guest next starts with its new vif N on `bridge`. */
  plugVif(index: number, mac: string, bridge: string): void {
    this.cable({ ns: this.ns.dom0, name: `vif${GUEST.domid}.${index}`, mac: 'fe:ff:ff:ff:ff:ff' }, { ns: this.ns.guest, name: `eth${index}`, mac });
    this.ip(this.ns.dom0, `link set vif${GUEST.domid}.${index} master ${bridge}`);
    this.ip(this.ns.dom0, `link set vif${GUEST.domid}.${index} up`);
    this.ip(this.ns.guest, `link set eth${index} up`);
  }

  /** dom0's files: the demo dom0 (Debian 12, xl, ifupdown); the live kernel is read, /proc/sys is dom0's own. */
  private buildRoot(): void {
    fs.cpSync(path.join(PROJECT, 'demo/root'), this.root, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(this.root, 'sys'), { recursive: true, force: true });
    fs.rmSync(path.join(this.root, 'proc'), { recursive: true, force: true });
    // The wizard runs inside dom0's namespace: /proc/sys there is dom0's, so sysctl steps get
    // their undo from the values the kernel had.
    fs.mkdirSync(path.join(this.root, 'proc'));
    fs.symlinkSync('/proc/sys', path.join(this.root, 'proc/sys'));
    const interfaces = path.join(this.root, 'etc/network/interfaces');
    fs.writeFileSync(interfaces, fs.readFileSync(interfaces, 'utf8').replace('192.168.1.10/24', `${DOM0_WAN}/24`));
  }

  private buildStandIns(): void {
    fs.mkdirSync(this.bin);
    fs.mkdirSync(this.state);
    fs.writeFileSync(this.log, '');
    fs.writeFileSync(path.join(this.bin, 'xl'), `#!/bin/sh
# Stand-in for Xen's xl: the guest is a network namespace.
echo "xl $*" >> "${this.log}"
case "$1" in
  list) printf 'Name                                        ID   Mem VCPUs\\tState\\tTime(s)\\nDomain-0                                     0  1280     2     r-----      10.0\\n${GUEST.name.padEnd(40)}${String(GUEST.domid).padStart(5)}   512     1     -b----       1.0\\n' ;;
esac
exit 0
`, { mode: 0o755 });
    fs.writeFileSync(path.join(this.bin, 'virsh'), `#!/bin/sh\nexec "${process.execPath}" "${path.join(HERE, 'virshStandIn.mjs')}" "$@"\n`, { mode: 0o755 });
  }

  down(): void {
    if (!this.up) return;
    this.up = false;
    for (const n of Object.values(this.ns)) spawnSync('ip', ['netns', 'del', n]);
    fs.rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.cleanup);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
