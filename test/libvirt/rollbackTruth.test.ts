// Rollback tells the truth, judged by a real libvirtd: after `apply --live --root R` the printed
// undo command carries --live; the same rollback without --live refuses (exit 2, naming the flag)
// instead of restoring the files, reporting success and leaving libvirt's default stopped;
// --files-only restores the files and leaves the run "files restored", not rolled back; the
// printed command then finishes it. `rollback --list` shows each run's mode and state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { Testbed, GUESTS } from '../testbed/testbed.js';
import { libvirtdAvailable } from '../_helpers/libvirtd.js';
import { fingerprintDiff, tempDir, treeFingerprint, writeJson } from '../_helpers/roots.js';
import { autostartLink, kernelLink, wizardIn } from './realLibvirt.js';
import { skipCheck } from '../_helpers/skip.js';

/** The dom0's files but libvirt's autostart link: `net-autostart` (a live step) owns it, not the file steps. */
const AUTOSTART = 'etc/libvirt/qemu/networks/autostart/default.xml';
const files = (root: string) => {
  const map = treeFingerprint(root, { excludeJournal: true });
  map.delete(AUTOSTART);
  return map;
};

const why = libvirtdAvailable();
if (why) {
  skipCheck(test, 'real libvirtd (rollback truth)', why);
} else {
  const tb = new Testbed({ realLibvirt: true }).start();
  const lv = await tb.startLibvirtd();
  const wizard = wizardIn(tb);
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'single-bridge' });
  const filesBefore = files(tb.root);
  let undo: string[] = [];
  let runId = '';
  const runs = () => (JSON.parse(wizard('rollback', '--root', tb.root, '--list', '--json').stdout) as { runs: { id: string; status: string; mode: string }[] }).runs;
  const applied = () => {
    assert.equal(lv.netList(), { default: 'inactive -' });
    assert.is(kernelLink(tb, 'eno1')?.master, 'xenbr0');
  };

  test('apply --live --root prints an undo command with --live', () => {
    const r = wizard('apply', '--root', tb.root, '--live', '--yes', '--answers', answers, '--lang', 'en');
    assert.is(r.status, 0, r.stderr);
    const line = /^To undo it, run:\n +xen-net-wizard (rollback .*)$/m.exec(r.stdout);
    assert.ok(line, r.stdout);
    undo = line[1].split(' ');
    runId = undo[1];
    assert.equal(undo, ['rollback', runId, '--root', tb.root, '--live']);
    assert.equal(runs().map((x) => [x.id, x.mode, x.status]), [[runId, 'live', 'applied']]);
    applied();
  });

  test('rollback without --live refuses (exit 2, naming --live and --files-only); nothing changes', () => {
    const filesApplied = files(tb.root);
    const r = wizard('rollback', runId, '--root', tb.root, '--lang', 'en');
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`rollback ${runId} --root \\S+ --live`));
    assert.match(r.stderr, /--files-only/);
    assert.equal(fingerprintDiff(filesApplied, files(tb.root)), []);
    assert.is(runs()[0].status, 'applied');
    applied();
  });

  test('--files-only restores the files, leaves libvirt and the kernel as applied, and says the run is not rolled back', () => {
    const r = wizard('rollback', runId, '--root', tb.root, '--files-only', '--lang', 'en');
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stdout, /NOT undone/);
    assert.equal(fingerprintDiff(filesBefore, files(tb.root)), []);
    applied();
    assert.is(autostartLink(tb, 'default'), null, 'still out of autostart: only a live rollback undoes net-autostart --disable');
    assert.equal(runs().map((x) => [x.mode, x.status]), [['live', 'files-restored']]);
    const list = wizard('rollback', '--root', tb.root, '--list', '--lang', 'en').stdout;
    assert.match(list, new RegExp(`^${runId}\\s+live\\s+files restored\\s+single-bridge`, 'm'));
    const again = wizard('rollback', runId, '--root', tb.root, '--files-only', '--lang', 'en');
    assert.is(again.status, 2, 'the files are already restored: only --live is left');
  });

  test('the printed undo command finishes it: libvirt\'s default runs again, eno1 and the guests are back', () => {
    const r = wizard(...undo);
    assert.is(r.status, 0, r.stderr);
    assert.equal(lv.netList(), { default: 'active autostart' });
    assert.is(autostartLink(tb, 'default'), '/etc/libvirt/qemu/networks/default.xml', 're-made by libvirt (absolute; the fixture\'s was relative)');
    assert.is(kernelLink(tb, 'eno1')?.master, null);
    for (const g of GUESTS) assert.is(kernelLink(tb, g.vif)?.master, 'virbr0', g.vif);
    assert.equal(fingerprintDiff(filesBefore, files(tb.root)), []);
    assert.equal(runs().map((x) => [x.mode, x.status]), [['live', 'rolled-back']]);
  });

  test.after(() => tb.down());
}

test.run();
