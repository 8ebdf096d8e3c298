// Recipe shadow-bridge live (seed 001 lines 30–49 as one `ip -batch` transaction).
import type { LiveSnapshot } from './snapshot.js';
import { routeArgs } from './bridgeBatch.js';
import { InputError } from '../errors.js';

/** The rename: the name dom0 keeps (the bridge's), the NIC's new name, the NIC's MAC. */
export interface ShadowMove { nic: string; port: string; mac: string }

/**
 * seed 001 lines 30–49 as one transaction: the NIC down and renamed (a rename needs it down: this
 * is the outage), its addresses off the port, the bridge created with the NIC's name, MAC and MTU,
 * the port in it, both up, the addresses and routes on the bridge, running guests' vifs moved over.
 * The inverse takes the bridge away and gives the NIC back its name, addresses and routes.
 */
export function renderShadowBatch(live: LiveSnapshot, s: ShadowMove, vifs: string[]): { forward: string; inverse: string } {
  const nic = live.links.find((l) => l.ifname === s.nic);
  if (!nic) throw new InputError('error.shadowNicNotFound', { nic: s.nic, known: live.links.map((l) => l.ifname).join(', ') });
  if (nic.linkinfo?.info_kind === 'bridge') throw new InputError('error.shadowNicIsBridge', { nic: s.nic });
  if (live.links.some((l) => l.ifname === s.port)) throw new InputError('error.shadowPortTaken', { port: s.port, nic: s.nic });
  const addrs = (nic.addr_info ?? []).filter((a) => a.scope !== 'link' && !a.dynamic);
  const routes = live.routes.filter((r) => r.dev === s.nic && r.protocol !== 'kernel' && r.type !== 'local');
  const masters = vifs.map((name) => {
    const link = live.links.find((l) => l.ifname === name);
    if (!link) throw new InputError('error.vifNotFound', { vif: name });
    return { name, master: link.master ?? null };
  });
  const addr = (a: (typeof addrs)[number], dev: string) => `${a.local}/${a.prefixlen}${a.broadcast ? ` brd ${a.broadcast}` : ''} dev ${dev}`;
  const mtu = nic.mtu ? ` mtu ${nic.mtu}` : '';
  const mac = nic.address ?? s.mac;
  const forward = [
    `link set dev ${s.nic} down`,
    `link set dev ${s.nic} name ${s.port}`,
    ...addrs.map((a) => `address del ${a.local}/${a.prefixlen} dev ${s.port}`),
    `link add name ${s.nic} address ${mac}${mtu} type bridge stp_state 0 forward_delay 0`,
    `link set dev ${s.port} master ${s.nic}`,
    `link set dev ${s.port} up`,
    `link set dev ${s.nic} up`,
    ...addrs.map((a) => `address add ${addr(a, s.nic)}`),
    ...routes.map((r) => `route replace ${routeArgs(r, s.nic)}`),
    ...masters.map((v) => `link set dev ${v.name} master ${s.nic}`),
  ];
  const inverse = [
    ...masters.map((v) => (v.master ? `link set dev ${v.name} master ${v.master}` : `link set dev ${v.name} nomaster`)),
    `link del ${s.nic}`,
    `link set dev ${s.port} down`,
    `link set dev ${s.port} name ${s.nic}`,
    `link set dev ${s.nic} up`,
    // `replace`, as in bridgeBatch's inverse: it may run after a boot that set the address again.
    ...addrs.map((a) => `address replace ${addr(a, s.nic)}`),
    ...routes.map((r) => `route replace ${routeArgs(r, s.nic)}`),
  ];
  return { forward: forward.join('\n') + '\n', inverse: inverse.join('\n') + '\n' };
}
