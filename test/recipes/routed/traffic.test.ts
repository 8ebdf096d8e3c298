// Recipe routed (seed 002 lines 83–90) proven with real traffic in network namespaces: a dom0
// (the demo's Debian 12 xl host) whose running guest web1 sits on libvirt's NAT bridge, a LAN with
// a client. `apply --live --root` inside dom0 switches the guest's vif1.0 to vif-route's layout;
// then the LAN client and the guest reach each other by the routed path, each sees the other's
// real address, and no bridge carries the guest. Rollback puts everything back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { NsBed, nsBedUnavailable } from '../../_helpers/nsBed.js';
import { PROJECT, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';

const DOM0 = '192.168.1.10';
const GATEWAY = '192.168.1.254';
const CLIENT = '192.168.1.50';
const GUEST = { name: 'web1', domid: 1, mac: '00:16:3e:2a:10:01', ip: '192.168.1.11' };

const why = nsBedUnavailable();
if (why) {
  console.log(`!!! SKIPPED routed namespace testbed (LAN ↔ guest by vif-route's path): ${why}; CI runs it as root`);
} else {
  const bed = new NsBed('xrt');
  const dom0 = bed.ns('dom0');
  const lan = bed.ns('lan');
  const client = bed.ns('client');
  const guest = bed.ns('guest');
  bed.bridge(lan, 'sw0', `${GATEWAY}/24`);
  bed.cable({ ns: dom0, name: 'eno1', mac: '3c:ec:ef:12:34:56' }, { ns: lan, name: 'p-dom0' });
  bed.cable({ ns: client, name: 'eth0' }, { ns: lan, name: 'p-client' });
  for (const port of ['p-dom0', 'p-client']) bed.ip(lan, `link set ${port} master sw0`);
  bed.ip(client, `addr add ${CLIENT}/24 dev eth0`);
  bed.ip(dom0, `addr add ${DOM0}/24 dev eno1`);
  bed.ip(dom0, `route add default via ${GATEWAY}`);
  // libvirt's NAT bridge with the running guest's vif on it (the start state of every recipe).
  bed.bridge(dom0, 'virbr0', '192.168.122.1/24');
  bed.cable({ ns: dom0, name: 'vif1.0', mac: 'fe:ff:ff:ff:ff:ff' }, { ns: guest, name: 'eth0', mac: GUEST.mac });
  bed.ip(dom0, 'link set vif1.0 master virbr0');
  // The admin's part inside the guest (the plan's instruction): its static address, the LAN's gateway.
  bed.ip(guest, `addr add ${GUEST.ip}/24 dev eth0`);
  bed.ip(guest, `route add default via ${GATEWAY}`);
  bed.rootFrom(path.join(PROJECT, 'demo/root'));
  bed.xlStandIn([GUEST]);
  const answers = path.join(bed.dir, 'answers.json');
  fs.writeFileSync(answers, JSON.stringify({ recipe: 'routed', guests: [GUEST.name], 'route.ips': `${GUEST.name}=${GUEST.ip}` }));

  const reaches = (ns: string, ip: string) => bed.exec(ns, ['ping', '-c', '1', '-W', '2', ip]).status === 0;
  /** UDP echo: the server answers with the source address it saw (test/testbed/udpEcho.mjs). */
  const sourceSeenBy = (serverNs: string, serverIp: string, clientNs: string) => {
    const echo = path.join(PROJECT, 'test/testbed/udpEcho.mjs');
    const server = spawn('ip', ['netns', 'exec', serverNs, process.execPath, echo, 'server', '7777', '10']);
    return new Promise<string>((resolve) => {
      server.stdout.once('data', () => {
        const r = bed.exec(clientNs, [process.execPath, echo, 'send', serverIp, '7777']);
        server.kill();
        resolve(r.stdout.trim());
      });
    });
  };
  const vif = () => (JSON.parse(bed.exec(dom0, ['ip', '-json', 'address', 'show', 'dev', 'vif1.0']).stdout) as { master?: string; addr_info: { local: string; prefixlen: number }[] }[])[0];
  const state = () => ({
    // Name and addresses (the operstate column follows carrier timing, not the change).
    links: bed.exec(dom0, ['ip', '-brief', 'address']).stdout.split('\n').map((l) => l.split(/\s+/).filter((_, i) => i !== 1).join(' ')).sort(),
    masters: bed.exec(dom0, ['ip', '-o', 'link', 'show', 'master', 'virbr0']).stdout.split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]).filter(Boolean),
    routes: bed.exec(dom0, ['ip', 'route']).stdout,
    sysctls: ['net/ipv4/ip_forward', 'net/ipv4/conf/eno1/proxy_arp', 'net/ipv4/conf/vif1.0/proxy_arp'].map((k) => bed.exec(dom0, ['cat', `/proc/sys/${k}`]).stdout.trim()),
  });
  const before = state();
  const filesBefore = treeFingerprint(bed.root);

  test('start: the guest is on virbr0 with a LAN address, and the LAN cannot reach it (nothing answers ARP for it)', () => {
    assert.equal(before.masters, ['vif1.0']);
    assert.not.ok(reaches(client, GUEST.ip));
  });

  test('apply --live: exit 0; the guest config says ip= and script=vif-route; the sysctls are persisted', () => {
    const r = bed.wizard(dom0, ['apply', '--root', bed.root, '--live', '--answers', answers, '--yes']);
    assert.is(r.status, 0, r.stderr + r.stdout);
    const cfg = fs.readFileSync(path.join(bed.root, 'etc/xen/web1.cfg'), 'utf8');
    assert.match(cfg, /vif += \[ 'mac=00:16:3e:2a:10:01,ip=192\.168\.1\.11,script=vif-route,gatewaydev=eno1' \]/);
    const conf = fs.readFileSync(path.join(bed.root, 'etc/sysctl.d/60-xen-net-wizard.conf'), 'utf8');
    assert.ok(conf.includes('net.ipv4.ip_forward = 1') && conf.includes('net.ipv4.conf.eno1.proxy_arp = 1'), conf);
  });

  test("seed 002 lines 88–90: vif1.0 carries dom0's address (/32), is up, and dom0 has the host route to the guest on it", () => {
    const v = vif();
    assert.is(v.master, undefined, 'vif1.0 is on no bridge');
    assert.ok(v.addr_info.some((a) => a.local === DOM0 && a.prefixlen === 32), JSON.stringify(v));
    assert.match(bed.exec(dom0, ['ip', 'route', 'get', GUEST.ip]).stdout, /dev vif1\.0/);
    assert.equal(state().sysctls, ['1', '1', '1']);
  });

  test('LAN client ↔ guest both ways by the routed path, no bridge involved', () => {
    assert.ok(reaches(client, GUEST.ip), 'client → guest');
    assert.ok(reaches(guest, CLIENT), 'guest → client');
    assert.ok(reaches(guest, GATEWAY), 'guest → LAN gateway (proxy ARP on the vif)');
    // The only bridge in dom0 is libvirt's, and it no longer has a port: the path is routed.
    assert.equal(state().masters, []);
    const hops = bed.exec(client, ['ip', 'neigh', 'show', GUEST.ip]).stdout;
    assert.match(hops, /3c:ec:ef:12:34:56/, `the LAN reaches the guest through dom0's eno1 (proxy ARP): ${hops}`);
  });

  test('each side sees the real source address (no NAT)', async () => {
    assert.is(await sourceSeenBy(guest, GUEST.ip, client), CLIENT);
    assert.is(await sourceSeenBy(client, CLIENT, guest), GUEST.ip);
  });

  test('a second plan on the applied live host has nothing to do', () => {
    const r = bed.wizard(dom0, ['plan', '--root', bed.root, '--live', '--answers', answers, '--json']);
    assert.is(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).steps, []);
  });

  test('rollback: files byte-for-byte, vif1.0 back on virbr0 without the route, sysctls as before, the LAN cut off again', () => {
    const r = bed.wizard(dom0, ['rollback', '--root', bed.root, '--live']);
    assert.is(r.status, 0, r.stderr + r.stdout);
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(bed.root, { excludeJournal: true })), []);
    assert.equal(state(), before);
    assert.not.ok(reaches(client, GUEST.ip));
  });

  test.after(() => bed.down());
  test.run();
}
