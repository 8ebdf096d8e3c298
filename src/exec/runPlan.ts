// The apply sequence as listr2 tasks (all questions were asked before: np's rule), with the
// journal under it; a failure, a full disk or a signal rolls back what was done (exit 1, 130, 143, 129).
import type { Context } from '../context.js';
import type { Plan } from '../model/plan.js';
import { ApplySession, StepFailure } from './apply.js';
import { rollbackFailure, rollbackRun } from './rollback.js';
import { ApplyError, InputError, InterruptError, exitForSignal } from '../errors.js';
import { commitConfirmed } from './confirm.js';
import { shellQuote, stepTitle } from '../plan/format.js';
import path from 'node:path';
import { captureLive } from '../live/snapshot.js';
import { runIp } from '../system/commands.js';
import { writeFileAtomic } from './atomicWrite.js';
import { isDiskFault } from '../system/diskFault.js';
import { preflightDisk, preflightPrerequisites } from './preflight.js';
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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The streams of the user's terminal (an SSH session's pty, which a hang-up takes away). */
const terminalOf = (ctx: Context) => [ctx.io.stdout, ctx.io.stderr, ctx.io.stdin] as Partial<NodeJS.EventEmitter>[];

/** After a hang-up the terminal is gone: writing to it fails, which must not end the rollback. */
function muteTerminal(ctx: Context): void {
  for (const stream of terminalOf(ctx)) stream.on?.('error', () => {});
}

/** A disk fault's message in the user's language, naming the path that could not be written. */
export function diskFaultText(ctx: Context, err: NodeJS.ErrnoException): string {
  return ctx.t(`error.diskFault.${err.code}`, { path: err.path ?? '?' });
}

export async function runPlan(ctx: Context, plan: Plan): Promise<Outcome> {
  const { t } = ctx;
  const failAt = ctx.io.env.XNW_FAIL_AT ?? null;
  // Before the lock: a disk that cannot take the run refuses it with nothing changed (exit 2).
  preflightPrerequisites(plan, ctx.runner.live);
  preflightDisk(plan, ctx.fs, ctx.runner.live);
  let session: ApplySession;
  try {
    session = ApplySession.begin(plan, {
      fs: ctx.fs, runner: ctx.runner, failAt, pauseAt: ctx.io.env.XNW_PAUSE_AT ?? null,
      pauseInWriteAt: ctx.io.env.XNW_PAUSE_IN_WRITE ?? null,
      onStaleLock: (pid) => ctx.err(wrapMessage(t('lock.stale', { pid }), widthOf(ctx))),
    });
  } catch (err) {
    if (isDiskFault(err)) throw new InputError(`error.diskFault.${err.code}`, { path: err.path ?? '?' });
    throw err;
  }
  // Ctrl-C, SIGTERM and a hang-up are noted and acted on at the next step boundary: the run
  // rolls back what it did, then exits 130 / 143 / 129. A second signal changes nothing.
  let interrupted: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') muteTerminal(ctx);
    interrupted ??= signal;
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  // A terminal that fails under the run (EIO: the SSH session dropped) is a hang-up too, also when
  // the failed write comes before the SIGHUP: the progress redraws every few milliseconds, and an
  // 'error' with no listener would end the process before its rollback (test/trust/hangup.test.ts
  // saw it about once in twenty hang-ups on a loaded host).
  const onTerminalError = () => onSignal('SIGHUP');
  const terminal = terminalOf(ctx);
  for (const stream of terminal) stream.on?.('error', onTerminalError);
  const listed: string[][] = [];
  try {
    try {
      if (plan.method === 'live' && ctx.live) {
        // The live state before the change goes into the journal with the files.
        const snapshot = await captureLive(runIp);
        writeFileAtomic(path.join(session.journal.dir, 'live-before.json'), JSON.stringify(snapshot, null, 2) + '\n', { mode: 0o600 });
      }
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
            await session.pauseBefore(index, () => interrupted !== null);
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
      await tasks.run();
      if (interrupted) throw new InterruptError();
    } catch (err) {
      throw await undoFailedRun(ctx, session, err, interrupted);
    }
    if (plan.confirm && ctx.live) {
      try {
        await commitConfirmed(ctx, plan, session, () => interrupted);
      } catch (err) {
        // The watchdog has rolled back (or reported that it could not).
        session.release();
        throw err;
      }
    }
    try {
      session.finish();
    } catch (err) {
      // The change is made but the journal cannot say so (a full disk): it is undone like a failed step.
      throw await undoFailedRun(ctx, session, err, interrupted);
    }
    return { runId: session.journal.state.id, journalDir: session.journal.dir, listed };
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    for (const stream of terminal) stream.off?.('error', onTerminalError);
  }
}

/** A step failed, the disk failed, or a signal came: roll back and return the error to throw. */
async function undoFailedRun(ctx: Context, session: ApplySession, err: unknown, signal: NodeJS.Signals | null): Promise<Error> {
  const { t } = ctx;
  const journal = session.journal;
  if (isDiskFault(err) && !session.changed) {
    // Only the journal was being written: nothing to undo, nothing kept (exit 2).
    session.abandon();
    return new InputError(`error.diskFault.${err.code}`, { path: err.path ?? '?' });
  }
  const detail = err instanceof StepFailure ? `${stepTitle(err.step, t)}: ${t(err.key, err.params)}`
    : isDiskFault(err) ? diskFaultText(ctx, err)
      : signal ? `interrupted (${signal})` : (err as Error).message;
  if (signal) journal.state.interrupted = signal;
  try {
    journal.setStatus('failed', detail);
  } catch {
    // The journal's disk is failing too; the rollback below still restores from what it holds.
  }
  ctx.err(t('apply.rollingBack'));
  const report = await rollbackRun(journal, ctx.fs, ctx.runner, (e) => ctx.err(wrapLabelled('  ', t(`rollback.${e.kind}`, { what: e.what }), widthOf(ctx), '    ')));
  session.release();
  if (report.errors.length) return rollbackFailure(journal, report);
  if (report.journalErrors.length) ctx.err(t('rollback.journalNotSaved', { journal: journal.dir }));
  if (signal) return new InterruptError('error.interruptedRolledBack', { signal, journal: journal.dir }, exitForSignal(signal));
  return new ApplyError('error.applyFailed', { detail, journal: journal.dir });
}

export function listedCommands(outcome: Outcome): string[] {
  return outcome.listed.map((argv) => shellQuote(argv));
}
