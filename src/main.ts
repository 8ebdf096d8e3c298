// Entry point: argv → options, --help/--version without loading prompts, listr2 or execa,
// then the command module (imported lazily), and the one place where errors become exit codes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCli } from './cli/args.js';
import { langFromEnv, packageDir, translator, type Lang, type Translate } from './i18n.js';
import { EXIT, WizardError, type MessageParams } from './errors.js';
import { jsonMessage, jsonText } from './model/jsonMessage.js';
// Only the type: context.ts pulls src/system/*, which --help does not need.
import type { Io } from './context.js';
import { isPlainOutput, writeOut, writeStraight } from './system/stdio.js';
import { textWidthLoaded, widthOf, wrapLabelled, wrapMessage } from './ui/textWidth.js';

export function version(): string {
  return (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** EPIPE on stdout (`plan --json | head`) is not an error worth a stack trace. */
function quietOnEpipe(stream: Partial<NodeJS.EventEmitter>): void {
  stream.on?.('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

export function defaultIo(): Io {
  let stdoutMade = false;
  let plainStdout: boolean | undefined;
  let plainStderr: boolean | undefined;
  return {
    // Getters: node makes a standard stream when it is first asked for, loading the stream modules
    // of its kind (a pipe's, a file's, a terminal's) — ~5 ms of a cold start (issue 11). --help and
    // `plan --json` write stdout straight when it is a pipe or a file, and never read stdin.
    get stdout() {
      if (!stdoutMade) quietOnEpipe(process.stdout);
      stdoutMade = true;
      return process.stdout;
    },
    writeOut(text: string) {
      plainStdout ??= isPlainOutput(1);
      const rest = plainStdout && !stdoutMade ? writeStraight(1, text) : text;
      if (rest.length > 0) this.stdout.write(rest);
    },
    get plainStderr() { return (plainStderr ??= isPlainOutput(2)); },
    get stderr() { return process.stderr; },
    get stdin() { return process.stdin; },
    env: process.env,
    isRoot: typeof process.getuid === 'function' ? process.getuid() === 0 : false,
  };
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  if (textWidthLoaded) await textWidthLoaded;
  let lang: Lang = langFromEnv(io.env);
  // defaultIo's stdout does this when it is made (and it may never be).
  if (!io.writeOut) quietOnEpipe(io.stdout);
  try {
    // --lang is looked for before parsing so that a parse error is already in the asked language.
    const explicitLang = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
    if (explicitLang >= 0) {
      const value = argv[explicitLang].includes('=') ? argv[explicitLang].split('=')[1] : argv[explicitLang + 1];
      if (value === 'en' || value === 'ja') lang = value;
    }
    const options = parseCli(argv);
    if (options.lang) lang = options.lang;
    const t = translator(lang);
    if (options.version) {
      writeOut(io, `${version()}\n`);
      return EXIT.ok;
    }
    if (options.help) {
      const { helpText } = await import('./cli/help.js');
      writeOut(io, helpText(t, options.helpTopic ?? options.command, version()));
      return EXIT.ok;
    }
    const { runCommand } = await import('./commands/index.js');
    return await runCommand(options, lang, t, io);
  } catch (err) {
    // --json is looked for in argv too: a parse error is still one JSON object for the script.
    return reportError(err, translator(lang), io, argv.includes('--json'));
  }
}

/** The one place where an error becomes a message and an exit code; with --json also the error object on stdout. */
export function reportError(err: unknown, t: Translate, io: Io, json = false): number {
  const { key, params, exitCode } = describeError(err);
  // Ctrl-C is the user's choice, not an error: its line has no "error:" prefix.
  // Wrapped to the terminal (80 columns when not one) by display width, continuation lines indented.
  const width = widthOf({ io });
  // Commands to run by hand (exit 4) are never wrapped: they must stay copy-pastable.
  const verbatim = typeof params.commands === 'string' ? params.commands : null;
  const text = t(key, verbatim === null ? params : { ...params, commands: '@@commands@@' });
  const shown = key === 'error.interrupted' ? wrapMessage(text, width) : wrapLabelled(`${t('error.prefix')}: `, text, width);
  io.stderr.write(`${verbatim === null ? shown : shown.replace(/^ *@@commands@@$/m, () => verbatim)}\n`);
  if (typeof params.suggestion === 'string') io.stderr.write(`${wrapMessage(t('error.didYouMean', { suggestion: params.suggestion }), width)}\n`);
  const nothingChanged = exitCode === EXIT.badInput;
  if (nothingChanged) io.stderr.write(`${wrapMessage(t('error.nothingChanged'), width)}\n`);
  if (json) writeOut(io, `${jsonText({ error: { ...jsonMessage(t, key, params), exitCode, nothingChanged } })}\n`);
  return exitCode;
}

function describeError(err: unknown): { key: string; params: MessageParams; exitCode: number } {
  if (err instanceof WizardError) return { key: err.key, params: err.params, exitCode: err.exitCode };
  const e = err as Error & { name?: string };
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') return { key: 'error.interrupted', params: {}, exitCode: EXIT.interrupted };
  return { key: 'error.internal', params: { detail: e?.stack ?? String(err) }, exitCode: EXIT.failedRolledBack };
}
