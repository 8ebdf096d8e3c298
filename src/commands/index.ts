// Dispatch to one command module, imported lazily so each command loads only what it uses.
import type { CliOptions } from '../cli/args.js';
import type { Lang, Translate } from '../i18n.js';
import { buildContext, type Context, type Io } from '../context.js';
import { isXenDom0 } from '../system/netns.js';
import { copyDemo, type DemoCopy } from './demoRoot.js';
import { configureWritePoints } from '../system/diskFault.js';

export async function runCommand(options: CliOptions, lang: Lang, t: Translate, io: Io): Promise<number> {
  configureWritePoints(io.env);
  if (options.command === 'completion') return (await import('./completion.js')).completionCommand(options, io);
  // `npm start` on a machine that is not a dom0: the wizard on a copy of the bundled demo dom0.
  const demo: DemoCopy | null = options.command === 'wizard' && !options.rootGiven && !isXenDom0() ? copyDemo() : null;
  try {
    const ctx = buildContext(options, lang, t, io, demo?.root ?? null);
    return await dispatch(ctx);
  } finally {
    if (demo && options.keepDemo) {
      demo.keep();
      io.stderr.write(`${t('demo.kept', { root: demo.root })}\n`);
    } else demo?.remove();
  }
}

async function dispatch(ctx: Context): Promise<number> {
  switch (ctx.options.command) {
    case 'recipes': return (await import('./recipes.js')).recipesCommand(ctx);
    case 'detect': return (await import('./detect.js')).detectCommand(ctx);
    case 'plan': return (await import('./plan.js')).planCommand(ctx);
    case 'apply': return (await import('./apply.js')).applyCommand(ctx);
    case 'rollback': return (await import('./rollback.js')).rollbackCommand(ctx);
    case 'mac': return (await import('./mac.js')).macCommand(ctx);
    case 'wizard': return (await import('./wizard.js')).wizardCommand(ctx);
    case 'completion': throw new Error('completion is dispatched before the context');
  }
}
