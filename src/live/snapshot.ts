// The live network state as iproute2 reports it (`ip -json`): what the live batch is computed
// from, what the journal keeps, and what rollback must return to.
export interface IpAddrInfo {
  family: 'inet' | 'inet6' | string;
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope?: string;
  dynamic?: boolean;
}
export interface IpLink {
  ifname: string;
  address?: string;
  master?: string;
  mtu?: number;
  operstate?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
  addr_info?: IpAddrInfo[];
}
export interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
  scope?: string;
  metric?: number;
  prefsrc?: string;
  type?: string;
}
export interface LiveSnapshot {
  links: IpLink[];
  routes: IpRoute[];
}

export type IpJson = (args: string[]) => Promise<string>;

export async function captureLive(ip: IpJson): Promise<LiveSnapshot> {
  const [links, addrs, routes] = await Promise.all([
    ip(['-details', '-json', 'link', 'show']),
    ip(['-json', 'address', 'show']),
    ip(['-json', 'route', 'show']),
  ]);
  const byName = new Map((JSON.parse(addrs) as IpLink[]).map((l) => [l.ifname, l.addr_info ?? []]));
  return {
    links: (JSON.parse(links) as IpLink[]).map((l) => ({ ...l, addr_info: byName.get(l.ifname) ?? [] })),
    routes: JSON.parse(routes) as IpRoute[],
  };
}

/** The parts a test compares before/after a rollback: links with master and addresses, and routes. */
export function comparable(s: LiveSnapshot): { links: string[]; routes: string[] } {
  return {
    links: s.links
      .map((l) => `${l.ifname} master=${l.master ?? '-'} ${(l.addr_info ?? []).filter((a) => a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`).sort().join(',')}`)
      .sort(),
    routes: s.routes.map((r) => `${r.dst} via=${r.gateway ?? '-'} dev=${r.dev ?? '-'} metric=${r.metric ?? 0}`).sort(),
  };
}
