// routed-lan against a real libvirtd in its testbed's dom0: the route-mode network of seed 000
// lines 414–424 (virnet0 on virbr0, <forward mode='route' dev=…>) replaces libvirt's NAT default,
// for real. Judged by libvirt (net-list, net-dumpxml), the kernel (virbr0 and its address), the
// rules libvirt installs for route mode (FORWARD accepts between the LAN NIC and virbr0, no
// MASQUERADE) and dnsmasq (the network has no <dhcp>: no lease for the guest). Rollback brings
// default back. The policy routing and the access matrix are routed-lan/traffic.test.ts's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RoutedTestbed, GUEST } from '../recipes/routed-lan/routedTestbed.js';
import { libvirtdAvailable } from '../_helpers/libvirtd.js';
import { PROJECT } from '../_helpers/roots.js';
import { dhcpLease, phaseLine } from './realLibvirt.js';
import { skipCheck } from '../_helpers/skip.js';

const why = libvirtdAvailable();
if (why) {
  skipCheck(test, 'real libvirtd (routed-lan)', why);
} else {
  const tb = new RoutedTestbed({ realLibvirt: true }).start();
  const lv = await tb.startLibvirtd();
  const wizard = (...args: string[]) => tb.exec(tb.ns.dom0, [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js'), ...args]);
  const answers = path.join(tb.dir, 'answers.json');
  fs.writeFileSync(answers, JSON.stringify({ recipe: 'routed-lan', guests: [GUEST.name] }));
  const rules = () => lv.rules().filter((l) => l.includes('192.168.122.0/24') || / virbr0( |$)/.test(l));
  const addrs = (dev: string) => spawnSync('ip', ['-n', tb.ns.dom0, '-4', '-o', 'address', 'show', 'dev', dev], { encoding: 'utf8' }).stdout;
  const lease = () => dhcpLease(tb, tb.ns.guest);
  let ran: string[] = [];
  let natRules: string[] = [];

  test('start: libvirt\'s NAT default on virbr0, with MASQUERADE and a lease for the guest', () => {
    assert.equal(lv.netList(), { default: 'active autostart' });
    natRules = rules();
    assert.ok(natRules.some((l) => l.includes('MASQUERADE')));
    assert.is(lease(), '192.168.122.1');
  });

  test('apply --live: libvirt runs virnet0 in route mode on virbr0; default is stopped and undefined (its bridge is virnet0\'s)', () => {
    const plan = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(plan.status, 0, plan.stderr);
    ran = (JSON.parse(plan.stdout) as { steps: { argv?: string[] }[] }).steps.filter((s) => s.argv?.[0] === 'virsh' && s.argv[1].startsWith('net-')).map((s) => s.argv!.join(' '));
    assert.equal(ran, ['virsh net-destroy default', 'virsh net-autostart default --disable', 'virsh net-undefine default',
      'virsh net-define /etc/virnet/virnet0.xml', 'virsh net-autostart virnet0', 'virsh net-start virnet0']);
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    // libvirt 9 refuses to define a second network on virbr0 while default is defined, even stopped.
    assert.equal(lv.netList(), { virnet0: 'active autostart' });
    const xml = lv.virsh('net-dumpxml', 'virnet0').stdout;
    const dev = /<forward dev='(\w+)' mode='route'>/.exec(xml)?.[1];
    assert.ok(dev, xml);
    assert.match(xml, /<bridge name='virbr0'/);
    assert.match(addrs('virbr0'), /192\.168\.122\.1\/24/);
    const now = rules();
    assert.not.ok(now.some((l) => l.includes('MASQUERADE')), 'route mode: no NAT');
    assert.ok(now.includes(`-A LIBVIRT_FWI -d 192.168.122.0/24 -i ${dev} -o virbr0 -j ACCEPT`), now.join('\n'));
    assert.ok(now.includes(`-A LIBVIRT_FWO -s 192.168.122.0/24 -i virbr0 -o ${dev} -j ACCEPT`), now.join('\n'));
  });

  test('the guest, plugged into virbr0 again as Xen would at its next start, gets no lease: virnet0 has no <dhcp>', () => {
    spawnSync('ip', ['-n', tb.ns.dom0, 'link', 'set', 'vif1.0', 'master', 'virbr0']);
    assert.is(lease(), null);
  });

  test('rollback --live: virnet0 is gone, default is defined again (from libvirt\'s copy) and runs with the same rules', () => {
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'active autostart' });
    assert.equal(rules().sort(), [...natRules].sort());
    assert.match(addrs('virbr0'), /192\.168\.122\.1\/24/);
    phaseLine('routed-lan', ran);
  });

  test.after(() => tb.down());
}

test.run();
