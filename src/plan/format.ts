// How a plan looks to a person (coloured unified diffs and commands) and to a script (JSON).
import { createRequire } from 'node:module';
import type { Plan, PlanJson, Step } from '../model/plan.js';
import type { Translate } from '../i18n.js';
import { quoteWord } from '../render/shellWord.js';
import { jsonMessage, SCHEMA_VERSION } from '../model/jsonMessage.js';
import { DEFAULT_WIDTH, wrapLabelled, wrapMessage } from '../ui/textWidth.js';

export interface Paint {
  add(s: string): string;
  del(s: string): string;
  hunk(s: string): string;
  head(s: string): string;
  cmd(s: string): string;
  dim(s: string): string;
}

// `diff` is loaded when a diff is shown: `plan --json` and `--help` never pay for its 19 modules.
let diff: typeof import('diff') | undefined;
const loadDiff = () => (diff ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

export const noPaint: Paint = { add: (s) => s, del: (s) => s, hunk: (s) => s, head: (s) => s, cmd: (s) => s, dim: (s) => s };

/** POSIX-shell quoting, for showing argv to a person (it is never given to a shell). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

export function stepTitle(step: Step, t: Translate): string {
  return t(step.title.key, step.title.params);
}

/**
 * A unified diff that cannot be misread: a header line (┌ path and what happens to the file),
 * every diff line behind a gutter (│), a closing └ — so an annotation never reads as content,
 * with colour or without. The header defaults to the path; plans pass a translated one.
 */
export function unifiedDiff(path: string, before: string | null, after: string | null, paint: Paint, header: string = path): string {
  const patch = loadDiff().createTwoFilesPatch(
    before === null ? '/dev/null' : `a${path}`,
    after === null ? '/dev/null' : `b${path}`,
    before ?? '',
    after ?? '',
    '',
    '',
    { context: 3 },
  );
  const body = patch
    .split('\n')
    .filter((line) => !line.startsWith('=====') && line !== '')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint.dim(line);
      if (line.startsWith('@@')) return paint.hunk(line);
      if (line.startsWith('+')) return paint.add(line);
      if (line.startsWith('-')) return paint.del(line);
      return line;
    });
  return [paint.head(`${DIFF_TOP} ${header}`), ...body.map((line) => `${paint.dim(DIFF_GUTTER)}${line}`), paint.dim(DIFF_BOTTOM)].join('\n');
}

export const DIFF_TOP = '┌─';
export const DIFF_GUTTER = '│ ';
export const DIFF_BOTTOM = '└─';

/** "…/ifcfg-xenbr0 (new file, mode 0644)", "…/interfaces (changed)", "…/default.xml (removed)". */
export function diffHeader(file: { path: string; mode: string; before: string | null; after: string | null }, t: Translate): string {
  if (file.before === null) return t('plan.diff.new', { path: file.path, mode: file.mode });
  if (file.after === null) return t('plan.diff.removed', { path: file.path });
  return t('plan.diff.changed', { path: file.path });
}

export function formatPlan(plan: Plan, t: Translate, paint: Paint, live: boolean, width = DEFAULT_WIDTH): string {
  const lines: string[] = [];
  lines.push(paint.head(wrapMessage(t('plan.header', { recipe: plan.recipe, profile: plan.profile, backend: plan.backend }), width)));
  lines.push(wrapMessage(t(`plan.method.${plan.method}`), width));
  if (!live) lines.push(paint.dim(wrapMessage(t('plan.offline'), width)));
  lines.push('');
  plan.steps.forEach((step, i) => {
    lines.push(paint.head(wrapLabelled(`[${i + 1}/${plan.steps.length}] `, stepTitle(step, t), width, '    ')));
    if (step.file) lines.push(unifiedDiff(step.file.path, step.file.before, step.file.after, paint, diffHeader(step.file, t)));
    if (step.argv) lines.push(`  ${paint.cmd('# ' + shellQuote(step.argv))}`);
    if (step.offline?.createLink !== undefined) lines.push(paint.dim(wrapLabelled('  ', t('plan.symlink', { path: step.offline.path, target: step.offline.createLink }), width, '    ')));
    if (step.input) lines.push(...step.input.trimEnd().split('\n').map((l) => `      ${paint.cmd(l)}`));
    lines.push('');
  });
  for (const note of plan.notes) lines.push(paint.dim(wrapLabelled('* ', t(note.key, note.params), width)));
  for (const ins of plan.instructions ?? []) {
    lines.push('', paint.head(wrapLabelled('> ', t(ins.key, ins.params), width)));
    if (ins.file) lines.push(`  ${paint.dim(ins.file.path)}`, ...ins.file.text.trimEnd().split('\n').map((l) => `    ${paint.cmd(l)}`));
  }
  return lines.join('\n').trimEnd() + '\n';
}

/** One step as plan --json prints it; optional fields assigned when present (no spread objects: 1,000 guests' steps, issue 11). */
function stepToJson(s: Step, t: Translate): PlanJson['steps'][number] {
  const step: PlanJson['steps'][number] = { id: s.id, kind: s.kind, phase: s.phase, title: jsonMessage(t, s.title.key, s.title.params) };
  if (s.file) {
    const file: NonNullable<PlanJson['steps'][number]['file']> = { path: s.file.path, mode: s.file.mode, before: s.file.before, after: s.file.after };
    if (s.file.createLink !== undefined) file.createLink = s.file.createLink;
    step.file = file;
  }
  if (s.argv) step.argv = s.argv;
  if (s.input) step.input = s.input;
  return step;
}

export function planToJson(plan: Plan, t: Translate): PlanJson {
  return {
    schemaVersion: SCHEMA_VERSION,
    recipe: plan.recipe,
    profile: plan.profile,
    backend: plan.backend,
    method: plan.method,
    ...(plan.confirm ? { confirm: plan.confirm } : {}),
    steps: plan.steps.map((s) => stepToJson(s, t)),
    notes: plan.notes.map((n) => jsonMessage(t, n.key, n.params)),
    instructions: (plan.instructions ?? []).map((i) => ({ ...jsonMessage(t, i.key, i.params), ...(i.file ? { file: i.file } : {}) })),
  };
}
