#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dom0's work per guest is rate-limited (issue 10 item 3), played from
# the flooding guest's side: g2 rewrites its own data/symbiont/state
# (joined <-> migrating) as fast as xenstored lets it. Coalescing bounded
# what was queued, not how often dom0 ran: each run re-read g2, rewrote
# every member's view and logged an event, so the flood kept dom0 and
# xenstored busy and pushed everyone else's events out of the log. Now a
# guest's writes buy at most 5 runs back to back, then 2 per second;
# checked while the flood runs: dom0's runs, g2's own events against its
# budget, xl list and a xenstore-write from g1 against the same at idle;
# g3's join as seen by g1 is measured against the same join at idle (not
# asserted, see below); after it, g3's join is still in the event log.
. /tb/tb.sh
tb_header

GM=/lib/modules/symbiont_guest.ko
BURST=5
RATE=2			# runs per second, DOM0_GUEST_INTERVAL = HZ / 2
st=/sys/kernel/symbiont/stats
# scripts/testbed --param flood_secs=60 for the 60 s.
FLOOD_S=${TB_FLOOD_SECS:-30}
ns() { /tb/tb-xs now; }
ms_since() { echo $(( ($(ns) - $1) / 1000000 )); }

d1=$(tb_domid g1)
d2=$(tb_domid g2)
d3=$(tb_domid g3)
tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)"

# g3 leaves and joins again; how long until g1 lists it.
rejoin_g3_ms() {
	tb_exec g3 'rmmod symbiont_fastpath 2>/dev/null; rmmod symbiont_guest' >/dev/null
	tb_wait_peers 60 g1 "$d2" || return 1
	_t=$(ns)
	tb_exec g3 "insmod $GM" >/dev/null
	tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)" || return 1
	ms_since "$_t"
}
timed_ms() { # command...: its wall time in ms, or "failed"
	_t=$(ns)
	"$@" >/dev/null 2>&1 || { echo failed; return; }
	ms_since "$_t"
}

idle_join=$(rejoin_g3_ms)
idle_xl=$(timed_ms xl list)
idle_write=$(timed_ms tb_exec g1 'xenstore-write data/tb/probe 1')
join_seq=$(symbiont events | awk -v d="$d3" 'NR > 1 && $3 == "join" && $4 == d { s = $1 } END { print s + 0 }')
tb_log "idle: g3's join seen by g1 in ${idle_join} ms (event seq $join_seq); xl list ${idle_xl} ms; xenstore-write from g1 ${idle_write} ms"

seq0=$(symbiont events | awk 'NR > 1 { s = $1 } END { print s + 0 }')
r0=$(cat $st/xs_requests)
w0=$(cat $st/work_runs)
th0=$(cat $st/throttled 2>/dev/null || echo 0)
t0=$(ns)
tb_exec g2 '/tb/tb-xs flood data/symbiont/state 100000000 joined migrating >/tmp/flood.out 2>&1 &' >/dev/null
# The flood is on once dom0 throttles g2.
tb_wait_for 30 sh -c "[ \$(cat $st/throttled 2>/dev/null || echo 0) -gt $th0 ]"
flood_join=$(rejoin_g3_ms)
flood_xl=$(timed_ms xl list)
flood_write=$(timed_ms tb_exec g1 'xenstore-write data/tb/probe 2')
# The attack lasts FLOOD_S (the measurements above ran inside it).
tb_wait_for $((FLOOD_S + 30)) sh -c "[ \$(( (\$(/tb/tb-xs now) - $t0) / 1000000000 )) -ge $FLOOD_S ]"
r1=$(cat $st/xs_requests)
w1=$(cat $st/work_runs)
th1=$(cat $st/throttled 2>/dev/null || echo 0)
secs=$(( ($(ns) - t0) / 1000000000 ))
tb_exec g2 'killall tb-xs; xenstore-write data/symbiont/state joined' >/dev/null
tb_log "during ${secs} s of flood: $((w1 - w0)) dom0 work runs, $(( (r1 - r0) / secs )) XenStore requests/s, $((th1 - th0)) runs deferred"
tb_log "during the flood: g3's join seen by g1 in ${flood_join} ms; xl list ${flood_xl} ms; xenstore-write from g1 ${flood_write} ms"

# g2's reconciles: each logs at most one event of g2 (migrate-out or -in).
budget=$((BURST + RATE * (secs + 1)))
ev2=$(symbiont events | awk -v s="$seq0" -v d="$d2" 'NR > 1 && $1 > s && $4 == d' | wc -l)
tb_log "g2's events during the flood: $ev2 (its budget: $budget runs)"
[ "$ev2" -le "$budget" ] &&
	tb_ok "g2's flood cost at most its budget of dom0 runs ($ev2 events <= $budget)" ||
	tb_fail "g2's flood cost at most its budget of dom0 runs" "$ev2 events of g2 in $secs s"
# Every run: g2's reconcile, and the relay's look at each member's new view.
max_runs=$((budget * 4 + 20))
[ $((w1 - w0)) -le $max_runs ] &&
	tb_ok "dom0 ran at most ${max_runs} times in ${secs} s of flood ($((w1 - w0)))" ||
	tb_fail "dom0 ran at most ${max_runs} times in ${secs} s of flood" "$((w1 - w0)) runs"
tb_check "dom0 deferred g2's runs" [ $((th1 - th0)) -gt 0 ]
# Not asserted: the join, and a write from g1, also wait for xenstored,
# which the flood's own writes load whatever dom0 does (measured under
# TCG: the join 1.6x to 4x the idle latency; g1's write 2.0 to 4.2 s
# against about 1 s idle, in runs where dom0 sent 70-80 requests/s).
# What dom0 itself adds is bounded above (its runs). Logged for the note.
tb_log "g3's join: ${flood_join} ms during the flood against ${idle_join} ms at idle"
tb_log "xenstore-write from g1: ${flood_write} ms during the flood against ${idle_write} ms at idle"
for m in "xl list:$idle_xl:$flood_xl"; do
	what=${m%%:*}
	rest=${m#*:}
	i=${rest%%:*}
	f=${rest#*:}
	case "$i$f" in
	*[!0-9]*) tb_fail "$what stays responsive" "idle '$i' flood '$f'" ;;
	*) [ "$f" -le $((4 * i + 1000)) ] &&
		tb_ok "$what stays responsive ($i -> $f ms)" ||
		tb_fail "$what stays responsive" "idle $i ms, flood $f ms" ;;
	esac
done
tb_wait_peers 30 g1 "$(tb_domids_of g2 g3)"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "g1 sees g2 joined again after the flood"
symbiont events | awk -v s="$join_seq" 'NR > 1 && $1 == s { f = 1 } END { exit !f }' &&
	tb_ok "g3's join before the flood is still in dom0's event log (seq $join_seq)" ||
	tb_fail "g3's join before the flood is still in dom0's event log" \
		"first kept: $(symbiont events | awk 'NR == 2 { print $1 }')"
tb_done
