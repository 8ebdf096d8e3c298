// Recipe libvirt-bridge (seed 003 lines 52–63) proven in network namespaces: a dom0 whose br0
// bridges its eth0 (to the LAN) and a guest's vif1.0, with br_netfilter active in dom0's
// namespace (bridge-nf-call-iptables = 1, its default) and iptables' FORWARD policy DROP there.
// Bridged guest ↔ LAN traffic is dropped; after the commands the wizard lists for the chosen
// answer — the manual's physdev rule (line 53), or bridge-nf-call-* = 0 (lines 60–62) — it
// passes; without them it is dropped again. Everything happens inside the test's namespaces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { NsBed, nsBedUnavailable } from '../../_helpers/nsBed.js';
import { copyFixture, runCli, tempDir, writeJson } from '../../_helpers/roots.js';
import { parseIfcfg, getVar } from '../../../src/parse/ifcfg.js';

const LAN_HOST = '192.168.1.50';
const GUEST_IP = '192.168.1.11';

const listedFor = (fixture: string, answers: object) => {
  const root = copyFixture(fixture);
  const r = runCli(['apply', '--root', root, '--answers', writeJson(path.join(tempDir(), 'a.json'), { recipe: 'libvirt-bridge', ...answers }), '--yes', '--json']);
  assert.is(r.status, 0, r.stderr);
  return { root, listed: (JSON.parse(r.stdout) as { listedCommands: string[] }).listedCommands };
};

let why = nsBedUnavailable(['iptables']);
if (!why) {
  // br_netfilter must exist for this kernel and be per-namespace: checked inside a namespace of our own.
  const probe = new NsBed('xlbp');
  const ns = probe.ns('probe');
  if (probe.exec(ns, ['cat', '/proc/sys/net/bridge/bridge-nf-call-iptables']).stdout.trim() !== '1') why = 'needs br_netfilter (net.bridge.bridge-nf-call-iptables) in a network namespace';
  probe.down();
}
if (why) {
  console.log(`!!! SKIPPED libvirt-bridge netfilter testbed (bridged traffic through a FORWARD DROP): ${why}`);
} else {
  const build = (tag: string, bridge: { name: string; address: string }) => {
    const bed = new NsBed(tag);
    const dom0 = bed.ns('dom0');
    const lan = bed.ns('lan');
    const guest = bed.ns('guest');
    bed.cable({ ns: dom0, name: 'eth0' }, { ns: lan, name: 'eth0' });
    bed.cable({ ns: dom0, name: 'vif1.0' }, { ns: guest, name: 'eth0' });
    // br0 as the rendered ifcfg files describe it (RHEL's ifup is not on this machine): the NIC and
    // the guest's vif as ports, dom0's address on the bridge.
    bed.bridge(dom0, bridge.name, bridge.address);
    for (const port of ['eth0', 'vif1.0']) bed.ip(dom0, `link set ${port} master ${bridge.name}`);
    bed.ip(lan, `addr add ${LAN_HOST}/24 dev eth0`);
    bed.ip(guest, `addr add ${GUEST_IP}/24 dev eth0`);
    // The host's firewall: FORWARD drops what it is not told to accept.
    assert.is(bed.exec(dom0, ['iptables', '-P', 'FORWARD', 'DROP']).status, 0);
    return { bed, dom0, lan, guest };
  };
  const reaches = (bed: NsBed, ns: string, ip: string) => bed.exec(ns, ['ping', '-c', '1', '-W', '1', ip]).status === 0;
  const run = (bed: NsBed, ns: string, command: string) => {
    const r = bed.exec(ns, command.split(' '));
    assert.is(r.status, 0, `${command}: ${r.stderr}`);
  };

  test('xend answer `iptables` (lines 53–54): dropped before, the listed physdev rule lets bridged traffic through, its undo drops it again', () => {
    const { root, listed } = listedFor('centos5', {});
    const br0 = parseIfcfg(fs.readFileSync(path.join(root, 'etc/sysconfig/network-scripts/ifcfg-br0'), 'utf8'), 'ifcfg-br0');
    const { bed, dom0, lan, guest } = build('xlbi', { name: getVar(br0, 'DEVICE')!, address: `${getVar(br0, 'IPADDR')}/24` });
    try {
      assert.is(bed.exec(dom0, ['cat', '/proc/sys/net/bridge/bridge-nf-call-iptables']).stdout.trim(), '1');
      assert.not.ok(reaches(bed, guest, LAN_HOST), 'guest → LAN dropped by FORWARD');
      assert.not.ok(reaches(bed, lan, GUEST_IP), 'LAN → guest dropped by FORWARD');
      const rule = listed.filter((c) => c.startsWith('iptables '));
      assert.equal(rule, ['iptables -I FORWARD -m physdev --physdev-is-bridged -j ACCEPT']);
      run(bed, dom0, rule[0]);
      assert.ok(reaches(bed, guest, LAN_HOST) && reaches(bed, lan, GUEST_IP), 'both ways once the rule is in');
      // The file the rule is persisted in restores the same rule (iptables-restore reads it).
      const saved = fs.readFileSync(path.join(root, 'etc/sysconfig/iptables'), 'utf8');
      run(bed, dom0, 'iptables -D FORWARD -m physdev --physdev-is-bridged -j ACCEPT');
      assert.not.ok(reaches(bed, guest, LAN_HOST));
      // Its `:FORWARD ACCEPT` policy line is left out, so the DROP policy stays and only the rule can let traffic through.
      const r = bed.exec(dom0, ['iptables-restore', '--noflush'], { input: saved.replace(':FORWARD ACCEPT [0:0]\n', '') });
      assert.is(r.status, 0, r.stderr);
      assert.ok(reaches(bed, guest, LAN_HOST), 'after restoring /etc/sysconfig/iptables as the iptables service does at boot');
    } finally {
      bed.down();
    }
  });

  test('xl answer `sysctl` (lines 60–62): the listed bridge-nf-call-* = 0 take bridged traffic out of iptables; FORWARD still drops routed traffic', () => {
    const { listed } = listedFor('rhel-xl', { 'libvirt.netfilter': 'sysctl' });
    const { bed, dom0, lan, guest } = build('xlbs', { name: 'br0', address: '192.168.1.20/24' });
    try {
      assert.not.ok(reaches(bed, guest, LAN_HOST));
      const sysctls = listed.filter((c) => c.startsWith('sysctl '));
      assert.equal(sysctls, ['net.bridge.bridge-nf-call-ip6tables', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-arptables'].map((k) => `sysctl -w ${k}=0`));
      for (const c of sysctls) run(bed, dom0, c);
      assert.ok(reaches(bed, guest, LAN_HOST) && reaches(bed, lan, GUEST_IP), 'both ways with bridged frames out of iptables');
      assert.match(bed.exec(dom0, ['iptables', '-S', 'FORWARD']).stdout, /-P FORWARD DROP/, 'the policy itself is unchanged');
      run(bed, dom0, 'sysctl -w net.bridge.bridge-nf-call-iptables=1');
      assert.not.ok(reaches(bed, guest, LAN_HOST), 'control: back to 1, dropped again');
    } finally {
      bed.down();
    }
  });

  test.run();
}
