// IPv4 address/prefix answers ("192.168.200.1/24", seed 000 lines 222–223): parsed strictly and
// checked against the networks the host already routes, so an internal segment never shadows one.
import type { HostFacts, Route } from '../host.js';
import { InputError } from '../errors.js';

export interface Cidr { ip: string; prefix: number }

function toInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

/** "a.b.c.d/n": a host address (not the network or broadcast address) with a prefix of 8–30. */
export function parseCidr(text: string, id: string): Cidr {
  const m = /^\s*([0-9.]+)\/(\d{1,2})\s*$/.exec(text);
  const n = m ? toInt(m[1]) : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || n === null || prefix < 8 || prefix > 30) throw new InputError('error.cidrMalformed', { id, value: text });
  const host = n & ~mask(prefix);
  if (host === 0 || host === (~mask(prefix) >>> 0)) throw new InputError('error.cidrNotHost', { id, value: text });
  return { ip: m[1], prefix };
}

/** The first route of another device whose network overlaps `cidr` (the default route excluded). */
export function overlappingRoute(host: HostFacts, cidr: Cidr, ownDevs: string[]): Route | null {
  const a = toInt(cidr.ip)!;
  for (const route of host.routes) {
    if (ownDevs.includes(route.dev)) continue;
    const [ip, bits] = route.dst.split('/');
    const b = toInt(ip);
    const prefix = bits === undefined ? 32 : Number(bits);
    if (b === null || prefix === 0) continue;
    const common = mask(Math.min(prefix, cidr.prefix));
    if (((a & common) >>> 0) === ((b & common) >>> 0)) return route;
  }
  return null;
}
