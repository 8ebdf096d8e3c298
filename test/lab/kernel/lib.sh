# Sourced before every payload (busybox sh; `ip` is iproute2 — inside `sh -c` strings write /sbin/ip, its own network namespace).
# busybox-static runs its own applets before PATH; `ip` must be iproute2 (bond, vlan, netns).
ip() { /sbin/ip "$@"; }
# pass NAME / fail NAME WHY print the lines the host counts; check NAME CMD... runs CMD and
# reports it; wait_for SECONDS CMD... polls every 0.1 s.
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
