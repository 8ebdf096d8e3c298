// Arch Linux with systemd-networkd, a root built from the Arch wiki's documented examples
// (test/fixtures/distros/README.md): single-bridge plans, applies offline and rolls back byte for
// byte; the real systemd-networkd, in a private network + mount namespace, brings up the files
// before (the NIC with its address) and after (the bridge with the NIC as its port, the address and
// the default route moved, STP off, no forward delay).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, assertApplyIdempotentRollback, copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';
import { missingNetworkd, runNetworkd, type KernelState } from '../_helpers/networkdNs.js';
import { testUnless } from '../_helpers/skip.js';

const ARCH = path.join(PROJECT, 'test/fixtures/distros/arch-networkd/root');
const NIC = 'enp1s0';
const MAC = '52:54:00:a1:00:01';
const answers = () => writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'single-bridge', backend: 'networkd' });
const NO_NETWORKD = missingNetworkd();

const v4 = (s: KernelState, name: string) => s.links.find((l) => l.ifname === name)?.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`) ?? [];
const defaultVia = (s: KernelState) => s.routes.filter((r) => r.dst === 'default').map((r) => `${r.gateway} ${r.dev}`);

test('Arch (networkd): single-bridge applies offline, plans nothing more, rolls back byte for byte', () => {
  assertApplyIdempotentRollback(copyFixture(ARCH), answers());
});

test('Arch (networkd): internal-dummy (xenbr0 over the NIC, the port-less xenbr1 with its fixed MAC) applies, plans nothing more, rolls back', () => {
  assertApplyIdempotentRollback(copyFixture(ARCH), writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'internal-dummy', backend: 'networkd' }));
});

test('Arch (networkd) with three NICs: bond-bridge (.netdev Kind=bond, slaves Bond=, two bridges) applies, plans nothing more, rolls back', () => {
  const root = copyFixture(ARCH);
  for (const [nic, mac] of [['enp2s0', '52:54:00:a1:00:11'], ['enp3s0', '52:54:00:a1:00:12']]) {
    fs.mkdirSync(path.join(root, 'sys/class/net', nic));
    fs.writeFileSync(path.join(root, 'sys/class/net', nic, 'address'), `${mac}\n`);
  }
  const bond = writeJson(path.join(tempDir(), 'answers.json'), { recipe: 'bond-bridge', backend: 'networkd', 'bond.slaves': [NIC, 'enp2s0'], 'back.nic': 'enp3s0' });
  assertApplyIdempotentRollback(root, bond);
});

testUnless(test, NO_NETWORKD, 'Arch (networkd): the real systemd-networkd brings up the bridge from the written files alone', () => {
  const root = copyFixture(ARCH);
  const before = runNetworkd(path.join(root, 'etc/systemd/network'), NIC, MAC, `ip route | grep -q "default via 10.1.10.1 dev ${NIC}"`);
  assert.equal(v4(before, NIC), ['10.1.10.9/24'], before.log);
  assert.equal(defaultVia(before), [`10.1.10.1 ${NIC}`]);
  const r = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  const after = runNetworkd(path.join(root, 'etc/systemd/network'), NIC, MAC, `ip route | grep -q "default via 10.1.10.1 dev xenbr0" && ip link show ${NIC} | grep -q "master xenbr0"`);
  const br = after.links.find((l) => l.ifname === 'xenbr0');
  assert.ok(br, after.log);
  assert.is(br!.linkinfo?.info_kind, 'bridge');
  assert.is(br!.linkinfo?.info_data?.stp_state, 0, 'STP off');
  assert.is(br!.linkinfo?.info_data?.forward_delay, 0, 'no forward delay');
  assert.is(after.links.find((l) => l.ifname === NIC)?.master, 'xenbr0', 'the NIC is the port');
  assert.equal(v4(after, 'xenbr0'), ['10.1.10.9/24'], 'the address moved');
  assert.equal(v4(after, NIC), [], 'the port has no address');
  assert.equal(defaultVia(after), ['10.1.10.1 xenbr0'], 'the default route moved');
});

testUnless(test, NO_NETWORKD, 'Arch (networkd), DHCP through Name=en*: the glob file untouched, the bridge keeps the NIC\'s MAC under the real networkd', () => {
  const root = copyFixture(ARCH);
  const wired = path.join(root, 'etc/systemd/network/20-wired.network');
  // Arch wiki, systemd-networkd, "Wired adapter using DHCP" with the wiki's en* match.
  fs.writeFileSync(wired, '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n');
  const r = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(r.status, 0, r.stderr);
  assert.is(fs.readFileSync(wired, 'utf8'), '[Match]\nName=en*\n\n[Network]\nDHCP=yes\n');
  const after = runNetworkd(path.join(root, 'etc/systemd/network'), NIC, MAC, `ip link show ${NIC} | grep -q "master xenbr0"`);
  assert.is(after.links.find((l) => l.ifname === NIC)?.master, 'xenbr0', after.log);
  assert.is(after.links.find((l) => l.ifname === 'xenbr0')?.address, MAC, 'the MAC a DHCP server knows');
});

test.run();
