// DHCP MAC pinning proven with a real DHCP server (issue 12, deliverable 4): dnsmasq in a LAN
// namespace hands out leases by MAC; the NIC's original `inet dhcp` stanza and the wizard's edited
// file (the bridge pinned to the NIC's MAC with `hwaddress ether`) are each brought up by the real
// ifupdown (+ bridge-utils) in a dom0 namespace. The DHCP client ifupdown calls (/sbin/dhclient)
// is a stand-in that asks dnsmasq from the interface's own kernel MAC (test/_helpers/dhcpClient.mjs)
// and sets the lease: same address before, after, and after a re-up of the persisted file. A vif
// with a lower MAC joins before the re-up, as Xen's guests do at boot.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { NsBed, nsBedUnavailable } from '../_helpers/nsBed.js';
import { DEBS, overlayDirs, privateMountScript } from '../_helpers/ifupdownNs.js';
import { PROJECT } from '../_helpers/roots.js';
import { skipCheck } from '../_helpers/skip.js';
import { ifupdown } from '../../src/backends/ifupdown.js';
import { parseInterfaces } from '../../src/parse/interfaces.js';

const NIC_MAC = '52:54:00:aa:bb:cc';
const ORIGINAL = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet dhcp\n';
const why = nsBedUnavailable(['dnsmasq', 'unshare']) ?? (fs.existsSync(path.join(DEBS, 'ifupdown/sbin/ifup')) && fs.existsSync(path.join(DEBS, 'bridge-utils/sbin/brctl')) ? null : 'needs ifupdown and bridge-utils unpacked by scripts/setup-test-deps.sh');

if (why) {
  skipCheck(test, 'DHCP lease kept by the pinned bridge MAC (real dnsmasq, real ifup)', why);
} else {
  const bed = new NsBed('xdh');
  const lan = bed.ns('lan');
  bed.bridge(lan, 'sw0', '10.77.0.1/24');
  const edited = ifupdown.portedBridge({ name: 'xenbr0', nic: 'eth0', stp: false, forwardDelay: 0, antispoof: true }, {
    read: (p) => (p === '/etc/network/interfaces' ? { text: ORIGINAL, mode: '0644' } : null),
    interfaces: [parseInterfaces(ORIGINAL, '/etc/network/interfaces')],
    linkMac: (n) => (n === 'eth0' ? NIC_MAC : null),
  }).files[0].after!;
  const o = overlayDirs('ifupdown', { before: ORIGINAL, after: edited });
  // ifupdown's dhcp method runs /sbin/dhclient … IFACE (merged /usr: /usr/sbin in the overlay);
  // like the real dhclient, the stand-in brings the interface up itself.
  fs.writeFileSync(path.join(o.usr, 'sbin/dhclient'), `#!/bin/sh
for a in "$@"; do [ -e "/sys/class/net/$a" ] && iface=$a; done
case " $* " in *" -r "*) ip -4 addr flush dev "$iface"; exit 0;; esac
ip link set dev "$iface" up
ip route replace 255.255.255.255/32 dev "$iface"
lease=$(${process.execPath} ${path.join(PROJECT, 'test/_helpers/dhcpClient.mjs')} "$(cat /sys/class/net/$iface/address)" 6) || exit 1
ip addr add "$(echo "$lease" | cut -d' ' -f2)/24" dev "$iface"
`, { mode: 0o755 });
  const d = spawn('ip', ['netns', 'exec', lan, 'dnsmasq', '--keep-in-foreground', '--no-resolv', '--no-hosts', '--port=0', '--interface=sw0', '--bind-interfaces',
    '--dhcp-range=10.77.0.50,10.77.0.250,12h', `--dhcp-leasefile=${path.join(bed.dir, 'leases')}`, `--pid-file=${path.join(bed.dir, 'dnsmasq.pid')}`, '--user=root', '--group=root'],
  { stdio: ['ignore', 'ignore', fs.openSync(path.join(bed.dir, 'dnsmasq.log'), 'w')] });
  bed.track(d.pid!);
  test.after(() => {
    bed.down();
    fs.rmSync(o.work, { recursive: true, force: true });
  });

  let port = 0;
  /** A fresh dom0 namespace whose eth0 (MAC NIC_MAC) is cabled to the LAN switch; `script` run there with the overlay. */
  const dom0 = (file: 'before' | 'after', script: string) => {
    const ns = bed.ns(`d${port}`);
    bed.cable({ ns, name: 'eth0', mac: NIC_MAC }, { ns: lan, name: `p${port++}` });
    bed.ip(lan, `link set p${port - 1} master sw0`);
    const r = bed.exec(ns, ['unshare', '-m', 'sh', '-c', privateMountScript(o, `cp /etc/network/interfaces.${file} /etc/network/interfaces\n${script}`)], { timeout: 60_000 });
    return { ns, out: r.stdout + r.stderr, status: r.status };
  };
  const v4 = (ns: string, dev: string) => (JSON.parse(bed.exec(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', dev]).stdout)[0]?.addr_info ?? []).map((a: { local: string }) => a.local);
  let before: string[] = [];

  test('the original: ifup -a gives eth0 a lease from dnsmasq', () => {
    const r = dom0('before', 'ifup -a');
    assert.is(r.status, 0, r.out + fs.readFileSync(path.join(bed.dir, 'dnsmasq.log'), 'utf8'));
    before = v4(r.ns, 'eth0');
    assert.is(before.length, 1, r.out);
    assert.match(before[0], /^10\.77\.0\./);
  });

  test('the edited file pins the NIC\'s MAC on the bridge; ifup -a gives xenbr0 the same lease, also after a vif joins and a re-up', () => {
    assert.match(edited, /iface xenbr0 inet dhcp\n[^]*hwaddress ether 52:54:00:aa:bb:cc/);
    // Xen's vif-bridge adds a vif (lower MAC than the NIC here) before the next boot's DHCP runs.
    const r = dom0('after', [
      'ifup -a',
      'echo "first: $(ip -4 -o addr show dev xenbr0)"',
      'ip link add vif1.0 address 02:00:00:00:00:01 type veth peer name vif1p',
      'ip link set vif1.0 master xenbr0 && ip link set vif1.0 up',
      'ifdown -a && ifup -a',
      'echo "again: $(ip -4 -o addr show dev xenbr0) mac $(cat /sys/class/net/xenbr0/address)"',
    ].join('\n'));
    assert.is(r.status, 0, r.out);
    const first = /first: .* inet (\S+)\//.exec(r.out)?.[1];
    const again = /again: .* inet (\S+)\/.* mac (\S+)/.exec(r.out);
    assert.is(first, before[0], r.out);
    assert.is(again?.[1], before[0], r.out);
    assert.is(again?.[2], NIC_MAC, 'the bridge keeps the NIC\'s MAC with a lower-MAC port on it');
    assert.equal(v4(r.ns, 'eth0'), [], 'the port has no address of its own');
  });
}

test.run();
