// The layer rules of .dependency-cruiser.cjs hold on the tree, and they fire: a copy of the sources
// with deliberately bad imports (the model reaching up into a recipe, a cycle, one recipe importing
// another, one backend importing another, a renderer importing exec) is refused, each by the rule
// that names it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { PROJECT, tempDir } from './_helpers/roots.js';

interface Violation { rule: string; from: string; to: string }

/** `depcruise src steps` as npm test runs it: its exit status and the violations it prints. */
function cruise(cwd: string): { status: number | null; violations: Violation[]; output: string } {
  const bin = path.join(PROJECT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, 'src', 'steps', '--config', path.join(PROJECT, '.dependency-cruiser.cjs'), '--output-type', 'err'],
    { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  const violations = [...r.stdout.matchAll(/^\s*error (\S+): (\S+) →[ \t]*(\S*)/gm)].map(([, rule, from, to]) => ({ rule, from, to }));
  return { status: r.status, violations, output: r.stdout + r.stderr };
}

test('the tree has no dependency violations', () => {
  const { status, violations, output } = cruise(PROJECT);
  assert.equal(violations, []);
  assert.is(status, 0, output);
});

test('a bad import in a copy of the tree fails the run, named by its rule', () => {
  const dir = tempDir('xnw-arch-');
  for (const part of ['src', 'steps', 'tsconfig.json', 'package.json', 'locales']) {
    fs.cpSync(path.join(PROJECT, part), path.join(dir, part), { recursive: true });
  }
  fs.symlinkSync(path.join(PROJECT, 'node_modules'), path.join(dir, 'node_modules'));
  const append = (file: string, line: string) => fs.appendFileSync(path.join(dir, file), `\n${line}\n`);
  // the model reaching up into a recipe
  append('src/model/topology.ts', "import '../recipes/registry.js';");
  // a cycle inside one layer: the tokenizer imports the config parser that imports it
  append('src/parse/xlTokens.ts', "import './xlConfig.js';");
  // one recipe importing another
  append('src/recipes/bond-bridge/modes.ts', "import '../routed-lan/layout.js';");
  // one backend importing another
  append('src/backends/ifupdown.ts', "import './ifcfg.js';");
  // a shared renderer importing exec
  append('src/render/sysctl.ts', "import type { Journal } from '../exec/journal.js';\nexport type J = Journal;");
  const { status, violations, output } = cruise(dir);
  assert.is.not(status, 0, 'depcruise fails the run');
  const fired = (rule: string, from: string) => violations.some((v) => v.rule === rule && v.from === from);
  assert.ok(fired('layer-model', 'src/model/topology.ts'), output);
  assert.ok(fired('no-circular', 'src/parse/xlTokens.ts') || fired('no-circular', 'src/parse/xlConfig.ts'), output);
  assert.ok(fired('recipe-not-to-other-recipe', 'src/recipes/bond-bridge/modes.ts'));
  assert.ok(fired('backend-not-to-other-backend', 'src/backends/ifupdown.ts'));
  assert.ok(fired('layer-render', 'src/render/sysctl.ts'));
});

test.run();
