// Step 7: the guide's stop → edit → restart → start sequence as live progress (listr2), journaled.
import type { WizardState } from './state.js';
import { runPlan } from '../src/exec/runPlan.js';
import { saveAnswers } from '../src/commands/reportOutcome.js';

export async function progressStep(state: Pick<WizardState, 'ctx' | 'planned' | 'outcome'>): Promise<void> {
  saveAnswers(state.ctx, state.planned!);
  state.outcome = await runPlan(state.ctx, state.planned!.plan);
}
