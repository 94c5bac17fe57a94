#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lifecycle: save/restore is migrate-out then migrate-in with both domids;
# xl shutdown is leave; xl destroy is lost; the others follow each time.
. /tb/tb.sh
tb_header

d1=$(tb_domid g1)
uuid1=$(xenstore-read /local/domain/$d1/vm | sed 's|^/vm/||')
xl save g1 /tmp/g1.save >/tmp/save.log 2>&1 && xl restore /tmp/g1.save >/tmp/restore.log 2>&1
rm -f /tmp/g1.save
n1=$(tb_domid g1)
tb_wait_for 60 tb_event_seen migrate-in "$n1" "$d1"
tb_check "dom0 logged migrate-out of g1 (domid $d1)" tb_event_seen migrate-out "$d1"
tb_check "dom0 logged migrate-in of g1 ($d1 -> $n1)" tb_event_seen migrate-in "$n1" "$d1"
tb_wait_peers 60 g2 "$(tb_domids_of g1 g3)"
tb_is "$(tb_peers_of g2)" "$(tb_domids_of g1 g3)" "g2 follows g1 to domid $n1"
tb_is "$(tb_exec g2 "cat /sys/kernel/symbiont/peers/$n1/uuid")" "$uuid1" "with the same uuid"
tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "restored g1 sees g2 g3 again"
tb_is "$(tb_exec g1 'cat /sys/kernel/symbiont/self/state')" joined "restored g1 announced joined"

d3=$(tb_domid g3)
xl shutdown -w g3 >/tmp/shutdown.log 2>&1
tb_wait_for 30 tb_event_seen leave "$d3"
tb_check "xl shutdown g3: dom0 logged leave" tb_event_seen leave "$d3"
tb_wait_peers 30 g2 "$(tb_domids_of g1)"
tb_is "$(tb_peers_of g2)" "$(tb_domids_of g1)" "g2 drops g3 after its shutdown"

d2=$(tb_domid g2)
xl destroy g2
tb_wait_for 30 tb_event_seen lost "$d2"
tb_check "xl destroy g2: dom0 logged lost" tb_event_seen lost "$d2"
tb_wait_peers 30 g1 ""
tb_is "$(tb_peers_of g1)" "" "g1 drops g2 after its destruction"
tb_is "$(tb_members)" "$n1" "dom0's members: only g1 remains"
tb_done
