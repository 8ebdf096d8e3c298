// Recipe internal-dummy on the namespace testbed, with real traffic, in its two xl forms:
// (1) a real second NIC (seed 000 line 205): dom0's eno2 is a veth to a back-LAN namespace;
// (2) no NIC and no dummy: a port-less xenbr1 (what stands for the guide's dummy0 on xl).
// The wizard edits the files (offline apply); the commands it lists for xenbr1 are then run for
// real — ifupdown's own `ifup xenbr1` reading the rendered interfaces(5), `sysctl -w` — and each
// guest's second vif is attached as Xen's vif-bridge would, to the bridge its applied config names.
// Proven: guests reach each other and dom0 over xenbr1, the back LAN reaches them through eno2,
// the main LAN does not (no L2 path, no forwarding); rollback restores every file.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Testbed, testbedAvailable, GUESTS, DOM0_IP } from './testbed.js';
import { PROJECT, treeFingerprint, fingerprintDiff, writeJson, tempDir } from '../_helpers/roots.js';
import { DEBS, overlayDirs, privateMountScript } from '../_helpers/ifupdownNs.js';
import { skipCheck } from '../_helpers/skip.js';

const INTERNAL: Record<string, string> = { web1: '192.168.200.11', db1: '192.168.200.12' };
const BACK_HOST = '192.168.200.50';

function sh(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function scenario(name: string, nic: string | null): void {
  const s = suite(name);
  let tb: Testbed;
  let backLan = '';
  let filesBefore: Map<string, string>;
  let interfacesBefore = '';
  let listed: string[] = [];
  const cleanup = () => backLan && spawnSync('ip', ['netns', 'del', backLan]);
  const wizard = (...args: string[]) =>
    tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
  const ping = (ns: string, ip: string) => tb.exec(ns, ['ping', '-c', '1', '-W', '2', ip]).status === 0;
  const link = (dev: string) => JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'address', 'show', 'dev', dev]).stdout)[0];

  s.before(() => {
    tb = new Testbed().start();
    process.once('exit', cleanup);
    if (nic) {
      // The second NIC: its cable goes to a back-LAN host, nowhere near the main LAN.
      backLan = `${tb.id}-blan`;
      sh(['ip', 'netns', 'add', backLan]);
      sh(['ip', 'link', 'add', nic, 'netns', tb.ns.dom0, 'address', '3c:ec:ef:12:34:57', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', backLan]);
      tb.ip(backLan, `addr add ${BACK_HOST}/24 dev eth0`);
      tb.ip(backLan, 'link set eth0 up');
      tb.ip(backLan, 'link set lo up');
    }
    // The offline run reads links from the root (README: a --root is a complete host description):
    // the demo dom0's sys/ and proc/ describe eno1 (default route), eno2 and virbr0, as built here.
    for (const dir of ['sys', 'proc']) fs.cpSync(path.join(PROJECT, 'demo/root', dir), path.join(tb.root, dir), { recursive: true });
    filesBefore = treeFingerprint(tb.root);
    interfacesBefore = fs.readFileSync(path.join(tb.root, 'etc/network/interfaces'), 'utf8');
  });

  s.after(() => {
    cleanup();
    tb?.down();
  });

  s('apply (offline) edits the files and lists ifup xenbr1 and sysctl -w for the admin', () => {
    const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-dummy', ...(nic ? { 'internal.nic': nic } : {}) });
    const r = wizard('apply', '--root', tb.root, '--yes', '--json', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    listed = (JSON.parse(r.stdout) as { listedCommands: string[] }).listedCommands;
    assert.ok(listed.includes('ifup xenbr1') && listed.includes('sysctl -w net.ipv4.ip_forward=0'), listed.join(' | '));
  });

  s('the listed commands, run for real: ifupdown brings xenbr1 up with dom0\'s address', () => {
    const after = fs.readFileSync(path.join(tb.root, 'etc/network/interfaces'), 'utf8');
    const o = overlayDirs('ifupdown', { before: interfacesBefore, after });
    try {
      const body = 'cp /etc/network/interfaces.after /etc/network/interfaces\nifup -i /etc/network/interfaces xenbr1';
      const r = tb.exec(tb.ns.dom0, ['unshare', '-m', 'sh', '-c', privateMountScript(o, body)]);
      assert.is(r.status, 0, r.stderr);
    } finally {
      fs.rmSync(o.work, { recursive: true, force: true });
    }
    for (const cmd of listed.filter((c) => c.startsWith('sysctl '))) assert.is(tb.exec(tb.ns.dom0, cmd.split(' ')).status, 0, cmd);
    assert.ok(link('xenbr1').addr_info.some((a: { local: string; prefixlen: number }) => a.local === '192.168.200.1' && a.prefixlen === 24));
    if (nic) {
      assert.is(link(nic).master, 'xenbr1');
      assert.not.ok(link(nic).addr_info.some((a: { family: string }) => a.family === 'inet'), 'the port has no address');
    } else {
      const mac = /hwaddress (\S+)/.exec(after)![1];
      assert.is(link('xenbr1').address, mac, 'the bridge has the fixed MAC of the rendered file');
    }
    assert.is(tb.exec(tb.ns.dom0, ['cat', '/proc/sys/net/ipv4/ip_forward']).stdout.trim(), '0');
  });

  s('each guest\'s second vif, attached as vif-bridge does to the bridge its config names, with its MAC', () => {
    for (const g of GUESTS) {
      const cfg = fs.readFileSync(path.join(tb.root, `etc/xen/${g.name}.cfg`), 'utf8');
      const spec = /vif\s*=\s*\[.*['"]mac=([0-9a-f:]+),bridge=([\w.-]+)['"]\s*\]/.exec(cfg);
      assert.ok(spec, cfg);
      const [, mac, bridge] = spec!;
      assert.is(bridge, 'xenbr1');
      const vif = `vif${g.domid}.1`;
      const gns = tb.ns.guests[g.name];
      sh(['ip', 'link', 'add', vif, 'netns', tb.ns.dom0, 'address', 'fe:ff:ff:ff:ff:ff', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', gns, 'address', mac]);
      tb.ip(tb.ns.dom0, `link set ${vif} master ${bridge}`);
      tb.ip(tb.ns.dom0, `link set ${vif} up`);
      tb.ip(gns, `addr add ${INTERNAL[g.name]}/24 dev eth1`);
      tb.ip(gns, 'link set eth1 up');
    }
    if (!nic) {
      // Without the fixed MAC, a bridge takes its lowest port's: Xen's vifs are all fe:ff:ff:ff:ff:ff.
      const mac = /hwaddress (\S+)/.exec(fs.readFileSync(path.join(tb.root, 'etc/network/interfaces'), 'utf8'))![1];
      assert.is(link('xenbr1').address, mac, 'the bridge keeps its MAC as vifs join');
    }
  });

  s('guests reach each other over xenbr1, and dom0 reaches them on it', () => {
    assert.ok(ping(tb.ns.guests.web1, INTERNAL.db1), 'web1 → db1');
    assert.ok(ping(tb.ns.guests.db1, INTERNAL.web1), 'db1 → web1');
    for (const g of GUESTS) assert.ok(ping(tb.ns.dom0, INTERNAL[g.name]), `dom0 → ${g.name}`);
    assert.ok(ping(tb.ns.guests.web1, '192.168.200.1'), 'web1 → dom0');
  });

  if (nic) {
    s('the back LAN reaches the guests: the NIC is the bridge\'s real port', () => {
      for (const g of GUESTS) assert.ok(ping(backLan, INTERNAL[g.name]), `back LAN → ${g.name}`);
    });
  }

  s('the main LAN does not: no layer-2 path, and dom0 does not forward (ip_forward=0)', () => {
    // An address of the internal network on the LAN client: only an L2 path could answer.
    tb.ip(tb.ns.client, 'addr add 192.168.200.99/24 dev eth0');
    const l2 = GUESTS.map((g) => ping(tb.ns.client, INTERNAL[g.name]));
    tb.ip(tb.ns.client, 'addr del 192.168.200.99/24 dev eth0');
    assert.equal(l2, [false, false], 'no L2 path from the LAN');
    // A route through dom0: only forwarding could pass it.
    tb.ip(tb.ns.client, `route add 192.168.200.0/24 via ${DOM0_IP}`);
    const l3 = GUESTS.map((g) => ping(tb.ns.client, INTERNAL[g.name]));
    tb.ip(tb.ns.client, `route del 192.168.200.0/24 via ${DOM0_IP}`);
    assert.equal(l3, [false, false], 'dom0 does not route the LAN in');
    assert.ok(ping(tb.ns.client, DOM0_IP), 'the LAN still reaches dom0 itself');
  });

  s('rollback restores every file of the root', () => {
    const r = wizard('rollback', '--root', tb.root);
    assert.is(r.status, 0, r.stderr);
    assert.equal(fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true })), []);
  });

  s.run();
}

const why = testbedAvailable() ?? (fs.existsSync(path.join(DEBS, 'ifupdown/sbin/ifup')) ? null : 'needs the unpacked ifupdown (scripts/setup-test-deps.sh)');
if (why) {
  const s = suite('internal-dummy testbed');
  skipCheck(s, 'namespace testbed (internal-dummy, second NIC and port-less)', why);
  s.run();
} else {
  scenario('internal-dummy over a real second NIC (eno2)', 'eno2');
  scenario('internal-dummy, port-less xenbr1 (no dummy on xl)', null);
}
