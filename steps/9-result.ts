// Step 8: what happened, what the admin still has to do, and how to undo it.
import type { WizardState } from './state.js';
import { reportOutcome } from '../src/commands/reportOutcome.js';

export async function resultStep(state: Pick<WizardState, 'ctx' | 'planned' | 'outcome'>): Promise<void> {
  if (state.outcome) reportOutcome(state.ctx, state.planned!, state.outcome, { notes: true });
}
