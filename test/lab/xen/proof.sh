#!/bin/bash
# Boot 1 of the xen VM: the single-bridge proof on a real Xen 4.17 dom0 (/lab is the per-run
# payload disk: node, the built project, the guest kernel + initramfs). dom0's init has brought up
# the lab's hardware (eno1, a veth to the LAN peer `lan` = the gateway 192.168.1.254), libvirt's
# NAT bridge virbr0 (192.168.122.1/24 + MASQUERADE) and Xen; here the admin's host is set up:
# eno1 192.168.1.3/24 from /etc/network/interfaces, two running guests on virbr0.
# Prints LAB-PASS/LAB-FAIL/LAB-INFO lines on the console for the host to parse.
set -u
. /lab/lib.sh
T0=$(now)

admin_host 2
sha > /var/lib/lab/sha.before

check "xl info answers (Xen $(xl info 2>/dev/null | awk '/^xen_version/ {print $3}'))" xl info
t=$(now)
check "xl create g1 (PV) on virbr0" xl_create /etc/xen/g1.cfg
check "xl create g2 ($(grep -o "^type = .*" /etc/xen/g2.cfg | tr -d "\x27")) on virbr0" xl_create /etc/xen/g2.cfg
for g in 1 2; do
  if wait_for 240 reach 192.168.122.1$g; then pass "g$g answers the LAN peer at its NAT address 192.168.122.1$g"; info "g${g}_reachable_after_create_s" "$(since "$t")"
  else fail "g$g answers the LAN peer at its NAT address" "no answer in 240 s"; fi
done
D1=$(dom g1); D2=$(dom g2)
sleep 1; for g in 1 2; do eval "B$g=\"\$(tick g$g)\""; done
info "g1 tick before: $B1"
check "vif$D1.0 and vif$D2.0 are ports of virbr0" test "$(master vif$D1.0) $(master vif$D2.0)" = "virbr0 virbr0"

# detect / mac on the real dom0
$W detect --json > /tmp/detect.json 2>/tmp/detect.err
check "detect --json on the real dom0: xl, ifupdown, eno1 default, g1+g2 on virbr0" node -e '
const d = JSON.parse(require("fs").readFileSync("/tmp/detect.json", "utf8"));
const ok = d.profile === "xl" && d.backend === "ifupdown" && d.defaultRouteNic === "eno1"
  && ["g1", "g2"].every((n) => d.guests.some((g) => g.name === n && JSON.stringify(g).includes("virbr0")));
if (!ok) { console.log(JSON.stringify({ p: d.profile, b: d.backend, r: d.defaultRouteNic, g: d.guests.map((g) => g.name) })); process.exit(1); }'

# libxl's stored configs of the running guests (what xl reboot and xl save rebuild them from), and
# xl's own copy of g1's cfg: `xl config-update` stores it as userdata "xl", which xl's reboot handler
# prefers to the JSON (see src/live/libxlConfig.ts), so the plan must edit it too.
check "xl config-update g1 (userdata \"xl\", what its reboot reads first)" xl config-update g1 /etc/xen/g1.cfg
libxlsha() { sha256sum /var/lib/xen/userdata-d.$D1.*.libxl-json /var/lib/xen/userdata-d.$D1.*.xl /var/lib/xen/userdata-d.$D2.*.libxl-json; }
libxlsha > /tmp/libxl.before
libxldump before
check "libxl's stored configs of g1, g2 name virbr0 (g1=$(libxlbridge $D1) g2=$(libxlbridge $D2))" test "$(libxlbridge $D1) $(libxlbridge $D2) $(wc -l </tmp/libxl.before)" = "virbr0 virbr0 3"

# The move, probed from the LAN peer every 10 ms at both of each guest's addresses.
inlan fping -l -p 10 -t 100 -D 192.168.122.11 192.168.1.11 192.168.122.12 192.168.1.12 > /tmp/fping.out 2>/dev/null &
FP=$!
sleep 1.5
echo '{"recipe":"single-bridge"}' > /tmp/answers.json
ta=$(date +%s.%N)
$W apply --root / --answers /tmp/answers.json --yes --no-color > /tmp/apply.out 2>&1
rc=$?
tb=$(date +%s.%N)
sleep 2
kill $FP; wait $FP 2>/dev/null
info apply_wall_s "$(awk -v a="$ta" -v b="$tb" 'BEGIN { printf "%.2f", b - a }')"
if [ $rc = 0 ]; then pass "apply --yes single-bridge exits 0"; else fail "apply exits 0" "rc=$rc $(tail -c 600 /tmp/apply.out | tr '\n' ' ')"; fi
for g in 1 2; do
  node /lab/outage.mjs /tmp/fping.out "$ta" 192.168.122.1$g 192.168.1.1$g > /tmp/outage.$g
  info "g${g}_outage $(cat /tmp/outage.$g)"
done
check "eno1 and both vifs are ports of xenbr0, xenbr0 has 192.168.1.3" bash -c "
  [ \$(basename \$(readlink /sys/class/net/eno1/master)) = xenbr0 ] &&
  [ \$(basename \$(readlink /sys/class/net/vif$D1.0/master)) = xenbr0 ] &&
  [ \$(basename \$(readlink /sys/class/net/vif$D2.0/master)) = xenbr0 ] &&
  ip -4 addr show dev xenbr0 | grep -q 192.168.1.3/24 && ip route | grep -q 'default via 192.168.1.254 dev xenbr0'"
check "guests kept their domids ($D1, $D2)" test "$(dom g1) $(dom g2)" = "$D1 $D2"
for g in 1 2; do
  check "g$g answers the LAN peer at its LAN address 192.168.1.1$g (on xenbr0)" reach 192.168.1.1$g
  sleep 1; A=$(tick g$g)
  eval "BB=\$B$g"
  check "g$g not restarted: same boot id, uptime went on ($(field "$BB" uptime) s → $(field "$A" uptime) s)" \
    awk -v a="$(field "$BB" uptime)" -v b="$(field "$A" uptime)" -v i1="$(field "$BB" boot_id)" -v i2="$(field "$A" boot_id)" \
    'BEGIN { exit !(i1 == i2 && i1 != "" && b > a) }'
done
for d in $D1 $D2; do
  be=$(xl network-list "$d" 2>/dev/null | awk 'NR == 2 {print $NF}')
  v=$(xenstore-read "$be/bridge" 2>&1)
  check "xl network-list's backend of dom $d ($be): xenstore bridge = $v, want xenbr0" test "$v" = xenbr0
done
libxldump after-apply
check "libxl's stored configs of g1, g2 name xenbr0 (g1=$(libxlbridge $D1) g2=$(libxlbridge $D2))" test "$(libxlbridge $D1) $(libxlbridge $D2)" = "xenbr0 xenbr0"
check "xl's userdata of g1 (xl config-update) names xenbr0" grep -q "bridge=xenbr0" /var/lib/xen/userdata-d.$D1.*.xl
check "interfaces: eno1 manual, xenbr0 static 192.168.1.3 with bridge_ports eno1 (ifquery)" bash -c '
  q=$(ifquery xenbr0 2>&1); echo "$q"; cat /etc/network/interfaces
  grep -q "^iface eno1 inet manual" /etc/network/interfaces && grep -q "bridge[-_]ports: eno1" <<<"$q" && grep -q "address: 192.168.1.3" <<<"$q"'
check "xl.conf: vif.default.bridge=\"xenbr0\"" grep -q '^vif.default.bridge="xenbr0"' /etc/xen/xl.conf
check "guest cfgs: bridge=xenbr0" bash -c 'grep -q "bridge=xenbr0" /etc/xen/g1.cfg && grep -q "bridge=xenbr0" /etc/xen/g2.cfg'

# LAB_QUICK=1 (lab_quick=1 on dom0's command line): straight to the lifecycle on xenbr0 and boot 2.
# The guest lifecycle (issue 12 part 1): one round on xenbr0 after the last apply (g1 `xl reboot`
# through xl's userdata, g2 `xl save` + `xl restore` through libxl's JSON) always runs; the round
# on virbr0 after rollback and the second one on xenbr0 (guest-initiated reboot, shutdown + create)
# only with LAB_LIFECYCLE=1 (`npm run lab:lifecycle`, lab_lifecycle=1): each round costs minutes
# of TCG (test/lab/README.md, "Boots of the xen VM").
lifecycle_on() { grep -qw lab_lifecycle=1 /proc/cmdline; }
if grep -qw lab_quick=1 /proc/cmdline; then
  info step "quick: lifecycle after apply"
  lifecycle xenbr0 "xl reboot" "save/restore"
  libxldump after-lifecycle
  for f in apply; do sed "s/^/LAB-LOG $f: /" /tmp/$f.out | tail -40; done
  mkdir -p /etc/xen/auto && ln -sf ../g1.cfg /etc/xen/auto/g1.cfg && ln -sf ../g2.cfg /etc/xen/auto/g2.cfg
  info dom0_proof_s "$(since "$T0")"
  exit 0
fi

# A guest created afterwards with a MAC from `mac`: no bridge= in its cfg, so xl.conf's default.
MAC=$($W mac -n 1 2>/dev/null | grep -Eo '00:16:3e(:[0-9a-f]{2}){3}' | head -1)
check "mac -n 1 gives a 00:16:3e MAC unlike the guests' ($MAC)" bash -c "[ -n '$MAC' ] && ! grep -qi '$MAC' /etc/xen/g1.cfg /etc/xen/g2.cfg"
cat > /etc/xen/g3.cfg <<CFG
name = 'g3'
type = 'pv'
kernel = '/lab/guest/vmlinuz'
ramdisk = '/lab/guest/initrd.gz'
extra = 'console=hvc0 quiet lab_l=192.168.1.13'
memory = 160
vif = [ 'mac=$MAC' ]
CFG
t=$(now)
xl_create /etc/xen/g3.cfg
check "xl create g3 after apply" xl domid g3
D3=$(dom g3)
check "g3's vif$D3.0 lands on xenbr0 (xl.conf default)" bash -c "[ \$(basename \$(readlink /sys/class/net/vif$D3.0/master)) = xenbr0 ]"
if [ -z "$D3" ]; then fail "g3 answers on the LAN" "g3 was not created"
elif wait_for 180 reach 192.168.1.13; then
  info g3_reachable_after_create_s "$(since "$t")"
  sleep 1; m=$(field "$(tick g3)" mac)
  check "g3's eth0 has exactly the generated MAC $MAC (guest says $m)" test "$m" = "$MAC"
else fail "g3 answers on the LAN" "no answer in 180 s"; fi
for g in g1 g2 g3; do sed "s/^/LAB-LOG console $g: /" /var/log/xen/console/guest-$g.log 2>/dev/null | tr -d "\r" | grep -v LAB-TICK | tail -15; done
info step "destroy g3"
timeout 60 xl destroy g3 >/dev/null 2>&1; rm -f /etc/xen/g3.cfg
info step rollback

$W rollback --root / --no-color > /tmp/rollback.out 2>&1
rc=$?
if [ $rc = 0 ]; then pass "rollback exits 0"; else fail "rollback exits 0" "rc=$rc $(tail -c 600 /tmp/rollback.out | tr '\n' ' ')"; fi
check "after rollback: no xenbr0, eno1 has 192.168.1.3 and the default route, vifs on virbr0" bash -c "
  ! ip link show xenbr0 >/dev/null 2>&1 && ip -4 addr show dev eno1 | grep -q 192.168.1.3/24 &&
  ip route | grep -q 'default via 192.168.1.254 dev eno1' &&
  [ \$(basename \$(readlink /sys/class/net/vif$D1.0/master)) = virbr0 ] &&
  [ \$(basename \$(readlink /sys/class/net/vif$D2.0/master)) = virbr0 ]"
check "after rollback: interfaces, xl.conf and guest cfgs byte-identical" bash -c 'sha256sum /etc/network/interfaces /etc/xen/xl.conf /etc/xen/g1.cfg /etc/xen/g2.cfg | diff /var/lib/lab/sha.before -'
for d in $D1 $D2; do
  be=$(xl network-list "$d" 2>/dev/null | awk 'NR == 2 {print $NF}')
  v=$(xenstore-read "$be/bridge" 2>&1)
  check "after rollback: xenstore bridge of dom $d = $v, want virbr0" test "$v" = virbr0
done
libxl_unchanged() { libxlsha | diff /tmp/libxl.before -; }
check "after rollback: libxl's stored configs of g1, g2 and g1's xl userdata byte-identical (sha256)" libxl_unchanged
for g in 1 2; do
  # virbr0 runs STP (as libvirt's does): a port put back takes a moment to forward again.
  check "after rollback: g$g answers the LAN peer at its NAT address again (within 10 s)" wait_for 10 reach 192.168.122.1$g
  A=$(tick g$g); eval "BB=\$B$g"; eval "DD=\$D$g"
  # A tick from the log alone could be the last one of a guest that died since: the domain must
  # still be there under its domid, with the same boot id and an uptime that went on.
  check "after rollback: g$g still dom $DD, same boot id, uptime went on ($(field "$A" uptime) s)" \
    awk -v d="$(dom g$g)" -v dd="$DD" -v a="$(field "$BB" uptime)" -v b="$(field "$A" uptime)" -v i1="$(field "$BB" boot_id)" -v i2="$(field "$A" boot_id)" \
    'BEGIN { exit !(d == dd && i1 == i2 && i1 != "" && b > a) }'
done
for f in apply rollback; do sed "s/^/LAB-LOG $f: /" /tmp/$f.out | tail -40; done

# Guest lifecycle (issue 12 part 1): the guests are rebuilt from libxl's stored config (and xl's
# userdata), not from /etc/xen/*.cfg: after rollback they must come back on virbr0, after apply on
# xenbr0.
info step "lifecycle after rollback"
lifecycle_on && lifecycle virbr0 "xl reboot" "save/restore"
# g1's reboot after the next apply goes through xl's userdata again (the reboot above unlinked it).
check "xl config-update g1 again" xl config-update g1 /etc/xen/g1.cfg
echo '{"recipe":"single-bridge"}' > /tmp/answers.json
$W apply --root / --answers /tmp/answers.json --yes --no-color > /tmp/apply2.out 2>&1
rc=$?
if [ $rc = 0 ]; then pass "apply again (for the boots that follow) exits 0"; else fail "apply again exits 0" "rc=$rc $(tail -c 600 /tmp/apply2.out | tr '\n' ' ')"; fi
info step "lifecycle after apply"
lifecycle xenbr0 "xl reboot" "save/restore"
lifecycle_on && lifecycle xenbr0 "guest-initiated reboot" "shutdown + create"
sed "s/^/LAB-LOG apply2: /" /tmp/apply2.out | tail -40

# The guests start at boot (xendomains); boot 2 proves the persisted files alone.
mkdir -p /etc/xen/auto && ln -sf ../g1.cfg /etc/xen/auto/g1.cfg && ln -sf ../g2.cfg /etc/xen/auto/g2.cfg
info dom0_proof_s "$(since "$T0")"
info step "power off (boot 2 next)"
exit 0
