// apply → rollback in-process on a hand-made plan, so each rule of the executor is seen alone: a plan
// whose FIRST step is a file write (every recipe's plan starts with a command), the commands undone
// around the restore in the guide's order, the journal's files and states.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { needsRoot, testUnless } from '../_helpers/skip.js';
import { tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { configureWritePoints } from '../../src/system/diskFault.js';
import { applyAll, command, dom0, edit, planOf, recorder } from '../_helpers/plans.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { Step } from '../../src/model/plan.js';
import { ApplySession, StepFailure, runsDir } from '../../src/exec/apply.js';
import { currentBootId } from '../../src/system/processAlive.js';
import { rollbackRun, runnerFor } from '../../src/exec/rollback.js';
import { Journal, newRunId } from '../../src/exec/journal.js';

test('a plan that starts with a file write: rollback restores that first file too, byte for byte with its mode', async () => {
  const { root, fs: fs_ } = dom0();
  const before = treeFingerprint(root);
  const plan = planOf([
    edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\niface xenbr0 inet dhcp\n    bridge_ports eth0\n'),
    edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"),
    edit('/etc/new/dir/hook', null, '#!/bin/sh\n', '0755'),
  ]);
  const session = await applyAll(plan, fs_, recorder());
  assert.is(fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8'), plan.steps[0].file!.after);
  assert.is((fs.statSync(path.join(root, 'etc/new/dir/hook')).mode & 0o777).toString(8), '755');
  assert.equal(session.journal.state.done.map((d) => d.id), plan.steps.map((s) => s.id), 'journal in plan order');
  const report = await rollbackRun(Journal.open(runsDir(fs_), session.journal.state.id)!, fs_, recorder());
  assert.equal(report.errors, []);
  assert.equal(report.restored, ['/etc/xen-guest.cfg', '/etc/network/interfaces'], 'restored last-written first');
  assert.equal(report.removed, ['/etc/new/dir/hook']);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], 'the created directories go too');
  assert.is(Journal.open(runsDir(fs_), session.journal.state.id)!.state.status, 'rolled-back');
});

test('rollback runs the undo of after-edit commands (newest first), restores, re-runs the reloaders, then undoes before-edit ones', async () => {
  const { root, fs: fs_ } = dom0();
  const before = treeFingerprint(root);
  const plan = planOf([
    command(['ifdown', 'eth0'], 'before-edit', { undo: ['ifup', 'eth0'] }),
    command(['virsh', 'net-destroy', 'default'], 'before-edit', { undo: ['virsh', 'net-start', 'default'] }),
    edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\n'),
    command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] }),
    command(['virsh', 'define', '/etc/x.xml'], 'after-edit', { rerunOnRollback: true }),
    command(['service', 'xend', 'restart'], 'finally', { undo: ['service', 'xend', 'stop'] }),
  ]);
  const applied = recorder();
  const session = await applyAll(plan, fs_, applied);
  assert.equal(applied.calls, ['ifdown eth0', 'virsh net-destroy default', 'ifup xenbr0', 'virsh define /etc/x.xml', 'service xend restart']);
  const undo = recorder();
  const report = await rollbackRun(session.journal, fs_, undo);
  assert.equal(report.errors, []);
  assert.equal(undo.calls, ['service xend stop', 'ifdown xenbr0', 'virsh define /etc/x.xml', 'virsh net-info default', 'virsh net-start default', 'ifup eth0']);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
});

test('an offline run undoes nothing by running: its commands were only listed, and rollback lists their undo', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"), command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })]);
  const offline = { ...recorder(), live: false };
  const session = await applyAll(plan, fs_, offline);
  assert.equal(session.journal.state.done.map((d) => d.how), ['written', 'listed']);
  const runner = recorder();
  const report = await rollbackRun(session.journal, fs_, { ...runner, live: false });
  assert.equal(runner.calls, []);
  assert.equal(report.commands, [], 'a listed command never ran: nothing to undo');
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), "vif = [ 'bridge=virbr0' ]\n");
});

test('a command that fails stops the run with the step named; what was done is in the journal for rollback', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n'), command(['ifup', 'xenbr0'], 'after-edit')]);
  const session = ApplySession.begin(plan, { fs: fs_, runner: recorder('ifup xenbr0') });
  await session.runStep(plan.steps[0], 0);
  try {
    await session.runStep(plan.steps[1], 1);
    assert.unreachable('the failing command throws');
  } catch (err) {
    assert.instance(err, StepFailure);
    assert.match((err as StepFailure).message, /^run:ifup-xenbr0: exit 1: boom$/);
  }
  assert.equal(session.journal.state.done.map((d) => d.id), ['edit:/etc/xen-guest.cfg']);
  session.release();
});

test('a file changed between plan and apply is refused, not overwritten', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', 'what the plan saw\n', 'new\n')]);
  const session = ApplySession.begin(plan, { fs: fs_, runner: recorder() });
  try {
    await session.runStep(plan.steps[0], 0);
    assert.unreachable('refused');
  } catch (err) {
    assert.match((err as Error).message, /file changed since the plan was made: \/etc\/xen-guest\.cfg/);
  }
  session.release();
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), "vif = [ 'bridge=virbr0' ]\n");
});

test('the journal: a private run directory named by time, the plan, and a state that says what happened when', async () => {
  assert.match(newRunId(new Date('2026-03-04T05:06:07Z')), /^20260304-050607-[0-9a-f]{4}$/);
  const { root, fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n')]);
  const session = ApplySession.begin(plan, { fs: fs_, runner: recorder() });
  const j = session.journal;
  assert.is(path.dirname(j.dir), path.join(root, 'var/lib/xen-net-wizard/runs'));
  for (const d of [path.dirname(j.dir), j.dir, path.join(j.dir, 'files')]) assert.is((fs.statSync(d).mode & 0o777).toString(8), '700', d);
  assert.equal(JSON.parse(fs.readFileSync(path.join(j.dir, 'plan.json'), 'utf8')), plan);
  assert.equal(j.plan(), plan);
  const state = () => JSON.parse(fs.readFileSync(path.join(j.dir, 'state.json'), 'utf8'));
  assert.equal({ ...state(), started: null }, { id: j.state.id, recipe: 'single-bridge', root, live: true, pid: process.pid, bootId: currentBootId(), started: null, finished: null, status: 'applying', done: [], error: null });
  assert.ok(Date.parse(state().started) <= Date.now());
  await session.runStep(plan.steps[0], 0);
  const entry = state().done[0];
  assert.equal({ ...entry, file: { ...entry.file, uid: 0, gid: 0 } }, {
    id: 'edit:/etc/xen-guest.cfg', how: 'written',
    file: { path: '/etc/xen-guest.cfg', existed: true, saved: '0-xen-guest.cfg', mode: 0o644, uid: 0, gid: 0, linkTarget: null, createdDirs: [], afterSha256: createHash('sha256').update('x\n').digest('hex') },
  });
  assert.is((fs.statSync(path.join(j.dir, 'files', '0-xen-guest.cfg')).mode & 0o777).toString(8), '600');
  assert.is(fs.readFileSync(path.join(j.dir, 'files', '0-xen-guest.cfg'), 'utf8'), "vif = [ 'bridge=virbr0' ]\n");
  session.finish();
  assert.is(state().status, 'applied');
  assert.ok(state().finished, 'finished is set once applied');
  assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard/lock')), 'finish releases the lock');
  j.setStatus('confirming');
  j.setStatus('failed', 'it broke');
  assert.is(state().error, 'it broke');
  j.setStatus('rolling-back');
  assert.is(state().error, 'it broke', 'a status without an error keeps the last one');
  assert.equal(Journal.list(runsDir(fs_)).map((r) => r.state.id), [j.state.id]);
  assert.is(Journal.open(runsDir(fs_), 'no-such-run'), null);
  assert.equal(Journal.list(path.join(root, 'nowhere')), []);
});

test('runs are listed oldest first, by start time and then id; a directory without a state is not a run', () => {
  const runs = runsDir(dom0().fs);
  const make = (id: string, started: string) => {
    fs.mkdirSync(path.join(runs, id), { recursive: true });
    fs.writeFileSync(path.join(runs, id, 'state.json'), JSON.stringify({ id, started, done: [] }));
  };
  make('20260101-000000-bbbb', '2026-01-01T00:00:00.000Z');
  make('20260101-000000-aaaa', '2026-01-01T00:00:00.000Z');
  make('20251231-235959-ffff', '2026-01-01T00:00:01.000Z');
  fs.mkdirSync(path.join(runs, 'junk'));
  assert.equal(Journal.list(runs).map((j) => j.state.id), ['20260101-000000-aaaa', '20260101-000000-bbbb', '20251231-235959-ffff']);
});

test('test hooks and offline effects: XNW_FAIL_AT by index or id, an offline command\'s file effect, a link made and a file removed — all undone', async () => {
  const { root, fs: fs_ } = dom0();
  fs.mkdirSync(path.join(root, 'etc/autostart'));
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  const before = treeFingerprint(root);
  const plan = planOf([
    { ...edit('/etc/autostart/default.xml', null, null), file: { path: '/etc/autostart/default.xml', mode: '0777', before: null, after: null, linkTarget: '../default.xml' } },
    { ...edit('/etc/autostart/net1.xml', null, null), file: { path: '/etc/autostart/net1.xml', mode: '0777', before: null, after: null, createLink: '../net1.xml' } },
    command(['virsh', 'net-autostart', 'x', '--disable'], 'after-edit', { offline: { path: '/etc/xen-guest.cfg', mode: '0644', before: "vif = [ 'bridge=virbr0' ]\n", after: null } }),
  ]);
  for (const failAt of ['1', 'edit:/etc/autostart/net1.xml']) {
    const s = ApplySession.begin(plan, { fs: fs_, runner: { ...recorder(), live: false }, failAt });
    await s.runStep(plan.steps[0], 0);
    try {
      await s.runStep(plan.steps[1], 1);
      assert.unreachable('injected');
    } catch (err) {
      assert.is((err as StepFailure).detail, 'injected failure (XNW_FAIL_AT)');
      assert.is((err as StepFailure).step, plan.steps[1]);
    }
    await rollbackRun(s.journal, fs_, { ...recorder(), live: false });
    s.release();
    assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), [], `failAt ${failAt}`);
  }
  const session = await applyAll(plan, fs_, { ...recorder(), live: false });
  assert.not.ok(fs.existsSync(path.join(root, 'etc/autostart/default.xml')));
  assert.is(fs.readlinkSync(path.join(root, 'etc/autostart/net1.xml')), '../net1.xml');
  assert.not.ok(fs.existsSync(path.join(root, 'etc/xen-guest.cfg')), 'the offline effect of the listed command');
  assert.equal(session.journal.state.done.map((d) => d.how), ['written', 'written', 'listed']);
  assert.is(session.journal.state.done[0].file!.linkTarget, '../default.xml');
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, { ...recorder(), live: false }, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(events, ['restore /etc/xen-guest.cfg', 'remove /etc/autostart/net1.xml', 'restore /etc/autostart/default.xml']);
  assert.equal(report.errors, []);
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
});

test('rollback of a live batch: a vif that is gone is left out of the undo (and reported), a failing undo is an error in the report', async () => {
  const { fs: fs_ } = dom0();
  const undoInput = 'link set dev vif1.0 master virbr0\nlink set dev vif2.0 nomaster\nlink set dev eth0 nomaster\nlink del xenbr0\n';
  const plan = planOf([
    command(['ip', '-batch', '-'], 'after-edit', { input: 'link add name xenbr0 type bridge\n', undo: ['ip', '-batch', '-'], undoInput }),
    command(['systemctl', 'restart', 'xendomains'], 'finally', { undo: ['systemctl', 'stop', 'xendomains'] }),
  ]);
  const session = await applyAll(plan, fs_, recorder());
  const inputs: (string | undefined)[] = [];
  const calls: string[] = [];
  const runner: CommandRunner = {
    live: true,
    async run(argv, input) {
      calls.push(argv.join(' '));
      inputs.push(input);
      if (argv.join(' ') === 'ip -json link show') return { exitCode: 0, stdout: JSON.stringify([{ ifname: 'eth0' }, { ifname: 'xenbr0' }, { ifname: 'vif2.0' }]), stderr: '' };
      if (argv[0] === 'systemctl') return { exitCode: 5, stdout: '', stderr: 'unit not found\n' };
      return { exitCode: 0, stdout: '', stderr: '' };
    },
  };
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, runner, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(calls, ['systemctl stop xendomains', 'ip -json link show', 'ip -batch -']);
  assert.is(inputs[2], 'link set dev vif2.0 nomaster\nlink set dev eth0 nomaster\nlink del xenbr0\n');
  assert.equal(events, ['run systemctl stop xendomains', 'run ip -batch -', 'gone vif1.0']);
  assert.equal(report.errors, ['systemctl stop xendomains: exit 5 unit not found']);
  assert.equal(report.commands, [['systemctl', 'stop', 'xendomains'], ['ip', '-batch', '-']]);
  const state = Journal.open(runsDir(fs_), session.journal.state.id)!.state;
  assert.is(state.status, 'rollback-failed');
  assert.is(state.error, 'systemctl stop xendomains: exit 5 unit not found');
  // A runner that throws (no such binary) is an error too, and the rest still runs.
  const thrower: CommandRunner = { live: true, async run() { throw new Error('spawn ip ENOENT'); } };
  const again = await rollbackRun(session.journal, fs_, thrower);
  assert.equal(again.errors, ['systemctl stop xendomains: spawn ip ENOENT', 'ip -batch -: spawn ip ENOENT']);
});

test('an offline journal is undone by listing even when a live runner is at hand (runnerFor)', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })]);
  const offline = await applyAll(plan, fs_, { ...recorder(), live: false });
  const live = recorder();
  assert.is(runnerFor(offline.journal, live).live, false);
  const liveRun = await applyAll(plan, fs_, recorder());
  assert.is(runnerFor(liveRun.journal, live), live);
});

test('a journal that cannot be made leaves no lock behind; a stale lock is reported through onStaleLock', () => {
  const { root, fs: fs_ } = dom0();
  fs.mkdirSync(path.join(root, 'var/lib/xen-net-wizard'), { recursive: true });
  fs.writeFileSync(path.join(root, 'var/lib/xen-net-wizard/runs'), 'not a directory\n');
  assert.throws(() => ApplySession.begin(planOf([]), { fs: fs_, runner: recorder() }));
  assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard/lock')));
  fs.rmSync(path.join(root, 'var/lib/xen-net-wizard/runs'));
  fs.writeFileSync(path.join(root, 'var/lib/xen-net-wizard/lock'), '999999\n');
  const stale: number[] = [];
  const s = ApplySession.begin(planOf([]), { fs: fs_, runner: recorder(), onStaleLock: (pid) => stale.push(pid) });
  assert.equal(stale, [999999]);
  s.release();
  assert.not.ok(fs.existsSync(path.join(root, 'var/lib/xen-net-wizard/lock')));
});

test('a journal that cannot be written whole (a full disk at its plan or its directory) is removed whole, the disk\'s error told; its directories and files are write points of their own', () => {
  const { fs: fs_ } = dom0();
  const runs = runsDir(fs_);
  const trace = path.join(tempDir(), 'points');
  const points = () => fs.readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
  try {
    configureWritePoints({ XNW_WRITE_POINTS: trace });
    const j = Journal.create(runs, planOf([]), fs_.root, true);
    assert.equal(points(), [`mkdir ${runs}`, `mkdir ${j.dir}`, `mkdir ${j.dir}/files`, `write ${j.dir}/plan.json`, `write ${j.dir}/state.json`]);
    fs.rmSync(runs, { recursive: true });
    // At its plan (files/ made already), and at its own directory (nothing made yet): the disk's error is told.
    for (const at of [3, 1]) {
      configureWritePoints({ XNW_DISK_FAULT: `${at}:ENOSPC` });
      assert.throws(() => Journal.create(runs, planOf([]), fs_.root, true), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOSPC', String(at));
      assert.equal(fs.readdirSync(runs), [], 'no half journal (its files/ directory included)');
    }
  } finally {
    configureWritePoints({});
  }
});

test('journal files are 0600; a second file\'s original is saved under its step number; finished stays unset while confirming', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n'), edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'y\n'), edit('/etc/new.cfg', null, 'z\n')]);
  const session = ApplySession.begin(plan, { fs: fs_, runner: recorder() });
  for (const [i, st] of plan.steps.entries()) await session.runStep(st, i);
  const j = session.journal;
  for (const f of ['plan.json', 'state.json']) assert.is((fs.statSync(path.join(j.dir, f)).mode & 0o777).toString(8), '600', f);
  assert.equal(j.state.done.map((d) => d.file!.saved), ['0-xen-guest.cfg', '1-interfaces', null]);
  assert.equal({ ...j.state.done[2].file!, afterSha256: null }, { path: '/etc/new.cfg', existed: false, saved: null, mode: 0, uid: 0, gid: 0, linkTarget: null, createdDirs: [], afterSha256: null });
  for (const f of ['plan.json', 'state.json']) assert.ok(fs.readFileSync(path.join(j.dir, f), 'utf8').endsWith('}\n'), `${f} ends with a newline`);
  j.setStatus('applying');
  assert.is(j.state.finished, null);
  j.setStatus('confirming');
  assert.is(j.state.finished, null);
  j.setStatus('rolling-back');
  assert.is(j.state.finished, null);
  j.setStatus('rolled-back');
  assert.ok(j.state.finished);
  session.release();
});

test('a failing command\'s message keeps the last three lines of its stderr', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([command(['ifup', 'xenbr0'], 'after-edit')]);
  const runner: CommandRunner = { live: true, async run() { return { exitCode: 3, stdout: '', stderr: 'one\ntwo\nthree\nfour\n\n' }; } };
  const session = ApplySession.begin(plan, { fs: fs_, runner });
  await session.runStep(plan.steps[0], 0).then(() => assert.unreachable('fails'), (err: StepFailure) => assert.is(err.detail, 'exit 3: two / three / four'));
  session.release();
});

test('rollback cleans up around the files: dead writers\' temp files, the journal\'s own, dirs it made (unless someone else uses them), a vanished parent', async () => {
  const { root, fs: fs_ } = dom0();
  const before = treeFingerprint(root);
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n'), edit('/etc/made/deep/hook', null, '#!/bin/sh\n', '0755'), edit('/etc/also/new', null, 'n\n'), edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'y\n')]);
  const { journal } = await applyAll(plan, fs_, recorder());
  assert.equal(journal.state.done[1].file!.createdDirs, ['etc/made', 'etc/made/deep']);
  fs.writeFileSync(path.join(root, 'etc/.xen-guest.cfg.xnw-999999'), 'half-written\n');
  fs.writeFileSync(path.join(journal.dir, '.state.json.xnw-999999'), '{');
  fs.writeFileSync(path.join(root, 'etc/also/admin-notes'), 'mine\n');
  fs.rmSync(path.join(root, 'etc/network'), { recursive: true });
  const report = await rollbackRun(journal, fs_, recorder());
  assert.equal(report.errors, []);
  assert.not.ok(fs.existsSync(path.join(root, 'etc/.xen-guest.cfg.xnw-999999')));
  assert.not.ok(fs.existsSync(path.join(journal.dir, '.state.json.xnw-999999')));
  assert.is(fs.readFileSync(path.join(root, 'etc/also/admin-notes'), 'utf8'), 'mine\n', 'a directory someone else uses stays');
  fs.rmSync(path.join(root, 'etc/also'), { recursive: true });
  assert.equal(fingerprintDiff(before, treeFingerprint(root, { excludeJournal: true })), []);
});

test('rollback of a live batch when `ip link show` fails: the undo runs as it was recorded', async () => {
  const { fs: fs_ } = dom0();
  const undoInput = 'link set dev vif1.0 nomaster\nlink del xenbr0\n';
  const plan = planOf([command(['ip', '-batch', '-'], 'after-edit', { input: 'x\n', undo: ['ip', '-batch', '-'], undoInput })]);
  const { journal } = await applyAll(plan, fs_, recorder());
  const inputs: (string | undefined)[] = [];
  const runner: CommandRunner = { live: true, async run(argv, input) { inputs.push(input); return { exitCode: argv.includes('-json') ? 1 : 0, stdout: '', stderr: '' }; } };
  await rollbackRun(journal, fs_, runner);
  assert.equal(inputs, [undefined, undoInput]);
});

testUnless(test, needsRoot(), 'an edited file keeps its owner through apply (chown needs root)', async () => {
  const { root, fs: fs_ } = dom0();
  fs.chownSync(path.join(root, 'etc/xen-guest.cfg'), 1234, 5678);
  await applyAll(planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n')]), fs_, recorder());
  const st = fs.statSync(path.join(root, 'etc/xen-guest.cfg'));
  assert.equal([st.uid, st.gid], [1234, 5678]);
});

test('runStep says what it did: written, listed or ran; failAt null (the default) fails nothing; a link already gone is fine to remove', async () => {
  const { root, fs: fs_ } = dom0();
  fs.writeFileSync(path.join(root, 'etc/default.xml'), '<network/>\n');
  fs.mkdirSync(path.join(root, 'etc/autostart'));
  fs.symlinkSync('../default.xml', path.join(root, 'etc/autostart/default.xml'));
  const unlink = (p: string): Step => ({ ...edit(p, null, null), file: { path: p, mode: '0777', before: null, after: null, linkTarget: '../default.xml' } });
  const plan = planOf([unlink('/etc/autostart/default.xml'), command(['ifup', 'xenbr0'], 'after-edit'), edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", null)]);
  const live = ApplySession.begin(plan, { fs: fs_, runner: recorder(), failAt: null });
  assert.equal([await live.runStep(plan.steps[0], 0), await live.runStep(plan.steps[1], 1), await live.runStep(plan.steps[2], 2)], ['written', 'ran', 'written']);
  assert.equal(live.journal.state.done.map((d) => d.file?.createdDirs ?? null), [[], null, []], 'a removal makes no directory');
  assert.is(live.journal.state.done[2].file!.afterSha256, null);
  live.finish();
  const offline = ApplySession.begin(planOf([plan.steps[1]]), { fs: fs_, runner: { ...recorder(), live: false } });
  assert.is(await offline.runStep(plan.steps[1], 0), 'listed');
  offline.release();
  // The link was removed by hand between plan and apply: removing it again is no error.
  const again = ApplySession.begin(planOf([unlink('/etc/autostart/gone.xml')]), { fs: fs_, runner: recorder() });
  assert.is(await again.runStep(unlink('/etc/autostart/gone.xml'), 0), 'written');
  again.release();
});

test('rollback edges: status rolling-back while it works, a created file already gone, the journal\'s own temps, reruns of finally steps, before-edit steps without undo', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([
    command(['virsh', 'net-destroy', 'default'], 'before-edit'),
    edit('/etc/made.cfg', null, 'new\n'),
    command(['service', 'xend', 'restart'], 'finally', { rerunOnRollback: true }),
    command(['sh', '-s'], 'after-edit', { input: 'true\n', undo: ['sh', '-s'], undoInput: 'false\n' }),
    command(['ip', '-batch', '-'], 'after-edit', { input: 'x\n', undo: ['ip', '-batch', '-'] }),
  ]);
  const { journal } = await applyAll(plan, fs_, recorder());
  fs.rmSync(path.join(root, 'etc/made.cfg'));
  for (const own of ['plan.json', 'live-before.json']) fs.writeFileSync(path.join(journal.dir, `.${own}.xnw-999999`), '{');
  const statuses: string[] = [];
  const runner = recorder();
  const report = await rollbackRun(journal, fs_, runner, () => statuses.push(JSON.parse(fs.readFileSync(path.join(journal.dir, 'state.json'), 'utf8')).status));
  assert.equal(report.errors, []);
  assert.ok(statuses.length > 0 && statuses.every((s) => s === 'rolling-back'), statuses.join(','));
  assert.equal(runner.calls, ['ip -batch -', 'sh -s', 'service xend restart'], 'no link query for a batch without input or a non-ip command with one');
  assert.equal(fs.readdirSync(journal.dir).filter((f) => f.includes('.xnw-')), []);
  assert.equal(report.removed, ['/etc/made.cfg']);
});

test('rollback with a listing runner lists the undo of what ran live; a lost original is an error naming the file; errors are kept line by line', async () => {
  const { fs: fs_ } = dom0();
  const plan = planOf([edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", 'x\n'), command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })]);
  const { journal } = await applyAll(plan, fs_, recorder());
  fs.rmSync(path.join(journal.dir, 'files', journal.state.done[0].file!.saved!));
  const listing = { ...recorder('ifdown xenbr0'), live: false };
  const report = await rollbackRun(journal, fs_, listing);
  assert.equal(listing.calls, [], 'listed, not run');
  assert.equal(report.commands, [['ifdown', 'xenbr0']]);
  assert.is(report.errors.length, 1);
  assert.match(report.errors[0], /^\/etc\/xen-guest\.cfg: ENOENT/);
  const thrower: CommandRunner = { live: true, async run() { throw new Error('boom'); } };
  const twice = planOf([command(['a'], 'after-edit', { undo: ['b'] }), command(['c'], 'after-edit', { undo: ['d'] })]);
  const j2 = (await applyAll(twice, fs_, recorder())).journal;
  await rollbackRun(j2, fs_, thrower);
  assert.is(Journal.open(runsDir(fs_), j2.state.id)!.state.error, 'd: boom\nb: boom');
});

test.run();
