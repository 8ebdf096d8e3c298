// The recipe ids of the contract (DESIGN.md) and where each comes from in the guides. A recipe
// is available when it has a module here; the rest are listed and refused with exit 2.
import type { Recipe } from './types.js';
import { singleBridge } from './single-bridge/index.js';
import { internalL2 } from './internal-l2/index.js';
import { internalDummy } from './internal-dummy/index.js';
import { routedLan } from './routed-lan/index.js';
import { bondBridge } from './bond-bridge/index.js';

export interface RecipeInfo {
  id: string;
  /** Where the guide describes it. */
  source: string;
  available: boolean;
}

/** Implemented recipes. Adding one here puts it in `recipes`, the wizard, plan/apply and answers. */
const MODULES: readonly Recipe[] = [singleBridge, internalL2, internalDummy, bondBridge, routedLan];

const CONTRACT: readonly Omit<RecipeInfo, 'available'>[] = [
  { id: 'single-bridge', source: 'seed 000: 24–83' },
  { id: 'internal-l2', source: 'seed 000: 85–199' },
  { id: 'internal-dummy', source: 'seed 000: 201–301' },
  { id: 'bond-bridge', source: 'seed 000: 303–383' },
  { id: 'routed-lan', source: 'seed 000: 385–533' },
  { id: 'shadow-bridge', source: 'seed 001' },
  { id: 'routed', source: 'seed 002: 83–90' },
  { id: 'virtual-network', source: 'seed 002: 91–95' },
  { id: 'vlan-bridges', source: 'seed 002 (VLAN)' },
  { id: 'libvirt-bridge', source: 'seed 003' },
];

export const RECIPES: readonly RecipeInfo[] = CONTRACT.map((r) => ({ ...r, available: MODULES.some((m) => m.id === r.id) }));

export function findRecipe(id: string): RecipeInfo | undefined {
  return RECIPES.find((r) => r.id === id);
}

export function recipeModule(id: string): Recipe | undefined {
  return MODULES.find((m) => m.id === id);
}

export function recipeModules(): readonly Recipe[] {
  return MODULES;
}
