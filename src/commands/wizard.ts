// The interactive wizard (no command given): detection first, then the steps in steps/.
import type { Context } from '../context.js';
import { loadAnswers, loadHost } from './loadHost.js';
import { runWizard } from '../../steps/index.js';
import { inquirerPrompter } from '../../steps/prompter.js';
import type { WizardState } from '../../steps/state.js';
import { recoverUnfinished } from '../exec/recover.js';
import { widthOf, wrapMessage } from '../ui/textWidth.js';

export async function wizardCommand(ctx: Context): Promise<number> {
  const { t } = ctx;
  if (ctx.demo) ctx.err(wrapMessage(t('demo.banner', { root: ctx.fs.root }), widthOf(ctx)));
  const answers = loadAnswers(ctx);
  await recoverUnfinished(ctx);
  const host = await loadHost(ctx);
  ctx.err(wrapMessage(t('wizard.detected', {
    profile: host.profile, backend: host.backend, guests: host.guests.length,
    nic: host.defaultRouteNic ?? '-',
  }), widthOf(ctx)));
  const state: WizardState = {
    ctx, host, answers, ask: inquirerPrompter(ctx), planned: null, confirmed: false, outcome: null, done: false,
  };
  await runWizard(state);
  return 0;
}
