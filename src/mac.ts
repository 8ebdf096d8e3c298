// Xen-range MAC addresses (what seed 000 line 216 does with xenmacgen.py, but checked):
// 00:16:3e + three random bytes, the first below 0x80 as libxl and xend do, unique on the host.
import { InputError } from './errors.js';

export const XEN_OUI = '00:16:3e';

export type RandomBytes = (n: number) => Uint8Array;
/** The MACs taken on the host, as the checks ask them: a Set, or a view of one (usedByOthers). */
export type MacsInUse = { has(mac: string): boolean };

/** The MACs in use but `own`: a vif's own address may be typed again (a view, not a copy of every MAC). */
export const usedByOthers = (inUse: MacsInUse, own: string | null): MacsInUse => ({ has: (mac) => mac !== own && inUse.has(mac) });

export interface MacCheck {
  /** Normalised form: lower case, colon separated. */
  mac: string;
  warnings: ('outsideXenRange' | 'notLocallyAdministered')[];
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** Already normal but for the case: the form almost every config has (one regex test, no parts). */
const CANONICAL_MAC = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}$/;

export function normalizeMac(text: string): string | null {
  if (CANONICAL_MAC.test(text)) return text.toLowerCase();
  const parts = text.trim().split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) return null;
  return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}

/**
 * Validate a MAC the user typed: six octets and unicast (low bit of the first octet 0) or exit 2.
 * Outside 00:16:3e, or not locally administered, is a warning (seed 002 lines 14–18), not an error.
 */
export function checkMac(text: string, inUse: MacsInUse = new Set<string>(), context = ''): MacCheck {
  const mac = normalizeMac(text);
  if (!mac) throw new InputError('error.macMalformed', { value: text, context });
  const first = parseInt(mac.slice(0, 2), 16);
  if (first & 1) throw new InputError('error.macMulticast', { value: text, context });
  if (mac === '00:00:00:00:00:00') throw new InputError('error.macZero', { value: text, context });
  if (inUse.has(mac)) throw new InputError('error.macInUse', { value: mac, context });
  const warnings: MacCheck['warnings'] = [];
  if (!mac.startsWith(XEN_OUI)) {
    warnings.push('outsideXenRange');
    if (!(first & 2)) warnings.push('notLocallyAdministered');
  }
  return { mac, warnings };
}

/** `count` fresh MACs, unique within the result and against `inUse`. */
export function generateMacs(count: number, inUse: MacsInUse, random: RandomBytes): string[] {
  // The ones drawn here; inUse is asked, never copied (a plan draws one per guest without a MAC:
  // copying every MAC on the host each time made 1,000 such guests quadratic, issue 11).
  const taken = new Set<string>();
  const result: string[] = [];
  // 2^23 addresses in the range; give up long before an endless loop on a saturated host.
  for (let attempts = 0; result.length < count; attempts++) {
    if (attempts > count * 64 + 1024) throw new InputError('error.macExhausted', { count });
    const [a, b, c] = random(3);
    const mac = `${XEN_OUI}:${hex2(a & 0x7f)}:${hex2(b)}:${hex2(c)}`;
    if (inUse.has(mac) || taken.has(mac)) continue;
    taken.add(mac);
    result.push(mac);
  }
  return result;
}
