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
  // internal-l2: the guide's own host with the guide's MACs (seed 000 lines 97, 101), and both xl backends.
  { recipe: 'internal-l2', name: 'centos5/xend', fixture: 'centos5', answers: { macs: { centos51u2: '00:16:3e:17:d4:97' }, 'internal.macs': { centos51u: '00:16:3e:17:d4:88', centos51u2: '00:16:3e:17:d4:98' } } },
  { recipe: 'internal-l2', name: 'debian12/xl-ifupdown', fixture: 'debian12', answers: {} },
  { recipe: 'internal-l2', name: 'rhel-xl/xl-ifcfg', fixture: 'rhel-xl', answers: { 'internal.address': '10.200.0.1/24' } },
  { recipe: 'internal-dummy', name: 'centos5/xend', fixture: 'centos5', answers: {} },
  { recipe: 'internal-dummy', name: 'debian12/xl-ifupdown-nic', fixture: 'debian12', answers: { 'internal.nic': 'eno2' } },
  { recipe: 'internal-dummy', name: 'rhel-xl/xl-ifcfg', fixture: 'rhel-xl', answers: {} },
  { recipe: 'routed-lan', name: 'centos5+eth1/xend', fixture: 'routed-centos5', answers: {} },
  { recipe: 'routed-lan', name: 'debian12/xl-ifupdown', fixture: 'debian12', answers: { 'routed.nicAddress': '192.168.0.3/24' } },
  { recipe: 'bond-bridge', name: 'centos5-3nic/xend', fixture: 'centos5-3nic', answers: {} },
  { recipe: 'bond-bridge', name: 'debian12-3nic/xl-ifupdown', fixture: 'debian12-3nic', answers: { 'bond.mode': 'balance-rr' } },
  { recipe: 'bond-bridge', name: 'rhel-xl-3nic/xl-ifcfg', fixture: 'rhel-xl-3nic', answers: {} },
  // routed: every guest needs its static address (seed 002 line 85); the xl one routes a libvirt domain too.
  { recipe: 'routed', name: 'centos5/xend', fixture: 'centos5', answers: { 'route.ips': 'centos51u=192.168.1.11,centos51u2=192.168.1.12' } },
  { recipe: 'routed', name: 'debian12/xl', fixture: 'debian12', answers: { 'route.ips': 'web1=192.168.1.11,db1=192.168.1.12,backup=10.9.0.5,build=192.168.1.14' } },
  { recipe: 'virtual-network', name: 'centos5/xend', fixture: 'centos5', answers: {} },
  { recipe: 'virtual-network', name: 'debian12/xl-ifupdown', fixture: 'debian12', answers: {} },
  { recipe: 'virtual-network', name: 'rhel-xl/xl-ifcfg', fixture: 'rhel-xl', answers: { 'vnet.address': '10.77.0.1/24' } },
  { recipe: 'libvirt-bridge', name: 'centos5/xend', fixture: 'centos5', answers: {} },
  { recipe: 'libvirt-bridge', name: 'centos5/xend-nm-off-sysctl', fixture: 'centos5', answers: { 'libvirt.nm': 'disable', 'libvirt.netfilter': 'sysctl' } },
  { recipe: 'libvirt-bridge', name: 'rhel-xl/xl-ifcfg', fixture: 'rhel-xl', answers: {} },
];

export function answersOf(s: Scenario): Record<string, unknown> {
  return { recipe: s.recipe, ...s.answers };
}

/** Recipes marked available that have no scenario: a suite asserts this list is empty. */
export function recipesWithoutScenario(): string[] {
  return RECIPES.filter((r) => r.available && !SCENARIOS.some((s) => s.recipe === r.id)).map((r) => r.id);
}
