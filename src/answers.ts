// The answers file (contract): a JSON object from question id to value, like debconf preseeding.
// Types are checked here; meaning (does the NIC exist?) is checked by the recipe.
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { InputError } from './errors.js';
import { jsonErrorAt } from './parse/jsonErrorAt.js';

export interface Answers {
  recipe?: string;
  profile?: 'xend' | 'xl';
  backend?: 'ifcfg' | 'ifupdown' | 'networkmanager' | 'networkd';
  'wan.nic'?: string;
  'wan.bridge'?: string;
  guests?: string[];
  /** guest name (first moved vif) or "name#N" (vif N) → MAC or "auto"; or "auto" for all. */
  macs?: Record<string, string> | 'auto';
  antispoof?: boolean;
  'libvirt.disableDefault'?: boolean;
}

type Kind = 'string' | 'boolean' | 'string[]' | 'macs';

export const ANSWER_IDS: Record<keyof Answers, { kind: Kind; choices?: readonly string[] }> = {
  recipe: { kind: 'string' },
  profile: { kind: 'string', choices: ['xend', 'xl'] },
  backend: { kind: 'string', choices: ['ifcfg', 'ifupdown', 'networkmanager', 'networkd'] },
  'wan.nic': { kind: 'string' },
  'wan.bridge': { kind: 'string' },
  guests: { kind: 'string[]' },
  macs: { kind: 'macs' },
  antispoof: { kind: 'boolean' },
  'libvirt.disableDefault': { kind: 'boolean' },
};

function typeOk(kind: Kind, value: unknown): boolean {
  switch (kind) {
    case 'string': return typeof value === 'string';
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
  for (const [id, value] of Object.entries(data)) {
    // Own keys only: "__proto__" or "constructor" would otherwise find Object.prototype's members.
    const spec = Object.hasOwn(ANSWER_IDS, id) ? ANSWER_IDS[id as keyof Answers] : undefined;
    if (!spec) throw new InputError('error.answersUnknownId', { file, id, known: Object.keys(ANSWER_IDS).join(', ') });
    if (!typeOk(spec.kind, value)) {
      throw new InputError('error.answersWrongType', { file, id, value: JSON.stringify(value), expected: spec.kind });
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
  } catch (err) {
    const detail = (err as Error).message;
    const at = jsonErrorAt(text);
    const line = text.slice(0, Math.max(at, 0)).split('\n').length;
    throw new InputError('error.answersNotJson', { file, line, detail });
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
  const ordered: Record<string, unknown> = {};
  for (const id of Object.keys(ANSWER_IDS)) {
    const value = answers[id as keyof Answers];
    if (value !== undefined) ordered[id] = value;
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(ordered, null, 2) + '\n');
  renameSync(tmp, file);
}
