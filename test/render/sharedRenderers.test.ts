// Renderers shared by several recipes: libvirt network XML (checked against the guide and
// libvirt's own schema) with its virsh steps, and sysctl persistence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { renderNetworkXml, libvirtDefineSteps, prefixToNetmask } from '../../src/render/libvirtNetwork.js';
import { setSysctlLines, renderSysctlFile, sysctlSteps, sysctlPlan } from '../../src/render/sysctl.js';
import type { LibvirtNetworkSpec } from '../../src/model/topology.js';
import type { ReadFile } from '../../src/model/plan.js';
import { seedLines, tempDir } from '../_helpers/roots.js';
import { missingValidator, testUnless } from '../_helpers/skip.js';

const virnet1: LibvirtNetworkSpec = { name: 'virnet1', bridge: 'virbr1', address: { ip: '192.168.200.1', prefix: 24 }, forward: null, autostart: true };
const none: ReadFile = () => null;

test('seed 000 lines 184–189: virnet1 as the guide writes it, forwardDelay → delay', () => {
  const guide = seedLines(184, 189).join('\n').replace("forwardDelay='0'", "delay='0'");
  assert.is(renderNetworkXml(virnet1), guide + '\n');
});

test("seed 000 line 414: <forward mode='route' dev='eth1'/> in the routed network", () => {
  const xml = renderNetworkXml({ ...virnet1, name: 'virnet0', bridge: 'virbr0', address: { ip: '192.168.122.1', prefix: 24 }, forward: { mode: 'route', dev: 'eth1' } });
  assert.ok(xml.split('\n').includes(`  ${seedLines(414)[0]}`), xml);
});

testUnless(test, missingValidator(), "libvirt's schema accepts every rendered network (and rejects the guide's forwardDelay)", () => {
  const dir = tempDir();
  const check = (text: string) => {
    const file = path.join(dir, `${Math.random()}.xml`);
    fs.writeFileSync(file, text);
    return spawnSync('virt-xml-validate', [file, 'network'], { encoding: 'utf8' }).status;
  };
  for (const forward of [null, { mode: 'route' as const, dev: 'eth1' }, { mode: 'nat' as const, dev: null }]) {
    assert.is(check(renderNetworkXml({ ...virnet1, forward })), 0, JSON.stringify(forward));
  }
  assert.is(check(renderNetworkXml({ ...virnet1, dns: false })), 0, "<dns enable='no'/>");
  assert.is.not(check(seedLines(184, 189).join('\n')), 0, "the guide's own text fails the schema: the reason for delay=");
});

test('netmasks from prefixes', () => {
  assert.equal([0, 8, 16, 23, 24, 30, 32].map(prefixToNetmask), ['0.0.0.0', '255.0.0.0', '255.255.0.0', '255.255.254.0', '255.255.255.0', '255.255.255.252', '255.255.255.255']);
});

test('seed 000 lines 182–191: file, net-define, net-autostart, net-start; offline effects on disk', () => {
  const steps = libvirtDefineSteps(virnet1, [], none);
  assert.equal(steps.map((s) => s.file?.path ?? s.argv!.join(' ')), [
    '/etc/virnet/virnet1.xml', 'virsh net-define /etc/virnet/virnet1.xml', 'virsh net-autostart virnet1', 'virsh net-start virnet1',
  ]);
  assert.equal(steps[1].undo, ['virsh', 'net-undefine', 'virnet1']);
  assert.is(steps[1].offline!.path, '/etc/libvirt/qemu/networks/virnet1.xml');
  assert.is(steps[2].offline!.createLink, '/etc/libvirt/qemu/networks/virnet1.xml');
});

test('an existing network with the same definition plans nothing; a different one is destroyed and re-defined, undo from stdin', () => {
  const current = renderNetworkXml(virnet1);
  const read: ReadFile = (p) => (p === '/etc/libvirt/qemu/networks/virnet1.xml' ? { text: current, mode: '0600' } : null);
  const net = { name: 'virnet1', path: '/etc/libvirt/qemu/networks/virnet1.xml', bridge: 'virbr1', forwardMode: null, autostart: true, autostartPath: '/etc/libvirt/qemu/networks/autostart/virnet1.xml' };
  assert.equal(libvirtDefineSteps(virnet1, [net], read), []);
  const changed = libvirtDefineSteps({ ...virnet1, address: { ip: '192.168.201.1', prefix: 24 } }, [net], read);
  assert.equal(changed.map((s) => s.id), ['edit:/etc/virnet/virnet1.xml', 'run:virsh-net-destroy-virnet1', 'run:virsh-net-define-virnet1', 'run:virsh-net-start-virnet1']);
  const define = changed[2];
  assert.equal([define.undo, define.undoInput], [['virsh', 'net-define', '/dev/stdin'], current]);
});

test("dns: false adds <dns enable='no'/> and only a definition that has it matches", () => {
  const xml = renderNetworkXml({ ...virnet1, dns: false });
  assert.ok(xml.split('\n').includes("  <dns enable='no'/>"), xml);
  assert.not.ok(renderNetworkXml(virnet1).includes('<dns'));
  const net = { name: 'virnet1', path: '/etc/libvirt/qemu/networks/virnet1.xml', bridge: 'virbr1', forwardMode: null, autostart: true, autostartPath: '/x' };
  const has = (text: string): ReadFile => (p) => (p === net.path ? { text, mode: '0600' } : null);
  assert.is(libvirtDefineSteps({ ...virnet1, dns: false }, [net], has(xml)).length, 0);
  assert.ok(libvirtDefineSteps({ ...virnet1, dns: false }, [net], has(renderNetworkXml(virnet1))).length > 0, 'DNS still on: re-defined');
});

const sysctlRows: [string, string][] = [
  ['', 'net.ipv4.ip_forward = 0\n'],
  ['# Kernel sysctl configuration\nnet.ipv4.ip_forward = 1\nkernel.sysrq = 0\n', '# Kernel sysctl configuration\nnet.ipv4.ip_forward = 0\nkernel.sysrq = 0\n'],
  ['net.ipv4.ip_forward=0\n', 'net.ipv4.ip_forward=0\n'],
  ['# net.ipv4.ip_forward = 1\nkernel.sysrq = 0', '# net.ipv4.ip_forward = 1\nkernel.sysrq = 0\nnet.ipv4.ip_forward = 0\n'],
  ['net/ipv4/ip_forward = 1\r\n', 'net.ipv4.ip_forward = 0\r\n'],
];
for (const [before, after] of sysctlRows) {
  test(`sysctl.conf ${JSON.stringify(before)} → ip_forward 0`, () => {
    assert.is(setSysctlLines(before, [{ key: 'net.ipv4.ip_forward', value: '0' }]), after);
  });
}

test('xl hosts get a drop-in in /etc/sysctl.d; xend hosts edit /etc/sysctl.conf (seed 000 line 498)', () => {
  const sysctls = [{ key: 'net.ipv4.ip_forward', value: '1' }, { key: 'net.ipv4.conf.eth1.rp_filter', value: '1' }];
  const xl = renderSysctlFile('xl', sysctls, none, 'routed-lan')!;
  assert.is(xl.path, '/etc/sysctl.d/60-xen-net-wizard.conf');
  assert.is(xl.after, '# routed-lan\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.eth1.rp_filter = 1\n');
  assert.is(renderSysctlFile('xend', sysctls, none, 'x')!.path, '/etc/sysctl.conf');
  const proc: ReadFile = (p) => (p === '/proc/sys/net/ipv4/ip_forward' ? { text: '0\n', mode: '0644' } : null);
  const steps = sysctlSteps(sysctls, proc);
  assert.equal(steps.map((s) => [s.argv, s.undo ?? null]), [
    [['sysctl', '-w', 'net.ipv4.ip_forward=1'], ['sysctl', '-w', 'net.ipv4.ip_forward=0']],
    [['sysctl', '-w', 'net.ipv4.conf.eth1.rp_filter=1'], null],
  ]);
});

test('a root without /proc/sys whose persisted file is already right plans nothing (second run)', () => {
  const sysctls = [{ key: 'net.ipv4.ip_forward', value: '0' }];
  const first = sysctlPlan('xl', sysctls, none, 'internal-l2');
  assert.equal(first.map((s) => s.id), ['edit:/etc/sysctl.d/60-xen-net-wizard.conf', 'run:sysctl-net.ipv4.ip_forward']);
  const persisted: ReadFile = (p) => (p === first[0].file!.path ? { text: first[0].file!.after!, mode: '0644' } : null);
  assert.equal(sysctlPlan('xl', sysctls, persisted, 'internal-l2'), []);
  const kernelOn: ReadFile = (p) => persisted(p) ?? (p === '/proc/sys/net/ipv4/ip_forward' ? { text: '1\n', mode: '0644' } : null);
  assert.equal(sysctlPlan('xl', sysctls, kernelOn, 'internal-l2').map((s) => s.argv), [['sysctl', '-w', 'net.ipv4.ip_forward=0']], 'a live kernel that differs is still set');
});

test.run();
