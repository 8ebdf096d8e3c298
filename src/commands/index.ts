// Dispatch to one command module, imported lazily so each command loads only what it uses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliOptions } from '../cli/args.js';
import type { Lang, Translate } from '../i18n.js';
import { buildContext, type Context, type Io } from '../context.js';
import { isXenDom0 } from '../system/netns.js';
import { configureWritePoints } from '../system/diskFault.js';

const demoSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../demo/root');

/** `npm start` on a machine that is not a dom0: a copy of the bundled demo dom0 in a temp dir. */
function demoRoot(options: CliOptions): string | null {
  if (options.command !== 'wizard' || options.rootGiven || isXenDom0()) return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xen-net-wizard-demo-'));
  fs.cpSync(demoSource, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

export async function runCommand(options: CliOptions, lang: Lang, t: Translate, io: Io): Promise<number> {
  configureWritePoints(io.env);
  const ctx: Context = buildContext(options, lang, t, io, demoRoot(options));
  switch (options.command) {
    case 'recipes': return (await import('./recipes.js')).recipesCommand(ctx);
    case 'detect': return (await import('./detect.js')).detectCommand(ctx);
    case 'plan': return (await import('./plan.js')).planCommand(ctx);
    case 'apply': return (await import('./apply.js')).applyCommand(ctx);
    case 'rollback': return (await import('./rollback.js')).rollbackCommand(ctx);
    case 'mac': return (await import('./mac.js')).macCommand(ctx);
    case 'wizard': return (await import('./wizard.js')).wizardCommand(ctx);
  }
}
