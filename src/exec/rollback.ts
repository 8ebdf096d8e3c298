// Undoing a run from its journal: undo the commands that ran after the edit (reverse order),
// restore every file byte-for-byte with its mode and owner (remove the ones the run created),
// re-run the commands that reload state from files (virsh define, service restart), then undo
// the commands that ran before the edit. The guide's stop → edit → restart → start, backwards.
import fs from 'node:fs';
import path from 'node:path';
import type { RootFs } from '../system/rootfs.js';
import type { CommandRunner } from '../system/commands.js';
import type { Step } from '../model/plan.js';
import { Journal, type DoneStep, type FileEntry, type RunStatus } from './journal.js';
import { dropVanishedLinks } from '../live/bridgeBatch.js';
import { symlinkAtomic, writeFileAtomic, writeInPlace } from './atomicWrite.js';
import { removeStaleTemps } from './staleTemps.js';
import { isOutOfSpace, writePoint } from '../system/diskFault.js';
import { shellQuote } from '../plan/format.js';
import { RollbackError } from '../errors.js';
import { fromEarlierBoot } from '../system/processAlive.js';
import { endsWithReboot, netInfoActive, virshNetNoop } from './reboot.js';
import { statusDomain } from '../live/libvirtStatus.js';

export interface RollbackReport {
  restored: string[];
  removed: string[];
  commands: string[][];
  errors: string[];
  /** What is left to do by hand when `errors` is not empty: shell commands, in order. */
  byHand: string[];
  /** The journal's state could not be saved (the files are what counts; the next run redoes it). */
  journalErrors: string[];
  /**
   * The run began in an earlier boot (a power cut or reboot cut it short): what it changed only in
   * the running state ended with that boot and was not undone; `filesChanged` tells whether any of
   * its files had been written by then (the running network came up from them at boot).
   */
  afterReboot: { filesChanged: boolean } | null;
}

/** A run applied offline listed its commands instead of running them: undo it likewise. */
export function runnerFor(journal: Journal, runner: CommandRunner): CommandRunner {
  return journal.state.live ? runner : { ...runner, live: false };
}

export type RollbackProgress = (event: { kind: 'restore' | 'remove' | 'run' | 'gone' | 'restarted' | 'reboot' | 'already'; what: string }) => void;

/**
 * A daemon's record of a running domain (FileChange.runningDomain) that no longer records that
 * domain: 'gone' (no file: the domain stopped, or the machine rebooted), 'restarted' (the file of a
 * domain started since, under a new domid or uuid: putting the old bytes back would make libvirt
 * reconnect to a domain that is not there), or null while it is still that domain's.
 */
function domainMoved(real: string, domain: { id: number; uuid: string }): 'gone' | 'restarted' | null {
  let text: string;
  try {
    text = fs.readFileSync(real, 'utf8');
  } catch {
    return 'gone';
  }
  const now = statusDomain(text);
  return now && now.id === domain.id && now.uuid === domain.uuid ? null : 'restarted';
}

function restoreFile(fs_: RootFs, journal: Journal, done: DoneStep, report: RollbackReport): void {
  const entry = done.file!;
  const real = fs_.resolve(entry.path);
  // A run killed inside writeFileAtomic left `.NAME.xnw-PID` beside the file: not ours to keep.
  removeStaleTemps(real);
  if (!entry.existed) {
    writePoint(real, 'remove');
    fs.rmSync(real, { force: true });
    report.removed.push(entry.path);
    for (const dir of [...entry.createdDirs].reverse()) {
      try {
        fs.rmdirSync(path.join(fs_.root, dir));
      } catch {
        // not empty: something else lives there now
      }
    }
    return;
  }
  fs.mkdirSync(path.dirname(real), { recursive: true });
  if (entry.linkTarget !== null) symlinkAtomic(real, entry.linkTarget);
  else {
    const bytes = journal.originalBytes(entry);
    const meta = { mode: entry.mode, uid: entry.uid, gid: entry.gid };
    try {
      writeFileAtomic(real, bytes, meta);
    } catch (err) {
      // A full disk has no room for the temp file; the file's own blocks still take the original.
      if (!isOutOfSpace(err)) throw err;
      writeInPlace(real, bytes, meta);
    }
  }
  report.restored.push(entry.path);
}

/** Commands of the run that really ran (a live run's): what an offline rollback cannot undo. */
export function ranCommands(journal: Journal): number {
  return journal.state.done.filter((d) => d.how === 'ran').length;
}

/** The shell commands that do by hand what restoring `entry` would have done. */
function restoreByHand(fs_: RootFs, journal: Journal, entry: FileEntry): string[] {
  const real = fs_.resolve(entry.path);
  if (!entry.existed) {
    const dirs = [...entry.createdDirs].reverse().map((d) => shellQuote(['rmdir', '--ignore-fail-on-non-empty', '--', path.join(fs_.root, d)]));
    return [shellQuote(['rm', '-f', '--', real]), ...dirs];
  }
  if (entry.linkTarget !== null) return [shellQuote(['ln', '-sfn', '--', entry.linkTarget, real])];
  const saved = path.join(journal.dir, 'files', entry.saved!);
  return [shellQuote(['install', '-m', entry.mode.toString(8).padStart(4, '0'), '-o', String(entry.uid), '-g', String(entry.gid), '--', saved, real])];
}

/** An undo command as the admin runs it by hand: its input, if any, as a here-document. */
function byHandLine(argv: readonly string[], input: string | undefined): string {
  return input === undefined ? shellQuote(argv) : `${shellQuote(argv)} <<'EOF'\n${input.trimEnd()}\nEOF`;
}

/** Exit 4: what failed, what is done, and the commands that finish the rollback by hand. */
export function rollbackFailure(journal: Journal, report: RollbackReport): RollbackError {
  const done = [...report.restored, ...report.removed];
  return new RollbackError('error.rollbackFailedByHand', {
    journal: journal.dir,
    detail: report.errors.join('; '),
    done: done.length ? done.join(', ') : '-',
    commands: report.byHand.map((c) => `  ${c}`).join('\n'),
  });
}

export async function rollbackRun(
  journal: Journal,
  fs_: RootFs,
  runner: CommandRunner,
  progress: RollbackProgress = () => {},
): Promise<RollbackReport> {
  // A run whose files were already restored (--files-only) is finished by undoing its commands.
  const filesDone = journal.state.status === 'files-restored';
  const plan = journal.plan();
  const stepOf = new Map<string, Step>(plan.steps.map((s) => [s.id, s]));
  const done = journal.state.done;
  const ran = (phases: Step['phase'][]) =>
    done.filter((d) => d.how === 'ran' && phases.includes(stepOf.get(d.id)?.phase ?? 'edit')).map((d) => stepOf.get(d.id)!);
  const afterReboot = fromEarlierBoot(journal.state.bootId) ? { filesChanged: done.some((d) => d.file) } : null;
  const report: RollbackReport = { restored: [], removed: [], commands: [], errors: [], byHand: [], journalErrors: [], afterReboot };
  // The journal's own files are written the same way; a kill there leaves a temp file too.
  for (const own of ['state.json', 'plan.json', 'live-before.json']) removeStaleTemps(path.join(journal.dir, own));
  // On a full or read-only disk the journal may not take its new state: the files come first.
  const setStatus = (status: RunStatus, error: string | null = null) => {
    try {
      journal.setStatus(status, error);
    } catch (err) {
      report.journalErrors.push(`${path.join(journal.dir, 'state.json')}: ${(err as Error).message}`);
    }
  };
  setStatus('rolling-back');

  /**
   * Undo `step`, unless a reboot since has already reset what it changed: when none of the run's
   * files had been written before it, the boot brought the old network up from the old files and
   * nothing of the run's running-state changes is left. (With files written, the boot brought up
   * what they said, and the undo brings the running state back like in the same boot.)
   */
  const undo = async (step: Step) => {
    if (!step.undo) return;
    if (afterReboot && !afterReboot.filesChanged && runner.live && endsWithReboot(step.argv ?? [])) {
      progress({ kind: 'reboot', what: step.argv!.join(' ') });
      return;
    }
    await run(step.undo, step.undoInput);
  };
  const run = async (argv: string[], input?: string) => {
    progress({ kind: 'run', what: argv.join(' ') });
    report.commands.push(argv);
    if (!runner.live) return;
    try {
      // A libvirt network already in the state the command would put it in (started by its
      // autostart link at boot, or never started since): `virsh` would fail for nothing.
      const net = virshNetNoop(argv);
      if (net) {
        const info = await runner.run(['virsh', 'net-info', net.name]).catch(() => null);
        if (info && info.exitCode === 0 && netInfoActive(info.stdout) === net.active) {
          progress({ kind: 'already', what: argv.join(' ') });
          return;
        }
      }
      // A vif whose domain is gone since (destroyed, rebooted under a new domid, a dom0 reboot):
      // writing its key back would create a stray xenstore entry for no device.
      if (argv[0] === 'xenstore-write' && argv[1]) {
        const dir = path.posix.dirname(argv[1]);
        const exists = await runner.run(['xenstore-exists', dir]).catch(() => null);
        if (exists && exists.exitCode !== 0) {
          progress({ kind: 'gone', what: dir });
          return;
        }
      }
      if (input !== undefined && argv.join(' ') === 'ip -batch -') {
        const links = await runner.run(['ip', '-json', 'link', 'show']);
        if (links.exitCode === 0) {
          const names = new Set((JSON.parse(links.stdout || '[]') as { ifname: string }[]).map((l) => l.ifname));
          const { batch, dropped } = dropVanishedLinks(input, names);
          for (const link of dropped) progress({ kind: 'gone', what: link });
          input = batch;
        }
      }
      const result = await runner.run(argv, input);
      if (result.exitCode !== 0) {
        report.errors.push(`${argv.join(' ')}: exit ${result.exitCode} ${result.stderr.trim()}`);
        report.byHand.push(byHandLine(argv, input));
      }
    } catch (err) {
      // Also a command that could not start (its binary missing): printed with its input, or the
      // admin's `ip -batch -` or `virsh net-define /dev/stdin` would wait on the terminal.
      report.errors.push(`${argv.join(' ')}: ${(err as Error).message}`);
      report.byHand.push(byHandLine(argv, input));
    }
  };

  for (const step of ran(['after-edit', 'finally']).reverse()) await undo(step);
  for (const d of [...done].reverse()) {
    if (!d.file || filesDone) continue;
    if (stepOf.get(d.id)?.file?.ephemeral && !fs.existsSync(fs_.resolve(d.file.path))) {
      progress({ kind: 'gone', what: d.file.path });
      continue;
    }
    const domain = stepOf.get(d.id)?.file?.runningDomain;
    const moved = domain ? domainMoved(fs_.resolve(d.file.path), domain) : null;
    if (moved) {
      progress({ kind: moved, what: d.file.path });
      continue;
    }
    try {
      progress({ kind: d.file.existed ? 'restore' : 'remove', what: d.file.path });
      restoreFile(fs_, journal, d, report);
    } catch (err) {
      report.errors.push(`${d.file.path}: ${(err as Error).message}`);
      report.byHand.push(...restoreByHand(fs_, journal, d.file));
    }
  }
  for (const step of ran(['after-edit', 'finally'])) if (step.rerunOnRollback) await run(step.argv!, step.input);
  for (const step of ran(['before-edit']).reverse()) await undo(step);

  // Rolled back only when every step that ran was undone: a live run's commands listed instead of
  // run (a files-only rollback) leave it 'files-restored', to be finished with --live.
  const commandsUndone = runner.live || ranCommands(journal) === 0;
  setStatus(report.errors.length ? 'rollback-failed' : commandsUndone ? 'rolled-back' : 'files-restored', report.errors.join('\n') || null);
  return report;
}
