# Recipe vlan-bridges (seed 002 lines 97–114) on a real kernel with 8021q: what the xl stanzas the
# wizard writes bring up (test/recipes/vlan-bridges/golden.test.ts pins them) — eth0.293 and
# eth0.294 over the trunk (`vlan-raw-device eth0`), xen-br293/xen-br294 over them
# (`bridge_ports eth0.29x`, stp off, fd 0) — with one guest namespace per VLAN bridge, its vif on
# the bridge as vif-bridge attaches it. The far end of the trunk is a switch namespace with the
# same two VLANs. Both guests are in ONE subnet, so only the VLANs keep them apart.
# The wizard itself does not run here (no node in this VM): the values are the ones it renders.
SW=lab-vlsw; G3=lab-vlg293; G4=lab-vlg294
for n in $SW $G3 $G4; do ip netns add $n; ip -n $n link set lo up; done

# The trunk: dom0's eth0 (named vt0 here) to the switch's port.
ip link add vt0 type veth peer name vt0-sw
ip link set vt0-sw netns $SW
ip link set vt0 up
ip -n $SW link set vt0-sw up
for id in 293 294; do
  # iface vt0.$id inet manual / vlan-raw-device vt0
  ip link add link vt0 name vt0.$id type vlan id $id
  # iface xen-br$id inet manual / bridge_ports vt0.$id / bridge_stp off / bridge_fd 0
  ip link add xen-br$id type bridge stp_state 0 forward_delay 0
  ip link set vt0.$id master xen-br$id
  ip link set vt0.$id up
  ip link set xen-br$id up
  # The far side: the switch's end of VLAN $id, addressed in the guests' common subnet.
  ip -n $SW link add link vt0-sw name sw.$id type vlan id $id
  ip -n $SW link set sw.$id up
done
ip -n $SW addr add 10.30.0.253/24 dev sw.293
# Strict ARP on the switch side: it answers only on the interface that has the address, so a reply
# proves the VLAN, not Linux's weak-host ARP.
ip netns exec $SW sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/arp_ignore'
# A second namespace behind VLAN 294 on the switch side (one address per L2 domain).
ip netns add lab-vlsw4; ip -n lab-vlsw4 link set lo up
ip -n $SW link add sw4 type veth peer name sw4-in netns lab-vlsw4
ip -n $SW link add br294 type bridge stp_state 0 forward_delay 0
ip -n $SW link set sw.294 master br294
ip -n $SW link set sw4 master br294
ip -n $SW link set sw4 up
ip -n $SW link set br294 up
ip -n lab-vlsw4 addr add 10.30.0.254/24 dev sw4-in
ip -n lab-vlsw4 link set sw4-in up

# The guests: vif<N>.0 in dom0 on their VLAN's bridge (line 110: they never see a tag).
n=1
for spec in "$G3 293 00:16:3e:29:30:01 10.30.0.11" "$G4 294 00:16:3e:29:40:01 10.30.0.12"; do
  set -- $spec
  ip link add vif$n.0 type veth peer name eth0 netns $1
  ip link set vif$n.0 master xen-br$2
  ip link set vif$n.0 up
  ip -n $1 link set eth0 address $3
  ip -n $1 addr add $4/24 dev eth0
  ip -n $1 link set eth0 up
  n=$((n + 1))
done

check "xen-br293 is a bridge over vt0.293, an 802.1Q id 293 device on vt0" sh -c '/sbin/ip -d link show vt0.293 | grep -q "vlan protocol 802.1Q id 293" && /sbin/ip -o link show vt0.293 | grep -q "master xen-br293"'
check "VLAN 293: its guest reaches the switch's end of VLAN 293" wait_for 5 ip netns exec $G3 ping -c1 -W1 10.30.0.253
check "VLAN 294: its guest reaches the host behind VLAN 294" wait_for 5 ip netns exec $G4 ping -c1 -W1 10.30.0.254
# Tagged on the trunk: the switch's untagged port end saw nothing for the guests' subnet, its
# VLAN 293 device counted the frames (the kernel hands a frame to sw.293 only for tag 293).
rx() { ip -n $SW -s link show "$1" | awk 'f{print $2; exit} /RX:/{f=1}'; }
before=$(rx sw.293)
ip netns exec $G3 ping -c3 -W1 10.30.0.253 >/dev/null 2>&1
after=$(rx sw.293)
check "frames from VLAN 293's guest arrive tagged 293 at the trunk's far end ($before → $after packets)" test "$after" -ge $((before + 3))
ip -n $SW addr add 10.30.0.250/24 dev vt0-sw
# Negative checks in this shell (iproute2's ip, not busybox's applet), each with its positive twin
# run the same way just before, so a broken command cannot pass as "no reply".
no_reply() { ! ip netns exec "$1" ping -c2 -W1 "$2"; }
check "control: the same probe from the guest on 293 gets its VLAN's reply" ip netns exec $G3 ping -c1 -W1 10.30.0.253
check "the untagged trunk end is not on either VLAN (no reply from it)" no_reply $G3 10.30.0.250
check "no cross-VLAN traffic: the guest on 293 cannot reach the guest on 294 (same subnet)" no_reply $G3 10.30.0.12
check "no cross-VLAN traffic: the guest on 294 cannot reach the switch's VLAN 293 address" no_reply $G4 10.30.0.253
# seed 002 line 111: MTU 1496 on the trunk leaves room for the tag; a VLAN device follows its lower MTU.
ip link set vt0 mtu 1496
check "line 111: with the trunk at MTU 1496 the VLAN device is capped at 1496" sh -c '/sbin/ip -o link show vt0.293 | grep -q "mtu 1496"'
check "line 111: traffic on VLAN 293 still flows at MTU 1496" ip netns exec $G3 ping -c1 -W1 10.30.0.253
ip link set vt0 mtu 1500

for n in $SW $G3 $G4 lab-vlsw4; do ip netns del $n; done
for l in xen-br293 xen-br294 vt0 vif1.0 vif2.0; do ip link del $l 2>/dev/null; done
