#!/bin/bash
# Builds (once) the libvirt variant of the lab's dom0 disk: the same Debian 12 rootfs as build.sh's
# plus Debian's libvirt with its Xen (libxl) and network drivers, dnsmasq and virsh. Everything else
# (Xen, the kernel, the initramfs) is the main lab's, given as $1 (build.sh's artifact directory).
# Cached under its own key in .cache/lab-libvirt/<key>/ (package versions, this script, the main
# key), so the main lab image stays cached and a second run builds nothing. Prints the directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
art=${1:?usage: build-libvirt.sh MAIN-ARTIFACT-DIR}
cache="${LAB_LIBVIRT_CACHE:-$repo/.cache/lab-libvirt}"
mkdir -p "$cache"
log() { echo "lab libvirt build: $*" >&2; }
ver() { apt-cache policy "$1" | awk '/Candidate:/ {print $2}'; }
xenver=$(ver xen-utils-4.17)
lvver=$(ver libvirt-daemon-driver-xen)
[ -n "$lvver" ] || { log "libvirt-daemon-driver-xen not found in apt sources"; exit 3; }
key=$( { echo "$(basename "$art") libvirt $lvver xen $xenver"; cat "$0"; } | sha256sum | cut -c1-16)
out="$cache/$key"
if [ -f "$out/done" ]; then echo "$out"; exit 0; fi
log "building $out (libvirt $lvver, xen $xenver)"
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
rm -rf "$out" && mkdir -p "$out"
t0=$(date +%s)
sources=()
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && grep -q 'debian' "$f" && sources+=("$f")
done
root="$out/rootfs"
# libvirt's packages (9.0 has the network driver in libvirt-daemon itself) at the versions apt gives, Xen's libraries pinned to the hypervisor's version
# (libvirt-daemon-driver-xen links libxenlight). libvirt-daemon-system-sysv (no dependencies) is
# Debian's init script for libvirtd, which the wizard restarts after editing libvirt's status file
# (a host without systemd); libvirt-daemon-system itself would pull in polkit and the QEMU setup.
# No service is started while building.
mmdebstrap --variant=minbase --quiet \
  --include="xen-utils-4.17=$xenver,xen-utils-common=$xenver,libxenmisc4.17=$xenver,iproute2,bridge-utils,iptables,ifupdown,busybox,kmod,procps,iputils-ping,xenstore-utils,libvirt-daemon=$lvver,libvirt-daemon-driver-xen=$lvver,libvirt-daemon-config-network=$lvver,libvirt-clients=$lvver,libvirt-daemon-system-sysv=$lvver,dnsmasq-base" \
  --dpkgopt='path-exclude=/usr/share/{doc,man,locale}/*' \
  bookworm "$root" "${sources[@]}" >&2
cp -a "$art/modules/lib/modules" "$root/lib/"
install -m 755 "$here/dom0-init" "$root/sbin/lab-init"
mkdir -p "$root/lab"
echo dom0 > "$root/etc/hostname"
# As in build.sh: xenconsoled (started by dom0-init before the run's script) logs the guests'
# consoles, whose ticks prove a guest was not restarted.
mkdir -p "$root/var/log/xen/console"
echo 'XENCONSOLED_ARGS="--log=guest --log-dir=/var/log/xen/console"' >> "$root/etc/default/xen"
mkfs.ext4 -q -F -L labroot -d "$root" "$out/dom0.img" 2000M >&2
rm -rf "$root"
touch "$out/done"
log "built in $(( $(date +%s) - t0 )) s"
echo "$out"
