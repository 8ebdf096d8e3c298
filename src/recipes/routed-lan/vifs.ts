// routed-lan's guest interfaces (seed 000 lines 426–441): a WAN vif on the eth0 bridge first, a
// LAN vif on virbr0 second. A guest made by virt-manager has one vif, on virbr0: that vif becomes
// the WAN vif (its MAC and the guest's eth0 stay as they are) and a new vif with a fresh MAC is
// added on virbr0 — the guest's eth1, the interface route-eth1 (line 523) is written for.
import { guestsByName, type Guest, type HostFacts } from '../../model/host.js';
import type { VifMove } from '../../model/topology.js';
import { InputError } from '../../errors.js';
import { checkMac, generateMacs, usedByOthers, type RandomBytes } from '../../mac.js';
import { addVifs } from '../shared/guestVifs.js';

export interface GuestVifs { moves: VifMove[]; lanIndex: Record<string, number> }

/** The guests as they will be after `moves`: bridges changed, added vifs appended. */
function afterMoves(host: HostFacts, moves: VifMove[]): HostFacts {
  const guests: Guest[] = host.guests.map((g) => ({
    ...g,
    definitions: g.definitions.map((d) => {
      const vifs = d.vifs.map((v) => {
        const m = moves.find((x) => !x.add && x.path === d.path && x.index === v.index);
        return m ? { ...v, bridge: m.to, mac: m.mac ?? v.mac } : v;
      });
      for (const m of moves.filter((x) => x.add && x.path === d.path)) vifs.push({ index: m.index, mac: m.mac, bridge: m.to, keys: {} });
      return { ...d, vifs };
    }),
  }));
  return { ...host, guests };
}

export function planGuestVifs(
  host: HostFacts,
  guests: string[],
  wanBridge: string,
  lanBridge: string,
  macs: Record<string, string> | 'auto' | undefined,
  random: RandomBytes,
): GuestVifs {
  const explicit = macs && macs !== 'auto' ? macs : {};
  const byName = guestsByName(host);
  for (const key of Object.keys(explicit)) {
    if (!byName.has(key.replace(/#\d+$/, ''))) throw new InputError('error.macsUnknownGuest', { guest: key });
  }
  const inUse = new Set(host.macsInUse);
  const moves: VifMove[] = [];
  const needWan: string[] = [];
  for (const name of guests) {
    const guest = byName.get(name)!;
    const vifs = guest.definitions.flatMap((d) => d.vifs);
    if (vifs.some((v) => v.bridge === wanBridge)) continue;
    const first = vifs.filter((v) => v.bridge === lanBridge).map((v) => v.index).sort((a, b) => a - b)[0]; // by number: vif 2 before vif 10
    if (first === undefined) {
      needWan.push(name);
      continue;
    }
    const existing = vifs.find((v) => v.index === first && v.mac)?.mac ?? null;
    const typed = explicit[`${name}#${first}`];
    let mac: string | null = null;
    if (typed && typed !== 'auto') mac = checkMac(typed, usedByOthers(inUse, existing), `macs.${name}#${first}`).mac;
    // A vif without mac= gets a new one at every boot (seed 000 line 216): fix it now.
    else if (!existing) mac = generateMacs(1, inUse, random)[0];
    if (mac) inUse.add(mac);
    for (const def of guest.definitions) {
      const vif = def.vifs.find((v) => v.index === first);
      if (vif) moves.push({ guest: name, path: def.path, kind: def.kind, index: first, from: vif.bridge, to: wanBridge, mac: mac && mac !== vif.mac ? mac : null });
    }
  }
  // A guest with neither gets a new WAN vif first, so the LAN vif still comes second.
  const wanOnly = Object.fromEntries(Object.entries(explicit).filter(([k]) => k.includes('#')));
  moves.push(...addVifs(afterMoves(host, moves), needWan, wanBridge, wanOnly, inUse, random));
  moves.push(...addVifs(afterMoves(host, moves), guests, lanBridge, explicit, inUse, random));
  const after = afterMoves(host, moves);
  const lanIndex: Record<string, number> = {};
  const afterByName = guestsByName(after);
  for (const name of guests) {
    const vif = afterByName.get(name)!.definitions.flatMap((d) => d.vifs).find((v) => v.bridge === lanBridge);
    if (vif) lanIndex[name] = vif.index;
  }
  return { moves, lanIndex };
}
