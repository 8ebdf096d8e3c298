#!/bin/bash
# Shared by the xen VM's boot scripts (sourced): LAB-PASS/LAB-FAIL/LAB-INFO lines on the console
# for the host to parse, the LAN peer's view, the guests' console ticks, domids, bridge ports.
set -u
export PATH=/lab/bin:$PATH LANG=C.UTF-8
W="timeout 300 node /lab/app/bin/xen-net-wizard.js"
pass() { echo "LAB-PASS $1"; }
fail() { echo "LAB-FAIL $1: ${2:-}"; }
check() { local name=$1; shift; if "$@" >/tmp/check.out 2>&1; then pass "$name"; else fail "$name" "$(tail -c 300 /tmp/check.out | tr '\n' ' ')"; fi; }
info() { echo "LAB-INFO $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
inlan() { ip netns exec lan "$@"; }
reach() { inlan ping -c 1 -W 1 "$1"; }
# The guest's last console tick (xenconsoled's log): "LAB-TICK <boot id> <uptime> <mac>".
tick() { grep -a 'LAB-TICK' "/var/log/xen/console/guest-$1.log" 2>/dev/null | tail -1 | tr -d '\r'; }
field() { local -A i=([boot_id]=2 [uptime]=3 [mac]=4); awk -v n="${i[$2]}" '{print $n}' <<<"$1"; }
wait_for() { # seconds command...
  local t=$1; shift; local end=$(( $(date +%s) + t ))
  while ! "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.5; done
}
dom() { xl domid "$1" 2>/dev/null; }
master() { basename "$(readlink "/sys/class/net/$1/master")"; }
onbridge() { [ "$(master "$1")" = "$2" ]; }
# The bridge xenstore's backend of vif <domid>.0 names (the path `xl network-list` shows).
xsbridge() { local be; be=$(xl network-list "$1" 2>/dev/null | awk 'NR == 2 {print $NF}'); xenstore-read "$be/bridge" 2>&1; }
# The bridge libxl's stored config of <domid> names for its first vif.
libxlbridge() { grep -aho '"bridge": *"[^"]*"' /var/lib/xen/userdata-d."$1".*.libxl-json 2>/dev/null | head -1 | cut -d'"' -f4; }
libxlstored() { [ -n "$(libxlbridge "$1")" ]; }
# What libxl keeps in /var/lib/xen (NULs dropped, the last bytes shown) and the tail of xl's own
# logs, as LAB-LOG lines (shown when a check failed, or with LAB_VERBOSE=1).
libxldump() {
  { ls -la /var/lib/xen/; for f in /var/lib/xen/userdata-*; do echo "== $f"; tr -d '\000' <"$f"; echo; echo "last bytes:"; tail -c 8 "$f" | od -c; done
    for f in /var/log/xen/xl-*.log; do echo "== $f"; tail -30 "$f"; done; } 2>&1 | sed "s/^/LAB-LOG libxl $1: /"
}
# One round of the guest lifecycle: g1 by $2, g2 by $3, both at once; then each must be a new domain
# whose vif is a port of $1, xenstore and libxl's stored config say $1, and answers at its address
# on that bridge (LAN 192.168.1.1x on xenbr0, NAT 192.168.122.1x on virbr0).
#   g1: "xl reboot" | "guest-initiated reboot" (xl sysrq b: the guest's kernel reboots itself)
#   g2: "save/restore" (xl save + xl restore) | "shutdown + create" (xl shutdown -w + xl create from its file)
lifecycle() {
  local br=$1 how1=$2 how2=$3 t old1 old2
  [ "$br" = xenbr0 ] && net=192.168.1 || net=192.168.122
  old1=$(dom g1); old2=$(dom g2); t=$(now)
  case $how1 in
    "xl reboot") timeout 120 xl reboot g1 >/tmp/g1.op 2>&1 ;;
    *) timeout 120 xl sysrq g1 b >/tmp/g1.op 2>&1 ;;
  esac &
  local p1=$!
  case $how2 in
    save/restore) timeout 300 xl save g2 /tmp/g2.save >/tmp/g2.op 2>&1 && timeout 300 xl restore /tmp/g2.save >>/tmp/g2.op 2>&1; rm -f /tmp/g2.save ;;
    *) timeout 300 xl shutdown -w g2 >/tmp/g2.op 2>&1 && xl_create /etc/xen/g2.cfg >>/tmp/g2.op 2>&1 ;;
  esac
  local rc2=$?
  wait $p1; local rc1=$?
  check "$how2 g2 ran (exit $rc2)" test $rc2 = 0
  check "$how1 g1 ran (exit $rc1)" test $rc1 = 0
  newdom() { local d; d=$(dom "$1"); [ -n "$d" ] && [ "$d" != "$2" ]; }
  wait_for 120 newdom g1 "$old1"; wait_for 60 newdom g2 "$old2"
  local g d how old
  for g in 1 2; do
    [ $g = 1 ] && how=$how1 old=$old1 || how=$how2 old=$old2
    d=$(dom g$g)
    # The new domain's vif is plugged by the hotplug script a while after its domid appears.
    wait_for 60 onbridge "vif$d.0" "$br"
    check "$how g$g: a new domain ($old → ${d:-none}), its vif$d.0 a port of $br" test -n "$d" -a "$d" != "$old" -a "$(master "vif$d.0")" = "$br"
    check "$how g$g: xenstore of dom $d says $br" test "$(xsbridge "$d")" = "$br"
    # libxl stores the new domain's config when its creation completes (domcreate_complete), after
    # the hotplug scripts: `xl reboot` returns at once and xl's own process re-creates the domain.
    wait_for 60 libxlstored "$d"
    check "$how g$g: libxl's stored config of dom $d names $br" test "$(libxlbridge "$d")" = "$br"
    if wait_for 240 reach "$net.1$g"; then pass "$how g$g: answers the LAN peer at $net.1$g on $br"; info "g${g}_${how// /_}_answering_s" "$(since "$t")"
    else fail "$how g$g: answers the LAN peer at $net.1$g on $br" "no answer in 240 s; $(tail -c 200 /tmp/g$g.op | tr '\n' ' ')"; fi
  done
  info "lifecycle_round_s ${br}_${how1// /_}+${how2// /_}" "$(since "$t")"
}
# The admin's host before the wizard: eno1 192.168.1.3/24 static in /etc/network/interfaces, up
# with ifupdown's ifup; the cfgs of guests g1..g$1 on virbr0 (not created here).
admin_host() {
  cat > /etc/network/interfaces <<'IF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug eno1
iface eno1 inet static
	address 192.168.1.3/24
	gateway 192.168.1.254
IF
  t=$(now); ifup eno1 >/tmp/ifup.out 2>&1; info ifup_eno1_s "$(since "$t")"
  check "ifup eno1 from /etc/network/interfaces: 192.168.1.3 and the default route" bash -c "
    ip -4 addr show dev eno1 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev eno1'"
  for g in $(seq 1 "$1"); do
    # g2 is PVH when the host asked for it (LAB_PVH=1 → /lab/pvh); PV by default, see run.mjs.
    type=pv; [ $g = 2 ] && [ -e /lab/pvh ] && type=pvh
    cat > /etc/xen/g$g.cfg <<CFG
# lab guest $g ($type)
name = 'g$g'
type = '$type'
kernel = '/lab/guest/vmlinuz'
ramdisk = '/lab/guest/initrd.gz'
extra = 'console=hvc0 quiet lab_a=192.168.122.1$g lab_l=192.168.1.1$g'
memory = 160
vif = [ 'mac=00:16:3e:1a:b0:0$g,bridge=virbr0' ]
CFG
  done
  mkdir -p /var/lib/lab
}
# The files the wizard edits (and rollback must put back byte for byte).
sha() { sha256sum /etc/network/interfaces /etc/xen/xl.conf /etc/xen/g[0-9].cfg; }
# After a boot: g1, g2 were started by xendomains (/etc/xen/auto) on bridge $1 and answer the LAN
# peer at $2.1x (192.168.1 on xenbr0, 192.168.122 on virbr0); $3 names the boot in the figures.
auto_guests() {
  local br=$1 net=$2 label=$3 g d
  for g in 1 2; do
    d=$(dom g$g)
    check "boot: xendomains started g$g from /etc/xen/auto (dom ${d:-none}), its vif a port of $br" test "$(master "vif$d.0")" = "$br"
    if wait_for 240 reach "$net.1$g"; then pass "boot: g$g answers the LAN peer at $net.1$g"; info "${label}_g${g}_answering_at_uptime_s" "$(awk '{print $1}' /proc/uptime)"
    else fail "boot: g$g answers the LAN peer at $net.1$g" "no answer in 240 s"; fi
  done
}
# xl create CFG, once more after a failure: under TCG on a loaded host libxl's 40 s hotplug timeout
# can kill vif-bridge before it is done (the emulator's speed, not the wizard's doing); each failed
# attempt is reported as a figure. Exit status: the last attempt's.
xl_create() {
  local cfg=$1 name try
  name=$(sed -n "s/^name *= *['\"]\([^'\"]*\).*/\1/p" "$cfg")
  for try in 1 2; do
    timeout 180 xl create -q "$cfg" >/tmp/xl-create.out 2>&1 && return 0
    info "xl create $cfg attempt $try failed: $(tr '\n' ' ' </tmp/xl-create.out | tail -c 200)"
    timeout 60 xl destroy "$name" >/dev/null 2>&1
  done
  return 1
}
