// Drift: a file the run wrote was changed by hand after apply. Rollback would overwrite that edit,
// so it refuses (exit 2, the diff shown) unless --force. A file still holding what the run wrote,
// or already holding the original again (a run killed before its rename), is not drift.
import fs from 'node:fs';
import type { RootFs } from '../system/rootfs.js';
import type { Step } from '../model/plan.js';
import { unifiedDiff, noPaint } from '../plan/format.js';
import { InputError } from '../errors.js';
import type { Journal, FileEntry } from './journal.js';
import { sha256 } from './apply.js';

export interface Drift {
  path: string;
  /** Unified diff from what the run wrote to what is there now. */
  diff: string;
}

type OnDisk = { kind: 'absent' } | { kind: 'link'; target: string } | { kind: 'file'; bytes: Buffer } | { kind: 'other' };

function onDisk(real: string): OnDisk {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(real);
  } catch {
    return { kind: 'absent' };
  }
  if (st.isSymbolicLink()) return { kind: 'link', target: fs.readlinkSync(real) };
  if (st.isFile()) return { kind: 'file', bytes: fs.readFileSync(real) };
  return { kind: 'other' };
}

function isOriginal(journal: Journal, entry: FileEntry, now: OnDisk): boolean {
  if (!entry.existed) return now.kind === 'absent';
  if (entry.linkTarget !== null) return now.kind === 'link' && now.target === entry.linkTarget;
  return now.kind === 'file' && entry.saved !== null && now.bytes.equals(journal.originalBytes(entry));
}

function isWritten(entry: FileEntry, now: OnDisk): boolean {
  if (entry.afterLink !== undefined) return now.kind === 'link' && now.target === entry.afterLink;
  if (entry.afterSha256 === null) return now.kind === 'absent';
  return now.kind === 'file' && sha256(now.bytes) === entry.afterSha256;
}

const describe = (now: OnDisk): string | null =>
  now.kind === 'file' ? now.bytes.toString('utf8') : now.kind === 'link' ? `-> ${now.target}\n` : now.kind === 'absent' ? null : '(not a regular file)\n';

export function findDrift(journal: Journal, fs_: RootFs): Drift[] {
  const steps = new Map<string, Step>(journal.plan().steps.map((s) => [s.id, s]));
  const drift: Drift[] = [];
  for (const done of journal.state.done) {
    const entry = done.file;
    // Journals written before afterSha256 existed cannot tell: they are restored as before.
    if (!entry || entry.afterSha256 === undefined) continue;
    const now = onDisk(fs_.resolve(entry.path));
    const step = steps.get(done.id);
    if (isWritten(entry, now) || isOriginal(journal, entry, now)) continue;
    // libxl deleted it with its domain: not an edit by hand, nothing for rollback to overwrite.
    if (step?.file?.ephemeral && now.kind === 'absent') continue;
    // libvirt rewrites its status file in its own format (it re-saves it when it reconnects), and
    // a domain started since has a new one, which rollback leaves alone: neither is an edit by hand.
    if (step?.file?.runningDomain) continue;
    const written = (step?.file ?? step?.offline)?.after ?? null;
    drift.push({ path: entry.path, diff: unifiedDiff(entry.path, written, describe(now), noPaint) });
  }
  return drift;
}

/** Throws (exit 2, nothing changed) when a file of the run was edited after it; `force` skips the check. */
export function refuseDrift(journal: Journal, fs_: RootFs, force: boolean): void {
  if (force) return;
  const drift = findDrift(journal, fs_);
  if (drift.length === 0) return;
  throw new InputError('error.rollbackDrift', {
    id: journal.state.id,
    files: drift.map((d) => d.path).join(', '),
    diff: drift.map((d) => d.diff).join('\n'),
  });
}
