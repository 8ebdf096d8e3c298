// The answers file (contract): a JSON object from question id to value, like debconf preseeding.
// Types are checked here, against the questions of every recipe; meaning (does the NIC exist?)
// is checked by the recipe.
import { readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import { isDiskFault, writePoint } from '../system/diskFault.js';
import { InputError } from '../errors.js';
import { jsonErrorAt } from '../parse/jsonErrorAt.js';
import type { AnswerKind } from '../recipes/types.js';
import { recipeModules } from '../recipes/registry.js';
import type { Answers } from '../model/answers.js';
import { SCHEMA_VERSION } from '../model/jsonMessage.js';
import { closest } from '../didYouMean.js';

export interface AnswerSpec { kind: AnswerKind; choices?: readonly string[] }

/** Ids every recipe shares. */
const COMMON: Record<string, AnswerSpec> = {
  recipe: { kind: 'string' },
  profile: { kind: 'string', choices: ['xend', 'xl'] },
  backend: { kind: 'string', choices: ['ifcfg', 'ifupdown', 'ifupdown-ng', 'netplan', 'networkmanager', 'networkd', 'wicked'] },
  // Guest definitions detect could not read (dom0 paths) that the admin vouches do not use the
  // bridge being retired: only these may be left out of the check before net-destroy.
  'guests.ignoreUnparsed': { kind: 'string[]' },
};

/** Every answer id of every recipe, in question order (a null prototype: "__proto__" is no id). */
export function answerIds(): Record<string, AnswerSpec> {
  const ids: Record<string, AnswerSpec> = Object.assign(Object.create(null) as Record<string, AnswerSpec>, COMMON);
  for (const recipe of recipeModules()) {
    for (const q of recipe.questions) {
      const seen = ids[q.id];
      // Two recipes asking the same id must mean the same type by it (guests, macs, wan.nic, …).
      if (seen && seen.kind !== q.kind) throw new Error(`answer id ${q.id}: ${seen.kind} vs ${q.kind}`);
      ids[q.id] = { kind: q.kind, ...(q.choices ? { choices: q.choices } : {}) };
    }
  }
  return ids;
}

function typeOk(kind: AnswerKind, value: unknown): boolean {
  switch (kind) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'string[]': return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'macs':
      return value === 'auto' || (value !== null && typeof value === 'object' && !Array.isArray(value)
        && Object.values(value).every((v) => typeof v === 'string'));
  }
}

export function validateAnswers(data: unknown, file: string): Answers {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('error.answersNotObject', { file });
  }
  const ids = answerIds();
  for (const [id, value] of Object.entries(data)) {
    // Not questions: the schema an editor checks the file with, and the contract's version.
    if (id === '$schema' && typeof value === 'string') continue;
    if (id === 'schemaVersion') {
      if (value !== SCHEMA_VERSION) throw new InputError('error.answersSchemaVersion', { file, value: JSON.stringify(value), supported: SCHEMA_VERSION });
      continue;
    }
    // Own keys only: "__proto__" or "constructor" would otherwise find Object.prototype's members.
    const spec = Object.hasOwn(ids, id) ? ids[id] : undefined;
    if (!spec) {
      const suggestion = closest(id, Object.keys(ids));
      throw new InputError('error.answersUnknownId', { file, id, known: Object.keys(ids).join(', '), ...(suggestion ? { suggestion } : {}) });
    }
    if (!typeOk(spec.kind, value)) {
      // The expected type in words of the user's language, one message per type ("string[]" is not Japanese).
      // Message keys are [A-Za-z0-9-] segments (the error schema's pattern): string[] is "stringList".
      throw new InputError(`error.answersWrongType.${spec.kind === 'string[]' ? 'stringList' : spec.kind}`, { file, id, value: JSON.stringify(value) });
    }
    if (spec.choices && !spec.choices.includes(value as string)) {
      throw new InputError('error.answersBadChoice', { file, id, value: String(value), choices: spec.choices.join(', ') });
    }
  }
  return data as Answers;
}

export function parseAnswersText(text: string, file: string): Answers {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Node's parser message is English and not always placed; say where and what in the locale instead.
    const at = Math.max(jsonErrorAt(text), 0);
    const before = text.slice(0, at).split('\n');
    const where = { file, line: before.length, column: before.at(-1)!.length + 1 };
    if (at >= text.length) throw new InputError('error.answersJson.unexpectedEnd', where);
    throw new InputError('error.answersJson.unexpectedChar', { ...where, char: JSON.stringify(text[at]).slice(1, -1) });
  }
  return validateAnswers(data, file);
}

export function readAnswersFile(file: string): Answers {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError('error.answersUnreadable', { file });
  }
  return parseAnswersText(text, file);
}

/** Written atomically, keys in the order of the questions, so the file diffs well between hosts. */
export function writeAnswersFile(file: string, answers: Answers): void {
  const ordered: Record<string, unknown> = { schemaVersion: SCHEMA_VERSION };
  for (const id of Object.keys(answerIds())) {
    const value = answers[id];
    if (value !== undefined) ordered[id] = value;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writePoint(file);
    writeFileSync(tmp, JSON.stringify(ordered, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (isDiskFault(err)) throw new InputError(`error.diskFault.${err.code}`, { path: file });
    throw err;
  }
}

/** A --set value as its answer's type: "true", "60", "eth0,eth1" (or a JSON array), "auto" or a JSON object. */
function setValue(kind: AnswerKind | undefined, raw: string): unknown {
  const json = (): unknown => {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  switch (kind) {
    case 'boolean': return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'number': return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    case 'string[]': return raw.startsWith('[') ? json() : raw === '' ? [] : raw.split(',');
    case 'macs': return raw === 'auto' ? raw : json();
    default: return raw;
  }
}

/**
 * The answers of a run: the answers file, then --recipe and each --set ID=VALUE over it (like
 * helm's --set over a values file), checked together by the same rules as a file.
 */
export function combineAnswers(fileAnswers: Answers, recipe: string | null, sets: readonly string[]): Answers {
  if (recipe === null && sets.length === 0) return fileAnswers;
  const ids = answerIds();
  const combined: Record<string, unknown> = { ...fileAnswers };
  if (recipe !== null) combined.recipe = recipe;
  for (const item of sets) {
    const eq = item.indexOf('=');
    const id = item.slice(0, eq);
    combined[id] = setValue(Object.hasOwn(ids, id) ? ids[id].kind : undefined, item.slice(eq + 1));
  }
  return validateAnswers(combined, '--set');
}
