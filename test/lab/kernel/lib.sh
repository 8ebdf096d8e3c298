# Sourced before every payload: busybox sh, root, a network namespace of its own.
# busybox-static runs its own applets before PATH; `ip` must be iproute2 (bond, vlan, netns).
ip() { /sbin/ip "$@"; }
# pass NAME / fail NAME WHY print the lines the host counts; check NAME CMD... runs CMD and
# reports it; wait_for SECONDS CMD... polls every 0.1 s; switch and bond_ab build test topologies.
pass() { echo "LAB-PASS [$PAYLOAD] $1"; }
fail() { echo "LAB-FAIL [$PAYLOAD] $1: ${2:-}"; }
check() {
  _n=$1; shift
  if _o=$("$@" 2>&1); then pass "$_n"; else fail "$_n" "$(echo "$_o" | tail -c 300 | tr '\n' ' ')"; fi
}
wait_for() {
  _t=$(( $1 * 10 )); shift
  while ! "$@" >/dev/null 2>&1; do _t=$((_t - 1)); [ $_t -le 0 ] && return 1; sleep 0.1; done
}
# switch NS ADDR/PREFIX PORT...: a namespace NS with bridge sw0 (ADDR on it) whose ports are the
# peers of veth pairs PORT<->PORT-peer; PORT stays here, down and free to be enslaved.
switch() {
  _ns=$1 _addr=$2; shift 2
  ip netns add "$_ns"
  ip netns exec "$_ns" ip link set lo up
  ip netns exec "$_ns" ip link add sw0 type bridge stp_state 0 forward_delay 0
  for _p in "$@"; do
    ip link add "$_p" type veth peer name "$_p-peer"
    ip link set "$_p-peer" netns "$_ns"
    ip netns exec "$_ns" ip link set "$_p-peer" master sw0 up
  done
  ip netns exec "$_ns" ip addr add "$_addr" dev sw0
  ip netns exec "$_ns" ip link set sw0 up
}
# bond_ab BOND PRIMARY OTHER: an active-backup bond (miimon 20 ms) of two ports, PRIMARY active.
bond_ab() {
  ip link add "$1" type bond mode active-backup miimon 20 primary "$2"
  ip link set "$2" master "$1"
  ip link set "$3" master "$1"
  ip link set "$1" up
}
