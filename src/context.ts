// The run's context, built from flags before any prompt (create-astro's shape): language,
// output streams, the dom0 root, whether commands really run.
import fs from 'node:fs';
import type { CliOptions } from './cli/args.js';
import { isLive } from './cli/args.js';
import type { Lang, Translate } from './i18n.js';
import { RootFs } from './system/rootfs.js';
import { liveRunner, offlineRunner, type CommandRunner } from './system/commands.js';
import type { RandomBytes } from './mac.js';
import { InputError } from './errors.js';
import { ownNetns } from './system/netns.js';
import { randomBytes } from './system/random.js';
import { stderrIsTTY, writeOut } from './system/stdio.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  isRoot: boolean;
  /**
   * defaultIo's: stdout's text written straight to fd 1 while that is a pipe or a file and node's
   * stream is not made (src/system/stdio.ts). Without it, text goes to `stdout`.
   */
  writeOut?: (text: string) => void;
  /** defaultIo's: fd 2 is a pipe or a file, so no terminal — known without making node's stream. */
  plainStderr?: boolean;
}

export interface Context {
  options: CliOptions;
  lang: Lang;
  t: Translate;
  io: Io;
  color: boolean;
  interactive: boolean;
  fs: RootFs;
  live: boolean;
  runner: CommandRunner;
  random: RandomBytes;
  /** The bundled demo dom0 (npm start on a machine that is not a dom0). */
  demo: boolean;
  out(line?: string): void;
  err(line?: string): void;
}

export function colorWanted(options: CliOptions, io: Io): boolean {
  if (options.color !== null) return options.color;
  if ('NO_COLOR' in io.env && io.env.NO_COLOR !== '') return false;
  // A dumb terminal (Emacs shell, some serial consoles) shows escapes as garbage.
  if (io.env.TERM === 'dumb') return false;
  return stderrIsTTY(io);
}

const MUTATING = new Set(['apply', 'rollback', 'wizard']);

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function buildContext(options: CliOptions, lang: Lang, t: Translate, io: Io, demoRoot: string | null): Context {
  const root = demoRoot ?? options.root;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new InputError('error.rootMissing', { root });
  const live = demoRoot ? false : isLive(options);
  if (root === '/' && !io.isRoot && MUTATING.has(options.command) && !options.offline) {
    throw new InputError('error.notRoot', { command: options.command });
  }
  // A root we cannot write would fail half-way (the lock, the journal): refuse before anything.
  if (MUTATING.has(options.command) && !options.list && !demoRoot && !writable(root)) throw new InputError('error.rootNotWritable', { root });
  // A test or a typo must never reconfigure the machine it runs on: --live on a fixture root is
  // only allowed inside a network namespace other than the machine's own (DESIGN.md).
  if (live && root !== '/' && ownNetns()) throw new InputError('error.liveRootInHostNetns', { root });
  const fsRoot = new RootFs(root);
  const color = colorWanted(options, io);
  // listr2 and the prompts decide colour for themselves, from the environment: tell them.
  // FORCE_COLOR goes too: with both set, every node process we start (the watchdog) warns in English.
  if (!color && io.env === process.env) {
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR;
  }
  return {
    options, lang, t, io,
    color,
    // stderr first: stdin is made only when asked for (main.ts's defaultIo), and plan --json has no use for it.
    interactive: stderrIsTTY(io) && Boolean(io.stdin.isTTY) && !options.yes,
    fs: fsRoot,
    live,
    runner: live ? liveRunner(fsRoot) : offlineRunner(),
    random: randomBytes,
    demo: demoRoot !== null,
    out: (line = '') => writeOut(io, line + '\n'),
    err: (line = '') => {
      io.stderr.write(line + '\n');
    },
  };
}
