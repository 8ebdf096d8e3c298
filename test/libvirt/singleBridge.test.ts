// single-bridge against a real libvirtd in the testbed's dom0: `net-destroy default` and
// `net-autostart default --disable` run for real, and rollback's `net-start` / `net-autostart`
// bring libvirt's NAT back. Judged by libvirt (net-list, net-info, net-dumpxml), the kernel
// (virbr0, its address, its ports), libvirt's own iptables rules and its dnsmasq (a lease served
// to a guest namespace while the NAT network runs, none once the guests are on xenbr0).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Testbed, GUESTS } from '../testbed/testbed.js';
import { libvirtdAvailable } from '../_helpers/libvirtd.js';
import { tempDir, writeJson } from '../_helpers/roots.js';
import { autostartLink, dhcpLease, kernelLink, phaseLine, rulesOf, wizardIn } from './realLibvirt.js';
import { skipCheck } from '../_helpers/skip.js';

const why = libvirtdAvailable();
if (why) {
  skipCheck(test, 'real libvirtd (single-bridge)', why);
} else {
  const tb = new Testbed({ realLibvirt: true }).start();
  const lv = await tb.startLibvirtd();
  const wizard = wizardIn(tb);
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const web1 = tb.ns.guests[GUESTS[0].name];
  let rulesBefore: string[] = [];
  let ran: string[] = [];

  test('start: libvirt runs default on virbr0 with its NAT rules and dnsmasq, and serves a guest a lease', () => {
    assert.equal(lv.netList(), { default: 'active autostart' });
    assert.match(lv.virsh('net-dumpxml', 'default').stdout, /<bridge name='virbr0'/);
    assert.equal(kernelLink(tb, 'virbr0')?.addrs, ['192.168.122.1/24']);
    rulesBefore = lv.rules();
    assert.ok(rulesBefore.some((l) => /-s 192\.168\.122\.0\/24 ! -d 192\.168\.122\.0\/24 -j MASQUERADE/.test(l)), 'libvirt\'s MASQUERADE');
    assert.ok(rulesOf(tb, 'virbr0', '192.168.122.0/24').some((l) => /LIBVIRT_INP -i virbr0 -p udp -m udp --dport 67 -j ACCEPT/.test(l)), 'libvirt\'s DHCP rule');
    assert.is(lv.dnsmasq().length > 0, true, 'dnsmasq for default');
    assert.is(dhcpLease(tb, web1), '192.168.122.1', 'a lease from libvirt\'s dnsmasq');
  });

  test('plan --live: the steps libvirt is asked for', () => {
    const r = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(r.status, 0, r.stderr);
    ran = (JSON.parse(r.stdout) as { steps: { argv?: string[] }[] }).steps.filter((s) => s.argv?.[0] === 'virsh').map((s) => s.argv!.join(' '));
    assert.equal(ran, ['virsh net-destroy default', 'virsh net-autostart default --disable']);
  });

  test('apply --live: libvirt says default is stopped and not autostarted; virbr0, its rules and dnsmasq are gone', () => {
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'inactive -' });
    const info = lv.netInfo('default')!;
    assert.equal([info.Active, info.Autostart, info.Persistent], ['no', 'no', 'yes'], 'still defined: rollback can start it');
    assert.is(autostartLink(tb, 'default'), null, 'libvirt removed its autostart link in the files the wizard reads');
    assert.is(kernelLink(tb, 'virbr0'), null, 'virbr0 is gone from the kernel');
    assert.equal(rulesOf(tb, 'virbr0', '192.168.122.0/24'), [], 'no rule of libvirt\'s names virbr0');
    assert.equal(lv.dnsmasq(), [], 'no dnsmasq');
    for (const g of GUESTS) assert.is(kernelLink(tb, g.vif)?.master, 'xenbr0', g.vif);
    assert.is(dhcpLease(tb, web1), null, 'no lease on xenbr0: the LAN has no DHCP server and libvirt serves none there');
  });

  test('rollback --live: libvirt runs default again, autostarted, with the same rules; guests back on virbr0 get a lease', () => {
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'active autostart' });
    assert.is(autostartLink(tb, 'default'), '/etc/libvirt/qemu/networks/default.xml', 'libvirt\'s own link, absolute');
    assert.equal(kernelLink(tb, 'virbr0')?.addrs, ['192.168.122.1/24']);
    assert.equal(lv.rules().sort(), [...rulesBefore].sort(), 'libvirt\'s rules as they were');
    assert.ok(lv.dnsmasq().length > 0);
    for (const g of GUESTS) assert.is(kernelLink(tb, g.vif)?.master, 'virbr0', g.vif);
    assert.is(dhcpLease(tb, web1), '192.168.122.1');
  });

  test('live detection through libvirt: default running without autostart is seen, and stopped too', () => {
    assert.is(lv.virsh('net-autostart', 'default', '--disable').status, 0);
    assert.equal(lv.netList(), { default: 'active -' });
    const detect = wizard('detect', '--root', tb.root, '--live', '--lang', 'en');
    assert.is(detect.status, 0, detect.stderr);
    assert.match(detect.stdout, /^ {2}default {2}bridge=virbr0 {2}forward=nat {2}running$/m, detect.stdout);
    const offline = wizard('plan', '--root', tb.root, '--answers', answers, '--json');
    assert.equal((JSON.parse(offline.stdout) as { steps: { argv?: string[] }[] }).steps.filter((s) => s.argv?.[0] === 'virsh'), [],
      'offline, the files say nothing runs at boot: nothing to do for libvirt');
    const plan = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    const virsh = (JSON.parse(plan.stdout) as { steps: { argv?: string[] }[] }).steps.filter((s) => s.argv?.[0] === 'virsh').map((s) => s.argv!.join(' '));
    assert.equal(virsh, ['virsh net-destroy default']);
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'inactive -' });
    assert.is(kernelLink(tb, 'virbr0'), null, 'virbr0 does not stay up beside xenbr0');
    assert.equal(lv.dnsmasq(), []);
    const back = wizard('rollback', '--root', tb.root, '--live');
    assert.is(back.status, 0, back.stderr);
    assert.equal(lv.netList(), { default: 'active -' }, 'running again, and still not autostarted');
    phaseLine('single-bridge', ran);
  });

  test.after(() => tb.down());
}

test.run();
