// A run nobody finishes (the wizard killed between two steps, or the machine went down) is rolled back
// by the next run before it plans anything (src/exec/recover.ts): what it tells the admin (by locale
// key), which runs it takes and in which order, the drift refusal that changes nothing, exit 4 when
// the rollback cannot finish, and the lock around it. In-process, on a small dom0 root.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { testUnless } from '../_helpers/skip.js';
import { command, dom0, edit, planOf, recorder } from '../_helpers/plans.js';
import { ApplySession, runsDir } from '../../src/exec/apply.js';
import { Journal } from '../../src/exec/journal.js';
import { recoverUnfinished } from '../../src/exec/recover.js';
import { bootStartMs, currentBootId } from '../../src/system/processAlive.js';
import { EXIT, InputError, RollbackError } from '../../src/errors.js';
import type { Context } from '../../src/context.js';
import type { CommandRunner } from '../../src/system/commands.js';
import type { RootFs } from '../../src/system/rootfs.js';
import type { Step } from '../../src/model/plan.js';

const GUEST = "vif = [ 'bridge=virbr0' ]\n";
const DEAD = 999999;

/** What recover needs of the context; messages are recorded as `key {params}` lines. */
function context(fs_: RootFs, runner: CommandRunner, options: { force?: boolean; command?: string } = {}, columns = 200) {
  const lines: string[] = [];
  const raw: string[] = [];
  const ctx = {
    options: { force: false, command: 'apply', ...options },
    fs: fs_,
    runner,
    live: runner.live,
    io: { stderr: { isTTY: true, columns } },
    t: (key: string, params: Record<string, unknown> = {}) => (key.startsWith('run.status.') ? key : `${key} ${JSON.stringify(params)}`),
    err: (line = '') => {
      raw.push(line);
      lines.push(line.replace(/\s*\n\s*/g, ' '));
    },
    out: () => {},
  } as unknown as Context;
  return { ctx, lines, raw };
}

/** A run left after `cut` of its steps, its process gone (a dead PID), the lock released. */
async function leftRun(fs_: RootFs, steps: Step[], cut: number, over: { bootId?: string | null; live?: boolean } = {}) {
  const runner = over.live === false ? { ...recorder(), live: false } : recorder();
  const plan = planOf(steps);
  const session = ApplySession.begin(plan, { fs: fs_, runner });
  for (const [i, step] of plan.steps.slice(0, cut).entries()) await session.runStep(step, i);
  session.release();
  const j = session.journal;
  j.state.pid = DEAD;
  if (over.bootId !== undefined) j.state.bootId = over.bootId;
  j.setStatus('applying');
  return j;
}

const lockFile = (root: string) => path.join(root, 'var/lib/xen-net-wizard/lock');
const statusOf = (fs_: RootFs, j: Journal) => Journal.open(runsDir(fs_), j.state.id)!.state.status;

test('nothing left unfinished: nothing said, no lock taken, no run named', async () => {
  const { root, fs: fs_ } = dom0();
  const { ctx, lines } = context(fs_, recorder());
  assert.equal(await recoverUnfinished(ctx), []);
  assert.equal(lines, []);
  assert.not.ok(fs.existsSync(lockFile(root)));
  // A lock left behind is not touched here (the command that takes the lock says so, once).
  fs.mkdirSync(path.dirname(lockFile(root)), { recursive: true });
  fs.writeFileSync(lockFile(root), `${DEAD}\n`);
  assert.equal(await recoverUnfinished(ctx), []);
  assert.equal(lines, []);
  assert.is(fs.readFileSync(lockFile(root), 'utf8'), `${DEAD}\n`);
  fs.rmSync(lockFile(root));
  // A finished run is not taken up again either.
  const session = ApplySession.begin(planOf([edit('/etc/xen-guest.cfg', GUEST, 'x\n')]), { fs: fs_, runner: recorder() });
  await session.runStep(session.journal.plan().steps[0]!, 0);
  session.finish();
  assert.equal(await recoverUnfinished(ctx), []);
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), 'x\n');
});

test('a killed run is rolled back first (newest first when several), said by key with its status, and the lock is free after', async () => {
  const { root, fs: fs_ } = dom0();
  const older = await leftRun(fs_, [edit('/etc/xen-guest.cfg', GUEST, 'x\n'), command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })], 2);
  const newer = await leftRun(fs_, [command(['ip', 'link', 'set', 'eth0', 'up'], 'before-edit', { undo: ['ip', 'link', 'set', 'eth0', 'down'] })], 1);
  fs.writeFileSync(lockFile(root), `${DEAD}\n`);
  const runner = recorder();
  const { ctx, lines } = context(fs_, runner);
  const ids = await recoverUnfinished(ctx);
  assert.equal(ids, [newer.state.id, older.state.id], 'named in the order rolled back (`rollback` prints them so)');
  assert.equal(lines, [
    `lock.stale {"pid":${DEAD}}`,
    `recover.rollingBack {"id":"${newer.state.id}","status":"run.status.applying"}`,
    `recover.rollingBack {"id":"${older.state.id}","status":"run.status.applying"}`,
  ]);
  assert.equal(runner.calls, ['ip link set eth0 down', 'ifdown xenbr0']);
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), GUEST);
  assert.is(statusOf(fs_, older), 'rolled-back');
  assert.is(statusOf(fs_, newer), 'rolled-back');
  assert.not.ok(fs.existsSync(lockFile(root)), 'the lock is released');
  assert.equal(await recoverUnfinished(ctx), [], 'done once');
});

test('a run offline (its commands listed) is undone by listing even with a live runner at hand', async () => {
  const { fs: fs_ } = dom0();
  const j = await leftRun(fs_, [command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })], 1, { live: false });
  const runner = recorder();
  const { ctx } = context(fs_, runner);
  await recoverUnfinished(ctx);
  assert.equal(runner.calls, []);
  assert.is(statusOf(fs_, j), 'rolled-back');
});

test('a file edited by hand since: refused (exit 2), nothing restored, the stale lock untouched; only rollback --force overrides', async () => {
  const { root, fs: fs_ } = dom0();
  const j = await leftRun(fs_, [edit('/etc/xen-guest.cfg', GUEST, 'x\n')], 1);
  fs.writeFileSync(path.join(root, 'etc/xen-guest.cfg'), 'mine\n');
  fs.writeFileSync(lockFile(root), `${DEAD}\n`);
  for (const options of [{}, { force: true, command: 'apply' }, { force: false, command: 'rollback' }]) {
    const { ctx, lines } = context(fs_, recorder(), options);
    const err = await recoverUnfinished(ctx).then(() => null, (e: unknown) => e);
    assert.instance(err, InputError, JSON.stringify(options));
    assert.is((err as InputError).key, 'error.rollbackDrift');
    assert.is((err as InputError).exitCode, EXIT.badInput);
    assert.equal(lines, []);
    assert.is(fs.readFileSync(lockFile(root), 'utf8'), `${DEAD}\n`);
    assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), 'mine\n');
  }
  const { ctx } = context(fs_, recorder(), { force: true, command: 'rollback' });
  assert.equal(await recoverUnfinished(ctx), [j.state.id]);
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), GUEST);
});

test('a rollback that cannot finish: exit 4 with the by-hand commands, later runs not started, the lock released', async () => {
  const { root, fs: fs_ } = dom0();
  const older = await leftRun(fs_, [command(['ifup', 'xenbr0'], 'after-edit', { undo: ['ifdown', 'xenbr0'] })], 1);
  const newer = await leftRun(fs_, [command(['brctl', 'addbr', 'xenbr0'], 'before-edit', { undo: ['brctl', 'delbr', 'xenbr0'] })], 1);
  const runner = recorder('brctl delbr xenbr0');
  const { ctx } = context(fs_, runner);
  const err = await recoverUnfinished(ctx).then(() => null, (e: unknown) => e);
  assert.instance(err, RollbackError);
  assert.is((err as RollbackError).exitCode, 4);
  assert.is((err as RollbackError).key, 'error.rollbackFailedByHand');
  assert.is((err as RollbackError).params.commands, '  brctl delbr xenbr0');
  assert.is((err as RollbackError).params.detail, 'brctl delbr xenbr0: exit 1 boom');
  assert.equal(runner.calls, ['brctl delbr xenbr0'], 'the older run waits');
  assert.is(statusOf(fs_, newer), 'rollback-failed');
  assert.is(statusOf(fs_, older), 'applying');
  assert.not.ok(fs.existsSync(lockFile(root)));
});

const EARLIER_BOOT = '00000000-0000-0000-0000-000000000000';
const hasProc = currentBootId() !== null && bootStartMs() !== null;
testUnless(test, hasProc ? null : 'no /proc/sys/kernel/random/boot_id here', 'after a power cut: said so, what the boot undid told per command, and when files had changed, that the network came up from them', async () => {
  const { root, fs: fs_ } = dom0();
  const batch = command(['ip', '-batch', '-'], 'before-edit', { input: 'link add name xenbr0 type bridge\n', undo: ['ip', '-batch', '-'], undoInput: 'link del xenbr0\n' });
  const start = command(['virsh', 'net-start', 'lan'], 'before-edit', { undo: ['virsh', 'net-destroy', 'lan'] });
  const before = await leftRun(fs_, [batch], 1, { bootId: EARLIER_BOOT });
  const runner = recorder();
  // A narrow terminal: the per-command line wraps, indented under its text.
  const first = context(fs_, runner, {}, 20);
  assert.equal(await recoverUnfinished(first.ctx), [before.state.id]);
  const folded = first.raw.map((l) => l.replace(/\s+/g, ''));
  assert.equal(folded, [`recover.rollingBackAfterReboot{"id":"${before.state.id}","status":"run.status.applying"}`, 'rollback.reboot{"what":"ip-batch-"}']);
  assert.equal(first.raw[1]!.split('\n'), ['  rollback.reboot', '    {"what":"ip', '    -batch -"}']);
  assert.equal(runner.calls, []);

  const after = await leftRun(fs_, [start, edit('/etc/xen-guest.cfg', GUEST, 'x\n')], 2, { bootId: EARLIER_BOOT });
  const libvirt: CommandRunner = { live: true, async run(argv) { return { exitCode: 0, stdout: argv[1] === 'net-info' ? 'Active: no\n' : '', stderr: '' }; } };
  const second = context(fs_, libvirt);
  await recoverUnfinished(second.ctx);
  assert.equal(second.lines, [
    `recover.rollingBackAfterReboot {"id":"${after.state.id}","status":"run.status.applying"}`,
    '  rollback.already {"what":"virsh net-destroy lan"}',
    `recover.bootedFromChangedFiles {"id":"${after.state.id}"}`,
  ]);
  assert.is(fs.readFileSync(path.join(root, 'etc/xen-guest.cfg'), 'utf8'), GUEST);

  // Offline (a listing runner), nothing ran live: the boot message about the running network is not said.
  const listed = await leftRun(fs_, [edit('/etc/xen-guest.cfg', GUEST, 'y\n')], 1, { bootId: EARLIER_BOOT });
  const third = context(fs_, { ...recorder(), live: false });
  await recoverUnfinished(third.ctx);
  assert.equal(third.lines, [`recover.rollingBackAfterReboot {"id":"${listed.state.id}","status":"run.status.applying"}`]);
});

test.run();
