// The live, loss-free migration on a real kernel: `apply --live --root` inside the testbed's
// dom0 moves eno1 into xenbr0 with its address and default route, and the running guests' vifs
// off virbr0 — in one ip -batch — then persists it; `rollback` returns the live state exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Testbed, testbedAvailable, GUESTS, DOM0_IP, CLIENT_IP, GATEWAY } from './testbed.js';
import { PROJECT, treeFingerprint, fingerprintDiff, writeJson, tempDir } from '../_helpers/roots.js';
import { skipCheck } from '../_helpers/skip.js';

const why = testbedAvailable();
if (why) {
  skipCheck(test, 'namespace testbed (live migration)', why);
} else {
  const tb = new Testbed().start();
  const wizard = (...args: string[]) =>
    tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const liveState = () => {
    const links = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show']).stdout) as { ifname: string; master?: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    const routes = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'route', 'show']).stdout) as { dst: string; gateway?: string; dev: string }[];
    return {
      links: links.map((l) => `${l.ifname} master=${l.master ?? '-'} ${l.addr_info.filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).join(',')}`).sort(),
      routes: routes.map((r) => `${r.dst} via=${r.gateway ?? '-'} dev=${r.dev}`).sort(),
    };
  };
  const netnsInode = (ns: string) => fs.statSync(`/run/netns/${ns}`).ino;
  const whoAmI = (guest: string, to: string) => {
    const server = spawn('ip', ['netns', 'exec', tb.ns.client, process.execPath, path.join(PROJECT, 'test/testbed/udpEcho.mjs'), 'server', '7777', '10']);
    return new Promise<string>((resolve) => {
      server.stdout.once('data', () => {
        const r = tb.exec(tb.ns.guests[guest], [process.execPath, path.join(PROJECT, 'test/testbed/udpEcho.mjs'), 'send', to, '7777']);
        server.kill();
        resolve(r.stdout.trim());
      });
    });
  };
  const ping = (ns: string, ip: string) => tb.exec(ns, ['ping', '-c', '1', '-W', '2', ip]).status === 0;

  const before = liveState();
  const filesBefore = treeFingerprint(tb.root);
  const inodes = Object.fromEntries(GUESTS.map((g) => [g.name, netnsInode(tb.ns.guests[g.name])]));

  test('start state: guests behind libvirt\'s NAT — the LAN sees dom0\'s address, not the guest\'s', async () => {
    assert.ok(ping(tb.ns.client, DOM0_IP));
    assert.is(await whoAmI('web1', CLIENT_IP), DOM0_IP);
  });

  test('plan --live shows one ip -batch transaction with the NIC, its address, its route and both running vifs', () => {
    const r = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { method: string; steps: { argv?: string[]; input?: string }[] };
    assert.is(plan.method, 'live');
    const batch = plan.steps.find((s) => s.argv?.join(' ') === 'ip -batch -')!;
    assert.ok(batch, 'a batch step');
    const lines = batch.input!.trim().split('\n');
    assert.is(lines[0], 'link add name xenbr0 address 3c:ec:ef:12:34:56 mtu 1500 type bridge stp_state 0 forward_delay 0');
    assert.ok(lines.includes('link set dev eno1 master xenbr0'));
    assert.ok(lines.includes(`route replace default via ${GATEWAY} dev xenbr0`), lines.join('\n'));
    assert.ok(lines.includes('link set dev vif1.0 master xenbr0') && lines.includes('link set dev db1.0 master xenbr0'));
    assert.ok(lines.indexOf(`address add ${DOM0_IP}/24 dev xenbr0`) < lines.indexOf(`address del ${DOM0_IP}/24 dev eno1`));
    assert.not.ok(plan.steps.some((s) => s.argv?.[0] === 'ifdown'), 'no ifdown on the live path');
  });

  test('apply --live: eno1 in xenbr0 with dom0\'s address and default route; running guests moved, not restarted', () => {
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    const link = (name: string) => JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show', 'dev', name]).stdout)[0];
    assert.is(link('eno1').master, 'xenbr0');
    assert.is(link('vif1.0').master, 'xenbr0');
    assert.is(link('db1.0').master, 'xenbr0');
    assert.is(link('xenbr0').address, '3c:ec:ef:12:34:56', 'the bridge has the NIC\'s MAC');
    assert.ok(link('xenbr0').addr_info.some((a: { local: string }) => a.local === DOM0_IP));
    assert.not.ok(link('eno1').addr_info.some((a: { family: string }) => a.family === 'inet'));
    const routes = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'route', 'show', 'default']).stdout);
    assert.equal(routes.map((x: { gateway: string; dev: string }) => `${x.gateway} ${x.dev}`), [`${GATEWAY} xenbr0`]);
    for (const g of GUESTS) assert.is(netnsInode(tb.ns.guests[g.name]), inodes[g.name], `${g.name} is the same running guest`);
    assert.ok(ping(tb.ns.client, DOM0_IP), 'dom0 still reachable');
    const log = fs.readFileSync(tb.log, 'utf8');
    assert.match(log, /virsh define \/etc\/libvirt\/libxl\/build\.xml\nvirsh net-destroy default\nvirsh net-autostart default --disable/);
    assert.match(fs.readFileSync(path.join(tb.root, 'etc/network/interfaces'), 'utf8'), /bridge_ports eno1/);
  });

  test('after moving, a guest with a LAN address is reached directly and the LAN sees its real address (no NAT)', async () => {
    const g = GUESTS[0];
    const gns = tb.ns.guests[g.name];
    // What the admin does next (seed 000 line 83): give the guest its LAN address.
    tb.ip(gns, `addr add ${g.lanIp}/24 dev eth0`);
    tb.ip(gns, `route replace default via ${GATEWAY}`);
    assert.ok(ping(tb.ns.client, g.lanIp));
    assert.is(await whoAmI(g.name, CLIENT_IP), g.lanIp);
    tb.ip(gns, `addr del ${g.lanIp}/24 dev eth0`);
    tb.ip(gns, 'route replace default via 192.168.122.1');
  });

  test('a second plan has nothing to do; rollback --live returns the live state and every file exactly', () => {
    const again = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.equal(JSON.parse(again.stdout).steps, []);
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.equal(liveState(), before);
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true })), []);
    assert.ok(ping(tb.ns.client, DOM0_IP));
  });

  test('the journal keeps the live state from before the change', () => {
    const runs = fs.readdirSync(path.join(tb.root, 'var/lib/xen-net-wizard/runs'));
    const snap = JSON.parse(fs.readFileSync(path.join(tb.root, 'var/lib/xen-net-wizard/runs', runs[0], 'live-before.json'), 'utf8'));
    assert.ok(snap.links.some((l: { ifname: string; master?: string }) => l.ifname === 'vif1.0' && l.master === 'virbr0'));
  });

  test('rollback after a guest was destroyed: its vif is left out, dom0\'s NIC and address still come back (exit 0)', () => {
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    // `xl destroy` takes the guest's vif with it (the lab saw this when a PVH guest crashed).
    tb.ip(tb.ns.dom0, 'link del db1.0');
    const back = wizard('rollback', '--root', tb.root, '--live');
    assert.is(back.status, 0, back.stderr);
    assert.match(back.stderr, /db1\.0 no longer exists/);
    const link = (name: string) => JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show', 'dev', name]).stdout)[0];
    assert.is(link('eno1').master, undefined, 'eno1 left the bridge');
    assert.ok(link('eno1').addr_info.some((a: { local: string }) => a.local === DOM0_IP));
    assert.is(link('vif1.0').master, 'virbr0');
    assert.is(tb.exec(tb.ns.dom0, ['ip', 'link', 'show', 'xenbr0']).status, 1, 'xenbr0 is gone');
    assert.ok(ping(tb.ns.client, DOM0_IP));
  });

  test.after(() => tb.down());
}

test.run();
