// --help, `help COMMAND` and `COMMAND --help`, laid out from spec.ts in the user's language:
// usage, what the command does, its own options, the global ones, 2–3 examples; at most 80
// display columns (Japanese characters count two, measured by string-width). Only spec.ts, the
// locale and the width module load.
import type { Translate } from '../i18n.js';
import { COMMAND_SPECS, GLOBAL_OPTIONS, OPTIONS, commandSpec, type OptionName, type OptionSpec } from './spec.js';
import { displayWidth, wrapText } from '../ui/textWidth.js';

export { displayWidth };

export const HELP_WIDTH = 80;
const PROGRAM = 'xen-net-wizard';

/** Greedy wrap by display width with kinsoku (src/ui/textWidth.ts, on string-width). */
export function wrap(text: string, width: number): string[] {
  return text.trim() === '' ? [] : wrapText(text, width).split('\n').map((l) => l.trimEnd());
}

function optionLabel(spec: OptionSpec, t: Translate): string {
  const arg = spec.arg ? ` ${spec.choices ? spec.choices.join('|') : t(`help.arg.${spec.arg}`)}` : '';
  return [...spec.flags].reverse().map((f, i, all) => (i === all.length - 1 ? f + arg : f)).join(', ');
}

/** Label and text in two columns; a label too wide for the column puts its text on the next line. */
function table(rows: [string, string][], indent = 2, maxLabel = 26): string[] {
  const labelWidth = Math.min(maxLabel, Math.max(...rows.map(([l]) => displayWidth(l))));
  const textColumn = indent + labelWidth + 2;
  const out: string[] = [];
  for (const [label, text] of rows) {
    const lines = wrap(text, HELP_WIDTH - textColumn);
    const pad = ' '.repeat(indent);
    if (displayWidth(label) > labelWidth) {
      out.push(pad + label);
      out.push(...lines.map((l) => ' '.repeat(textColumn) + l));
    } else {
      out.push(pad + label + ' '.repeat(textColumn - indent - displayWidth(label)) + (lines[0] ?? ''));
      out.push(...lines.slice(1).map((l) => ' '.repeat(textColumn) + l));
    }
  }
  return out;
}

function optionRows(names: readonly OptionName[], t: Translate): [string, string][] {
  return names.map((name) => [optionLabel(OPTIONS[name], t), t(`help.option.${name}`)]);
}

function paragraph(text: string, indent = 2): string[] {
  return text.split('\n').flatMap((p) => wrap(p, HELP_WIDTH - indent).map((l) => ' '.repeat(indent) + l));
}

/** "[COMMAND]" → "[コマンド]": the placeholders of positional arguments, translated. */
export function argsText(args: string | undefined, t: Translate): string {
  return (args ?? '').replace(/\b(COMMAND|ID)\b/g, (word) => t(`help.arg.${word}`));
}

function usageLine(name: string, t: Translate): string {
  const spec = commandSpec(name)!;
  const words = [PROGRAM, name === 'wizard' ? '' : name, argsText(spec.args, t), spec.options.length ? `[${t('help.arg.OPTIONS')}]` : ''];
  return words.filter(Boolean).join(' ');
}

function examples(name: string, t: Translate): string[] {
  const spec = commandSpec(name)!;
  return spec.examples.flatMap((line, i) => [...paragraph(t(`help.example.${name}.${i}`)), `    ${line}`]);
}

/** The whole program: commands, the wizard's options, global options, exit codes. */
function programHelp(t: Translate, version: string): string[] {
  const commands: [string, string][] = COMMAND_SPECS.map((c) => [c.name === 'wizard' ? t('help.noCommand') : `${c.name}${c.args ? ` ${argsText(c.args, t)}` : ''}`, t(`help.cmd.${c.name}.summary`)]);
  return [
    ...wrap(t('help.title', { version }), HELP_WIDTH),
    '',
    t('help.heading.usage'),
    `  ${PROGRAM} [${t('help.arg.COMMAND')}] [${t('help.arg.OPTIONS')}]`,
    '',
    t('help.heading.commands'),
    ...table(commands),
    '',
    t('help.heading.wizardOptions'),
    ...table(optionRows(commandSpec('wizard')!.options, t)),
    '',
    t('help.heading.globalOptions'),
    ...table(optionRows(GLOBAL_OPTIONS, t)),
    '',
    t('help.heading.examples'),
    ...examples('wizard', t),
    '',
    ...paragraph(t('help.more'), 0),
    '',
    t('help.heading.exitCodes'),
    ...table(EXIT_ROWS.map((code) => [String(code), t(`help.exit.${code}`)])),
  ];
}

const EXIT_ROWS = [0, 1, 2, 3, 4, 129, 130, 143];

function commandHelp(name: string, t: Translate): string[] {
  const spec = commandSpec(name)!;
  const lines = [t('help.heading.usage'), `  ${usageLine(name, t)}`, '', ...paragraph(t(`help.cmd.${name}.description`))];
  if (spec.options.length) lines.push('', t('help.heading.options'), ...table(optionRows(spec.options, t)));
  lines.push('', t('help.heading.globalOptions'), ...table(optionRows(GLOBAL_OPTIONS, t)));
  lines.push('', t('help.heading.examples'), ...examples(name, t));
  return lines;
}

export function helpText(t: Translate, command: string, version: string): string {
  return (command === 'wizard' ? programHelp(t, version) : commandHelp(command, t)).join('\n') + '\n';
}
