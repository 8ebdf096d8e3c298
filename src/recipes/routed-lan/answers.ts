// routed-lan's answers checked against the host: the NICs, dom0's LAN address found in the NIC's
// config, and the WAN networks. Address syntax, overlap and network names: internalNetwork.ts.
import type { HostFacts } from '../../model/host.js';
import { parsedFile, type ReadFile } from '../../model/plan.js';
import type { LiveInputs } from '../types.js';
import { nics } from '../../model/host.js';
import { InputError } from '../../errors.js';
import { validateIfaceName } from '../shared/ifaceName.js';
import { parseIfcfg, getVar } from '../../parse/ifcfg.js';
import type { InterfacesFile } from '../../parse/interfaces.js';
import { IFCFG_DIR } from '../../detect/profile.js';
import { netmaskPrefix, type Cidr } from '../shared/internalNetwork.js';

export function checkNic(host: HostFacts, nic: string, id: string): void {
  validateIfaceName(nic, id);
  // Without kernel state (an offline root without sys/) the config is all there is to check against.
  if (host.linkSource === 'none') return;
  const link = host.links.find((l) => l.name === nic);
  if (!link) throw new InputError('error.routedNicNotFound', { id, nic, known: nics(host).map((l) => l.name).join(', ') || '-' });
  if (link.isBridge && id !== 'wan.nic') throw new InputError('error.nicIsBridge', { nic });
}

/** dom0's address on the LAN NIC from its config (ifcfg, interfaces(5)) or the live kernel. */
export function detectNicAddress(nic: string, read: ReadFile, interfaces: InterfacesFile[], live?: LiveInputs): string | null {
  const ifcfg = read(`${IFCFG_DIR}/ifcfg-${nic}`);
  if (ifcfg) {
    const f = parsedFile(ifcfg, `${IFCFG_DIR}/ifcfg-${nic}`, parseIfcfg);
    const ip = getVar(f, 'IPADDR');
    const prefix = getVar(f, 'PREFIX') ?? netmaskPrefix(getVar(f, 'NETMASK') ?? null);
    if (ip && prefix !== null) return `${ip}/${prefix}`;
  }
  for (const file of interfaces) {
    const stanza = file.ifaces.find((s) => s.name === nic && s.family === 'inet' && s.method === 'static');
    const address = stanza?.options.find((o) => o.key === 'address')?.value;
    if (!address) continue;
    if (address.includes('/')) return address;
    const prefix = netmaskPrefix(stanza!.options.find((o) => o.key === 'netmask')?.value ?? null);
    if (prefix !== null) return `${address}/${prefix}`;
  }
  const inet = live?.snapshot.links.find((l) => l.ifname === nic)?.addr_info?.find((a) => a.family === 'inet');
  return inet ? `${inet.local}/${inet.prefixlen}` : null;
}

export function wanNetworks(host: HostFacts, devs: string[]): Cidr[] {
  return host.routes
    .filter((r) => devs.includes(r.dev) && r.dst !== '0.0.0.0/0' && !r.dst.startsWith('169.254.'))
    .map((r) => ({ ip: r.dst.split('/')[0], prefix: Number(r.dst.split('/')[1]) }))
    .filter((c): c is Cidr => Number.isInteger(c.prefix) && /^\d+\.\d+\.\d+\.\d+$/.test(c.ip));
}
