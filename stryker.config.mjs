// StrykerJS for one group of scripts/mutation-groups.mjs (XNW_MUTATE_GROUP); run by `npm run mutate`
// (scripts/mutate.mjs), not by npm test. The command runner runs the group's uvu suites through tsx.
import path from 'node:path';
import { GROUPS } from './scripts/mutation-groups.mjs';

const name = process.env.XNW_MUTATE_GROUP ?? 'mac';
const group = GROUPS[name];
if (!group) throw new Error(`unknown mutation group ${name}: ${Object.keys(GROUPS).join(', ')}`);

// Stryker's sandbox copy cannot hold symlinks, and the fixture roots and the unpacked Debian oracles
// are full of them: the sandbox reads those (only read, never written) from the project instead.
const LINKED = ['.cache', 'test/fixtures', 'demo/root'];
// `-L` too: a path missing from the project (no .cache before setup-test-deps.sh) leaves a dangling
// link, which `-e` does not see — the next mutant's `ln` then failed and every mutant counted as killed.
const links = LINKED.map((p) => `{ [ -e ${p} ] || [ -L ${p} ] || { mkdir -p ${path.dirname(p)} && ln -s '${path.resolve(p)}' ${p}; }; } &&`).join(' ');

export default {
  mutate: group.mutate,
  testRunner: 'command',
  commandRunner: { command: `${links} node --import tsx node_modules/uvu/bin.js test '${group.tests}'` },
  // The whole build (tsc, then esbuild's bundle): a suite that spawns the CLI or imports dist/ must
  // meet the bundle that ships, not tsc's one-file-a-module layout.
  buildCommand: group.build ? 'npm run build --silent' : undefined,
  // The command runner cannot tell which test covers which mutant: every mutant runs the command.
  coverageAnalysis: 'off',
  concurrency: Number(process.env.XNW_MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 20000,
  reporters: ['clear-text', 'json', 'progress-append-only'],
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['reports', '.stryker-tmp', ...LINKED.map((p) => `/${p}`)],
  thresholds: { high: 90, low: 85, break: null },
};
