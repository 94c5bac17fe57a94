#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Robustness (issue 10 item 7), played from the hostile side:
#  - a guest that rewrites its own device/vif/0/mac to another guest's MAC
#    still shows its own MAC as self/mac after it re-reads its identity
#    (the MAC comes from dom0's backend node, which the guest cannot write);
#  - two live peers with one MAC (g3's trusted vif MAC set to g2's, as for
#    a VM restored twice from one save file): g1 lists both as peers, and
#    its fast path sends to neither, so a ping of g2 takes the NIC and
#    arrives.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
GM=/lib/modules/symbiont_guest.ko

d1=$(tb_domid g1)
d2=$(tb_domid g2)
d3=$(tb_domid g3)
tb_wait_peers 30 g1 "$(tb_domids_of g2 g3)"
mac1=$(tb_exec g1 'cat /sys/kernel/symbiont/self/mac')
mac2=$(tb_exec g2 'cat /sys/kernel/symbiont/self/mac')
mac3=$(tb_exec g3 'cat /sys/kernel/symbiont/self/mac')
tb_log "MACs: g1 $mac1 g2 $mac2 g3 $mac3"

# --- (d) self/mac is the backend's, not the guest-writable frontend's ---
tb_check "g1 can read its backend's mac node" \
	tb_exec g1 "xenstore-read /local/domain/0/backend/vif/$d1/0/mac"
tb_check "g1 rewrites its own device/vif/0/mac to g2's" \
	tb_exec g1 "xenstore-write device/vif/0/mac $mac2"
tb_is "$(tb_exec g1 'xenstore-read device/vif/0/mac')" "$mac2" \
	"g1's device/vif/0/mac now says g2's MAC"
tb_exec g1 'rmmod symbiont_guest' >/dev/null
tb_check "g1 reloads symbiont_guest (re-reads its identity)" tb_exec g1 "insmod $GM"
tb_wait_for 20 sh -c ". /tb/tb.sh; [ -n \"\$(tb_exec g1 'cat /sys/kernel/symbiont/self/mac')\" ]"
tb_is "$(tb_exec g1 'cat /sys/kernel/symbiont/self/mac')" "$mac1" \
	"g1's self/mac is still its own MAC"
tb_exec g1 "xenstore-write device/vif/0/mac $mac1" >/dev/null
tb_wait_peers 30 g2 "$(tb_domids_of g1 g3)"

# --- (e) two live peers share a MAC: the fast path sends to neither ---
for g in g1 g2 g3; do
	tb_check "$g loads symbiont_fastpath" tb_exec $g "insmod $FP"
done
tb_wait_chan 60 g1 "$d2" connected
tb_wait_chan 60 g1 "$d3" connected
tb_is "$(tb_chan g1 "$d2" state)/$(tb_chan g1 "$d3" state)" connected/connected \
	"g1 has channels to g2 and g3"
c0=$(tb_chan_count g1 "$d2")
tb_check "ping g1 -> g2 before the clash" tb_exec g1 'ping -c 5 -i 0.1 -W 5 192.0.2.2'
c1=$(tb_chan_count g1 "$d2")
tb_log "g1's channel to g2 carried $((c1 - c0)) packets of that ping"

bmac=/local/domain/0/backend/vif/$d3/0/mac
orig=$(xenstore-read "$bmac")
xenstore-write "$bmac" "$mac2"
# g3 leaves and joins again: dom0 reads its trusted facts anew.
tb_exec g3 'rmmod symbiont_fastpath; rmmod symbiont_guest' >/dev/null
tb_wait_peers 30 g1 "$d2"
tb_exec g3 "insmod $GM && insmod $FP" >/dev/null
tb_wait_peers 30 g1 "$(tb_domids_of g2 g3)"
tb_wait_for 20 sh -c ". /tb/tb.sh; [ \"\$(tb_exec g1 'cat /sys/kernel/symbiont/peers/$d3/mac')\" = '$mac2' ]"
tb_is "$(tb_exec g1 "cat /sys/kernel/symbiont/peers/$d3/mac")" "$mac2" \
	"g1 sees g3 with g2's MAC"
tb_is "$(tb_peers_of g1)" "$(tb_domids_of g2 g3)" "g1 lists both g2 and g3 as peers"
# g1 rebuilt its MAC index when g3 joined; its channel to g3 follows.
tb_wait_chan 60 g1 "$d3" connected
t2=$(tb_chan g1 "$d2" tx_packets)
t3=$(tb_chan g1 "$d3" tx_packets)
n0=$(tb_nic_packets g1)
out=$(tb_exec g1 'ping -c 10 -i 0.1 -W 5 192.0.2.2')
rc=$?
n=$(($(tb_nic_packets g1) - n0))
t2b=$(tb_chan g1 "$d2" tx_packets)
t3b=$(tb_chan g1 "$d3" tx_packets)
tb_log "g1 channel tx to g2: '$t2' -> '$t2b'; to g3: '$t3' -> '$t3b'; NIC +$n"
tb_log "g1 channels: $(tb_exec g1 'ls /sys/kernel/symbiont/channels | tr "\n" " "')"
tb_is "$rc" 0 "ping g1 -> g2 with the MAC shared by g2 and g3 arrives"
[ "$rc" = 0 ] || tb_log "$out"
tb_is "${t2:-none}" "${t2b:-none}" "g1's channel to g2 carried none of the ping"
tb_is "${t3:-none}" "${t3b:-none}" "g1's channel to g3 carried none of the ping"
# The 10 requests leave on the NIC (g2's replies may come back over g2's
# channel to g1: g1's MAC is not ambiguous in g2).
[ "$n" -ge 10 ] && tb_ok "the ping's requests took the NIC ($n NIC packets)" ||
	tb_fail "the ping's requests took the NIC" "NIC +$n"

# Restore g3's MAC; both channels come back and carry traffic again.
xenstore-write "$bmac" "$orig"
tb_exec g3 'rmmod symbiont_fastpath; rmmod symbiont_guest' >/dev/null
tb_wait_peers 30 g1 "$d2"
tb_exec g3 "insmod $GM && insmod $FP" >/dev/null
tb_wait_peers 30 g1 "$(tb_domids_of g2 g3)"
tb_wait_chan 60 g1 "$d3" connected
tb_wait_chan 60 g1 "$d2" connected
c0=$(tb_chan_count g1 "$d2")
tb_check "ping g1 -> g2 after the restore" tb_exec g1 'ping -c 5 -i 0.1 -W 5 192.0.2.2'
c1=$(tb_chan_count g1 "$d2")
[ "$((c1 - c0))" -ge 10 ] && tb_ok "g1's channel to g2 carries the ping again (+$((c1 - c0)))" ||
	tb_fail "g1's channel to g2 carries the ping again" "+$((c1 - c0)), state $(tb_chan g1 "$d2" state)"
for g in g1 g2 g3; do
	tb_exec $g 'rmmod symbiont_fastpath' >/dev/null
done
tb_done
