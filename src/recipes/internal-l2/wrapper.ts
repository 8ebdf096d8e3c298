// The network-bridge-custom wrapper of recipe internal-l2 (seed 000 lines 145–157): single-bridge's
// network-bridge call, preceded by the clean-up of libvirt's DNS/DHCP INPUT rules on the internal
// bridge and followed by switching IP forwarding off.
import type { PortedBridge } from '../../model/topology.js';
import { singleBridgeWrapper, type WrapperSpec } from '../../render/xend.js';

/**
 * seed 000 lines 149–153: old libvirt inserts ACCEPT rules for DNS (53) and DHCP (67) on every
 * network's bridge; the wrapper deletes them. `&>/dev/null` is kept as printed: /bin/sh is bash on
 * the guide's CentOS 5 (under dash it would background the command, so xl hosts never get this file).
 */
export const LIBVIRT_INPUT_CLEANUP = [
  '# Some clean-up of iptables rules inserted by libvirtd.',
  ...[['udp', '53'], ['tcp', '53'], ['udp', '67'], ['tcp', '67']]
    .map(([proto, port]) => `iptables -D INPUT -i $libvirtbr -p ${proto} -m ${proto} --dport ${port} -j ACCEPT &>/dev/null`),
];

/** seed 000 line 157 (and 143): forwarding is not needed here, since virbr1 routes nothing (line 87). */
export const IP_FORWARD_OFF = 'echo 0 >/proc/sys/net/ipv4/ip_forward';

export function internalL2Wrapper(bridge: PortedBridge, libvirtBridge: string, ipForwardOff: boolean): WrapperSpec {
  const base = singleBridgeWrapper(bridge);
  return {
    ...base,
    vars: [['libvirtbr', libvirtBridge]],
    before: LIBVIRT_INPUT_CLEANUP,
    after: ipForwardOff ? [IP_FORWARD_OFF] : [],
  };
}
