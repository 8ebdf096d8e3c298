// Step 5: the review — a small before/after picture of bridges and guests, every diff and command.
import type { WizardState } from './state.js';
import { makePlan } from '../src/plan/makePlan.js';
import { formatPlan } from '../src/plan/format.js';
import { paintFor } from '../src/commands/paint.js';
import { renderPicture } from '../src/plan/picture.js';
import { loadLive } from '../src/commands/loadHost.js';
import { widthOf, wrapMessage } from '../src/ui/textWidth.js';

export async function reviewStep(state: Pick<WizardState, 'ctx' | 'answers' | 'host' | 'planned' | 'done'>): Promise<void> {
  const { ctx } = state;
  const planned = makePlan(ctx.fs, state.host, state.answers, ctx.random, await loadLive(ctx, state.host));
  state.planned = planned;
  if (planned.plan.steps.length === 0) {
    ctx.out(wrapMessage(ctx.t('plan.alreadyConfigured'), widthOf(ctx)));
    state.done = true;
    return;
  }
  const paint = await paintFor(ctx);
  ctx.err(renderPicture(state.host, planned.topology, ctx.t, paint));
  ctx.err(formatPlan(planned.plan, ctx.t, paint, ctx.live, widthOf(ctx)));
}
