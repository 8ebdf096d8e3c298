// Step 8: what happened, what the admin still has to do, and how to undo it.
import type { WizardState } from './state.js';
import { writeAnswersFile } from '../src/answers.js';
import { listedCommands } from '../src/exec/runPlan.js';

export async function resultStep(state: Pick<WizardState, 'ctx' | 'planned' | 'outcome'>): Promise<void> {
  const { ctx, outcome } = state;
  if (!outcome) return;
  if (ctx.options.saveAnswers) writeAnswersFile(ctx.options.saveAnswers, state.planned!.answers);
  ctx.out(ctx.t('apply.done', { id: outcome.runId }));
  const listed = listedCommands(outcome);
  if (listed.length > 0) {
    ctx.out(ctx.t(ctx.demo ? 'apply.simulatedCommands' : 'apply.listedCommands'));
    for (const line of listed) ctx.out(`  ${line}`);
  }
  for (const note of state.planned!.plan.notes) ctx.out(`* ${ctx.t(note.key, note.params)}`);
  if (ctx.demo) ctx.out(ctx.t('demo.where', { root: ctx.fs.root }));
  else ctx.out(ctx.t('apply.rollbackHint', { id: outcome.runId, root: ctx.options.rootGiven ? ` --root ${ctx.fs.root}` : '' }));
}
