// /etc/xen/scripts/network-bridge-bonding and the wrapper that calls it (seed 000 lines 323–331).
// The guide names the script (line 328) but does not print it; what it must do follows from the
// call and from lines 305 and 338: a bridge named like the bond (bond0, the name the guests' vifs
// use) with the bond as its port. Built here in the manner of Xen's network-bridge (which renames
// eth0 to peth0 for a bridge named eth0), without network-bridge's ifdown/ifup of the device:
// on a bond that would release the slaves, and ifcfg-bond0 describes a bond, not a bridge.
import type { PortedBridge } from '../../model/topology.js';
import type { WrapperSpec } from '../../render/xend.js';
import { SCRIPTS_DIR } from '../../render/xend.js';

export const BONDING_SCRIPT_NAME = 'network-bridge-bonding';
export const BONDING_SCRIPT = `${SCRIPTS_DIR}/${BONDING_SCRIPT_NAME}`;

/**
 * seed 000 lines 325–331, in the guide's order and words: network-bridge-bonding for the bond,
 * network-bridge for the back LAN (no vifnum= in either call), then ip_forward off (line 323:
 * "you may", as the example does).
 */
export function bondBridgeWrapper(bond: { bridge: PortedBridge; device: string }, back: PortedBridge, ipForwardOff: boolean): WrapperSpec {
  const yn = (b: boolean) => (b ? 'yes' : 'no');
  return {
    vars: [],
    before: [],
    calls: [
      { script: BONDING_SCRIPT_NAME, args: [['bridge', bond.bridge.name], ['netdev', bond.device], ['antispoof', yn(bond.bridge.antispoof)]] },
      { script: 'network-bridge', args: [['bridge', back.name], ['netdev', back.nic], ['antispoof', yn(back.antispoof)]] },
    ],
    after: ipForwardOff ? ['echo 0 >/proc/sys/net/ipv4/ip_forward'] : [],
  };
}

/** The script: start | stop | status, with network-bridge's bridge= netdev= antispoof= arguments. */
export function renderBondingScript(): string {
  return `#!/bin/sh
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
        bridge=*) bridge=\${arg#bridge=} ;;
        netdev=*) netdev=\${arg#netdev=} ;;
        antispoof=*) antispoof=\${arg#antispoof=} ;;
    esac
done
pdev=p\${netdev}

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
`;
}
