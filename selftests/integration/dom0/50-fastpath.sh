#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fast path (issue 4): g1 and g2 (group "default") get a channel, g3
# (group "red") does not. ping, iperf3 and sockperf over IPv4 and IPv6 move
# the channel counters and not the NIC's. A UDP stream with sequence
# numbers loses nothing when either side unloads mid-stream; a TCP stream
# survives an unload and an xl save + restore of its peer, after which the
# channel comes back, also when the new domids swap granter and mapper. A hostile peer gets the channel marked broken and
# traffic falls back. xl destroy of a peer mid-stream leaves the survivor
# clean and without a leak.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko

# Run a traffic command in g1 against g2; pass if it succeeded, moved at
# least MIN packets through the channel and at most 10 through the NIC
# (the multicast of IPv6 neighbour discovery may take the NIC).
over_channel() { # description min-packets command
	_n0=$(tb_nic_packets g1)
	_c0=$(tb_chan_packets g1 "$d2")
	_out=$(tb_exec g1 "$3" 300)
	_rc=$?
	_n=$(($(tb_nic_packets g1) - _n0))
	_c=$(($(tb_chan_packets g1 "$d2") - _c0))
	if [ "$_rc" = 0 ] && [ "$_c" -ge "$2" ] && [ "$_n" -le 10 ]; then
		tb_ok "$1 goes over the channel ($_c channel packets, $_n NIC packets)"
	else
		tb_fail "$1 goes over the channel" "exit $_rc, channel +$_c, NIC +$_n" "$_out"
	fi
}

# Start a UDP sequence stream g1 -> g2 (500 pps, 6 s), unload the fast
# path in GUEST after 2 s, and require that nothing was lost.
udp_across_unload() { # guest
	tb_exec g2 "/tb/tb-udpseq recv 192.0.2.2 5001 3000 90 >/tmp/udpseq.out 2>&1 &" >/dev/null
	tb_wait_for 10 sh -c ". /tb/tb.sh; tb_exec g2 'grep -q listening /tmp/udpseq.out'"
	tb_exec g1 "/tb/tb-udpseq send 192.0.2.2 5001 3000 500 >/tmp/udpsend.out 2>&1 &" >/dev/null
	sleep 2
	_peer=$d2
	[ "$1" = g1 ] || _peer=$d1
	_tx=$(tb_chan "$1" "$_peer" tx_packets)
	_rx=$(tb_chan "$1" "$_peer" rx_packets)
	tb_exec "$1" "rmmod symbiont_fastpath" >/dev/null
	tb_wait_for 90 sh -c ". /tb/tb.sh; tb_exec g2 'grep -q received /tmp/udpseq.out'"
	_res=$(tb_exec g2 'cat /tmp/udpseq.out')
	tb_log "$1 unloaded with tx $_tx rx $_rx on the channel; $_res"
	[ "$((_tx + _rx))" -gt 0 ] && tb_ok "the UDP stream used the channel before $1 unloaded" ||
		tb_fail "the UDP stream used the channel before $1 unloaded" "tx $_tx rx $_rx"
	tb_like "$_res" "received 3000 lost 0 " "UDP stream across an unload in $1: 0 lost"
	tb_exec "$1" "insmod $FP" >/dev/null
	tb_wait_chan 60 g1 "$d2" connected
}

slab_g1() { tb_exec g1 'sync; echo 3 >/proc/sys/vm/drop_caches; awk "/^Slab:/ { print \$2 }" /proc/meminfo'; }

xenstore-write /local/domain/0/symbiont/groups/g3 red
d1=$(tb_domid g1)
d2=$(tb_domid g2)
d3=$(tb_domid g3)
tb_wait_peers 30 g1 "$d2"
tb_wait_peers 30 g3 ""

for g in g1 g2 g3; do
	tb_check "$g loads symbiont_fastpath" tb_exec $g "insmod $FP"
done
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "g1 -> g2: channel connected"
tb_is "$(tb_chan g2 "$d1" state)" connected "g2 -> g1: channel connected"
tb_is "$(tb_exec g1 'ls /sys/kernel/symbiont/channels')" "$d2" "g1 has no channel to g3 (group red)"
tb_is "$(tb_exec g3 'ls /sys/kernel/symbiont/channels')" "" "g3 has no channel at all"
tb_check "g3 published no channel record" sh -c \
	"! xenstore-ls /local/domain/$d3/data/symbiont/fastpath >/dev/null 2>&1"
tb_check "dom0 relayed nothing to g3" sh -c \
	"! xenstore-ls -f /local/domain/$d3/symbiont 2>/dev/null | grep -q fastpath"

tb_exec g2 'iperf3 -s -D; sockperf server -i 192.0.2.2 -p 11111 >/dev/null 2>&1 &
	sockperf server --tcp -i 192.0.2.2 -p 11112 >/dev/null 2>&1 &' >/dev/null
tb_exec g1 'ping -c 1 -W 5 fd00:5::2' >/dev/null
sleep 1
over_channel "ping (ICMP, IPv4)" 40 "ping -c 20 -i 0.05 192.0.2.2"
over_channel "ping (ICMPv6)" 40 "ping -c 20 -i 0.05 fd00:5::2"
b0=$(tb_chan g1 "$d2" tx_bytes)
p0=$(tb_chan g1 "$d2" tx_packets)
over_channel "iperf3 TCP (IPv4)" 100 "iperf3 -c 192.0.2.2 -t 3"
avg=$(( ($(tb_chan g1 "$d2" tx_bytes) - b0) / ($(tb_chan g1 "$d2" tx_packets) - p0) ))
[ "$avg" -gt 1514 ] && tb_ok "TCP went as GSO frames (average $avg bytes per channel frame)" ||
	tb_fail "TCP went as GSO frames" "average $avg bytes per channel frame"
over_channel "iperf3 TCP (IPv6)" 100 "iperf3 -6 -c fd00:5::2 -t 3"
over_channel "iperf3 UDP (IPv4)" 100 "iperf3 -u -b 2M -c 192.0.2.2 -t 3"
over_channel "sockperf ping-pong (UDP)" 100 "sockperf ping-pong -i 192.0.2.2 -p 11111 -t 3"
over_channel "sockperf ping-pong (TCP)" 100 "sockperf ping-pong --tcp -i 192.0.2.2 -p 11112 -t 3"
tb_is "$(tb_chan g1 "$d2" errors)/$(tb_chan g2 "$d1" errors)" 0/0 "no channel errors on either side"

udp_across_unload g1
udp_across_unload g2

tb_exec g1 '(iperf3 -c 192.0.2.2 -t 10 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
sleep 3
tb_exec g2 'rmmod symbiont_fastpath' >/dev/null
tb_wait_for 90 sh -c ". /tb/tb.sh; tb_exec g1 'grep -q ^exit /tmp/tcp.out'"
tb_like "$(tb_exec g1 'tail -1 /tmp/tcp.out')" "^exit 0$" "a TCP stream survives g2 unloading the fast path"
tb_exec g2 "insmod $FP" >/dev/null
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "the channel comes back after g2 reloads"

tb_exec g1 '(iperf3 -c 192.0.2.2 -t 45 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
sleep 3
tb_check "xl save g2 during a stream" xl save g2 /tmp/g2.save
tb_check "xl restore g2" xl restore /tmp/g2.save
rm -f /tmp/g2.save
n2=$(tb_domid g2)
tb_log "g2: domid $d2 -> $n2"
tb_wait_chan 120 g1 "$n2" connected
tb_is "$(tb_chan g1 "$n2" state)" connected "after xl restore the channel comes back (g2 now domid $n2)"
tb_is "$(tb_exec g1 'ls /sys/kernel/symbiont/channels')" "$n2" "g1 dropped the channel to g2's old domid"
tb_wait_for 120 sh -c ". /tb/tb.sh; tb_exec g1 'grep -q ^exit /tmp/tcp.out'"
tb_like "$(tb_exec g1 'tail -1 /tmp/tcp.out')" "^exit 0$" "a TCP stream survives xl save + restore of its peer"
d2=$n2

# Now g1: its new domid is the higher one, so granter and mapper swap.
tb_check "xl save + restore g1" sh -c "xl save g1 /tmp/g1.save && xl restore /tmp/g1.save"
rm -f /tmp/g1.save
n1=$(tb_domid g1)
tb_wait_chan 120 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)/$(tb_chan g2 "$n1" state)" connected/connected \
	"after g1's restore (domid $d1 -> $n1, g2 $d2) the roles swap and the channel comes back"
d1=$n1

tb_exec g2 'echo 1 >/sys/module/symbiont_fastpath/parameters/hostile' >/dev/null
tb_exec g2 'ping -c 5 -W 2 192.0.2.1' >/dev/null
tb_exec g2 'echo 0 >/sys/module/symbiont_fastpath/parameters/hostile' >/dev/null
tb_wait_chan 30 g1 "$d2" broken
tb_is "$(tb_chan g1 "$d2" state)" broken "g1 marks the channel to a hostile g2 broken"
tb_check "g1 counted the violation" sh -c ". /tb/tb.sh; [ \"\$(tb_chan g1 $d2 errors)\" -ge 1 ]"
n0=$(tb_nic_packets g1)
tb_like "$(tb_exec g1 'ping -c 5 -i 0.2 192.0.2.2')" " 0% packet loss" "traffic falls back to the NIC"
n1=$(tb_nic_packets g1)
[ $((n1 - n0)) -ge 10 ] && tb_ok "the NIC carried it ($((n1 - n0)) packets)" ||
	tb_fail "the NIC carried it" "$n0 -> $n1"
tb_exec g1 "rmmod symbiont_fastpath; insmod $FP" >/dev/null
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "reloading g1 gives a fresh channel"

s0=$(slab_g1)
tb_exec g1 '(iperf3 -c 192.0.2.2 -t 30 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
sleep 3
xl destroy g2
tb_wait_for 60 sh -c ". /tb/tb.sh; [ -z \"\$(tb_exec g1 'ls /sys/kernel/symbiont/channels')\" ]"
tb_is "$(tb_exec g1 'ls /sys/kernel/symbiont/channels')" "" "g1 drops the channel of a destroyed g2"
tb_exec g1 'killall iperf3' >/dev/null
sleep 1
s1=$(slab_g1)
[ $((s1 - s0)) -lt 1024 ] && tb_ok "g1 slab flat across the destroy ($s0 -> $s1 kB)" ||
	tb_fail "g1 slab flat across the destroy" "$s0 -> $s1 kB"
tb_like "$(tb_exec g1 'ping -c 3 -i 0.2 192.0.2.3')" " 0% packet loss" "g1's network still works"

tb_exec g1 'rmmod symbiont_fastpath' >/dev/null
tb_exec g3 'rmmod symbiont_fastpath' >/dev/null
xenstore-rm /local/domain/0/symbiont/groups/g3
tb_create_guest g2 && tb_wait_ready g2 240
tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "a re-created g2 joins again"
tb_done
