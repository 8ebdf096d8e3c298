// `completion bash|zsh`: print the script; it needs no dom0, so it runs without a context.
import type { CliOptions } from '../cli/args.js';
import type { Io } from '../context.js';
import { bashCompletion, zshCompletion } from '../cli/completion.js';
import { RECIPES } from '../recipes/registry.js';
import { answerIds } from '../answers.js';

export function completionCommand(options: CliOptions, io: Io): number {
  const data = { recipes: RECIPES.filter((r) => r.available).map((r) => r.id), answerIds: Object.keys(answerIds()) };
  io.stdout.write(options.shell === 'zsh' ? zshCompletion(data) : bashCompletion(data));
  return 0;
}
