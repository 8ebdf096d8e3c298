#!/bin/bash
# Host packages the lab needs, installed once from the machine's own apt sources. The packages that
# must never be installed on the host (hypervisor, kernel, xen-utils) are fetched by build.sh with
# `apt-get download` and unpacked with `dpkg -x` into .cache/lab instead.
set -euo pipefail
need=(qemu-system-x86 qemu-utils mmdebstrap cpio e2fsprogs kmod)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "lab set-up: missing ${missing[*]} and not root" >&2
  exit 3
fi
echo "lab set-up: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
