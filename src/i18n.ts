// Messages in the user's language: locale from LC_ALL → LC_MESSAGES → LANG (create-vue's order),
// overridden by --lang. One JSON file per language under locales/, loaded once.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export type Lang = 'en' | 'ja';
/** Flat: keys are dotted ids ("error.badMac"), values the message with {placeholders}. */
export type Messages = Record<string, string>;
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * The installed package's root (package.json, locales/, demo/): two levels above this module in
 * dist/src/ (scripts/bundle.mjs puts every module there, flat), one above it when the sources run
 * directly (tsx, the tests that import src/). Decided from the path alone: no file is probed.
 */
const moduleDir = path.dirname(fileURLToPath(import.meta.url));
export const packageDir = path.resolve(moduleDir, path.basename(path.dirname(moduleDir)) === 'dist' ? '../..' : '..');
const localesDir = path.join(packageDir, 'locales');
const cache = new Map<Lang, Messages>();

/** `ja*` → Japanese, anything else → English; the first non-empty variable decides. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return value.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function loadMessages(lang: Lang): Messages {
  let messages = cache.get(lang);
  if (!messages) {
    messages = JSON.parse(readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')) as Messages;
    cache.set(lang, messages);
  }
  return messages;
}

export function lookup(messages: Messages, key: string): string | undefined {
  return Object.hasOwn(messages, key) ? messages[key] : undefined;
}

export function format(template: string, params: Record<string, string | number> = {}): string {
  if (!template.includes('{')) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** A translator for one language; a missing key falls back to English, then to the key itself. */
export function translator(lang: Lang): Translate {
  const messages = loadMessages(lang);
  const fallback = lang === 'en' ? messages : loadMessages('en');
  return (key, params) => format(lookup(messages, key) ?? lookup(fallback, key) ?? key, params);
}
