// Recipe shadow-bridge produces seed 001's artifacts: on the xend profile exactly the seed's files
// (the init script with its deviations pinned line by line below), on xl the same layout the way
// each backend renames a NIC at boot (systemd .link + interfaces(5); ifcfg HWADDR/DEVICE).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFixture } from '../../_helpers/roots.js';
import { argvsOf, fileOf, planOf, seed001 } from './roots.js';

/**
 * Where the init script deviates from seed 001 lines 10–129, by seed line: the line(s) written
 * instead. Everything else is the seed's, byte for byte.
 *  16: `/etc/init.d/functions` is Red Hat's and Mandriva's; sourced only where it exists.
 *  16+: gprintf (Mandriva, lines 24/75/127), usleep (initscripts, line 59), success/failure
 *       (the function library): defined only where the system lacks them.
 *  30: `ifconfig … 0.0.0.0 up` loaded aliased drivers through the ioctl; modprobe of the alias
 *      does the same without net-tools, and the address it cleared is flushed on line 34 anyway.
 *  49: the port comes up with `ip`; it has no address to clear (line 34).
 *  56: ifconfig's RUNNING flag is the kernel's operstate up/unknown: read from sysfs.
 * 127: the usage message's "star" typo corrected.
 */
const DEVIATIONS: Record<number, string[]> = {
  16: [
    '# xen-net-wizard: sourced only where it exists (seed 001 line 16; Red Hat and Mandriva have it).',
    '[ -f /etc/init.d/functions ] && . /etc/init.d/functions',
    "# xen-net-wizard: gprintf is Mandriva's (lines 24, 75, 127), usleep comes with initscripts",
    '# (line 59), success/failure with the function library: defined only where missing.',
    'type gprintf >/dev/null 2>&1 || gprintf() { printf "$@"; }',
    'type usleep >/dev/null 2>&1 || usleep() { sleep "$(($1 / 1000000)).$(printf %06d $(($1 % 1000000)))"; }',
    'type success >/dev/null 2>&1 || success() { printf " [  OK  ]"; }',
    'type failure >/dev/null 2>&1 || failure() { printf " [FAILED] %s" "$1"; }',
  ],
  30: [
    "            # xen-net-wizard: modprobe the alias (what ifconfig's ioctl made the kernel do, line 30)",
    '            ip link show "$i" >/dev/null 2>&1 || modprobe -q "$i"',
  ],
  49: [
    '            # xen-net-wizard: ip instead of ifconfig (line 49); the port has no address (line 34)',
    '            ip link set "s$i" up',
  ],
  56: [
    "                    # xen-net-wizard: the kernel's operstate instead of ifconfig's RUNNING flag (line 56)",
    `                    if grep -Eqx 'up|unknown' "/sys/class/net/$i/operstate" 2>/dev/null; then`,
  ],
  127: [
    '        # xen-net-wizard: "star" corrected to "start" (line 127)',
    '        gprintf "Usage: %s {start|stop|restart|status}\\n" "$0"',
  ],
};

const xend = planOf(copyFixture('centos5'));
const xendFile = (p: string) => fileOf(xend.plan, p)!;

test('plan --json: recipe shadow-bridge, xend profile, the seed\'s sequence', () => {
  assert.is(xend.status, 0, xend.stderr);
  assert.is(xend.plan.recipe, 'shadow-bridge');
  assert.is(xend.plan.method, 'xend-sequence');
});

test('seed 001 lines 10–129: /etc/init.d/bridge-shadow, mode 755, the seed\'s text with only the pinned deviations', () => {
  const change = xendFile('/etc/init.d/bridge-shadow');
  assert.is(change.mode, '0755');
  assert.is(change.before, null);
  const want: string[] = [];
  seed001(10, 129).forEach((line, i) => want.push(...(DEVIATIONS[10 + i] ?? [line])));
  assert.equal(change.after!.split('\n'), [...want, '']);
  for (const n of Object.keys(DEVIATIONS)) assert.ok(seed001(Number(n))[0].trim().length > 0, `seed line ${n} is a real line`);
});

test('seed 001 line 11: the chkconfig header runlevels 2345, start 05 (before the network service), stop 89', () => {
  assert.ok(xendFile('/etc/init.d/bridge-shadow').after!.split('\n').includes(seed001(11)[0]));
  assert.equal(seed001(11), ['# chkconfig: 2345 05 89']);
});

test('seed 001 line 133: /etc/sysconfig/bridge-shadow names the NIC', () => {
  const change = xendFile('/etc/sysconfig/bridge-shadow');
  assert.equal(change.after!.trimEnd().split('\n'), seed001(133));
  assert.is(change.mode, '0644');
});

test('seed 001 lines 149–312: network-bridge-additional, mode 755, byte for byte', () => {
  const change = xendFile('/etc/xen/scripts/network-bridge-additional');
  assert.is(change.mode, '0755');
  assert.is(change.after, seed001(149, 312).join('\n') + '\n');
});

test('seed 001 lines 318–319: the live network-script and vif-script lines of xend-config.sxp, nothing else', () => {
  const change = xendFile('/etc/xen/xend-config.sxp');
  const before = change.before!.split('\n');
  const after = change.after!.split('\n');
  assert.is(after.length, before.length);
  assert.equal(after.filter((l, i) => l !== before[i]), seed001(318, 319));
});

test('seed 001 line 322: the guests name the bridge eth0 (xm file and XML dump)', () => {
  const xm = xendFile('/etc/xen/centos51u').after!;
  assert.match(xm, /vif = \[ "mac=00:16:3e:17:d4:87,bridge=eth0" \]/);
  assert.match(xendFile('/etc/xen/xml/centos51u.xml').after!, /<source bridge='eth0'\/>/);
});

test('xend sequence: network-bridge stopped, files, chkconfig, bridge-shadow start, network restart, network-bridge-additional start', () => {
  const argvs = argvsOf(xend.plan);
  const order = [
    '/etc/xen/scripts/network-bridge stop',
    'chkconfig --add bridge-shadow',
    '/etc/init.d/bridge-shadow start',
    'service network restart',
    '/etc/xen/scripts/network-bridge-additional start bridge=eth0',
  ].map((a) => argvs.indexOf(a));
  assert.ok(order.every((i) => i >= 0), argvs.join('\n'));
  assert.equal(order, [...order].sort((a, b) => a - b));
  const firstFile = xend.plan.steps.findIndex((s) => s.kind === 'file');
  const stop = xend.plan.steps.findIndex((s) => s.argv?.join(' ') === '/etc/xen/scripts/network-bridge stop');
  assert.ok(stop < firstFile, 'the old script stops while its configuration is still in place');
});

test('seed 001 line 197: antispoof "yes" as an answer reaches the network-script line', () => {
  const { plan } = planOf(copyFixture('centos5'), { antispoof: true });
  assert.ok(fileOf(plan, '/etc/xen/xend-config.sxp')!.after!.includes("(network-script 'network-bridge-additional bridge=eth0 antispoof=yes')"));
});

// xl, ifupdown (the demo Debian 12 dom0, eno1).
const deb = planOf(copyFixture('debian12'));
const debFile = (p: string) => fileOf(deb.plan, p)!;

test('xl/ifupdown: a .link file names the NIC seno1 by its permanent MAC (a bridge, which has none, never matches)', () => {
  assert.is(deb.status, 0, deb.stderr);
  const link = debFile('/etc/systemd/network/10-xen-net-wizard-seno1.link').after!;
  assert.match(link, /^\[Match\]\nPermanentMACAddress=[0-9a-f:]{17}\n\n\[Link\]\nName=seno1\n$/m);
});

test('xl/ifupdown: eno1\'s own stanza keeps its addressing and gains bridge_ports seno1; allow-hotplug → auto', () => {
  const change = debFile('/etc/network/interfaces');
  const after = change.after!;
  assert.match(after, /\nauto eno1\n/);
  assert.not.match(after, /allow-hotplug eno1/);
  assert.match(after, /iface eno1 inet static\n\taddress 192\.168\.1\.10\/24\n\tgateway 192\.168\.1\.254\n[\s\S]*\tbridge_ports seno1\n\tbridge_hw [0-9a-f:]{17}\n\tbridge_stp off\n\tbridge_fd 0\n\tbridge_maxwait 0/);
  assert.not.match(after, /xenbr0/);
  // Only lines added (and the allow-hotplug line changed): the rest of the file is as it was.
  const before = change.before!.split('\n');
  assert.ok(before.filter((l) => l !== 'allow-hotplug eno1').every((l) => after.split('\n').includes(l)));
});

test('xl/ifupdown: guests\' vifs and vif.default.bridge name eno1; initramfs refreshed for the .link', () => {
  assert.match(debFile('/etc/xen/web1.cfg').after!, /bridge=eno1/);
  assert.match(debFile('/etc/xen/xl.conf').after!, /vif\.default\.bridge\s*=\s*"eno1"/);
  const argvs = argvsOf(deb.plan);
  for (const a of ['ifdown eno1', 'ip link set dev eno1 name seno1', 'ifup eno1', 'update-initramfs -u']) assert.ok(argvs.includes(a), argvs.join('\n'));
});

test('xl/ifcfg: ifcfg-eth0 becomes the bridge (TYPE=Bridge, MACADDR), ifcfg-seth0 has the HWADDR and BRIDGE=eth0', () => {
  const { plan, status, stderr } = planOf(copyFixture('rhel-xl'));
  assert.is(status, 0, stderr);
  const bridge = fileOf(plan, '/etc/sysconfig/network-scripts/ifcfg-eth0')!.after!;
  assert.match(bridge, /^DEVICE=eth0$/m);
  assert.match(bridge, /^TYPE=Bridge$/m);
  assert.match(bridge, /^IPADDR=192\.168\.1\.20$/m);
  assert.match(bridge, /^MACADDR=52:54:00:12:34:56$/m);
  assert.not.match(bridge, /^HWADDR=/m);
  const port = fileOf(plan, '/etc/sysconfig/network-scripts/ifcfg-seth0')!.after!;
  for (const l of ['DEVICE=seth0', 'HWADDR=52:54:00:12:34:56', 'BRIDGE=eth0', 'ONBOOT=yes', 'BOOTPROTO=none']) assert.ok(port.split('\n').includes(l), port);
});
test.run();
