#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-deb, discovery smoke: with the modules DKMS built, dom0 lists
# every guest and `symbiont list` in each guest shows exactly the others.
. /tb/tb.sh
tb_header

all=$(tb_guests | tr '\n' ' ')
others() { for _o in $all; do [ "$_o" = "$1" ] || echo "$_o"; done; }

tb_is "$(cat /sys/kernel/symbiont/role 2>&1)" dom0 "symbiont_dom0 (DKMS build) loaded, role is dom0"
tb_wait_for 30 sh -c "[ \"\$(. /tb/tb.sh; tb_members)\" = '$(tb_domids_of $all)' ]"
tb_is "$(tb_members)" "$(tb_domids_of $all)" "dom0 lists every guest as a member"
for g in $all; do
	want=$(tb_domids_of $(others "$g"))
	tb_wait_peers 30 "$g" "$want"
	# symbiont list: a header, then one line per peer, domid first.
	got=$(tb_exec "$g" 'symbiont list' | awk 'NR > 1 { print $1 }' | sort -n |
		tr '\n' ' ' | sed 's/ $//')
	tb_is "$got" "$want" "symbiont list in $g shows the others ($want)"
	names=$(tb_exec "$g" 'symbiont list' | awk 'NR > 1 { print $2 }' | sort | tr '\n' ' ' | sed 's/ $//')
	tb_is "$names" "$(others "$g" | sort | tr '\n' ' ' | sed 's/ $//')" "and their names"
done
tb_done
