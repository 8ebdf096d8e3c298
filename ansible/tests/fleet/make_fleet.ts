// The fleet of the Ansible test: one dom0 root per host, copied from the scenarios every
// cross-cutting suite uses (test/_helpers/scenarios.ts), so the hosts' answers are the ones the
// core is proven with. Prints {host: {root, recipe, answers, scenario}} as JSON.
//   node --import tsx ansible/tests/fleet/make_fleet.ts OUTDIR
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, OVERLAYS } from '../../../test/_helpers/roots.js';
import { SCENARIOS, answersOf } from '../../../test/_helpers/scenarios.js';

/** Five recipes, both profiles (xend, xl) and both xl backends (ifupdown, ifcfg), six fixtures. */
const HOSTS: Record<string, { recipe: string; name: string; extra?: Record<string, unknown> }> = {
  'xen-centos5': { recipe: 'single-bridge', name: 'centos5/xend' },
  'xen-debian12': { recipe: 'internal-l2', name: 'debian12/xl-ifupdown' },
  'xen-rhel': { recipe: 'internal-dummy', name: 'rhel-xl/xl-ifcfg' },
  'xen-routed': { recipe: 'routed-lan', name: 'centos5+eth1/xend' },
  'xen-bond-debian12': { recipe: 'bond-bridge', name: 'debian12-3nic/xl-ifupdown' },
  'xen-bond-rhel': { recipe: 'bond-bridge', name: 'rhel-xl-3nic/xl-ifcfg' },
  // The typo: a NIC this dom0 does not have. It must fail alone.
  'xen-typo': { recipe: 'single-bridge', name: 'rhel-xl/xl-ifcfg', extra: { 'wan.nic': 'eth9' } },
};

function copyRoot(fixture: string, dest: string): void {
  const overlay = OVERLAYS[fixture];
  fs.cpSync(overlay ? FIXTURES[overlay.base] : FIXTURES[fixture], dest, { recursive: true, verbatimSymlinks: true });
  if (overlay) fs.cpSync(overlay.dir, dest, { recursive: true, verbatimSymlinks: true });
}

const out = process.argv[2];
if (!out) throw new Error('usage: make_fleet.ts OUTDIR');
const fleet: Record<string, unknown> = {};
for (const [host, pick] of Object.entries(HOSTS)) {
  const scenario = SCENARIOS.find((s) => s.recipe === pick.recipe && s.name === pick.name);
  if (!scenario) throw new Error(`no scenario ${pick.recipe} ${pick.name} in test/_helpers/scenarios.ts`);
  const root = path.join(out, host, 'root');
  copyRoot(scenario.fixture, root);
  const { recipe, ...answers } = answersOf(scenario);
  fleet[host] = { root, recipe, answers: { ...answers, ...pick.extra }, scenario: `${recipe} ${scenario.name}` };
}
console.log(JSON.stringify(fleet, null, 2));
