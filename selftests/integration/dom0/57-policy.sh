#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Channel traffic gets the policy the bridge would give it (issue 10 item
# 6), played from the sender's side. g1 sends to g2 over their channel
# from an address that is not its own (192.0.2.99). With no ip= on g1's
# vif nothing stops that, on the NIC or on the channel. Once the backend's
# ip node of g1's vif says 192.0.2.1 (written here from dom0, as xl does
# for a vif spec's ip=), g2 drops those frames and counts them, while
# g1's own address still gets through the channel. Then dom0's switch:
# the fast path of g2 goes off (by VM) while g1 streams to it; the
# channel goes, the stream continues on the NIC and loses nothing, no
# channel comes back while off, and one does once on again; then the
# same by group.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
N=6000			# datagrams at 1000 pps: the switch lands mid-stream
d1=$(tb_domid g1)
d2=$(tb_domid g2)
IP_NODE=/local/domain/0/backend/vif/$d1/0/ip
SWITCH=/local/domain/0/symbiont/fastpath
VIEW2=/local/domain/$d2/symbiont/peers/$d1

for g in g1 g2; do
	tb_exec $g "grep -q '^symbiont_fastpath ' /proc/modules || insmod $FP" >/dev/null
done
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "g1 and g2 have a channel"

# dom0 re-reads a member's ip node on its next reconcile; the member's
# state node written again (same value) asks for one.
reconcile_g1() {
	xenstore-write "/local/domain/$d1/data/symbiont/state" joined
}
spoofed_ping() {
	tb_exec g1 "ping -c 3 -w 8 -I 192.0.2.99 192.0.2.2" >/dev/null 2>&1
}

tb_exec g1 "ip addr add 192.0.2.99/32 dev eth0" >/dev/null
tb_is "$(tb_chan g2 "$d1" peer_ipv4)" "" "no ip= on g1's vif: g2 takes any source from g1"
tb_check "g2 answers g1's pings from 192.0.2.99 (nothing filters them)" spoofed_ping

xenstore-write "$IP_NODE" 192.0.2.1
reconcile_g1
tb_wait_for 30 sh -c "[ \"\$(xenstore-read $VIEW2/ip 2>/dev/null)\" = 192.0.2.1 ]"
tb_is "$(xenstore-read "$VIEW2/ip")" 192.0.2.1 "dom0 puts g1's vif ip= in g2's view"
tb_wait_for 30 sh -c ". /tb/tb.sh; [ \"\$(tb_chan g2 $d1 peer_ipv4)\" = 192.0.2.1 ]"
tb_is "$(tb_chan g2 "$d1" peer_ipv4)" 192.0.2.1 "g2's live channel to g1 takes it at once"
s0=$(tb_chan g2 "$d1" rx_spoofed)
if spoofed_ping; then
	tb_fail "pings from 192.0.2.99 over the channel get no answer" "they did"
else
	tb_ok "pings from 192.0.2.99 over the channel get no answer"
fi
s1=$(tb_chan g2 "$d1" rx_spoofed)
tb_log "g2's rx_spoofed for g1: $s0 -> $s1"
[ "$s1" -ge $((s0 + 3)) ] && tb_ok "g2 dropped and counted them ($s0 -> $s1)" ||
	tb_fail "g2 dropped and counted them" "rx_spoofed $s0 -> $s1"
p0=$(tb_chan_count g2 "$d1")
tb_check "g1's own address still gets answers" \
	tb_exec g1 "ping -c 3 -w 20 -I 192.0.2.1 192.0.2.2"
p1=$(tb_chan_count g2 "$d1")
[ "$p1" -ge $((p0 + 6)) ] && tb_ok "over the channel ($p0 -> $p1 packets)" ||
	tb_fail "g1's pings took the channel" "packets $p0 -> $p1"
tb_is "$(tb_chan g1 "$d2" state)" connected "the channel stays up through it"
tb_exec g1 "ip addr del 192.0.2.99/32 dev eth0" >/dev/null
xenstore-rm "$IP_NODE"
reconcile_g1
tb_wait_for 30 sh -c ". /tb/tb.sh; [ -z \"\$(tb_chan g2 $d1 peer_ipv4)\" ]"
tb_is "$(tb_chan g2 "$d1" peer_ipv4)" "" "ip= gone: g2 restricts g1 no more"

# The switch, while g1 streams to g2: $1 is the node under $SWITCH.
switch_off_mid_stream() {
	port=$2
	tb_exec g2 "/tb/tb-udpseq recv 192.0.2.2 $port $N 300 60 >/tmp/pol$port.out 2>&1 &" >/dev/null
	tb_wait_for 20 tb_listening g2 udp "$port"
	c0=$(tb_chan_count g1 "$d2")
	tb_exec g1 "/tb/tb-udpseq send 192.0.2.2 $port $N 1000 >/dev/null 2>&1 &" >/dev/null
	tb_wait_chan_packets 30 g1 "$d2" $((c0 + 500))
	xenstore-write "$SWITCH/$1" off
	tb_wait_for 30 sh -c ". /tb/tb.sh; [ \"\$(tb_chan g1 $d2 state)\" = idle ]"
	tb_is "$(tb_chan g1 "$d2" state)" idle "$1 off: g1's channel to g2 goes"
	tb_is "$(xenstore-read "$VIEW2/fastpath-policy")" off "$1 off: g2's view says so"
	tb_wait_for 240 sh -c ". /tb/tb.sh; tb_exec g2 'grep -q received /tmp/pol$port.out'"
	res=$(tb_exec g2 "cat /tmp/pol$port.out")
	tb_log "$1 off mid-stream: $res"
	tb_like "$res" "^received $N lost 0 " "$1 off: the stream goes on over the NIC and loses nothing"
	tb_is "$(tb_chan g1 "$d2" state)$(tb_chan g2 "$d1" state)" idleidle \
		"$1 off: no channel comes back while off"
	xenstore-rm "$SWITCH/$1"
	tb_wait_chan 60 g1 "$d2" connected
	tb_is "$(tb_chan g1 "$d2" state)" connected "$1 on again: the channel comes back"
}
switch_off_mid_stream vm/g2 5007

# By group: the same switch, for every member of g2's group at once.
xenstore-write "$SWITCH/group/default" off
tb_wait_for 30 sh -c ". /tb/tb.sh; [ \"\$(tb_chan g1 $d2 state)\" = idle ]"
tb_is "$(tb_chan g1 "$d2" state)$(xenstore-read "$VIEW2/fastpath-policy")" idleoff \
	"group/default off: the channel goes and g2's view says so"
xenstore-rm "$SWITCH/group/default"
tb_wait_chan 60 g1 "$d2" connected
tb_is "$(tb_chan g1 "$d2" state)" connected "group/default on again: the channel comes back"

for g in g1 g2; do
	tb_exec $g 'killall tb-udpseq 2>/dev/null; rmmod symbiont_fastpath' >/dev/null
done
tb_done
