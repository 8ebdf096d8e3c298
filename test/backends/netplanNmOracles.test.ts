// The netplan and NetworkManager backends judged by the real tools from Debian 12's packages,
// unpacked into .cache/debs (never installed: neither networkd nor NetworkManager may start on
// this machine): netplan's generator turns the applied root's YAML into the networkd or NM files
// that boot would bring up; nmcli --offline parses our keyfiles with libnm's own reader and prints
// what it understood. Assertions are on those tools' outputs, not on our own parser.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, copyFixture, runCli, tempDir, writeJson } from '../_helpers/roots.js';
import { missingUnpacked, testUnless } from '../_helpers/skip.js';
import { renderNetworkManager } from '../../src/backends/networkmanager.js';
import { MANAGERS, ubuntu3nic } from '../_helpers/managerRoots.js';
import type { FileRead } from '../../src/model/plan.js';

const DEBS = path.join(PROJECT, '.cache/debs');
const GENERATE = path.join(DEBS, 'netplan.io/usr/libexec/netplan/generate');
const NMCLI = path.join(DEBS, 'network-manager/usr/bin/nmcli');
const noNetplan = missingUnpacked('netplan.io/usr/libexec/netplan/generate') ?? missingUnpacked('libnetplan0/usr/lib/x86_64-linux-gnu/libnetplan.so.0.0');
const noNmcli = missingUnpacked('network-manager/usr/bin/nmcli') ?? missingUnpacked('libnm0/usr/lib/x86_64-linux-gnu/libnm.so.0');

/** netplan generate --root-dir over a copy of the root's /etc/netplan: file name → text of what it wrote under /run. */
function generate(root: string): Map<string, string> {
  const dir = tempDir('xnw-netplan-');
  fs.cpSync(path.join(root, 'etc/netplan'), path.join(dir, 'etc/netplan'), { recursive: true });
  for (const f of fs.readdirSync(path.join(dir, 'etc/netplan'))) fs.chmodSync(path.join(dir, 'etc/netplan', f), 0o600);
  const r = spawnSync(GENERATE, ['--root-dir', dir], { encoding: 'utf8', env: { LD_LIBRARY_PATH: path.join(DEBS, 'libnetplan0/usr/lib/x86_64-linux-gnu') } });
  assert.is(r.status, 0, `netplan generate: ${r.stderr}`);
  const out = new Map<string, string>();
  for (const sub of ['run/systemd/network', 'run/NetworkManager/system-connections']) {
    const d = path.join(dir, sub);
    if (fs.existsSync(d)) for (const f of fs.readdirSync(d)) out.set(f, fs.readFileSync(path.join(d, f), 'utf8'));
  }
  return out;
}

/** A keyfile as NetworkManager's libnm reads it back (nmcli --offline re-writes what it parsed). */
function nmRead(text: string, id: string): { status: number | null; out: string; err: string } {
  const r = spawnSync(NMCLI, ['--offline', 'connection', 'modify', 'connection.id', id], {
    input: text, encoding: 'utf8', env: { LD_LIBRARY_PATH: path.join(DEBS, 'libnm0/usr/lib/x86_64-linux-gnu') },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const lines = (text: string | undefined, re: RegExp) => (text ?? '').split('\n').filter((l) => re.test(l)).sort();
const answers = () => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });

testUnless(test, noNetplan, 'Ubuntu 24.04 server: netplan generate turns the applied YAML into a networkd bridge carrying eno1\'s addresses, routes and DNS, eno1 its port', () => {
  const root = copyFixture(path.join(MANAGERS, 'ubuntu2404-server/root'));
  const before = generate(root);
  const applied = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(applied.status, 0, applied.stderr);
  assert.is((fs.statSync(path.join(root, 'etc/netplan/99-xen-net-wizard.yaml')).mode & 0o777).toString(8), '600');
  const after = generate(root);
  const netdev = after.get('10-netplan-xenbr0.netdev');
  assert.match(netdev ?? '', /^Kind=bridge$/m);
  assert.match(netdev ?? '', /^STP=false$/m);
  assert.match(netdev ?? '', /^ForwardDelaySec=0$/m);
  const addressing = /^(Address|DNS|Gateway|Destination)=/;
  assert.ok(lines(before.get('10-netplan-eno1.network'), addressing).length >= 4);
  assert.equal(lines(after.get('10-netplan-xenbr0.network'), addressing), lines(before.get('10-netplan-eno1.network'), addressing));
  const port = after.get('10-netplan-eno1.network') ?? '';
  assert.match(port, /^Bridge=xenbr0$/m);
  assert.equal(lines(port, addressing), []);
  // The edited file kept its comments (cloud-init's header) and its 4-space indentation.
  const edited = fs.readFileSync(path.join(root, 'etc/netplan/50-cloud-init.yaml'), 'utf8');
  assert.match(edited, /^# network: \{config: disabled\}$/m);
  assert.match(edited, /^ {4}ethernets:$/m);
});

testUnless(test, noNetplan, 'Ubuntu 24.04 desktop: netplan generate gives NetworkManager a bridge profile (DHCP, the NIC\'s MAC) and the NIC as its port', () => {
  const root = copyFixture(path.join(MANAGERS, 'ubuntu2404-desktop/root'));
  const applied = runCli(['apply', '--root', root, '--answers', answers(), '--yes']);
  assert.is(applied.status, 0, applied.stderr);
  const after = generate(root);
  const bridge = after.get('netplan-xenbr0.nmconnection') ?? '';
  assert.match(bridge, /^type=bridge$/m);
  assert.match(bridge, /^stp=false$/m);
  assert.match(bridge, /^forward-delay=0$/m);
  assert.match(bridge, /^cloned-mac-address=52:54:00:12:34:56$/m);
  assert.match(bridge, /\[ipv4\]\nmethod=auto/);
  assert.match(bridge, /^addr-gen-mode=default$/m, 'the passthrough ipv6 setting moved with the addressing');
  const port = [...after].find(([name]) => name.startsWith('netplan-NM-'))?.[1] ?? '';
  assert.match(port, /^master=xenbr0$/m);
  assert.match(port, /^slave-type=bridge$/m);
  assert.not.match(port, /^method=auto$/m);
  if (!noNmcli) {
    // NetworkManager itself accepts what netplan generated for it.
    assert.is(nmRead(bridge, 'netplan-xenbr0').status, 0);
  }
});

testUnless(test, noNetplan, 'Ubuntu 24.04 server, bond-bridge: netplan generate gives networkd the bond of two NICs under the addressed bridge, the third NIC under the back bridge', () => {
  const root = ubuntu3nic();
  const before = generate(root);
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'bond-bridge' });
  const applied = runCli(['apply', '--root', root, '--answers', a, '--yes']);
  assert.is(applied.status, 0, applied.stderr);
  const after = generate(root);
  const bond = after.get('10-netplan-pbond0.netdev') ?? '';
  assert.match(bond, /^Kind=bond$/m);
  assert.match(bond, /^Mode=active-backup$/m);
  assert.match(bond, /^MIIMonitorSec=100ms$/m);
  for (const slave of ['eno1', 'eno3']) assert.match(after.get(`10-netplan-${slave}.network`) ?? '', /^Bond=pbond0$/m, slave);
  assert.match(after.get('10-netplan-pbond0.network') ?? '', /^Bridge=bond0$/m);
  assert.match(after.get('10-netplan-bond0.netdev') ?? '', /^Kind=bridge$/m);
  const addressing = /^(Address|DNS|Gateway|Destination)=/;
  assert.equal(lines(after.get('10-netplan-bond0.network'), addressing), lines(before.get('10-netplan-eno1.network'), addressing));
  assert.match(after.get('10-netplan-eno2.network') ?? '', /^Bridge=xenbr0$/m);
});

testUnless(test, noNetplan, 'Ubuntu 24.04 server, internal-dummy: netplan generate gives networkd a port-less bridge with its address and fixed MAC, up without carrier', () => {
  const root = copyFixture(path.join(MANAGERS, 'ubuntu2404-server/root'));
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'internal-dummy', 'internal.mac': '00:16:3e:12:34:56' });
  const applied = runCli(['apply', '--root', root, '--answers', a, '--yes']);
  assert.is(applied.status, 0, applied.stderr);
  const after = generate(root);
  assert.match(after.get('10-netplan-xenbr1.netdev') ?? '', /^Kind=bridge$/m);
  assert.match(after.get('10-netplan-xenbr1.netdev') ?? '', /^MACAddress=00:16:3e:12:34:56$/m);
  const net = after.get('10-netplan-xenbr1.network') ?? '';
  assert.match(net, /^Address=192\.168\.200\.1\/24$/m);
  assert.match(net, /^ConfigureWithoutCarrier=yes$/m);
  assert.match(after.get('10-netplan-eno1.network') ?? '', /^Bridge=xenbr0$/m);
});

/** The Rocky 9 keyfiles rendered for a given NetworkManager version. */
function rockyRender(version: string) {
  const dir = path.join(MANAGERS, 'rocky9/root');
  const read = (p: string): FileRead | null => (fs.existsSync(path.join(dir, p)) ? { text: fs.readFileSync(path.join(dir, p), 'utf8'), mode: '0600' } : null);
  const nic = '/etc/NetworkManager/system-connections/eno1.nmconnection';
  const r = renderNetworkManager({ name: 'xenbr0', nic: 'eno1', stp: false, forwardDelay: 0, antispoof: true }, {
    read, interfaces: [], linkMac: () => '52:54:00:12:34:56', manager: { files: [nic], version },
  });
  const text = (p: string) => r.files.find((f) => f.path === p)!.after!;
  return { bridge: text('/etc/NetworkManager/system-connections/xenbr0.nmconnection'), port: text(nic) };
}

testUnless(test, noNmcli, 'NetworkManager 1.42 (Debian 12\'s nmcli --offline) reads the keyfiles: a bridge with stp off and eno1\'s addressing, eno1 its port', () => {
  const { bridge, port } = rockyRender('1.42.4-1+deb12u1');
  const b = nmRead(bridge, 'xenbr0');
  assert.is(b.status, 0, b.err);
  assert.match(b.out, /^type=bridge$/m);
  assert.match(b.out, /^interface-name=xenbr0$/m);
  assert.match(b.out, /\[bridge\]\nforward-delay=0\nstp=false/);
  assert.match(b.out, /^address1=192\.168\.1\.20\/24,192\.168\.1\.254$/m);
  assert.match(b.out, /^dns=192\.168\.1\.254;$/m);
  assert.match(b.out, /^cloned-mac-address=52:54:00:12:34:56$/m);
  assert.match(b.out, /\[ipv6\]\naddr-gen-mode=eui64\nmethod=auto/);
  const p = nmRead(port, 'eno1');
  assert.is(p.status, 0, p.err);
  assert.match(p.out, /^master=xenbr0$/m);
  assert.match(p.out, /^slave-type=bridge$/m);
  assert.match(p.out, /^uuid=3b8a1b5e-7c2d-4f0e-9a61-5d4c2e8f1a07$/m, 'the NIC keeps its profile');
  assert.not.match(p.out, /^\[ipv4\]$/m);
});

testUnless(test, noNmcli, 'why the version matters: NetworkManager 1.42 drops the 1.46 port keys (controller=, port-type=) unread — the NIC would join no bridge', () => {
  const { port } = rockyRender('1.46.0-20.el9_4');
  assert.match(port, /^controller=xenbr0$/m);
  const p = nmRead(port, 'eno1');
  assert.is(p.status, 0, p.err);
  assert.not.match(p.out, /xenbr0/);
});

test.run();
