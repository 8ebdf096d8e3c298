#!/usr/bin/env bash
# Installs what the test suite needs from Debian's packages, once. Called by `npm test`
# (scripts/test.mjs) before the suites run, so a fresh clone in CI has everything.
# The namespace testbed needs iptables (NAT inside its dom0 namespace only), fping and ping;
# recipe virtual-network runs dnsmasq (dnsmasq-base) inside its dom0 namespace; libfaketime steps
# the wall clock under the confirmation window (monotonic time left alone).
# The Ansible phase (ansible/tests) needs ansible-core, ansible-lint, python3-pytest, python3-jsonschema.
# Real consumers of our artifacts are the oracles: ifupdown's ifquery, Xen's libxlutil,
# libvirt's virt-xml-validate, kmod's modprobe. ifupdown is only unpacked into .cache (never installed),
# so the machine's own network configuration is never touched by its maintainer scripts.
# libvirt-daemon (libvirtd, no units: those are in libvirt-daemon-system, not installed) and
# dnsmasq-base are the real libvirt of test/libvirt, run only inside namespaces by
# test/_helpers/libvirtd.ts; busybox's udhcpc asks its dnsmasq for a lease from a guest namespace
# (busybox-static, the package the lab builds its initramfs from: Debian's busybox and
# busybox-static conflict, so asking for both swapped one for the other at every run).
set -euo pipefail
cd "$(dirname "$0")/.."

# systemd: its systemd-networkd judges the networkd backend's units, run only inside a private network +
# mount namespace by test/_helpers/networkdNs.ts (Debian enables no networkd at install: nothing starts here).
# zsh and man-db: the completion script is loaded by real bash and zsh, the man page rendered by man -l.
# libyaml-0-2, libglib2.0-0, libgnutls30: the libraries the unpacked netplan generator and nmcli link.
# dbus-daemon and dbus-system-bus-common (its messagebus user): the private system bus that the
# testbed's networkd answers networkctl on (test/testbed/daemons.ts), only inside its namespaces.
apt_pkgs=(tmux python3 libfaketime libyaml-0-2 libglib2.0-0 libgnutls30 libxenmisc4.17 libvirt-clients libxml2-utils iproute2 iptables fping iputils-ping zsh man-db
  ansible-core ansible-lint python3-pytest python3-jsonschema kmod libvirt-daemon dnsmasq-base busybox-static systemd
  dbus-daemon dbus-system-bus-common)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Unpacked, never installed: ifupdown (ifquery oracle; classic ifup in the outage bench), ifenslave,
# bridge-utils (its ifupdown hooks and brctl) and ifupdown2 (ifreload in the outage bench).
unpack=()
[ -x .cache/debs/ifupdown/sbin/ifquery ] || unpack+=(ifupdown)
[ -x .cache/debs/bridge-utils/sbin/brctl ] || unpack+=(bridge-utils)
[ -e .cache/debs/ifupdown2/usr/share/ifupdown2/__main__.py ] || unpack+=(ifupdown2)
# ifenslave: its ifupdown hook is what reads bond-slaves/bond-mode/bond-miimon (recipe bond-bridge).
[ -e .cache/debs/ifenslave/etc/network/if-pre-up.d/ifenslave ] || unpack+=(ifenslave)
# The netplan and NetworkManager oracles: netplan's generator (netplan generate --root-dir) and
# nmcli --offline with their libraries, unpacked so that neither networkd nor NetworkManager is ever
# enabled or started on this machine (installing network-manager would start it at once).
[ -x .cache/debs/netplan.io/usr/libexec/netplan/generate ] || unpack+=(netplan.io)
[ -e .cache/debs/libnetplan0/usr/lib/x86_64-linux-gnu/libnetplan.so.0.0 ] || unpack+=(libnetplan0)
[ -x .cache/debs/network-manager/usr/bin/nmcli ] || unpack+=(network-manager)
[ -e .cache/debs/libnm0/usr/lib/x86_64-linux-gnu/libnm.so.0 ] || unpack+=(libnm0)
# ifupdown-ng: its ifquery judges the ifupdown-ng backend; it conflicts with ifupdown, so it is only unpacked.
[ -x .cache/debs/ifupdown-ng/sbin/ifquery ] || unpack+=(ifupdown-ng)
need_ifupdown=${#unpack[@]}

if [ ${#missing[@]} -eq 0 ] && [ "$need_ifupdown" -eq 0 ]; then
  echo "test deps: all present"
  exit 0
fi

what="${missing[*]:-}${missing[*]:+ }${unpack[*]:-}"
if [ "$(id -u)" != 0 ]; then
  echo "!!! test deps: cannot install as $(id -un): missing $what" >&2
  if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    echo "!!! test deps: CI=true needs every check to run — run npm test as root (it installs them)" >&2
    exit 1
  fi
  echo "!!! test deps: the checks that need them will be counted and listed as skipped" >&2
  exit 0
fi

# Anything that fails from here on stops npm test with a message naming the step.
trap 'echo "!!! test deps: could not install $what (line $LINENO: $BASH_COMMAND)" >&2' ERR
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if [ ${#missing[@]} -gt 0 ]; then
  echo "test deps: installing ${missing[*]}"
  # Installing a daemon must not start it on this machine: policy-rc.d 101 forbids every
  # invoke-rc.d start for the install's duration (kept if the machine already has one).
  own_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && own_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || { [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d; false; }
  [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
  # Our own namespace is the machine's (PID 1's link may be unreadable in a container); a process
  # whose link cannot be read (a zombie, one that just ended) is in no namespace to worry about.
  own_net=$(readlink /proc/self/ns/net)
  for pid in $(pgrep -x 'libvirtd|virtnetworkd|dnsmasq' || true); do
    net=$(readlink "/proc/$pid/ns/net" 2>/dev/null || true)
    if [ -n "$net" ] && [ "$net" = "$own_net" ]; then
      echo "!!! test deps: $(cat "/proc/$pid/comm") (pid $pid) runs in the machine's own network namespace after the install — stop it; the tests run their own in namespaces" >&2
      exit 1
    fi
  done
fi
if [ "$need_ifupdown" -gt 0 ]; then
  echo "test deps: unpacking ${unpack[*]} into .cache/debs"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -qq "${unpack[@]}")
  for p in "${unpack[@]}"; do
    rm -rf ".cache/debs/$p" && mkdir -p ".cache/debs/$p"
    dpkg -x "$tmp/${p}"_*.deb ".cache/debs/$p"
  done
  rm -rf "$tmp"
fi
# Prove it: a package manager that "succeeded" without leaving the tools behind is a failure too.
for p in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || { echo "!!! test deps: $p is still not installed" >&2; exit 1; }
done
for f in .cache/debs/ifupdown/sbin/ifquery .cache/debs/bridge-utils/sbin/brctl .cache/debs/netplan.io/usr/libexec/netplan/generate .cache/debs/network-manager/usr/bin/nmcli; do
  [ -x "$f" ] || { echo "!!! test deps: $f is missing after unpacking" >&2; exit 1; }
done
echo "test deps: ready"
