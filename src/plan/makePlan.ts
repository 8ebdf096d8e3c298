// From a root and answers to a plan: detect, fill defaults, validate, render — through the
// chosen recipe's module. Pure given its inputs (the random source included).
import type { Answers } from '../model/answers.js';
import type { HostFacts } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import type { RandomBytes } from '../mac.js';
import type { LiveInputs, Planned, Recipe } from '../recipes/types.js';
import { InputError } from '../errors.js';
import { findRecipe, recipeModule } from '../recipes/registry.js';
import { readInterfacesFiles } from '../detect/ifupdownFiles.js';
import { filesOf } from '../detect/hostFiles.js';

export type { Planned } from '../recipes/types.js';

export function checkRecipe(id: string | undefined): string {
  return recipeFor(id).id;
}

export function recipeFor(id: string | undefined): Recipe {
  if (id === undefined) throw new InputError('error.answerMissing', { id: 'recipe' });
  const info = findRecipe(id);
  if (!info) throw new InputError('error.unknownRecipe', { recipe: id });
  const recipe = recipeModule(id);
  if (!recipe) throw new InputError('error.recipeNotYet', { recipe: id });
  return recipe;
}

export function makePlan(fs: RootFs, host: HostFacts, answers: Answers, random: RandomBytes, live?: LiveInputs): Planned {
  const recipe = recipeFor(answers.recipe);
  // What detection read and parsed, not read again (DESIGN.md: each file read once).
  const files = filesOf(host, fs);
  const planned = recipe.plan(answers, {
    host,
    read: files.read,
    readLink: (p) => files.readLink(p),
    list: (p) => files.list(p),
    interfaces: readInterfacesFiles(files),
    random,
    live,
  });
  return { ...planned, answers: { ...planned.answers, recipe: recipe.id } };
}
