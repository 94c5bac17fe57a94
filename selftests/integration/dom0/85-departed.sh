#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lifecycle events tell the truth at the edges (issue 10 item 8), played
# with g3. Saved and not restored in time, it is reported lost (before,
# it never was: a VM destroyed while suspended stayed "away" for ever).
# Its save restored after that is a join, not a migrate-in of the lost
# domain. Saved again and replaced by a fresh boot of the same VM (same
# uuid), the fresh one is a join (its announcement says origin=boot) and
# the saved one is lost at once (before: logged as migrate-in of it).
. /tb/tb.sh
tb_header

TIMEOUT=30		# seconds; the deployed build waits 600
P=/sys/module/symbiont_dom0/parameters/departed_timeout_s

tb_check "the test build lets the timeout be shortened" sh -c "echo $TIMEOUT >$P"
# Earlier scenarios logged events for domids g3 may have now: only later ones count.
since=$(tb_event_last_seq)
seen() { tb_event_since "$since" "$@"; }
d3=$(tb_domid g3)
uuid3=$(xenstore-read "/local/domain/$d3/vm" | sed 's|^/vm/||')
tb_is "$(xenstore-read "/local/domain/$d3/data/symbiont/origin")" boot \
	"g3, booted, announced origin boot"

xl save g3 /tmp/g3.save >/tmp/save3.log 2>&1
t_saved=$(date +%s)
tb_wait_for 30 seen migrate-out "$d3"
tb_check "xl save g3: dom0 logged migrate-out (domid $d3)" seen migrate-out "$d3"
if seen lost "$d3"; then
	tb_fail "not lost while the timeout runs" "$(symbiont events)"
else
	tb_ok "not lost while the timeout runs"
fi
tb_wait_for $((TIMEOUT * 4)) seen lost "$d3"
t_lost=$(date +%s)
tb_check "never restored: dom0 logs lost for domid $d3" seen lost "$d3"
tb_log "lost $((t_lost - t_saved)) s after xl save returned (timeout $TIMEOUT s)"
[ $((t_lost - t_saved)) -ge $((TIMEOUT - 2)) ] &&
	tb_ok "only once the timeout passed ($((t_lost - t_saved)) s)" ||
	tb_fail "only once the timeout passed" "$((t_lost - t_saved)) s"

xl restore /tmp/g3.save >/tmp/restore3.log 2>&1
n3=$(tb_domid g3)
tb_wait_for 60 seen join "$n3"
tb_check "restored after that: a join (domid $n3)" seen join "$n3"
tb_is "$(xenstore-read "/local/domain/$n3/data/symbiont/origin")" resume \
	"the restored g3 announced origin resume"
if seen migrate-in "$n3"; then
	tb_fail "not a migrate-in of the lost domain" "$(symbiont events)"
else
	tb_ok "not a migrate-in of the lost domain"
fi

xl save g3 /tmp/g3.save >/tmp/save3b.log 2>&1
tb_wait_for 30 seen migrate-out "$n3"
tb_check "saved again: migrate-out (domid $n3)" seen migrate-out "$n3"
{ tb_guest_config g3 ""; echo "uuid = \"$uuid3\""; } >/etc/xen/g3-fresh.cfg
xl create -q /etc/xen/g3-fresh.cfg >/tmp/xl-create-g3-fresh.log 2>&1
f3=$(tb_domid g3)
tb_wait_for 120 seen join "$f3"
tb_check "a fresh boot of the same VM is a join (domid $f3)" seen join "$f3"
tb_check "and the saved one is lost at once (domid $n3)" seen lost "$n3"
if seen migrate-in "$f3"; then
	tb_fail "the fresh boot is no migrate-in" "$(symbiont events)"
else
	tb_ok "the fresh boot is no migrate-in"
fi
tb_is "$(xenstore-read "/local/domain/$f3/vm" | sed 's|^/vm/||')" "$uuid3" \
	"with the saved VM's uuid"
rm -f /tmp/g3.save
tb_wait_ready g3 120
echo 600 >"$P"
tb_done
