// Vifs added to guests by the recipes that give each chosen guest one more interface (seed 000
// lines 93–116: internal-l2's virbr1, internal-dummy's xenbr1, routed-lan's LAN vif). One MAC per
// new vif, the same in every definition of the guest (xm file and XML dump), unique on the host.
import { guestsByName, type HostFacts } from '../../model/host.js';
import type { VifMove } from '../../model/topology.js';
import { InputError } from '../../errors.js';
import { checkMac, generateMacs, type RandomBytes } from '../../mac.js';

/** Guests answered by name must exist. */
export function checkGuests(host: HostFacts, guests: string[], id: string): void {
  const byName = guestsByName(host);
  for (const g of guests) {
    if (!byName.has(g)) {
      throw new InputError('error.guestNotFound', { guest: g, known: host.guests.map((h) => h.name).join(', ') || '-', id });
    }
  }
  const seen = new Set<string>();
  const twice = guests.find((g) => seen.size === seen.add(g).size);
  if (twice) throw new InputError('error.guestTwice', { guest: twice, id });
}

/**
 * A new vif on `bridge` for each guest that has none there yet (idempotent: a guest already on the
 * bridge is left alone). `macs` maps "guest" or "guest#N" to a MAC or "auto"; `inUse` grows with
 * every MAC handed out, so several calls in one plan never collide.
 */
export function addVifs(
  host: HostFacts,
  guests: string[],
  bridge: string,
  macs: Record<string, string> | 'auto' | undefined,
  inUse: Set<string>,
  random: RandomBytes,
): VifMove[] {
  const explicit = macs && macs !== 'auto' ? macs : {};
  const moves: VifMove[] = [];
  const byName = guestsByName(host);
  for (const name of guests) {
    const guest = byName.get(name)!;
    if (guest.definitions.some((d) => d.vifs.some((v) => v.bridge === bridge))) continue;
    const index = Math.max(...guest.definitions.map((d) => d.vifs.length));
    const typed = explicit[`${name}#${index}`] ?? explicit[name];
    const mac = typed && typed !== 'auto' ? checkMac(typed, inUse, `macs.${name}`).mac : generateMacs(1, inUse, random)[0];
    inUse.add(mac);
    for (const def of guest.definitions) {
      moves.push({ guest: name, path: def.path, kind: def.kind, index: def.vifs.length, from: null, to: bridge, mac, add: true });
    }
  }
  return moves;
}
