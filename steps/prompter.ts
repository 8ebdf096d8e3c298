// The real prompter: @inquirer/prompts on the context's terminal streams, loaded only when asked,
// themed in the user's language and with each question wrapped to the terminal by display width.
import type { Context } from '../src/context.js';
import type { Choice, Prompter } from './state.js';
import { confirmTheme, listTheme } from '../src/ui/promptTheme.js';
import { displayWidth, widthOf, wrapBeforeTail } from '../src/ui/textWidth.js';

export function inquirerPrompter(ctx: Context): Prompter {
  const streams = { input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream };
  const lib = () => import('@inquirer/prompts');
  // "? " goes before the first line of the question, the default or the yes/no hint after its last.
  const wrap = (message: string, tail = '') => wrapBeforeTail(message, widthOf(ctx) - 2, tail ? displayWidth(tail) + 1 : 0);
  const theme = listTheme(ctx.t);
  // The answer echoed after the question is the value ("eno1"), not the whole row with its MAC
  // and notes, so that the answered line stays short and readable.
  const short = <T>(choices: Choice<T>[]) =>
    choices.map((c) => (c.short === undefined && typeof c.value === 'string' && c.name.startsWith(c.value) ? { ...c, short: c.value } : c));
  return {
    async select(q) {
      return (await lib()).select({ message: wrap(q.message), choices: short(q.choices), default: q.default, pageSize: 12, theme }, streams);
    },
    async checkbox(q) {
      return (await lib()).checkbox({ message: wrap(q.message), choices: short(q.choices), pageSize: 12, theme }, streams);
    },
    async input(q) {
      return (await lib()).input({ message: wrap(q.message, q.default ? `(${q.default})` : ''), default: q.default, validate: q.validate }, streams);
    },
    async confirm(q) {
      const theme = confirmTheme(ctx.t, q.default);
      return (await lib()).confirm({ message: wrap(q.message, theme.style.defaultAnswer()), default: q.default, theme }, streams);
    },
  };
}
