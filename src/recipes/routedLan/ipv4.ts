// IPv4 addresses with a prefix, for routed-lan's answers: parse "192.168.0.3/24", its network,
// and whether two networks overlap (an address plan that overlaps routes nothing predictably).
import { InputError } from '../../errors.js';

export interface Cidr { ip: string; prefix: number }

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function ipToInt(ip: string): number | null {
  const m = OCTETS.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith('0')))) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** "a.b.c.d/N" → Cidr, or null when it does not parse. */
export function parseCidr(text: string): Cidr | null {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m || ipToInt(m[1]) === null) return null;
  const prefix = Number(m[2]);
  return prefix <= 32 ? { ip: m[1], prefix } : null;
}

export function networkOf(c: Cidr): string {
  return `${intToIp((ipToInt(c.ip)! & mask(c.prefix)) >>> 0)}/${c.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((ipToInt(a.ip)! & mask(p)) >>> 0) === ((ipToInt(b.ip)! & mask(p)) >>> 0);
}

/**
 * An interface address with its prefix (dom0's side of a segment): it must parse, be a host
 * address of its network (not the network or broadcast address) and leave room for hosts.
 */
export function checkHostAddress(text: string, id: string): Cidr {
  const c = parseCidr(text);
  if (!c || c.prefix < 1 || c.prefix > 30) throw new InputError('error.routedAddress', { id, value: text });
  const n = ipToInt(c.ip)!;
  const host = n & ~mask(c.prefix);
  if (host === 0 || (host >>> 0) === (~mask(c.prefix) >>> 0)) throw new InputError('error.routedAddress', { id, value: text });
  return c;
}

/** A network ("192.168.0.0/24"): it must parse and have no host bits set. */
export function checkNetwork(text: string, id: string): Cidr {
  const c = parseCidr(text);
  if (!c || networkOf(c) !== `${c.ip}/${c.prefix}`) throw new InputError('error.routedNetwork', { id, value: text });
  return c;
}
