#!/bin/bash
# Boot 3 of the xen VM: after `rollback` (boot 2), dom0 boots again from the same disk and has the
# old network from the restored files alone: eno1 with 192.168.1.3 and the default route, no
# xenbr0, and the guests in /etc/xen/auto start on virbr0 and answer at their NAT addresses.
set -u
. /lab/lib.sh
info "boot 3 (after rollback): the old network from the restored files"
check "boot: eno1 up from /etc/network/interfaces with 192.168.1.3 and the default route, no xenbr0" bash -c "
  ip -br addr; ip route
  ! ip link show xenbr0 >/dev/null 2>&1 && ip -4 addr show dev eno1 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev eno1'"
check "boot: the LAN peer reaches dom0 at 192.168.1.3" wait_for 10 reach 192.168.1.3
auto_guests virbr0 192.168.122 boot3
for f in /tmp/boot-*.log; do sed "s|^|LAB-LOG boot3 $(basename "$f"): |" "$f" | tail -10; done
timeout 60 xl destroy g1 >/dev/null 2>&1; timeout 60 xl destroy g2 >/dev/null 2>&1
exit 0
