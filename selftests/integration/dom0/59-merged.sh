#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Merged transitions are counted, never dropped (issue 10 item 8): g3
# reloads its guest module 20 times (40 transitions: leave, join) faster
# than dom0's budget lets it look. Every one is in dom0's log, as an
# event or in a merged count (Documentation/protocol.md, "Merged
# transitions"); before, dom0 logged a few joins and leaves and the rest
# vanished. Then g3 writes a malformed count: logged, no record, and its
# next announcement counts on.
. /tb/tb.sh
tb_header

GUEST=/lib/modules/symbiont_guest.ko
FP=/lib/modules/symbiont_fastpath.ko
CYCLES=20

d3=$(tb_domid g3)
home=/local/domain/$d3/data/symbiont
joined() { [ "$(cat /sys/kernel/symbiont/members/$d3/state 2>/dev/null)" = joined ]; }

# The guest module can go only without the fast path on top of it.
had_fp=$(tb_exec g3 'lsmod | grep -c "^symbiont_fastpath "')
[ "$had_fp" = 0 ] || tb_exec g3 "rmmod symbiont_fastpath" >/dev/null
tb_check "g3 is a member before the flaps" tb_wait_for 30 joined
# It joined at its last announcement, so dom0 read its count with it.
since=$(tb_event_last_seq)
c0=$(xenstore-read $home/transitions)
tb_like "$c0" '^[0-9]+$' "g3 announces a transitions count ($c0)"

# g3's records in dom0's log after seq $since (overflow lines are no record).
g3_records() {
	symbiont events 2>/dev/null |
		awk -v s="$since" -v d="$d3" 'NR > 1 && $1 > s + 0 && $3 != "overflow" && $4 == d'
}
# The transitions they stand for: one per event, plus the merged counts
# (column MERGED, '-' for none).
accounted() {
	g3_records | awk '{ n += ($3 == "merged" ? 0 : 1) + ($8 == "-" ? 0 : $8) }
		END { print n + 0 }'
}

t0=$(date +%s)
out=$(tb_exec g3 "i=0; while [ \$i -lt $CYCLES ]; do
	rmmod symbiont_guest || exit 1
	insmod $GUEST || exit 1
	i=\$((i + 1))
done; echo \$i" 600)
tb_is "$out" $CYCLES "g3 unloaded and loaded its guest module $CYCLES times"
tb_log "$CYCLES reloads took $(( $(date +%s) - t0 )) s"
c1=$(xenstore-read $home/transitions)
tb_is "$((c1 - c0))" $((CYCLES * 2)) "g3's count moved by $((CYCLES * 2)) ($c0 -> $c1)"

want=$((CYCLES * 2))
all_accounted() { [ "$(accounted)" = "$want" ]; }
tb_wait_for 60 all_accounted
got=$(accounted)
records=$(g3_records | wc -l)
merged=$(g3_records | awk '$8 != "-" { n += $8 } END { print n + 0 }')
tb_log "dom0: $records records for g3 stand for $got transitions, $merged of them merged; $(cat /sys/kernel/symbiont/stats/throttled) runs deferred in all"
tb_is "$got" "$want" "dom0's log accounts for all $want transitions"
[ "$merged" -gt 0 ] && tb_ok "dom0 merged some of them ($merged) and said so" ||
	tb_fail "dom0 merged some of them and said so" "$(symbiont events | tail -n 20)"
[ "$records" -lt "$want" ] && tb_ok "in fewer records ($records) than transitions" ||
	tb_fail "in fewer records than transitions" "$records"
tb_check "g3 is a member after the flaps" tb_wait_for 30 joined

# A malformed count: dom0 says so and logs nothing for it.
since=$(tb_event_last_seq)
tb_exec g3 "xenstore-write data/symbiont/transitions junk; xenstore-write data/symbiont/state joined" >/dev/null
tb_check "dom0 logs the malformed count" tb_wait_for 30 sh -c \
	"dmesg | grep -q 'domain $d3: malformed value in $home/transitions ignored'"
tb_is "$(accounted)" 0 "and logs no record for it"
tb_exec g3 "rmmod symbiont_guest && insmod $GUEST" >/dev/null
tb_is "$(xenstore-read $home/transitions)" 2 "the guest's next announcements count on from 0"
tb_check "g3 is a member again" tb_wait_for 30 joined

[ "$had_fp" = 0 ] || tb_exec g3 "insmod $FP" >/dev/null
tb_done
