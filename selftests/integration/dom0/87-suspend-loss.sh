#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A sender's suspend loses nothing it could have delivered (issue 10 item
# 9, second half). g1 streams small UDP datagrams to g2 at full rate and
# is saved and restored; in turn over the fast path and over netfront
# alone (g1's symbiont_fastpath unloaded), CYCLES times each, in one
# boot. Per cycle: what g2 never received of what g1 sent, minus g2's own
# socket drops (Udp RcvbufErrors).
# Before: the messages g2 had not consumed at g1's suspend were taken back
# and re-sent on g1's netfront, itself about to suspend, which dropped
# many. Now g1 waits (suspend_drain_ms, bounded) for g2 to consume them:
# at each suspend nothing is left to take back (the channel's reclaimed
# count stays). The losses of both modes are logged, not compared: on
# this testbed both lose the same few dozen datagrams per cycle, all
# after the resume, while netfront reconnects (the fast path's traffic
# takes netfront until its channel is back). At the rate a TCG guest
# sends here, g2 keeps up, so the code before the drain took nothing back
# either (measured with --param suspend_drain_ms=0): this scenario shows
# the drain harmless and the losses of both modes, not the drain's gain.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
# make check runs 1 of each; scripts/testbed --param loss_cycles=10 the issue's 10.
CYCLES=${TB_LOSS_CYCLES:-1}
# --param suspend_drain_ms=0 shows the behaviour before the drain.
DRAIN=${TB_SUSPEND_DRAIN_MS:+suspend_drain_ms=$TB_SUSPEND_DRAIN_MS}
PORT=7200
SEQS=8000000

udp_stat() { # guest field of /proc/net/snmp's Udp lines
	tb_exec "$1" "awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if (\$i == \"$2\") c = i; h = 1 } else print \$c }' /proc/net/snmp"
}

udp_in_at_least() { # count
	[ "$(udp_stat g2 InDatagrams)" -ge "$1" ]
}

# One save + restore of g1 under the stream; sets loss (and reclaimed
# for the fast path) or fails the cycle and returns 1.
cycle() { # fastpath|netfront number
	if [ "$1" != netfront ]; then
		tb_exec g1 "lsmod | grep -q symbiont_fastpath || insmod $FP $DRAIN" >/dev/null
		tb_wait_chan 60 g1 "$d2" connected ||
			{ tb_fail "$1 cycle $2: g1's channel to g2 is up"; return 1; }
	else
		tb_exec g1 "! lsmod | grep -q symbiont_fastpath || rmmod symbiont_fastpath" >/dev/null
	fi
	drops0=$(udp_stat g2 RcvbufErrors)
	tb_exec g2 "(/tb/tb-udpseq recv 192.0.2.2 $PORT $SEQS 900 60 >/tmp/loss.recv 2>&1 &)" >/dev/null
	tb_wait_for 30 tb_listening g2 udp $PORT
	tb_exec g1 "(/tb/tb-udpseq send 192.0.2.2 $PORT $SEQS 1000000 >/tmp/loss.send 2>&1 &)" >/dev/null
	tb_wait_for 60 udp_in_at_least $(($(udp_stat g2 InDatagrams) + 2000)) ||
		{ tb_fail "$1 cycle $2: the stream reaches g2"; return 1; }
	[ "$1" != netfront ] && reclaimed0=$(tb_num "$(tb_chan g1 "$d2" reclaimed)")
	if ! xl save g1 /tmp/g1.save >/tmp/save.log 2>&1 ||
	   ! xl restore /tmp/g1.save >/tmp/restore.log 2>&1; then
		tb_fail "$1 cycle $2: xl save + restore of g1" "$(cat /tmp/save.log /tmp/restore.log)"
		return 1
	fi
	rm -f /tmp/g1.save
	[ "$1" != netfront ] && ! tb_wait_chan 120 g1 "$d2" connected &&
		{ tb_fail "$1 cycle $2: g1's channel to g2 is back"; return 1; }
	# The stream flows again after the restore, then ends.
	tb_wait_for 60 udp_in_at_least $(($(udp_stat g2 InDatagrams) + 2000)) ||
		{ tb_fail "$1 cycle $2: the stream reaches g2 after the restore"; return 1; }
	tb_exec g1 "killall -TERM tb-udpseq" >/dev/null ||
		{ tb_fail "$1 cycle $2: g1's sender stops"; return 1; }
	tb_wait_for 90 tb_exec g2 "grep -q '^received' /tmp/loss.recv" ||
		{ tb_fail "$1 cycle $2: g2's receiver reports" "$(tb_exec g2 'cat /tmp/loss.recv; ps | grep udpseq; grep Udp: /proc/net/snmp')" "$(tb_exec g1 'cat /tmp/loss.send; ps | grep udpseq; grep Udp: /proc/net/snmp')"; return 1; }
	line=$(tb_exec g2 "cat /tmp/loss.recv" | grep '^received')
	lost=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "lost") print $(i + 1) }')
	sent=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "sent") print $(i + 1) }')
	drops=$(($(udp_stat g2 RcvbufErrors) - drops0))
	loss=$((lost - drops))
	[ $loss -ge 0 ] || loss=0
	msg="$1 cycle $2: sent ${sent:-?}, lost $lost, of which g2's socket dropped $drops: $loss"
	if [ "$1" != netfront ]; then
		reclaimed=$(($(tb_num "$(tb_chan g1 "$d2" reclaimed)") - reclaimed0))
		msg="$msg; taken back at the suspend: $reclaimed"
	fi
	tb_log "$msg; $(tb_exec g1 "cat /tmp/loss.send")"
	[ -n "$sent" ] ||
		{ tb_fail "$1 cycle $2: g2 got g1's end record" "$line"; return 1; }
}

tb_exec g2 "lsmod | grep -q symbiont_fastpath || insmod $FP" >/dev/null
d2=$(tb_domid g2)
fp_losses=
nf_losses=
taken_back=0
i=1
while [ $i -le "$CYCLES" ]; do
	cycle fastpath $i || break
	fp_losses="$fp_losses $loss"
	taken_back=$((taken_back + reclaimed))
	cycle netfront $i || break
	nf_losses="$nf_losses $loss"
	i=$((i + 1))
done
tb_log "datagrams lost at g1's suspends beyond g2's socket drops: fast path:$fp_losses; netfront:$nf_losses"
[ $i -gt "$CYCLES" ] &&
	tb_is "$taken_back" 0 "at each suspend g2 had consumed g1's whole ring: nothing was taken back"

tb_exec g1 "lsmod | grep -q symbiont_fastpath || insmod $FP" >/dev/null
# After a failed cycle (none runs otherwise).
tb_exec g1 "killall tb-udpseq 2>/dev/null" >/dev/null
tb_exec g2 "killall tb-udpseq 2>/dev/null" >/dev/null
tb_done
