// `recipes`: the recipe ids with their titles and where the guide describes them.
import { jsonMessage, jsonText } from '../model/jsonMessage.js';
import type { Context } from '../context.js';
import type { Translate } from '../i18n.js';
import { RECIPES } from '../recipes/registry.js';
import { tableLines, widthOf } from '../ui/textWidth.js';

/** "seed 000: 24–83" as the reader knows it: "ガイド 24〜83 行目" / "guide, lines 24–83". */
export function sourceText(source: string, t: Translate): string {
  const m = /^seed (\d{3})(?:: (\d+)–(\d+))?(?: \((.+)\))?$/.exec(source);
  if (!m) return source;
  const doc = t(`recipes.doc.${m[1]}`);
  if (m[2]) return t('recipes.docLines', { doc, from: m[2], to: m[3] });
  return m[4] ? `${doc} (${m[4]})` : doc;
}

export function recipesCommand(ctx: Context): number {
  const { t } = ctx;
  if (ctx.options.json) {
    ctx.out(jsonText({ recipes: RECIPES.map((r) => ({ ...r, title: jsonMessage(t, `recipe.${r.id}.title`) })) }));
    return 0;
  }
  const rows = RECIPES.map((r) => [r.id, `${t(`recipe.${r.id}.title`)}  [${sourceText(r.source, t)}]${r.available ? '' : `  (${t('recipes.notYet')})`}`]);
  for (const line of tableLines(rows, widthOf(ctx))) ctx.out(line);
  return 0;
}
