# bond, active-backup: two veth ports to a switch namespace; the active port loses carrier and the
# bond fails over to the other one, and the switch side still answers.
ip netns add bond-sw
ip netns exec bond-sw ip link set lo up
ip netns exec bond-sw ip link add sw0 type bridge stp_state 0 forward_delay 0
for i in 0 1; do
  ip link add a$i type veth peer name b$i
  ip link set b$i netns bond-sw
  ip netns exec bond-sw ip link set b$i master sw0 up
done
ip netns exec bond-sw ip addr add 10.10.0.2/24 dev sw0
ip netns exec bond-sw ip link set sw0 up
ip link add bond0 type bond mode active-backup miimon 20 primary a0
ip link set a0 master bond0
ip link set a1 master bond0
ip link set bond0 up
ip addr add 10.10.0.1/24 dev bond0
check "bond0 is active-backup with a0 active" sh -c 'grep -q "active-backup" /sys/class/net/bond0/bonding/mode && [ "$(cat /sys/class/net/bond0/bonding/active_slave)" = a0 ]'
check "the switch answers through bond0" wait_for 5 ping -c1 -W1 10.10.0.2
t0=$(cut -d' ' -f1 /proc/uptime)
ip netns exec bond-sw ip link set b0 down
if wait_for 5 sh -c '[ "$(cat /sys/class/net/bond0/bonding/active_slave)" = a1 ]'; then
  pass "a0's carrier lost: a1 became active in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.2f", b - a }') s"
else fail "failover to a1" "active slave: $(cat /sys/class/net/bond0/bonding/active_slave)"; fi
check "the switch still answers through bond0 after failover" wait_for 5 ping -c1 -W1 10.10.0.2
ip netns del bond-sw
