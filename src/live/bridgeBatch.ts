// One `ip -batch` transaction that moves a NIC into a new bridge with no gap: the bridge takes the
// NIC's MAC (so neighbours' ARP caches stay right), gets its addresses and routes *before* they
// leave the NIC, and running guests' vifs move over in the same batch. Also its exact inverse.
import type { LiveSnapshot, IpRoute } from './snapshot.js';
import { InputError } from '../errors.js';

export interface LiveMove {
  nic: string;
  bridge: string;
  /** dom0-side vif names of running guests to re-attach (vif1.0, or a vifname= from the cfg). */
  vifs: string[];
}

export interface BridgeBatch {
  forward: string;
  inverse: string;
}

export function routeArgs(r: IpRoute, dev: string): string {
  const parts = [r.dst === 'default' ? 'default' : r.dst];
  if (r.gateway) parts.push('via', r.gateway);
  parts.push('dev', dev);
  if (r.protocol && r.protocol !== 'boot') parts.push('proto', r.protocol);
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.metric !== undefined) parts.push('metric', String(r.metric));
  if (r.prefsrc) parts.push('src', r.prefsrc);
  return parts.join(' ');
}

export function renderBridgeBatch(live: LiveSnapshot, move: LiveMove): BridgeBatch {
  const nic = live.links.find((l) => l.ifname === move.nic);
  if (!nic) throw new InputError('error.nicNotFound', { nic: move.nic, known: live.links.map((l) => l.ifname).join(', ') });
  const existing = live.links.find((l) => l.ifname === move.bridge);
  if (existing && existing.linkinfo?.info_kind !== 'bridge') throw new InputError('error.bridgeNameTaken', { bridge: move.bridge });
  if (existing) throw new InputError('error.bridgeExistsLive', { bridge: move.bridge, nic: move.nic });
  const addrs = (nic.addr_info ?? []).filter((a) => a.scope !== 'link' && !a.dynamic);
  // Connected routes come back by themselves with the address; the rest (gateways, statics) move.
  const routes = live.routes.filter((r) => r.dev === move.nic && r.protocol !== 'kernel' && r.type !== 'local');
  const vifs = move.vifs.map((name) => {
    const link = live.links.find((l) => l.ifname === name);
    if (!link) throw new InputError('error.vifNotFound', { vif: name });
    return { name, master: link.master ?? null };
  });
  const addr = (a: (typeof addrs)[number], dev: string) =>
    `${a.local}/${a.prefixlen}${a.broadcast ? ` brd ${a.broadcast}` : ''} dev ${dev}`;
  const mtu = nic.mtu ? ` mtu ${nic.mtu}` : '';
  const forward = [
    `link add name ${move.bridge}${nic.address ? ` address ${nic.address}` : ''}${mtu} type bridge stp_state 0 forward_delay 0`,
    `link set dev ${move.bridge} up`,
    `link set dev ${move.nic} master ${move.bridge}`,
    ...addrs.map((a) => `address add ${addr(a, move.bridge)}`),
    ...routes.map((r) => `route replace ${routeArgs(r, move.bridge)}`),
    ...addrs.map((a) => `address del ${a.local}/${a.prefixlen} dev ${move.nic}`),
    ...vifs.map((v) => `link set dev ${v.name} master ${move.bridge}`),
  ];
  const inverse = [
    ...vifs.map((v) => (v.master ? `link set dev ${v.name} master ${v.master}` : `link set dev ${v.name} nomaster`)),
    // `replace`: the inverse may run in a later boot (a power cut mid-apply), after the boot has
    // given the NIC its address again from the files; `add` would stop the batch ("File exists").
    ...addrs.map((a) => `address replace ${addr(a, move.nic)}`),
    ...routes.map((r) => `route replace ${routeArgs(r, move.nic)}`),
    `link set dev ${move.nic} nomaster`,
    `link del ${move.bridge}`,
  ];
  return { forward: forward.join('\n') + '\n', inverse: inverse.join('\n') + '\n' };
}

/**
 * The undo of a live move, run later: a guest destroyed since then took its vif with it, and
 * `ip -batch` stops at the first line that fails — which would leave the NIC inside the bridge.
 * Lines that only re-attach a link that is gone are dropped (there is nothing left to put back),
 * and so is deleting a bridge that is gone (a reboot since came up from files without it).
 */
export function dropVanishedLinks(batch: string, existing: ReadonlySet<string>): { batch: string; dropped: string[] } {
  const dropped: string[] = [];
  const kept = batch.split('\n').filter((line) => {
    const m = /^link (?:set dev (\S+) (?:master \S+|nomaster)|del (\S+))$/.exec(line.trim());
    const link = m?.[1] ?? m?.[2];
    if (link && !existing.has(link)) {
      dropped.push(link);
      return false;
    }
    return true;
  });
  return { batch: kept.join('\n'), dropped };
}
