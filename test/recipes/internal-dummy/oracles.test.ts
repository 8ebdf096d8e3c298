// Recipe internal-dummy's files judged by their real readers: kmod parses modprobe.conf and
// resolves dummy0 → dummy with numdummies=1; ifcfg-dummy0 is valid shell as initscripts sources
// it; the wrapper, run by a real sh in a private network namespace, calls network-bridge twice
// with the guide's arguments and turns forwarding off; Xen's libxlutil and libvirt's schema read
// the guests' edited definitions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir, PROJECT } from '../../_helpers/roots.js';
import { GUIDE_ANSWERS, fileOf, guideRoot, planOf } from './roots.js';
import { missingCommand, missingValidator, missingXlu, needsRoot, testUnless } from '../../_helpers/skip.js';

const { plan } = planOf(guideRoot(), GUIDE_ANSWERS);
const write = (name: string, text: string, mode = 0o644) => {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text, { mode });
  return file;
};

testUnless(test, missingCommand('modprobe'), 'kmod reads /etc/modprobe.conf: dummy0 resolves to the dummy module, with numdummies=1', () => {
  const conf = write('modprobe.conf', fileOf(plan, '/etc/modprobe.conf')!.after!);
  // -R resolves the alias only; nothing is loaded (this kernel has no dummy module anyway).
  const resolved = spawnSync('modprobe', ['-R', '-C', conf, 'dummy0'], { encoding: 'utf8' });
  assert.is(resolved.stdout.trim(), 'dummy', resolved.stderr);
  const config = spawnSync('modprobe', ['-C', conf, '--showconfig'], { encoding: 'utf8' }).stdout.split('\n');
  assert.ok(config.includes('options dummy numdummies=1'), config.filter((l) => /dummy/.test(l)).join('\n'));
});

test('ifcfg-dummy0 sourced by sh as initscripts does: every variable as the guide sets it', () => {
  const file = write('ifcfg-dummy0', fileOf(plan, '/etc/sysconfig/network-scripts/ifcfg-dummy0')!.after!);
  const r = spawnSync('sh', ['-c', `. "${file}" && echo "$DEVICE $TYPE $ONBOOT $BOOTPROTO $IPADDR $NETMASK $MACADDR"`], { encoding: 'utf8' });
  assert.is(r.stdout.trim(), 'dummy0 Ethernet yes static 192.168.200.1 255.255.255.0 00:16:3e:6f:5c:17', r.stderr);
});

testUnless(test, needsRoot() ?? missingCommand('unshare'), 'the wrapper run by sh: network-bridge called twice with "$@" first, then ip_forward=0 (in its own netns)', () => {
  const dir = tempDir();
  const log = path.join(dir, 'calls.log');
  fs.writeFileSync(path.join(dir, 'network-bridge-custom'), fileOf(plan, '/etc/xen/scripts/network-bridge-custom')!.after!, { mode: 0o755 });
  // A stand-in for Xen's network-bridge that records its argv, one call a line.
  fs.writeFileSync(path.join(dir, 'network-bridge'), `#!/bin/sh\necho "$*" >> "${log}"\n`, { mode: 0o755 });
  // A private network namespace: the wrapper's echo 0 >/proc/sys/net/ipv4/ip_forward lands there.
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `echo 1 >/proc/sys/net/ipv4/ip_forward && "${dir}/network-bridge-custom" start && cat /proc/sys/net/ipv4/ip_forward`], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), '0', 'forwarding off after the calls');
  assert.equal(fs.readFileSync(log, 'utf8').trim().split('\n'), [
    'start vifnum=0 bridge=xenbr0 netdev=eth0 antispoof=yes',
    'start vifnum=1 bridge=xenbr1 netdev=dummy0 antispoof=yes',
  ]);
});

testUnless(test, missingXlu(), 'Xen\'s libxlutil reads each edited xm file: two vifs, the second on xenbr1', () => {
  for (const guest of ['centos51u', 'centos51u2']) {
    const file = write(guest, fileOf(plan, `/etc/xen/${guest}`)!.after!);
    const r = spawnSync('python3', [path.join(PROJECT, 'test/oracle/xlu.py'), file, 'vif', 'name'], { encoding: 'utf8' });
    const out = JSON.parse(r.stdout) as { ok: boolean; values: { vif: string[]; name: string } };
    assert.ok(out.ok, r.stdout);
    assert.is(out.values.name, guest);
    assert.is(out.values.vif.length, 2);
    assert.match(out.values.vif[1], /^mac=00:16:3e:17:d4:[89]8,bridge=xenbr1$/);
  }
});

testUnless(test, missingValidator(), 'libvirt\'s schema accepts each edited XML dump (virt-xml-validate)', () => {
  for (const guest of ['centos51u', 'centos51u2']) {
    const file = write(`${guest}.xml`, fileOf(plan, `/etc/xen/xml/${guest}.xml`)!.after!);
    const r = spawnSync('virt-xml-validate', [file, 'domain'], { encoding: 'utf8' });
    assert.is(r.status, 0, `${guest}: ${r.stderr}${r.stdout}`);
  }
});

test.run();
