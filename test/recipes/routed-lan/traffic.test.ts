// Recipe routed-lan proven with real traffic in network namespaces: `apply --live --root` inside
// dom0 (stand-ins only for xl and libvirt), then the access matrix of seed 000 lines 395–399 row
// by row, and the LAN seeing the guest's real address (no MASQUERADE, line 393). The admin's own
// steps are taken from the plan: the guest's route-eth1 file and the LAN router's route.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { RoutedTestbed, routedTestbedAvailable, GUEST, CLIENT, LANHOST, DOM0_WAN, DOM0_LAN, GATEWAY } from './routedTestbed.js';
import { PROJECT, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { parseXlConfig, vifSpecs } from '../../../src/parse/xlConfig.js';
import { vifSpecToKeys } from '../../../src/parse/vifSpec.js';
import { skipCheck } from '../../_helpers/skip.js';

interface Instruction { key: string; text: string; file?: { path: string; text: string } }

const why = routedTestbedAvailable();
if (why) {
  skipCheck(test, 'routed-lan namespace testbed (access matrix, real source addresses)', why);
} else {
  const tb = new RoutedTestbed().start();
  const answers = path.join(tb.dir, 'answers.json');
  fs.writeFileSync(answers, JSON.stringify({ recipe: 'routed-lan', guests: [GUEST.name] }));
  const wizard = (...args: string[]) => tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args]);
  const ping = (ns: string, ip: string) => tb.exec(ns, ['ping', '-c', '1', '-W', '2', ip]);
  const reaches = (ns: string, ip: string) => ping(ns, ip).status === 0;
  /** The ping fails and dom0 says why: its `prohibit` route answers "Packet filtered" (ICMP 3/13). */
  const refusedByDom0 = (ns: string, ip: string, dom0: string) => {
    const r = ping(ns, ip);
    return r.status !== 0 && new RegExp(`From ${dom0.replace(/\./g, '\\.')} .*Packet filtered`).test(r.stdout);
  };
  /** UDP echo: the server replies with the source address it saw (test/testbed/udpEcho.mjs). */
  const sourceSeenBy = (serverNs: string, serverIp: string, clientNs: string) => {
    const echo = path.join(PROJECT, 'test/testbed/udpEcho.mjs');
    const server = spawn('ip', ['netns', 'exec', serverNs, process.execPath, echo, 'server', '7777', '10']);
    return new Promise<string>((resolve) => {
      server.stdout.once('data', () => {
        const r = tb.exec(clientNs, [process.execPath, echo, 'send', serverIp, '7777']);
        server.kill();
        resolve(r.stdout.trim());
      });
    });
  };
  const dom0State = () => {
    const q = (args: string) => tb.exec(tb.ns.dom0, args.split(' ')).stdout;
    const links = JSON.parse(q('ip -json address show')) as { ifname: string; master?: string; addr_info: { local: string; prefixlen: number; scope: string }[] }[];
    return {
      links: links.map((l) => `${l.ifname} master=${l.master ?? '-'} ${l.addr_info.filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).join(',')}`).sort(),
      routes: q('ip route show table all').split('\n').filter((l) => !/^(local|broadcast|multicast|fe80|ff00|::1|anycast)|proto kernel.*fe80| dev lo /.test(l) && l).sort(),
      rules: q('ip rule show'),
      // Rules only: nf_tables lists a table once anything touched it, even when empty again.
      iptables: q('iptables-save').split('\n').filter((l) => l.startsWith('-A ')),
      sysctls: ['net/ipv4/ip_forward', 'net/ipv4/conf/eno2/rp_filter', 'net/ipv4/conf/eno2/proxy_arp', 'net/ipv4/conf/all/accept_redirects']
        .map((k) => `${k}=${q(`cat /proc/sys/${k}`).trim()}`),
    };
  };
  let plan: { steps: { argv?: string[] }[]; instructions: Instruction[] };
  const before = dom0State();
  const filesBefore = treeFingerprint(tb.root);

  test('start state: behind libvirt\'s NAT virbr0 the WAN sees dom0\'s address, not the guest\'s (seed 000 line 393)', async () => {
    assert.is(await sourceSeenBy(tb.ns.client, CLIENT, tb.ns.guest), DOM0_WAN);
  });

  test('plan --live lists the policy routing as ip steps; apply --live carries it out', () => {
    const r = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(r.status, 0, r.stderr);
    plan = JSON.parse(r.stdout);
    const argv = plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
    assert.ok(argv.includes('ip rule add iif eno2 table 101 pref 101'), argv.join('\n'));
    assert.ok(argv.indexOf('virsh net-start virnet0') < argv.indexOf('ip route replace 192.168.122.0/24 dev virbr0 table 101'), 'routes need virbr0');
    const a = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(a.status, 0, a.stderr);
    const rules = tb.exec(tb.ns.dom0, ['ip', 'rule', 'show']).stdout;
    for (const r2 of ['100:\tfrom all iif xenbr0 lookup 100', '101:\tfrom all iif eno2 lookup 101', '102:\tfrom all iif virbr0 lookup 102']) assert.ok(rules.includes(r2), rules);
    assert.is(tb.exec(tb.ns.dom0, ['iptables-save', '-t', 'nat']).stdout.includes('MASQUERADE'), false, 'no MASQUERADE any more');
  });

  test('the admin\'s part, from the plan: guest addresses, its new LAN vif, route-eth1, the L3 switch\'s route', () => {
    const g = tb.ns.guest;
    // seed 000 line 405: the guest's eth0 is on the WAN with the WAN router as default gateway.
    tb.ip(g, `addr flush dev eth0`);
    tb.ip(g, `addr add ${GUEST.wanIp}/24 dev eth0`);
    tb.ip(g, `route replace default via ${GATEWAY}`);
    // The new LAN vif appears at the guest's next start, on the bridge its config now names.
    const cfg = fs.readFileSync(path.join(tb.root, 'etc/xen/web1.cfg'), 'utf8');
    const vifs = vifSpecs(parseXlConfig(cfg, 'web1.cfg')).map((v) => ('spec' in v ? vifSpecToKeys(v.spec) : {}));
    assert.equal(vifs.map((v) => v.bridge), ['xenbr0', 'virbr0'], 'WAN vif first, LAN vif second (seed 000 lines 430–439)');
    tb.plugVif(1, vifs[1].mac, vifs[1].bridge);
    tb.ip(g, `addr add ${GUEST.lanIp}/24 dev eth1`);
    const route = plan.instructions.find((i) => i.key === 'instruction.routedGuestRoute')!;
    assert.is(route.file!.path, '/etc/sysconfig/network-scripts/route-eth1');
    tb.ip(g, `route add ${route.file!.text.trim()}`);
    // seed 000 line 533, as printed by the plan.
    const upstream = plan.instructions.find((i) => i.key === 'instruction.routedUpstream')!;
    const command = /(ip route add \S+ via \S+)/.exec(upstream.text)![1];
    assert.is(command, `ip route add 192.168.122.0/24 via ${DOM0_LAN}`);
    tb.ip(tb.ns.l3sw, command.replace(/^ip /, ''));
  });

  test('row 1 (line 396) dom0 eth0 <--> guest eth0: the WAN and the guest\'s WAN vif reach each other', () => {
    assert.ok(reaches(tb.ns.client, GUEST.wanIp));
    assert.ok(reaches(tb.ns.guest, CLIENT));
    assert.ok(reaches(tb.ns.guest, DOM0_WAN));
  });

  test('row 2 (line 397) dom0 eth0 <--> guest eth1: refused by dom0 both ways, even when the WAN knows the way', () => {
    tb.ip(tb.ns.client, `route add 192.168.122.0/24 via ${DOM0_WAN}`);
    tb.ip(tb.ns.guest, `route add ${CLIENT}/32 via 192.168.122.1 dev eth1`);
    try {
      assert.ok(refusedByDom0(tb.ns.client, GUEST.lanIp, DOM0_WAN), 'WAN → guest eth1');
      assert.ok(refusedByDom0(tb.ns.guest, CLIENT, '192.168.122.1'), 'guest eth1 → WAN');
    } finally {
      tb.ip(tb.ns.client, 'route del 192.168.122.0/24');
      tb.ip(tb.ns.guest, `route del ${CLIENT}/32`);
    }
  });

  test('row 3 (line 398) dom0 eth1 <--> guest eth0: refused by dom0 both ways, even when the L3 switch knows the way', () => {
    tb.ip(tb.ns.l3sw, `route add 192.168.1.0/24 via ${DOM0_LAN}`);
    tb.ip(tb.ns.guest, `route add ${LANHOST}/32 via ${DOM0_WAN} dev eth0`);
    try {
      assert.ok(refusedByDom0(tb.ns.lanhost, GUEST.wanIp, DOM0_LAN), 'LAN → guest eth0');
      assert.ok(refusedByDom0(tb.ns.guest, LANHOST, DOM0_WAN), 'guest eth0 → LAN');
    } finally {
      tb.ip(tb.ns.l3sw, 'route del 192.168.1.0/24');
      tb.ip(tb.ns.guest, `route del ${LANHOST}/32`);
    }
  });

  test('row 4 (line 399) dom0 eth1 <--> guest eth1: the LAN host behind the L3 switch and the guest\'s LAN vif reach each other', () => {
    assert.ok(reaches(tb.ns.lanhost, GUEST.lanIp));
    assert.ok(reaches(tb.ns.guest, LANHOST));
  });

  test('no MASQUERADE (line 393): the LAN host sees the guest\'s real address, and the guest sees the LAN host\'s', async () => {
    assert.is(await sourceSeenBy(tb.ns.lanhost, LANHOST, tb.ns.guest), GUEST.lanIp);
    assert.is(await sourceSeenBy(tb.ns.guest, GUEST.lanIp, tb.ns.lanhost), LANHOST);
  });

  test('control: without the recipe\'s rule dom0 forwards WAN → guest eth1 — the rule is what refuses it', () => {
    const rule = 'iif xenbr0 table 100 pref 100';
    tb.ip(tb.ns.client, `route add 192.168.122.0/24 via ${DOM0_WAN}`);
    try {
      tb.ip(tb.ns.dom0, `rule del ${rule}`);
      try {
        const r = tb.exec(tb.ns.dom0, ['ip', 'route', 'get', GUEST.lanIp, 'from', CLIENT, 'iif', 'xenbr0']);
        assert.match(r.stdout, /dev virbr0/, r.stdout + r.stderr);
        assert.not.ok(refusedByDom0(tb.ns.client, GUEST.lanIp, DOM0_WAN));
      } finally {
        tb.ip(tb.ns.dom0, `rule add ${rule}`);
      }
      assert.ok(refusedByDom0(tb.ns.client, GUEST.lanIp, DOM0_WAN));
    } finally {
      tb.ip(tb.ns.client, 'route del 192.168.122.0/24');
    }
  });

  test('after a libvirtd restart the hook alone re-creates routes and rules whenever virnet0 starts', () => {
    const routing = () => ['rule show', 'route show table 100', 'route show table 101', 'route show table 102'].map((c) => tb.ip(tb.ns.dom0, c));
    const set = routing();
    fs.writeFileSync(path.join(tb.state, 'hooks-on'), '');
    try {
      assert.is(tb.exec(tb.ns.dom0, ['virsh', 'net-destroy', 'virnet0']).status, 0);
      assert.not.ok(tb.ip(tb.ns.dom0, 'rule show').includes('lookup 101'), 'stopped: unset_route removed the rules');
      const r = tb.exec(tb.ns.dom0, ['virsh', 'net-start', 'virnet0']);
      assert.is(r.status, 0, r.stderr);
    } finally {
      fs.rmSync(path.join(tb.state, 'hooks-on'));
    }
    assert.equal(routing(), set);
    tb.ip(tb.ns.dom0, 'link set vif1.1 master virbr0');
    assert.ok(reaches(tb.ns.lanhost, GUEST.lanIp));
  });

  test('a second plan has nothing to do; rollback --live returns dom0\'s routes, rules, firewall, sysctls and files', () => {
    const again = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.equal(JSON.parse(again.stdout).steps, []);
    // The guest shuts down: its new vif goes away (the old one is Xen's, vif1.0).
    tb.ip(tb.ns.dom0, 'link del vif1.1');
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.equal(dom0State(), before);
    // `virsh net-autostart default` (the undo, run live) re-creates the link libvirt's way, with an
    // absolute target (the demo's link is relative): the same file, a different link text.
    const link = 'etc/libvirt/qemu/networks/autostart/default.xml';
    const diff = fingerprintDiff(filesBefore, treeFingerprint(tb.root, { excludeJournal: true }));
    assert.equal(diff.filter((d) => !d.startsWith(`${link}:`)), []);
    assert.is(fs.readlinkSync(path.join(tb.root, link)), '/etc/libvirt/qemu/networks/default.xml');
  });

  test.after(() => tb.down());
}

test.run();
