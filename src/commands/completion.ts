// `completion bash|zsh`: print the script; it needs no dom0, so it runs without a context.
import type { CliOptions } from '../cli/args.js';
import type { Io } from '../context.js';
import { bashCompletion, zshCompletion } from '../cli/completion.js';
import { RECIPES } from '../recipes/registry.js';
import { answerIds } from '../plan/answersFile.js';

export function completionCommand(options: CliOptions, io: Io): number {
  const recipes = RECIPES.filter((r) => r.available).map((r) => r.id);
  const answerValues: Record<string, readonly string[]> = { recipe: recipes };
  for (const [id, spec] of Object.entries(answerIds())) {
    if (spec.choices) answerValues[id] = spec.choices;
    else if (spec.kind === 'boolean') answerValues[id] = ['true', 'false'];
  }
  const data = { recipes, answerIds: Object.keys(answerIds()), answerValues };
  io.stdout.write(options.completionShell === 'zsh' ? zshCompletion(data) : bashCompletion(data));
  return 0;
}
