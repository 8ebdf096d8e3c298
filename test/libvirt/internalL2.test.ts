// internal-l2 against a real libvirtd in the testbed's dom0 (xl profile): `net-define` of the
// rendered XML (the guide's forwardDelay written as libvirt's delay), `net-autostart`, `net-start`
// run for real; libvirt's view, the kernel's virbr1, libvirt's isolation rules, and DHCP/DNS on the
// internal segment (the guide wants none: xl gets <dns enable='no'/>, so libvirt starts no dnsmasq).
// The guide's own clean-up lines (seed 000 lines 149–153, the xend wrapper) are run against the
// rules libvirt 9 created. Rollback: net-destroy, autostart off, net-undefine; default back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { Testbed, GUESTS } from '../testbed/testbed.js';
import { libvirtdAvailable } from '../_helpers/libvirtd.js';
import { tempDir, writeJson } from '../_helpers/roots.js';
import { LIBVIRT_INPUT_CLEANUP } from '../../src/recipes/internal-l2/wrapper.js';
import { autostartLink, dhcpLease, kernelLink, phaseLine, rulesOf, wizardIn } from './realLibvirt.js';
import { skipCheck } from '../_helpers/skip.js';

const SUBNET = '192.168.200.0/24';

const why = libvirtdAvailable();
if (why) {
  skipCheck(test, 'real libvirtd (internal-l2)', why);
} else {
  const tb = new Testbed({ realLibvirt: true }).start();
  const lv = await tb.startLibvirtd();
  const wizard = wizardIn(tb);
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-l2' });
  const web1 = GUESTS[0];
  let ran: string[] = [];

  test('apply --live: libvirt defines, autostarts and runs virnet1 on virbr1 as rendered', () => {
    const plan = wizard('plan', '--root', tb.root, '--live', '--answers', answers, '--json');
    assert.is(plan.status, 0, plan.stderr);
    ran = (JSON.parse(plan.stdout) as { steps: { argv?: string[] }[] }).steps.filter((s) => s.argv?.[0] === 'virsh').map((s) => s.argv!.join(' '));
    assert.equal(ran, ['virsh net-define /etc/virnet/virnet1.xml', 'virsh net-autostart virnet1', 'virsh net-start virnet1',
      'virsh net-destroy default', 'virsh net-autostart default --disable']);
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers);
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'inactive -', virnet1: 'active autostart' });
    const xml = lv.virsh('net-dumpxml', 'virnet1').stdout;
    assert.match(xml, /<bridge name='virbr1' stp='off' delay='0'\/>/, 'the guide\'s forwardDelay=0, as libvirt\'s delay');
    assert.match(xml, /<dns enable='no'\/>/);
    assert.match(xml, /<ip address='192\.168\.200\.1' netmask='255\.255\.255\.0'>/);
    assert.not.match(xml, /<forward/, 'isolated: no <forward>');
    assert.equal(kernelLink(tb, 'virbr1'), { master: null, addrs: ['192.168.200.1/24'] });
    assert.is(autostartLink(tb, 'virnet1'), '/etc/libvirt/qemu/networks/virnet1.xml', 'libvirt\'s autostart link, in the root\'s files');
    assert.ok(fs.existsSync(path.join(tb.root, 'etc/libvirt/qemu/networks/virnet1.xml')), 'libvirt\'s own copy of the definition');
  });

  test('libvirt isolates virbr1 (REJECT in and out) and runs no dnsmasq for it: a guest there gets no lease', () => {
    const rules = rulesOf(tb, 'virbr1', SUBNET);
    assert.ok(rules.includes('-A LIBVIRT_FWI -o virbr1 -j REJECT --reject-with icmp-port-unreachable'), rules.join('\n'));
    assert.ok(rules.includes('-A LIBVIRT_FWO -i virbr1 -j REJECT --reject-with icmp-port-unreachable'));
    assert.not.ok(rules.some((l) => l.includes('MASQUERADE')), 'no NAT');
    assert.equal(lv.dnsmasq(), [], 'no dnsmasq at all (default is stopped, virnet1 has DNS off and no <dhcp>)');
    // Xen's hotplug behind the `xl network-attach web1 mac=… bridge=virbr1` the wizard ran (stand-in xl).
    const attach = /^xl network-attach web1 mac=(\S+) bridge=(\S+)$/m.exec(fs.readFileSync(tb.log, 'utf8'));
    assert.ok(attach, 'xl network-attach web1');
    tb.exec(tb.ns.dom0, ['ip', 'link', 'add', 'vif1.1', 'type', 'veth', 'peer', 'name', 'eth1', 'netns', tb.ns.guests[web1.name], 'address', attach[1]]);
    tb.ip(tb.ns.dom0, `link set vif1.1 master ${attach[2]}`);
    tb.ip(tb.ns.dom0, 'link set vif1.1 up');
    tb.ip(tb.ns.guests[web1.name], 'link set eth1 up');
    assert.is(dhcpLease(tb, tb.ns.guests[web1.name], 'eth1'), null, 'nothing answers DHCP on the internal segment');
  });

  test('the guide\'s clean-up (lines 149–153) against libvirt 9: its rules match libvirt\'s, but libvirt keeps them in LIBVIRT_INP', () => {
    const dnsDhcp = () => rulesOf(tb, 'virbr1', SUBNET).filter((l) => / --dport (53|67) -j ACCEPT$/.test(l) && l.startsWith('-A LIBVIRT_INP'));
    assert.is(dnsDhcp().length, 4, 'libvirt accepts DNS and DHCP (udp, tcp) from virbr1 even with DNS off');
    // The wrapper's lines as rendered for xend, under bash (CentOS 5's /bin/sh), in dom0.
    const script = ['libvirtbr=virbr1', ...LIBVIRT_INPUT_CLEANUP].join('\n');
    tb.exec(tb.ns.dom0, ['bash', '-c', script]);
    assert.is(dnsDhcp().length, 4, 'iptables -D INPUT … finds nothing: libvirt ≥ 5.1 jumps from INPUT to its own chain');
    // The same rule specification in libvirt's chain is exactly libvirt's rule: each delete succeeds.
    const inChain = script.replaceAll('-D INPUT', '-D LIBVIRT_INP').replaceAll(' &>/dev/null', '');
    const r = tb.exec(tb.ns.dom0, ['bash', '-ec', inChain]);
    assert.is(r.status, 0, r.stderr);
    assert.equal(dnsDhcp(), [], 'the guide\'s four rules, as libvirt 9 wrote them, are gone');
  });

  test('rollback --live: virnet1 stopped, out of autostart and undefined; default runs again', () => {
    tb.exec(tb.ns.dom0, ['ip', 'link', 'del', 'vif1.1']);
    const r = wizard('rollback', '--root', tb.root, '--live');
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'active autostart' });
    assert.is(lv.netInfo('virnet1'), null, 'libvirt no longer knows virnet1');
    assert.is(kernelLink(tb, 'virbr1'), null);
    assert.equal(rulesOf(tb, 'virbr1', SUBNET), []);
    assert.not.ok(fs.existsSync(path.join(tb.root, 'etc/libvirt/qemu/networks/virnet1.xml')));
    assert.is(autostartLink(tb, 'virnet1'), null);
    assert.not.ok(fs.existsSync(path.join(tb.root, 'etc/virnet/virnet1.xml')));
    phaseLine('internal-l2', ran);
  });

  test.after(() => tb.down());
}

test.run();
