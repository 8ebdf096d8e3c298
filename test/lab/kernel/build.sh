#!/bin/bash
# The kernel VM's base initramfs (cached beside the xen VM's artifacts): busybox, iproute2's `ip`
# (from its Debian package, unpacked with dpkg -x; its shared libraries from this Debian 12 host),
# the modules the network proofs need, and init. The payloads are appended per run as a second
# cpio archive (the kernel unpacks concatenated archives in order). Prints the base's path.
# usage: build.sh ARTIFACT_DIR
set -euo pipefail
art=$1
here=$(cd "$(dirname "$0")" && pwd)
kver=$(cat "$art/kver")
key=$( { apt-cache policy iproute2 | awk '/Candidate:/ {print $2}'; cat "$0" "$here/init" "$here/lib.sh"; } | sha256sum | cut -c1-12)
out="$art/kernel-base-$key.cpio.gz"
[ -f "$out" ] && { echo "$out"; exit 0; }
rm -f "$art"/kernel-base-*.cpio.gz
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
(cd "$t" && apt-get download -q -o APT::Sandbox::User=root iproute2 >&2 && dpkg -x iproute2_*.deb x)
r="$t/root"
mkdir -p "$r"/{bin,sbin,dev,proc,sys,run,tmp,var,lib/modules,payloads,etc/iproute2}
ln -s ../run "$r/var/run"
cp "$art/busybox" "$r/bin/busybox"
for a in $("$art/busybox" --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
rm -f "$r/bin/ip"
cp "$t/x/bin/ip" "$r/sbin/ip"
cp -r "$t"/x/etc/iproute2/. "$r/etc/iproute2/" 2>/dev/null || true
# The libraries ip links against, at the paths the loader looks them up.
ldd "$t/x/bin/ip" | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$r$(dirname "$lib")" && cp -L "$lib" "$r$lib"
done
mods="$art/modules/lib/modules/$kver"
modprobe -d "$art/modules" -S "$kver" --show-depends -a dummy bonding 8021q bridge veth \
  | awk '$1 == "insmod" {print $2}' | awk '!seen[$0]++' | while read -r m; do
    cp "$m" "$r/lib/modules/" && echo "insmod /lib/modules/$(basename "$m")"
  done > "$r/lib/modules/load"
install -m 755 "$here/init" "$r/init"
install -m 644 "$here/lib.sh" "$r/lib/lab.sh"
(cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) > "$out"
echo "$out"
