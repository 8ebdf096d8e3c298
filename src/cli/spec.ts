// The command line as data: every option, every command with its own options and examples.
// One source for the parser (args.ts), --help and `help COMMAND` (help.ts), the man page
// (manPage.ts) and the shell completion (completion.ts). No imports: --help loads only this.

/** Placeholder of an option's value; translated in help (help.arg.FILE → ファイル). */
export type ArgName = 'DIR' | 'FILE' | 'ID' | 'ID=VALUE' | 'LANG' | 'SEC' | 'N' | 'SHELL' | 'COMMAND';

export interface OptionSpec {
  /** Long form first: ['--count', '-n']. */
  flags: readonly string[];
  /** The CliOptions field it sets. */
  field: string;
  kind: 'bool' | 'string' | 'number' | 'list';
  /** What a bool flag stores (--no-color stores false). */
  value?: boolean;
  arg?: ArgName;
  /** Values to complete and check: --lang's languages. */
  choices?: readonly string[];
  /** What the shell completes for the value. */
  complete?: 'dir' | 'file' | 'recipe' | 'answer-id' | 'choices';
}

export const OPTIONS = {
  root: { flags: ['--root'], field: 'root', kind: 'string', arg: 'DIR', complete: 'dir' },
  answers: { flags: ['--answers'], field: 'answers', kind: 'string', arg: 'FILE', complete: 'file' },
  recipe: { flags: ['--recipe'], field: 'recipe', kind: 'string', arg: 'ID', complete: 'recipe' },
  set: { flags: ['--set'], field: 'set', kind: 'list', arg: 'ID=VALUE', complete: 'answer-id' },
  saveAnswers: { flags: ['--save-answers'], field: 'saveAnswers', kind: 'string', arg: 'FILE', complete: 'file' },
  yes: { flags: ['--yes', '-y'], field: 'yes', kind: 'bool' },
  json: { flags: ['--json'], field: 'json', kind: 'bool' },
  confirmTimeout: { flags: ['--confirm-timeout'], field: 'confirmTimeout', kind: 'number', arg: 'SEC' },
  offline: { flags: ['--offline'], field: 'offline', kind: 'bool' },
  live: { flags: ['--live'], field: 'live', kind: 'bool' },
  force: { flags: ['--force'], field: 'force', kind: 'bool' },
  keepDemo: { flags: ['--keep-demo'], field: 'keepDemo', kind: 'bool' },
  list: { flags: ['--list'], field: 'list', kind: 'bool' },
  count: { flags: ['--count', '-n'], field: 'count', kind: 'number', arg: 'N' },
  lang: { flags: ['--lang'], field: 'lang', kind: 'string', arg: 'LANG', choices: ['en', 'ja'], complete: 'choices' },
  color: { flags: ['--color'], field: 'color', kind: 'bool', value: true },
  noColor: { flags: ['--no-color'], field: 'color', kind: 'bool', value: false },
  help: { flags: ['--help', '-h'], field: 'help', kind: 'bool' },
  version: { flags: ['--version', '-V'], field: 'version', kind: 'bool' },
} as const satisfies Record<string, OptionSpec>;

export type OptionName = keyof typeof OPTIONS;

/** Taken by every command. */
export const GLOBAL_OPTIONS: readonly OptionName[] = ['lang', 'noColor', 'color', 'help', 'version'];

export interface CommandSpec {
  name: string;
  /** Positional arguments as shown in the usage line: "[ID]", "bash|zsh". */
  args?: string;
  options: readonly OptionName[];
  /** Shell lines, each explained by help.example.<command>.<i>. */
  examples: readonly string[];
}

const PLAN_INPUT: readonly OptionName[] = ['root', 'answers', 'recipe', 'set', 'saveAnswers'];

/** In the order of the overall help; `wizard` is the program run without a command. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'wizard',
    options: [...PLAN_INPUT, 'confirmTimeout', 'offline', 'live', 'keepDemo'],
    examples: ['xen-net-wizard', 'xen-net-wizard --recipe single-bridge --save-answers host1.json', 'xen-net-wizard --root /srv/dom0-copy --lang ja'],
  },
  { name: 'recipes', options: ['json'], examples: ['xen-net-wizard recipes', 'xen-net-wizard recipes --json'] },
  { name: 'detect', options: ['root', 'json', 'offline', 'live'], examples: ['xen-net-wizard detect', 'xen-net-wizard detect --root /srv/dom0-copy --json'] },
  {
    name: 'plan',
    options: [...PLAN_INPUT, 'json', 'offline', 'live'],
    examples: ['xen-net-wizard plan --recipe single-bridge', 'xen-net-wizard plan --answers host1.json --json', 'xen-net-wizard plan --recipe bond-bridge --set bond.mode=active-backup'],
  },
  {
    name: 'apply',
    options: [...PLAN_INPUT, 'yes', 'json', 'confirmTimeout', 'offline', 'live', 'force'],
    examples: ['xen-net-wizard apply --answers host1.json', 'xen-net-wizard apply --answers host1.json --yes --confirm-timeout 60', 'xen-net-wizard apply --root /srv/dom0-copy --recipe single-bridge --yes'],
  },
  {
    name: 'rollback',
    args: '[ID]',
    options: ['list', 'root', 'json', 'force', 'offline', 'live'],
    examples: ['xen-net-wizard rollback', 'xen-net-wizard rollback --list', 'xen-net-wizard rollback 20261124-101010-abcd'],
  },
  { name: 'mac', options: ['count', 'root', 'json'], examples: ['xen-net-wizard mac', 'xen-net-wizard mac -n 4 --json'] },
  { name: 'help', args: '[COMMAND]', options: [], examples: ['xen-net-wizard help', 'xen-net-wizard help apply'] },
  { name: 'completion', args: 'bash|zsh', options: [], examples: ['xen-net-wizard completion bash > /etc/bash_completion.d/xen-net-wizard', 'source <(xen-net-wizard completion zsh)'] },
];

export const SHELLS = ['bash', 'zsh'] as const;

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMAND_SPECS.find((c) => c.name === name);
}

/** flag → option, for the parser and the completion. */
export function flagTable(): Map<string, OptionSpec> {
  const table = new Map<string, OptionSpec>();
  for (const spec of Object.values(OPTIONS) as OptionSpec[]) for (const flag of spec.flags) table.set(flag, spec);
  return table;
}

/** The option's name in OPTIONS, the suffix of its help key (help.option.<name>). */
export function optionName(spec: OptionSpec): OptionName {
  return (Object.keys(OPTIONS) as OptionName[]).find((k) => OPTIONS[k] === spec)!;
}
