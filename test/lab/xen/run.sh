#!/bin/bash
# /lab/run.sh at every boot of the xen VM. dom0's disk (the run's overlay) keeps the boot count, so
# the same disks boot N times and boot N runs /lab/bootN.sh (boot1 = the proof, then the boots
# after it); with lab_cut=POINT on dom0's command line (the power-cut runs), boot 1 is cut.sh and
# boot 2 aftercut.sh.
n=$(( $(cat /var/lib/lab-boot-count 2>/dev/null || echo 0) + 1 ))
echo "$n" > /var/lib/lab-boot-count; sync
echo "LAB-INFO dom0 boot $n: init done at uptime $(awk '{print $1}' /proc/uptime) s"
cut=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lab_cut=//p')
if [ -n "$cut" ]; then script=/lab/cut.sh; [ "$n" = 2 ] && script=/lab/aftercut.sh; [ "$n" -gt 2 ] && script=none
else script=/lab/boot$n.sh; fi
[ -x "$script" ] || { echo "LAB-FAIL boot $n has a script: no $script"; exit 1; }
exec "$script" "$cut"
