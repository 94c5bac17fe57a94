#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Identity is checked on every reconcile: a new domain behind a member's
# domid (simulated by rewriting a paused guest's vm and name from dom0)
# is logged as lost (old identity) then join (new one), and every view,
# dom0's members/ and the relay follow. Then back the same way.
. /tb/tb.sh
tb_header

all=$(tb_guests | tr '\n' ' ')
tb_wait_for 60 sh -c "[ \"\$(. /tb/tb.sh; tb_members)\" = '$(tb_domids_of $all)' ]"

d=$(tb_domid g2)
home=/local/domain/$d
old_vm=$(xenstore-read $home/vm)
old_uuid=${old_vm#/vm/}
old_name=$(xenstore-read $home/name)
new_uuid=$(cat /proc/sys/kernel/random/uuid)
new_name=reborn$d
tb_log "g2 is domid $d: $old_uuid $old_name -> $new_uuid $new_name"

# Success if dom0's log has KIND for domid $d with UUID and NAME after seq AFTER.
event_after() { # after kind uuid name
	symbiont events 2>/dev/null | awk -v a="$1" -v k="$2" -v d="$d" \
		-v u="$3" -v n="$4" \
		'NR > 1 && $1 > a && $3 == k && $4 == d && $6 == u && $7 == n { f = 1 }
		 END { exit !f }'
}
last_seq() {
	symbiont events 2>/dev/null | awk 'NR > 1 { s = $1 } END { print s + 0 }'
}

# Rewrites g2's identity to UUID NAME and checks everyone follows.
flip() { # from-uuid from-name to-uuid to-name label
	_seq=$(last_seq)
	xenstore-write $home/vm "/vm/$3" $home/name "$4"
	# The guest's state node firing makes dom0 reconcile it.
	xenstore-write $home/data/symbiont/state joined
	if tb_wait_for 20 event_after "$_seq" lost "$1" "$2"; then
		tb_ok "$5: dom0 logs lost for $2"
	else
		tb_fail "$5: dom0 logs lost for $2" "$(symbiont events 2>&1)"
	fi
	if tb_wait_for 20 event_after "$_seq" join "$3" "$4"; then
		tb_ok "$5: dom0 logs join for $4"
	else
		tb_fail "$5: dom0 logs join for $4" "$(symbiont events 2>&1)"
	fi
	tb_is "$(cat /sys/kernel/symbiont/members/$d/uuid 2>&1)" "$3" \
		"$5: dom0's members/$d has the new uuid"
	tb_is "$(cat /sys/kernel/symbiont/members/$d/name 2>&1)" "$4" \
		"$5: dom0's members/$d has the new name"
	tb_wait_for 20 sh -c ". /tb/tb.sh; [ \"\$(tb_exec g1 'cat /sys/kernel/symbiont/peers/$d/name')\" = '$4' ]"
	tb_is "$(tb_exec g1 "cat /sys/kernel/symbiont/peers/$d/uuid")" "$3" \
		"$5: g1 sees domid $d with the new uuid"
	tb_is "$(tb_exec g1 "cat /sys/kernel/symbiont/peers/$d/name")" "$4" \
		"$5: g1 sees domid $d with the new name"
	_list=$(tb_exec g1 'symbiont list -j')
	tb_like "$_list" "\"$3\"" "$5: g1's symbiont list -j shows the new uuid"
	case $_list in
	*"\"$1\""*) tb_fail "$5: g1's list no longer shows $1" "$_list" ;;
	*) tb_ok "$5: g1's list no longer shows $1" ;;
	esac
	tb_is "$(xenstore-read /local/domain/$(tb_domid g1)/symbiont/peers/$d/uuid 2>&1)" "$3" \
		"$5: g1's view in XenStore has the new uuid"
}

# A channel g1-g2, so that the relay holds records keyed by g2's domid.
FP=/lib/modules/symbiont_fastpath.ko
for g in g1 g2; do
	tb_exec $g "lsmod | grep -q symbiont_fastpath || insmod $FP" >/dev/null
done
d1=$(tb_domid g1)
tb_check "g1-g2 channel up before" tb_wait_chan 60 g1 "$d" connected

xl pause g2

# XenStore requests of one reconcile of a member whose identity holds.
st=/sys/kernel/symbiont/stats
for i in 1 2 3; do
	r0=$(cat $st/xs_requests)
	w0=$(cat $st/work_runs)
	xenstore-write $home/data/symbiont/state joined
	# A reconcile counts in work_runs once it has finished.
	tb_wait_for 10 sh -c "[ \$(cat $st/work_runs) -gt $w0 ]"
	r1=$(cat $st/xs_requests)
	tb_log "one reconcile of domid $d: $((r1 - r0)) XenStore requests, $(($(cat $st/work_runs) - w0)) work runs"
done
tb_is "$(symbiont events | awk -v d=$d 'NR > 1 && $4 == d && $3 == "lost"' | wc -l)" 0 \
	"an unchanged identity is no event"
# transitions, state, transitions, home, then vm, name, vif mac and vif
# ip (protocol.md).
if [ $((r1 - r0)) -le 8 ]; then
	tb_ok "one reconcile costs $((r1 - r0)) XenStore requests (at most 8)"
else
	tb_fail "one reconcile costs at most 8 XenStore requests" "$((r1 - r0))"
fi

flip "$old_uuid" "$old_name" "$new_uuid" "$new_name" "new domain"
flip "$new_uuid" "$new_name" "$old_uuid" "$old_name" "restored"
xl unpause g2

want=$(tb_domids_of $all)
tb_wait_for 30 sh -c "[ \"\$(. /tb/tb.sh; tb_members)\" = '$want' ]"
tb_is "$(tb_members)" "$want" "every guest is a member again"
tb_wait_peers 30 g1 "$(tb_domids_of g2 g3)"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "g1 sees g2 and g3"
tb_check "g1-g2 channel back after" tb_wait_chan 90 g1 "$d" connected
tb_check "g2-g1 channel back after" tb_wait_chan 30 g2 "$d1" connected
tb_check "g1 reaches g2" tb_exec g1 "ping -c 3 -W 2 192.0.2.2"

tb_done
