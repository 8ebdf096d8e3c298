# Lab kernel payload (test/lab/README.md, branch lab): recipe bond-bridge's network-bridge-bonding
# over a real active-backup bond, then the failover the recipe is for (seed 000 line 305): the
# active slave's cable pulled, the guest's and dom0's traffic continues. The script below is the
# wizard's rendering, byte for byte (test/recipes/bond-bridge/failover.test.ts checks it); it is
# sourced with ip() = iproute2, since busybox-static would run its own ip applet first.
cat > /tmp/network-bridge-bonding <<'XNW_SCRIPT_END'
#!/bin/sh
# network-bridge-bonding (start|stop|status) bridge=bond0 netdev=bond0 antispoof=yes|no
# Written by xen-net-wizard. seed 000 line 328 calls this script but the guide does not print it:
# it builds what the call implies. The bridge takes the bond's name (the one guests' vifs use,
# line 338), the bond is renamed p<name> and becomes the bridge's only port, and the bond's MAC,
# addresses and routes move to the bridge. Unlike network-bridge, no ifdown/ifup of the bond:
# that would release its slaves. The slaves stay enslaved throughout.
command=$1
bridge=bond0
netdev=bond0
antispoof=no
for arg in "$@"; do
    case "$arg" in
        bridge=*) bridge=${arg#bridge=} ;;
        netdev=*) netdev=${arg#netdev=} ;;
        antispoof=*) antispoof=${arg#antispoof=} ;;
    esac
done
pdev=p${netdev}

is_bridge() { [ -d "/sys/class/net/$1/bridge" ]; }
is_bond() { [ -d "/sys/class/net/$1/bonding" ]; }

# iproute2 where it can make bridges; else bridge-utils (CentOS 5's iproute cannot; busybox's
# brctl has no stp subcommand, so brctl is only the fallback).
make_bridge() {
    ip link add "$1" type bridge forward_delay 0 stp_state 0 2>/dev/null && return 0
    brctl addbr "$1" && brctl stp "$1" off && brctl setfd "$1" 0
}

add_port() {
    ip link set "$2" master "$1" 2>/dev/null || brctl addif "$1" "$2"
}

del_bridge() {
    ip link set "$1" down
    ip link del "$1" type bridge 2>/dev/null || brctl delbr "$1"
}

# network-bridge's antispoof: forwarding only from the physical side unless vif-bridge allows it.
antispoofing() {
    iptables -P FORWARD DROP
    iptables -D FORWARD -m physdev --physdev-in "$pdev" -j ACCEPT 2>/dev/null
    iptables -A FORWARD -m physdev --physdev-in "$pdev" -j ACCEPT
}

op_start() {
    if is_bridge "$bridge" && [ -d "/sys/class/net/$bridge/brif/$pdev" ]; then
        return 0
    fi
    if ! is_bond "$netdev"; then
        echo "network-bridge-bonding: $netdev is not a bond (load bonding, ifup $netdev first)" >&2
        return 1
    fi
    mac=$(cat "/sys/class/net/$netdev/address")
    routes=$(ip -4 route show dev "$netdev" | grep -v ' proto kernel ')
    addrs=$(ip -o -4 addr show dev "$netdev" | awk '{ print $4 }')
    ip link set "$netdev" down
    ip link set "$netdev" name "$pdev"
    ip addr flush dev "$pdev"
    make_bridge "$bridge" || return 1
    # The bond's MAC: neighbours' ARP caches and DHCP reservations stay right.
    ip link set "$bridge" address "$mac"
    ip link set "$pdev" up
    add_port "$bridge" "$pdev"
    ip link set "$bridge" up
    for a in $addrs; do ip addr add "$a" dev "$bridge"; done
    echo "$routes" | while read -r r; do
        [ -n "$r" ] && ip route replace $r dev "$bridge"
    done
    if [ "$antispoof" = yes ]; then antispoofing; fi
    return 0
}

op_stop() {
    is_bridge "$bridge" || return 0
    is_bond "$pdev" || return 0
    routes=$(ip -4 route show dev "$bridge" | grep -v ' proto kernel ')
    addrs=$(ip -o -4 addr show dev "$bridge" | awk '{ print $4 }')
    del_bridge "$bridge"
    ip link set "$pdev" down
    ip link set "$pdev" name "$netdev"
    ip link set "$netdev" up
    for a in $addrs; do ip addr add "$a" dev "$netdev"; done
    echo "$routes" | while read -r r; do
        [ -n "$r" ] && ip route replace $r dev "$netdev"
    done
    if [ "$antispoof" = yes ]; then
        iptables -D FORWARD -m physdev --physdev-in "$pdev" -j ACCEPT 2>/dev/null
    fi
    return 0
}

case "$command" in
    start) op_start ;;
    stop) op_stop ;;
    status)
        ip addr show dev "$bridge"
        [ -r "/proc/net/bonding/$pdev" ] && cat "/proc/net/bonding/$pdev"
        ;;
    *)
        echo "Unknown command: $command" >&2
        echo 'Valid commands are: start, stop, status' >&2
        exit 1
        ;;
esac
XNW_SCRIPT_END
nbb() { ( ip() { /sbin/ip "$@"; }; . /tmp/network-bridge-bonding ); }

# dom0's eth0 + eth2 (line 305) to a switch namespace holding the LAN host 10.15.0.9; the bond is
# bond0 with its address and default route, as ifcfg-bond0 + service network restart leave it.
switch nbb-sw 10.15.0.9/24 eth0 eth2
bond_ab bond0 eth0 eth2
ip addr add 10.15.0.2/24 dev bond0
ip route add default via 10.15.0.9 dev bond0
mac=$(cat /sys/class/net/bond0/address)
ip netns add nbb-guest
ip link add vif1.0 type veth peer name geth0
ip link set geth0 netns nbb-guest
ip netns exec nbb-guest /sbin/ip link set geth0 up
ip netns exec nbb-guest /sbin/ip addr add 10.15.0.3/24 dev geth0

# The wrapper's call (seed 000 line 328), antispoof off: iptables physdev is not what this proves.
check "network-bridge-bonding start" nbb start bridge=bond0 netdev=bond0 antispoof=no
check "bridge bond0 has the bond, renamed pbond0, as its port" test -d /sys/class/net/bond0/brif/pbond0
check "the slaves stayed enslaved" sh -c 'grep -q eth0 /sys/class/net/pbond0/bonding/slaves && grep -q eth2 /sys/class/net/pbond0/bonding/slaves'
check "the address moved to the bridge" sh -c '/sbin/ip -4 -o addr show dev bond0 | grep -q 10.15.0.2/24'
check "the default route moved to the bridge" sh -c '/sbin/ip route show default | grep -q "via 10.15.0.9 dev bond0"'
check "the bridge kept the bond's MAC" test "$(cat /sys/class/net/bond0/address)" = "$mac"
check "a second start changes nothing" nbb start bridge=bond0 netdev=bond0 antispoof=no
ip link set vif1.0 master bond0 up
check "dom0 reaches the LAN over bridge + bond" wait_for 5 ping -c1 -W1 10.15.0.9
check "the guest reaches the LAN over bridge + bond" wait_for 5 ip netns exec nbb-guest ping -c1 -W1 10.15.0.9

# Failover under load: 50 pings 0.1 s apart from the guest and from dom0 while eth0's cable goes.
ip netns exec nbb-guest ping -i 0.1 -c 50 -W 1 10.15.0.9 > /tmp/nbb-guest.ping 2>&1 &
g=$!
ping -i 0.1 -c 50 -W 1 10.15.0.9 > /tmp/nbb-dom0.ping 2>&1 &
d=$!
sleep 1
ip netns exec nbb-sw /sbin/ip link set eth0-peer down
wait $g $d
check "pbond0 failed over to eth2" wait_for 5 sh -c '[ "$(cat /sys/class/net/pbond0/bonding/active_slave)" = eth2 ]'
for who in guest dom0; do
  got=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^received/) { print ($(i - 1) ~ /^[0-9]+$/) ? $(i - 1) : $(i - 2); exit } }' /tmp/nbb-$who.ping)
  echo "LAB-INFO [$PAYLOAD] $who: ${got:-0}/50 replies across the failover"
  check "$who traffic continues across the failover" test "${got:-0}" -ge 45
done
check "network-bridge-bonding stop" nbb stop bridge=bond0 netdev=bond0 antispoof=no
check "bond0 is a bond again, with its address" sh -c 'test -d /sys/class/net/bond0/bonding && /sbin/ip -4 -o addr show dev bond0 | grep -q 10.15.0.2/24'
ip netns del nbb-guest
ip netns del nbb-sw
