// The move every recipe starts from (single-bridge, seed 000 lines 24–83): guests from libvirt's
// NAT virbr0 onto a bridge over a NIC. Defaults from detection, validation of every answer,
// answers → Topology; the other recipes compose it.
import type { Answers } from '../../model/answers.js';
import type { Backend, Guest, HostFacts, Profile } from '../../model/host.js';
import { bridges, guestsByName, nics } from '../../model/host.js';
import { emptyTopology, type Topology, type VifMove } from '../../model/topology.js';
import { InputError } from '../../errors.js';
import { checkMac, generateMacs, usedByOthers, type RandomBytes } from '../../mac.js';
import { validateIfaceName } from './ifaceName.js';

export const DEFAULT_BRIDGE = 'xenbr0';

/** The bridge of libvirt's "default" network: the bridge guests are moved off. */
export function natBridge(host: HostFacts): string {
  return host.libvirtNetworks.find((n) => n.name === 'default')?.bridge ?? 'virbr0';
}

export function guestsOnBridge(host: HostFacts, bridge: string): string[] {
  const names: string[] = [];
  // Index loops, not filter/some or for-of: this runs over every guest of the host in code V8 has
  // not optimised yet, where each iterator step is an object to collect (issue 11).
  for (let i = 0; i < host.guests.length; i++) if (onBridge(host.guests[i], bridge)) names.push(host.guests[i].name);
  return names;
}

function onBridge(guest: Guest, bridge: string): boolean {
  for (let d = 0; d < guest.definitions.length; d++) {
    const vifs = guest.definitions[d].vifs;
    for (let v = 0; v < vifs.length; v++) if (vifs[v].bridge === bridge) return true;
  }
  return false;
}

/** Defaults for every question, from detection (the same ones the wizard pre-selects). */
export interface SingleBridgeDefaults extends Answers {
  profile: Profile;
  backend: Exclude<Backend, 'unknown'>;
  'wan.nic': string;
  'wan.bridge': string;
  guests: string[];
  macs: 'auto';
  antispoof: boolean;
  'libvirt.disableDefault': boolean;
}

export function singleBridgeDefaults(host: HostFacts): SingleBridgeDefaults {
  const source = natBridge(host);
  const candidates = nics(host);
  const nic = host.defaultRouteNic && !bridges(host).some((b) => b.name === host.defaultRouteNic)
    ? host.defaultRouteNic
    : host.links.find((l) => l.isBridge && l.name === host.defaultRouteNic)?.ports.find((p) => candidates.some((c) => c.name === p))
      ?? candidates[0]?.name ?? 'eth0';
  const guests = guestsOnBridge(host, source);
  return {
    profile: host.profile,
    backend: host.backend === 'unknown' ? 'ifupdown' : host.backend,
    'wan.nic': nic,
    'wan.bridge': DEFAULT_BRIDGE,
    guests,
    macs: 'auto',
    antispoof: true,
    'libvirt.disableDefault': true,
  };
}

function checkNic(host: HostFacts, nic: string, bridge: string): void {
  validateIfaceName(nic, 'wan.nic');
  if (nic === 'lo') throw new InputError('error.nicLoopback', { nic });
  // Without kernel state (an offline root without sys/) the config is all there is to check against.
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  if (!link) {
    throw new InputError('error.nicNotFound', { nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
  }
  if (link.isBridge) throw new InputError('error.nicIsBridge', { nic });
  if (link.master && link.master !== bridge) throw new InputError('error.nicEnslaved', { nic, master: link.master });
}

function checkBridge(host: HostFacts, bridge: string, nic: string): void {
  validateIfaceName(bridge, 'wan.bridge');
  const link = host.links.find((l) => l.name === bridge);
  if (link && !link.isBridge) throw new InputError('error.bridgeNameTaken', { bridge });
  if (bridge === natBridge(host)) throw new InputError('error.bridgeIsNat', { bridge });
  if (bridge === nic) throw new InputError('error.bridgeIsNic', { bridge });
}

/** The vifs to move and the MACs they get. `random` is injected: plans are pure given it. */
export function planVifMoves(host: HostFacts, answers: Answers, guests: string[], bridge: string, random: RandomBytes): VifMove[] {
  const source = natBridge(host);
  const inUse = new Set(host.macsInUse);
  const explicit = answers.macs && answers.macs !== 'auto' ? answers.macs : {};
  const byName = guestsByName(host);
  for (const key of Object.keys(explicit)) {
    const name = key.replace(/#\d+$/, '');
    if (!byName.has(name)) throw new InputError('error.macsUnknownGuest', { guest: key });
  }
  const moves: VifMove[] = [];
  // Index loops over every guest (guestsOnBridge says why).
  for (let g = 0; g < guests.length; g++) {
    const name = guests[g];
    const guest = byName.get(name)!;
    // Vif #i is the same interface in every definition of a guest (xm file and its XML dump).
    const indexes: number[] = [];
    for (let d = 0; d < guest.definitions.length; d++) {
      const vifs = guest.definitions[d].vifs;
      for (let v = 0; v < vifs.length; v++) if (vifs[v].bridge === source && !indexes.includes(vifs[v].index)) indexes.push(vifs[v].index);
    }
    indexes.sort((a, b) => a - b); // by number: "guest" in answers.macs is the lowest (vif 2, not vif 10)
    for (let n = 0; n < indexes.length; n++) {
      const index = indexes[n];
      const existing = existingMac(guest, index);
      const typed = explicit[`${name}#${index}`] ?? (n === 0 ? explicit[name] : undefined);
      // "auto" keeps an existing address (DHCP reservations depend on it) and fills a missing one:
      // seed 000 line 216, a fixed address from Xen's range instead of a new random one at every boot.
      let mac: string | null = null;
      if (typed && typed !== 'auto') {
        mac = checkMac(typed, usedByOthers(inUse, existing), `macs.${name}`).mac;
      } else if (!existing) {
        mac = generateMacs(1, inUse, random)[0];
      }
      if (mac) inUse.add(mac);
      for (let d = 0; d < guest.definitions.length; d++) {
        const def = guest.definitions[d];
        const vif = def.vifs.find((v) => v.index === index);
        if (!vif) continue;
        moves.push({ guest: name, path: def.path, kind: def.kind, index, from: vif.bridge, to: bridge, mac: mac && mac !== vif.mac ? mac : null });
      }
    }
  }
  return moves;
}

/** The MAC vif #index has in the first of the guest's definitions that gives one. */
function existingMac(guest: Guest, index: number): string | null {
  for (const d of guest.definitions) {
    const mac = d.vifs.find((v) => v.index === index)?.mac;
    if (mac) return mac;
  }
  return null;
}

export function resolveSingleBridge(host: HostFacts, answers: Answers, random: RandomBytes): Topology {
  const defaults = singleBridgeDefaults(host);
  const nic = answers['wan.nic'] ?? defaults['wan.nic'];
  const bridge = answers['wan.bridge'] ?? defaults['wan.bridge'];
  checkBridge(host, bridge, nic);
  checkNic(host, nic, bridge);
  const guests = answers.guests ?? defaults.guests;
  const byName = guestsByName(host);
  for (const g of guests) {
    if (!byName.has(g)) {
      throw new InputError('error.guestNotFound', { guest: g, known: host.guests.map((h) => h.name).join(', ') || '-' });
    }
  }
  const source = natBridge(host);
  const vifMoves = planVifMoves(host, answers, guests, bridge, random);
  const chosen = new Set(guests);
  const left = guestsOnBridge(host, source).filter((g) => !chosen.has(g));
  const disable = answers['libvirt.disableDefault'] ?? left.length === 0;
  const defaultNet = host.libvirtNetworks.find((n) => n.name === 'default');
  const topology = emptyTopology('single-bridge', answers.profile ?? defaults.profile, answers.backend ?? defaults.backend, source);
  topology.bridges.push({ name: bridge, nic, stp: false, forwardDelay: 0, antispoof: answers.antispoof ?? true });
  topology.vifMoves = vifMoves;
  topology.libvirtDisable = disable && defaultNet ? ['default'] : [];
  return topology;
}

/** Every answer of the LAN bridge part, defaults filled in and generated MACs concrete (--save-answers). */
export function resolvedSingleBridgeAnswers(host: HostFacts, answers: Answers, topology: Topology): SingleBridgeDefaults {
  // The typed MACs, then each one this plan set (drawn or typed) by guest#index: built by
  // assignment, as the spread of a 1,000-key object it replaces gave them (key order included), but
  // without copying 1,000 keys twice in code not yet optimised (issue 11).
  let macs: Record<string, string> | null = null;
  for (const move of topology.vifMoves) {
    if (!move.mac || move.add) continue;
    macs ??= { ...(answers.macs && answers.macs !== 'auto' ? answers.macs : {}) };
    macs[`${move.guest}#${move.index}`] = move.mac;
  }
  return {
    ...singleBridgeDefaults(host),
    ...answers,
    profile: topology.profile,
    backend: topology.backend as SingleBridgeDefaults['backend'],
    macs: macs ?? answers.macs ?? 'auto',
    'libvirt.disableDefault': topology.libvirtDisable.length > 0 || (answers['libvirt.disableDefault'] ?? false),
  } as SingleBridgeDefaults;
}
