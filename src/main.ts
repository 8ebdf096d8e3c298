// Entry point: argv → options, --help/--version without loading prompts, listr2 or execa,
// then the command module (imported lazily), and the one place where errors become exit codes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseCli, type CliOptions } from './cli/args.js';
import { langFromEnv, translator, type Lang, type Translate } from './i18n.js';
import { EXIT, WizardError } from './errors.js';
import { defaultIo, type Io } from './context.js';
import { formatColumns, terminalWidth, wrapLabelled, wrapMessage } from './ui/textWidth.js';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function version(): string {
  return (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function helpText(t: Translate, command: CliOptions['command'], width = 80): string {
  const specific = command === 'wizard' ? '' : t(`help.command.${command}`);
  return formatColumns([t('help.usage', { version: version() }), specific].filter(Boolean).join('\n\n'), width) + '\n';
}

export async function main(argv: readonly string[], io: Io = defaultIo()): Promise<number> {
  let lang: Lang = langFromEnv(io.env);
  // EPIPE on stdout (`plan --json | head`) is not an error worth a stack trace.
  io.stdout.on?.('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
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
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    if (options.help) {
      io.stdout.write(helpText(t, options.command, terminalWidth(io.stdout)));
      return EXIT.ok;
    }
    const { runCommand } = await import('./commands/index.js');
    return await runCommand(options, lang, t, io);
  } catch (err) {
    return reportError(err, translator(lang), io);
  }
}

export function reportError(err: unknown, t: Translate, io: Io): number {
  const width = terminalWidth(io.stderr);
  if (err instanceof WizardError) {
    io.stderr.write(`${wrapLabelled(`${t('error.prefix')}: `, t(err.key, err.params), width)}\n`);
    if (err.exitCode === EXIT.badInput) io.stderr.write(`${wrapMessage(t('error.nothingChanged'), width)}\n`);
    return err.exitCode;
  }
  const e = err as Error & { name?: string };
  if (e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    io.stderr.write(`${wrapMessage(t('error.interrupted'), width)}\n`);
    return EXIT.interrupted;
  }
  io.stderr.write(`${wrapLabelled(`${t('error.prefix')}: `, t('error.internal', { detail: e?.stack ?? String(err) }), width)}\n`);
  return EXIT.failedRolledBack;
}
