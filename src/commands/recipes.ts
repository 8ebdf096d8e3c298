// `recipes`: the recipe ids with their titles and where the guide describes them.
import { jsonMessage, jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import { RECIPES } from '../recipes/registry.js';

export function recipesCommand(ctx: Context): number {
  const { t } = ctx;
  if (ctx.options.json) {
    ctx.out(jsonText({ recipes: RECIPES.map((r) => ({ ...r, title: jsonMessage(t, `recipe.${r.id}.title`) })) }));
    return 0;
  }
  const width = Math.max(...RECIPES.map((r) => r.id.length));
  for (const r of RECIPES) {
    const status = r.available ? '' : `  (${t('recipes.notYet')})`;
    ctx.out(`${r.id.padEnd(width)}  ${t(`recipe.${r.id}.title`)}  [${r.source}]${status}`);
  }
  return 0;
}
