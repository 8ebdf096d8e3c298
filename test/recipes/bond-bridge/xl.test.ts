// bond-bridge on xl hosts: the bond, its bridge and the back-LAN bridge in the distro's own config,
// read back by real ifupdown (ifquery) and matched against what ifenslave's own hook reads;
// RHEL-like ifcfg files as initscripts' sysconfig.txt documents them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, writeJson, tempDir, PROJECT } from '../../_helpers/roots.js';
import { parseIfcfg, getVar } from '../../../src/parse/ifcfg.js';
import { missingUnpacked, testUnless } from '../../_helpers/skip.js';

interface JsonStep { file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }
interface JsonPlan { profile: string; backend: string; steps: JsonStep[] }

const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown/sbin/ifquery');
const IFENSLAVE = path.join(PROJECT, '.cache/debs/ifenslave/etc/network/if-pre-up.d/ifenslave');

function planFor(fixture: string, answers: object = {}): JsonPlan {
  const root = copyFixture(fixture);
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'bond-bridge', ...answers }), '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonPlan;
}
const fileOf = (plan: JsonPlan, p: string) => plan.steps.find((s) => s.file?.path === p)?.file;

const deb = planFor('debian12-3nic');
const interfaces = fileOf(deb, '/etc/network/interfaces')!;

function ifquery(text: string) {
  const file = path.join(tempDir(), 'interfaces');
  const dir = path.join(tempDir(), 'interfaces.d');
  fs.mkdirSync(dir);
  // ifquery follows `source`; point it at an empty directory instead of this machine's /etc.
  fs.writeFileSync(file, text.replace('source /etc/network/interfaces.d/*', `source ${dir}/*`));
  return (...args: string[]) => spawnSync(IFQUERY, ['-i', file, ...args], { encoding: 'utf8' });
}

test('Debian 12: backend commands around the edit — the addressed slave down first, bond, bridge, back LAN up after', () => {
  assert.is(deb.backend, 'ifupdown');
  const argv = deb.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
  assert.equal(argv.slice(0, 1), ['ifdown eno1']);
  assert.equal(argv.filter((a) => a.startsWith('ifup')), ['ifup pbond0', 'ifup bond0', 'ifup xenbr0']);
});

testUnless(test, missingUnpacked('ifupdown/sbin/ifquery'), 'Debian 12: ifquery reads the bond (ifenslave options), its bridge with the address, and xenbr0', () => {
  const q = ifquery(interfaces.after!);
  const auto = q('--list').stdout.trim().split('\n');
  for (const name of ['pbond0', 'bond0', 'xenbr0']) assert.ok(auto.includes(name), auto.join(','));
  // Brought up in this order by `ifup -a`: the bond before the bridge over it.
  assert.ok(auto.indexOf('pbond0') < auto.indexOf('bond0'));
  const bond = q('pbond0').stdout;
  for (const line of ['bond-slaves: eno1 eno3', 'bond-mode: active-backup', 'bond-miimon: 100']) assert.ok(bond.includes(line + '\n'), `pbond0 lacks ${line}:\n${bond}`);
  const br = q('bond0').stdout;
  for (const line of ['address: 192.168.1.10', 'netmask: 255.255.255.0', 'gateway: 192.168.1.254', 'bridge_ports: pbond0', 'bridge_stp: off', 'bridge_fd: 0']) {
    assert.ok(br.includes(line + '\n'), `bond0 lacks ${line}:\n${br}`);
  }
  assert.ok(q('xenbr0').stdout.includes('bridge_ports: eno2\n'));
  const slave = q('eno1').stdout;
  assert.not.ok(/address|gateway/.test(slave), slave);
});

testUnless(test, missingUnpacked('ifupdown/sbin/ifquery') ?? missingUnpacked('ifenslave/etc/network/if-pre-up.d/ifenslave'), 'Debian 12: every bond-* option ifquery reports is one ifenslave\'s hook reads (IF_BOND_*)', () => {
  const hook = fs.readFileSync(IFENSLAVE, 'utf8');
  const options = ifquery(interfaces.after!)('pbond0').stdout.trim().split('\n').map((l) => l.split(':')[0]);
  assert.equal(options, ['bond-slaves', 'bond-mode', 'bond-miimon']);
  // ifupdown exports option foo-bar as IF_FOO_BAR to its hooks (interfaces(5), "IFACE OPTIONS").
  for (const o of options) assert.ok(hook.includes(`$IF_${o.toUpperCase().replace(/-/g, '_')}`), o);
});

test('Debian 12: tab-indented file stays tab-indented; lines before the NIC\'s stanza are byte-identical', () => {
  const blocks = interfaces.after!.slice(interfaces.after!.indexOf('auto pbond0'));
  assert.ok(blocks.includes('\tbond-slaves eno1 eno3\n') && !/^ {4}/m.test(blocks), blocks);
  const head = interfaces.before!.slice(0, interfaces.before!.indexOf('iface eno1'));
  assert.ok(interfaces.after!.startsWith(head));
});

test('Debian 12: guests join bond0 and get a second vif on xenbr0; xl.conf defaults to bond0', () => {
  assert.match(fileOf(deb, '/etc/xen/web1.cfg')!.after!, /vif {9}= \[ 'mac=00:16:3e:2a:10:01,bridge=bond0','mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2},bridge=xenbr0' \]/);
  assert.ok(fileOf(deb, '/etc/xen/xl.conf')!.after!.includes('\nvif.default.bridge="bond0"\n'));
});

test('Debian 12: a second slave with its own address is refused (which address would the bond take?)', () => {
  const root = copyFixture('debian12-3nic');
  fs.appendFileSync(path.join(root, 'etc/network/interfaces'), '\nallow-hotplug eno3\niface eno3 inet dhcp\n');
  const r = runCli(['plan', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'bond-bridge' })]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /eno3/);
});

test('xl: the bonding driver is told not to create its default bond0, the bridge\'s name (both backends)', () => {
  for (const plan of [deb, planFor('rhel-xl-3nic')]) {
    const conf = fileOf(plan, '/etc/modprobe.d/xen-net-wizard-bonding.conf')!;
    assert.is(conf.before, null);
    assert.ok(conf.after!.split('\n').includes('options bonding max_bonds=0'), conf.after!);
  }
});

const rhel = planFor('rhel-xl-3nic');
const ifcfg = (name: string) => {
  const f = fileOf(rhel, `/etc/sysconfig/network-scripts/ifcfg-${name}`);
  return f ? parseIfcfg(f.after!, name) : null;
};

test('RHEL-like xl: ifcfg-pbond0 is the bond (BONDING_OPTS) and a port of bond0; the slaves name it MASTER=', () => {
  assert.is(rhel.backend, 'ifcfg');
  const bond = ifcfg('pbond0')!;
  assert.is(getVar(bond, 'BONDING_OPTS'), 'mode=active-backup miimon=100');
  assert.is(getVar(bond, 'BRIDGE'), 'bond0');
  for (const nic of ['eth0', 'eth2']) {
    const s = ifcfg(nic)!;
    assert.is(getVar(s, 'MASTER'), 'pbond0', nic);
    assert.is(getVar(s, 'SLAVE'), 'yes', nic);
    assert.is(getVar(s, 'IPADDR'), undefined, nic);
  }
});

test('RHEL-like xl: ifcfg-bond0 is TYPE=Bridge with eth0\'s address; ifcfg-xenbr0 bridges eth1 (seed 003)', () => {
  const br = ifcfg('bond0')!;
  for (const [k, v] of [['TYPE', 'Bridge'], ['IPADDR', '192.168.1.20'], ['PREFIX', '24'], ['GATEWAY', '192.168.1.254'], ['STP', 'off'], ['DELAY', '0']]) {
    assert.is(getVar(br, k), v, k);
  }
  assert.is(getVar(ifcfg('xenbr0')!, 'TYPE'), 'Bridge');
  assert.is(getVar(ifcfg('eth1')!, 'BRIDGE'), 'xenbr0');
});

test.run();
