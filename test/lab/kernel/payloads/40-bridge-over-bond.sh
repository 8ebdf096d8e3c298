# A bridge whose port is an active-backup bond (the guides' redundant xenbr0): the address is on
# the bridge, the switch answers, and still answers after the bond fails over.
switch bb-sw 10.13.0.2/24 p0 p1
bond_ab bond1 p0 p1
ip link add xenbr0 type bridge stp_state 0 forward_delay 0
ip link set bond1 master xenbr0
ip link set xenbr0 up
ip addr add 10.13.0.1/24 dev xenbr0
check "bond1 is a port of xenbr0" sh -c '[ "$(basename "$(readlink /sys/class/net/bond1/master)")" = xenbr0 ]'
check "the switch answers through xenbr0 over bond1" wait_for 5 ping -c1 -W1 10.13.0.2
ip netns exec bb-sw ip link set p0-peer down
check "bond1 failed over to p1" wait_for 5 sh -c '[ "$(cat /sys/class/net/bond1/bonding/active_slave)" = p1 ]'
check "the switch still answers through xenbr0 after failover" wait_for 5 ping -c1 -W1 10.13.0.2
ip netns del bb-sw
