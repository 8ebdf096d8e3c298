# dummy: a link with no hardware behind it (the recipes' placeholder bridges and test ports).
ip link add dum0 type dummy
ip addr add 10.9.0.1/24 dev dum0
ip link set dum0 up
check "dummy link dum0 exists with 10.9.0.1/24" sh -c '/sbin/ip -d link show dum0 | grep -q dummy && /sbin/ip -4 addr show dum0 | grep -q 10.9.0.1/24'
check "the connected route 10.9.0.0/24 is on dum0" sh -c '/sbin/ip route get 10.9.0.7 | grep -q "dev dum0"'
