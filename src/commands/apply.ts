// `apply`: compute, show, confirm, then carry out the plan with live progress.
import { jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import { loadAnswers, loadHost, loadLive } from './loadHost.js';
import { makePlan } from '../plan/makePlan.js';
import { formatPlan, planToJson } from '../plan/format.js';
import { paintFor } from './paint.js';
import { InputError } from '../errors.js';
import { runPlan } from '../exec/runPlan.js';
import { reportOutcome, saveAnswers } from './reportOutcome.js';
import { precheckConfirm } from '../exec/confirm.js';
import { recoverUnfinished } from '../exec/recover.js';
import { preflightPrerequisites } from '../exec/preflight.js';
import { displayWidth, widthOf, wrapBeforeTail, wrapMessage } from '../ui/textWidth.js';
import { confirmTheme } from '../ui/promptTheme.js';

export async function confirmApply(ctx: Context): Promise<boolean> {
  if (ctx.options.yes) return true;
  // A script must say --yes: without a TTY nothing waits for input and nothing changes by default.
  if (!ctx.interactive) throw new InputError('error.needYes', {});
  const { confirm } = await import('@inquirer/prompts');
  const theme = confirmTheme(ctx.t, false);
  return confirm({ message: wrapBeforeTail(ctx.t('apply.confirm'), widthOf(ctx) - 2, displayWidth(theme.style.defaultAnswer()) + 1), default: false, theme }, { output: ctx.io.stderr as NodeJS.WritableStream, input: ctx.io.stdin });
}

export async function applyCommand(ctx: Context): Promise<number> {
  const answers = loadAnswers(ctx);
  await recoverUnfinished(ctx);
  const host = await loadHost(ctx);
  const planned = makePlan(ctx.fs, host, answers, ctx.random, await loadLive(ctx, host));
  if (planned.plan.steps.length === 0) {
    if (ctx.options.json) ctx.out(jsonText({ status: 'already-configured', steps: [] }));
    else ctx.out(wrapMessage(ctx.t('plan.alreadyConfigured'), widthOf(ctx)));
    return 0;
  }
  if (!ctx.options.json) ctx.err(formatPlan(planned.plan, ctx.t, await paintFor(ctx), ctx.live, widthOf(ctx)));
  else if (!ctx.options.yes) ctx.err(JSON.stringify(planToJson(planned.plan, ctx.t)));
  // Refusals before the connectivity checks: a missing boot prerequisite is bad input (exit 2).
  preflightPrerequisites(planned.plan, ctx.live);
  await precheckConfirm(ctx, planned.plan);
  if (!(await confirmApply(ctx))) {
    ctx.err(wrapMessage(ctx.t('apply.cancelled'), widthOf(ctx)));
    return 0;
  }
  saveAnswers(ctx, planned);
  reportOutcome(ctx, planned, await runPlan(ctx, planned.plan), { notes: false });
  return 0;
}
