#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run in dom0 by scripts/demo: every line for the user starts
# with "@@D " so the host prints it live. It shows discovery through the
# symbiont tool: guests joining, one saved and restored (new domid), one
# shut down, one destroyed, and dom0's event log.
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

old=$(tb_domid "$first")
say ""
say "== xl save + xl restore of $first (the migration path this testbed can run)"
xl save "$first" /tmp/demo.save >/dev/null 2>&1 && xl restore /tmp/demo.save >/dev/null 2>&1
rm -f /tmp/demo.save
new=$(tb_domid "$first")
say "   $first was domid $old, is now domid $new"
settle
second=$(echo $guests | cut -d' ' -f2)
show "$second: symbiont list (sees $first under its new domid)" tb_exec "$second" "symbiont list"
show "$first: symbiont self (after restore)" tb_exec "$first" "symbiont self"

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
