#!/bin/bash
# The admin's host before the wizard, written into a copy of the manager lab's rootfs at build
# time (build-managers.sh): manager $2 enabled at boot as Debian enables it, and its own config
# for eth0 = 192.168.1.3/24, gateway 192.168.1.254 (the LAN peer, lab-hardware.sh), in the file
# and form each manager's documentation shows. eth1 (the bond runs' second NIC) is left as a
# fresh install leaves it: unconfigured.
set -euo pipefail
root=$1 m=$2
case $m in
  ifupdown)
    # As Debian's installer writes it (allow-hotplug: brought up by udev's ifup@eth0).
    cat > "$root/etc/network/interfaces" <<'IF'
# This file describes the network interfaces available on your system
# and how to activate them. For more information, see interfaces(5).

source /etc/network/interfaces.d/*

# The loopback network interface
auto lo
iface lo inet loopback

# The primary network interface
allow-hotplug eth0
iface eth0 inet static
	address 192.168.1.3/24
	gateway 192.168.1.254
IF
    ;;
  ifupdown-ng)
    # ifupdown-ng's own example form (interfaces(5) of ifupdown-ng: `auto`, CIDR address).
    cat > "$root/etc/network/interfaces" <<'IF'
auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
	address 192.168.1.3/24
	gateway 192.168.1.254
IF
    ;;
  netplan)
    # netplan.io's examples (static.yaml), renderer networkd as on Ubuntu Server; mode 0600.
    mkdir -p "$root/etc/netplan"
    cat > "$root/etc/netplan/01-netcfg.yaml" <<'NP'
network:
  version: 2
  renderer: networkd
  ethernets:
    eth0:
      addresses:
        - 192.168.1.3/24
      routes:
        - to: default
          via: 192.168.1.254
NP
    chmod 600 "$root/etc/netplan/01-netcfg.yaml"
    chroot "$root" systemctl enable systemd-networkd.service
    ;;
  networkd)
    # systemd.network(5)'s static example; enabled as `systemctl enable systemd-networkd` does.
    cat > "$root/etc/systemd/network/10-eth0.network" <<'ND'
[Match]
Name=eth0

[Network]
Address=192.168.1.3/24
Gateway=192.168.1.254
ND
    chroot "$root" systemctl enable systemd-networkd.service
    ;;
  networkmanager)
    # A keyfile as `nmcli connection add type ethernet ifname eth0 ipv4.method manual …` writes it.
    mkdir -p "$root/etc/NetworkManager/system-connections"
    cat > "$root/etc/NetworkManager/system-connections/eth0.nmconnection" <<'NM'
[connection]
id=eth0
uuid=0b6c3e57-4f1d-4a8e-9d55-5b1b6c1a0e01
type=ethernet
interface-name=eth0

[ethernet]

[ipv4]
address1=192.168.1.3/24,192.168.1.254
method=manual

[ipv6]
addr-gen-mode=default
method=auto

[proxy]
NM
    chmod 600 "$root/etc/NetworkManager/system-connections/eth0.nmconnection"
    ;;
  *) echo "original.sh: no manager $m" >&2; exit 2 ;;
esac
