// The real libvirtd of the tests never touches the machine: it runs in its own network, mount and
// PID namespaces. While it runs a NAT network (a bridge, an address, iptables rules, dnsmasq),
// the machine's own links, iptables rules, /run/libvirt, /var/lib/libvirt, users and mounts are
// exactly as before; its processes die with the test process even when that is SIGKILLed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Libvirtd, libvirtdAvailable } from '../_helpers/libvirtd.js';
import { PROJECT, tempDir } from '../_helpers/roots.js';
import { skipCheck } from '../_helpers/skip.js';

/** What the machine's own namespace shows of networking and libvirt (read-only looks). */
function machine() {
  const out = (argv: string[]) => spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' }).stdout;
  const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const ls = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort().join(',') : '(absent)');
  return {
    links: (JSON.parse(out(['ip', '-json', 'link', 'show'])) as { ifname: string }[]).map((l) => l.ifname).sort(),
    addrs: out(['ip', '-4', '-o', 'address', 'show']).split('\n').map((l) => l.replace(/\s+valid_lft.*/, '')).sort(),
    iptables: out(['iptables-save']).split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/\[\d+:\d+\]/, '')),
    runLibvirt: ls('/run/libvirt'),
    varLibLibvirt: ls('/var/lib/libvirt'),
    passwd: sha('/etc/passwd'),
    group: sha('/etc/group'),
    // Named network namespaces are mount points of /run/netns: the daemon's own, and those of
    // other suites running at the same time, come and go there.
    mounts: out(['findmnt', '-rn', '-o', 'TARGET']).split('\n').filter((m) => !m.startsWith('/run/netns/')).sort(),
  };
}

/** A dom0's /etc/libvirt with libvirt's default NAT network, autostarted. */
function etcLibvirt(): string {
  const dir = path.join(tempDir(), 'etc-libvirt');
  fs.mkdirSync(path.join(dir, 'qemu/networks/autostart'), { recursive: true });
  fs.copyFileSync(path.join(PROJECT, 'demo/root/etc/libvirt/qemu/networks/default.xml'), path.join(dir, 'qemu/networks/default.xml'));
  fs.symlinkSync('/etc/libvirt/qemu/networks/default.xml', path.join(dir, 'qemu/networks/autostart/default.xml'));
  return dir;
}

const why = libvirtdAvailable();
if (why) {
  skipCheck(test, 'real libvirtd (isolation)', why);
} else {
  test('a running libvirtd with a NAT network leaves the machine\'s network and libvirt as they were', async () => {
    const before = machine();
    const lv = await new Libvirtd(etcLibvirt()).start();
    try {
      assert.equal(lv.netList(), { default: 'active autostart' });
      const inside = spawnSync('ip', ['-n', lv.netns, '-4', '-o', 'address', 'show', 'dev', 'virbr0'], { encoding: 'utf8' }).stdout;
      assert.match(inside, /192\.168\.122\.1\/24/, 'virbr0 exists — in the daemon\'s namespace');
      assert.ok(lv.rules().some((l) => l.includes('MASQUERADE')), 'libvirt\'s NAT rules — in the daemon\'s namespace');
      assert.ok(lv.dnsmasq().length > 0, 'dnsmasq runs');
      const own = (ns: string, pid: number | string) => fs.readlinkSync(`/proc/${pid}/ns/${ns}`);
      const daemons = lv.pids().filter((pid) => /^(libvirtd|dnsmasq)$/.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim()));
      assert.ok(daemons.length >= 2, 'libvirtd and dnsmasq');
      for (const pid of daemons) {
        for (const ns of ['net', 'mnt', 'pid']) assert.is.not(own(ns, pid), own(ns, 'self'), `pid ${pid} in its own ${ns} namespace`);
      }
      assert.equal(machine(), before, 'the machine\'s links, addresses, iptables, /run/libvirt, /var/lib/libvirt, users and mounts');
    } finally {
      lv.down();
    }
    assert.equal(spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.includes(lv.netns), false, 'its namespace is removed');
    assert.not.ok(fs.existsSync(lv.dir), 'its directory is removed');
    assert.equal(machine(), before);
  });

  test('SIGKILL of the process that started it takes libvirtd and dnsmasq along', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT, 'test/libvirt/holdDaemon.ts'), etcLibvirt()], { stdio: ['ignore', 'pipe', 'inherit'] });
    const started = await new Promise<{ netns: string; dir: string; pids: number[] }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
      });
      child.once('exit', (code) => reject(new Error(`holdDaemon exited ${code}`)));
    });
    try {
      assert.ok(started.pids.length >= 2, 'libvirtd and dnsmasq');
      child.kill('SIGKILL');
      const until = Date.now() + 15_000;
      const alive = () => started.pids.filter((pid) => fs.existsSync(`/proc/${pid}`));
      while (alive().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      assert.equal(alive(), [], 'every process of the daemon is gone');
    } finally {
      // The killed process could not remove its namespace and directory: done here.
      spawnSync('ip', ['netns', 'del', started.netns]);
      fs.rmSync(started.dir, { recursive: true, force: true });
    }
  });
}

test.run();
