// netplan's YAML, parsed with eemeli/yaml's Document API so an edit keeps comments, key order and
// quoting of every node it does not touch. Loaded on first use: only netplan hosts pay for it.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { InputError } from '../errors.js';

let yaml: typeof Yaml | undefined;
export function yamlModule(): typeof Yaml {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yaml;
}

export type NetplanDoc = Yaml.Document.Parsed;

export function parseNetplan(text: string, file: string): NetplanDoc {
  const Y = yamlModule();
  const lineCounter = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter, keepSourceTokens: false });
  const err = doc.errors[0];
  if (err) throw new InputError('error.netplanSyntax', { file, line: lineCounter.linePos(err.pos[0]).line, reason: err.code });
  return doc;
}

/** A plain JS view of `network:` (null when the file has none). */
export function networkOf(doc: NetplanDoc): Record<string, unknown> | null {
  const js = doc.toJS() as { network?: Record<string, unknown> } | null;
  return js && typeof js.network === 'object' && js.network !== null ? js.network : null;
}
