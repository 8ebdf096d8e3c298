// --live runs the commands for real — inside a network namespace made here, with recording
// stand-ins first on PATH for what only a dom0 has (virsh, service, ifup/ifdown); the dom0's own
// scripts under --root (/etc/xen/scripts/…) really run. And --live --root is refused outside one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { copyFixture, runCli, writeJson, tempDir, treeFingerprint, fingerprintDiff, PROJECT } from '../_helpers/roots.js';
import { canUseNetns, missingNetns, Netns, standIns } from '../_helpers/netns.js';
import { skipCheck } from '../_helpers/skip.js';

const wizard = [process.execPath, path.join(PROJECT, 'bin/xen-net-wizard.js')];
const answers = () => writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });

test('--live with a fixture --root is refused in the machine\'s own network namespace (exit 2, nothing changed)', () => {
  const root = copyFixture('centos5');
  const before = treeFingerprint(root);
  const r = runCli(['apply', '--root', root, '--live', '--yes', '--answers', answers()]);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /network namespace/);
  assert.equal(fingerprintDiff(before, treeFingerprint(root)), []);
});

if (!canUseNetns()) {
  skipCheck(test, 'live apply in a network namespace', missingNetns()!);
} else {
  const ns = new Netns('live');
  const env = (bin: string, extra: NodeJS.ProcessEnv = {}) => ({ PATH: `${bin}:${process.env.PATH}`, LANG: 'C', NO_COLOR: '1', ...extra });
  // The guide's network-bridge, standing in for Xen's: records how it was called.
  // The guide's sequence as the stand-ins record it (network-bridge-custom start runs
  // ${dir}/network-bridge "$@" vifnum=0 …, seed 000 line 75), and what rollback runs after a step.
  const XEND_APPLIED = [
    'network-bridge stop',
    'service network restart',
    'network-bridge start vifnum=0 bridge=xenbr0 netdev=eth0 antispoof=yes',
    'virsh define /etc/xen/xml/centos51u.xml',
  ];
  const XEND_UNDONE = [
    'network-bridge stop vifnum=0 bridge=xenbr0 netdev=eth0 antispoof=yes',
    'service network restart',
    'virsh define /etc/xen/xml/centos51u.xml',
    'network-bridge start',
  ];
  // virsh reads the XML it defines from this machine's files: the runner hands it ROOT/…, which the
  // comparisons below strip (replaceAll(root, '')) to the dom0 path of the guide.
  const recordingScript = (root: string, log: string) => {
    fs.writeFileSync(path.join(root, 'etc/xen/scripts/network-bridge'), `#!/bin/sh\necho "network-bridge $*" >> "${log}"\n`, { mode: 0o755 });
  };

  test('xend: the guide\'s sequence runs in order, then rollback undoes it in reverse', () => {
    const root = copyFixture('centos5');
    const tmp = tempDir();
    const { bin, log } = standIns(tmp, ['virsh', 'service']);
    recordingScript(root, log);
    const before = treeFingerprint(root);
    const r = ns.exec([...wizard, 'apply', '--root', root, '--live', '--yes', '--answers', answers()], { env: env(bin) });
    assert.is(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(log, 'utf8').replaceAll(root, '').trim().split('\n'), [...XEND_APPLIED, 'virsh net-destroy default', 'virsh net-autostart default --disable']);
    fs.writeFileSync(log, '');
    const back = ns.exec([...wizard, 'rollback', '--root', root, '--live'], { env: env(bin) });
    assert.is(back.status, 0, back.stderr);
    assert.equal(fs.readFileSync(log, 'utf8').replaceAll(root, '').trim().split('\n'), ['virsh net-autostart default', 'virsh net-info default', 'virsh net-start default', ...XEND_UNDONE]);
    const after = treeFingerprint(root, { excludeJournal: true });
    // The recording script itself was replaced before the fingerprint; compare everything else.
    assert.equal(fingerprintDiff(before, after), []);
  });

  test('a command that fails mid-apply rolls back files and the commands that ran (exit 1)', () => {
    const root = copyFixture('centos5');
    const tmp = tempDir();
    const { bin, log } = standIns(tmp, ['virsh', 'service']);
    recordingScript(root, log);
    const before = treeFingerprint(root);
    const r = ns.exec([...wizard, 'apply', '--root', root, '--live', '--yes', '--answers', answers()], {
      env: env(bin, { XNW_STANDIN_FAIL: 'virsh net-destroy default' }),
    });
    assert.is(r.status, 1, r.stderr);
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
    // net-destroy failed: nothing after it ran, and rollback undoes what did.
    assert.equal(fs.readFileSync(log, 'utf8').replaceAll(root, '').trim().split('\n'), [...XEND_APPLIED, 'virsh net-destroy default', ...XEND_UNDONE]);
  });

  test.after(() => ns.remove());
}

test.run();
