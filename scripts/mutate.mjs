#!/usr/bin/env node
// `npm run mutate [group …]`: StrykerJS over the modules that decide safety, one group at a time
// (scripts/mutation-groups.mjs), then one table: killed / survived / no coverage / timeout and the
// score of each module. Slow by nature (every mutant runs its group's suites); not part of npm test.
// XNW_MUTATE_CONCURRENCY (default 2) sets Stryker's workers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GROUPS } from './mutation-groups.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(repo);
// Without arguments every group once: a group that is part of another (lock of exec) only when named.
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GROUPS).filter((n) => !GROUPS[n].partOf);
for (const n of names) if (!GROUPS[n]) throw new Error(`unknown group ${n}: ${Object.keys(GROUPS).join(', ')}`);

// Tests read ../shared (the seeds and corpora) relative to the project: give the sandbox the same.
mkdirSync('.stryker-tmp', { recursive: true });
if (!existsSync('.stryker-tmp/shared')) symlinkSync(process.env.XNW_SHARED_DIR ?? path.resolve(repo, '../shared'), '.stryker-tmp/shared');

const rows = [];
for (const name of names) {
  const started = Date.now();
  console.log(`\n=== mutation group ${name}: ${GROUPS[name].mutate.join(' ')}`);
  const r = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, XNW_MUTATE_GROUP: name } });
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const file = `reports/mutation/${name}.json`;
  if (r.status !== 0 || !existsSync(file)) {
    rows.push({ group: name, module: '(run failed)', minutes });
    continue;
  }
  for (const [module, { mutants }] of Object.entries(JSON.parse(readFileSync(file, 'utf8')).files)) {
    const count = (s) => mutants.filter((m) => m.status === s).length;
    const killed = count('Killed') + count('Timeout');
    const valid = mutants.length - count('CompileError') - count('RuntimeError') - count('Ignored');
    rows.push({ group: name, module, killed, survived: count('Survived'), noCoverage: count('NoCoverage'), valid, score: valid ? (100 * killed) / valid : 100, minutes });
  }
}

const table = ['| group | module | killed (incl. timeout) | survived | no coverage | score | minutes |', '|---|---|---|---|---|---|---|',
  ...rows.map((r) => (r.valid === undefined ? `| ${r.group} | ${r.module} | | | | | ${r.minutes} |`
    : `| ${r.group} | ${r.module} | ${r.killed}/${r.valid} | ${r.survived} | ${r.noCoverage} | ${r.score.toFixed(1)} % | ${r.minutes} |`))];
console.log('\n' + table.join('\n'));
mkdirSync('reports/mutation', { recursive: true });
writeFileSync('reports/mutation/scores.md', table.join('\n') + '\n');
rmSync('.stryker-tmp/shared', { force: true });
process.exit(rows.some((r) => r.valid === undefined || r.score < 85) ? 1 : 0);
