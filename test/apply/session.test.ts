// apply → rollback in-process on a hand-made plan, so each rule of the executor is seen alone: a plan
// whose FIRST step is a file write (every recipe's plan starts with a command), the commands undone
// around the restore in the guide's order, drift refused, one run at a time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, treeFingerprint, fingerprintDiff } from '../_helpers/roots.js';
import { RootFs } from '../../src/system/rootfs.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { Plan, Step } from '../../src/plan/types.js';
import { ApplySession, StepFailure, runsDir } from '../../src/exec/apply.js';
import { rollbackRun } from '../../src/exec/rollback.js';
import { Journal } from '../../src/exec/journal.js';
import { findDrift, refuseDrift } from '../../src/exec/drift.js';
import { acquireLock, refuseIfLocked } from '../../src/exec/lock.js';
import { InputError } from '../../src/errors.js';

const title = { key: 'step.edit', params: {} };
const edit = (p: string, before: string | null, after: string | null, mode = '0644'): Step =>
  ({ id: `edit:${p}`, kind: 'file', title, phase: 'edit', file: { path: p, mode, before, after } });
const command = (argv: string[], phase: Step['phase'], extra: Partial<Step> = {}): Step =>
  ({ id: `run:${argv.join('-')}`, kind: 'command', title, phase, argv, ...extra });
const planOf = (steps: Step[]): Plan => ({ recipe: 'single-bridge', profile: 'xl', backend: 'ifupdown', method: 'backend-restart', steps, notes: [] });

/** A live runner that only records what it is asked to run. */
function recorder(failOn?: string): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    live: true,
    calls,
    async run(argv) {
      calls.push(argv.join(' '));
      return { exitCode: argv.join(' ') === failOn ? 1 : 0, stdout: '', stderr: argv.join(' ') === failOn ? 'boom' : '' };
    },
  };
}

function dom0(): { root: string; fs: RootFs } {
  const root = path.join(tempDir(), 'root');
  fs.mkdirSync(path.join(root, 'etc/network'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto eth0\niface eth0 inet dhcp\n', { mode: 0o640 });
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), "vif = [ 'bridge=virbr0' ]\n");
  return { root, fs: new RootFs(root) };
}

async function applyAll(plan: Plan, fs_: RootFs, runner: CommandRunner): Promise<ApplySession> {
  const session = ApplySession.begin(plan, { fs: fs_, runner });
  for (const [i, step] of plan.steps.entries()) await session.runStep(step, i);
  session.finish();
  return session;
}

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
  assert.equal(undo.calls, ['service xend stop', 'ifdown xenbr0', 'virsh define /etc/x.xml', 'virsh net-start default', 'ifup eth0']);
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

test('drift: a file edited by hand after apply is named with a diff and rollback refuses unless forced', async () => {
  const { root, fs: fs_ } = dom0();
  const plan = planOf([
    edit('/etc/network/interfaces', 'auto eth0\niface eth0 inet dhcp\n', 'auto xenbr0\n'),
    edit('/etc/xen-guest.cfg', "vif = [ 'bridge=virbr0' ]\n", "vif = [ 'bridge=xenbr0' ]\n"),
  ]);
  const session = await applyAll(plan, fs_, recorder());
  assert.equal(findDrift(session.journal, fs_), [], 'untouched since apply: no drift');
  // Holding the original again (a run killed before its rename) is not drift either.
  fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'auto eth0\niface eth0 inet dhcp\n');
  assert.equal(findDrift(session.journal, fs_), []);
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), "vif = [ 'bridge=xenbr0,rate=10Mb/s' ]\n");
  const drift = findDrift(session.journal, fs_);
  assert.equal(drift.map((d) => d.path), ['/etc/xen-guest.cfg']);
  assert.match(drift[0].diff, /^-vif = \[ 'bridge=xenbr0' \]$/m);
  assert.match(drift[0].diff, /^\+vif = \[ 'bridge=xenbr0,rate=10Mb\/s' \]$/m);
  assert.throws(() => refuseDrift(session.journal, fs_, false), (e: unknown) => e instanceof InputError && e.key === 'error.rollbackDrift');
  refuseDrift(session.journal, fs_, true);
  fs.rmSync(path.join(root, 'etc/xen-guest.cfg'));
  assert.equal(findDrift(session.journal, fs_).map((d) => d.path), ['/etc/xen-guest.cfg'], 'a removed file is drift too');
});

test('one run at a time: a live owner refuses (exit 2), a dead owner\'s lock is taken over and reported, release frees it', () => {
  const state = path.join(tempDir(), 'state');
  const file = path.join(state, 'lock');
  const first = acquireLock(state);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  assert.is((fs.statSync(state).mode & 0o777).toString(8), '700');
  refuseIfLocked(state); // our own lock does not refuse us
  first.release();
  assert.not.ok(fs.existsSync(file));
  // A live process that is not us (our parent) holds it.
  fs.writeFileSync(file, `${process.ppid}\n`);
  assert.throws(() => acquireLock(state), (e: unknown) => e instanceof InputError && e.key === 'error.locked');
  assert.throws(() => refuseIfLocked(state), (e: unknown) => e instanceof InputError && e.key === 'error.locked');
  assert.is(fs.readFileSync(file, 'utf8'), `${process.ppid}\n`, 'a refused run leaves the lock alone');
  // A dead one (no such PID).
  fs.writeFileSync(file, '999999\n');
  refuseIfLocked(state);
  const stale: number[] = [];
  const second = acquireLock(state, (pid) => stale.push(pid));
  assert.equal(stale, [999999]);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  // Release never removes a lock that is no longer ours.
  fs.writeFileSync(file, `${process.ppid}\n`);
  second.release();
  assert.ok(fs.existsSync(file));
});

test.run();
