#!/bin/bash
# The lab machine's "hardware", run by dom0's init before networking at every boot: dom0's NIC eno1
# is one end of a veth whose other end is the LAN peer, namespace `lan` (192.168.1.254 = the
# gateway, so commit-confirmed's check is real). Nothing here configures dom0's side: that is the
# persisted /etc/network/interfaces' job (ifupdown's networking script, next in the init).
modprobe -a bridge veth xen-netback xen-blkback iptable_nat nf_nat 2>/dev/null
ip netns add lan
ip link add eno1 type veth peer name lan0
ip link set lan0 netns lan
ip netns exec lan ip link set lo up
ip netns exec lan ip addr add 192.168.1.254/24 dev lan0
ip netns exec lan ip link set lan0 up
# The peer re-resolves ARP every 10 ms, so a guest that appears on the LAN is seen within one probe.
ip netns exec lan sysctl -qw net.ipv4.neigh.lan0.retrans_time_ms=10 net.ipv4.neigh.lan0.mcast_solicit=1000
# The LAN routes libvirt's subnet through dom0 (as a router that knows it would), so the guests
# answer the peer at their NAT address too while they are on virbr0.
ip netns exec lan ip route add 192.168.122.0/24 via 192.168.1.3
