// routed-lan's answers checked against the host: NICs, bridges, the libvirt network's name and
// address, dom0's LAN address, and that no two of the networks involved overlap.
import type { HostFacts } from '../../host.js';
import type { ReadFile } from '../../plan/types.js';
import type { LiveInputs } from '../types.js';
import { nics } from '../../host.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../ifaceName.js';
import { parseNetworkXml } from '../../parse/libvirtXml.js';
import { parseIfcfg, getVar } from '../../parse/ifcfg.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import { IFCFG_DIR } from '../../detect/profile.js';
import { checkHostAddress, ipToInt, networkOf, overlaps, parseCidr, type Cidr } from './ipv4.js';

export function checkNic(host: HostFacts, nic: string, id: string): void {
  validateIfaceName(nic, id);
  // Without kernel state (an offline root without sys/) the config is all there is to check against.
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  if (!link) throw new InputError('error.routedNicNotFound', { id, nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
  if (link.isBridge && id !== 'wan.nic') throw new InputError('error.nicIsBridge', { nic });
}

/** libvirt refuses names with '/'; ours also become a file name (/etc/virnet/NAME.xml). */
export function checkNetworkName(name: string): void {
  if (!/^[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,63}$/.test(name)) throw new InputError('error.routedNetworkName', { value: name });
}

/** dom0's address on the LAN NIC from its config (ifcfg, interfaces(5)) or the live kernel. */
export function detectNicAddress(nic: string, read: ReadFile, interfaces: InterfacesFile[], live?: LiveInputs): string | null {
  const ifcfg = read(`${IFCFG_DIR}/ifcfg-${nic}`);
  if (ifcfg) {
    const f = parseIfcfg(ifcfg.text, `${IFCFG_DIR}/ifcfg-${nic}`);
    const ip = getVar(f, 'IPADDR');
    const prefix = getVar(f, 'PREFIX') ?? maskToPrefix(getVar(f, 'NETMASK'));
    if (ip && prefix !== undefined) return `${ip}/${prefix}`;
  }
  for (const file of interfaces) {
    const stanza = file.ifaces.find((s) => s.name === nic && s.family === 'inet' && s.method === 'static');
    const address = stanza?.options.find((o) => o.key === 'address')?.value;
    if (!address) continue;
    if (address.includes('/')) return address;
    const prefix = maskToPrefix(stanza!.options.find((o) => o.key === 'netmask')?.value);
    if (prefix !== undefined) return `${address}/${prefix}`;
  }
  const inet = live?.snapshot.links.find((l) => l.ifname === nic)?.addr_info?.find((a) => a.family === 'inet');
  return inet ? `${inet.local}/${inet.prefixlen}` : null;
}

function maskToPrefix(mask: string | undefined): string | undefined {
  const n = mask ? ipToInt(mask) : null;
  if (n === null) return undefined;
  const bits = n.toString(2).padStart(32, '0');
  return /^1*0*$/.test(bits) ? String(bits.indexOf('0') === -1 ? 32 : bits.indexOf('0')) : undefined;
}

export interface Networks { wan: Cidr[]; lan: Cidr; virt: Cidr }

/**
 * The WAN networks are the routes on the WAN side; the libvirt network must overlap none of them,
 * nor the LAN, nor another libvirt network (except one on the same bridge, which it replaces).
 */
export function checkOverlaps(host: HostFacts, read: ReadFile, nets: Networks, replaced: string[], network: string): void {
  const virtText = `${nets.virt.ip}/${nets.virt.prefix}`;
  const fail = (id: string, value: string, other: string) => {
    throw new InputError('error.routedOverlap', { id, value, other });
  };
  for (const w of nets.wan) {
    if (overlaps(nets.lan, w)) fail('routed.nicAddress', `${nets.lan.ip}/${nets.lan.prefix}`, networkOf(w));
    if (overlaps(nets.virt, w)) fail('routed.address', virtText, networkOf(w));
  }
  if (overlaps(nets.virt, nets.lan)) fail('routed.address', virtText, networkOf(nets.lan));
  for (const net of host.libvirtNetworks) {
    if (net.name === network || replaced.includes(net.name)) continue;
    const file = read(net.path);
    if (!file) continue;
    for (const ip of parseNetworkXml(file.text, net.path).ips) {
      const c = ip.address ? parseCidr(`${ip.address}/${ip.prefix ?? maskToPrefix(ip.netmask ?? undefined) ?? 24}`) : null;
      if (c && overlaps(nets.virt, c)) fail('routed.address', virtText, `${networkOf(c)} (${net.name})`);
    }
  }
}

export function wanNetworks(host: HostFacts, devs: string[]): Cidr[] {
  return host.routes
    .filter((r) => devs.includes(r.dev) && r.dst !== '0.0.0.0/0' && !r.dst.startsWith('169.254.'))
    .map((r) => parseCidr(r.dst))
    .filter((c): c is Cidr => c !== null);
}

export { checkHostAddress };
