#!/bin/bash
# libvirt's default network as its autostart brings it up at every boot (libvirt itself is not
# installed, see the README): bridge virbr0 with STP, 192.168.122.1/24, forwarding and MASQUERADE.
sysctl -qw net.ipv4.ip_forward=1
ip link add virbr0 type bridge stp_state 1 forward_delay 0
ip addr add 192.168.122.1/24 dev virbr0
ip link set virbr0 up
iptables -t nat -A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE
