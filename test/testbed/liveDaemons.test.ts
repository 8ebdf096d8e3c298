// --live on a daemon manager, against the real daemon: the namespace testbed's dom0 on
// systemd-networkd 252 (its own bus and mount namespace, test/testbed/daemons.ts), configured by
// its own .network files, then by netplan (Debian's real generator, networkd renderer). The
// wizard's ip batch moves eno1 into xenbr0, the files are written, `networkctl reload` (after
// `netplan generate`) hands the moved NIC to networkd; a 10 ms fping from the LAN client and
// `ip monitor` in dom0 watch the whole run.
// Then the commit-confirmed watchdog's rollback (the gateway stops answering after the change)
// restores the files, networkd's view and the kernel's state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Testbed, testbedAvailable, DOM0_IP, GATEWAY } from './testbed.js';
import { DaemonNs, missingNetworkdBus, missingNetplanGenerator } from './daemons.js';
import { probeStart } from './fping.js';
import { PROJECT, treeFingerprint, fingerprintDiff, writeJson, tempDir } from '../_helpers/roots.js';
import { skipCheck } from '../_helpers/skip.js';

/** Where networkd finds the .network it applies to each link, per manager. */
const UNITS = {
  networkd: { eno1: '/etc/systemd/network/20-wired.network', xenbr0: '/etc/systemd/network/10-xen-net-wizard-xenbr0.network', handOver: /networkctl reload/ },
  netplan: { eno1: '/run/systemd/network/10-netplan-eno1.network', xenbr0: '/run/systemd/network/10-netplan-xenbr0.network', handOver: /netplan generate[\s\S]*networkctl reload/ },
};

for (const manager of ['networkd', 'netplan'] as const) {
  const test = suite(`--live on ${manager}`);
  const why = testbedAvailable() ?? missingNetworkdBus() ?? (manager === 'netplan' ? missingNetplanGenerator() : null);
  if (why) {
    skipCheck(test, `namespace testbed with the real systemd-networkd, ${manager} (--live hand-over)`, why);
    test.run();
    continue;
  }
  const units = UNITS[manager];
  // Built in before(): one testbed (and one networkd) at a time.
  let tb: Testbed;
  let nd: DaemonNs;
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const wizard = (...args: string[]) => nd.exec([process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
  const sh = (cmd: string) => nd.exec(['sh', '-c', cmd]).stdout;
  /** networkd's own view of a link: its setup state and the .network it applies. */
  const networkdOf = (link: string) => {
    const out = sh(`networkctl status --no-pager ${link} 2>&1`);
    return { file: /Network File: (\S+)/.exec(out)?.[1] ?? null, state: /State: \S+ \(([^)]+)\)/.exec(out)?.[1] ?? null, out };
  };
  const liveState = () => {
    const links = JSON.parse(sh('ip -json address show')) as { ifname: string; master?: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    const routes = JSON.parse(sh('ip -json route show')) as { dst: string; gateway?: string; dev: string }[];
    return {
      links: links.map((l) => `${l.ifname} master=${l.master ?? '-'} ${l.addr_info.filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).join(',')}`).sort(),
      routes: routes.map((r) => `${r.dst} via=${r.gateway ?? '-'} dev=${r.dev}`).sort(),
    };
  };
  /** `ip -timestamp monitor address route` in dom0 while `body` runs: every change of dom0's address. */
  const watched = async <T>(body: () => T | Promise<T>) => {
    const mon = spawn('ip', ['netns', 'exec', tb.ns.dom0, 'ip', 'monitor', 'address', 'route'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let events = '';
    mon.stdout.on('data', (d) => (events += d));
    const stop = probeStart(tb, DOM0_IP);
    await new Promise((r) => setTimeout(r, 500));
    const result = await body();
    // networkd's reconfiguration goes on after networkctl returns: watch it settle.
    await new Promise((r) => setTimeout(r, 2000));
    const probe = await stop();
    const closed = new Promise((r) => mon.once('close', r));
    mon.kill('SIGINT');
    await closed;
    return { result, probe, events };
  };
  const waitFor = async (check: () => boolean, what: string, ms = 15_000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${nd.logText().slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  let before: ReturnType<typeof liveState>;
  let filesBefore: Map<string, string>;

  test.before(async () => {
    tb = new Testbed({ manager }).start();
    nd = new DaemonNs(tb);
    // networkd configured eno1 at boot: it starts on a NIC without the testbed's address.
    await nd.start(`ip route | grep -q "default via ${GATEWAY} dev eno1 proto static"`, { flush: ['eno1'] });
    before = liveState();
    filesBefore = treeFingerprint(tb.root);
  });

  test('start: networkd configures eno1 from its file', () => {
    assert.is(networkdOf('eno1').file, units.eno1);
    assert.ok(before.links.includes(`eno1 master=- ${DOM0_IP}/24`), before.links.join('\n'));
  });

  test('apply --live: 0 lost 10 ms probes through the batch and networkd\'s reload; the address never leaves xenbr0; networkd takes the bridge over', async () => {
    const { result: r, probe, events } = await watched(() => wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers));
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stderr, units.handOver);
    assert.equal(probe.missing, [], `unanswered probes ${JSON.stringify(probe)}`);
    assert.ok(probe.sent > 200, `probed the whole run: ${probe.sent}`);
    // networkd 252 without KeepConfiguration=static drops and re-adds the address on reload (~0.1 ms).
    assert.not.match(events, new RegExp(`^Deleted \\d+: xenbr0 +inet ${DOM0_IP.replaceAll('.', '\\.')}`, 'm'), events);
    assert.not.match(events, /^Deleted default via .* dev xenbr0/m, events);
    await waitFor(() => networkdOf('xenbr0').file !== null, 'networkd to manage xenbr0');
    assert.is(networkdOf('xenbr0').file, units.xenbr0);
    assert.is(networkdOf('eno1').file, units.eno1);
    const state = liveState();
    assert.ok(state.links.includes(`xenbr0 master=- ${DOM0_IP}/24`), state.links.join('\n'));
    assert.ok(state.links.includes('eno1 master=xenbr0 '), state.links.join('\n'));
    assert.ok(state.routes.includes(`default via=${GATEWAY} dev=xenbr0`), state.routes.join('\n'));
  });

  test('a carrier event on the port afterwards: networkd, now holding the new files, leaves the address on the bridge', async () => {
    sh('ip link set dev eno1 down; sleep 0.3; ip link set dev eno1 up; sleep 1.5');
    const state = liveState();
    assert.ok(state.links.includes(`xenbr0 master=- ${DOM0_IP}/24`), state.links.join('\n'));
    assert.ok(state.links.includes('eno1 master=xenbr0 '), state.links.join('\n'));
    assert.ok(tb.exec(tb.ns.client, ['ping', '-c', '1', '-W', '2', DOM0_IP]).status === 0);
  });

  test('rollback --live: the files, networkd\'s view and the kernel state as before', async () => {
    const { result: r, probe } = await watched(() => wizard('rollback', '--root', tb.root, '--live'));
    assert.is(r.status, 0, r.stderr);
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true })), []);
    await waitFor(() => networkdOf('eno1').file !== null && liveState().links.includes(`eno1 master=- ${DOM0_IP}/24`), 'eno1 back');
    assert.equal(liveState(), before);
    assert.is(networkdOf('eno1').file, units.eno1);
    assert.ok(probe.missing.length <= 5, `rollback: ${JSON.stringify(probe)}`);
    console.log(`${manager} rollback --live: ${probe.missing.length} of ${probe.sent} probes unanswered, longest gap ${probe.longestGapMs} ms`);
  });

  test('the gateway stops answering after the change: the commit-confirmed watchdog rolls back (exit 3), files and networkd as before', async () => {
    // --force: the gateway is silent already, so the check after the change fails for sure.
    const drop = ['iptables', '-I', 'INPUT', '-s', DOM0_IP, '-d', GATEWAY, '-p', 'icmp', '-j', 'DROP'];
    assert.is(tb.exec(tb.ns.lan, drop).status, 0);
    try {
      const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--force', '--answers', answers, '--confirm-timeout', '10');
      assert.is(r.status, 3, r.stderr);
      assert.match(r.stderr, /192\.168\.1\.254/);
    } finally {
      tb.exec(tb.ns.lan, ['iptables', '-D', ...drop.slice(2)]);
    }
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true })), []);
    await waitFor(() => liveState().links.includes(`eno1 master=- ${DOM0_IP}/24`), 'eno1 back');
    assert.equal(liveState(), before);
    assert.is(networkdOf('eno1').file, units.eno1);
    assert.not.ok(sh('ip link show xenbr0 2>&1').includes('state'), 'xenbr0 is gone');
    assert.ok(tb.exec(tb.ns.client, ['ping', '-c', '1', '-W', '2', DOM0_IP]).status === 0);
  });

  test.after(() => {
    if (process.env.XNW_KEEP_NETWORKD_LOG) fs.copyFileSync(nd.log, `${process.env.XNW_KEEP_NETWORKD_LOG}.${manager}`);
    nd?.down();
    tb?.down();
  });
  test.run();
}
