// Recipe virtual-network (seed 002 lines 91–95) proven in network namespaces with a real dnsmasq:
// the wizard edits the demo's Debian 12 root (offline); the commands it lists are then run for
// real inside dom0 — ifupdown's own `ifup` on the rendered interfaces(5), `sysctl -w`, and
// dnsmasq with the rendered configuration. A guest namespace on the bridge gets a lease; a LAN
// namespace sees no DHCP offer, and cannot reach the guest even with a route through dom0 and
// dom0 forwarding for other reasons (ip_forward = 1).
// dnsmasq runs only inside the test's dom0 namespace and is stopped by its PID.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { NsBed, nsBedUnavailable } from '../../_helpers/nsBed.js';
import { DEBS, overlayDirs, privateMountScript } from '../../_helpers/ifupdownNs.js';
import { PROJECT } from '../../_helpers/roots.js';

const DOM0 = '192.168.1.10';
const CLIENT = '192.168.1.50';
const GUEST = { name: 'web1', domid: 1, mac: '00:16:3e:2a:10:01' };

const why = nsBedUnavailable(['dnsmasq', 'unshare', 'ss']) ?? (fs.existsSync(path.join(DEBS, 'ifupdown/sbin/ifup')) ? null : 'needs ifupdown unpacked by scripts/setup-test-deps.sh');
if (why) {
  console.log(`!!! SKIPPED virtual-network namespace testbed (real dnsmasq, lease on the bridge, none on the LAN): ${why}; CI runs it as root`);
} else {
  const bed = new NsBed('xvn');
  const dom0 = bed.ns('dom0');
  const lan = bed.ns('lan');
  const client = bed.ns('client');
  const guest = bed.ns('guest');
  bed.bridge(lan, 'sw0', '192.168.1.254/24');
  bed.cable({ ns: dom0, name: 'eno1' }, { ns: lan, name: 'p-dom0' });
  bed.cable({ ns: client, name: 'eth0' }, { ns: lan, name: 'p-client' });
  for (const port of ['p-dom0', 'p-client']) bed.ip(lan, `link set ${port} master sw0`);
  bed.ip(dom0, `addr add ${DOM0}/24 dev eno1`);
  bed.ip(client, `addr add ${CLIENT}/24 dev eth0`);
  // The LAN knows the way to the guests' segment through dom0, and dom0 routes for other reasons.
  bed.ip(client, `route add 10.0.0.0/24 via ${DOM0}`);
  bed.exec(dom0, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  bed.bridge(dom0, 'virbr0', '192.168.122.1/24');
  bed.cable({ ns: dom0, name: 'vif1.0' }, { ns: guest, name: 'eth0', mac: GUEST.mac });
  bed.ip(dom0, 'link set vif1.0 master virbr0');
  bed.rootFrom(path.join(PROJECT, 'demo/root'));
  const interfacesBefore = fs.readFileSync(path.join(bed.root, 'etc/network/interfaces'), 'utf8');
  const answers = path.join(bed.dir, 'answers.json');
  fs.writeFileSync(answers, JSON.stringify({ recipe: 'virtual-network', guests: [GUEST.name] }));
  let listed: string[] = [];
  /** A DHCP client over UDP (test/_helpers/dhcpClient.mjs): exit 0 = lease, 1 = no offer. */
  const dhcp = (ns: string) => {
    const mac = bed.exec(ns, ['cat', '/sys/class/net/eth0/address']).stdout.trim();
    // Its limited broadcast leaves by eth0 even before the namespace has an address.
    bed.exec(ns, ['ip', 'route', 'replace', '255.255.255.255/32', 'dev', 'eth0']);
    return bed.exec(ns, [process.execPath, path.join(PROJECT, 'test/_helpers/dhcpClient.mjs'), mac, '4'], { timeout: 20_000 });
  };

  test('apply (offline): exit 0, the files written, ifup / sysctl / dnsmasq restart listed for the admin', () => {
    const r = bed.wizard(dom0, ['apply', '--root', bed.root, '--answers', answers, '--yes', '--json']);
    assert.is(r.status, 0, r.stderr);
    listed = (JSON.parse(r.stdout) as { listedCommands: string[] }).listedCommands;
    assert.equal(listed, ['ifup xenbr1', 'sysctl -w net.ipv4.conf.xenbr1.forwarding=0', 'systemctl restart dnsmasq']);
  });

  test('the listed commands for real: ifupdown brings xenbr1 up (no port), forwarding off on it, dnsmasq with the rendered file', () => {
    const after = fs.readFileSync(path.join(bed.root, 'etc/network/interfaces'), 'utf8');
    const o = overlayDirs('ifupdown', { before: interfacesBefore, after });
    try {
      const body = 'cp /etc/network/interfaces.after /etc/network/interfaces\nifup -i /etc/network/interfaces xenbr1';
      const r = bed.exec(dom0, ['unshare', '-m', 'sh', '-c', privateMountScript(o, body)]);
      assert.is(r.status, 0, r.stderr);
    } finally {
      fs.rmSync(o.work, { recursive: true, force: true });
    }
    assert.is(bed.exec(dom0, ['sysctl', '-w', 'net.ipv4.conf.xenbr1.forwarding=0']).status, 0);
    assert.match(bed.ip(dom0, 'address show dev xenbr1'), /inet 10\.0\.0\.1\/24/);
    assert.is(bed.exec(dom0, ['ip', '-o', 'link', 'show', 'master', 'xenbr1']).stdout.trim(), '', 'no port yet: nothing of the LAN');
    // What `systemctl restart dnsmasq` does with Debian's conf-dir, run in dom0 only: the daemon's PID is tracked and killed at the end.
    const conf = path.join(bed.root, 'etc/dnsmasq.d/xen-net-wizard-xenbr1.conf');
    const lease = path.join(bed.dir, 'dnsmasq.leases');
    const d = spawn('ip', ['netns', 'exec', dom0, 'dnsmasq', '--keep-in-foreground', '--no-resolv', '--no-hosts', '--port=0', `--conf-file=${conf}`, `--dhcp-leasefile=${lease}`, `--pid-file=${path.join(bed.dir, 'dnsmasq.pid')}`, '--user=root', '--group=root'], { stdio: ['ignore', 'ignore', fs.openSync(path.join(bed.dir, 'dnsmasq.log'), 'w')] });
    bed.track(d.pid!);
    // Ready once it listens on the bridge's DHCP port.
    for (let i = 0; i < 50 && !/%xenbr1:67\b/.test(bed.exec(dom0, ['ss', '-ulpn']).stdout); i++) spawnSync('sleep', ['0.1']);
    assert.match(bed.exec(dom0, ['ss', '-ulpn']).stdout, /%xenbr1:67\b/, fs.readFileSync(path.join(bed.dir, 'dnsmasq.log'), 'utf8'));
    assert.not.match(bed.exec(dom0, ['ss', '-ulpn']).stdout, /%eno1:67\b|0\.0\.0\.0:67\b/, 'not on the LAN NIC, not on every interface');
  });

  test('the guest, attached where its config now says (vif-bridge\'s part), gets a lease from dom0', () => {
    const cfg = fs.readFileSync(path.join(bed.root, 'etc/xen/web1.cfg'), 'utf8');
    assert.match(cfg, /'mac=00:16:3e:2a:10:01,bridge=xenbr1'/);
    bed.ip(dom0, 'link set vif1.0 master xenbr1');
    const r = dhcp(guest);
    assert.is(r.status, 0, `${r.stdout}${r.stderr}\n${fs.readFileSync(path.join(bed.dir, 'dnsmasq.log'), 'utf8')}`);
    const leased = /^lease (10\.0\.0\.(\d+)) from 10\.0\.0\.1$/m.exec(r.stdout);
    assert.ok(leased && Number(leased[2]) >= 100 && Number(leased[2]) <= 199, r.stdout);
    bed.ip(guest, `addr add ${leased![1]}/24 dev eth0`);
    bed.ip(guest, 'route add default via 10.0.0.1');
    assert.is(bed.exec(guest, ['ping', '-c', '1', '-W', '2', '10.0.0.1']).status, 0, 'guest ↔ dom0 on the segment');
  });

  test('the LAN sees no DHCP offer (dnsmasq serves the bridge only)', () => {
    const r = dhcp(client);
    assert.is.not(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no offer/);
  });

  test('the LAN cannot reach the guest, although it has a route through dom0 and dom0 forwards; control: with forwarding on the bridge it could', () => {
    const guestIp = /inet (10\.0\.0\.\d+)/.exec(bed.ip(guest, 'address show dev eth0'))![1];
    const reaches = () => bed.exec(client, ['ping', '-c', '1', '-W', '2', guestIp]).status === 0;
    assert.not.ok(reaches());
    bed.exec(dom0, ['sysctl', '-qw', 'net.ipv4.conf.xenbr1.forwarding=1']);
    try {
      assert.ok(reaches(), 'control: the same path with forwarding on the bridge works, so the test can tell');
    } finally {
      bed.exec(dom0, ['sysctl', '-qw', 'net.ipv4.conf.xenbr1.forwarding=0']);
    }
    assert.not.ok(reaches());
  });

  test.after(() => bed.down());
  test.run();
}
