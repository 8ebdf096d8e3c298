// The --json contract: every JSON output of every command over every fixture root validates
// against the shipped schemas (ajv, draft 2020-12), errors included; machine fields do not change
// with the language; the answers schema is the one the wizard enforces.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { PROJECT, FIXTURES, OVERLAYS, copyFixture, tempDir, writeJson, unwrapMessages } from '../_helpers/roots.js';
import { SCENARIOS, answersOf } from '../_helpers/scenarios.js';
import { runMain, type Captured } from '../_helpers/inProcess.js';
import { RECIPES } from '../../src/recipes/registry.js';
import { answersSchema } from '../../src/plan/answersSchema.js';
import { validateAnswers } from '../../src/plan/answersFile.js';
import { InputError } from '../../src/errors.js';

const schemaDir = path.join(PROJECT, 'schemas');
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const schemas: Record<string, object> = {};
for (const file of fs.readdirSync(schemaDir)) {
  const name = file.replace(/\.schema\.json$/, '');
  schemas[name] = JSON.parse(fs.readFileSync(path.join(schemaDir, file), 'utf8'));
  ajv.addSchema(schemas[name], name);
}
const counts: Record<string, number> = {};

function valid(name: string, data: unknown, what: string): void {
  const check = ajv.getSchema(name)!;
  assert.ok(check(data), `${what} against ${name}.schema.json: ${ajv.errorsText(check.errors)}\n${JSON.stringify(data).slice(0, 400)}`);
  counts[name] = (counts[name] ?? 0) + 1;
}

/** Exit 0 → the command's schema; anything else → the error object, on stdout, same exit code. */
function validOutput(r: Captured, name: string, what: string): unknown {
  const data = JSON.parse(r.stdout) as unknown;
  if (r.status === 0) valid(name, data, what);
  else {
    valid('error', data, what);
    assert.is((data as { error: { exitCode: number } }).error.exitCode, r.status, what);
  }
  return data;
}

const ROOTS = [...Object.keys(FIXTURES), ...Object.keys(OVERLAYS)];

test('every schema is draft 2020-12, compiles in strict mode and is shipped', () => {
  assert.equal(Object.keys(schemas).sort(), ['answers', 'detect', 'error', 'mac', 'plan', 'recipes', 'result', 'rollback-list']);
  for (const [name, s] of Object.entries(schemas)) {
    assert.is((s as { $schema: string }).$schema, 'https://json-schema.org/draft/2020-12/schema', name);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')) as { files: string[] };
  assert.ok(pkg.files.includes('schemas/'));
});

test('schemas/answers.schema.json is the schema of the questions the wizard asks (answerIds)', () => {
  assert.equal(schemas.answers, answersSchema());
});

test('recipes --json, in both languages: same machine fields, text translated', async () => {
  const en = validOutput(await runMain(['recipes', '--json']), 'recipes', 'recipes') as { recipes: { title: { key: string; text: string } }[] };
  const ja = validOutput(await runMain(['recipes', '--json', '--lang', 'ja']), 'recipes', 'recipes ja') as typeof en;
  assert.equal(ja.recipes.map((r) => r.title.key), en.recipes.map((r) => r.title.key));
  assert.is.not(ja.recipes[0].title.text, en.recipes[0].title.text);
});

for (const fixture of ROOTS) {
  test(`${fixture}: detect, mac, and plan of every recipe (or its error) validate`, async () => {
    const root = copyFixture(fixture);
    validOutput(await runMain(['detect', '--root', root, '--json']), 'detect', `${fixture} detect`);
    validOutput(await runMain(['mac', '-n', '3', '--root', root, '--json']), 'mac', `${fixture} mac`);
    validOutput(await runMain(['rollback', '--list', '--root', root, '--json']), 'rollback-list', `${fixture} rollback --list`);
    for (const recipe of RECIPES) {
      const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: recipe.id });
      validOutput(await runMain(['plan', '--root', root, '--answers', a, '--json']), 'plan', `${fixture} plan ${recipe.id}`);
    }
  });
}

for (const scenario of SCENARIOS) {
  const label = `${scenario.recipe} ${scenario.name}`;
  test(`${label}: plan, apply, rollback --list, rollback, apply again: every output validates`, async () => {
    const root = copyFixture(scenario.fixture);
    const saved = path.join(tempDir(), 'saved.json');
    const a = writeJson(path.join(tempDir(), 'a.json'), answersOf(scenario));
    const plan = validOutput(await runMain(['plan', '--root', root, '--answers', a, '--json', '--save-answers', saved]), 'plan', `${label} plan`) as { steps: { title: { key: string } }[]; notes: unknown[] };
    valid('answers', JSON.parse(fs.readFileSync(saved, 'utf8')), `${label} --save-answers`);
    // Machine fields do not depend on the language: only `text` does.
    const ja = JSON.parse((await runMain(['plan', '--root', root, '--answers', a, '--json', '--lang', 'ja'])).stdout) as typeof plan;
    assert.equal(ja.steps.map((s) => s.title.key), plan.steps.map((s) => s.title.key));
    // Without --yes and without a terminal: the plan on stderr (what a script would confirm), then exit 2.
    const unconfirmed = await runMain(['apply', '--root', root, '--answers', a, '--json']);
    assert.is(unconfirmed.status, 2);
    valid('plan', JSON.parse(unconfirmed.stderr.split('\n')[0]), `${label} apply without --yes (stderr)`);
    validOutput(unconfirmed, 'error', `${label} apply without --yes`);
    validOutput(await runMain(['apply', '--root', root, '--answers', a, '--json', '--yes']), 'result', `${label} apply`);
    validOutput(await runMain(['apply', '--root', root, '--answers', a, '--json', '--yes']), 'result', `${label} apply again`);
    validOutput(await runMain(['rollback', '--list', '--root', root, '--json']), 'rollback-list', `${label} rollback --list`);
    validOutput(await runMain(['rollback', '--root', root, '--json']), 'result', `${label} rollback`);
    const nothing = await runMain(['rollback', '--root', root, '--json']);
    assert.is(nothing.status, 2);
    validOutput(nothing, 'error', `${label} rollback with nothing to undo`);
  });
}

test('plan --json carries the notes and instructions the human plan shows', async () => {
  const root = copyFixture('routed-centos5');
  const a = writeJson(path.join(tempDir(), 'a.json'), { recipe: 'routed-lan' });
  const r = await runMain(['plan', '--root', root, '--answers', a, '--json']);
  const plan = validOutput(r, 'plan', 'routed-lan notes') as { notes: { key: string; text: string }[]; instructions: { key: string }[] };
  const human = await runMain(['plan', '--root', root, '--answers', a]);
  assert.ok(plan.notes.length > 0 && plan.instructions.length > 0);
  // The human plan wraps its notes at 80 columns: read them joined.
  for (const n of plan.notes) assert.ok(unwrapMessages(human.stdout).includes(n.text), n.key);
});

test('--json errors: the error object on stdout with the same exit code, parse errors included', async () => {
  const cases: [string[], number][] = [
    [['frobnicate', '--json'], 2],
    [['plan', '--json', '--bogus'], 2],
    [['mac', '-n', '0', '--json'], 2],
    [['detect', '--root', '/nonexistent-xnw', '--json'], 2],
    [['plan', '--root', copyFixture('centos5'), '--answers', '/nonexistent-xnw.json', '--json'], 2],
  ];
  for (const [argv, code] of cases) {
    const r = await runMain(argv);
    assert.is(r.status, code, argv.join(' '));
    const out = validOutput(r, 'error', argv.join(' ')) as { error: { key: string; nothingChanged: boolean; text: string } };
    assert.ok(out.error.nothingChanged);
    assert.ok(r.stderr.includes(out.error.text), 'people still read it on stderr');
    const ja = JSON.parse((await runMain([...argv, '--lang', 'ja'])).stdout) as typeof out;
    assert.is(ja.error.key, out.error.key);
    assert.is.not(ja.error.text, out.error.text);
  }
});

const answerDocs: unknown[] = [
  {}, { recipe: 'single-bridge' }, { recipe: 'nope' }, { recipe: 1 }, { guests: ['a'] }, { guests: 'a' },
  { macs: 'auto' }, { macs: { web1: '00:16:3e:00:00:01' } }, { macs: ['x'] }, { 'bond.mode': 'active-backup' },
  { 'bond.mode': 'fast' }, { 'bond.miimon': 100 }, { 'bond.miimon': '100' }, { antispoof: 'yes' },
  { wan: { nic: 'eth0' } }, { 'wan.nic': 'eth0', schemaVersion: 1 }, { schemaVersion: 2 }, { $schema: './answers.schema.json' },
  [], null, 'x',
];

test('the answers schema and the wizard agree on what an answers file may hold', () => {
  const check = ajv.getSchema('answers')!;
  for (const doc of answerDocs) {
    let accepted = true;
    try {
      const a = validateAnswers(doc, 'a.json');
      // The recipe id is checked when the plan is made: the schema knows the contract's ids already.
      if (typeof a.recipe === 'string' && !RECIPES.some((r) => r.id === a.recipe)) accepted = false;
    } catch (err) {
      assert.instance(err, InputError);
      accepted = false;
    }
    assert.is(check(doc), accepted, JSON.stringify(doc));
  }
});

test.after(() => {
  // What was validated, so a run shows the contract was exercised and not skipped.
  console.log(`  validated: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

test.run();
