// Recipe routed's guests: which vif of each is routed and the static address it gets (seed 002
// line 85: "domU must have a known (static) IP. DHCP doesn't work"), from the answer `route.ips`
// or the ip= its config already has.
import type { Answers } from '../../model/answers.js';
import { guestsByName, type Guest, type HostFacts } from '../../model/host.js';
import { InputError } from '../../errors.js';
import { checkGuests } from '../shared/guestVifs.js';
import type { Topology } from '../../model/topology.js';
import { overlaps, type Cidr } from '../shared/internalNetwork.js';

export interface RoutedGuest {
  guest: string;
  ip: string;
  /** Its definitions (xm/xl config, libvirt XML) and the index of the vif routed in each: the first. */
  defs: { path: string; kind: 'xm' | 'libvirt-xml'; index: number; bridge: string | null }[];
}

export interface RoutedResolution {
  topology: Topology;
  nic: string;
  /** dom0's address on the NIC (what vif-route copies onto each vif, line 88), when known. */
  nicAddress: Cidr | null;
  guests: RoutedGuest[];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const toInt = (ip: string) => ip.split('.').reduce((n, o) => (n * 256 + Number(o)) >>> 0, 0);

/** A unicast host address a guest can have: dotted quad, not 0/8, loopback, multicast or reserved. */
export function checkGuestIp(ip: string, id: string): void {
  const m = IPV4.exec(ip);
  if (!m || m.slice(1).some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) throw new InputError('error.routeIpSyntax', { id, value: ip });
  const first = Number(m[1]);
  if (first === 0 || first === 127 || first >= 224) throw new InputError('error.routeIpNotHost', { id, value: ip });
}

/** "web1=192.168.1.11, db1=192.168.1.12" → guest → IP; separators: commas and/or spaces. */
export function parseRouteIps(text: string, id = 'route.ips'): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(pair);
    if (!m) throw new InputError('error.routeIpsSyntax', { id, value: pair });
    checkGuestIp(m[2], id);
    if (map.has(m[1])) throw new InputError('error.guestTwice', { guest: m[1], id });
    map.set(m[1], m[2]);
  }
  return map;
}

/** The ip= already in a guest's first vif (xm/xl spec), when it has one: the detected default. */
export function detectedIp(host: HostFacts, guest: string): string | null {
  return ipOf(host.guests.find((h) => h.name === guest));
}

function ipOf(g: Guest | undefined): string | null {
  for (const def of g?.definitions ?? []) {
    const ip = def.vifs.find((v) => v.index === 0)?.keys.ip?.trim();
    if (ip && IPV4.test(ip)) return ip;
  }
  return null;
}

export function detectedRouteIps(host: HostFacts, guests: string[]): string {
  return guests.flatMap((g) => {
    const ip = detectedIp(host, g);
    return ip ? [`${g}=${ip}`] : [];
  }).join(',');
}

/**
 * Every chosen guest with its static address; a guest without one is refused (line 85), as is an
 * address used twice, dom0's own, or the network/broadcast address of dom0's subnet.
 */
export function routedGuests(host: HostFacts, answers: Answers, guests: string[], nicAddress: Cidr | null): RoutedGuest[] {
  checkGuests(host, guests, 'guests');
  const typed = typeof answers['route.ips'] === 'string' ? parseRouteIps(answers['route.ips'] as string) : new Map<string, string>();
  for (const name of typed.keys()) {
    if (!guests.includes(name)) throw new InputError('error.routeIpsNotChosen', { id: 'route.ips', guest: name, guests: guests.join(', ') || '-' });
  }
  const seen = new Map<string, string>();
  const byName = guestsByName(host);
  return guests.map((guest) => {
    const ip = typed.get(guest) ?? ipOf(byName.get(guest));
    if (!ip) throw new InputError('error.routeNoStaticIp', { guest, id: 'route.ips' });
    const other = seen.get(ip);
    if (other) throw new InputError('error.routeIpTwice', { id: 'route.ips', value: ip, guest, other });
    seen.set(ip, guest);
    if (nicAddress) {
      const mask = nicAddress.prefix === 0 ? 0 : (0xffffffff << (32 - nicAddress.prefix)) >>> 0;
      const hostPart = (toInt(ip) & ~mask) >>> 0;
      const inSubnet = overlaps({ ip, prefix: 32 }, nicAddress);
      if (ip === nicAddress.ip || (inSubnet && (hostPart === 0 || hostPart === (~mask >>> 0)))) {
        throw new InputError('error.routeIpDom0', { id: 'route.ips', value: ip, guest, address: `${nicAddress.ip}/${nicAddress.prefix}` });
      }
    }
    const def = byName.get(guest)!;
    const defs = def.definitions.filter((d) => d.vifs.length > 0)
      .map((d) => ({ path: d.path, kind: d.kind, index: 0, bridge: d.vifs.find((v) => v.index === 0)?.bridge ?? null }));
    if (defs.length === 0) throw new InputError('error.routeNoVif', { guest, id: 'guests' });
    return { guest, ip, defs };
  });
}

export function inSubnet(ip: string, cidr: Cidr | null): boolean {
  return cidr !== null && overlaps({ ip, prefix: 32 }, cidr);
}
