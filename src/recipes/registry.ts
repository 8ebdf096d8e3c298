// The recipe ids of the contract (DESIGN.md) and where each comes from in the guides.
export interface RecipeInfo {
  id: string;
  /** Where the guide describes it. */
  source: string;
  available: boolean;
}

export const RECIPES: readonly RecipeInfo[] = [
  { id: 'single-bridge', source: 'seed 000: 24–83', available: true },
  { id: 'internal-l2', source: 'seed 000: 85–199', available: false },
  { id: 'internal-dummy', source: 'seed 000: 201–301', available: false },
  { id: 'bond-bridge', source: 'seed 000: 303–383', available: false },
  { id: 'routed-lan', source: 'seed 000: 385–533', available: false },
  { id: 'shadow-bridge', source: 'seed 001', available: false },
  { id: 'routed', source: 'seed 002: 83–90', available: false },
  { id: 'virtual-network', source: 'seed 002: 91–95', available: false },
  { id: 'vlan-bridges', source: 'seed 002 (VLAN)', available: false },
  { id: 'libvirt-bridge', source: 'seed 003', available: false },
];

export function findRecipe(id: string): RecipeInfo | undefined {
  return RECIPES.find((r) => r.id === id);
}
