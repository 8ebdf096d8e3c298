// Recipe internal-dummy's bad inputs (issue 6): the second NIC that is the LAN NIC or missing, a
// bridge name taken or invalid, addresses that do not parse or overlap, MACs invalid, multicast
// or in use — exit 2, a message naming the answer and value, nothing under the root changed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, treeFingerprint, fingerprintDiff } from '../../_helpers/roots.js';
import { addNic, answersFile, guideRoot } from './roots.js';

interface Case { name: string; root?: () => string; answers: object; says: string[] }

const debianWith = (stanza: string) => () => {
  const root = copyFixture('debian12');
  fs.appendFileSync(path.join(root, 'etc/network/interfaces'), stanza);
  return root;
};

const cases: Case[] = [
  { name: 'second NIC = the LAN NIC', answers: { 'internal.nic': 'eth0' }, says: ['internal.nic', 'eth0', 'wan.nic'] },
  { name: 'second NIC that does not exist', answers: { 'internal.nic': 'eth9' }, says: ['internal.nic', 'eth9'] },
  { name: 'second NIC that is a bridge', answers: { 'internal.nic': 'virbr0' }, says: ['internal.nic', 'virbr0'] },
  { name: 'second NIC already a port of another bridge', answers: { 'internal.nic': 'peth0' }, says: ['internal.nic', 'peth0', 'xenbr0'] },
  { name: 'second NIC name with a slash', answers: { 'internal.nic': 'eth/1' }, says: ['internal.nic', 'eth/1'] },
  { name: 'internal bridge = the LAN bridge', answers: { 'internal.bridge': 'xenbr0' }, says: ['internal.bridge', 'xenbr0', 'wan.bridge'] },
  { name: 'internal bridge = libvirt\'s virbr0', answers: { 'internal.bridge': 'virbr0' }, says: ['internal.bridge', 'virbr0'] },
  { name: 'internal bridge = an existing NIC', answers: { 'internal.bridge': 'eth0' }, says: ['internal.bridge', 'eth0'] },
  { name: 'internal bridge = dummy0', answers: { 'internal.bridge': 'dummy0' }, says: ['internal.bridge', 'dummy0'] },
  { name: 'internal bridge name of 16 bytes', answers: { 'internal.bridge': 'xenbr1234567890a' }, says: ['internal.bridge', 'xenbr1234567890a', '16'] },
  { name: 'internal bridge name with a slash', answers: { 'internal.bridge': 'xen/br1' }, says: ['internal.bridge', 'xen/br1'] },
  { name: 'internal bridge name empty', answers: { 'internal.bridge': '' }, says: ['internal.bridge'] },
  { name: 'address without a prefix', answers: { 'internal.address': '192.168.200.1' }, says: ['internal.address', '192.168.200.1'] },
  { name: 'address with an octet over 255', answers: { 'internal.address': '192.168.300.1/24' }, says: ['internal.address', '192.168.300.1/24'] },
  { name: 'address that is the network address', answers: { 'internal.address': '192.168.200.0/24' }, says: ['internal.address', '192.168.200.0/24'] },
  { name: 'address overlapping the LAN', answers: { 'internal.address': '192.168.1.200/24' }, says: ['internal.address', '192.168.1.0/24', 'eth0'] },
  { name: 'address overlapping libvirt\'s NAT network', answers: { 'internal.address': '192.168.122.9/24' }, says: ['internal.address', '192.168.122.0/24'] },
  { name: 'dummy MAC malformed', answers: { 'internal.mac': '00:16:3e:zz:00:01' }, says: ['internal.mac', '00:16:3e:zz:00:01'] },
  { name: 'dummy MAC multicast', answers: { 'internal.mac': '01:16:3e:00:00:01' }, says: ['internal.mac', 'multicast'] },
  { name: 'dummy MAC all zeros (seed 000 line 216)', answers: { 'internal.mac': '00:00:00:00:00:00' }, says: ['internal.mac', '00:00:00:00:00:00'] },
  { name: 'dummy MAC of a NIC', answers: { 'internal.mac': '00:19:B9:3A:66:12' }, says: ['internal.mac', '00:19:b9:3a:66:12', 'in use'] },
  { name: 'second vif\'s MAC malformed', answers: { 'internal.macs': { centos51u: '00:16:3e:00:01' } }, says: ['centos51u', '00:16:3e:00:01'] },
  { name: 'second vif\'s MAC multicast', answers: { 'internal.macs': { centos51u: '03:16:3e:00:00:01' } }, says: ['centos51u', 'multicast'] },
  { name: 'second vif\'s MAC = the guest\'s first vif', answers: { 'internal.macs': { centos51u: '00:16:3e:17:d4:87' } }, says: ['00:16:3e:17:d4:87', 'in use'] },
  { name: 'the same MAC for two guests\' second vifs', answers: { 'internal.macs': { centos51u: '00:16:3e:01:02:03', centos51u2: '00:16:3e:01:02:03' } }, says: ['centos51u2', '00:16:3e:01:02:03', 'in use'] },
  { name: 'second vif\'s MAC = the dummy\'s', answers: { 'internal.mac': '00:16:3e:01:02:03', 'internal.macs': { centos51u: '00:16:3e:01:02:03' } }, says: ['00:16:3e:01:02:03', 'in use'] },
  { name: 'second vif\'s MAC for a guest that does not exist', answers: { 'internal.macs': { ghost: '00:16:3e:01:02:03' } }, says: ['ghost'] },
  { name: 'second NIC given as a number', answers: { 'internal.nic': 1 }, says: ['internal.nic'] },
  {
    name: 'xl: second NIC with an address of its own in interfaces(5)',
    root: debianWith('\nallow-hotplug eno2\niface eno2 inet dhcp\n'),
    answers: { 'internal.nic': 'eno2' },
    says: ['internal.nic', 'eno2', '/etc/network/interfaces', 'line 20'],
  },
  {
    name: 'xl: internal bridge already configured otherwise in interfaces(5)',
    root: debianWith('\nauto xenbr1\niface xenbr1 inet manual\n\tbridge_ports eno2\n'),
    answers: {},
    says: ['internal.bridge', 'xenbr1', '/etc/network/interfaces', 'line 20'],
  },
  {
    name: 'xl ifcfg: second NIC with IPADDR',
    root: () => {
      const root = copyFixture('rhel-xl');
      addNic(root, 'eth1', '52:54:00:12:34:57');
      fs.writeFileSync(path.join(root, 'etc/sysconfig/network-scripts/ifcfg-eth1'), 'DEVICE=eth1\nBOOTPROTO=static\nIPADDR=10.0.0.2\nPREFIX=24\n');
      return root;
    },
    answers: { 'internal.nic': 'eth1' },
    says: ['internal.nic', 'eth1', 'ifcfg-eth1'],
  },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit 2, nothing changed`, () => {
    const root = (c.root ?? guideRoot)();
    const before = treeFingerprint(root);
    const r = runCli(['apply', '--root', root, '--answers', answersFile(c.answers), '--yes']);
    assert.is(r.status, 2, `exit ${r.status}\n${r.stderr}`);
    for (const s of c.says) assert.ok(r.stderr.includes(s), `message lacks "${s}": ${r.stderr}`);
    assert.match(r.stderr, /Nothing was changed/);
    assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
  });
}

test('bad input in Japanese: the second NIC that is the LAN NIC', () => {
  const root = guideRoot();
  const r = runCli(['apply', '--root', root, '--answers', answersFile({ 'internal.nic': 'eth0' }), '--yes'], { env: { LANG: 'ja_JP.UTF-8' } });
  assert.is(r.status, 2);
  assert.ok(r.stderr.includes('LAN 側の NIC') && r.stderr.includes('eth0') && r.stderr.includes('何も変更していません'), r.stderr);
});

test.run();
