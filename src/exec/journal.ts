// The run journal under ROOT/var/lib/xen-net-wizard/runs/<id>/: the plan, the state, and the
// original bytes of every file, written and fsynced *before* the file is changed.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from '../system/random.js';
import type { Plan } from '../model/plan.js';
import { writeFileAtomic } from './atomicWrite.js';
import { writePoint } from '../system/diskFault.js';
import { currentBootId } from '../system/processAlive.js';

export const STATE_DIR = '/var/lib/xen-net-wizard';

/** 'files-restored': a live run whose files were restored offline (--files-only); its commands still need `rollback --live`. */
export type RunStatus = 'applying' | 'confirming' | 'applied' | 'rolling-back' | 'rolled-back' | 'files-restored' | 'failed' | 'rollback-failed';

export interface FileEntry {
  /** dom0 path. */
  path: string;
  existed: boolean;
  /** Name of the saved original under files/, when it existed and was a regular file. */
  saved: string | null;
  mode: number;
  uid: number;
  gid: number;
  linkTarget: string | null;
  /** Directories this run created for the file, outermost first (removed on rollback). */
  createdDirs: string[];
  /**
   * sha256 of the bytes this run wrote (null: it removed the file). Rollback compares it with the
   * file on disk so that an edit made by hand after apply is never overwritten silently.
   * Absent in journals written before it existed.
   */
  afterSha256?: string | null;
  /** The symlink target this run created (offline `virsh net-autostart`), compared the same way. */
  afterLink?: string;
}

export interface DoneStep {
  id: string;
  /** 'ran' (live command), 'listed' (offline command), 'written' (file). */
  how: 'ran' | 'listed' | 'written';
  file?: FileEntry;
}

export interface RunState {
  id: string;
  recipe: string;
  root: string;
  live: boolean;
  pid: number;
  started: string;
  finished: string | null;
  status: RunStatus;
  done: DoneStep[];
  error: string | null;
  /** The signal (SIGINT, SIGTERM, SIGHUP) that ended the run: "interrupted, rolled back". */
  interrupted?: string;
  /** The commit-confirmed watchdog owning this run, while it waits. */
  watchdogPid?: number;
  /** The boot the run started in: after a power cut its PIDs may belong to other processes. */
  bootId?: string | null;
}

/**
 * The journal holds copies of root-owned configs (and the state of the host's network): root-only.
 * Parents are created as usual; the directory itself is made (or tightened to) 0700.
 */
export function privateDir(dir: string): void {
  writePoint(dir, 'mkdir');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  fs.chmodSync(dir, 0o700);
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${Buffer.from(randomBytes(2)).toString('hex')}`;
}

export class Journal {
  readonly dir: string;
  state: RunState;

  private constructor(dir: string, state: RunState) {
    this.dir = dir;
    this.state = state;
  }

  static create(runsDir: string, plan: Plan, root: string, live: boolean): Journal {
    const id = newRunId();
    const dir = path.join(runsDir, id);
    privateDir(runsDir);
    try {
      privateDir(dir);
      privateDir(path.join(dir, 'files'));
      writeFileAtomic(path.join(dir, 'plan.json'), JSON.stringify(plan, null, 2) + '\n', { mode: 0o600 });
      const journal = new Journal(dir, {
        id, recipe: plan.recipe, root, live, pid: process.pid, bootId: currentBootId(), started: new Date().toISOString(),
        finished: null, status: 'applying', done: [], error: null,
      });
      journal.save();
      return journal;
    } catch (err) {
      // A journal that could not be written whole is no journal: nothing was changed yet.
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  static open(runsDir: string, id: string): Journal | null {
    const dir = path.join(runsDir, id);
    try {
      const state = JSON.parse(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')) as RunState;
      return new Journal(dir, state);
    } catch {
      return null;
    }
  }

  static list(runsDir: string): Journal[] {
    let ids: string[] = [];
    try {
      ids = fs.readdirSync(runsDir).sort();
    } catch {
      return [];
    }
    // Chronological by start time: two runs in the same second differ only in a random suffix.
    return ids
      .map((id) => Journal.open(runsDir, id))
      .filter((j): j is Journal => j !== null)
      .sort((a, b) => a.state.started.localeCompare(b.state.started) || a.state.id.localeCompare(b.state.id));
  }

  plan(): Plan {
    return JSON.parse(fs.readFileSync(path.join(this.dir, 'plan.json'), 'utf8')) as Plan;
  }

  save(): void {
    writeFileAtomic(path.join(this.dir, 'state.json'), JSON.stringify(this.state, null, 2) + '\n', { mode: 0o600 });
  }

  /** Save a file's original before it changes; returns its entry (not yet marked done). */
  saveOriginal(realPath: string, dom0Path: string, createdDirs: string[]): FileEntry {
    let st: fs.Stats | null = null;
    try {
      st = fs.lstatSync(realPath);
    } catch {
      st = null;
    }
    const n = this.state.done.length;
    const entry: FileEntry = {
      path: dom0Path, existed: st !== null, saved: null, mode: st ? st.mode & 0o7777 : 0,
      uid: st?.uid ?? 0, gid: st?.gid ?? 0, linkTarget: null, createdDirs,
    };
    if (st?.isSymbolicLink()) {
      entry.linkTarget = fs.readlinkSync(realPath);
    } else if (st) {
      entry.saved = `${n}-${path.basename(dom0Path)}`;
      writeFileAtomic(path.join(this.dir, 'files', entry.saved), fs.readFileSync(realPath), { mode: 0o600 });
    }
    return entry;
  }

  originalBytes(entry: FileEntry): Buffer {
    return fs.readFileSync(path.join(this.dir, 'files', entry.saved!));
  }

  markDone(step: DoneStep): void {
    this.state.done.push(step);
    this.save();
  }

  setStatus(status: RunStatus, error: string | null = null): void {
    this.state.status = status;
    if (error) this.state.error = error;
    if (status !== 'applying' && status !== 'rolling-back' && status !== 'confirming') this.state.finished = new Date().toISOString();
    this.save();
  }
}
