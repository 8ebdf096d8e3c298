// internal-l2 with real traffic in the namespace testbed: guests reach each other on virbr1, and
// cannot reach the LAN through it. The wizard runs `apply --live` inside the testbed's dom0: it
// moves the guests' first vifs to xenbr0 live (single-bridge's ip -batch), writes the network XML
// and guest configs, and sets ip_forward=0 in dom0 for real. The testbed has no libvirtd and no
// hypervisor, so the two things they would do are mirrored with ip commands, from the files the
// wizard rendered and ran: `virsh net-start virnet1` (a bridge with STP off, delay 0 and the <ip>
// address; no port, no forwarding — what libvirt builds for a network without <forward>), and the
// `xl network-attach GUEST mac=… bridge=…` the wizard ran for each running guest (Xen's hotplug
// makes vif<domid>.1 with that MAC and vif-bridge puts it into that bridge).
// libvirt would also add REJECT rules for forwarding in and out of an isolated bridge; those are
// NOT mirrored, so what keeps guests off the LAN here is the recipe's own ip_forward=0 (with a
// control run that turns forwarding on and sees the LAN reached, so the check is not vacuous).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { Testbed, testbedAvailable, GUESTS, CLIENT_IP, DOM0_IP } from '../../testbed/testbed.js';
import { PROJECT, writeJson, tempDir } from '../../_helpers/roots.js';
import { parseNetworkXml } from '../../../src/parse/libvirtXml.js';
import { parseXlConfig, vifSpecs } from '../../../src/parse/xlConfig.js';
import { vifSpecToKeys } from '../../../src/parse/vifSpec.js';
import { skipCheck } from '../../_helpers/skip.js';

const why = testbedAvailable();
if (why) {
  skipCheck(test, 'namespace testbed (internal-l2 traffic)', why);
} else {
  const tb = new Testbed().start();
  const wizard = (...args: string[]) =>
    tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args], { env: tb.env() });
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-l2' });
  const ping = (ns: string, ip: string) => tb.exec(ns, ['ping', '-c', '1', '-W', '1', ip]).status === 0;
  const sysctl = (key: string) => tb.exec(tb.ns.dom0, ['sysctl', '-n', key]).stdout.trim();
  /** The guests' addresses on the internal segment (the admin's step, seed 000 line 199). */
  const internalIp = (i: number) => `192.168.200.${11 + i}`;

  test('apply --live: guests\' first vifs on xenbr0, files rendered, ip_forward=0 set in dom0', () => {
    assert.is(sysctl('net.ipv4.ip_forward'), '1', 'libvirt\'s NAT had forwarding on');
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    assert.is(sysctl('net.ipv4.ip_forward'), '0', 'the wizard\'s sysctl -w');
    assert.is(fs.readFileSync(path.join(tb.root, 'etc/sysctl.d/60-xen-net-wizard.conf'), 'utf8'), '# internal-l2\nnet.ipv4.ip_forward = 0\n');
    const link = (name: string) => JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'link', 'show', 'dev', name]).stdout)[0];
    for (const g of GUESTS) assert.is(link(g.vif).master, 'xenbr0', g.vif);
    const log = fs.readFileSync(tb.log, 'utf8');
    assert.match(log, /virsh net-define \/etc\/virnet\/virnet1\.xml\nvirsh net-autostart virnet1\nvirsh net-start virnet1\n/);
    assert.ok(log.indexOf('virsh net-start virnet1') < log.indexOf('xl network-attach '), 'hotplug after the bridge exists');
  });

  test('mirror libvirt\'s net-start and Xen\'s vif hotplug from the rendered files', () => {
    const net = parseNetworkXml(fs.readFileSync(path.join(tb.root, 'etc/virnet/virnet1.xml'), 'utf8'), 'virnet1.xml');
    assert.equal([net.name, net.bridge, net.forwardMode], ['virnet1', 'virbr1', null]);
    const ip = net.ips[0];
    tb.ip(tb.ns.dom0, `link add ${net.bridge} type bridge stp_state 0 forward_delay 0`);
    tb.ip(tb.ns.dom0, `addr add ${ip.address}/${ip.netmask === '255.255.255.0' ? 24 : ip.prefix} dev ${net.bridge}`);
    tb.ip(tb.ns.dom0, `link set ${net.bridge} up`);
    const log = fs.readFileSync(tb.log, 'utf8');
    for (const [i, g] of GUESTS.entries()) {
      const cfg = parseXlConfig(fs.readFileSync(path.join(tb.root, `etc/xen/${g.name}.cfg`), 'utf8'), g.name);
      const items = vifSpecs(cfg);
      const item = items[1];
      assert.ok(item && 'spec' in item, `${g.name} has a second vif`);
      const persisted = vifSpecToKeys((item as { spec: string }).spec);
      const ran = new RegExp(`^xl network-attach ${g.name} mac=(\\S+) bridge=(\\S+)$`, 'm').exec(log);
      assert.ok(ran, `xl network-attach ${g.name} in:\n${log}`);
      const keys = { mac: ran[1], bridge: ran[2] };
      assert.equal(keys, { mac: persisted.mac, bridge: net.bridge }, 'hot-plugged as persisted');
      // vifname= of the first vif names only that one: the second is vif<domid>.1 (Xen's default).
      const vif = `vif${g.domid}.1`;
      const gns = tb.ns.guests[g.name];
      tb.exec(tb.ns.dom0, ['ip', 'link', 'add', vif, 'address', 'fe:ff:ff:ff:ff:ff', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', gns, 'address', keys.mac]);
      tb.ip(tb.ns.dom0, `link set ${vif} master ${keys.bridge}`);
      tb.ip(tb.ns.dom0, `link set ${vif} up`);
      tb.ip(gns, `addr add ${internalIp(i)}/24 dev eth1`);
      tb.ip(gns, 'link set eth1 up');
    }
    const ports = (JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'link', 'show', 'master', 'virbr1']).stdout) as { ifname: string }[]).map((l) => l.ifname).sort();
    assert.equal(ports, GUESTS.map((g) => `vif${g.domid}.1`).sort(), 'virbr1 has the guests\' vifs and no NIC');
  });

  test('guests reach each other and dom0 on virbr1', () => {
    assert.ok(ping(tb.ns.guests[GUESTS[0].name], internalIp(1)), 'web1 → db1');
    assert.ok(ping(tb.ns.guests[GUESTS[1].name], internalIp(0)), 'db1 → web1');
    assert.ok(ping(tb.ns.guests[GUESTS[0].name], '192.168.200.1'), 'web1 → dom0 on virbr1');
  });

  test('a guest cannot reach the LAN through virbr1 — and would with forwarding on (control)', () => {
    const gns = tb.ns.guests[GUESTS[0].name];
    // The worst case: the guest's only way out is virbr1, dom0 as its gateway (line 87 says not to).
    tb.ip(gns, 'link set eth0 down');
    tb.ip(gns, 'route replace default via 192.168.200.1 dev eth1');
    // The LAN client knows the way back through dom0, so only dom0's forwarding decides.
    tb.ip(tb.ns.client, `route add 192.168.200.0/24 via ${DOM0_IP}`);
    assert.not.ok(ping(gns, CLIENT_IP), 'guest → LAN client through virbr1');
    assert.not.ok(ping(tb.ns.client, internalIp(0)), 'LAN client → guest\'s internal address');
    tb.exec(tb.ns.dom0, ['sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    try {
      assert.ok(ping(gns, CLIENT_IP), 'control: with forwarding on, the same path reaches the LAN');
    } finally {
      tb.exec(tb.ns.dom0, ['sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    }
    assert.not.ok(ping(gns, CLIENT_IP), 'off again');
  });

  test('rollback --live detaches the hot-plugged vifs and restores every file', () => {
    const filesNow = fs.readFileSync(path.join(tb.root, 'etc/xen/web1.cfg'), 'utf8');
    assert.match(filesNow, /bridge=virbr1/);
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    const log = fs.readFileSync(tb.log, 'utf8');
    for (const g of GUESTS) assert.match(log, new RegExp(`^xl network-detach ${g.name} 00:16:3e(:[0-9a-f]{2}){3}$`, 'm'));
    assert.not.match(fs.readFileSync(path.join(tb.root, 'etc/xen/web1.cfg'), 'utf8'), /virbr1/);
    assert.not.ok(fs.existsSync(path.join(tb.root, 'etc/virnet/virnet1.xml')));
    const link = JSON.parse(tb.exec(tb.ns.dom0, ['ip', '-json', 'link', 'show', 'dev', GUESTS[0].vif]).stdout)[0];
    assert.is(link.master, 'virbr0', 'the LAN vif is back on libvirt\'s NAT bridge');
  });

  test.after(() => tb.down());
}

test.run();
