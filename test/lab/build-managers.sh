#!/bin/bash
# Builds (once) the manager lab's disks: a Debian 12 that boots systemd, one disk per network
# manager Debian packages, each with that manager alone and the admin's original config for it
# (test/lab/managers/original.sh). Everything comes from Debian packages through this machine's
# own apt sources: one mmdebstrap tree (systemd, ifupdown, netplan.io, network-manager), copied per
# manager and the other managers purged in it with dpkg (ifupdown-ng, which conflicts with ifupdown,
# is installed with dpkg from its downloaded package); the kernel and its modules are the main
# lab's ($1, build.sh's artifact directory). Cached in .cache/lab-managers/<key>/ (key = package
# versions + these scripts + the main key): a second run builds nothing. Prints the directory:
#   <manager>.img   ext4 root disk (mkfs.ext4 -d, no loop mount), one per manager
#   initrd.gz       busybox + virtio/ext4 modules; mounts /dev/vda and starts systemd
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
art=${1:?usage: build-managers.sh MAIN-ARTIFACT-DIR}
cache="${LAB_MANAGERS_CACHE:-$repo/.cache/lab-managers}"
mkdir -p "$cache"
log() { echo "lab managers build: $*" >&2; }
ver() { apt-cache policy "$1" | awk '/Candidate:/ {print $2}'; }
pkgs=(systemd systemd-sysv udev dbus iproute2 kmod procps iputils-ping bridge-utils ifupdown netplan.io network-manager xen-utils-common ifupdown-ng)
versions=$(for p in "${pkgs[@]}"; do echo "$p $(ver "$p")"; done)
key=$( { echo "$(basename "$art")"; echo "$versions"; cat "$0" "$here/managers/original.sh" "$here/managers/"*.service; } | sha256sum | cut -c1-16)
out="$cache/$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
log "building $out"
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
rm -rf "$out" && mkdir -p "$out/debs"
t0=$(date +%s)
kver=$(cat "$art/kver")

# ifupdown-ng conflicts with ifupdown: downloaded, installed into its own copy with dpkg. Xen's
# /etc/xen/xl.conf (what makes a root a dom0 to the wizard, no hypervisor needed offline) comes
# from xen-utils-common's package, unpacked, never installed.
(cd "$out/debs" && apt-get download -q -o APT::Sandbox::User=root "ifupdown-ng=$(ver ifupdown-ng)" "xen-utils-common=$(ver xen-utils-common)" >&2)
mkdir -p "$out/x" && dpkg -x "$out"/debs/xen-utils-common_*.deb "$out/x"

sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -q 'debian' "$f" && sources+=("$f")
done
base="$out/base"
log "mmdebstrap the systemd rootfs"
mmdebstrap --variant=minbase --quiet \
  --include="systemd,systemd-sysv,udev,dbus,iproute2,kmod,procps,iputils-ping,bridge-utils,ifupdown,netplan.io,network-manager" \
  --dpkgopt='path-exclude=/usr/share/{doc,man,locale}/*' \
  bookworm "$base" "${sources[@]}" >&2
cp -a "$art/modules/lib/modules" "$base/lib/"
mkdir -p "$base/etc/xen" "$base/lab"
cp "$out/x/etc/xen/xl.conf" "$base/etc/xen/xl.conf"
echo labhost > "$base/etc/hostname"
echo 'root:lab' | chroot "$base" chpasswd
# The lab's own units: the LAN peer at every boot (before any network manager), the boot script.
install -m 644 "$here/managers/lab.service" "$base/etc/systemd/system/lab.service"
install -m 644 "$here/managers/lab-hardware.service" "$base/etc/systemd/system/lab-hardware.service"
chroot "$base" systemctl enable lab.service lab-hardware.service >&2
# No login prompt on the console the host reads, no waiting for a network that may not come.
chroot "$base" systemctl mask serial-getty@ttyS0.service getty@tty1.service systemd-networkd-wait-online.service NetworkManager-wait-online.service ifupdown-wait-online.service >&2
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' > "$base/etc/fstab"

for m in ifupdown ifupdown-ng netplan networkd networkmanager; do
  root="$out/root-$m"
  rm -rf "$root" && cp -a "$base" "$root"
  case $m in
    ifupdown) purge=(network-manager netplan.io) ;;
    ifupdown-ng) purge=(network-manager netplan.io ifupdown) ;;
    netplan) purge=(network-manager ifupdown) ;;
    networkd) purge=(network-manager netplan.io ifupdown) ;;
    networkmanager) purge=(netplan.io ifupdown) ;;
  esac
  chroot "$root" dpkg --purge "${purge[@]}" >&2
  if [ "$m" = ifupdown-ng ]; then
    cp "$out"/debs/ifupdown-ng_*.deb "$root/tmp/ifupdown-ng.deb"
    chroot "$root" dpkg -i /tmp/ifupdown-ng.deb >&2
    rm -f "$root/tmp/ifupdown-ng.deb"
  fi
  bash "$here/managers/original.sh" "$root" "$m" >&2
  rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages
  mkfs.ext4 -q -F -L labroot -d "$root" "$out/$m.img" 1400M >&2
  rm -rf "$root"
done
rm -rf "$base"

# initramfs: busybox, the modules to mount the ext4 root on virtio, then systemd as PID 1.
ir="$out/initrd"
mkdir -p "$ir"/{bin,dev,proc,sys,newroot,mods}
cp "$art/busybox" "$ir/bin/busybox"
for a in sh mount umount insmod switch_root sleep mkdir echo cat; do ln -sf busybox "$ir/bin/$a"; done
modprobe -d "$art/modules" -S "$kver" --show-depends -a crc32c_generic virtio_blk virtio_pci ext4 \
  | awk '$1 == "insmod" {print $2}' | while read -r mod; do
    cp "$mod" "$ir/mods/" && echo "insmod /mods/$(basename "$mod")"
  done > "$ir/mods/load"
cat > "$ir/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
. /mods/load 2>/dev/null
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.2; done
mount -t ext4 -o rw /dev/vda /newroot || { echo "LAB-INITRD: cannot mount /dev/vda"; sleep 2; echo o > /proc/sysrq-trigger; }
umount /proc /sys; umount /dev 2>/dev/null
exec switch_root /newroot /lib/systemd/systemd
INIT
chmod +x "$ir/init"
(cd "$ir" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initrd.gz"
rm -rf "$ir" "$out/x" "$out/debs"
touch "$out/done"
log "built in $(( $(date +%s) - t0 )) s"
echo "$out"
