// Commit-confirmed (like `netplan try`, for the whole plan): after a change that can cut the admin
// off, a detached watchdog owns the timer. The wizard and the watchdog talk through files in the
// run's journal directory, so the rollback does not depend on the terminal or the SSH session.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Reachability } from './connectivity.js';
import { deadlineIn } from './clock.js';
import { writePoint } from '../system/diskFault.js';
import { processAlive } from '../system/processAlive.js';

export const CONFIRMED = 'confirmed';
export const ABORT = 'abort';
export const OUTCOME = 'watchdog-outcome.json';

export interface WatchdogArgs {
  root: string;
  runId: string;
  timeoutSeconds: number;
  targets: Reachability;
}

export interface WatchdogOutcome {
  result: 'confirmed' | 'rolled-back' | 'rollback-failed';
  reason: 'confirmed' | 'timeout' | 'connectivity' | 'abort';
  lost?: string[];
  errors?: string[];
}

const watchdogScript = path.join(path.dirname(fileURLToPath(import.meta.url)), './watchdog.js');

/** Starts the watchdog in its own session (setsid): a dropped SSH session's SIGHUP does not reach it. */
export function startWatchdog(args: WatchdogArgs, env: NodeJS.ProcessEnv): number {
  const child = spawn(process.execPath, [watchdogScript, JSON.stringify(args)], { detached: true, stdio: 'ignore', env });
  child.unref();
  return child.pid ?? 0;
}

export function mark(runDir: string, name: typeof CONFIRMED | typeof ABORT): void {
  writePoint(path.join(runDir, name), 'mark');
  fs.writeFileSync(path.join(runDir, name), `${new Date().toISOString()}\n`);
}

export function readOutcome(runDir: string): WatchdogOutcome | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, OUTCOME), 'utf8')) as WatchdogOutcome;
  } catch {
    return null;
  }
}

export async function waitForOutcome(runDir: string, limitMs: number): Promise<WatchdogOutcome | null> {
  const limit = deadlineIn(limitMs);
  while (!limit.passed()) {
    const outcome = readOutcome(runDir);
    if (outcome) return outcome;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

/**
 * The watchdog's answer to a mark, waited for as long as the watchdog process lives (up to
 * `limitMs`): it is a Node process of its own that may still be starting — under emulation the lab
 * measured 13 s for a bare `node -e 0`, longer than any fixed grace would be — and it reads the
 * mark as soon as its loop runs. A watchdog gone without an answer ends the wait at once.
 */
export async function waitForAck(runDir: string, pid: number, limitMs: number): Promise<WatchdogOutcome | null> {
  const limit = deadlineIn(limitMs);
  while (!limit.passed()) {
    const outcome = readOutcome(runDir);
    if (outcome) return outcome;
    if (!processAlive(pid)) return readOutcome(runDir);
    await new Promise((r) => setTimeout(r, 100));
  }
  return readOutcome(runDir);
}
