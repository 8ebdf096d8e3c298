// What routed-lan builds besides the guests' vifs: the routed libvirt network (seed 000 lines
// 410–425), the kernel parameters (477–498), the policy routing (463–514) and what the admin does
// elsewhere — route-eth1 inside each guest (515–527) and the LAN router's route (529–533).
import type { Instruction, LibvirtNetworkSpec, RoutingSpec, Sysctl } from '../../model/topology.js';
import { subnetOf, type Cidr } from '../shared/internalNetwork.js';

export interface RoutedLayout {
  network: string;
  virBridge: string;
  virt: Cidr;
  lanNic: string;
  lan: Cidr;
  /** dom0's interface on the WAN segment (where packets from the WAN come in). */
  wanIf: string;
  wanNet: Cidr | null;
  acceptRedirects: boolean;
  /** Each guest's LAN vif index: the guest sees it as eth<N>. */
  lanIndex: Record<string, number>;
}

/** seed 000 lines 504–506 (the ids need not be these, line 502). */
export const TABLES = [{ id: 100, name: 'wanside' }, { id: 101, name: 'lanside' }, { id: 102, name: 'virside' }];

/**
 * One table per network packets come from (line 469), chosen by the interface they came in on:
 * `iif` rules leave dom0's own traffic (and its replies from any address) on the main table.
 * Each table routes only what the access matrix of lines 395–399 allows, and `prohibit default`
 * stops the rest from falling through to the main table's default route:
 *   from the WAN (wanside): back onto the WAN only — never to virbr0 or the LAN;
 *   from the LAN (lanside): to virbr0 (and the LAN itself) — never to the WAN;
 *   from the guests' LAN vifs (virside): to the LAN (and virbr0) — never to the WAN.
 */
export function routingFor(l: RoutedLayout): RoutingSpec {
  const virNet = subnetOf(l.virt);
  const lanNet = subnetOf(l.lan);
  const routes = [
    ...(l.wanNet ? [[subnetOf(l.wanNet), 'dev', l.wanIf, 'table', 'wanside']] : []),
    ['prohibit', 'default', 'table', 'wanside'],
    [virNet, 'dev', l.virBridge, 'table', 'lanside'],
    [lanNet, 'dev', l.lanNic, 'table', 'lanside'],
    ['prohibit', 'default', 'table', 'lanside'],
    [lanNet, 'dev', l.lanNic, 'table', 'virside'],
    [virNet, 'dev', l.virBridge, 'table', 'virside'],
    ['prohibit', 'default', 'table', 'virside'],
  ];
  const rules = [
    ['iif', l.wanIf, 'table', 'wanside', 'pref', '100'],
    ['iif', l.lanNic, 'table', 'lanside', 'pref', '101'],
    ['iif', l.virBridge, 'table', 'virside', 'pref', '102'],
  ];
  return { tables: TABLES, routes, rules };
}

/**
 * seed 000 line 484: ip_forward on; line 479: rp_filter on the LAN NIC; proxy_arp off on it, as the
 * guide keeps it by choosing vif-bridge over vif-route (line 441) — else dom0 would answer ARP
 * for the guests on the LAN and hide the missing router route; accept_redirects off unless the
 * admin trusts the LAN (line 491). With forwarding on, the kernel accepts redirects only when
 * both `all` and the interface allow them, so `all` = 0 is enough.
 */
export function sysctlsFor(l: RoutedLayout): Sysctl[] {
  const set = (key: string, value: string): Sysctl => ({ key, value });
  return [
    set('net.ipv4.ip_forward', '1'),
    set(`net.ipv4.conf.${l.lanNic}.rp_filter`, '1'),
    set(`net.ipv4.conf.${l.lanNic}.proxy_arp`, '0'),
    ...(l.acceptRedirects ? [] : [set('net.ipv4.conf.all.accept_redirects', '0')]),
  ];
}

export function instructionsFor(l: RoutedLayout): Instruction[] {
  const lanNet = subnetOf(l.lan);
  const guests: Instruction[] = Object.entries(l.lanIndex).map(([guest, index]) => ({
    key: 'instruction.routedGuestRoute',
    params: { guest, nic: `eth${index}`, gateway: l.virt.ip },
    // seed 000 line 525; root:root 644 (line 523).
    file: { path: `/etc/sysconfig/network-scripts/route-eth${index}`, text: `${lanNet} dev eth${index} via ${l.virt.ip}\n` },
  }));
  const virNet = subnetOf(l.virt);
  return [
    ...guests,
    // seed 000 line 533: the LAN router's route to the guests, via dom0's LAN address.
    { key: 'instruction.routedUpstream', params: { net: virNet, via: l.lan.ip, nic: l.lanNic, address: `${l.lan.ip}/${l.lan.prefix}`, command: `ip route add ${virNet} via ${l.lan.ip}` } },
  ];
}

export function routedTopologyParts(l: RoutedLayout): { libvirtDefine: LibvirtNetworkSpec[]; sysctls: Sysctl[]; routing: RoutingSpec; instructions: Instruction[] } {
  return {
    // seed 000 line 414: <forward mode='route' dev='eth1'/>; line 425: net-autostart.
    libvirtDefine: [{ name: l.network, bridge: l.virBridge, address: { ip: l.virt.ip, prefix: l.virt.prefix }, forward: { mode: 'route', dev: l.lanNic }, autostart: true }],
    sysctls: sysctlsFor(l),
    routing: routingFor(l),
    instructions: instructionsFor(l),
  };
}
