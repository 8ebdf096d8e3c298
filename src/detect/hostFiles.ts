// A dom0 root as detection and the planner see it: each file read once, each config parsed once.
// Detection reads through it and hands it, with what it parsed, to the planner (filesOf), so a
// plan over 1,000 guests reads and parses each guest definition, interfaces and ifcfg file once.
// Read-only by design: it lives from detection to the plan; apply and rollback use the RootFs.
import type { HostFacts } from '../model/host.js';
import type { ReadFile } from '../model/plan.js';
import { RootFs, decodeText, type FileInfo } from '../system/rootfs.js';

type Outcome<T> = { value: T } | { error: unknown };

/** What is known of one path: each fact asked once, an error kept as an answer too. */
interface Known {
  info?: Outcome<FileInfo | null>;
  bytes?: Outcome<Buffer | null>;
  /** The bytes decoded as UTF-8, checked or not. */
  text?: string;
  /** The UTF-8 check's verdict (refused when it fails), for strict readers. */
  checked?: Outcome<string>;
  link?: Outcome<string | null>;
  list?: Outcome<string[]>;
}

function attempt<T>(get: () => T): Outcome<T> {
  try {
    return { value: get() };
  } catch (error) {
    return { error };
  }
}

function settled<T>(outcome: Outcome<T>): T {
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

export class HostFiles extends RootFs {
  /** One record per path (not one map per fact: 1,000 guests' files, issue 11). */
  private readonly known = new Map<string, Known>();
  private readonly parsedForms = new Map<Function, Map<string, { text: string; value: unknown }>>();

  constructor(private readonly disk: RootFs) {
    super(disk.root);
  }

  private of(p: string): Known {
    let k = this.known.get(p);
    if (!k) this.known.set(p, k = {});
    return k;
  }

  override info(p: string): FileInfo | null {
    const k = this.of(p);
    return settled(k.info ??= attempt(() => this.disk.info(p)));
  }

  override exists(p: string): boolean {
    return this.info(p) !== null;
  }

  override readBytes(p: string): Buffer | null {
    const k = this.of(p);
    // The lstat already made of it (never a new one) spares the read its fstat.
    const known = k.info && 'value' in k.info ? k.info.value : null;
    return settled(k.bytes ??= attempt(() => this.disk.readBytes(p, known)));
  }

  override readText(p: string, opts: { anyEncoding?: boolean } = {}): string | null {
    const data = this.readBytes(p);
    if (data === null) return null;
    // Decoded once; the UTF-8 check (refused when it fails) once, for the first strict reader.
    const k = this.of(p);
    const text = (k.text ??= data.toString('utf8'));
    return opts.anyEncoding ? text : settled(k.checked ??= attempt(() => decodeText(p, data, {}, text)));
  }

  override readLink(p: string): string | null {
    const k = this.of(p);
    return settled(k.link ??= attempt(() => this.disk.readLink(p)));
  }

  override list(p: string): string[] {
    const k = this.of(p);
    return settled(k.list ??= attempt(() => this.disk.list(p)));
  }

  /** A file as the planner reads it: text, octal mode and the form detection parsed it into. */
  readonly read: ReadFile = (p) => {
    const text = this.readText(p);
    const info = this.info(p);
    if (text === null || !info || info.isDirectory) return null;
    return { text, mode: info.mode.toString(8).padStart(4, '0'), parse: (parser) => this.parsed(parser, p, text) };
  };

  /** `parse(text, file)` once per file and parser, as long as the text is the one read. */
  parsed<T>(parse: (text: string, file: string) => T, file: string, text: string): T {
    let forms = this.parsedForms.get(parse);
    if (!forms) this.parsedForms.set(parse, forms = new Map());
    const hit = forms.get(file);
    if (hit && hit.text === text) return hit.value as T;
    const value = parse(text, file);
    forms.set(file, { text, value });
    return value;
  }
}

/** Parse through the read-once view when there is one (detection always has one). */
export function parseOnce<T>(fs: RootFs, parse: (text: string, file: string) => T, file: string, text: string): T {
  return fs instanceof HostFiles ? fs.parsed(parse, file, text) : parse(text, file);
}

const detected = new WeakMap<HostFacts, HostFiles>();

/** Called by detection: these files (and what was parsed from them) go with these facts. */
export function rememberFiles(host: HostFacts, files: HostFiles): void {
  detected.set(host, files);
}

/** The files detection read for `host`, or a fresh read-once view of `fs` (facts made by hand). */
export function filesOf(host: HostFacts, fs: RootFs): HostFiles {
  const files = detected.get(host);
  if (files && files.root === fs.root) return files;
  return fs instanceof HostFiles ? fs : new HostFiles(fs);
}
