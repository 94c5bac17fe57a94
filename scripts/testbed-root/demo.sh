#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The demo, run in dom0 by scripts/demo: every line for the user starts
# with "@@D " so the host prints it live.
. /tb/tb.sh

say() { echo "$*" | sed 's/^/@@D /'; }
show() { # title, then a command's output
	say ""
	say "== $1"
	shift
	"$@" 2>&1 | sed 's/^/@@D     /'
}

show "dom0: symbiont_dom0 loaded" symbiont self
for g in $(tb_guests); do
	show "$g (domid $(tb_domid "$g")): symbiont self" tb_exec "$g" "symbiont self"
done

g=$(tb_guests | head -n 1)
say ""
say "== xl save + xl restore of $g (the migration path this testbed can run)"
old=$(tb_domid "$g")
xl save "$g" /tmp/demo.save >/dev/null 2>&1 && xl restore /tmp/demo.save >/dev/null 2>&1
rm -f /tmp/demo.save
new=$(tb_domid "$g")
say "   $g was domid $old, is now domid $new"
tb_wait_for 30 sh -c "[ \"\$(. /tb/tb.sh; tb_exec $g 'cat /sys/kernel/symbiont/self/domid')\" = $new ]"
show "$g after restore: symbiont self" tb_exec "$g" "symbiont self"
say ""
