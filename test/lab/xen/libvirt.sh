#!/bin/bash
# A libvirt-managed Xen guest moved by single-bridge (runs as /lab/run.sh in the libvirt variant of
# the xen VM: test/lab/run-libvirt.mjs). Debian's libvirtd 9.0 with its libxl driver runs in dom0;
# its own `default` network (virbr0, dnsmasq, its iptables chains) is the NAT network the guest
# leaves. The guest is defined and started through libvirt (<interface type='network'>).
# Prints LAB-PASS/LAB-FAIL/LAB-INFO lines on the console for the host to parse.
set -u
export PATH=/lab/bin:$PATH LANG=C.UTF-8 LIBVIRT_DEFAULT_URI=xen:///system
W="timeout 900 node /lab/app/bin/xen-net-wizard.js"
# Each result carries the seconds since the script started, so a slow run shows where it waited.
pass() { echo "LAB-PASS $1 [+$(since "$T0") s]"; }
fail() { echo "LAB-FAIL $1 [+$(since "$T0") s]: ${2:-}"; }
# (Its output file is per shell: detect's check runs in the background beside others.)
check() { local name=$1 out=/tmp/check.$BASHPID.out; shift; if "$@" >"$out" 2>&1; then pass "$name"; else fail "$name" "$(tail -c 300 "$out" | tr '\n' ' ')"; fi; }
info() { echo "LAB-INFO $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
inlan() { ip netns exec lan "$@"; }
reach() { inlan ping -c 1 -W 1 "$1"; }
wait_for() { # seconds command...
  local t=$1; shift; local end=$(( $(date +%s) + t ))
  while ! "$@" >/dev/null 2>&1; do [ "$(date +%s)" -ge "$end" ] && return 1; sleep 0.5; done
}
master() { basename "$(readlink "/sys/class/net/$1/master" 2>/dev/null)" 2>/dev/null; }
# What libvirt, libxl's hotplug and the guest said, as LAB-LOG lines (shown when a check failed).
diag() {
  { echo "== $1"; xl list; virsh list --all; virsh domiflist lg1; ip -br link show type bridge; ip -br link | grep vif
    for v in /sys/class/net/vif*; do [ -e "$v" ] && echo "$(basename "$v") master $(master "$(basename "$v")")"; done
    tail -n 15 /var/log/xen/xen-hotplug.log; tail -n 15 /var/log/libvirt/libxl/lg1.log; tail -n 15 /var/log/libvirt/libxl/libxl-driver.log
    grep -a -v LAB-TICK /var/log/xen/console/guest-lg1.log | tail -n 10
    grep -E 'error' /var/log/libvirt/libvirtd.log | tail -n 8; } 2>&1 | tr -d '\r' | sed 's/^/LAB-LOG /'
}
tick() { grep -a 'LAB-TICK' /var/log/xen/console/guest-lg1.log 2>/dev/null | tail -1 | tr -d '\r' | awk '{print $2, $3}'; }
T0=$(now)

modprobe -a bridge veth xen-netback iptable_nat nf_nat iptable_filter iptable_mangle 2>/dev/null
# LAN peer (the gateway) behind dom0's NIC eno1, as in proof.sh.
ip netns add lan
ip link add eno1 type veth peer name lan0
ip link set lan0 netns lan
inlan ip link set lo up
inlan ip addr add 192.168.1.254/24 dev lan0
inlan ip link set lan0 up
ip addr add 192.168.1.3/24 dev eno1
ip link set eno1 up
ip route add default via 192.168.1.254 dev eno1
cat > /etc/network/interfaces <<'IF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug eno1
iface eno1 inet static
	address 192.168.1.3/24
	gateway 192.168.1.254
IF
mkdir -p /var/log/xen/console /var/log/libvirt /var/lib/libvirt /var/cache/libvirt
t=$(now); /etc/init.d/xen start >/dev/null 2>&1; info xen_start_s "$(since "$t")"
info "hw_caps $(xl info | awk '/^hw_caps/ {print $3}') ($(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"

# libvirtd (monolithic, as Debian 12 ships it), started by Debian's init script
# (libvirt-daemon-system-sysv: this dom0 has no systemd), which is what the wizard finds and uses
# to restart it; its libxl driver's log kept for the report. The users and groups
# libvirt-daemon-system's postinst would add (its QEMU driver, loaded too, refuses to start
# without libvirt-qemu, and then the whole daemon stops).
echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin' >> /etc/passwd
echo 'libvirt-dnsmasq:x:64056:64056:Libvirt Dnsmasq,,,:/var/lib/libvirt/dnsmasq:/usr/sbin/nologin' >> /etc/passwd
printf '%s\n' libvirt-qemu:x:64055: libvirt-dnsmasq:x:64056: kvm:x:64057: libvirt:x:64058: >> /etc/group
t=$(now)
cat > /etc/default/libvirtd <<'DEF'
export LIBVIRT_LOG_OUTPUTS="1:file:/var/log/libvirt/libvirtd.log" LIBVIRT_LOG_FILTERS="1:libxl 3:*"
DEF
/etc/init.d/libvirtd start >/dev/null
virsh_up() { wait_for "${1:-180}" timeout 20 virsh -q version; }
virsh_up 120
if ! timeout 20 virsh version >/tmp/version.out 2>&1; then
  fail "libvirtd with its Xen driver answers" "$(grep -E 'error' /var/log/libvirt/libvirtd.log | tail -5 | tr '\n' ' ')"
  echo "LAB-DOM0: libvirt proof ended early"; exit 0
fi
pass "libvirtd's libxl driver answers ($(awk -F': ' '/Running hypervisor/ {print $2}' /tmp/version.out), libvirt $(awk '/Using library/ {print $NF}' /tmp/version.out))"
info libvirtd_start_s "$(since "$t")"
info "libvirt host CPU: $(virsh capabilities | grep -m1 -o '<model>[^<]*</model>')"
# libvirt-daemon-config-network defines `default` and links it for autostart; what libvirtd made
# of it is shown, and whatever is missing is done the way an administrator would.
info "default network as libvirtd started: $(virsh net-list --all | awk '$1 == "default"' | tr -s ' ')"
virsh net-info default >/dev/null 2>&1 || virsh net-define /usr/share/libvirt/networks/default.xml >/dev/null
virsh net-info default | grep -Eq '^Autostart: +yes' || virsh net-autostart default >/dev/null
if ! virsh net-info default | grep -Eq '^Active: +yes' && ! virsh net-start default >/tmp/netstart.out 2>&1; then
  sed 's/^/LAB-LOG net-start: /' /tmp/netstart.out
  grep -E 'error' /var/log/libvirt/libvirtd.log | tail -8 | sed 's/^/LAB-LOG libvirtd: /'
fi
check "libvirt's default network runs and is autostarted, virbr0 has 192.168.122.1" wait_for 30 bash -c '
  virsh net-info default | grep -Eq "^Active: +yes" && virsh net-info default | grep -Eq "^Autostart: +yes" &&
  ip -4 addr show dev virbr0 | grep -q 192.168.122.1/24'

# The guest: PV, defined and started through libvirt on network='default'.
cat > /tmp/lg1.xml <<'XML'
<domain type='xen'>
  <name>lg1</name>
  <memory unit='MiB'>160</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>
    <kernel>/lab/guest/vmlinuz</kernel>
    <initrd>/lab/guest/initrd.gz</initrd>
    <cmdline>console=hvc0 quiet lab_a=192.168.122.21 lab_l=192.168.1.21</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <interface type='network'>
      <mac address='00:16:3e:1a:b0:21'/>
      <source network='default'/>
    </interface>
    <console type='pty'/>
  </devices>
</domain>
XML
check "virsh define lg1 (interface type='network', source network='default'), autostarted" bash -c 'virsh define /tmp/lg1.xml && virsh autostart lg1'
cp -a /etc/libvirt/libxl/lg1.xml /tmp/lg1.persistent.before
t=$(now)
check "virsh start lg1" timeout 600 virsh start lg1
info lg1_virsh_start_s "$(since "$t")"
D=$(xl domid lg1 2>/dev/null)
# detect needs lg1 running, not booted: it runs while the guest boots (Node under TCG: a bare
# `node -e 0` took 13 s, detect 71 s), and its check is judged when both are done.
detect_check() {
  local t0; t0=$(now)
  $W detect --json > /tmp/detect.json 2>/tmp/detect.err
  info detect_wall_s "$(since "$t0")"
  check "detect --json: lg1 (libvirt) on virbr0, default network active" node -e '
const d = JSON.parse(require("fs").readFileSync("/tmp/detect.json", "utf8"));
const g = d.guests.find((x) => x.name === "lg1");
if (!g || !JSON.stringify(g).includes("virbr0") && !JSON.stringify(g).includes("default")) { console.log(JSON.stringify(d.guests)); process.exit(1); }'
}
detect_check & DETECT=$!
check "lg1's vif$D.0 is a port of virbr0 (libvirt's network)" wait_for 120 eval '[ "$(master "vif$D.0")" = virbr0 ]'
if wait_for 240 ping -c 1 -W 1 192.168.122.21; then pass "lg1 answers dom0 at its NAT address 192.168.122.21"; info lg1_reachable_after_start_s "$(since "$t")"
else fail "lg1 answers dom0 at its NAT address" "no answer in 240 s"; diag "lg1 silent after start"; fi
wait $DETECT
sleep 1; B=$(tick)

echo '{"recipe":"single-bridge"}' > /tmp/answers.json
# The LAN peer pings lg1's LAN address every 0.5 s (-D: timestamps) while apply runs: the largest gap
# between replies once it answers shows whether lg1 kept answering through libvirtd's restart.
maxgap() { awk -F'[][]' '/bytes from/ { t = $2; if (p) { g = t - p; if (g > m) m = g }; p = t } END { printf "%.1f", m + 0 }' "$1"; }
lvpid() { cat /run/libvirtd.pid 2>/dev/null; }
# libvirt's status file of lg1 (what libvirtd reads back when it starts): its <domstatus> and
# <domain> lines and the interface, for the README.
status_info() { info "$1: /run/libvirt/libxl/lg1.xml: $(grep -m2 -E '<domstatus|<domain ' /run/libvirt/libxl/lg1.xml | tr -s ' \n' ' ') $(sed -n '/<interface/,/<\/interface>/p' /run/libvirt/libxl/lg1.xml | tr -s ' \n' ' ')"; }
# One apply of single-bridge with lg1 running: moved live, libvirt's status file of it edited and
# libvirtd restarted (src/live/libvirtStatus.ts), so libvirt's live XML follows. $1: the round.
apply_round() {
  local round=$1 p0 rc t
  B=$(tick); p0=$(lvpid); status_info "$round: before apply"
  inlan ping -D -i 0.5 -W 1 192.168.1.21 > /tmp/ping.$round 2>&1 & local PING=$!
  t=$(now)
  $W apply --root / --answers /tmp/answers.json --yes --no-color > /tmp/apply$round.out 2>&1
  rc=$?
  info "apply$round"_wall_s "$(since "$t")"
  if [ $rc = 0 ]; then pass "$round: apply --yes single-bridge exits 0"; else fail "$round: apply exits 0" "rc=$rc $(tail -c 600 /tmp/apply$round.out | tr '\n' ' ')"; fi
  sleep 2; kill $PING 2>/dev/null; wait $PING 2>/dev/null
  check "$round: libvirtd was restarted by apply (pid $p0 → $(lvpid)) and answers again" bash -c "[ -n '$p0' ] && [ \"\$(cat /run/libvirtd.pid)\" != '$p0' ]"
  virsh_up || fail "$round: libvirtd answers after apply's restart" "virsh version failed for 180 s"
  check "$round: lg1 kept its domid $D and was not restarted" bash -c "[ \"\$(xl domid lg1)\" = '$D' ] && sleep 1 && b='$B' && a=\"\$(grep -a LAB-TICK /var/log/xen/console/guest-lg1.log | tail -1 | tr -d '\r' | awk '{print \$2, \$3}')\" && [ \"\${a%% *}\" = \"\${b%% *}\" ] && awk -v a=\"\${a#* }\" -v b=\"\${b#* }\" 'BEGIN { exit !(a > b) }'"
  check "$round: lg1's running interface follows: vif$D.0 is a port of xenbr0" test "$(master "vif$D.0")" = xenbr0
  check "$round: lg1 answers the LAN peer at its LAN address 192.168.1.21" wait_for 10 reach 192.168.1.21
  local gap; gap=$(maxgap /tmp/ping.$round)
  info "$round: LAN peer → lg1 during apply: $(grep -c 'bytes from' /tmp/ping.$round) replies, largest gap ${gap} s"
  check "$round: lg1 kept answering through libvirtd's restart (largest gap between replies ${gap} s < 5 s)" awk -v g="$gap" 'BEGIN { exit !(g > 0 && g < 5) }'
  status_info "$round: after apply"
  virsh dumpxml --inactive lg1 > /tmp/lg1.inactive.xml
  virsh dumpxml lg1 > /tmp/lg1.live.xml
  info "$round: libvirt's live XML of lg1 after apply: $(grep -A3 '<interface' /tmp/lg1.live.xml | tr -s ' \n' ' ')"
  info "$round: virsh domiflist lg1 after apply: $(virsh -q domiflist lg1 | tr -s ' \n' ' ')"
  check "$round: libvirt's persistent definition: <interface type='bridge'> with <source bridge='xenbr0'/>" bash -c "
    grep -q \"<interface type='bridge'>\" /tmp/lg1.inactive.xml && grep -q \"<source bridge='xenbr0'/>\" /tmp/lg1.inactive.xml && ! grep -q \"network='default'\" /tmp/lg1.inactive.xml"
  check "$round: libvirt's live XML of the running lg1 follows (virsh dumpxml): <interface type='bridge'>, <source bridge='xenbr0'/>, target vif$D.0" bash -c "
    grep -q \"<interface type='bridge'>\" /tmp/lg1.live.xml && grep -q \"<source bridge='xenbr0'/>\" /tmp/lg1.live.xml && grep -q \"<target dev='vif$D.0'/>\" /tmp/lg1.live.xml && ! grep -q \"network='default'\" /tmp/lg1.live.xml"
  check "$round: apply said so (note.libvirtStatus)" bash -c "tr '\n' ' ' < /tmp/apply$round.out | tr -s ' ' | grep -q 'record of each running guest'"
  # (One virsh for both answers: each virsh process costs seconds under TCG.)
  virsh 'dominfo lg1; net-info default' > /tmp/state.out 2>&1
  check "$round: the rest of libvirt's state survived the restart: lg1 running and autostarted, default defined, stopped and not autostarted" bash -c '
    grep -Eq "^State: +running" /tmp/state.out && grep -Eq "^Autostart: +enable" /tmp/state.out && grep -Eq "^Persistent: +yes" /tmp/state.out &&
    grep -Eq "^Active: +no" /tmp/state.out && grep -Eq "^Autostart: +no" /tmp/state.out'
}
# One rollback; libvirtd is restarted by it as well. $1: the round.
rollback_round() {
  local round=$1 p0 rc t
  p0=$(lvpid); t=$(now)
  $W rollback --root / --no-color > /tmp/rollback$round.out 2>&1
  rc=$?
  info "rollback$round"_wall_s "$(since "$t")"
  if [ $rc = 0 ]; then pass "$round: rollback exits 0"; else fail "$round: rollback exits 0" "rc=$rc $(tail -c 600 /tmp/rollback$round.out | tr '\n' ' ')"; fi
  check "$round: rollback restarted libvirtd (pid $p0 → $(lvpid))" bash -c "[ \"\$(cat /run/libvirtd.pid)\" != '$p0' ]"
  virsh_up || fail "$round: libvirtd answers after rollback's restart" "virsh version failed for 180 s"
  virsh 'net-info default; dominfo lg1' > /tmp/state.out 2>&1
  check "$round: after rollback: libvirt's default network runs and is autostarted again, lg1 still autostarted" bash -c '
    grep -Eq "^Active: +yes" /tmp/state.out && [ "$(grep -Ec "^Autostart: +(yes|enable)" /tmp/state.out)" = 2 ]'
  virsh dumpxml --inactive lg1 > /tmp/lg1.inactive.xml
  check "$round: after rollback: the persistent definition is on network='default' again" bash -c "
    grep -q \"<interface type='network'>\" /tmp/lg1.inactive.xml && grep -q \"network='default'\" /tmp/lg1.inactive.xml && ! grep -q xenbr0 /tmp/lg1.inactive.xml"
  status_info "$round: after rollback"
  virsh dumpxml lg1 > /tmp/lg1.live.xml
  info "$round: after rollback: libvirt's live XML of lg1: $(grep -A3 '<interface' /tmp/lg1.live.xml | tr -s ' \n' ' ')"
}

# Round 1: apply, then rollback with lg1 running all along: libvirt's status file is put back.
apply_round 1
t=$(now)
rollback_round 1
check "1: after rollback: lg1 still domid $D, vif$D.0 a port of virbr0 again" bash -c "[ \"\$(xl domid lg1)\" = '$D' ] && [ \"\$(basename \"\$(readlink /sys/class/net/vif$D.0/master)\")\" = virbr0 ]"
check "1: after rollback: libvirt's live XML of lg1 names network='default' on virbr0 again" bash -c "
  grep -q \"<interface type='network'>\" /tmp/lg1.live.xml && grep -q \"network='default'\" /tmp/lg1.live.xml && grep -q \"bridge='virbr0'\" /tmp/lg1.live.xml"
check "1: after rollback: lg1 answers dom0 at its NAT address 192.168.122.21" wait_for 30 ping -c 1 -W 1 192.168.122.21
info round1_rollback_to_nat_s "$(since "$t")"

# Round 2: apply, then lg1 restarted through libvirt on xenbr0, then rollback.
apply_round 2
# Does libvirt's libxl driver offer a way of its own to move a running interface? Its answer is
# shown, for the README (it refused in every run so far: the status file edit above is the way).
printf "<interface type='bridge'><mac address='00:16:3e:1a:b0:21'/><source bridge='xenbr0'/></interface>\n" > /tmp/iface.xml
info "virsh update-device lg1 --live (interface to xenbr0): $(timeout 60 virsh update-device lg1 /tmp/iface.xml --live 2>&1 | tr -s '\n' ' ')"
t=$(now)
virsh shutdown lg1 >/tmp/check.out 2>&1
if wait_for 120 bash -c '! xl domid lg1'; then pass "virsh shutdown lg1: the guest powered off"; info lg1_shutdown_s "$(since "$t")"
else fail "virsh shutdown lg1 powers the guest off" "still running after 120 s"; virsh destroy lg1 >/dev/null 2>&1; fi
t=$(now)
check "virsh start lg1 after the move" timeout 600 virsh start lg1
D2=$(xl domid lg1 2>/dev/null)
info lg1_virsh_start_after_move_s "$(since "$t")"
check "restarted lg1's vif$D2.0 is a port of xenbr0" wait_for 120 eval '[ "$(master "vif$D2.0")" = xenbr0 ]'
virsh dumpxml lg1 > /tmp/lg1.live.xml
check "restarted lg1: libvirt's live XML names xenbr0 like its definition (both views agree)" bash -c "
  grep -q \"<source bridge='xenbr0'/>\" /tmp/lg1.live.xml && ! grep -q \"network='default'\" /tmp/lg1.live.xml"
if wait_for 240 reach 192.168.1.21; then pass "restarted lg1 answers the LAN peer at 192.168.1.21"; info lg1_reachable_after_restart_s "$(since "$t")"
else fail "restarted lg1 answers the LAN peer" "no answer in 240 s"; diag "lg1 silent after restart"; fi
rollback_round 2
# lg1 was restarted since apply (domid $D2): its status file is the new domain's, which rollback
# must not overwrite with the old domain's record (src/exec/rollback.ts, rollback.restarted).
check "2: rollback left the status file of the restarted lg1 (domid $D2) alone and said so" bash -c "
  tr '\n' ' ' < /tmp/rollback2.out | tr -s ' ' | grep -q 'lg1.xml now records a later start of its guest'"
check "2: after rollback: libvirt's live XML of the restarted lg1 still names xenbr0 (what it was started on), domid $D2" bash -c "
  grep -q \"<source bridge='xenbr0'/>\" /tmp/lg1.live.xml && grep -q \"id='$D2'\" /tmp/lg1.live.xml"
info "2: after rollback: restarted lg1's vif$D2.0 has master '$(master "vif$D2.0")' (xenbr0 exists: $(ip link show xenbr0 >/dev/null 2>&1 && echo yes || echo no))"
# The restored persistent definition, through libvirt once more: back on the default network.
t=$(now)
virsh shutdown lg1 >/dev/null 2>&1
wait_for 120 bash -c '! xl domid lg1' || virsh destroy lg1 >/dev/null 2>&1
info lg1_shutdown_after_rollback_s "$(since "$t")"
t=$(now)
check "after rollback: virsh start lg1" timeout 600 virsh start lg1
info lg1_virsh_start_after_rollback_s "$(since "$t")"
D3=$(xl domid lg1 2>/dev/null)
check "after rollback and a restart: lg1's vif$D3.0 is a port of virbr0" wait_for 120 eval '[ "$(master "vif$D3.0")" = virbr0 ]'
if wait_for 240 ping -c 1 -W 1 192.168.122.21; then pass "after rollback and a restart: lg1 answers dom0 at its NAT address 192.168.122.21"; info lg1_reachable_after_rollback_restart_s "$(since "$t")"
else fail "after rollback and a restart: lg1 answers dom0 at its NAT address" "no answer in 240 s"; diag "lg1 silent after the last restart"; fi
virsh dumpxml lg1 > /tmp/lg1.live.xml
check "after rollback and a restart: libvirt's live XML of lg1 names network='default'" grep -q "network='default'" /tmp/lg1.live.xml
info dom0_libvirt_proof_s "$(since "$T0")"
for f in apply1 rollback1 apply2 rollback2; do sed "s/^/LAB-LOG $f: /" /tmp/$f.out | tail -30; done
grep -E 'error' /var/log/libvirt/libvirtd.log | tail -20 | sed 's/^/LAB-LOG libvirtd: /'
timeout 60 virsh destroy lg1 >/dev/null 2>&1
exit 0
