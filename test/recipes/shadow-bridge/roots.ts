// Roots and helpers for recipe shadow-bridge's suites (seed 001), derived from the shared fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT, runCli, tempDir, writeJson } from '../../_helpers/roots.js';

export const SEED_001 = path.resolve(PROJECT, '../shared/seeds/001_1828b344e6bd54d7.txt');

/** Lines `from`..`to` (1-based, inclusive) of seed 001. */
export function seed001(from: number, to = from): string[] {
  return fs.readFileSync(SEED_001, 'utf8').split('\n').slice(from - 1, to);
}

export interface JsonStep { id: string; kind: string; title: string; file?: { path: string; mode: string; before: string | null; after: string | null }; argv?: string[]; input?: string }
export interface JsonPlan { recipe: string; profile: string; backend: string; method: string; steps: JsonStep[] }

export function answersFile(answers: object): string {
  return writeJson(path.join(tempDir(), 'a.json'), { recipe: 'shadow-bridge', ...answers });
}

export function planOf(root: string, answers: object = {}): { plan: JsonPlan; status: number | null; stderr: string } {
  const r = runCli(['plan', '--root', root, '--answers', answersFile(answers), '--json']);
  return { plan: JSON.parse(r.stdout || '{"steps":[]}') as JsonPlan, status: r.status, stderr: r.stderr };
}

export const fileOf = (plan: JsonPlan, p: string) => plan.steps.find((s) => s.file?.path === p)?.file;
export const argvsOf = (plan: JsonPlan) => plan.steps.filter((s) => s.argv).map((s) => s.argv!.join(' '));
