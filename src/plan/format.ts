// How a plan looks to a person (coloured unified diffs and commands) and to a script (JSON).
import { createTwoFilesPatch } from 'diff';
import type { Plan, PlanJson, Step } from '../model/plan.js';
import type { Translate } from '../i18n.js';
import { quoteWord } from '../render/shellWord.js';

export interface Paint {
  add(s: string): string;
  del(s: string): string;
  hunk(s: string): string;
  head(s: string): string;
  cmd(s: string): string;
  dim(s: string): string;
}

export const noPaint: Paint = { add: (s) => s, del: (s) => s, hunk: (s) => s, head: (s) => s, cmd: (s) => s, dim: (s) => s };

/** POSIX-shell quoting, for showing argv to a person (it is never given to a shell). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteWord).join(' ');
}

export function stepTitle(step: Step, t: Translate): string {
  return t(step.title.key, step.title.params);
}

export function unifiedDiff(path: string, before: string | null, after: string | null, paint: Paint): string {
  const patch = createTwoFilesPatch(
    before === null ? '/dev/null' : `a${path}`,
    after === null ? '/dev/null' : `b${path}`,
    before ?? '',
    after ?? '',
    '',
    '',
    { context: 3 },
  );
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint.head(line);
      if (line.startsWith('@@')) return paint.hunk(line);
      if (line.startsWith('+')) return paint.add(line);
      if (line.startsWith('-')) return paint.del(line);
      return line;
    })
    .join('\n')
    .trimEnd();
}

export function formatPlan(plan: Plan, t: Translate, paint: Paint, live: boolean): string {
  const lines: string[] = [];
  lines.push(paint.head(t('plan.header', { recipe: plan.recipe, profile: plan.profile, backend: plan.backend })));
  lines.push(t(`plan.method.${plan.method}`));
  if (!live) lines.push(paint.dim(t('plan.offline')));
  lines.push('');
  plan.steps.forEach((step, i) => {
    lines.push(paint.head(`[${i + 1}/${plan.steps.length}] ${stepTitle(step, t)}`));
    if (step.file) {
      const mode = step.file.before === null ? `  (${t('plan.newFileMode', { mode: step.file.mode })})` : '';
      lines.push(unifiedDiff(step.file.path, step.file.before, step.file.after, paint) + mode);
    }
    if (step.argv) lines.push(`  ${paint.cmd('# ' + shellQuote(step.argv))}`);
    if (step.offline?.createLink !== undefined) lines.push(paint.dim(`  ${t('plan.symlink', { path: step.offline.path, target: step.offline.createLink })}`));
    if (step.input) lines.push(...step.input.trimEnd().split('\n').map((l) => `      ${paint.cmd(l)}`));
    lines.push('');
  });
  for (const note of plan.notes) lines.push(paint.dim(`* ${t(note.key, note.params)}`));
  for (const ins of plan.instructions ?? []) {
    lines.push('', paint.head(`> ${t(ins.key, ins.params)}`));
    if (ins.file) lines.push(`  ${paint.dim(ins.file.path)}`, ...ins.file.text.trimEnd().split('\n').map((l) => `    ${paint.cmd(l)}`));
  }
  return lines.join('\n').trimEnd() + '\n';
}

export function planToJson(plan: Plan, t: Translate): PlanJson {
  return {
    recipe: plan.recipe,
    profile: plan.profile,
    backend: plan.backend,
    method: plan.method,
    steps: plan.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      title: stepTitle(s, t),
      ...(s.file ? { file: { path: s.file.path, mode: s.file.mode, before: s.file.before, after: s.file.after } } : {}),
      ...(s.argv ? { argv: s.argv } : {}),
      ...(s.input ? { input: s.input } : {}),
    })),
    ...(plan.instructions?.length
      ? { instructions: plan.instructions.map((i) => ({ key: i.key, text: t(i.key, i.params), ...(i.file ? { file: i.file } : {}) })) }
      : {}),
  };
}
