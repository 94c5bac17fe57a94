#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Fast path (issue 4): g1 and g2 (group "default") get a channel, g3
# (group "red") does not. ping, iperf3 and sockperf over IPv4 and IPv6 move
# the channel counters and not the NIC's. tcpdump sees channel frames on
# both ends, and the receiver's firewall judges them. A UDP stream with
# sequence numbers loses nothing when either side unloads mid-stream; a TCP
# stream survives an unload and an xl save + restore of its peer, after
# which the channel comes back, also when the new domids swap granter and
# mapper. A hostile peer gets the channel marked broken and traffic falls
# back. xl destroy of a peer mid-stream leaves the survivor clean and
# without a leak.
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
# path in GUEST once 250 of its datagrams (half a second) went over the
# channel, and require that nothing was lost.
udp_across_unload() { # guest
	_peer=$d2
	[ "$1" = g1 ] || _peer=$d1
	tb_exec g2 "/tb/tb-udpseq recv 192.0.2.2 5001 3000 90 >/tmp/udpseq.out 2>&1 &" >/dev/null
	tb_wait_for 10 sh -c ". /tb/tb.sh; tb_exec g2 'grep -q listening /tmp/udpseq.out'"
	_c0=$(tb_chan_count "$1" "$_peer")
	tb_exec g1 "/tb/tb-udpseq send 192.0.2.2 5001 3000 500 >/tmp/udpsend.out 2>&1 &" >/dev/null
	tb_wait_chan_packets 20 "$1" "$_peer" $((_c0 + 250))
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

# Destroyed domains Xen still holds, e.g. while another guest maps their
# pages (the fast path maps each page in place: nothing in vmallocinfo).
dying_domains() { xl list 2>/dev/null | awk 'NR > 1 && ($1 == "(null)" || $5 ~ /d$/)' | wc -l; }
no_dying_domains() { [ "$(dying_domains)" = 0 ]; }
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
for l in "tcp 5201" "udp 11111" "tcp 11112"; do
	tb_wait_for 30 tb_listening g2 $l || tb_log "nothing listens on $l in g2 after 30 s"
done
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

# The receiver's stack takes channel frames as if eth0 had received them:
# tcpdump on g2 sees them and g2's firewall judges them. g1's tcpdump sees
# what it sent, though the NIC never did.
echo_requests() { # guest: ICMP echo requests tcpdump printed
	tb_exec "$1" 'grep -c "ICMP echo request" /tmp/td.out'
}
tb_exec g2 'tcpdump -Z root -i eth0 -nn -l -c 10 "icmp[icmptype] = icmp-echo and src 192.0.2.1" >/tmp/td.out 2>/tmp/td.err &' >/dev/null
tb_exec g1 'tcpdump -Z root -i eth0 -nn -l -c 10 "icmp[icmptype] = icmp-echo and dst 192.0.2.2" >/tmp/td.out 2>/tmp/td.err &' >/dev/null
for g in g1 g2; do
	tb_wait_for 20 sh -c ". /tb/tb.sh; tb_exec $g 'grep -q listening /tmp/td.err'"
done
over_channel "ping under tcpdump" 20 "ping -c 10 -i 0.05 192.0.2.2"
tb_wait_for 10 sh -c ". /tb/tb.sh; [ \"\$(tb_exec g2 'pidof tcpdump')\$(tb_exec g1 'pidof tcpdump')\" = '' ]"
tb_is "$(echo_requests g2)" 10 "tcpdump on g2's eth0 sees the 10 echo requests that came over the channel"
tb_is "$(echo_requests g1)" 10 "tcpdump on g1's eth0 sees the 10 echo requests it sent over the channel"
tb_exec g1 'killall tcpdump' >/dev/null
tb_exec g2 'killall tcpdump' >/dev/null

tb_check "g2 loads nf_tables" tb_exec g2 \
	'. /tb/tb.sh; for m in crc32c_generic libcrc32c nfnetlink nf_tables; do tb_insmod $m || exit; done'
tb_check "g2 adds a rule dropping g1's echo requests" tb_exec g2 \
	"nft add table inet tb && nft add chain inet tb in '{ type filter hook input priority 0; }' &&
	 nft add rule inet tb in ip saddr 192.0.2.1 icmp type echo-request counter drop"
r0=$(tb_chan g2 "$d1" rx_packets)
tb_like "$(tb_exec g1 'ping -c 5 -i 0.2 -W 1 192.0.2.2')" " 100% packet loss" "g2's firewall drops the pings"
tb_check "they reached g2 over the channel" sh -c \
	". /tb/tb.sh; [ \$((\$(tb_chan g2 $d1 rx_packets) - $r0)) -ge 5 ]"
tb_like "$(tb_exec g2 'nft list chain inet tb in')" "counter packets 5 bytes" "the rule counted exactly those 5"
tb_exec g2 'nft delete table inet tb' >/dev/null
tb_like "$(tb_exec g1 'ping -c 3 -i 0.2 192.0.2.2')" " 0% packet loss" "without the rule the pings pass again"

udp_across_unload g1
udp_across_unload g2

# The unloads, save and destroy below come mid-stream: once the stream
# has moved 1000 packets over the channel, not after a fixed time.
c0=$(tb_chan_count g1 "$d2")
tb_exec g1 '(iperf3 -c 192.0.2.2 -t 10 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
tb_wait_chan_packets 30 g1 "$d2" $((c0 + 1000))
tb_exec g2 'rmmod symbiont_fastpath' >/dev/null
tb_wait_for 90 sh -c ". /tb/tb.sh; tb_exec g1 'grep -q ^exit /tmp/tcp.out'"
tb_like "$(tb_exec g1 'tail -1 /tmp/tcp.out')" "^exit 0$" "a TCP stream survives g2 unloading the fast path"
tb_exec g2 "insmod $FP" >/dev/null
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "the channel comes back after g2 reloads"

c0=$(tb_chan_count g1 "$d2")
tb_exec g1 '(iperf3 -c 192.0.2.2 -t 45 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
tb_wait_chan_packets 30 g1 "$d2" $((c0 + 1000))
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

# A churning peer: g1, its module unloaded, writes its own record from
# userspace, acknowledging each of g2's offers and closing the channel as
# soon as it is up. Every round makes g2 grant fresh pages; after 8
# teardowns in a row, each within the churn window of the last (the
# unload's own may be the first of them), g2 stops offering and marks the
# channel broken. g2 is reloaded first, with the test build's window of an
# hour: its count starts from zero, and no round is too slow to count,
# however loaded the machine that runs QEMU.
tb_exec g2 "rmmod symbiont_fastpath; insmod $FP churn_window_s=3600" >/dev/null
tb_wait_chan 60 g1 "$d2" connected
tb_wait_chan 60 g2 "$d1" connected
tb_is "$(tb_chan g2 "$d1" state)" connected "g2, reloaded for the churn test, connects to g1"
view=/local/domain/$d1/symbiont/peers/$d2/fastpath
epoch=$(xenstore-read "$view/epoch")	# g1's module acknowledged this one
tb_exec g1 'rmmod symbiont_fastpath' >/dev/null
rec=data/symbiont/fastpath/$d2
acks=0
while [ $acks -lt 12 ] && [ "$(tb_chan g2 "$d1" state)" != broken ]; do
	# g2's offer in g1's view, with an epoch not yet acknowledged.
	tb_wait_for 20 sh -c "[ \"\$(xenstore-read $view/state)\" = offered ] &&
		[ \"\$(xenstore-read $view/epoch)\" != '$epoch' ]" || break
	epoch=$(xenstore-read "$view/epoch")
	tb_exec g1 "xenstore-write $rec/epoch $epoch $rec/state connected" >/dev/null
	tb_wait_chan 20 g2 "$d1" connected || break
	acks=$((acks + 1))
	tb_exec g1 "xenstore-rm $rec; xenstore-write $rec/state closed" >/dev/null
	tb_wait_for 20 sh -c ". /tb/tb.sh; [ \"\$(tb_chan g2 $d1 state)\" != connected ]"
done
tb_log "g1 acknowledged $acks offers from g2"
tb_is "$(tb_chan g2 "$d1" state)" broken "g2 breaks the channel to a peer that ends every channel at once"
[ $acks -ge 7 ] && [ $acks -le 8 ] && tb_ok "only after 7-8 channels it served ($acks)" ||
	tb_fail "only after 7-8 channels it served" "$acks acknowledged offers"
g2_record_closed() {
	[ "$(xenstore-read "/local/domain/$d2/data/symbiont/fastpath/$d1/state")" = closed ]
}
tb_wait_for 20 g2_record_closed
tb_is "$(xenstore-read "/local/domain/$d2/data/symbiont/fastpath/$d1/state")" closed \
	"g2 offers nothing more"
tb_exec g2 "rmmod symbiont_fastpath; insmod $FP" >/dev/null
tb_exec g1 "insmod $FP" >/dev/null
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)/$(tb_chan g2 "$d1" state)" connected/connected \
	"reloading both gives a fresh channel"

s0=$(slab_g1)
c0=$(tb_chan_count g1 "$d2")
tb_exec g1 '(iperf3 -c 192.0.2.2 -t 30 >/tmp/tcp.out 2>&1; echo "exit $?" >>/tmp/tcp.out) &' >/dev/null
tb_wait_chan_packets 30 g1 "$d2" $((c0 + 1000))
xl destroy g2
tb_wait_for 60 sh -c ". /tb/tb.sh; [ -z \"\$(tb_exec g1 'ls /sys/kernel/symbiont/channels')\" ]"
tb_is "$(tb_exec g1 'ls /sys/kernel/symbiont/channels')" "" "g1 drops the channel of a destroyed g2"
tb_exec g1 'killall iperf3' >/dev/null
tb_wait_for 10 sh -c ". /tb/tb.sh; [ -z \"\$(tb_exec g1 'pidof iperf3')\" ]"
s1=$(slab_g1)
[ $((s1 - s0)) -lt 1024 ] && tb_ok "g1 slab flat across the destroy ($s0 -> $s1 kB)" ||
	tb_fail "g1 slab flat across the destroy" "$s0 -> $s1 kB"
tb_wait_for 60 no_dying_domains
tb_is "$(dying_domains)" 0 "g1 unmapped g2's pages: the destroyed g2 is not left dying"
tb_like "$(tb_exec g1 'ping -c 3 -i 0.2 192.0.2.3')" " 0% packet loss" "g1's network still works"

tb_exec g1 'rmmod symbiont_fastpath' >/dev/null
tb_exec g3 'rmmod symbiont_fastpath' >/dev/null
xenstore-rm /local/domain/0/symbiont/groups/g3
tb_create_guest g2 && tb_wait_ready g2 240
tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "a re-created g2 joins again"
tb_done
