// Carrying out a plan: journal first, then the change, step by step; any failure rolls back.
// The UI (listr2) drives `runStep` one step at a time; tests drive the same object directly.
import fs from 'node:fs';
import path from 'node:path';
import { nodeCrypto } from '../system/random.js';
import type { Plan, Step, FileChange } from '../model/plan.js';
import type { RootFs } from '../system/rootfs.js';
import type { CommandRunner } from '../system/commands.js';
import { Journal, STATE_DIR } from './journal.js';
import { acquireLock, type Lock } from './lock.js';
import { writePoint } from '../system/diskFault.js';
import { ensureDir, removeDirs, symlinkAtomic, writeFileAtomic } from './atomicWrite.js';

/** A step that failed; `key`/`params` say why in the user's language (the journal keeps `detail`). */
export class StepFailure extends Error {
  readonly detail: string;
  constructor(readonly step: Step, readonly key: string, readonly params: Record<string, string | number>, detail: string) {
    super(`${step.id}: ${detail}`);
    this.detail = detail;
  }
}

export interface ApplyOptions {
  fs: RootFs;
  runner: CommandRunner;
  /** Test hook: fail (as a command would) when reaching the step with this index or id. */
  failAt?: string | null;
  /** Test hook: stop before the step with this index until killed, signalled, or its `paused` file is removed. */
  pauseAt?: string | null;
  /** Test hook: stop inside the file write of the step with this index, temp file written, before the rename. */
  pauseInWriteAt?: string | null;
  /** Told the PID of a dead run whose lock is taken over. */
  onStaleLock?: (pid: number) => void;
}

export const sha256 = (data: string | Buffer): string => nodeCrypto().createHash('sha256').update(data).digest('hex');

/** Marks the journal as paused (the test's cue to SIGKILL) and blocks this process until it is killed. */
function pauseUntilKilled(journalDir: string): void {
  fs.writeFileSync(path.join(journalDir, 'paused'), `${process.pid}\n`, { mode: 0o600 });
  // Synchronous on purpose: a write in progress must not return to the event loop.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
}

export function runsDir(fs: RootFs): string {
  return fs.resolve(`${STATE_DIR}/runs`);
}

export class ApplySession {
  readonly journal: Journal;
  private readonly lock: Lock;
  /** Something outside the journal was changed (a config written, a command run): undoing is due. */
  changed = false;

  private constructor(readonly plan: Plan, private readonly options: ApplyOptions, lock: Lock, journal: Journal) {
    this.lock = lock;
    this.journal = journal;
  }

  /** Takes the lock and opens the journal. Call only after the plan was validated. */
  static begin(plan: Plan, options: ApplyOptions): ApplySession {
    const lock = acquireLock(options.fs.resolve(STATE_DIR), options.onStaleLock);
    try {
      const journal = Journal.create(runsDir(options.fs), plan, options.fs.root, options.runner.live);
      return new ApplySession(plan, options, lock, journal);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  /**
   * The XNW_PAUSE_AT hook, at a step boundary: the process keeps serving its event loop (so a
   * SIGTERM or SIGHUP is handled as in real life) until `stop()` says so or the test removes `paused`.
   */
  async pauseBefore(index: number, stop: () => boolean): Promise<void> {
    if (this.options.pauseAt !== String(index)) return;
    const marker = path.join(this.journal.dir, 'paused');
    fs.writeFileSync(marker, `${process.pid}\n`, { mode: 0o600 });
    while (fs.existsSync(marker) && !stop()) await new Promise((r) => setTimeout(r, 20));
    fs.rmSync(marker, { force: true });
  }

  async runStep(step: Step, index: number): Promise<'ran' | 'listed' | 'written'> {
    const failAt = this.options.failAt;
    if (failAt !== undefined && failAt !== null && (failAt === String(index) || failAt === step.id)) {
      throw new StepFailure(step, 'apply.failure.injected', {}, 'injected failure (XNW_FAIL_AT)');
    }
    if (step.kind === 'file' && step.file) {
      this.writeChange(step, index, step.file);
      return 'written';
    }
    if (!this.options.runner.live) {
      // Offline: the command is listed for the admin; its on-disk effect, if any, is applied.
      if (step.offline) this.writeChange(step, index, step.offline, 'listed');
      else this.journal.markDone({ id: step.id, how: 'listed' });
      return 'listed';
    }
    this.changed = true;
    const result = await this.options.runner.run(step.argv!, step.input);
    if (result.exitCode !== 0) {
      const output = result.stderr.trim().split('\n').slice(-3).join(' / ');
      throw new StepFailure(step, 'apply.failure.exit', { code: result.exitCode, output }, `exit ${result.exitCode}: ${output}`);
    }
    this.journal.markDone({ id: step.id, how: 'ran' });
    return 'ran';
  }

  private writeChange(step: Step, index: number, change: FileChange, how: 'written' | 'listed' = 'written'): void {
    const real = this.options.fs.resolve(change.path);
    const current = readOrNull(real);
    if (change.linkTarget === undefined && current !== change.before) {
      // The file changed between plan and apply: refuse rather than overwrite someone's edit.
      throw new StepFailure(step, 'apply.failure.fileChanged', { path: change.path }, `file changed since the plan was made: ${change.path}`);
    }
    const createdDirs = change.after === null && change.createLink === undefined ? [] : ensureDir(path.dirname(real));
    try {
      const entry = this.journal.saveOriginal(real, change.path, createdDirs.map((d) => path.relative(this.options.fs.root, d)));
      entry.afterSha256 = change.after === null ? null : sha256(change.after);
      if (change.createLink !== undefined) entry.afterLink = change.createLink;
      // The journal entry is written before the change: a crash in between restores identical bytes.
      this.journal.markDone({ id: step.id, how, file: entry });
    } catch (err) {
      // The journal could not take the entry (a full disk): the directories made for it go too.
      removeDirs(createdDirs);
      throw err;
    }
    if (change.createLink !== undefined) {
      symlinkAtomic(real, change.createLink);
      this.changed = true;
      return;
    }
    if (change.after === null) {
      writePoint(real, 'remove');
      fs.rmSync(real, { force: true });
      this.changed = true;
      return;
    }
    // The plan's mode is the file's own for an edit and the recipe's for a new file (755 scripts).
    const entry = this.journal.state.done[this.journal.state.done.length - 1].file!;
    const owner = entry.existed ? { uid: entry.uid, gid: entry.gid } : {};
    const pause = this.options.pauseInWriteAt === String(index) ? () => pauseUntilKilled(this.journal.dir) : undefined;
    writeFileAtomic(real, change.after, { mode: parseInt(change.mode, 8), ...owner, beforeRename: pause });
    this.changed = true;
  }

  finish(): void {
    this.journal.setStatus('applied');
    this.lock.release();
  }

  release(): void {
    this.lock.release();
  }

  /** A run that changed nothing (its journal could not be written): no journal, no lock stays. */
  abandon(): void {
    // Directories made for a file whose write then failed go too, innermost first.
    for (const done of [...this.journal.state.done].reverse()) {
      removeDirs((done.file?.createdDirs ?? []).map((d) => path.join(this.options.fs.root, d)));
    }
    fs.rmSync(this.journal.dir, { recursive: true, force: true });
    this.lock.release();
  }
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
