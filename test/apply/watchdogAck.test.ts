// The wizard's wait for the watchdog's answer after "confirmed": as long as the watchdog process
// lives, not a fixed grace. The libvirt lab's emulated dom0 once took longer than the old 10 s to
// start the watchdog, which then confirmed — and apply reported the kept change as rolled back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { tempDir } from '../_helpers/roots.js';
import { OUTCOME, waitForAck } from '../../src/exec/confirmWindow.js';

/** A stand-in watchdog: a process that sleeps `ms`, then writes `outcome` (or nothing) and exits. */
function watchdog(dir: string, ms: number, outcome: object | null) {
  const write = outcome ? `require('fs').writeFileSync(${JSON.stringify(path.join(dir, OUTCOME))}, ${JSON.stringify(JSON.stringify(outcome))});` : '';
  const child = spawn(process.execPath, ['-e', `setTimeout(() => { ${write} }, ${ms})`], { stdio: 'ignore' });
  return { pid: child.pid!, exited: new Promise((r) => child.on('exit', r)) };
}

test('a watchdog that answers late is waited for: its "confirmed" is what counts', async () => {
  const dir = tempDir();
  const w = watchdog(dir, 1500, { result: 'confirmed', reason: 'confirmed' });
  const t0 = Date.now();
  const outcome = await waitForAck(dir, w.pid, 60_000);
  assert.equal(outcome, { result: 'confirmed', reason: 'confirmed' });
  assert.ok(Date.now() - t0 >= 1000, 'it answered after its delay, and that answer was read');
  await w.exited;
});

test('a watchdog gone without an answer ends the wait at once, well before the limit', async () => {
  const dir = tempDir();
  const w = watchdog(dir, 200, null);
  const t0 = Date.now();
  const outcome = await waitForAck(dir, w.pid, 60_000);
  assert.is(outcome, null);
  assert.ok(Date.now() - t0 < 10_000, `waited ${Date.now() - t0} ms`);
  await w.exited;
});

test('an answer already there is returned without waiting; the limit bounds a silent live watchdog', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, OUTCOME), JSON.stringify({ result: 'rolled-back', reason: 'timeout' }));
  assert.equal(await waitForAck(dir, process.pid, 60_000), { result: 'rolled-back', reason: 'timeout' });
  const empty = tempDir();
  const t0 = Date.now();
  assert.is(await waitForAck(empty, process.pid, 300), null);
  assert.ok(Date.now() - t0 >= 300);
});

test.run();
