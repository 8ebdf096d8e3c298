# bond, active-backup: two veth ports to a switch namespace; the active port loses carrier and the
# bond fails over to the other one, and the switch side still answers.
switch bond-sw 10.10.0.2/24 a0 a1
bond_ab bond0 a0 a1
ip addr add 10.10.0.1/24 dev bond0
check "bond0 is active-backup with a0 active" sh -c 'grep -q "active-backup" /sys/class/net/bond0/bonding/mode && [ "$(cat /sys/class/net/bond0/bonding/active_slave)" = a0 ]'
check "the switch answers through bond0" wait_for 5 ping -c1 -W1 10.10.0.2
t0=$(cut -d' ' -f1 /proc/uptime)
ip netns exec bond-sw ip link set a0-peer down
if wait_for 5 sh -c '[ "$(cat /sys/class/net/bond0/bonding/active_slave)" = a1 ]'; then
  pass "a0's carrier lost: a1 became active in $(awk -v a="$t0" -v b="$(cut -d' ' -f1 /proc/uptime)" 'BEGIN { printf "%.2f", b - a }') s"
else fail "failover to a1" "active slave: $(cat /sys/class/net/bond0/bonding/active_slave)"; fi
check "the switch still answers through bond0 after failover" wait_for 5 ping -c1 -W1 10.10.0.2
ip netns del bond-sw
