// `rollback [ID]`: undo the last (or the given) applied run; `--list` shows the runs.
import { jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import { Journal, STATE_DIR } from '../exec/journal.js';
import { runsDir } from '../exec/apply.js';
import { ranCommands, rollbackFailure, rollbackRun, runnerFor } from '../exec/rollback.js';
import { acquireLock, refuseIfLocked } from '../exec/lock.js';
import { InputError } from '../errors.js';
import { recoverUnfinished } from '../exec/recover.js';
import { refuseDrift } from '../exec/drift.js';
import { tableLines, widthOf, wrapLabelled, wrapMessage } from '../ui/textWidth.js';

export async function rollbackCommand(ctx: Context): Promise<number> {
  const { t } = ctx;
  const say = (text: string, write = ctx.out) => write(wrapMessage(text, widthOf(ctx)));
  if (!ctx.options.list) {
    // While another run is under way there is nothing safe to undo: say who holds the lock.
    refuseIfLocked(ctx.fs.resolve(STATE_DIR));
    // A run left unfinished (killed) is what needs undoing first; that is all `rollback` does then.
    const recovered = await recoverUnfinished(ctx);
    if (recovered.length > 0 && (!ctx.options.runId || recovered.includes(ctx.options.runId))) {
      if (ctx.options.json) ctx.out(jsonText({ status: 'rolled-back', recovered }));
      else for (const id of recovered) say(t('rollback.recovered', { id }));
      return 0;
    }
  }
  const runs = Journal.list(runsDir(ctx.fs));
  if (ctx.options.list) {
    const mode = (live: boolean) => (live ? 'live' : 'offline');
    if (ctx.options.json) {
      ctx.out(jsonText({ runs: runs.map((j) => ({ ...j.state, mode: mode(j.state.live), dir: j.dir })) }));
      return 0;
    }
    if (runs.length === 0) say(t('rollback.noRuns'));
    // Columns padded by display width: a Japanese status is two columns per character. The run id
    // already reads as its start (YYYYMMDD-HHMMSS), so the ISO time stays in --json: the row fits 80.
    const rows = runs.map(({ state: s }) => [s.id, t(`rollback.mode.${mode(s.live)}`),
      t(s.interrupted && s.status === 'rolled-back' ? 'run.status.interrupted' : `run.status.${s.status}`), s.recipe,
      t('rollback.steps', { n: s.done.length })]);
    for (const line of tableLines(rows)) ctx.out(line);
    return 0;
  }
  const journal = ctx.options.runId
    ? runs.find((j) => j.state.id === ctx.options.runId)
    : [...runs].reverse().find((j) => ['applied', 'rollback-failed', 'files-restored'].includes(j.state.status));
  if (!journal) {
    throw ctx.options.runId
      ? new InputError('error.runNotFound', { id: ctx.options.runId })
      : new InputError('error.noRunToRollback', {});
  }
  if (journal.state.status === 'rolled-back') throw new InputError('error.alreadyRolledBack', { id: journal.state.id });
  if (!['applied', 'rollback-failed', 'files-restored'].includes(journal.state.status)) {
    throw new InputError('error.runNotApplied', { id: journal.state.id, status: t(`run.status.${journal.state.status}`) });
  }
  // A live run's commands are undone only by a live rollback: going offline silently would restore
  // the files, report success and leave the kernel and libvirt as the run made them.
  const root = ctx.options.rootGiven ? ` --root ${ctx.fs.root}` : '';
  if (journal.state.live && !ctx.live && ranCommands(journal) > 0) {
    if (!ctx.options.filesOnly) throw new InputError('error.rollbackNeedsLive', { id: journal.state.id, root, n: ranCommands(journal) });
    if (journal.state.status === 'files-restored') throw new InputError('error.filesAlreadyRestored', { id: journal.state.id, root });
  }
  // Before the lock: a refusal leaves everything as it was, a stale lock included. Files already
  // restored by a files-only rollback are the originals, not the run's: nothing to compare.
  if (journal.state.status !== 'files-restored') refuseDrift(journal, ctx.fs, ctx.options.force);
  const lock = acquireLock(ctx.fs.resolve(STATE_DIR), (pid) => say(t('lock.stale', { pid }), ctx.err));
  try {
    if (!ctx.options.json) say(t('rollback.start', { id: journal.state.id }), ctx.err);
    const report = await rollbackRun(journal, ctx.fs, runnerFor(journal, ctx.runner), (e) => {
      if (!ctx.options.json) ctx.err(wrapLabelled('  ', t(`rollback.${e.kind}`, { what: e.what }), widthOf(ctx), '    '));
    });
    if (report.errors.length) throw rollbackFailure(journal, report);
    // byHand is empty when the rollback succeeded; journalErrors are told on stderr, not in the result.
    const { byHand: _byHand, journalErrors, afterReboot: _afterReboot, ...result } = report;
    if (journalErrors.length) say(t('rollback.journalNotSaved', { journal: journal.dir }), ctx.err);
    const status = journal.state.status;
    if (ctx.options.json) ctx.out(jsonText({ status, runId: journal.state.id, ...result }));
    else if (status === 'files-restored') say(t('rollback.filesOnlyDone', { id: journal.state.id, restored: report.restored.length, removed: report.removed.length, root }));
    else say(t('rollback.done', { id: journal.state.id, restored: report.restored.length, removed: report.removed.length }));
    return 0;
  } finally {
    lock.release();
  }
}
