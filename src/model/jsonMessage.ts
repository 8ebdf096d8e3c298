// The --json contract (schemas/*.schema.json, draft 2020-12): every object printed carries
// schemaVersion; a message is its locale key and params, which do not depend on the language,
// plus `text`, the same message in the run's language, for people only.
import type { Translate } from '../i18n.js';
import type { MessageParams } from '../errors.js';

/** Raised only when a field changes meaning or disappears; new optional fields keep it. */
export const SCHEMA_VERSION = 1;

export interface JsonMessage {
  key: string;
  params: MessageParams;
  text: string;
}

export function jsonMessage(t: Translate, key: string, params: MessageParams = {}): JsonMessage {
  return { key, params, text: t(key, params) };
}

/** The object with schemaVersion first, as every --json output starts. */
export function versioned<T extends object>(body: T): { schemaVersion: number } & T {
  return { schemaVersion: SCHEMA_VERSION, ...body };
}

/** One JSON document on stdout, indented as every command prints it. */
export function jsonText(body: object): string {
  return JSON.stringify(versioned(body), null, 2);
}
