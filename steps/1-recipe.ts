// Step 1: which layout. Without a TTY `recipe` has no default: a bare run in a script changes nothing.
import type { WizardState } from './state.js';
import { RECIPES } from '../src/recipes/registry.js';
import { checkRecipe } from '../src/plan/makePlan.js';
import { shouldAsk } from './state.js';

export async function recipeStep(state: Pick<WizardState, 'ctx' | 'answers' | 'ask'> & Partial<Pick<WizardState, 'host'>>): Promise<void> {
  const { t } = state.ctx;
  if (state.answers.recipe === undefined && state.ctx.interactive) {
    state.answers.recipe = await state.ask.select({
      message: t('q.recipe'),
      default: 'single-bridge',
      choices: RECIPES.map((r) => ({
        value: r.id,
        name: `${t(`recipe.${r.id}.title`)}  (${r.id})`,
        short: r.id,
        description: t(`recipe.${r.id}.description`),
        disabled: r.available ? false : t('recipes.notYet'),
      })),
    });
  }
  checkRecipe(state.answers.recipe);
  // Two managers start at boot and configure the NIC: which one persists the bridge is the admin's call.
  const conflict = (state.host?.backendConflict ?? []).filter((b): b is Exclude<typeof b, 'unknown'> => b !== 'unknown');
  if (conflict.length > 1 && shouldAsk(state, 'backend')) {
    state.answers.backend = await state.ask.select({ message: t('q.backend'), default: conflict[0], choices: conflict.map((b) => ({ value: b, name: b })) });
  }
}
