// The apply sequence as listr2 tasks (all questions were asked before: np's rule), with the
// journal under it; a failure or Ctrl-C rolls back what was done and maps to exit 1 or 130.
import type { Context } from '../context.js';
import type { Plan } from '../model/plan.js';
import { ApplySession, StepFailure } from './apply.js';
import { rollbackRun } from './rollback.js';
import { ApplyError, InterruptError, NotConfirmedError, RollbackError } from '../errors.js';
import { commitConfirmed } from './confirm.js';
import { shellQuote, stepTitle } from '../plan/format.js';
import path from 'node:path';
import { captureLive } from '../live/snapshot.js';
import { runIp } from '../system/commands.js';
import { writeFileAtomic } from './atomicWrite.js';
import { widthOf, wrapLabelled, wrapMessage } from '../ui/textWidth.js';
import { localizedLogger } from '../ui/listrLogger.js';

export interface Outcome {
  runId: string;
  journalDir: string;
  listed: string[][];
}

function rendererFor(ctx: Context): 'default' | 'simple' | 'silent' {
  if (ctx.options.json) return 'silent';
  return ctx.io.stderr.isTTY ? 'default' : 'simple';
}

export async function runPlan(ctx: Context, plan: Plan): Promise<Outcome> {
  const { t } = ctx;
  const failAt = ctx.io.env.XNW_FAIL_AT ?? null;
  const session = ApplySession.begin(plan, {
    fs: ctx.fs, runner: ctx.runner, failAt, pauseAt: ctx.io.env.XNW_PAUSE_AT ?? null,
    pauseInWriteAt: ctx.io.env.XNW_PAUSE_IN_WRITE ?? null,
    onStaleLock: (pid) => ctx.err(wrapMessage(t('lock.stale', { pid }), widthOf(ctx))),
  });
  if (plan.method === 'live' && ctx.live) {
    // The live state before the change goes into the journal with the files.
    const snapshot = await captureLive(runIp);
    writeFileAtomic(path.join(session.journal.dir, 'live-before.json'), JSON.stringify(snapshot, null, 2) + '\n', { mode: 0o600 });
  }
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  const listed: string[][] = [];
  // listr2 colours through colorette, which reads NO_COLOR when first loaded.
  if (!ctx.color) {
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR;
  }
  const listr2 = await import('listr2');
  const { Listr, ProcessOutput } = listr2;
  // Progress goes to stderr: stdout is kept for the result (and --json).
  const processOutput = new ProcessOutput(ctx.io.stderr as NodeJS.WriteStream, ctx.io.stderr as NodeJS.WriteStream);
  const simpleLogger = localizedLogger(listr2, t, processOutput, [...listr2.LISTR_LOGGER_STDERR_LEVELS], widthOf(ctx));
  const tasks = new Listr(
    plan.steps.map((step, index) => ({
      title: stepTitle(step, t),
      task: async (_: unknown, task: { title: string }) => {
        if (interrupted) throw new InterruptError();
        const how = await session.runStep(step, index);
        if (how === 'listed' && step.argv) {
          listed.push(step.argv);
          task.title = `${stepTitle(step, t)}  ${t(ctx.demo ? 'apply.simulated' : 'apply.listed')}`;
          // The demo shows the sequence at a pace a person can follow; nothing is executed.
          if (ctx.demo) await new Promise((r) => setTimeout(r, 250));
        }
        if (interrupted) throw new InterruptError();
      },
    })),
    {
      renderer: rendererFor(ctx),
      fallbackRenderer: 'simple',
      exitOnError: true,
      registerSignalListeners: false,
      // listr2's own words ("[FAILED: …]") in the user's language.
      // The default renderer (a terminal) wraps by itself; the simple one (no terminal) is wrapped here.
      rendererOptions: { processOutput, logger: rendererFor(ctx) === 'simple' ? simpleLogger : localizedLogger(listr2, t, processOutput, []) },
      fallbackRendererOptions: { processOutput, logger: simpleLogger },
    } as never,
  );
  try {
    await tasks.run();
    if (plan.confirm && ctx.live) await commitConfirmed(ctx, plan, session);
    session.finish();
    return { runId: session.journal.state.id, journalDir: session.journal.dir, listed };
  } catch (err) {
    if (err instanceof NotConfirmedError) {
      // The watchdog has rolled back (or reported that it could not).
      session.release();
      throw err;
    }
    const detail = err instanceof StepFailure ? `${stepTitle(err.step, t)}: ${t(err.key, err.params)}` : (err as Error).message;
    session.journal.setStatus('failed', detail);
    ctx.err(t('apply.rollingBack'));
    const report = await rollbackRun(session.journal, ctx.fs, ctx.runner, (e) => ctx.err(wrapLabelled('  ', t(`rollback.${e.kind}`, { what: e.what }), widthOf(ctx), '    ')));
    session.release();
    if (report.errors.length) throw new RollbackError('error.rollbackFailed', { journal: session.journal.dir, detail: report.errors.join('; ') });
    if (err instanceof InterruptError) throw err;
    throw new ApplyError('error.applyFailed', { detail, journal: session.journal.dir });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function listedCommands(outcome: Outcome): string[] {
  return outcome.listed.map((argv) => shellQuote(argv));
}
