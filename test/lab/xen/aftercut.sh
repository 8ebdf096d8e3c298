#!/bin/bash
# Power cut, boot 2: what the disk held at the cut, booted. dom0 must have its address (old network
# or new, never without it), the LAN must reach it, g1 (/etc/xen/auto) must be on a bridge that
# exists and answer; then the next wizard run (`rollback`) must notice the unfinished journal and
# roll it back, leaving the files as before the apply and dom0 reachable.
set -u
. /lab/lib.sh
point=$1
files=mixed
if sha | diff -q /var/lib/lab/sha.before - >/dev/null; then files=old
elif grep -q '^vif.default.bridge="xenbr0"' /etc/xen/xl.conf 2>/dev/null && grep -q bridge=xenbr0 /etc/xen/g1.cfg; then files=new; fi
net=none
if ip -4 addr show dev eno1 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev eno1'; then net=old
elif ip -4 addr show dev xenbr0 2>/dev/null | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev xenbr0'; then net=new; fi
check "powercut $point, boot: dom0 has 192.168.1.3 and the default route ($net network; files: $files)" test "$net" != none
check "powercut $point, boot: the LAN peer reaches dom0" wait_for 10 reach 192.168.1.3
d=$(dom g1); br=$(master "vif$d.0")
check "powercut $point, boot: g1 started (dom ${d:-none}) on a bridge that exists (${br:-none})" test -n "$br" -a -d "/sys/class/net/$br/bridge"
[ "$br" = xenbr0 ] && a=192.168.1.11 || a=192.168.122.11
if wait_for 240 reach $a; then pass "powercut $point, boot: g1 answers at $a on ${br:-?}"; g=answers; else fail "powercut $point, boot: g1 answers at $a" "no answer in 240 s"; g=silent; fi
$W rollback --root / --no-color > /tmp/rollback.out 2>&1
rc=$?
sed "s/^/LAB-LOG powercut $point rollback: /" /tmp/rollback.out | tail -30
check "powercut $point: the next run (rollback) rolls the unfinished run back (exit $rc)" bash -c "[ $rc = 0 ] && grep -q 'left unfinished' /tmp/rollback.out"
# sha is a function of lib.sh: run in this shell (a bash -c child does not have it).
samefiles() { sha | diff /var/lib/lab/sha.before -; }
check "powercut $point: after it, the files are as before the apply" samefiles
check "powercut $point: after it, the LAN peer reaches dom0" wait_for 10 reach 192.168.1.3
after=$( (sha | diff -q /var/lib/lab/sha.before - >/dev/null) && echo "files old" || echo "files NOT old")
info "powercut_outcome | $point | boot: $net network, files $files, g1 on ${br:-none} ($g) | next run: rollback exit $rc, $after |"
timeout 60 xl destroy g1 >/dev/null 2>&1
exit 0
