// schemas/answers.schema.json, derived from the questions of every recipe (answerIds), so the
// schema an editor or Ansible checks a file with is the one the wizard enforces; a test keeps the
// shipped file equal to this.
import { answerIds, type AnswerSpec } from './answersFile.js';
import { SCHEMA_VERSION } from '../model/jsonMessage.js';
import { RECIPES } from '../recipes/registry.js';

function valueSchema(spec: AnswerSpec): Record<string, unknown> {
  switch (spec.kind) {
    case 'string': return spec.choices ? { type: 'string', enum: [...spec.choices] } : { type: 'string' };
    case 'number': return { type: 'number' };
    case 'boolean': return { type: 'boolean' };
    case 'string[]': return { type: 'array', items: { type: 'string' } };
    case 'macs':
      return { anyOf: [{ const: 'auto' }, { type: 'object', additionalProperties: { type: 'string' } }] };
  }
}

export function answersSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    $schema: { type: 'string', description: 'The schema an editor validates this file with.' },
    schemaVersion: { const: SCHEMA_VERSION },
  };
  for (const [id, spec] of Object.entries(answerIds())) properties[id] = valueSchema(spec);
  // The recipe is checked against the contract's ids when the plan is made; an editor can offer them.
  properties.recipe = { type: 'string', enum: RECIPES.map((r) => r.id) };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:xen-net-wizard:schema:answers',
    title: 'xen-net-wizard answers file',
    description: 'Question id → value (--answers, --save-answers); the README lists every id with its meaning and default.',
    type: 'object',
    properties,
    additionalProperties: false,
  };
}
