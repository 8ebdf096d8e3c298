// The real prompter: @inquirer/prompts on the context's terminal streams, loaded only when asked,
// themed in the user's language and with each question wrapped to the terminal by display width.
import type { Context } from '../src/context.js';
import type { Prompter } from './state.js';
import { confirmTheme, listTheme } from '../src/ui/promptTheme.js';
import { widthOf, wrapText } from '../src/ui/textWidth.js';

export function inquirerPrompter(ctx: Context): Prompter {
  const streams = { input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream };
  const lib = () => import('@inquirer/prompts');
  // "? " goes before the first line of the question.
  const wrap = (message: string) => wrapText(message, widthOf(ctx) - 2);
  const theme = listTheme(ctx.t);
  return {
    async select(q) {
      return (await lib()).select({ message: wrap(q.message), choices: q.choices, default: q.default, pageSize: 12, theme }, streams);
    },
    async checkbox(q) {
      return (await lib()).checkbox({ message: wrap(q.message), choices: q.choices, pageSize: 12, theme }, streams);
    },
    async input(q) {
      return (await lib()).input({ message: wrap(q.message), default: q.default, validate: q.validate }, streams);
    },
    async confirm(q) {
      return (await lib()).confirm({ message: wrap(q.message), default: q.default, theme: confirmTheme(ctx.t, q.default) }, streams);
    },
  };
}
