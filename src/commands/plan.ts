// `plan`: compute the plan and show it (diffs + commands); changes nothing.
import type { Context } from '../context.js';
import { loadAnswers, loadHost, loadLive } from './loadHost.js';
import { makePlan } from '../plan/makePlan.js';
import { formatPlan, planToJson } from '../plan/format.js';
import { paintFor } from './paint.js';
import { writeAnswersFile } from '../plan/answersFile.js';
import { widthOf, wrapMessage } from '../ui/textWidth.js';

export async function planCommand(ctx: Context): Promise<number> {
  const answers = loadAnswers(ctx);
  const host = await loadHost(ctx);
  const planned = makePlan(ctx.fs, host, answers, ctx.random, await loadLive(ctx, host));
  if (ctx.options.saveAnswers) writeAnswersFile(ctx.options.saveAnswers, planned.answers);
  if (ctx.options.json) {
    ctx.out(JSON.stringify(planToJson(planned.plan, ctx.t), null, 2));
    return 0;
  }
  if (planned.plan.steps.length === 0) {
    ctx.out(wrapMessage(ctx.t('plan.alreadyConfigured'), widthOf(ctx)));
    return 0;
  }
  ctx.out(formatPlan(planned.plan, ctx.t, await paintFor(ctx), ctx.live, widthOf(ctx)));
  return 0;
}
