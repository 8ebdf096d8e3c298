// Every recipe's example runs, one registry for all cross-cutting suites (round trips, crash
// injection, idempotence, drift, bad input): a recipe that adds its scenarios here is covered by
// every one of those suites without touching them.
import { RECIPES } from '../../src/recipes/registry.js';

export interface Scenario {
  /** Recipe id (src/recipes/registry.ts). */
  recipe: string;
  /** Short label for test titles, e.g. "centos5/xend". */
  name: string;
  /** A key of FIXTURES in roots.ts (copied to a temp root per test). */
  fixture: string;
  /** The answers file's content; `recipe` is added from the field above. */
  answers: Record<string, unknown>;
}

export const SCENARIOS: Scenario[] = [
  { recipe: 'single-bridge', name: 'centos5/xend', fixture: 'centos5', answers: {} },
  { recipe: 'single-bridge', name: 'debian12/xl-ifupdown', fixture: 'debian12', answers: {} },
  { recipe: 'single-bridge', name: 'rhel-xl/xl-ifcfg', fixture: 'rhel-xl', answers: {} },
  { recipe: 'bond-bridge', name: 'centos5-3nic/xend', fixture: 'centos5-3nic', answers: {} },
  { recipe: 'bond-bridge', name: 'debian12-3nic/xl-ifupdown', fixture: 'debian12-3nic', answers: { 'bond.mode': 'balance-rr' } },
  { recipe: 'bond-bridge', name: 'rhel-xl-3nic/xl-ifcfg', fixture: 'rhel-xl-3nic', answers: {} },
];

export function answersOf(s: Scenario): Record<string, unknown> {
  return { recipe: s.recipe, ...s.answers };
}

/** Recipes marked available that have no scenario: a suite asserts this list is empty. */
export function recipesWithoutScenario(): string[] {
  return RECIPES.filter((r) => r.available && !SCENARIOS.some((s) => s.recipe === r.id)).map((r) => r.id);
}
