// Recipe shadow-bridge on the namespace testbed (a real kernel): the xl era's live path — one
// `ip -batch` renames eno1 → seno1 and builds the bridge eno1 with the NIC's MAC — under 10 ms
// probes from a LAN client (the outage of the rename is measured, not assumed), then the guests
// reach the LAN over the bridge, and rollback gives the NIC its name back. Then the xend era's
// /etc/init.d/bridge-shadow as the wizard writes it, run for real (start and stop) in dom0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Testbed, testbedAvailable, GUESTS, DOM0_IP, CLIENT_IP, GATEWAY } from '../../testbed/testbed.js';
import { PROJECT, writeJson, tempDir, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { DEBS } from '../../_helpers/ifupdownNs.js';
import { probeStart } from '../../testbed/fping.js';
import { INIT_SCRIPT_TEXT } from '../../../src/recipes/shadow-bridge/xend.js';
import { skipCheck } from '../../_helpers/skip.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const why = testbedAvailable();
if (why) {
  skipCheck(test, 'namespace testbed (shadow-bridge)', why);
} else {
  const tb = new Testbed().start();
  const wizard = (...args: string[]) =>
    tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'shadow-bridge' });
  const link = (name: string) => JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-details', '-json', 'address', 'show', 'dev', name]).stdout)[0];
  const ping = (ns: string, ip: string) => tb.exec(ns, ['ping', '-c', '1', '-W', '2', ip]).status === 0;
  // Names, masters, global addresses and routes: what rollback must give back (ifindexes change with a rename).
  const state = () => {
    const links = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show']).stdout) as { ifname: string; master?: string; address: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    const routes = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'route', 'show']).stdout) as { dst: string; gateway?: string; dev: string }[];
    return [
      ...links.map((l) => `${l.ifname} ${l.address} master=${l.master ?? '-'} ${l.addr_info.filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).join(',')}`).sort(),
      ...routes.map((r) => `${r.dst} via=${r.gateway ?? '-'} dev=${r.dev}`).sort(),
    ];
  };
  const before = state();
  const filesBefore = treeFingerprint(tb.root);

  test('plan --live: one ip -batch — eno1 down, renamed seno1, bridge eno1 with the NIC\'s MAC, address and route, vifs moved', () => {
    const r = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { method: string; steps: { argv?: string[]; input?: string }[] };
    assert.is(plan.method, 'live');
    const batches = plan.steps.filter((s) => s.argv?.join(' ') === 'ip -batch -');
    assert.is(batches.length, 1);
    const lines = batches[0].input!.trim().split('\n');
    assert.equal(lines.slice(0, 4), [
      'link set dev eno1 down',
      'link set dev eno1 name seno1',
      `address del ${DOM0_IP}/24 dev seno1`,
      'link add name eno1 address 3c:ec:ef:12:34:56 mtu 1500 type bridge stp_state 0 forward_delay 0',
    ]);
    assert.ok(lines.includes(`route replace default via ${GATEWAY} dev eno1`), lines.join('\n'));
    assert.ok(lines.includes('link set dev vif1.0 master eno1') && lines.includes('link set dev db1.0 master eno1'));
    assert.not.ok(plan.steps.some((s) => s.argv?.[0] === 'ifdown'), 'no ifdown on the live path');
  });

  let outage = { sent: 0, received: 0, longestGapMs: 0, maxRttMs: 0 };
  test('apply --live under 10 ms probes: dom0 keeps the name eno1 (now the bridge, same MAC and address), seno1 its port', async () => {
    const stop = probeStart(tb, DOM0_IP);
    await sleep(500);
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    await sleep(1000);
    outage = await stop();
    assert.is(r.status, 0, r.stderr);
    const eno1 = link('eno1');
    assert.is(eno1.linkinfo.info_kind, 'bridge');
    assert.is(eno1.address, '3c:ec:ef:12:34:56', 'seed 001 line 139: the bridge has the NIC\'s MAC');
    assert.ok(eno1.addr_info.some((a: { local: string }) => a.local === DOM0_IP));
    assert.is(link('seno1').master, 'eno1');
    assert.not.ok(link('seno1').addr_info.some((a: { family: string }) => a.family === 'inet'));
    for (const g of GUESTS) assert.is(link(g.vif).master, 'eno1');
    const routes = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'route', 'show', 'default']).stdout);
    assert.equal(routes.map((x: { gateway: string; dev: string }) => `${x.gateway} ${x.dev}`), [`${GATEWAY} eno1`]);
    console.log(`shadow-bridge live rename: ${outage.sent - outage.received} of ${outage.sent} probes lost, longest gap ${outage.longestGapMs} ms, worst rtt ${outage.maxRttMs} ms`);
    // The rename needs the NIC down: some loss is possible, but never more than ~a second.
    assert.ok(outage.longestGapMs < 1000, `gap ${outage.longestGapMs} ms`);
    assert.match(fs.readFileSync(path.join(tb.root, 'etc/network/interfaces'), 'utf8'), /bridge_ports seno1/);
  });

  test('after the move: the LAN reaches dom0 and a guest with a LAN address directly over the bridge', () => {
    assert.ok(ping(tb.ns.client, DOM0_IP));
    const g = GUESTS[0];
    const gns = tb.ns.guests[g.name];
    tb.ip(gns, `addr add ${g.lanIp}/24 dev eth0`);
    assert.ok(ping(tb.ns.client, g.lanIp), 'client → guest');
    assert.ok(ping(gns, CLIENT_IP), 'guest → client');
    assert.ok(ping(gns, DOM0_IP), 'guest → dom0 on the same bridge');
    tb.ip(gns, `addr del ${g.lanIp}/24 dev eth0`);
  });

  test('a second plan has nothing to do; rollback --live gives eno1 its name, address and route back, files exact', () => {
    const again = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).steps, []);
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.is(link('eno1').linkinfo?.info_kind, 'veth');
    assert.is(tb.exec(tb.ns.dom0, ['ip', 'link', 'show', 'seno1']).status, 1);
    assert.equal(state(), before);
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true })), []);
    assert.ok(ping(tb.ns.client, DOM0_IP));
  });

  test('xend era: the rendered /etc/init.d/bridge-shadow start/stop, run by bash in dom0 with bridge-utils\' brctl', () => {
    const brctl = path.join(DEBS, 'bridge-utils/sbin/brctl');
    assert.ok(fs.existsSync(brctl), `${brctl} (scripts/setup-test-deps.sh unpacks bridge-utils)`);
    const dir = tempDir();
    const script = path.join(dir, 'bridge-shadow');
    fs.writeFileSync(script, INIT_SCRIPT_TEXT, { mode: 0o755 });
    // /etc/sysconfig/bridge-shadow (line 133) is read by absolute path: a private mount namespace
    // shows it there (tmpfs over /etc/sysconfig's parent is not needed: bind onto an empty dir).
    const sysconfig = path.join(dir, 'sysconfig');
    fs.mkdirSync(sysconfig);
    fs.writeFileSync(path.join(sysconfig, 'bridge-shadow'), 'INTERFACES="eno1"\n');
    const run = (arg: string) => tb.exec(tb.ns.dom0, ['unshare', '-m', 'sh', '-c',
      `mount --make-rprivate / && mount -t tmpfs tmpfs /mnt && ` +
      `mkdir -p /mnt/etc/sysconfig && cp ${sysconfig}/bridge-shadow /mnt/etc/sysconfig/ && ` +
      `mount -t overlay overlay -o lowerdir=/mnt/etc:/etc /etc && PATH=${path.dirname(brctl)}:$PATH bash ${script} ${arg}`], { timeout: 30_000 });
    const started = run('start');
    assert.is(started.status, 0, started.stderr + started.stdout);
    assert.match(started.stdout, /Starting Shadow Layer 2 Bridge: .*OK/);
    assert.is(link('eno1').linkinfo.info_kind, 'bridge');
    assert.is(link('eno1').address, '3c:ec:ef:12:34:56');
    assert.is(link('seno1').master, 'eno1');
    // What the network service does next with ifcfg-eth0 (seed 001 line 141): the address on eth0.
    tb.ip(tb.ns.dom0, `addr add ${DOM0_IP}/24 dev eno1`);
    tb.ip(tb.ns.dom0, `route replace default via ${GATEWAY} dev eno1`);
    assert.ok(ping(tb.ns.client, DOM0_IP), 'the LAN reaches dom0 on the same name');
    const stopped = run('stop');
    assert.is(stopped.status, 0, stopped.stderr + stopped.stdout);
    assert.is(link('eno1').linkinfo.info_kind, 'veth', 'the NIC has its name back');
    assert.is(tb.exec(tb.ns.dom0, ['ip', 'link', 'show', 'seno1']).status, 1);
    tb.ip(tb.ns.dom0, 'link set eno1 up');
    tb.ip(tb.ns.dom0, `addr add ${DOM0_IP}/24 dev eno1`);
    tb.ip(tb.ns.dom0, `route replace default via ${GATEWAY} dev eno1`);
    assert.ok(ping(tb.ns.client, DOM0_IP));
    assert.is(spawnSync('bash', ['-n', script]).status, 0);
  });

  test.after(() => tb.down());
}

test.run();
