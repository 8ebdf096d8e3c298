// Pure argv → command parser (the antfu/ni shape): no I/O, table-tested in test/cli/args.test.ts.
import { InputError } from '../errors.js';

export const COMMANDS = ['wizard', 'recipes', 'detect', 'plan', 'apply', 'rollback', 'mac'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliOptions {
  command: Command;
  root: string;
  rootGiven: boolean;
  answers: string | null;
  saveAnswers: string | null;
  yes: boolean;
  json: boolean;
  lang: 'en' | 'ja' | null;
  color: boolean | null;
  confirmTimeout: number;
  offline: boolean;
  live: boolean;
  force: boolean;
  /** rollback of a live run without --live: restore the files only, and leave the run marked so. */
  filesOnly: boolean;
  help: boolean;
  version: boolean;
  list: boolean;
  count: number;
  /** rollback's run id. */
  runId: string | null;
}

type Flag = { key: keyof CliOptions; kind: 'bool' | 'string' | 'number'; value?: unknown };

const FLAGS: Record<string, Flag> = {
  '--root': { key: 'root', kind: 'string' },
  '--answers': { key: 'answers', kind: 'string' },
  '--save-answers': { key: 'saveAnswers', kind: 'string' },
  '--yes': { key: 'yes', kind: 'bool' },
  '-y': { key: 'yes', kind: 'bool' },
  '--json': { key: 'json', kind: 'bool' },
  '--lang': { key: 'lang', kind: 'string' },
  '--no-color': { key: 'color', kind: 'bool', value: false },
  '--color': { key: 'color', kind: 'bool', value: true },
  '--confirm-timeout': { key: 'confirmTimeout', kind: 'number' },
  '--offline': { key: 'offline', kind: 'bool' },
  '--live': { key: 'live', kind: 'bool' },
  '--force': { key: 'force', kind: 'bool' },
  '--files-only': { key: 'filesOnly', kind: 'bool' },
  '--help': { key: 'help', kind: 'bool' },
  '-h': { key: 'help', kind: 'bool' },
  '--version': { key: 'version', kind: 'bool' },
  '-V': { key: 'version', kind: 'bool' },
  '--list': { key: 'list', kind: 'bool' },
  '-n': { key: 'count', kind: 'number' },
  '--count': { key: 'count', kind: 'number' },
};

export function defaultOptions(): CliOptions {
  return {
    command: 'wizard', root: '/', rootGiven: false, answers: null, saveAnswers: null, yes: false,
    json: false, lang: null, color: null, confirmTimeout: 120, offline: false, live: false,
    force: false, filesOnly: false, help: false, version: false, list: false, count: 1, runId: null,
  };
}

export function parseCli(argv: readonly string[]): CliOptions {
  const options = defaultOptions();
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
    const flag = FLAGS[name];
    if (!flag) throw new InputError('error.unknownOption', { option: name });
    if (flag.kind === 'bool') {
      if (eq > 0) throw new InputError('error.optionTakesNoValue', { option: name });
      (options as unknown as Record<string, unknown>)[flag.key] = flag.value ?? true;
      continue;
    }
    const raw = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new InputError('error.optionNeedsValue', { option: name });
    (options as unknown as Record<string, unknown>)[flag.key] = convert(name, flag, raw);
    if (flag.key === 'root') options.rootGiven = true;
  }
  if (positionals.length > 0) {
    const command = positionals.shift()!;
    if (!(COMMANDS as readonly string[]).includes(command) || command === 'wizard') {
      throw new InputError('error.unknownCommand', { command });
    }
    options.command = command as Command;
  }
  if (options.command === 'rollback' && positionals.length > 0) options.runId = positionals.shift()!;
  if (positionals.length > 0) throw new InputError('error.unexpectedArgument', { argument: positionals[0] });
  if (options.offline && options.live) throw new InputError('error.offlineAndLive', {});
  return options;
}

function convert(name: string, flag: Flag, raw: string): unknown {
  if (flag.kind === 'number') {
    if (!/^\d+$/.test(raw)) throw new InputError('error.optionNotNumber', { option: name, value: raw });
    const n = Number(raw);
    if (flag.key === 'count' && (n < 1 || n > 4096)) throw new InputError('error.macCountRange', { value: raw });
    return n;
  }
  if (flag.key === 'lang' && raw !== 'en' && raw !== 'ja') {
    throw new InputError('error.badLang', { value: raw });
  }
  if (raw === '') throw new InputError('error.optionNeedsValue', { option: name });
  return raw;
}

/** A --root run is offline unless --live (like `systemctl --root`); a real host is live unless --offline. */
export function isLive(options: Pick<CliOptions, 'rootGiven' | 'root' | 'live' | 'offline'>): boolean {
  if (options.offline) return false;
  if (options.live) return true;
  return !options.rootGiven || options.root === '/';
}
