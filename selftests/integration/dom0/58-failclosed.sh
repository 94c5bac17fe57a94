#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Errors fail closed and are retried (issue 10 item 4). The test build's
# xs_fail_one_in knob of symbiont_core makes 1 in N of dom0's XenStore
# writes and removals fail with -EIO, as a loaded or quota-bound xenstored
# might. While g1, g2 and g3 have channels, g3 is regrouped out and back
# several times: once each regroup settles, no view dom0 wrote shows a
# peer from another group, no channel crosses groups, and the channels
# come back after the return. Without the retry a failed view write was
# dropped and the view stayed stale until something else rewrote it.
# Then the guest side: g1's XenStore refuses every write while the admin
# switches its fast path off, so its "closed" records fail; once its
# writes work again, its records say closed without anything else
# happening (before, they kept saying offered); and offers that failed
# likewise are made again once they can succeed; so is the rejoin of a
# restored g1.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
KNOB=/sys/module/symbiont_core/parameters/xs_fail_one_in
INJECTED=/sys/module/symbiont_core/parameters/xs_faults_injected
GROUP3=/local/domain/0/symbiont/groups/g3
SWITCH=/local/domain/0/symbiont/fastpath
ONE_IN=12		# a view of two peers takes ~16 writes: about 1 in 4 gets through
ROUNDS=3
d1=$(tb_domid g1)
d2=$(tb_domid g2)
d3=$(tb_domid g3)

# The peers dom0 wrote into a member's view, sorted as tb_domids_of sorts
# (earlier scenarios re-create guests: g2's domid may exceed g3's).
view_of() {
	xenstore-list "/local/domain/$1/symbiont/peers" 2>/dev/null |
		sort -n | tr '\n' ' ' | sed 's/ $//'
}
views_are() { # expected views of g1 g2 g3, "|"-separated
	[ "$(view_of "$d1")|$(view_of "$d2")|$(view_of "$d3")" = "$1" ]
}
views_settle() { # expected-views description
	if tb_wait_for 180 views_are "$1"; then
		tb_ok "$2"
	else
		tb_fail "$2" "views: g1 '$(view_of "$d1")' g2 '$(view_of "$d2")' g3 '$(view_of "$d3")'"
	fi
}
# A channel's state, "-" when there is none.
chan_state() {
	s=$(tb_chan "$1" "$2" state)
	echo "${s:--}"
}
no_channel_to_g3() {
	for s in "$(chan_state g1 "$d3")" "$(chan_state g2 "$d3")" \
		"$(chan_state g3 "$d1")" "$(chan_state g3 "$d2")"; do
		case $s in -|idle) ;; *) return 1 ;; esac
	done
}
all_connected() {
	[ "$(chan_state g1 "$d2")$(chan_state g1 "$d3")$(chan_state g2 "$d3")" = \
		connectedconnectedconnected ]
}

for g in g1 g2 g3; do
	tb_exec $g "grep -q '^symbiont_fastpath ' /proc/modules || insmod $FP" >/dev/null
done
tb_wait_for 120 all_connected
tb_check "g1, g2 and g3 have channels to each other" all_connected

if [ ! -w "$KNOB" ]; then
	tb_fail "symbiont_core has the test build's xs_fail_one_in" "no $KNOB"
	tb_done
	exit
fi
i0=$(cat "$INJECTED")
r0=$(cat /sys/kernel/symbiont/stats/retries)
echo "$ONE_IN" >"$KNOB"

round=1
while [ $round -le $ROUNDS ]; do
	xenstore-write "$GROUP3" blue
	tb_wait_for 30 sh -c "[ \"\$(cat /sys/kernel/symbiont/members/$d3/group)\" = blue ]"
	views_settle "$d2|$d1|" "round $round, g3 out: every view settles without g3 (g3's with nobody)"
	tb_wait_for 60 no_channel_to_g3
	tb_check "round $round, g3 out: no channel crosses the groups" no_channel_to_g3
	tb_is "$(chan_state g1 "$d2")" connected "round $round, g3 out: g1 and g2 keep theirs"

	xenstore-rm "$GROUP3"
	tb_wait_for 30 sh -c "[ \"\$(cat /sys/kernel/symbiont/members/$d3/group)\" = default ]"
	views_settle "$(tb_domids_of g2 g3)|$(tb_domids_of g1 g3)|$(tb_domids_of g1 g2)" \
		"round $round, g3 back: every view settles with all three"
	tb_wait_for 240 all_connected
	tb_check "round $round, g3 back: the channels come back" all_connected
	round=$((round + 1))
done

echo 0 >"$KNOB"
i1=$(cat "$INJECTED")
r1=$(cat /sys/kernel/symbiont/stats/retries)
tb_log "dom0: $((i1 - i0)) XenStore writes failed by injection, $((r1 - r0)) retries"
[ $((i1 - i0)) -gt 0 ] && tb_ok "failures were injected in dom0 ($((i1 - i0)))" ||
	tb_fail "failures were injected in dom0" "xs_faults_injected $i0 -> $i1"
[ $((r1 - r0)) -gt 0 ] && tb_ok "dom0 retried ($((r1 - r0)) times)" ||
	tb_fail "dom0 retried" "stats/retries $r0 -> $r1"
tb_check "dom0 logged withdrawn views" sh -c "dmesg | grep -q 'withdrawn until a retry writes it'"

# The guest's side: g1's records for g2 and g3 while its writes fail.
REC12=/local/domain/$d1/data/symbiont/fastpath/$d2/state
REC13=/local/domain/$d1/data/symbiont/fastpath/$d3/state
records_closed() {
	[ "$(xenstore-read "$REC12" 2>/dev/null)$(xenstore-read "$REC13" 2>/dev/null)" = closedclosed ]
}
tb_exec g1 "echo 1 >$KNOB" >/dev/null
xenstore-write "$SWITCH/vm/g1" off
tb_wait_for 60 sh -c ". /tb/tb.sh; [ \"\$(tb_chan g1 $d2 state)\$(tb_chan g1 $d3 state)\" = idleidle ]"
tb_is "$(tb_chan g1 "$d2" state)$(tb_chan g1 "$d3" state)" idleidle \
	"g1's fast path switched off: its channels go"
g1_log=$(tb_exec g1 "dmesg | grep -c 'cannot publish closed'")
[ "${g1_log:-0}" -gt 0 ] && tb_ok "g1 could not publish closed ($g1_log log lines)" ||
	tb_fail "g1 could not publish closed" "no log line in g1"
tb_log "g1's records while its writes fail: $(xenstore-read "$REC12" 2>&1) $(xenstore-read "$REC13" 2>&1)"
tb_exec g1 "echo 0 >$KNOB" >/dev/null
if tb_wait_for 60 records_closed; then
	tb_ok "once g1 can write again, its retries publish closed for both peers"
else
	tb_fail "once g1 can write again, its retries publish closed for both peers" \
		"records: $(xenstore-read "$REC12" 2>&1) $(xenstore-read "$REC13" 2>&1)"
fi
# Switched on again while g1's writes still fail: its offers fail, and
# are retried once they can succeed, with no view change to prompt them.
offer_failed() { tb_exec g1 "dmesg | grep -q 'cannot offer a channel'"; }
tb_exec g1 "echo 1 >$KNOB" >/dev/null
xenstore-rm "$SWITCH/vm/g1"
tb_wait_for 60 offer_failed
tb_check "g1's switch on again while its writes fail: its offers fail" offer_failed
tb_exec g1 "echo 0 >$KNOB" >/dev/null
tb_wait_for 120 all_connected
tb_check "once g1 can write again, its retried offers bring the channels back" all_connected

for g in g1 g2 g3; do
	tb_exec $g 'rmmod symbiont_fastpath' >/dev/null
done

# A restore that meets a XenStore refusing g1's writes: its rejoin fails
# (and so does the freeze's migrating, so dom0 takes the save for a loss).
# Once g1 can write again, its retried rejoin makes it a member, under its
# new domid, with nothing else happening; before, it stayed out for good.
tb_exec g1 "echo 1 >$KNOB" >/dev/null
if xl save g1 /tmp/g1.save >/tmp/xl-save.log 2>&1 &&
	xl restore /tmp/g1.save >/tmp/xl-restore.log 2>&1; then
	tb_ok "xl save + xl restore of g1 while its writes fail"
else
	tb_fail "xl save + xl restore of g1 while its writes fail" \
		"$(cat /tmp/xl-save.log /tmp/xl-restore.log)"
fi
rm -f /tmp/g1.save
n1=$(tb_domid g1)
rejoin_failed() { tb_exec g1 "dmesg | grep -q 'cannot announce joined'"; }
tb_wait_for 60 rejoin_failed
tb_check "restored g1 (domid $n1) cannot announce its rejoin" rejoin_failed
[ -d "/sys/kernel/symbiont/members/$n1" ] &&
	tb_fail "meanwhile dom0 does not count g1 a member" "members/$n1 exists" ||
	tb_ok "meanwhile dom0 does not count g1 a member"
tb_exec g1 "echo 0 >$KNOB" >/dev/null
is_member() { [ -d "/sys/kernel/symbiont/members/$n1" ]; }
tb_wait_for 60 is_member
tb_check "once g1 can write again, its retried rejoin makes it a member" is_member
tb_wait_peers 60 g2 "$(tb_domids_of g1 g3)"
tb_is "$(tb_peers_of g2)" "$(tb_domids_of g1 g3)" "g2 sees the restored g1 again"
tb_done
