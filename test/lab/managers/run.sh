#!/bin/bash
# /lab/run.sh at every boot of a manager VM (lab.service, after network.target). The root disk (the
# run's qcow2 overlay) keeps the boot count; the kernel command line names the manager
# (lab_mgr=) and the recipe (lab_recipe=single-bridge | bond-bridge).
#   boot 1: the original network up from the manager's own config; `apply --offline --yes`
#           (files only, nothing run: what the next boot reads is all that changed); power off.
#   boot 2: the bridge up from the persisted files alone: address, default route, ports (kernel
#           state by `ip`), the LAN peer reaching the host; `rollback`; power off.
#   boot 3: the original network back from the restored files; power off.
# Every line for the host starts with LAB-PASS / LAB-FAIL / LAB-INFO / LAB-LOG; the last one is
# "LAB-MGR: run.sh exit".
set -u
export PATH=/lab/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
W="timeout 900 node /lab/app/bin/xen-net-wizard.js"
pass() { echo "LAB-PASS [$M $R boot $N] $1"; }
fail() { echo "LAB-FAIL [$M $R boot $N] $1: ${2:-}"; }
info() { echo "LAB-INFO [$M $R boot $N] $*"; }
logf() { sed "s|^|LAB-LOG [$M boot $N] $1: |" "$2" 2>/dev/null | tail -"${3:-40}"; }
uptime_s() { awk '{print $1}' /proc/uptime; }
wait_for() { local t=$1; shift; local end=$(( $(date +%s) + t )); while ! "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.5; done; }
master() { basename "$(readlink "/sys/class/net/$1/master" 2>/dev/null)" 2>/dev/null; }
reach() { ip netns exec lan ping -c 1 -W 1 192.168.1.3; }
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"; }
M=$(arg lab_mgr); R=$(arg lab_recipe)
N=$(( $(cat /var/lib/lab-boot-count 2>/dev/null || echo 0) + 1 ))
echo "$N" > /var/lib/lab-boot-count; sync
info "boot_script_at_uptime_s $(uptime_s)"
# The files a manager or the wizard may touch: rollback must put them back byte for byte.
FILES=(/etc/network /etc/netplan /etc/systemd/network /etc/NetworkManager/system-connections /etc/xen /etc/modprobe.d /etc/sysctl.d)
sums() { find "${FILES[@]}" -type f 2>/dev/null | sort | xargs -r sha256sum; }
state() { { ip -br link; ip -br addr; ip route; } > /tmp/state.txt 2>&1; logf state /tmp/state.txt 60; }

# The state each boot must reach, polled (the manager may still be at work when this unit starts).
orig_up() {
  ip -4 addr show dev eth0 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev eth0' && reach
}
if [ "$R" = bond-bridge ]; then
  BR=bond0
  new_up() {
    [ "$(master eth0)" = pbond0 ] && [ "$(master eth1)" = pbond0 ] && [ "$(master pbond0)" = bond0 ] && [ "$(master eth2)" = xenbr0 ] &&
    ip -4 addr show dev bond0 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev bond0' &&
    ! ip -4 addr show dev eth0 | grep -q inet && reach
  }
  WHAT="bond0 (bridge) over pbond0 (bond of eth0, eth1) with 192.168.1.3/24 and the default route, xenbr0 over eth2"
  ANSWERS='{"recipe":"bond-bridge","bond.slaves":["eth0","eth1"],"back.nic":"eth2","bond.mode":"active-backup"}'
else
  BR=xenbr0
  new_up() {
    [ "$(master eth0)" = xenbr0 ] && ip -4 addr show dev xenbr0 | grep -q 192.168.1.3/24 &&
    ip route | grep -q 'default via 192.168.1.254 dev xenbr0' && ! ip -4 addr show dev eth0 | grep -q inet && reach
  }
  WHAT="xenbr0 with eth0 as its port, 192.168.1.3/24 and the default route"
  ANSWERS='{"recipe":"single-bridge"}'
fi

# Waits up to 120 s for STATE; one check, the uptime it was reached at as a figure.
expect() {
  local name=$1 fn=$2 what=$3
  if wait_for 120 "$fn"; then pass "$what, the LAN peer reaches 192.168.1.3"; info "${name}_up_at_uptime_s $(uptime_s)"
  else fail "$what, the LAN peer reaches 192.168.1.3" "not within 120 s of the boot script"; state; journalctl -b --no-pager -q -p warning >/tmp/j.txt 2>&1; logf journal /tmp/j.txt 30; fi
}

case $N in
  1)
    expect original orig_up "boot 1: eth0 up from $M's own config with 192.168.1.3/24 and the default route"
    sums > /var/lib/lab-sums.before
    echo "$ANSWERS" > /tmp/answers.json
    t=$(date +%s.%N)
    $W apply --root / --offline --answers /tmp/answers.json --yes --no-color > /tmp/apply.out 2>&1
    rc=$?
    info "apply_wall_s $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    if [ $rc = 0 ]; then pass "apply --offline --yes $R exits 0"; else fail "apply --offline --yes $R exits 0" "rc=$rc"; fi
    grep -E '^(✔|✖|Done|error)' /tmp/apply.out > /tmp/apply.sum; logf apply /tmp/apply.sum 40
    [ $rc = 0 ] || logf apply /tmp/apply.out 40
    # The plan's first line names the backend detection chose (detect --json would cost another
    # Node start, ~30 s under TCG): it must be the manager that runs at boot.
    if grep -q "^Plan: .*, backend $M\$" /tmp/apply.out; then pass "the plan names the manager that runs at boot: $M"
    else fail "the plan names the manager that runs at boot: $M" "$(grep -m1 '^Plan:' /tmp/apply.out)"; fi
    ;;
  2)
    expect after_apply new_up "boot 2 (after apply): $WHAT, from the persisted files alone"
    bridge link > /tmp/bridge.txt 2>&1; logf "bridge link" /tmp/bridge.txt
    t=$(date +%s.%N)
    $W rollback --root / --offline --no-color > /tmp/rollback.out 2>&1
    rc=$?
    info "rollback_wall_s $(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    if [ $rc = 0 ]; then pass "rollback after the reboot exits 0"; else fail "rollback after the reboot exits 0" "rc=$rc"; logf rollback /tmp/rollback.out 40; fi
    if sums | diff /var/lib/lab-sums.before - > /tmp/sums.diff 2>&1; then pass "after rollback: $M's files byte-identical to before the apply"
    else fail "after rollback: $M's files byte-identical to before the apply" "$(tr '\n' ' ' </tmp/sums.diff | tail -c 300)"; fi
    ;;
  3)
    expect after_rollback orig_up "boot 3 (after rollback): eth0 with 192.168.1.3/24 and the default route from the restored files"
    if ip link show "$BR" >/dev/null 2>&1; then fail "boot 3: no $BR" "$BR exists"; else pass "boot 3: no $BR"; fi
    ;;
  *) fail "boot $N" "no boot $N in this run" ;;
esac
state
info "boot_script_done_at_uptime_s $(uptime_s)"
echo "LAB-MGR: run.sh exit"
sync
systemctl poweroff --no-block
