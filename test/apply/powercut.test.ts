// After a power cut PIDs start over: the lock and the unfinished journal of a run from an earlier
// boot are stale even when an unrelated process holds their PID now (issue 18 part 2; the lab's
// power-cut runs prove the whole path on the real dom0); and the xenstore keys of domains gone
// since are not written back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../_helpers/roots.js';
import { acquireLock, refuseIfLocked } from '../../src/exec/lock.js';
import { abandoned } from '../../src/exec/recover.js';
import { bootStartMs, currentBootId, fromEarlierBoot } from '../../src/system/processAlive.js';
import type { RunState } from '../../src/exec/journal.js';
import { rollbackRun } from '../../src/exec/rollback.js';
import { xenstoreBridgeSteps } from '../../src/live/xenstoreBridge.js';
import { applyAll, dom0, planOf, recorder } from '../_helpers/plans.js';

const hasProc = currentBootId() !== null && bootStartMs() !== null;

test('a boot id other than this boot\'s is an earlier boot; none recorded cannot tell', () => {
  if (!hasProc) return void assert.is(fromEarlierBoot('x'), false);
  assert.is(fromEarlierBoot(currentBootId()), false);
  assert.is(fromEarlierBoot('00000000-0000-0000-0000-000000000000'), true);
  assert.is(fromEarlierBoot(null), false);
  assert.is(fromEarlierBoot(undefined), false);
  assert.ok(bootStartMs()! <= Date.now());
});

test('an unfinished run whose PID is alive is abandoned only when it started in an earlier boot', () => {
  const state = (over: Partial<RunState>): RunState => ({
    id: 'r1', recipe: 'single-bridge', root: '/', live: true, pid: process.ppid, started: new Date().toISOString(),
    finished: null, status: 'applying', done: [], error: null, ...over,
  });
  assert.is(abandoned(state({ bootId: currentBootId() })), false, 'alive, this boot: its owner goes on');
  assert.is(abandoned(state({})), false, 'an older journal without a boot id: the PID decides');
  assert.is(abandoned(state({ pid: 999999 })), true, 'dead owner');
  assert.is(abandoned(state({ status: 'applied' as RunState['status'], pid: 999999 })), false, 'finished runs are not recovered');
  if (hasProc) {
    assert.is(abandoned(state({ bootId: '00000000-0000-0000-0000-000000000000' })), true, 'earlier boot: its PID is someone else now');
    assert.is(abandoned(state({ bootId: '00000000-0000-0000-0000-000000000000', status: 'confirming', watchdogPid: process.ppid })), true);
  }
});

test('a lock taken before this boot is stale although its PID runs again', () => {
  const state = path.join(tempDir(), 'state');
  fs.mkdirSync(state, { mode: 0o700 });
  const file = path.join(state, 'lock');
  fs.writeFileSync(file, `${process.ppid}\n`);
  assert.throws(() => refuseIfLocked(state), 'this boot and alive: locked');
  if (!hasProc) return;
  const before = new Date(bootStartMs()! - 3600_000);
  fs.utimesSync(file, before, before);
  refuseIfLocked(state);
  const stale: number[] = [];
  const lock = acquireLock(state, (pid) => stale.push(pid));
  assert.equal(stale, [process.ppid]);
  assert.is(fs.readFileSync(file, 'utf8'), `${process.pid}\n`);
  lock.release();
});


test('rollback leaves out the xenstore key of a vif whose domain is gone (no stray entry), writes the others back', async () => {
  const { fs: fs_ } = dom0();
  const key = (domid: number) => `/local/domain/0/backend/vif/${domid}/0/bridge`;
  const plan = planOf([1, 2].map((d) => xenstoreBridgeSteps([{ domid: d, devid: 0, vif: `vif${d}.0`, current: 'virbr0' }], 'xenbr0')[0]!));
  const session = await applyAll(plan, fs_, recorder());
  // dom 1 rebooted since (a new domid): its backend directory is gone.
  const undo = recorder('xenstore-exists /local/domain/0/backend/vif/1/0');
  const events: string[] = [];
  const report = await rollbackRun(session.journal, fs_, undo, (e) => events.push(`${e.kind} ${e.what}`));
  assert.equal(report.errors, []);
  assert.ok(events.includes('gone /local/domain/0/backend/vif/1/0'));
  assert.not.ok(undo.calls.includes(`xenstore-write ${key(1)} virbr0`));
  assert.ok(undo.calls.includes(`xenstore-write ${key(2)} virbr0`));
});

test.run();
