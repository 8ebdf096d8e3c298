#!/bin/bash
# Builds (once) the lab's boot artifacts from Debian packages only, into .cache/lab/<key>/ where the
# key hashes the package versions and this script: a second run with the same versions rebuilds
# nothing. Prints the artifact directory on stdout.
#   xen-4.17        Xen's ELF multiboot image (zcat of xen-hypervisor-4.17-amd64's .gz)
#   vmlinuz         the Debian kernel, for dom0, for the guests and for the kernel VM
#   dom0.img        Debian 12 rootfs (mmdebstrap, the host's apt sources) + xen-utils at the
#                   hypervisor's version + the kernel's modules; ext4 made with mkfs.ext4 -d
#   dom0-initrd.gz  busybox + the modules needed to mount an ext4 root on virtio
#   modules/        the kernel's modules tree (for the guest and kernel-VM initramfs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache="${LAB_CACHE:-$repo/.cache/lab}"
mkdir -p "$cache"
log() { echo "lab build: $*" >&2; }

ver() { apt-cache policy "$1" | awk '/Candidate:/ {print $2}'; }
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
kver=${kpkg#linux-image-}
xenver=$(ver xen-hypervisor-4.17-amd64)
utilsver=$(ver xen-utils-4.17)
[ -n "$kpkg" ] && [ -n "$xenver" ] || { echo "lab build: packages not found in apt sources" >&2; exit 3; }
if [ "$xenver" != "$utilsver" ]; then
  echo "lab build: xen-utils-4.17 $utilsver does not match the hypervisor $xenver" >&2; exit 3
fi
key=$( { echo "$kpkg $(ver "$kpkg") xen $xenver busybox $(ver busybox-static)"; cat "$0" "$here/dom0-init"; } | sha256sum | cut -c1-16)
out="$cache/$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
log "building $out (kernel $kver, xen $xenver)"
# Older builds (other package versions or another version of this script) go.
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
rm -rf "$out" && mkdir -p "$out/debs"
t0=$(date +%s)

# busybox-static from its package too, not the host's /bin/busybox: on a shared host that may be
# Debian's dynamically linked busybox (the two packages replace each other), which cannot run alone
# in an initramfs.
(cd "$out/debs" && apt-get download -q -o APT::Sandbox::User=root "xen-hypervisor-4.17-amd64=$xenver" "$kpkg" "busybox-static=$(ver busybox-static)" >&2)
mkdir -p "$out/x/xen" "$out/x/kernel" "$out/x/busybox"
dpkg -x "$out"/debs/busybox-static_*.deb "$out/x/busybox"
cp "$out/x/busybox/bin/busybox" "$out/busybox"
dpkg -x "$out"/debs/xen-hypervisor-4.17-amd64_*.deb "$out/x/xen"
dpkg -x "$out"/debs/linux-image-*.deb "$out/x/kernel"
zcat "$out"/x/xen/boot/xen-4.17-amd64.gz > "$out/xen-4.17"
cp "$out/x/kernel/boot/vmlinuz-$kver" "$out/vmlinuz"
# Only the module trees a dom0, a PV guest and the network proofs need (the full tree is ~400 MB).
mkdir -p "$out/modules/lib/modules/$kver/kernel"
for d in net drivers/net drivers/xen drivers/block drivers/virtio fs crypto lib arch; do
  [ -d "$out/x/kernel/lib/modules/$kver/kernel/$d" ] || continue
  mkdir -p "$out/modules/lib/modules/$kver/kernel/$(dirname $d)"
  cp -a "$out/x/kernel/lib/modules/$kver/kernel/$d" "$out/modules/lib/modules/$kver/kernel/$d"
done
cp "$out/x/kernel/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$out/modules/lib/modules/$kver/"
depmod -b "$out/modules" "$kver"
echo "$kver" > "$out/kver"

# dom0 rootfs: the host's own apt sources (enabled files only), no mirror named here.
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -q 'debian' "$f" && sources+=("$f")
done
root="$out/rootfs"
log "mmdebstrap dom0 rootfs"
mmdebstrap --variant=minbase --quiet \
  --include="xen-utils-4.17=$xenver,xen-utils-common=$xenver,iproute2,bridge-utils,iptables,ifupdown,fping,busybox,kmod,procps,iputils-ping,xenstore-utils" \
  --dpkgopt='path-exclude=/usr/share/{doc,man,locale}/*' \
  bookworm "$root" "${sources[@]}" >&2
cp -a "$out/modules/lib/modules" "$root/lib/"
install -m 755 "$here/dom0-init" "$root/sbin/lab-init"
mkdir -p "$root/lab"
echo dom0 > "$root/etc/hostname"
# xenconsoled logs the guests' consoles (their ticks) under /var/log/xen/console; xendomains shuts
# the auto guests down on stop instead of saving them (the lab's boots start them afresh).
mkdir -p "$root/var/log/xen/console"
echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console"' >> "$root/etc/default/xen"
sed -i 's|^XENDOMAINS_SAVE=.*|XENDOMAINS_SAVE=|' "$root/etc/default/xendomains"
mkfs.ext4 -q -F -L labroot -d "$root" "$out/dom0.img" 1600M >&2
rm -rf "$root"

# Copy MODULES with their dependencies into INITRD/mods and write INITRD/mods/load, the insmod
# lines in dependency order (modprobe's own resolution, run against the unpacked kernel).
initrd_modules() {
  local dir=$1; shift
  modprobe -d "$out/modules" -S "$kver" --show-depends -a "$@" \
    | awk '$1 == "insmod" {print $2}' | while read -r m; do
      cp "$m" "$dir/mods/" && echo "insmod /mods/$(basename "$m")"
    done > "$dir/mods/load"
}

# dom0 initramfs: busybox, then insmod in dependency order (crc32c before ext4), mount, switch_root.
ir="$out/initrd-dom0"
mkdir -p "$ir"/{bin,dev,proc,sys,newroot,mods}
cp "$out/busybox" "$ir/bin/busybox"
for a in sh mount insmod switch_root sleep mkdir echo cat; do ln -sf busybox "$ir/bin/$a"; done
initrd_modules "$ir" crc32c_generic virtio_blk virtio_pci ext4
cat > "$ir/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
. /mods/load 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.2; done
mount -t ext4 /dev/vda /newroot || { echo "LAB-INITRD: cannot mount /dev/vda"; sleep 2; echo o > /proc/sysrq-trigger; }
exec switch_root /newroot /sbin/lab-init
INIT
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/dom0-initrd.gz"
# Guest initramfs (PV and PVH): busybox + xen-netfront. The kernel command line gives the addresses:
# lab_a= on libvirt's NAT subnet (replies from it routed back through its gateway, by a source
# rule) and lab_l= on the LAN. Every second the guest prints its boot id, uptime and MAC on its
# console, which xenconsoled logs in dom0: proof that it was not restarted, and of its MAC.
gi="$out/initrd-guest"
mkdir -p "$gi"/{bin,dev,proc,sys,mods}
cp "$out/busybox" "$gi/bin/busybox"
for a in sh mount insmod ip sleep cat echo cut sysctl; do ln -sf busybox "$gi/bin/$a"; done
initrd_modules "$gi" xen-netfront
# `xl shutdown` asks the guest's kernel, which runs /sbin/poweroff (orderly_poweroff, without
# force): with none, the guest ignored it and `xl shutdown -w` waited until its timeout (the
# lifecycle round "shutdown + create", 02:00 UTC; also why `xendomains stop` took minutes).
mkdir -p "$gi/sbin"
printf '#!/bin/sh\necho o > /proc/sysrq-trigger\n' > "$gi/sbin/poweroff"
chmod +x "$gi/sbin/poweroff"
cat > "$gi/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
. /mods/load 2>/dev/null
for w in $(cat /proc/cmdline); do case $w in lab_a=*) A=${w#lab_a=};; lab_l=*) L=${w#lab_l=};; esac; done
for i in 1 2 3 4 5 6 7 8 9 10; do [ -e /sys/class/net/eth0 ] && break; sleep 0.5; done
sysctl -qw net.ipv4.conf.all.rp_filter=0; sysctl -qw net.ipv4.conf.eth0.rp_filter=0
ip link set lo up; ip link set eth0 up
[ -n "$A" ] && ip addr add "$A/24" dev eth0 && ip route add default via "${A%.*}.1" table 100 && ip rule add from "$A" table 100
[ -n "$L" ] && ip addr add "$L/24" dev eth0
id=$(cat /proc/sys/kernel/random/boot_id)
while :; do echo "LAB-TICK $id $(cut -d' ' -f1 /proc/uptime) $(cat /sys/class/net/eth0/address)"; sleep 1; done
INIT
chmod +x "$gi/init"
(cd "$gi" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/guest-initrd.gz"
rm -rf "$gi"
rm -rf "$out/x" "$out/debs" "$ir"
touch "$out/done"
log "built in $(( $(date +%s) - t0 )) s"
echo "$out"
