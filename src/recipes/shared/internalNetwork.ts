// The internal segment's own checks (recipe internal-l2, seed 000 lines 182–191): a libvirt
// network name libvirt accepts, dom0's address/prefix on it, and no overlap with any network the
// host already has (its links' connected routes, every libvirt network's <ip>).
import type { HostFacts } from '../../model/host.js';
import { parsedFile, type ReadFile } from '../../model/plan.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import { InputError } from '../../errors.js';
import { parseNetworkXml } from '../../parse/libvirtXml.js';

export interface Cidr { ip: string; prefix: number }

const toInt = (ip: string) => ip.split('.').reduce((n, o) => (n * 256 + Number(o)) >>> 0, 0);
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

function parseIp(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m || m.slice(1).some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0')))) return null;
  return toInt(text);
}

/**
 * "192.168.200.1/24" → dom0's address on the segment. A unicast host address: not 0/8, loopback,
 * multicast or reserved, not the network or broadcast address of its prefix; prefix 8–30 (a /31
 * or /32 leaves no room for guests).
 */
export function parseInternalAddress(text: string, id = 'internal.address'): Cidr {
  const m = /^\s*([\d.]+)\/(\d{1,2})\s*$/.exec(text);
  const ip = m ? parseIp(m[1]) : null;
  const prefix = m ? Number(m[2]) : NaN;
  if (!m || ip === null || !(prefix >= 8 && prefix <= 30)) throw new InputError('error.internalAddressSyntax', { id, value: text });
  const first = ip >>> 24;
  const host = ip & ~maskOf(prefix);
  if (first === 0 || first === 127 || first >= 224 || host === 0 || host === (~maskOf(prefix) >>> 0)) {
    throw new InputError('error.internalAddressNotHost', { id, value: text });
  }
  return { ip: m[1], prefix };
}

/** "192.168.200.1/24" → "192.168.200.0/24". */
export function subnetOf(c: Cidr): string {
  const n = (toInt(c.ip) & maskOf(c.prefix)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.')}/${c.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const mask = maskOf(Math.min(a.prefix, b.prefix));
  return ((toInt(a.ip) & mask) >>> 0) === ((toInt(b.ip) & mask) >>> 0);
}

export interface NetworkInUse { cidr: Cidr; where: string }

export function netmaskPrefix(netmask: string | null): number | null {
  const n = netmask ? parseIp(netmask) : null;
  if (n === null) return null;
  const prefix = n.toString(2).replace(/0+$/, '').length;
  return maskOf(prefix) === n ? prefix : null;
}

/**
 * Every IPv4 network the host uses, except the internal network's own (by libvirt name and by its
 * bridge), so a second run over an applied host does not collide with itself.
 */
export function networksInUse(host: HostFacts, read: ReadFile, interfaces: InterfacesFile[], own: { name: string; bridge: string }): NetworkInUse[] {
  const found: NetworkInUse[] = [];
  // Connected and static routes: the kernel adds one per address of each link (the default route says nothing).
  for (const r of host.routes) {
    const [ip, prefix] = r.dst.split('/');
    if (r.dev === own.bridge || Number(prefix) === 0 || parseIp(ip) === null) continue;
    found.push({ cidr: { ip, prefix: Number(prefix) }, where: r.dev });
  }
  // Addresses in /etc/network/interfaces (a root without kernel state has only its config).
  for (const file of interfaces) {
    for (const stanza of file.ifaces) {
      if (stanza.name === own.bridge || stanza.family !== 'inet') continue;
      for (const opt of stanza.options) {
        const m = opt.key === 'address' ? /^([\d.]+)(?:\/(\d+))?$/.exec(opt.value.trim()) : null;
        const netmask = stanza.options.find((o) => o.key === 'netmask')?.value.trim() ?? null;
        const prefix = m?.[2] ? Number(m[2]) : netmaskPrefix(netmask);
        if (m && parseIp(m[1]) !== null && prefix !== null) found.push({ cidr: { ip: m[1], prefix }, where: `${file.file}:${opt.line + 1} ${stanza.name}` });
      }
    }
  }
  for (const net of host.libvirtNetworks) {
    if (net.name === own.name || net.bridge === own.bridge) continue;
    const file = read(net.path);
    if (!file) continue;
    for (const ip of parsedFile(file, net.path, parseNetworkXml).ips) {
      const prefix = ip.prefix !== null ? Number(ip.prefix) : netmaskPrefix(ip.netmask);
      if (parseIp(ip.address) !== null && prefix !== null && prefix >= 0 && prefix <= 32) {
        found.push({ cidr: { ip: ip.address, prefix }, where: `libvirt ${net.name}` });
      }
    }
  }
  return found;
}

export function checkNoOverlap(address: Cidr, inUse: NetworkInUse[], id = 'internal.address'): void {
  const hit = inUse.find((n) => overlaps(address, n.cidr));
  if (hit) {
    throw new InputError('error.internalAddressOverlap', {
      id, value: `${address.ip}/${address.prefix}`, other: `${hit.cidr.ip}/${hit.cidr.prefix}`, where: hit.where,
    });
  }
}

/**
 * libvirt refuses a network name that is empty or contains '/' (virNetworkDefParse: the name is
 * a file name under /etc/libvirt/qemu/networks). We also keep to characters that need no escaping
 * in XML or the shell and never look like a virsh option.
 */
export function validateNetworkName(name: string, id = 'internal.network'): void {
  if (name.length === 0 || name.includes('/')) throw new InputError('error.networkNameLibvirt', { id, value: name });
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/.test(name) || name.length > 64) throw new InputError('error.networkNameChars', { id, value: name });
}
