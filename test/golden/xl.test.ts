// The xl profile: the bridge persisted in the distro's own configuration (ifupdown on Debian 12,
// ifcfg on a RHEL-like), vif.default.bridge in xl.conf, guest cfgs moved — judged by real ifquery.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyFixture, runCli, writeJson, tempDir, PROJECT } from '../_helpers/roots.js';
import { missingUnpacked, testUnless } from '../_helpers/skip.js';

interface JsonStep { id: string; kind: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[] }
interface JsonPlan { profile: string; backend: string; method: string; steps: JsonStep[] }

const IFQUERY = path.join(PROJECT, '.cache/debs/ifupdown/sbin/ifquery');

function planFor(fixture: string, answers: object): JsonPlan {
  const root = copyFixture(fixture);
  const file = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge', ...answers });
  const r = runCli(['plan', '--root', root, '--answers', file, '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonPlan;
}

const deb = planFor('debian12', {});
const debFile = (p: string) => deb.steps.find((s) => s.file?.path === p)?.file;

test('Debian 12: xl profile, ifupdown backend, restarted with the backend\'s tools', () => {
  assert.is(deb.profile, 'xl');
  assert.is(deb.backend, 'ifupdown');
  assert.is(deb.method, 'backend-restart');
  const argv = deb.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
  assert.equal(argv, ['ifdown eno1', 'ifup xenbr0', 'virsh define /etc/libvirt/libxl/build.xml', 'virsh net-destroy default', 'virsh net-autostart default --disable']);
});

testUnless(test, missingUnpacked('ifupdown/sbin/ifquery'), 'Debian 12: /etc/network/interfaces read back by real ifupdown (ifquery)', () => {
  const change = debFile('/etc/network/interfaces')!;
  assert.ok(change, 'interfaces edited');
  const file = path.join(tempDir(), 'interfaces');
  // ifquery follows `source`; point it at an empty directory instead of this machine's /etc.
  const dir = path.join(tempDir(), 'interfaces.d');
  fs.mkdirSync(dir);
  fs.writeFileSync(file, change.after!.replace('source /etc/network/interfaces.d/*', `source ${dir}/*`));
  const q = (...args: string[]) => spawnSync(IFQUERY, ['-i', file, ...args], { encoding: 'utf8' });
  // --list shows `auto` interfaces: the bridge is auto; the NIC stays allow-hotplug as it was.
  const list = q('--list').stdout.trim().split('\n');
  assert.ok(list.includes('xenbr0'), list.join(','));
  assert.ok(q('--list', '--allow=hotplug').stdout.split('\n').includes('eno1'));
  const br = q('xenbr0').stdout;
  for (const line of ['address: 192.168.1.10', 'netmask: 255.255.255.0', 'gateway: 192.168.1.254', 'dns-nameservers: 192.168.1.254', 'dns-search: example.lan', 'bridge_ports: eno1', 'bridge_stp: off', 'bridge_fd: 0', 'bridge_maxwait: 0']) {
    assert.ok(br.includes(line + '\n'), `xenbr0 lacks "${line}":\n${br}`);
  }
  const nic = q('eno1');
  assert.is(nic.status, 0);
  assert.not.ok(/address|gateway/.test(nic.stdout), nic.stdout);
  assert.ok(change.after!.includes('iface eno1 inet manual'));
});

test('Debian 12: lines outside the two stanzas are byte-identical', () => {
  const change = debFile('/etc/network/interfaces')!;
  const head = change.before!.slice(0, change.before!.indexOf('allow-hotplug eno1'));
  assert.ok(change.after!.startsWith(head));
});

test('Debian 12: xl.conf gets vif.default.bridge="xenbr0" after its commented example', () => {
  const change = debFile('/etc/xen/xl.conf')!;
  const lines = change.after!.split('\n');
  const at = lines.indexOf('#vif.default.bridge="xenbr0"');
  assert.ok(at >= 0);
  assert.is(lines[at + 1], 'vif.default.bridge="xenbr0"');
  assert.is(lines.length, change.before!.split('\n').length + 1);
});

test('Debian 12: guest cfgs and the libvirt domain move; a guest on another bridge does not', () => {
  assert.ok(debFile('/etc/xen/web1.cfg')!.after!.includes("vif         = [ 'mac=00:16:3e:2a:10:01,bridge=xenbr0' ]"));
  assert.match(debFile('/etc/xen/db1.cfg')!.after!, /vif = \[ "mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2},bridge=xenbr0,vifname=db1\.0" \]/);
  assert.is(debFile('/etc/xen/backup.cfg'), undefined);
  const xml = debFile('/etc/libvirt/libxl/build.xml')!.after!;
  assert.ok(xml.includes("<interface type='bridge'>") && xml.includes("<source bridge='xenbr0'/>"), xml);
  assert.ok(xml.includes("<mac address='00:16:3e:2a:10:04'/>"));
});

const rhel = planFor('rhel-xl', {});
const rhelFile = (p: string) => rhel.steps.find((s) => s.file?.path === p)?.file;

test('RHEL-like xl: ifcfg-eth0 gets BRIDGE=xenbr0, ifcfg-xenbr0 is TYPE=Bridge with the address (seed 003)', () => {
  assert.is(rhel.backend, 'ifcfg');
  const nic = rhelFile('/etc/sysconfig/network-scripts/ifcfg-eth0')!.after!;
  assert.ok(nic.includes('BRIDGE=xenbr0'));
  assert.not.ok(/^IPADDR=|^GATEWAY=|^PREFIX=/m.test(nic), nic);
  assert.ok(nic.includes('HWADDR=52:54:00:12:34:56'));
  const br = rhelFile('/etc/sysconfig/network-scripts/ifcfg-xenbr0')!;
  assert.is(br.before, null);
  for (const line of ['DEVICE=xenbr0', 'TYPE=Bridge', 'ONBOOT=yes', 'IPADDR=192.168.1.20', 'PREFIX=24', 'GATEWAY=192.168.1.254', 'DELAY=0']) {
    assert.ok(br.after!.split('\n').includes(line), `${line} in:\n${br.after}`);
  }
});

test('RHEL-like xl: both vifs of vm2 move, the one without mac= gets one, the other keeps its own', () => {
  const vm2 = rhelFile('/etc/xen/vm2.cfg')!.after!;
  assert.match(vm2, /vif = \[ "mac=00:16:3e:[0-7][0-9a-f]:[0-9a-f]{2}:[0-9a-f]{2},bridge=xenbr0", "mac=00:16:3e:5a:00:12,bridge=xenbr0" \]/);
  assert.ok(rhelFile('/etc/xen/vm1.cfg')!.after!.includes('vif = [ "mac=00:16:3e:5a:00:01, bridge=xenbr0, script=vif-bridge" ]'));
});

test.run();
