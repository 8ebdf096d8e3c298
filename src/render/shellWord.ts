// Values written into a generated /bin/sh script (the network-bridge-custom wrapper): each one
// word, bare when every character is inert in sh (so the guide's text stays byte-identical),
// else single-quoted; refused when no quoting makes it one safe word.
import { InputError } from '../errors.js';

const INERT = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX single-quoting: inside '…' every character is literal except ', written '\''. */
export function quoteWord(word: string): string {
  return INERT.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * One word of a generated script. Control characters (NUL cannot be in a file sh reads as text;
 * a newline or CR inside an argument is never what a bridge or NIC name means) are refused: exit 2.
 */
export function shellWord(word: string, field: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(word)) throw new InputError('error.shellUnsafe', { field, value: JSON.stringify(word) });
  return quoteWord(word);
}
