// What recipe libvirt-bridge resolved from its answers: the Topology and the two choices the
// manual offers (NetworkManager, bridged traffic and the firewall).
import type { PortedBridge, Topology } from '../../model/topology.js';

export const NM_CHOICES = ['disable', 'nm-controlled-no'] as const;
export const NETFILTER_CHOICES = ['iptables', 'sysctl', 'none'] as const;

export interface LibvirtBridgeResolution {
  topology: Topology;
  bridge: PortedBridge;
  nm: (typeof NM_CHOICES)[number];
  netfilter: (typeof NETFILTER_CHOICES)[number];
}
