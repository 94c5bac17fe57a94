#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-deb, fast-path smoke: with symbiont_fastpath.ko as DKMS built
# it, g1 and g2 get a channel, `symbiont channels` shows it connected, and
# a ping goes over it (channel counters move, not the NIC's).
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
d1=$(tb_domid g1)
d2=$(tb_domid g2)
tb_wait_peers 30 g1 "$(tb_domids_of $(tb_guests | grep -vx g1))"

for g in g1 g2; do
	tb_check "$g loads symbiont_fastpath (DKMS build)" tb_exec $g "insmod $FP"
done
tb_check "the DKMS build has no test-only knob (no hostile parameter)" \
	tb_exec g1 '! test -e /sys/module/symbiont_fastpath/parameters/hostile'
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)/$(tb_chan g2 "$d1" state)" connected/connected \
	"g1 <-> g2: channel connected"
tb_like "$(tb_exec g1 'symbiont channels' | awk -v p="$d2" '$1 == p')" \
	"^$d2 +g2 +connected " "symbiont channels in g1 shows g2 connected"

n0=$(tb_nic_packets g1)
c0=$(tb_chan_packets g1 "$d2")
out=$(tb_exec g1 'ping -c 20 -i 0.05 192.0.2.2' 120)
rc=$?
c=$(($(tb_chan_packets g1 "$d2") - c0))
n=$(($(tb_nic_packets g1) - n0))
if [ "$rc" = 0 ] && [ "$c" -ge 40 ] && [ "$n" -le 10 ]; then
	tb_ok "ping g1 -> g2 goes over the channel ($c channel packets, $n NIC packets)"
else
	tb_fail "ping g1 -> g2 goes over the channel" "exit $rc, channel +$c, NIC +$n" "$out"
fi
tb_like "$(tb_exec g1 'symbiont channels' | awk -v p="$d2" '$1 == p { print $4 }')" \
	"^[1-9][0-9]*$" "symbiont channels counts the packets sent (TX_PKTS)"
tb_is "$(tb_chan g1 "$d2" errors)/$(tb_chan g2 "$d1" errors)" 0/0 "no channel errors on either side"
for g in g1 g2; do
	tb_check "$g unloads symbiont_fastpath" tb_exec $g "rmmod symbiont_fastpath"
done
tb_done
