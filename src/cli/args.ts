// Pure argv → command parser (the antfu/ni shape): no I/O, table-tested in test/cli/args.test.ts.
// Which flags exist, and what they set, is spec.ts: the same table --help and completion read.
import { InputError } from '../errors.js';
import { COMMAND_SPECS, flagTable, SHELLS, type OptionSpec } from './spec.js';
import { closest } from '../didYouMean.js';

export const COMMANDS = ['wizard', 'recipes', 'detect', 'plan', 'apply', 'rollback', 'mac', 'completion'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  root: string;
  rootGiven: boolean;
  answers: string | null;
  /** --recipe ID: the answer "recipe" given on the command line. */
  recipe: string | null;
  /** --set ID=VALUE, in order: answers given on the command line, over the answers file. */
  set: string[];
  saveAnswers: string | null;
  yes: boolean;
  json: boolean;
  lang: 'en' | 'ja' | null;
  color: boolean | null;
  confirmTimeout: number;
  offline: boolean;
  live: boolean;
  force: boolean;
  /** Keep the demo dom0's temp copy when the wizard exits (its path is printed). */
  keepDemo: boolean;
  /** rollback of a live run without --live: restore the files only, and leave the run marked so. */
  filesOnly: boolean;
  help: boolean;
  version: boolean;
  list: boolean;
  count: number;
  /** rollback's run id. */
  runId: string | null;
  /** completion's shell. */
  completionShell: (typeof SHELLS)[number] | null;
  /** `help help` / `help --help`: the help command's own help. */
  helpTopic: 'help' | null;
}

const FLAGS = flagTable();

export function defaultOptions(): CliOptions {
  return {
    command: 'wizard', root: '/', rootGiven: false, answers: null, recipe: null, set: [], saveAnswers: null, yes: false,
    json: false, lang: null, color: null, confirmTimeout: 120, offline: false, live: false,
    force: false, keepDemo: false, filesOnly: false, help: false, version: false, list: false, count: 1, runId: null, completionShell: null, helpTopic: null,
  };
}

const COMMAND_WORDS = COMMAND_SPECS.map((c) => c.name).filter((n) => n !== 'wizard');

function unknownCommand(command: string): InputError {
  const suggestion = closest(command, COMMAND_WORDS);
  return new InputError('error.unknownCommand', { command, ...(suggestion ? { suggestion } : {}) });
}

export function parseCli(argv: readonly string[]): CliOptions {
  const options = defaultOptions();
  const fields = options as unknown as Record<string, unknown>;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS.get(name);
    if (!flag) {
      const suggestion = closest(name, [...FLAGS.keys()].filter((f) => f.startsWith('--')));
      throw new InputError('error.unknownOption', { option: name, ...(suggestion ? { suggestion } : {}) });
    }
    if (flag.kind === 'bool') {
      if (eq > 0) throw new InputError('error.optionTakesNoValue', { option: name });
      fields[flag.field] = flag.value ?? true;
      continue;
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new InputError('error.optionNeedsValue', { option: name });
    const value = convert(name, flag, raw);
    if (flag.kind === 'list') (fields[flag.field] as unknown[]).push(value);
    else fields[flag.field] = value;
    if (flag.field === 'root') options.rootGiven = true;
  }
  let command = positionals.shift();
  // `help [COMMAND]` is `COMMAND --help` (git help, virsh help).
  if (command === 'help') {
    const helpOfHelp = options.help;
    options.help = true;
    command = positionals.shift();
    if (command === 'help' || (command === undefined && helpOfHelp)) {
      options.helpTopic = 'help';
      return options;
    }
  }
  if (command !== undefined) {
    if (!(COMMANDS as readonly string[]).includes(command) || command === 'wizard') throw unknownCommand(command);
    options.command = command as Command;
  }
  if (options.help) return options;
  if (options.command === 'rollback' && positionals.length > 0) options.runId = positionals.shift()!;
  if (options.command === 'completion') {
    const shell = positionals.shift();
    if (!shell || !(SHELLS as readonly string[]).includes(shell)) throw new InputError('error.completionShell', { given: shell ?? '', shells: SHELLS.join(', ') });
    options.completionShell = shell as CliOptions['completionShell'];
  }
  if (positionals.length > 0) throw new InputError('error.unexpectedArgument', { argument: positionals[0] });
  if (options.offline && options.live) throw new InputError('error.offlineAndLive', {});
  return options;
}

function convert(name: string, flag: OptionSpec, raw: string): unknown {
  if (flag.kind === 'number') {
    if (!/^\d+$/.test(raw)) throw new InputError('error.optionNotNumber', { option: name, value: raw });
    const n = Number(raw);
    if (flag.field === 'count' && (n < 1 || n > 4096)) throw new InputError('error.macCountRange', { value: raw });
    return n;
  }
  if (flag.field === 'lang' && raw !== 'en' && raw !== 'ja') {
    throw new InputError('error.badLang', { value: raw });
  }
  if (raw === '') throw new InputError('error.optionNeedsValue', { option: name });
  if (flag.kind === 'list' && !/^[^=]+=/.test(raw)) throw new InputError('error.setNeedsEquals', { option: name, value: raw });
  return raw;
}

/** A --root run is offline unless --live (like `systemctl --root`); a real host is live unless --offline. */
export function isLive(options: Pick<CliOptions, 'rootGiven' | 'root' | 'live' | 'offline'>): boolean {
  if (options.offline) return false;
  if (options.live) return true;
  return !options.rootGiven || options.root === '/';
}
