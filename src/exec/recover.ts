// A run left unfinished (the wizard was killed between two steps, kill -9 or a crash) is rolled
// back by the next run before it plans anything — unless its watchdog is still alive and owns it.
import type { Context } from '../context.js';
import { Journal, STATE_DIR, type RunState } from './journal.js';
import { runsDir } from './apply.js';
import { rollbackFailure, rollbackRun, runnerFor } from './rollback.js';
import { acquireLock } from './lock.js';
import { fromEarlierBoot, processAlive } from '../system/processAlive.js';
import { refuseDrift } from './drift.js';
import { widthOf, wrapLabelled, wrapMessage } from '../ui/textWidth.js';

const UNFINISHED = new Set(['applying', 'confirming', 'rolling-back']);


/**
 * A run nobody finishes: unfinished, and neither its process nor its watchdog alive — or started
 * in an earlier boot (a power cut: its PIDs may belong to unrelated processes now).
 */
export function abandoned(state: RunState): boolean {
  return UNFINISHED.has(state.status)
    && (fromEarlierBoot(state.bootId) || (!processAlive(state.pid) && !processAlive(state.watchdogPid)));
}

export async function recoverUnfinished(ctx: Context): Promise<string[]> {
  const stale = Journal.list(runsDir(ctx.fs)).filter((j) => abandoned(j.state));
  if (stale.length === 0) return [];
  // Nothing is restored while any file was edited by hand since (exit 2, checked before the stale
  // lock is touched, so a refusal changes nothing). Only `rollback --force` overrides: apply's
  // --force is about the gateway check and must not also mean "overwrite".
  for (const journal of stale) refuseDrift(journal, ctx.fs, ctx.options.force && ctx.options.command === 'rollback');
  const lock = acquireLock(ctx.fs.resolve(STATE_DIR), (pid) => ctx.err(wrapMessage(ctx.t('lock.stale', { pid }), widthOf(ctx))));
  try {
    for (const journal of stale.reverse()) {
      const { id, status } = journal.state;
      // A power cut or reboot, not a killed wizard: say which, it tells what is left running.
      const key = fromEarlierBoot(journal.state.bootId) ? 'recover.rollingBackAfterReboot' : 'recover.rollingBack';
      ctx.err(wrapMessage(ctx.t(key, { id, status: ctx.t(`run.status.${status}`) }), widthOf(ctx)));
      const report = await rollbackRun(journal, ctx.fs, runnerFor(journal, ctx.runner),
        (e) => { if (e.kind === 'reboot' || e.kind === 'already') ctx.err(wrapLabelled('  ', ctx.t(`rollback.${e.kind}`, { what: e.what }), widthOf(ctx), '    ')); });
      if (report.errors.length) throw rollbackFailure(journal, report);
      if (report.afterReboot?.filesChanged && ctx.runner.live) ctx.err(wrapMessage(ctx.t('recover.bootedFromChangedFiles', { id }), widthOf(ctx)));
    }
  } finally {
    lock.release();
  }
  return stale.map((j) => j.state.id);
}
