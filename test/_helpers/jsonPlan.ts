// `plan --json` of one recipe on a fixture root, and the two lookups golden tests make in it.
import path from 'node:path';
import * as assert from 'uvu/assert';
import { copyFixture, runCli, tempDir, writeJson } from './roots.js';

export interface JsonStep { id: string; file?: { path: string; after: string | null; before: string | null; mode: string }; argv?: string[] }
export interface JsonPlan { method: string; steps: JsonStep[] }

/** The plan of `recipe` on a fresh copy of `fixture` with answers `a` (exit 0 asserted). */
export function recipePlan(recipe: string, fixture: string, a: object = {}): JsonPlan {
  const answers = writeJson(path.join(tempDir(), 'a.json'), { recipe, ...a });
  const r = runCli(['plan', '--root', copyFixture(fixture), '--answers', answers, '--json']);
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as JsonPlan;
}

/** The content a plan writes to `file` ('' when it writes none). */
export const fileAfter = (p: JsonPlan, file: string) => p.steps.find((s) => s.file?.path === file)?.file?.after ?? '';
/** Every command of a plan, as one line each. */
export const commandLines = (p: JsonPlan) => p.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
