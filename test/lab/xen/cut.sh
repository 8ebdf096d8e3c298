#!/bin/bash
# Power cut, boot 1 (issue 18 part 2): the admin's host (eno1 192.168.1.3 from ifupdown, g1 on
# virbr0 and in /etc/xen/auto, everything synced to disk), then `apply --live` stopped at the point
# $1 and the line "LAB-POWERCUT <point>", on which the host kills qemu: no shutdown, no sync.
#   before-change      before the first step (XNW_PAUSE_AT=0)
#   ip-batch           inside the one `ip -batch`: the first half of its commands ran (an `ip` shim)
#   before-first-file  the kernel moved, no file written yet (XNW_PAUSE_AT=<first file step>)
#   between-files      the first file written, the next not (XNW_PAUSE_AT=<first file step + 1>)
#   confirm            the commit-confirmed window (the journal says "confirming")
set -u
. /lab/lib.sh
point=$1
admin_host 1
check "xl create g1 on virbr0" xl_create /etc/xen/g1.cfg
mkdir -p /etc/xen/auto && ln -sf ../g1.cfg /etc/xen/auto/g1.cfg
sha > /var/lib/lab/sha.before; sync
echo '{"recipe":"single-bridge"}' > /var/lib/lab/answers.json
$W plan --root / --answers /var/lib/lab/answers.json --json > /tmp/plan.json 2>/tmp/plan.err
idx() { node -e 'const p = JSON.parse(require("fs").readFileSync("/tmp/plan.json", "utf8")); const s = p.steps ?? p.plan?.steps;
  console.log(process.argv[1] === "file" ? s.findIndex((x) => x.kind === "file") : s.map((x) => x.id).join(" "))' "$1"; }
info "powercut $point: plan steps $(idx ids 2>&1 | tr '\n' ' ')"
first=$(idx file)
env=()
case $point in
  before-change) env=(XNW_PAUSE_AT=0) ;;
  before-first-file) env=(XNW_PAUSE_AT=$first) ;;
  between-files) env=(XNW_PAUSE_AT=$((first + 1))) ;;
  ip-batch) mkdir -p /tmp/shim; cat > /tmp/shim/ip <<'SHIM'
#!/bin/bash
# The lab's `ip` for the power cut inside the batch: the first half of a batch runs, then it waits.
if [ "$*" = "-batch -" ]; then
  cat > /tmp/batch; n=$(grep -c . /tmp/batch)
  head -n $(( n / 2 )) /tmp/batch | /sbin/ip -batch -; echo "$(( n / 2 )) of $n" > /tmp/cut-now; sleep 3600
fi
exec /sbin/ip "$@"
SHIM
    chmod +x /tmp/shim/ip; env=(PATH=/tmp/shim:$PATH) ;;
esac
env "${env[@]}" $W apply --root / --answers /var/lib/lab/answers.json --yes --no-color > /tmp/apply.out 2>&1 &
reached() {
  case $point in
    ip-batch) [ -e /tmp/cut-now ] ;;
    confirm) grep -qs '"status": "confirming"' /var/lib/xen-net-wizard/runs/*/state.json ;;
    *) ls /var/lib/xen-net-wizard/runs/*/paused >/dev/null 2>&1 ;;
  esac
}
t=$(now)
if wait_for 600 reached; then
  info "powercut $point: reached $(since "$t") s after apply started $(cat /tmp/cut-now 2>/dev/null)"
  # The host kills qemu on this line: what is on disk now is what the next boot finds.
  echo "LAB-POWERCUT $point"
  sleep 600
fi
fail "powercut $point: the apply reached the point" "$(tail -c 400 /tmp/apply.out | tr '\n' ' ')"
exit 1
