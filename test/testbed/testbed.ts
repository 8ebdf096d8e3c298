// The namespace testbed of DESIGN.md: a dom0 built from network namespaces and veth pairs on the
// real kernel. `lan` is the upstream switch and gateway (192.168.1.254), `client` a host on the
// LAN, each guest a namespace whose dom0-side veth is named like Xen's (vif1.0, or its vifname=),
// all on a libvirt-style NAT virbr0 (192.168.122.1/24, MASQUERADE in dom0's own iptables).
// Every address and route lives in namespaces made here; it refuses to run in the host's own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliResult } from '../_helpers/roots.js';
import { Libvirtd } from '../_helpers/libvirtd.js';

const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestGuest { name: string; domid: number; vif: string; mac: string; natIp: string; lanIp: string }

export const GUESTS: TestGuest[] = [
  { name: 'web1', domid: 1, vif: 'vif1.0', mac: '00:16:3e:2a:10:01', natIp: '192.168.122.11', lanIp: '192.168.1.11' },
  // db1's config sets vifname=db1.0, so Xen names its dom0-side vif that way.
  { name: 'db1', domid: 2, vif: 'db1.0', mac: '00:16:3e:2a:10:02', natIp: '192.168.122.12', lanIp: '192.168.1.12' },
];

export const DOM0_IP = '192.168.1.3';
export const GATEWAY = '192.168.1.254';
export const CLIENT_IP = '192.168.1.50';

function sh(argv: string[], input?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export function testbedAvailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  for (const tool of ['ip', 'iptables', 'fping']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `needs ${tool} (scripts/setup-test-deps.sh installs it)`;
  }
  return null;
}

let made = 0;

export class Testbed {
  // Short (interface-name-sized) and unique per testbed: uvu runs every suite in one process.
  readonly id = `xnw${process.pid % 100000}${String.fromCharCode(97 + made++)}`;
  readonly ns: { dom0: string; lan: string; client: string; guests: Record<string, string> };
  readonly dir: string;
  readonly root: string;
  readonly bin: string;
  readonly log: string;
  /** A real libvirtd in dom0 (startLibvirtd), instead of the hand-made virbr0 and the virsh stand-in. */
  libvirtd: Libvirtd | null = null;
  private up = false;
  private readonly cleanup = () => this.down();
  private readonly onSignal = () => {
    this.down();
    process.exit(130);
  };

  constructor(readonly opts: { realLibvirt?: boolean; manager?: 'networkd' | 'netplan' } = {}) {
    this.ns = { dom0: `${this.id}-dom0`, lan: `${this.id}-lan`, client: `${this.id}-client`, guests: {} };
    for (const g of GUESTS) this.ns.guests[g.name] = `${this.id}-${g.name}`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-testbed-'));
    this.root = path.join(this.dir, 'root');
    this.bin = path.join(this.dir, 'bin');
    this.log = path.join(this.dir, 'commands.log');
  }

  /** Build everything; on any failure, tear down what was built. */
  start(): this {
    const why = testbedAvailable();
    if (why) throw new Error(`testbed ${why}`);
    process.once('exit', this.cleanup);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    this.up = true;
    try {
      this.buildNetwork();
      this.buildRoot();
      this.buildStandIns();
    } catch (err) {
      this.down();
      throw err;
    }
    return this;
  }

  exec(ns: string, argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}) {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8', env: opts.env ?? process.env, input: opts.input ?? '', timeout: opts.timeout ?? 120_000 });
    return cliResult(r);
  }

  ip(ns: string, args: string): string {
    return sh(['ip', '-n', ns, ...args.split(' ')]);
  }

  /** Environment for the wizard inside dom0: stand-ins (xl, virsh) first on PATH. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const uri = this.libvirtd ? { LIBVIRT_DEFAULT_URI: this.libvirtd.uri } : {};
    return { PATH: `${this.bin}:${process.env.PATH}`, HOME: process.env.HOME, LANG: 'C', NO_COLOR: '1', ...uri, ...extra };
  }

  private buildNetwork(): void {
    const { dom0, lan, client, guests } = this.ns;
    for (const n of [dom0, lan, client, ...Object.values(guests)]) {
      sh(['ip', 'netns', 'add', n]);
      this.ip(n, 'link set lo up');
    }
    // The LAN: a switch with the gateway's address on it, dom0's eno1 and a client as ports.
    this.ip(lan, 'link add sw0 type bridge stp_state 0 forward_delay 0');
    this.ip(lan, `addr add ${GATEWAY}/24 dev sw0`);
    this.ip(lan, 'link set sw0 up');
    sh(['ip', 'link', 'add', 'eno1', 'netns', dom0, 'address', '3c:ec:ef:12:34:56', 'type', 'veth', 'peer', 'name', 'p-dom0', 'netns', lan]);
    sh(['ip', 'link', 'add', 'eth0', 'netns', client, 'type', 'veth', 'peer', 'name', 'p-client', 'netns', lan]);
    for (const p of ['p-dom0', 'p-client']) {
      this.ip(lan, `link set ${p} master sw0`);
      this.ip(lan, `link set ${p} up`);
    }
    this.ip(client, `addr add ${CLIENT_IP}/24 dev eth0`);
    this.ip(client, 'link set eth0 up');
    this.ip(client, `route add default via ${GATEWAY}`);
    // dom0: eno1 with the LAN address and the default route, libvirt's NAT virbr0.
    this.ip(dom0, `addr add ${DOM0_IP}/24 dev eno1`);
    this.ip(dom0, 'link set eno1 up');
    this.ip(dom0, `route add default via ${GATEWAY} dev eno1`);
    // A real libvirtd builds virbr0, its NAT rules and forwarding itself (startLibvirtd).
    if (this.opts.realLibvirt) return;
    this.ip(dom0, 'link add virbr0 address 52:54:00:4f:a1:0c type bridge stp_state 0 forward_delay 0');
    this.ip(dom0, 'addr add 192.168.122.1/24 dev virbr0');
    this.ip(dom0, 'link set virbr0 up');
    sh(['ip', 'netns', 'exec', dom0, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    sh(['ip', 'netns', 'exec', dom0, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-s', '192.168.122.0/24', '!', '-d', '192.168.122.0/24', '-j', 'MASQUERADE']);
    this.plugGuests();
  }

  /** Each guest's vif on virbr0, as Xen's vif-bridge leaves it for a guest on network 'default'. */
  private plugGuests(): void {
    const { dom0, guests } = this.ns;
    for (const g of GUESTS) {
      const gns = guests[g.name];
      sh(['ip', 'link', 'add', g.vif, 'netns', dom0, 'address', 'fe:ff:ff:ff:ff:ff', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', gns, 'address', g.mac]);
      this.ip(dom0, `link set ${g.vif} master virbr0`);
      this.ip(dom0, `link set ${g.vif} up`);
      this.ip(gns, `addr add ${g.natIp}/24 dev eth0`);
      this.ip(gns, 'link set eth0 up');
      this.ip(gns, 'route add default via 192.168.122.1');
    }
  }

  /**
   * A real libvirtd in dom0 over the root's /etc/libvirt (test/_helpers/libvirtd.ts): it starts
   * the autostarted networks (virbr0, its rules, its dnsmasq), then the guests are plugged in.
   */
  async startLibvirtd(): Promise<Libvirtd> {
    try {
      this.libvirtd = await new Libvirtd(path.join(this.root, 'etc/libvirt'), { netns: this.ns.dom0 }).start();
      if (fs.existsSync(path.join(this.root, 'etc/libvirt/qemu/networks/autostart/default.xml'))) this.plugGuests();
    } catch (err) {
      this.down();
      throw err;
    }
    return this.libvirtd;
  }

  /** dom0's files: the demo dom0 (Debian 12, xl, ifupdown), without sys/ and proc/ so the live kernel is read. */
  private buildRoot(): void {
    fs.cpSync(path.join(PROJECT, 'demo/root'), this.root, { recursive: true, verbatimSymlinks: true });
    fs.rmSync(path.join(this.root, 'sys'), { recursive: true, force: true });
    fs.rmSync(path.join(this.root, 'proc'), { recursive: true, force: true });
    if (this.opts.realLibvirt) {
      // libvirtd of the namespace has no Xen driver: domains are the lab's part (test/lab).
      fs.rmSync(path.join(this.root, 'etc/libvirt/libxl'), { recursive: true, force: true });
    }
    const interfaces = path.join(this.root, 'etc/network/interfaces');
    fs.writeFileSync(interfaces, fs.readFileSync(interfaces, 'utf8').replace('192.168.1.10/24', `${DOM0_IP}/24`));
    if (this.opts.manager === 'networkd') this.networkdRoot(interfaces);
    if (this.opts.manager === 'netplan') this.netplanRoot(interfaces);
  }

  /**
   * The same dom0 on netplan with the networkd renderer, as Ubuntu server's installer writes it
   * (test/fixtures/managers/ubuntu2404-server): ifupdown keeps only lo, networkd is enabled, the
   * netplan generator is installed, and 50-cloud-init.yaml (cloud-init's networking disabled) has
   * eno1's address, default route and DNS. `netplan` on the wizard's PATH is Debian's real
   * generator (unpacked in .cache/debs) over this root.
   */
  private netplanRoot(interfaces: string): void {
    fs.writeFileSync(interfaces, fs.readFileSync(interfaces, 'utf8').replace(/\n# The primary network interface\n[\s\S]*$/, '\n'));
    const ubuntu = path.join(PROJECT, 'test/fixtures/managers/ubuntu2404-server/root');
    fs.rmSync(path.join(this.root, 'etc/systemd/system/multi-user.target.wants/networking.service'), { force: true });
    for (const f of ['etc/systemd/system/multi-user.target.wants/systemd-networkd.service', 'etc/cloud/cloud.cfg.d/subiquity-disable-cloudinit-networking.cfg',
      'usr/lib/systemd/system-generators/netplan', 'usr/libexec/netplan/generate', 'usr/lib/systemd/system/systemd-networkd.service']) {
      fs.mkdirSync(path.dirname(path.join(this.root, f)), { recursive: true });
      fs.cpSync(path.join(ubuntu, f), path.join(this.root, f), { verbatimSymlinks: true });
    }
    fs.mkdirSync(path.join(this.root, 'etc/netplan'), { recursive: true });
    fs.writeFileSync(path.join(this.root, 'etc/netplan/50-cloud-init.yaml'), [
      'network:', '    ethernets:', '        eno1:', '            addresses:', `            - ${DOM0_IP}/24`, '            nameservers:', '                addresses:',
      `                - ${GATEWAY}`, '            routes:', '            -   to: default', `                via: ${GATEWAY}`, '    version: 2', '',
    ].join('\n'), { mode: 0o600 });
    fs.mkdirSync(path.join(this.root, 'run/systemd/network'), { recursive: true });
  }

  /**
   * The same dom0 on systemd-networkd, as Debian's systemd.network(5) and the Arch wiki's "wired
   * adapter using a static IP" write it: ifupdown keeps only lo, networkd is enabled and configures
   * eno1 with the address, gateway and DNS the interfaces file had.
   */
  private networkdRoot(interfaces: string): void {
    fs.writeFileSync(interfaces, fs.readFileSync(interfaces, 'utf8').replace(/\n# The primary network interface\n[\s\S]*$/, '\n'));
    const wants = path.join(this.root, 'etc/systemd/system/multi-user.target.wants');
    fs.rmSync(path.join(wants, 'networking.service'), { force: true });
    fs.symlinkSync('/lib/systemd/system/systemd-networkd.service', path.join(wants, 'systemd-networkd.service'));
    const dir = path.join(this.root, 'etc/systemd/network');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '20-wired.network'), `[Match]\nName=eno1\n\n[Network]\nAddress=${DOM0_IP}/24\nGateway=${GATEWAY}\nDNS=${GATEWAY}\n`);
  }

  /** Only the hypervisor is simulated: `xl list` lists the guest namespaces; virsh records. */
  private buildStandIns(): void {
    fs.mkdirSync(this.bin);
    fs.writeFileSync(this.log, '');
    const rows = GUESTS.map((g) => `${g.name.padEnd(40)}${String(g.domid).padStart(5)}   512     1     -b----       1.0`).join('\\n');
    fs.writeFileSync(path.join(this.bin, 'xl'), `#!/bin/sh
# Stand-in for Xen's xl in the namespace testbed: the guests are network namespaces.
echo "xl $*" >> "${this.log}"
case "$1" in
  list) printf 'Name                                        ID   Mem VCPUs\\tState\\tTime(s)\\nDomain-0                                     0  1280     2     r-----      10.0\\n${rows}\\n' ;;
  *) exit 0 ;;
esac
`, { mode: 0o755 });
    // update-initramfs (recipe shadow-bridge's .link file) only records: the machine's own /boot is never touched.
    if (this.opts.manager === 'netplan') {
      const debs = path.join(PROJECT, '.cache/debs');
      // The real generator, over this root's /etc/netplan, writing its run/systemd/network (which
      // the networkd of test/testbed/daemons.ts reads as /run/systemd/network).
      fs.writeFileSync(path.join(this.bin, 'netplan'), `#!/bin/sh
echo "netplan $*" >> "${this.log}"
[ "$1" = generate ] || { echo "testbed: only netplan generate is available" >&2; exit 1; }
LD_LIBRARY_PATH="${debs}/libnetplan0/usr/lib/x86_64-linux-gnu" exec "${debs}/netplan.io/usr/libexec/netplan/generate" --root-dir "${this.root}"
`, { mode: 0o755 });
    }
    fs.writeFileSync(path.join(this.bin, 'update-initramfs'), `#!/bin/sh\necho "update-initramfs $*" >> "${this.log}"\n`, { mode: 0o755 });
    if (this.opts.realLibvirt) return;
    // virsh records, and does what libvirt does on disk for autostart (there is no libvirtd here).
    const autostart = path.join(this.root, 'etc/libvirt/qemu/networks/autostart');
    // `virsh -q …`: the wizard's read-only look at libvirt (--live detection), answered with nothing.
    fs.writeFileSync(path.join(this.bin, 'virsh'), `#!/bin/sh
[ "$1" = "-q" ] && exit 0
echo "virsh $*" >> "${this.log}"
case "virsh $*" in "$XNW_STANDIN_FAIL") echo "stand-in failure" >&2; exit 1;; esac
case "$1 $3" in
  "net-autostart --disable") rm -f "${autostart}/$2.xml" ;;
  "net-autostart ") ln -sfn "../$2.xml" "${autostart}/$2.xml" ;;
esac
exit 0
`, { mode: 0o755 });
  }

  down(): void {
    if (!this.up) return;
    this.up = false;
    this.libvirtd?.down();
    for (const n of [this.ns.dom0, this.ns.lan, this.ns.client, ...Object.values(this.ns.guests)]) {
      spawnSync('ip', ['netns', 'del', n]);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    process.off('exit', this.cleanup);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}
