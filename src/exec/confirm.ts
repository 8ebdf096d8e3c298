// The wizard's side of commit-confirmed: check connectivity right after the change, then wait for
// the admin with a visible countdown; the watchdog (src/exec/watchdog.ts) owns the timer and the rollback.
import type { Context } from '../context.js';
import type { Plan } from '../model/plan.js';
import type { ApplySession } from './apply.js';
import { unreachable } from './connectivity.js';
import { ABORT, CONFIRMED, mark, readOutcome, startWatchdog, waitForAck, waitForOutcome } from './confirmWindow.js';
import { InputError, InterruptError, NotConfirmedError, exitForSignal } from '../errors.js';
import { Journal } from './journal.js';
import path from 'node:path';
import { deadlineIn } from './clock.js';

type Deadline = ReturnType<typeof deadlineIn>;
import { widthOf, wrapMessage } from '../ui/textWidth.js';

export const MIN_CONFIRM_TIMEOUT = 10;

/** Before anything changes: a gateway that does not answer now could not tell us later that we broke it. */
export async function precheckConfirm(ctx: Context, plan: Plan): Promise<void> {
  if (!plan.confirm || !ctx.live) return;
  if (ctx.options.confirmTimeout < MIN_CONFIRM_TIMEOUT) {
    throw new InputError('error.confirmTimeoutTooShort', { value: ctx.options.confirmTimeout, min: MIN_CONFIRM_TIMEOUT });
  }
  const lost = await unreachable(plan.confirm);
  if (lost.length && !ctx.options.force) throw new InputError('error.unreachableBefore', { addresses: lost.join(', ') });
}

type Answer = 'yes' | 'no' | 'timeout' | 'watchdog' | 'signal';

/** "y" keeps the change; "n" or Ctrl-C rolls back; the deadline, the watchdog acting or a signal ends it too. */
function countdown(ctx: Context, deadline: Deadline, runDir: string, interrupted: () => NodeJS.Signals | null): Promise<Answer> {
  const stdin = ctx.io.stdin as NodeJS.ReadStream;
  return new Promise((resolve) => {
    let shown = -1;
    const draw = () => {
      const left = Math.ceil(deadline.left() / 1000);
      if (left === shown) return;
      shown = left;
      ctx.io.stderr.write(`\r\x1b[K${ctx.t('confirm.countdown', { seconds: left })}`);
    };
    const done = (answer: Answer) => {
      clearInterval(timer);
      stdin.off('data', onKey);
      try {
        if (stdin.isTTY) stdin.setRawMode(false);
      } catch {
        // the terminal is gone (hang-up)
      }
      stdin.pause();
      ctx.io.stderr.write('\n');
      resolve(answer);
    };
    const onKey = (chunk: Buffer) => {
      const key = chunk.toString();
      if (key === 'y' || key === 'Y') done('yes');
      else if (key === 'n' || key === 'N' || key === '\u0003') done('no');
    };
    const timer = setInterval(() => {
      if (readOutcome(runDir)) done('watchdog');
      else if (interrupted()) done('signal');
      else if (deadline.passed()) done('timeout');
      else draw();
    }, 250);
    // A hung-up terminal fails its reads; the signal, not the error, ends the countdown.
    stdin.on?.('error', () => {});
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onKey);
    draw();
  });
}

export async function commitConfirmed(ctx: Context, plan: Plan, session: ApplySession, interrupted: () => NodeJS.Signals | null): Promise<void> {
  const targets = plan.confirm!;
  const runDir = session.journal.dir;
  const timeout = ctx.options.confirmTimeout;
  session.journal.state.watchdogPid = startWatchdog({ root: ctx.fs.root, runId: session.journal.state.id, timeoutSeconds: timeout, targets }, ctx.io.env);
  session.journal.setStatus('confirming');
  const deadline = deadlineIn(timeout * 1000);
  // Neighbours may need a moment (ARP) after the change: three tries before calling it lost.
  let lost = await unreachable(targets);
  for (let i = 0; i < 2 && lost.length; i++) {
    await new Promise((r) => setTimeout(r, 500));
    lost = await unreachable(targets);
  }
  let answer: Answer = 'no';
  if (lost.length === 0) {
    ctx.err(wrapMessage(ctx.t('confirm.checksPassed', { addresses: [targets.gateway, targets.sshClient].filter(Boolean).join(', ') }), widthOf(ctx)));
    // With --yes and no terminal, confirmation is automatic — only now that the checks passed.
    answer = ctx.interactive ? await countdown(ctx, deadline, runDir, interrupted) : ctx.options.yes ? 'yes' : 'no';
  }
  // Ctrl-C, SIGTERM or a hang-up in the window: nobody is there to confirm, so the watchdog undoes it now.
  const signal = interrupted();
  if (signal && answer !== 'watchdog') answer = 'signal';
  if (answer === 'yes' && !readOutcome(runDir)) {
    mark(runDir, CONFIRMED);
    // A fixed 10 s here once reported a kept change as rolled back (the lab's emulated dom0: the
    // watchdog was still starting, then confirmed): wait as long as the watchdog lives.
    const outcome = await waitForAck(runDir, session.journal.state.watchdogPid ?? 0, (timeout + 120) * 1000);
    if (outcome?.result === 'confirmed') return;
  } else if (answer === 'no' || answer === 'signal') {
    mark(runDir, ABORT);
  }
  ctx.err(ctx.t('apply.rollingBack'));
  const outcome = await waitForOutcome(runDir, 120_000);
  // The watchdog kept the change after all: saying "rolled back" now would be false.
  if (outcome?.result === 'confirmed' && answer === 'yes') return;
  if (signal && outcome?.result === 'rolled-back') {
    noteInterrupted(session, signal);
    throw new InterruptError('error.interruptedRolledBack', { signal, journal: runDir }, exitForSignal(signal));
  }
  const reason = lost.length ? 'connectivity' : (outcome?.reason ?? 'timeout');
  throw new NotConfirmedError(`error.notConfirmed.${reason}`, {
    journal: runDir,
    addresses: (outcome?.lost?.length ? outcome.lost : lost).join(', '),
  });
}

/** The watchdog wrote the journal's rolled-back state; the wizard adds why (best effort). */
function noteInterrupted(session: ApplySession, signal: NodeJS.Signals): void {
  const journal = Journal.open(path.dirname(session.journal.dir), session.journal.state.id);
  if (!journal) return;
  journal.state.interrupted = signal;
  try {
    journal.save();
  } catch {
    // a full disk: the outcome file still tells what happened
  }
}
