#!/bin/sh
# Lab payload (kernel VM): recipe bond-bridge's network-bridge-bonding, run for real over a bond,
# and the failover the recipe is for (seed 000 line 305, "冗長化"): the active slave goes down,
# the guest's and dom0's traffic continues. Prints PASS/FAIL lines (SKIP when the kernel has no
# bonding); needs root, the bonding module, iproute2, ping, node and the built project.
#   XNW_APP  the project (bin/, dist/), default: this checkout   NODE  node binary, default: node
# Everything happens in network namespaces made here (pid-unique names), removed on exit.
set -u
APP=${XNW_APP:-$(cd "$(dirname "$0")/../../../.." && pwd)}
NODE=${NODE:-node}
T=xnwb$$
DOM0=$T-dom0
LAN=$T-lan
GUEST=$T-guest
WORK=$(mktemp -d)
failed=0
pass() { echo "PASS bond-bridge: $*"; }
fail() { echo "FAIL bond-bridge: $*"; failed=1; }
cleanup() { for n in $DOM0 $LAN $GUEST; do ip netns del "$n" 2>/dev/null; done; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
in_dom0() { ip netns exec "$DOM0" "$@"; }
active_slave() { in_dom0 sh -c "sed -n 's/^Currently Active Slave: //p' /proc/net/bonding/$1"; }

if [ "$(id -u)" != 0 ]; then echo "SKIP bond-bridge: needs root"; exit 0; fi
for n in $DOM0 $LAN $GUEST; do ip netns add "$n" || { echo "SKIP bond-bridge: ip netns add failed"; exit 0; }; done
modprobe bonding max_bonds=0 2>/dev/null
if ! in_dom0 ip link add bond0 type bond mode active-backup miimon 100 2>/dev/null; then
  echo "SKIP bond-bridge: this kernel has no bonding (modprobe bonding failed)"
  exit 0
fi

# The script exactly as the wizard renders it for /etc/xen/scripts/network-bridge-bonding.
"$NODE" --input-type=module -e "
  const m = await import('$APP/dist/src/render/networkBridgeBonding.js');
  process.stdout.write(m.renderBondingScript());" > "$WORK/network-bridge-bonding" || { fail "could not render the script from $APP"; exit 1; }
chmod 755 "$WORK/network-bridge-bonding"

# dom0's eth0 and eth2 (seed 000 line 305) cabled to a switch (a bridge in the LAN namespace)
# that also holds the LAN host's address; the "guest" is a namespace behind a vif-like veth.
ip link add eth0 netns "$DOM0" type veth peer name sw0 netns "$LAN"
ip link add eth2 netns "$DOM0" type veth peer name sw2 netns "$LAN"
ip link add vif1.0 netns "$DOM0" type veth peer name eth0 netns "$GUEST"
ip netns exec "$LAN" sh -e -c '
  ip link add sw type bridge stp_state 0 forward_delay 0
  for p in sw0 sw2; do ip link set "$p" master sw; ip link set "$p" up; done
  ip link set sw up; ip addr add 192.168.50.1/24 dev sw'
in_dom0 sh -e -c '
  for s in eth0 eth2; do ip link set "$s" down; ip link set "$s" master bond0; done
  ip link set bond0 up; ip link set lo up
  ip addr add 192.168.50.2/24 dev bond0
  ip route add default via 192.168.50.1 dev bond0'
ip netns exec "$GUEST" sh -e -c 'ip link set eth0 up; ip addr add 192.168.50.3/24 dev eth0'
sleep 1
mac=$(in_dom0 cat /sys/class/net/bond0/address)

# seed 000 line 328's call: network-bridge-bonding start bridge=bond0 netdev=bond0 antispoof=no
# (antispoof needs iptables physdev, not what this payload proves).
if in_dom0 "$WORK/network-bridge-bonding" start bridge=bond0 netdev=bond0 antispoof=no; then pass "start exit 0"; else fail "start failed"; fi
if in_dom0 test -d /sys/class/net/bond0/bridge && in_dom0 test -d /sys/class/net/bond0/brif/pbond0; then
  pass "bridge bond0 with the bond (renamed pbond0) as its port"
else
  fail "no bridge bond0 over pbond0: $(in_dom0 ip -br link)"
fi
in_dom0 ip -4 -o addr show dev bond0 | grep -q '192.168.50.2/24' && pass "address moved to the bridge" || fail "bridge lacks 192.168.50.2/24"
in_dom0 ip route show default | grep -q 'via 192.168.50.1 dev bond0' && pass "default route moved to the bridge" || fail "default route: $(in_dom0 ip route show default)"
[ "$(in_dom0 cat /sys/class/net/bond0/address)" = "$mac" ] && pass "bridge keeps the bond's MAC" || fail "bridge MAC changed"
in_dom0 "$WORK/network-bridge-bonding" start bridge=bond0 netdev=bond0 antispoof=no && pass "second start is a no-op" || fail "second start failed"
in_dom0 ip link set vif1.0 master bond0 && in_dom0 ip link set vif1.0 up
sleep 1
in_dom0 ping -c 2 -W 1 192.168.50.1 >/dev/null && pass "dom0 reaches the LAN over bridge+bond" || fail "dom0 cannot reach the LAN"
ip netns exec "$GUEST" ping -c 2 -W 1 192.168.50.1 >/dev/null && pass "guest reaches the LAN over bridge+bond" || fail "guest cannot reach the LAN"

# Failover: the active slave's cable is pulled (its switch end goes down, carrier drops, miimon
# 100 ms notices); pings from the guest and dom0 run across it.
before=$(active_slave pbond0)
case "$before" in eth0) peer=sw0 ;; eth2) peer=sw2 ;; *) fail "no active slave: '$before'"; peer=sw0 ;; esac
ip netns exec "$GUEST" ping -i 0.1 -c 60 -W 1 192.168.50.1 > "$WORK/guest.ping" 2>&1 &
gp=$!
in_dom0 ping -i 0.1 -c 60 -W 1 192.168.50.1 > "$WORK/dom0.ping" 2>&1 &
dp=$!
sleep 2
ip netns exec "$LAN" ip link set "$peer" down
wait $gp $dp
after=$(active_slave pbond0)
[ -n "$after" ] && [ "$after" != "$before" ] && pass "failover: active slave $before → $after" || fail "active slave did not change ($before → $after)"
for who in guest dom0; do
  got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$WORK/$who.ping")
  # 60 pings over 6 s; the switch-over costs at most a few (miimon 100 ms + the switch relearning).
  if [ "${got:-0}" -ge 54 ]; then pass "$who traffic continues across the failover ($got/60 replies)"; else fail "$who lost too much: ${got:-0}/60"; fi
done

if in_dom0 "$WORK/network-bridge-bonding" stop bridge=bond0 netdev=bond0 antispoof=no \
  && in_dom0 test -d /sys/class/net/bond0/bonding && in_dom0 ip -4 -o addr show dev bond0 | grep -q '192.168.50.2/24'; then
  pass "stop gives the address back to bond0, a bond again"
else
  fail "stop did not restore bond0: $(in_dom0 ip -br addr)"
fi
exit $failed
