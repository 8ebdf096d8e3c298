# 802.1Q: VLAN 100 on both ends of a veth answers; VLAN 200 on one end only is isolated.
ip netns add vlan-peer
ip link add v0 type veth peer name v1
ip link set v1 netns vlan-peer
ip link set v0 up
ip netns exec vlan-peer ip link set v1 up
ip link add link v0 name v0.100 type vlan id 100
ip addr add 10.11.0.1/24 dev v0.100
ip link set v0.100 up
ip netns exec vlan-peer ip link add link v1 name v1.100 type vlan id 100
ip netns exec vlan-peer ip addr add 10.11.0.2/24 dev v1.100
ip netns exec vlan-peer ip link set v1.100 up
ip link add link v0 name v0.200 type vlan id 200
ip addr add 10.12.0.1/24 dev v0.200
ip link set v0.200 up
ip netns exec vlan-peer ip addr add 10.12.0.2/24 dev v1
check "v0.100 is 802.1Q id 100" sh -c '/sbin/ip -d link show v0.100 | grep -q "vlan protocol 802.1Q id 100"'
check "the peer answers on VLAN 100" wait_for 5 ping -c1 -W1 10.11.0.2
check "VLAN 200 (tagged here, untagged there) is isolated" sh -c '! ping -c2 -W1 10.12.0.2'
ip netns del vlan-peer
