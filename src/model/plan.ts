// The plan as data: ordered steps, serialisable to JSON (`plan --json`), shown as diffs.
import type { Instruction } from './topology.js';
import type { JsonMessage } from './jsonMessage.js';

export interface FileChange {
  /** dom0 path, e.g. "/etc/xen/centos51u". */
  path: string;
  /** Octal string, e.g. "0644", "0755". */
  mode: string;
  /** Full text before, or null when the file is new. */
  before: string | null;
  /** Full text after, or null when the file is removed. */
  after: string | null;
  /** Symlink target, when the file being removed is a symlink (libvirt autostart links). */
  linkTarget?: string;
  /** Create a symlink to this target instead of a file (`virsh net-autostart` done offline). */
  createLink?: string;
  /**
   * The file lives and dies with a running domain (libxl's stored config): absent at rollback, the
   * domain is gone (destroyed, or restarted under a new domid) and there is nothing to put back.
   */
  ephemeral?: boolean;
  /**
   * The file is a daemon's record of this running domain (libvirt's status file): the daemon
   * rewrites it in its own format (not an edit by hand while it names this domid and uuid), and a
   * domain started since has a file of its own, which rollback leaves alone.
   */
  runningDomain?: { id: number; uuid: string };
}

/** A dom0 file's text and mode ("0644"), or null when it is absent: what renderers read. */
export type ReadFile = (path: string) => FileRead | null;

export interface FileRead {
  text: string;
  mode: string;
  /** The file parsed by `parser` — the form detection already made, when the reader kept it. */
  parse?: <T>(parser: (text: string, file: string) => T) => T;
}

/** `parser` over a file read, reusing what detection parsed (src/detect/hostFiles.ts). */
export function parsedFile<T>(file: FileRead, path: string, parser: (text: string, file: string) => T): T {
  return file.parse ? file.parse(parser) : parser(file.text, path);
}

export type StepKind = 'file' | 'command';

/** When a command runs relative to the file edits: the guide's stop → edit → restart → start. */
export type Phase = 'before-edit' | 'edit' | 'after-edit' | 'finally';

export interface Step {
  /** Stable id within the plan, e.g. "edit:/etc/xen/centos51u" or "run:virsh-net-destroy-default". */
  id: string;
  kind: StepKind;
  /** Locale key and params of the human title. */
  title: { key: string; params: Record<string, string | number> };
  phase: Phase;
  file?: FileChange;
  /** The exact command, argv[0] a binary looked up on PATH or a dom0 path (resolved under --root). */
  argv?: string[];
  /** Standard input for the command (the `ip -batch -` transaction). */
  input?: string;
  /** The command that undoes this one, run in reverse order on rollback, and its input. */
  undo?: string[];
  undoInput?: string;
  /** Run the same command again after the files are restored (virsh define, service restart). */
  rerunOnRollback?: boolean;
  /**
   * What an offline (--root, no --live) run does instead of the command, so the persisted
   * state is the same: like `systemctl --root`, `virsh net-autostart --disable` removes the link.
   */
  offline?: FileChange;
}

export interface Plan {
  recipe: string;
  profile: string;
  backend: string;
  /** How the network change takes effect: restart with the backend's tools, or live (later). */
  method: 'xend-sequence' | 'backend-restart' | 'live' | 'xend-restart' | 'next-start' | 'network-restart';
  steps: Step[];
  /**
   * Set when the plan moves the interface that carries the default route or the SSH session:
   * apply is then commit-confirmed, checking these addresses (DESIGN.md, Safety 3).
   */
  confirm?: { gateway: string | null; sshClient: string | null };
  /** Locale keys of notes shown with the plan (e.g. "guests pick this up at their next start"). */
  notes: { key: string; params: Record<string, string | number> }[];
  /** What the admin does elsewhere (inside a guest, on the LAN router): shown, never run. */
  instructions?: Instruction[];
}

/** `plan --json` (schemas/plan.schema.json): keys and params for machines, `text` for people. */
export interface PlanJson {
  schemaVersion: number;
  recipe: string;
  profile: string;
  backend: string;
  method: string;
  confirm?: { gateway: string | null; sshClient: string | null };
  steps: {
    id: string;
    kind: StepKind;
    phase: Phase;
    title: JsonMessage;
    file?: { path: string; mode: string; before: string | null; after: string | null; createLink?: string };
    argv?: string[];
    input?: string;
  }[];
  notes: JsonMessage[];
  instructions: (JsonMessage & { file?: { path: string; text: string } })[];
}
