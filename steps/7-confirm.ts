// Step 6: nothing changes until the admin says so (or gave --yes).
import type { WizardState } from './state.js';
import { InputError } from '../src/errors.js';
import { precheckConfirm } from '../src/exec/confirm.js';
import { preflightPrerequisites } from '../src/exec/preflight.js';
import { widthOf, wrapMessage } from '../src/ui/textWidth.js';

export async function confirmStep(state: Pick<WizardState, 'ctx' | 'ask' | 'confirmed' | 'done' | 'planned'>): Promise<void> {
  const { ctx } = state;
  if (state.planned) preflightPrerequisites(state.planned.plan, ctx.live);
  if (state.planned) await precheckConfirm(ctx, state.planned.plan);
  if (ctx.options.yes) {
    state.confirmed = true;
    return;
  }
  if (!ctx.interactive) throw new InputError('error.needYes', {});
  state.confirmed = await state.ask.confirm({ message: ctx.t(ctx.demo ? 'apply.confirmDemo' : 'apply.confirm'), default: false });
  if (!state.confirmed) {
    ctx.err(wrapMessage(ctx.t('apply.cancelled'), widthOf(ctx)));
    state.done = true;
  }
}
