// routed-lan's WAN networks. The NIC checks and dom0's address on a NIC: shared/nicAddress.ts;
// address syntax, overlap and network names: shared/internalNetwork.ts.
import type { HostFacts } from '../../model/host.js';
import type { Cidr } from '../shared/internalNetwork.js';

export function wanNetworks(host: HostFacts, devs: string[]): Cidr[] {
  return host.routes
    .filter((r) => devs.includes(r.dev) && r.dst !== '0.0.0.0/0' && !r.dst.startsWith('169.254.'))
    .map((r) => ({ ip: r.dst.split('/')[0], prefix: Number(r.dst.split('/')[1]) }))
    .filter((c): c is Cidr => Number.isInteger(c.prefix) && /^\d+\.\d+\.\d+\.\d+$/.test(c.ip));
}
