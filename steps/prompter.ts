// The real prompter: @inquirer/prompts on the context's terminal streams, loaded only when asked.
import type { Context } from '../src/context.js';
import type { Prompter } from './state.js';

export function inquirerPrompter(ctx: Context): Prompter {
  const streams = { input: ctx.io.stdin, output: ctx.io.stderr as NodeJS.WritableStream };
  const lib = () => import('@inquirer/prompts');
  return {
    async select(q) {
      return (await lib()).select({ message: q.message, choices: q.choices, default: q.default, pageSize: 12 }, streams);
    },
    async checkbox(q) {
      return (await lib()).checkbox({ message: q.message, choices: q.choices, pageSize: 12 }, streams);
    },
    async input(q) {
      return (await lib()).input({ message: q.message, default: q.default, validate: q.validate }, streams);
    },
    async confirm(q) {
      return (await lib()).confirm({ message: q.message, default: q.default }, streams);
    },
  };
}
