// What an admin sees when a rollback cannot finish (exit 4): the error names each file and command
// that failed, lists what was restored, and prints the shell lines that finish the job by hand —
// `install` with the original's mode and owner, `ln -sfn`, `rm -f` then `rmdir` of the directories
// the run made — which, run as printed, leave the tree as before the run. And the paths around it:
// a full disk (the original goes back in place when the temp file has no room), a journal that
// cannot save its state, a failing undo with its input, libvirt and xenstore asked first, a
// files-only rollback finished later. In-process: the disk faults come through the write-point seam
// (src/system/diskFault.ts), the commands through a stub runner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fingerprintDiff, tempDir, treeFingerprint } from '../_helpers/roots.js';
import { testUnless } from '../_helpers/skip.js';
import { applyAll, command, dom0, edit, planOf, recorder } from '../_helpers/plans.js';
import { configureWritePoints } from '../../src/system/diskFault.js';
import { rollbackFailure, rollbackRun, type RollbackReport } from '../../src/exec/rollback.js';
import { Journal } from '../../src/exec/journal.js';
import { runsDir } from '../../src/exec/apply.js';
import { bootStartMs, currentBootId } from '../../src/system/processAlive.js';
import { EXIT, RollbackError } from '../../src/errors.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { Step } from '../../src/model/plan.js';

const ORIGINAL = 'auto eth0\niface eth0 inet dhcp\n';
const IFACES = '/etc/network/interfaces';
const HOOK = '/etc/new dir/deep/hook';
const LINK = '/etc/autostart/default.xml';

/** Removes a symlink to ../default.xml (as `virsh net-autostart --disable` offline does). */
const unlink = (p: string): Step => ({ ...edit(p, null, null), file: { path: p, mode: '0777', before: null, after: null, linkTarget: '../default.xml' } });

/**
 * A dom0 with interfaces (0640, owned 1234:5678 when root can say so) and an autostart link; the
 * run edits interfaces, removes the link and creates a hook in two new directories (one with a
 * blank in its name, so the printed lines must quote).
 */
async function appliedRun() {
  const { root, fs: fs_ } = dom0();
  if (process.getuid?.() === 0) fs.chownSync(path.join(root, 'etc/network/interfaces'), 1234, 5678);
  fs.mkdirSync(path.join(root, 'etc/autostart'));
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  const before = treeFingerprint(root);
  const plan = planOf([edit(IFACES, ORIGINAL, 'auto xenbr0\n'), unlink(LINK), edit(HOOK, null, '#!/bin/sh\n', '0755')]);
  const { journal } = await applyAll(plan, fs_, recorder());
  return { root, fs: fs_, journal, before };
}

/** Runs `body` with XNW_DISK_FAULT / XNW_WRITE_POINTS as given; the write points it met, in order. */
async function withWritePoints<T>(env: Record<string, string>, body: () => Promise<T>): Promise<{ result: T; points: string[] }> {
  const trace = path.join(tempDir(), 'points');
  configureWritePoints({ ...env, XNW_WRITE_POINTS: trace });
  try {
    const result = await body();
    const points = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').trim().split('\n') : [];
    return { result, points };
  } finally {
    configureWritePoints({});
  }
}

/** The write point (its number) at which the rollback of a fresh appliedRun() writes `file`. */
async function pointOf(kind: string, file: string): Promise<number> {
  const { root, fs: fs_, journal } = await appliedRun();
  const { points } = await withWritePoints({}, () => rollbackRun(journal, fs_, recorder()));
  const line = points.find((p) => p.endsWith(` ${kind} ${path.join(root, file)}`));
  assert.ok(line, points.join('\n'));
  return Number(line!.split(' ')[0]);
}

const stateOnDisk = (journal: Journal) => Journal.open(path.dirname(journal.dir), journal.state.id)!.state;

test('the disk gone read-only for good: exit 4 with every file named, the exact lines to finish by hand, and they do finish it', async () => {
  const { root, fs: fs_, journal, before } = await appliedRun();
  const { uid, gid } = fs.statSync(path.join(root, 'etc/network/interfaces'));
  const { result: report } = await withWritePoints({ XNW_DISK_FAULT: '0+:EROFS' }, () => rollbackRun(journal, fs_, recorder()));
  // Newest first: the hook, the link, the edited file.
  assert.equal(report.errors.map((e) => e.split(': ')[0]), [HOOK, LINK, IFACES]);
  assert.ok(report.errors.every((e) => /EROFS/.test(e)), report.errors.join('\n'));
  assert.equal(report.restored, []);
  assert.equal(report.removed, []);
  const hook = path.join(root, 'etc/new dir/deep/hook');
  assert.equal(report.byHand, [
    `rm -f -- '${hook}'`,
    `rmdir --ignore-fail-on-non-empty -- '${path.join(root, 'etc/new dir/deep')}'`,
    `rmdir --ignore-fail-on-non-empty -- '${path.join(root, 'etc/new dir')}'`,
    `ln -sfn -- ../default.xml ${path.join(root, LINK)}`,
    `install -m 0640 -o ${uid} -g ${gid} -- ${path.join(journal.dir, 'files', '0-interfaces')} ${path.join(root, IFACES)}`,
  ]);
  // The journal could not say "rolling back" nor "failed": both told, the state on disk as it was.
  const stateFile = path.join(journal.dir, 'state.json');
  assert.is(report.journalErrors.length, 2, report.journalErrors.join('\n'));
  assert.ok(report.journalErrors.every((e) => e.startsWith(`${stateFile}: `) && /EROFS/.test(e)), report.journalErrors.join('\n'));
  assert.is(stateOnDisk(journal).status, 'applied');

  const err = rollbackFailure(journal, report);
  assert.instance(err, RollbackError);
  assert.is(err.exitCode, EXIT.rollbackFailed);
  assert.is(err.exitCode, 4);
  assert.is(err.key, 'error.rollbackFailedByHand');
  assert.equal(err.params, { journal: journal.dir, detail: report.errors.join('; '), done: '-', commands: report.byHand.map((c) => `  ${c}`).join('\n') });

  // The disk writable again, the printed lines (as root, in order) finish the rollback.
  const sh = spawnSync('sh', ['-e', '-c', report.byHand.join('\n')], { encoding: 'utf8' });
  assert.is(sh.status, 0, sh.stderr);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
});

test('one file that fails (an I/O error) is the only one left by hand; the others are restored and said done', async () => {
  const at = await pointOf('write', IFACES);
  const { root, fs: fs_, journal } = await appliedRun();
  const { uid, gid } = fs.statSync(path.join(root, 'etc/network/interfaces'));
  const { result: report, points } = await withWritePoints({ XNW_DISK_FAULT: `${at}:EIO` }, () => rollbackRun(journal, fs_, recorder()));
  assert.equal(report.restored, [LINK]);
  assert.equal(report.removed, [HOOK]);
  assert.is(report.errors.length, 1);
  assert.match(report.errors[0], /^\/etc\/network\/interfaces: EIO/);
  assert.not.ok(points.some((p) => p.includes(' in-place ')), 'an I/O error is not a full disk: no write in place');
  assert.equal(report.byHand, [`install -m 0640 -o ${uid} -g ${gid} -- ${path.join(journal.dir, 'files', '0-interfaces')} ${path.join(root, IFACES)}`]);
  assert.equal(report.journalErrors, []);
  const state = stateOnDisk(journal);
  assert.is(state.status, 'rollback-failed');
  assert.is(state.error, report.errors[0]);
  assert.equal(rollbackFailure(journal, report).params.done, `${LINK}, ${HOOK}`);
  assert.is(fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8'), 'auto xenbr0\n', 'left as the run wrote it');
});

test('a full disk: no room for the temp file, the original goes back in place with its mode and owner', async () => {
  const at = await pointOf('write', IFACES);
  const { root, fs: fs_, journal, before } = await appliedRun();
  const { result: report, points } = await withWritePoints({ XNW_DISK_FAULT: `${at}:ENOSPC` }, () => rollbackRun(journal, fs_, recorder()));
  assert.equal(report.errors, []);
  assert.equal(report.restored, [LINK, IFACES]);
  assert.ok(points.includes(`${at + 1} in-place ${path.join(root, IFACES)}`), points.join('\n'));
  // Each change of a config is a write point of its own kind (what XNW_DISK_FAULT counts).
  const configs = points.map((p) => p.replace(/^\d+ /, '')).filter((p) => !p.includes('/var/lib/'));
  assert.equal(configs, [`remove ${path.join(root, HOOK)}`, `link ${path.join(root, LINK)}`, `write ${path.join(root, IFACES)}`, `in-place ${path.join(root, IFACES)}`]);
  assert.is(fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8'), ORIGINAL);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], 'mode 0640 and owner back too');
  assert.is(stateOnDisk(journal).status, 'rolled-back');
  // Quota is out of space too; when the file's own blocks cannot take it either, it is left by hand.
  const again = await appliedRun();
  const { result: stuck } = await withWritePoints({ XNW_DISK_FAULT: `${at}+:EDQUOT` }, () => rollbackRun(again.journal, again.fs, recorder()));
  assert.equal(stuck.errors.map((e) => e.split(': ')[0]), [IFACES]);
  assert.ok(stuck.byHand[0]!.startsWith('install -m 0640 '), stuck.byHand.join('\n'));
});

/** A live runner that answers by command line; everything else exits 0. */
function stub(answers: Record<string, { exitCode: number; stderr?: string; stdout?: string } | Error>) {
  const calls: { argv: string; input?: string }[] = [];
  const runner: CommandRunner = {
    live: true,
    async run(argv, input) {
      calls.push({ argv: argv.join(' '), input });
      const a = answers[argv.join(' ')];
      if (a instanceof Error) throw a;
      return { exitCode: a?.exitCode ?? 0, stdout: a?.stdout ?? '', stderr: a?.stderr ?? '' };
    },
  };
  return { runner, calls };
}

async function commandsRun(steps: Step[]) {
  const { fs: fs_ } = dom0();
  const { journal } = await applyAll(planOf(steps), fs_, recorder());
  return { fs: fs_, journal };
}

test('a failing undo: its exit and stderr in the error; the by-hand line is the command, with its input as a here-document', async () => {
  const undoInput = 'link set dev eth0 nomaster\nlink del xenbr0\n';
  const { fs: fs_, journal } = await commandsRun([
    command(['ip', '-batch', '-'], 'before-edit', { input: 'link add name xenbr0 type bridge\n', undo: ['ip', '-batch', '-'], undoInput }),
    command(['brctl', 'addbr', 'xenbr0'], 'before-edit', { undo: ['brctl', 'delbr', 'xenbr0'] }),
    command(['xl', 'network-attach', 'guest one', 'bridge=xenbr0'], 'after-edit', { undo: ['xl', 'network-detach', 'guest one', '0'] }),
  ]);
  const { runner } = stub({
    'ip -json link show': { exitCode: 0, stdout: JSON.stringify([{ ifname: 'eth0' }, { ifname: 'xenbr0' }]) },
    'ip -batch -': { exitCode: 2, stderr: 'RTNETLINK answers: Operation not permitted\n\n' },
    "xl network-detach guest one 0": { exitCode: 1, stderr: 'libxl: error: no such domain\n' },
    'brctl delbr xenbr0': new Error('spawn brctl ENOENT'),
  });
  const report = await rollbackRun(journal, fs_, runner);
  // A command that cannot even start (no such binary) is an error too, and the rest still runs.
  assert.equal(report.errors, [
    'xl network-detach guest one 0: exit 1 libxl: error: no such domain',
    'brctl delbr xenbr0: spawn brctl ENOENT',
    'ip -batch -: exit 2 RTNETLINK answers: Operation not permitted',
  ]);
  assert.equal(report.byHand, [
    "xl network-detach 'guest one' 0",
    'brctl delbr xenbr0',
    "ip -batch - <<'EOF'\nlink set dev eth0 nomaster\nlink del xenbr0\nEOF",
  ]);
  const err = rollbackFailure(journal, report);
  assert.is(err.params.commands, "  xl network-detach 'guest one' 0\n  brctl delbr xenbr0\n  ip -batch - <<'EOF'\nlink set dev eth0 nomaster\nlink del xenbr0\nEOF");
  assert.is(err.params.done, '-');
  assert.is(err.params.detail, report.errors.join('; '));
  assert.is(stateOnDisk(journal).error, report.errors.join('\n'));
});

test('an undo with input whose command cannot start (no binary): printed with its here-document, not waiting on the terminal', async () => {
  const { fs: fs_, journal } = await commandsRun([
    command(['virsh', 'net-destroy', 'default'], 'before-edit', { undo: ['virsh', 'net-define', '/dev/stdin'], undoInput: "<network>\n  <name>default</name>\n</network>\n" }),
  ]);
  const { runner } = stub({ 'virsh net-define /dev/stdin': new Error('spawn virsh ENOENT') });
  const report = await rollbackRun(journal, fs_, runner);
  assert.equal(report.errors, ['virsh net-define /dev/stdin: spawn virsh ENOENT']);
  assert.equal(report.byHand, ["virsh net-define /dev/stdin <<'EOF'\n<network>\n  <name>default</name>\n</network>\nEOF"]);
});

test('`ip link show` that lists no links: every link of the undo is gone, only its other lines run', async () => {
  const undoInput = 'link set dev vif1.0 nomaster\nlink del xenbr0\naddr add 192.0.2.1/24 dev eth0\n';
  const { fs: fs_, journal } = await commandsRun([command(['ip', '-batch', '-'], 'after-edit', { input: 'x\n', undo: ['ip', '-batch', '-'], undoInput })]);
  const { runner, calls } = stub({ 'ip -json link show': { exitCode: 0, stdout: '' } });
  const events: string[] = [];
  const report = await rollbackRun(journal, fs_, runner, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.equal(calls.map((c) => c.argv), ['ip -json link show', 'ip -batch -']);
  assert.is(calls[1]!.input, 'addr add 192.0.2.1/24 dev eth0\n');
  assert.equal(events, ['run ip -batch -', 'gone vif1.0', 'gone xenbr0']);
});

test('libvirt and xenstore asked first: when they cannot answer, the undo runs as recorded', async () => {
  const steps = [
    command(['virsh', 'net-destroy', 'default'], 'before-edit', { undo: ['virsh', 'net-start', 'default'] }),
    command(['xenstore-write', '/local/domain/0/backend/vif/3/0/bridge', 'xenbr0'], 'after-edit', { undo: ['xenstore-write', '/local/domain/0/backend/vif/3/0/bridge', 'virbr0'] }),
  ];
  const asked = ['xenstore-exists /local/domain/0/backend/vif/3/0', 'xenstore-write /local/domain/0/backend/vif/3/0/bridge virbr0', 'virsh net-info default', 'virsh net-start default'];
  const cases: Record<string, Record<string, { exitCode: number; stdout?: string } | Error>> = {
    'both fail': { 'virsh net-info default': { exitCode: 1 }, 'xenstore-exists /local/domain/0/backend/vif/3/0': new Error('spawn xenstore-exists ENOENT') },
    'net-info throws, the domain is there': { 'virsh net-info default': new Error('spawn virsh ENOENT') },
    'net-info without an Active line': { 'virsh net-info default': { exitCode: 0, stdout: 'Name: default\n' } },
    // A zero exit with the other state: the network is not running, so net-start has work to do.
    'inactive': { 'virsh net-info default': { exitCode: 0, stdout: 'Active:         no\n' } },
  };
  for (const [name, answers] of Object.entries(cases)) {
    const { fs: fs_, journal } = await commandsRun(steps);
    const { runner, calls } = stub(answers);
    const events: string[] = [];
    const report = await rollbackRun(journal, fs_, runner, (e) => events.push(e.kind));
    assert.equal(report.errors, [], name);
    assert.equal(calls.map((c) => c.argv), asked, name);
    assert.equal(events, ['run', 'run'], name);
  }
  // A net-info that says "already so" while exiting non-zero is not believed either.
  const { fs: fs_, journal } = await commandsRun(steps);
  const { runner, calls } = stub({ 'virsh net-info default': { exitCode: 1, stdout: 'Active: yes\n' } });
  await rollbackRun(journal, fs_, runner);
  assert.ok(calls.some((c) => c.argv === 'virsh net-start default'), calls.map((c) => c.argv).join('\n'));
});

test('a reloader re-run on rollback gets its input again (virsh define from stdin)', async () => {
  const xml = '<network><name>default</name></network>\n';
  const { fs: fs_, journal } = await commandsRun([command(['virsh', 'net-define', '/dev/stdin'], 'after-edit', { input: xml, rerunOnRollback: true })]);
  const { runner, calls } = stub({});
  const report = await rollbackRun(journal, fs_, runner);
  assert.equal(calls, [{ argv: 'virsh net-define /dev/stdin', input: xml }]);
  assert.equal(report.commands, [['virsh', 'net-define', '/dev/stdin']]);
});

test('a files-only rollback (listing runner) of a live run leaves it files-restored; --live later undoes the commands and not the files again', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n'), command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })]);
  const { journal } = await applyAll(plan, fs_, recorder());
  const listing = { ...recorder(), live: false };
  const first = await rollbackRun(journal, fs_, listing);
  assert.equal(first.errors, []);
  assert.equal(first.restored, ['/etc/xen-guest.cfg']);
  assert.equal(first.commands, [['ifdown', 'xenbr0']]);
  assert.equal(listing.calls, []);
  assert.is(stateOnDisk(journal).status, 'files-restored');
  // Edited again by hand meanwhile: the live rollback does not put the file back a second time.
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), 'mine\n');
  const live = recorder();
  const events: string[] = [];
  const second = await rollbackRun(Journal.open(runsDir(fs_), journal.state.id)!, fs_, live, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(second.restored, []);
  assert.equal(live.calls, ['ifdown xenbr0']);
  assert.equal(events, ['run ifdown xenbr0']);
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), 'mine\n');
  assert.is(stateOnDisk(journal).status, 'rolled-back');
  assert.is(stateOnDisk(journal).error, null);
});

const hasProc = currentBootId() !== null && bootStartMs() !== null;
testUnless(test, hasProc ? null : 'no /proc/sys/kernel/random/boot_id here', 'after a reboot, a listing runner still lists every undo (it runs nothing, the admin decides)', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([
    command(['ip', 'link', 'set', 'eth0', 'up'], 'before-edit', { undo: ['ip', 'link', 'set', 'eth0', 'down'] }),
    command(['chkconfig', 'xendomains', 'on'], 'after-edit', { undo: ['chkconfig', 'xendomains', 'off'] }),
  ]);
  const { journal } = await applyAll(plan, fs_, recorder());
  journal.state.bootId = '00000000-0000-0000-0000-000000000000';
  const listing = { ...recorder(), live: false };
  const report: RollbackReport = await rollbackRun(journal, fs_, listing);
  assert.equal(report.afterReboot, { filesChanged: false });
  assert.equal(report.commands, [['chkconfig', 'xendomains', 'off'], ['ip', 'link', 'set', 'eth0', 'down']]);
  assert.equal(listing.calls, []);
});

test.run();
