#!/usr/bin/env node
// `node scripts/mutate-recheck.mjs <group> [report.json]`: re-checks the mutants that a Stryker run of
// the group left alive (reports/mutation/<group>.json) against the suites as they are now, without a
// whole Stryker run: each mutant is applied alone (Stryker's own replacement text at its location) to
// a copy of the project and the group's command is run (60 s: past that a loop mutant counts as
// killed, as Stryker's timeout does). Prints KILLED / SURVIVED per mutant and the score after.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GROUPS } from './mutation-groups.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const [name, reportArg] = process.argv.slice(2);
const group = GROUPS[name];
if (!group) throw new Error(`usage: mutate-recheck.mjs <group> [report.json]; groups: ${Object.keys(GROUPS).join(', ')}`);
const report = JSON.parse(fs.readFileSync(reportArg ?? path.join(repo, `reports/mutation/${name}.json`), 'utf8'));

// The copy sits beside a link to ../shared, as the project does; the big read-only trees are links.
const top = fs.mkdtempSync(path.join(os.tmpdir(), 'xnw-recheck-'));
const copy = path.join(top, 'project');
fs.mkdirSync(copy);
const skipped = ['node_modules', '.git', '.stryker-tmp', 'reports', 'dist', '.cache'];
execFileSync('tar', ['-C', repo, ...skipped.map((d) => `--exclude=./${d}`), '-cf', path.join(top, 'p.tar'), '.']);
execFileSync('tar', ['-C', copy, '-xf', path.join(top, 'p.tar')]);
for (const d of ['node_modules', '.cache']) if (fs.existsSync(path.join(repo, d))) fs.symlinkSync(path.join(repo, d), path.join(copy, d));
fs.symlinkSync(process.env.XNW_SHARED_DIR ?? path.resolve(repo, '../shared'), path.join(top, 'shared'));

// Interrupted: the copy goes too (handled once the running suite returns; spawnSync blocks signals).
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { fs.rmSync(top, { recursive: true, force: true }); process.exit(130); });
const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'node_modules/uvu/bin.js', 'test', group.tests], { cwd: copy, timeout: 60000, stdio: 'ignore' });
try {
  if (run().status !== 0) throw new Error(`the group's suites fail without a mutant: ${group.tests}`);
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const target = path.join(copy, file);
    const source = fs.readFileSync(target, 'utf8');
    const starts = [0];
    for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
    const at = (p) => starts[p.line - 1] + p.column - 1;
    const valid = mutants.filter((m) => !['CompileError', 'RuntimeError', 'Ignored'].includes(m.status)).length;
    let killed = mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
    for (const m of mutants.filter((x) => x.status === 'Survived' || x.status === 'NoCoverage')) {
      fs.writeFileSync(target, source.slice(0, at(m.location.start)) + m.replacement + source.slice(at(m.location.end)));
      const dead = run().status !== 0;
      if (dead) killed++;
      console.log(`${dead ? 'KILLED  ' : 'SURVIVED'} ${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${JSON.stringify(m.replacement).slice(0, 90)}`);
    }
    fs.writeFileSync(target, source);
    console.log(`${file}: ${killed}/${valid} killed after the recheck (${((100 * killed) / valid).toFixed(1)} %)`);
  }
} finally {
  fs.rmSync(top, { recursive: true, force: true });
}
