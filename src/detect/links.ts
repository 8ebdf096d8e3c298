// Links and routes of a dom0: from the kernel's own formats under --root (sys/class/net,
// proc/net/route) when the root has them, else live from `ip -json` (a real host, --root /).
import type { Link, Route } from '../model/host.js';
import type { RootFs } from '../system/rootfs.js';
import { normalizeMac } from '../mac.js';

export interface LinkFacts {
  source: 'sysfs' | 'ip-json' | 'config' | 'none';
  links: Link[];
  routes: Route[];
}

export function linksFromSysfs(fs: RootFs): Link[] {
  const names = fs.list('/sys/class/net');
  const links = names.map((name): Link => {
    const dir = `/sys/class/net/${name}`;
    const address = fs.readText(`${dir}/address`);
    const masterLink = fs.readLink(`${dir}/master`) ?? fs.readLink(`${dir}/brport/bridge`);
    return {
      name,
      mac: address ? normalizeMac(address) : null,
      master: masterLink ? masterLink.split('/').filter(Boolean).pop()! : null,
      isBridge: fs.info(`${dir}/bridge`)?.isDirectory ?? false,
      ports: fs.list(`${dir}/brif`),
    };
  });
  // A port listed under a bridge's brif/ but without its own master link still belongs to it.
  for (const bridge of links.filter((l) => l.isBridge)) {
    for (const port of bridge.ports) {
      const link = links.find((l) => l.name === port);
      if (link && !link.master) link.master = bridge.name;
    }
  }
  return links;
}

const hexToIp = (hex: string) =>
  [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');

function maskBits(hex: string): number {
  let n = parseInt(hex, 16) >>> 0;
  let bits = 0;
  while (n) {
    bits += n & 1;
    n >>>= 1;
  }
  return bits;
}

/** /proc/net/route: a header line, then Iface Destination Gateway Flags … Mask, hex little-endian. */
export function parseProcNetRoute(text: string): Route[] {
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 8)
    .map(([dev, dst, gw, , , , , mask]) => ({
      dev,
      dst: `${hexToIp(dst)}/${maskBits(mask)}`,
      gateway: gw === '00000000' ? null : hexToIp(gw),
    }));
}

interface IpLinkJson {
  ifname: string;
  address?: string;
  master?: string;
  link_type?: string;
  linkinfo?: { info_kind?: string };
}
interface IpRouteJson {
  dst: string;
  dev?: string;
  gateway?: string;
}

export function linksFromIpJson(linkJson: string): Link[] {
  const rows = JSON.parse(linkJson) as IpLinkJson[];
  const links = rows.map((row): Link => ({
    name: row.ifname,
    mac: row.address && row.link_type !== 'loopback' ? normalizeMac(row.address) : null,
    master: row.master ?? null,
    isBridge: row.linkinfo?.info_kind === 'bridge',
    ports: [],
  }));
  for (const link of links) {
    if (link.master) links.find((l) => l.name === link.master)?.ports.push(link.name);
  }
  return links;
}

export function routesFromIpJson(routeJson: string): Route[] {
  return (JSON.parse(routeJson) as IpRouteJson[])
    .filter((r) => r.dev)
    .map((r) => ({ dev: r.dev!, dst: r.dst === 'default' ? '0.0.0.0/0' : r.dst, gateway: r.gateway ?? null }));
}

export function defaultRouteNic(routes: Route[]): string | null {
  return routes.find((r) => r.dst === '0.0.0.0/0')?.dev ?? null;
}

export type IpRunner = (args: string[]) => Promise<string>;

export async function detectLinks(fs: RootFs, live: boolean, ip: IpRunner): Promise<LinkFacts> {
  const useSysfs = fs.root !== '/' && fs.exists('/sys/class/net');
  if (useSysfs) {
    const routeText = fs.readText('/proc/net/route');
    return { source: 'sysfs', links: linksFromSysfs(fs), routes: routeText ? parseProcNetRoute(routeText) : [] };
  }
  if (!live && fs.root !== '/') return { source: 'none', links: [], routes: [] };
  const [linkJson, routeJson] = await Promise.all([
    ip(['-details', '-json', 'link', 'show']),
    ip(['-json', '-4', 'route', 'show']),
  ]);
  return { source: 'ip-json', links: linksFromIpJson(linkJson), routes: routesFromIpJson(routeJson) };
}
