// xen-net-wizard(1), written from the same spec and locale texts as --help (spec.ts), so the
// man page cannot tell another story. `npm run build` writes it to dist/man/ (package.json "man").
import type { Translate } from '../i18n.js';
import { COMMAND_SPECS, GLOBAL_OPTIONS, OPTIONS, type OptionName, type OptionSpec } from './spec.js';

/** roff-safe text: backslashes, hyphens of options, a leading dot or quote, and anything not ASCII (\\[u2192]). */
function roff(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/^([.'])/gm, '\\&$1')
    .replace(/[^\x00-\x7f]/gu, (ch) => `\\[u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`);
}

function optionItem(name: OptionName, t: Translate): string[] {
  const spec: OptionSpec = OPTIONS[name];
  const arg = spec.arg ? ` \\fI${spec.choices ? spec.choices.join('|') : roff(t(`help.arg.${spec.arg}`))}\\fR` : '';
  const flags = [...spec.flags].reverse().map((f) => `\\fB${roff(f)}\\fR`).join(', ');
  return ['.TP', flags + arg, roff(t(`help.option.${name}`))];
}

export function manPage(t: Translate, version: string): string {
  const out: string[] = [
    // No date: the page is rebuilt on every build and must come out the same.
    `.TH XEN\\-NET\\-WIZARD 1 "" "xen-net-wizard ${version}" "User Commands"`,
    '.SH NAME',
    `xen\\-net\\-wizard \\- ${roff(t('help.title', { version }).split(' — ')[1] ?? '')}`,
    '.SH SYNOPSIS',
    ...COMMAND_SPECS.flatMap((c) => [
      `.B xen\\-net\\-wizard${c.name === 'wizard' ? '' : ` ${c.name}`}`,
      `${c.args ? `${roff(c.args)} ` : ''}${c.options.length ? `[\\fI${roff(t('help.arg.OPTIONS'))}\\fR]` : ''}`.trim(),
      '.br',
    ]),
    '.SH DESCRIPTION',
    roff(t('help.description')),
    '.SH COMMANDS',
  ];
  for (const c of COMMAND_SPECS) {
    out.push('.SS', `${c.name === 'wizard' ? roff(t('help.noCommand')) : `\\fB${c.name}\\fR`}${c.args ? ` ${roff(c.args)}` : ''}`);
    out.push(roff(t(`help.cmd.${c.name}.description`)));
    if (c.options.length) {
      out.push('.RS', '.PP', `\\fI${roff(t('help.heading.options'))}\\fR`);
      for (const name of c.options) out.push(...optionItem(name, t));
      out.push('.RE');
    }
  }
  out.push('.SH OPTIONS', roff(t('help.heading.globalOptions')));
  for (const name of GLOBAL_OPTIONS) out.push(...optionItem(name, t));
  out.push('.SH EXAMPLES');
  for (const c of COMMAND_SPECS) {
    c.examples.forEach((line, i) => out.push('.PP', roff(t(`help.example.${c.name}.${i}`)), '.RS 2', '.nf', `\\fB${roff(line)}\\fR`, '.fi', '.RE'));
  }
  out.push('.SH "EXIT STATUS"');
  for (const code of [0, 1, 2, 3, 4, 129, 130, 143]) out.push('.TP', `\\fB${code}\\fR`, roff(t(`help.exit.${code}`)));
  out.push(
    '.SH ENVIRONMENT',
    '.TP', '\\fBLC_ALL\\fR, \\fBLC_MESSAGES\\fR, \\fBLANG\\fR', roff(t('help.option.lang')),
    '.TP', '\\fBNO_COLOR\\fR, \\fBTERM\\fR=dumb', roff(t('help.option.noColor')),
    '.SH FILES',
    '.TP', '\\fI/var/lib/xen\\-net\\-wizard/runs/\\fR', roff(t('help.option.list')),
    '.TP', '\\fIschemas/*.schema.json\\fR', roff(t('help.option.json')),
    '.SH "SEE ALSO"',
    '\\fBxl\\fR(1), \\fBvirsh\\fR(1), \\fBip\\fR(8), \\fBbrctl\\fR(8)',
  );
  return out.join('\n') + '\n';
}
