// What `apply` and the wizard print once a plan has been carried out: the run, the commands an
// offline (or demo) run only listed, and how to undo it — or one JSON object with --json.
import { jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import type { Planned } from '../plan/makePlan.js';
import type { Outcome } from '../exec/runPlan.js';
import { listedCommands } from '../exec/runPlan.js';
import { writeAnswersFile } from '../plan/answersFile.js';
import { widthOf, wrapLabelled, wrapMessage } from '../ui/textWidth.js';

/** --save-answers, written before anything changes: a disk that cannot take it stops the run (exit 2). */
export function saveAnswers(ctx: Context, planned: Planned): void {
  if (ctx.options.saveAnswers) writeAnswersFile(ctx.options.saveAnswers, planned.answers);
}

export function reportOutcome(ctx: Context, planned: Planned, outcome: Outcome, opts: { notes: boolean }): void {
  const listed = listedCommands(outcome);
  if (ctx.options.json) {
    ctx.out(jsonText({ status: 'applied', runId: outcome.runId, journal: outcome.journalDir, live: ctx.live, listedCommands: listed }));
    return;
  }
  const say = (text: string) => ctx.out(wrapMessage(text, widthOf(ctx)));
  say(ctx.t('apply.done', { id: outcome.runId }));
  if (listed.length > 0) {
    say(ctx.t(ctx.demo ? 'apply.simulatedCommands' : 'apply.listedCommands'));
    for (const line of listed) ctx.out(`  ${line}`);
  }
  // `apply` showed the notes with the plan just before; the wizard repeats them at the end.
  if (opts.notes) for (const note of planned.plan.notes) ctx.out(wrapLabelled('* ', ctx.t(note.key, note.params), widthOf(ctx)));
  if (ctx.demo) say(ctx.t('demo.where', { root: ctx.fs.root }));
  // The undo command reproduces the run's mode: a --root run that ran its commands needs --live to undo them.
  else say(ctx.t('apply.rollbackHint', { id: outcome.runId, root: ctx.options.rootGiven ? ` --root ${ctx.fs.root}${ctx.live ? ' --live' : ''}` : '' }));
}
