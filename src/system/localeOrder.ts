// The default locale's collation order — what `new Intl.Collator().compare` and `a.localeCompare(b)`
// give — without loading ICU's collation data (~10 ms of a cold start, issue 11) where code-unit
// order is the same: strings of lowercase ASCII letters, digits, '-' and '.' under a locale that
// orders them as code units do (C/POSIX, English, Japanese; test/system/localeOrder.test.ts proves
// it). Anything else gets the collator: Estonian sorts z before t, Lithuanian y before j.

const PLAIN = /^[-.0-9a-z]*$/;
/** A locale setting whose collation was checked, in POSIX form only: empty, C, POSIX, en or ja, with a territory and a codeset at most (no @modifier, no BCP 47 extension such as -u-kn). */
const CHECKED_LOCALE = /^(?:(?:C|POSIX|en|ja)(?:_[A-Za-z]{2}|_[0-9]{3})?(?:\.[-\w]+)?)?$/;
/** Where ICU and libc take the default locale from: each one set to something unchecked decides for the collator. */
const LOCALE_VARS = ['LC_ALL', 'LC_COLLATE', 'LC_MESSAGES', 'LC_CTYPE', 'LANG', 'LANGUAGE'] as const;

let collator: Intl.Collator | undefined;

/** Whether code-unit order is the default locale's order for all of `strings`. */
export function plainOrderHolds(strings: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  return LOCALE_VARS.every((v) => (env[v] ?? '').split(':').every((l) => CHECKED_LOCALE.test(l))) && strings.every((s) => PLAIN.test(s));
}

/** `items` sorted in place by `key` in the default locale's collation order, as `new Intl.Collator().compare` sorts them. */
export function sortByLocale<T>(items: T[], key: (item: T) => string): T[] {
  if (plainOrderHolds(items.map(key))) return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const { compare } = (collator ??= new Intl.Collator());
  return items.sort((a, b) => compare(key(a), key(b)));
}
