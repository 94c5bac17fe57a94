#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Hostile input: a guest writes malformed values into its own registration
# node, then rewrites it TB_FLOOD_N times (default 100,000; `make check`
# uses 10,000 to stay within its time budget, `make soak` the full count). Each bad value is rejected with a
# rate-limited log line, no other guest is affected, and dom0's memory and
# pending work stay bounded.
. /tb/tb.sh
tb_header

d2=$(tb_domid g2)
want1=$(tb_domids_of g2 g3)
rejections() { dmesg | grep -c "domain $d2: malformed value"; }
rejected_more() { [ "$(rejections)" -gt "$1" ]; }
for bad in "garbage" "" "12345678901234567890123" \
	"$(head -c 4000 /dev/zero | tr '\0' 'x')" "joined\001"; do
	r0=$(rejections)
	# dom0 logs the rejection as the last thing it does with a value
	# (rate-limited to 10 in 5 s: these 5 fit): wait for that, then look.
	# xenstored itself may refuse a value (a domU's limit is 2048 bytes).
	if tb_exec g2 "xenstore-write data/symbiont/state '$bad'" >/dev/null; then
		tb_wait_for 20 rejected_more "$r0" ||
			tb_log "dom0 logged no rejection of the ${#bad}-byte value in 20 s"
	else
		tb_log "xenstored refused the ${#bad}-byte value"
	fi
	tb_is "$(tb_peers_of g1)" "$want1" "g1 unaffected by g2 writing ${#bad}-byte bad state"
done
tb_exec g2 "xenstore-rm data/symbiont/version" >/dev/null
tb_exec g2 "xenstore-write data/symbiont/state joined" >/dev/null
tb_like "$(dmesg | grep -c "symbiont_dom0: domain $d2: malformed value")" '^[1-9]' \
	"dom0 logged the malformed values of domid $d2"
tb_is "$(cat /sys/kernel/symbiont/members/$d2/state)" joined "g2 still a joined member"

sync; echo 3 >/proc/sys/vm/drop_caches
slab0=$(tb_meminfo Slab)
free0=$(tb_meminfo MemFree)
runs0=$(cat /sys/kernel/symbiont/stats/work_runs)
fired0=$(cat /sys/kernel/symbiont/stats/watch_fired)
t0=$(date +%s)
n=${TB_FLOOD_N:-100000}
out=$(tb_exec g2 "/tb/tb-xs flood data/symbiont/state $n joined migrating" 1800)
tb_log "the flood took $(( $(date +%s) - t0 )) s"
tb_is "$out" "$((n + 1)) writes" "g2 rewrote its state node $n times"
# Settled when every write's firing has reached dom0 (only the watch on
# g2's state node fires for them): each was dropped or became work, and
# coalescing leaves at most one work item still to run.
writes=${out% writes}
case "$writes" in ''|*[!0-9]*) writes=0 ;; esac
all_fired() { [ "$(cat /sys/kernel/symbiont/stats/watch_fired)" -ge $((fired0 + writes)) ]; }
tb_wait_for 120 all_fired ||
	tb_log "dom0 received $(( $(cat /sys/kernel/symbiont/stats/watch_fired) - fired0 )) of $writes firings in 120 s"
runs=$(( $(cat /sys/kernel/symbiont/stats/work_runs) - runs0 ))
fired=$(cat /sys/kernel/symbiont/stats/watch_fired)
dropped=$(cat /sys/kernel/symbiont/stats/watch_dropped)
tb_log "work runs $runs, watch fired $fired, dropped $dropped"
if [ "$runs" -lt "$n" ] && [ "$dropped" -gt 0 ]; then
	tb_ok "dom0 coalesced the flood: $runs work runs for $((n + 1)) writes"
else
	tb_fail "dom0 coalesced the flood" "runs $runs fired $fired dropped $dropped"
fi
slab1=$(tb_meminfo Slab)
free1=$(tb_meminfo MemFree)
tb_log "dom0 Slab ${slab0} -> ${slab1} kB, MemFree ${free0} -> ${free1} kB"
if [ $((slab1 - slab0)) -lt 2048 ]; then
	tb_ok "dom0 slab grew less than 2 MiB during the flood ($((slab1 - slab0)) kB)"
else
	tb_fail "dom0 slab grew less than 2 MiB during the flood" "$slab0 -> $slab1 kB"
fi
tb_wait_peers 30 g1 "$want1"
tb_is "$(tb_peers_of g1)" "$want1" "g1 still sees g2 and g3 after the flood"
tb_done
