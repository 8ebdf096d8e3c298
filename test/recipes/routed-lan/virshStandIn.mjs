// Stand-in for virsh + libvirtd in the routed-lan testbed (there is no libvirtd here): it does to
// the dom0 namespace and the root what libvirt would — networks' bridges and addresses, ip_forward,
// MASQUERADE for mode 'nat', the eth1 <-> virbr0 FORWARD ACCEPT rules of mode 'route' (seed 000
// line 416), its own copy of net-define'd XML, autostart links, and network hooks, which libvirtd
// runs only if they existed when it started (the test "restarts" it by creating STATE/hooks-on).
// Hooks run in a private mount namespace with ROOT/etc overlaid on /etc, so they read the root's
// /etc/xen/route.conf and /etc/iproute2/rt_tables; the machine's own /etc is never touched.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const { XNW_ROOT: root, XNW_LOG: log, XNW_STATE: state } = process.env;
const args = process.argv.slice(2);
// `virsh -q …` is the wizard's read-only look at libvirt (--live detection): answered with nothing
// (the files stand), and not recorded among the changes.
if (args[0] === '-q') process.exit(0);
fs.appendFileSync(log, `virsh ${args.join(' ')}\n`);
if (process.env.XNW_STANDIN_FAIL === `virsh ${args.join(' ')}`) {
  console.error('stand-in failure');
  process.exit(1);
}
const nets = path.join(root, 'etc/libvirt/qemu/networks');
const run = (argv) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
};
const attr = (xml, el, name) => new RegExp(`<${el}\\b[^>]*\\b${name}=['"]([^'"]+)`).exec(xml)?.[1];
const prefixOf = (mask) => mask.split('.').map(Number).reduce((n, o) => n + o.toString(2).replace(/0/g, '').length, 0);
function network(name) {
  const xml = fs.readFileSync(path.join(nets, `${name}.xml`), 'utf8');
  const ip = attr(xml, 'ip', 'address');
  const prefix = prefixOf(attr(xml, 'ip', 'netmask'));
  const n = ip.split('.').map(Number);
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const base = ((((n[0] << 24) | (n[1] << 16) | (n[2] << 8) | n[3]) >>> 0) & m) >>> 0;
  const net = `${[24, 16, 8, 0].map((s) => (base >>> s) & 0xff).join('.')}/${prefix}`;
  return { bridge: attr(xml, 'bridge', 'name'), mac: attr(xml, 'mac', 'address'), ip, prefix, net, mode: attr(xml, 'forward', 'mode') ?? null, dev: attr(xml, 'forward', 'dev') };
}
function firewall(n, op) {
  if (n.mode === 'nat') run(['iptables', '-t', 'nat', op, 'POSTROUTING', '-s', n.net, '!', '-d', n.net, '-j', 'MASQUERADE']);
  if (n.mode === 'route') {
    run(['iptables', op, 'FORWARD', '-d', n.net, '-i', n.dev, '-o', n.bridge, '-j', 'ACCEPT']);
    run(['iptables', op, 'FORWARD', '-s', n.net, '-i', n.bridge, '-o', n.dev, '-j', 'ACCEPT']);
  }
}
function hooks(name, op, sub) {
  const dir = path.join(root, 'etc/libvirt/hooks/network.d');
  if (!fs.existsSync(path.join(state, 'hooks-on')) || !fs.existsSync(dir)) return;
  for (const hook of fs.readdirSync(dir).sort()) {
    const script = `mount -t overlay overlay -o lowerdir=${path.join(root, 'etc')}:/etc /etc && exec "$0" "$@"`;
    run(['unshare', '-m', 'sh', '-c', script, path.join(dir, hook), name, op, sub, '-']);
  }
}
const [cmd, a, b] = args;
switch (cmd) {
  case 'net-define': {
    // Like virsh, it reads the file named on this machine: the wizard resolves a dom0 path under its --root.
    const xml = fs.readFileSync(a === '/dev/stdin' ? 0 : a, 'utf8');
    fs.writeFileSync(path.join(nets, `${/<name>([^<]+)<\/name>/.exec(xml)[1]}.xml`), xml, { mode: 0o600 });
    break;
  }
  case 'net-undefine': fs.rmSync(path.join(nets, `${a}.xml`), { force: true }); break;
  case 'net-autostart': {
    const link = path.join(nets, 'autostart', `${a}.xml`);
    fs.rmSync(link, { force: true });
    if (b !== '--disable') fs.symlinkSync(path.join('/etc/libvirt/qemu/networks', `${a}.xml`), link);
    break;
  }
  case 'net-start': {
    const n = network(a);
    run(['ip', 'link', 'add', n.bridge, ...(n.mac ? ['address', n.mac] : []), 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
    run(['ip', 'address', 'add', `${n.ip}/${n.prefix}`, 'dev', n.bridge]);
    run(['ip', 'link', 'set', n.bridge, 'up']);
    // seed 000 line 484: libvirt turns forwarding on for nat and route networks.
    run(['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    firewall(n, '-A');
    hooks(a, 'started', 'begin');
    break;
  }
  case 'net-destroy': {
    const n = network(a);
    firewall(n, '-D');
    run(['ip', 'link', 'del', n.bridge]);
    hooks(a, 'stopped', 'end');
    break;
  }
  default: break; // define (domains): nothing to do without a hypervisor
}
