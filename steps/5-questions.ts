// The recipe's own questions, asked in the order the recipe lists them (the guide's order), for
// every recipe that declares them; single-bridge keeps its dedicated steps (2-nic … 4-macs).
import type { WizardState } from './state.js';
import { shouldAsk } from './state.js';
import { nics } from '../src/model/host.js';
import { recipeFor } from '../src/plan/makePlan.js';
import type { Question } from '../src/recipes/types.js';
import { WizardError } from '../src/errors.js';

type State = Pick<WizardState, 'ctx' | 'answers' | 'ask' | 'host'>;

async function ask(state: State, q: Question, fallback: unknown): Promise<unknown> {
  const { t } = state.ctx;
  const message = t(q.message ?? `q.${q.id}`);
  switch (q.prompt) {
    case 'nic':
      return state.ask.select({
        message,
        default: fallback as string,
        choices: nics(state.host).map((l) => ({
          value: l.name,
          name: [l.name, l.mac ?? '', l.name === state.host.defaultRouteNic ? t('detect.defaultRoute') : ''].filter(Boolean).join('  '),
        })),
      });
    case 'nics':
      return state.ask.checkbox({
        message,
        choices: nics(state.host).map((l) => ({ value: l.name, name: `${l.name}  ${l.mac ?? ''}`, checked: (fallback as string[] | undefined)?.includes(l.name) })),
      });
    case 'guests':
      return state.ask.checkbox({
        message,
        choices: state.host.guests.map((g) => ({ value: g.name, name: g.name, checked: (fallback as string[] | undefined)?.includes(g.name) })),
      });
    case 'select':
      return state.ask.select({ message, default: fallback as string, choices: (q.choices ?? []).map((c) => ({ value: c, name: c })) });
    case 'confirm':
      return state.ask.confirm({ message, default: Boolean(fallback) });
    case 'input': {
      const typed = await state.ask.input({
        message,
        default: fallback === undefined ? undefined : String(fallback),
        validate: (v) => {
          try {
            q.validate?.(v, state.host);
            if (q.kind === 'number' && !Number.isFinite(Number(v))) return t('error.notANumber', { id: q.id, value: v });
            return true;
          } catch (err) {
            return err instanceof WizardError ? t(err.key, err.params) : String(err);
          }
        },
      });
      return q.kind === 'number' ? Number(typed) : typed;
    }
    default:
      return fallback;
  }
}

export async function questionsStep(state: State): Promise<void> {
  if (state.answers.recipe === 'single-bridge') return;
  const recipe = recipeFor(state.answers.recipe);
  const defaults = recipe.defaults(state.host);
  const profile = state.answers.profile ?? defaults.profile;
  for (const q of recipe.questions) {
    if (!q.prompt || (q.profile && q.profile !== profile) || !shouldAsk(state, q.id)) continue;
    state.answers[q.id] = await ask(state, q, defaults[q.id]);
  }
}
