#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run in dom0 by scripts/demo: every line for the user starts
# with "@@D " so the host prints it live. It shows discovery through the
# symbiont tool: guests joining, the fast path between them (channel
# counters moving, the NIC's not), one saved and restored (new domid, the
# channel torn down and back), one shut down, one destroyed, and dom0's
# event log.
. /tb/tb.sh

say() { echo "$*" | sed 's/^/@@D /'; }
show() { # title, then a command whose output is shown indented
	say ""
	say "== $1"
	shift
	"$@" 2>&1 | sed 's/^/@@D     /'
}
guests=$(tb_guests)
first=$(echo $guests | cut -d' ' -f1)
last=$(echo $guests | awk '{ print $NF }')

settle() { # wait until every guest lists every other one
	for _g in $guests; do
		_want=$(tb_domids_of $(echo $guests | tr ' ' '\n' | grep -vx "$_g"))
		tb_wait_peers 60 "$_g" "$_want"
	done
}
settle

show "dom0: symbiont self" symbiont self
show "dom0: symbiont list (host membership)" symbiont list
for g in $guests; do
	show "$g (domid $(tb_domid "$g")): symbiont list (its co-resident peers)" \
		tb_exec "$g" "symbiont list"
done
show "$first: symbiont -j self" tb_exec "$first" "symbiont -j self"

second=$(echo $guests | cut -d' ' -f2)
sd=$(tb_domid "$second")
nic() { tb_exec "$1" 'echo "eth0: tx_packets $(cat /sys/class/net/eth0/statistics/tx_packets) rx_packets $(cat /sys/class/net/eth0/statistics/rx_packets)"'; }
say ""
say "== the fast path: insmod symbiont_fastpath.ko in every guest"
for g in $guests; do
	tb_exec "$g" 'insmod /lib/modules/symbiont_fastpath.ko' >/dev/null
done
tb_wait_chan 60 "$first" "$sd" connected
show "$first: symbiont channels (one per co-resident peer of its group)" \
	tb_exec "$first" "symbiont channels"
show "$first: NIC counters before" nic "$first"
show "$first: ping -c 5 $second (192.0.2.${second#g})" \
	tb_exec "$first" "ping -c 5 -i 0.2 192.0.2.${second#g}"
iperf() {
	tb_exec "$second" 'iperf3 -s -D' >/dev/null
	tb_exec "$first" "iperf3 -c 192.0.2.${second#g} -t 3" | grep -E 'sender|receiver'
}
show "$first: iperf3 -t 3 to $second" iperf
show "$first: symbiont channels (the counters moved...)" tb_exec "$first" "symbiont channels"
show "$first: NIC counters after (...and the NIC's barely did)" nic "$first"

old=$(tb_domid "$first")
say ""
say "== xl save + xl restore of $first (the migration path this testbed can run)"
say "   the fast path tears the channel down before the suspend; traffic falls back"
xl save "$first" /tmp/demo.save >/dev/null 2>&1 && xl restore /tmp/demo.save >/dev/null 2>&1
rm -f /tmp/demo.save
new=$(tb_domid "$first")
say "   $first was domid $old, is now domid $new"
settle
show "$second: symbiont list (sees $first under its new domid)" tb_exec "$second" "symbiont list"
show "$first: symbiont self (after restore)" tb_exec "$first" "symbiont self"
tb_wait_chan 60 "$second" "$new" connected
show "$second: ping -c 3 $first, then symbiont channels (a new channel to domid $new)" \
	tb_exec "$second" "ping -c 3 -i 0.2 192.0.2.${first#g} | tail -2; symbiont channels"

if [ "$last" != "$first" ] && [ "$last" != "$second" ]; then
	d=$(tb_domid "$last")
	say ""
	say "== xl shutdown $last (domid $d)"
	xl shutdown -w "$last" >/dev/null 2>&1
	tb_wait_peers 60 "$first" "$(tb_domids_of "$second")"
	show "$first: symbiont list" tb_exec "$first" "symbiont list"
fi
show "$second: its own event log (symbiont events)" tb_exec "$second" "symbiont events"
say ""
say "== xl destroy $second (no goodbye: dom0 records it as lost)"
xl destroy "$second"
tb_wait_peers 60 "$first" ""
show "dom0: the host's event log (symbiont events)" symbiont events
say ""
