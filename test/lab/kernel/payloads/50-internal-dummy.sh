# Recipe internal-dummy, its dummy form (seed 000 lines 201–301), on a real kernel with the dummy
# module: dom0's dummy0 as ifcfg-dummy0 sets it up (lines 218–227, the values the wizard writes —
# test/recipes/internal-dummy/golden.test.ts), then what Xen 3.x's network-bridge does for
# `vifnum=1 bridge=xenbr1 netdev=dummy0` (line 247): dummy0 renamed pdummy0 and bridged, a veth
# pair vif0.1/dummy0 carrying dom0's MAC and address; guests' vifs on xenbr1 with the MACs of lines
# 256/260; the LAN on xenbr0. Then ip_forward=0 (line 249). The wizard itself does not run here
# (no node in this VM): the values are the guide's, which the golden test pins the wizard to.
G1=lab-idg1; G2=lab-idg2; LAN=lab-idlan
for n in $G1 $G2 $LAN; do ip netns add $n; ip -n $n link set lo up; done

# ifup dummy0 with ifcfg-dummy0 (lines 218–227).
ip link add dummy0 type dummy
# Line 216 warns that 00:00:00:00:00:00 breaks dom0 ↔ guest traffic; today's kernel refuses it outright.
check "line 216: the kernel refuses 00:00:00:00:00:00 as dummy0's MAC" sh -c '/sbin/ip link set dummy0 address 00:00:00:00:00:00 2>&1 | grep -q "Cannot assign requested address"'
ip link set dummy0 address 00:16:3e:6f:5c:17
ip addr add 192.168.200.1/24 dev dummy0
ip link set dummy0 up

# network-bridge start vifnum=1 bridge=xenbr1 netdev=dummy0 (Xen 3.x op_start): the bridge, the
# dom0-side veth pair, the netdev renamed p<netdev> as a port with fe:ff:ff:ff:ff:ff, its MAC and
# addresses moved to the veth end that takes its name.
ip link add xenbr1 type bridge stp_state 0 forward_delay 0
ip link add vif0.1 type veth peer name veth1
ip link set veth1 address 00:16:3e:6f:5c:17
ip link set dummy0 down
ip addr flush dev dummy0
ip link set dummy0 name pdummy0
ip link set veth1 name dummy0
ip link set pdummy0 address fe:ff:ff:ff:ff:ff
ip link set pdummy0 master xenbr1
ip link set vif0.1 address fe:ff:ff:ff:ff:ff
ip link set vif0.1 master xenbr1
ip addr add 192.168.200.1/24 dev dummy0
for l in pdummy0 vif0.1 xenbr1 dummy0; do ip link set $l up; done
check "xenbr1 over pdummy0 has carrier before any guest starts (what the dummy is for)" wait_for 5 sh -c '/sbin/ip -o link show xenbr1 | grep -q "state UP"'

# The LAN on xenbr0 (lines 246): dom0's eth0 address; a LAN host behind it.
ip link add xenbr0 type bridge stp_state 0 forward_delay 0
ip link add peth0 type veth peer name lan0
ip link set lan0 netns $LAN
ip link set peth0 master xenbr0
ip addr add 192.168.1.3/24 dev xenbr0
for l in peth0 xenbr0; do ip link set $l up; done
ip -n $LAN addr add 192.168.1.254/24 dev lan0
ip -n $LAN link set lan0 up

# The guests' second vifs (lines 256, 260), as vif-bridge attaches them.
n=1
for spec in "$G1 00:16:3e:17:d4:88 192.168.200.11" "$G2 00:16:3e:17:d4:98 192.168.200.12"; do
  set -- $spec
  ip link add vif$n.1 address fe:ff:ff:ff:ff:ff type veth peer name eth1 netns $1 address $2
  ip link set vif$n.1 master xenbr1
  ip link set vif$n.1 up
  ip -n $1 addr add $3/24 dev eth1
  ip -n $1 link set eth1 up
  n=$((n + 1))
done

# The wrapper's tail (line 249).
echo 0 >/proc/sys/net/ipv4/ip_forward

check "dom0 (192.168.200.1 on dummy0) reaches both guests over xenbr1" sh -c 'ping -c 1 -W 3 192.168.200.11 && ping -c 1 -W 3 192.168.200.12'
check "guest 1 reaches guest 2 over xenbr1" /sbin/ip netns exec $G1 ping -c 1 -W 3 192.168.200.12
check "guest 2 reaches dom0 at the dummy's MAC" sh -c "/sbin/ip netns exec $G2 ping -c 1 -W 3 192.168.200.1 && /sbin/ip netns exec $G2 /sbin/ip neigh show 192.168.200.1 | grep -q 00:16:3e:6f:5c:17"
check "the LAN reaches dom0 on xenbr0" /sbin/ip netns exec $LAN ping -c 1 -W 3 192.168.1.3
ip -n $LAN addr add 192.168.200.99/24 dev lan0
check "the LAN has no layer-2 path to xenbr1" sh -c "! /sbin/ip netns exec $LAN ping -c 1 -W 2 192.168.200.11"
ip -n $LAN addr del 192.168.200.99/24 dev lan0
ip -n $LAN route add 192.168.200.0/24 via 192.168.1.3
check "dom0 does not route the LAN into xenbr1 (ip_forward=0)" sh -c "! /sbin/ip netns exec $LAN ping -c 1 -W 2 192.168.200.11"

for n in $G1 $G2 $LAN; do ip netns del $n; done
