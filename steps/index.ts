// The wizard's steps in the guide's order (seed 000 lines 24–83): recipe → NIC → guests → MACs
// (single-bridge) or the recipe's own questions (the others) → review → confirm → progress → result. Each reads and writes the shared state.
import type { WizardState } from './state.js';
import { recipeStep } from './1-recipe.js';
import { nicStep } from './2-nic.js';
import { guestsStep } from './3-guests.js';
import { macsStep } from './4-macs.js';
import { questionsStep } from './5-questions.js';
import { reviewStep } from './6-review.js';
import { confirmStep } from './7-confirm.js';
import { progressStep } from './8-progress.js';
import { resultStep } from './9-result.js';

export const steps: ((state: WizardState) => Promise<void>)[] = [
  recipeStep, nicStep, guestsStep, macsStep, questionsStep, reviewStep, confirmStep, progressStep, resultStep,
];

export async function runWizard(state: WizardState): Promise<void> {
  for (const step of steps) {
    await step(state);
    if (state.done) return;
  }
}
