#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Walking skeleton, from dom0: symbiont_dom0.ko is loaded here,
# symbiont_guest.ko refuses dom0, and after xl save + xl restore a guest's
# self/domid follows it to its new domid.
. /tb/tb.sh
tb_header

tb_is "$(cat /sys/kernel/symbiont/role 2>&1)" dom0 "symbiont_dom0 loaded, role is dom0"
if insmod /lib/modules/symbiont_guest.ko 2>/tmp/insmod.err; then
	rmmod symbiont_guest
	tb_fail "symbiont_guest refuses to load in dom0" "insmod succeeded"
else
	tb_like "$(cat /tmp/insmod.err)" "No such device" \
		"symbiont_guest refuses to load in dom0 with ENODEV"
fi

g=g1
old=$(tb_domid $g)
tb_is "$(tb_exec $g 'cat /sys/kernel/symbiont/self/domid')" "$old" \
	"$g reports domid $old before save"
if xl save $g /tmp/$g.save >/tmp/xl-save.log 2>&1 &&
	xl restore /tmp/$g.save >/tmp/xl-restore.log 2>&1; then
	tb_ok "xl save + xl restore of $g"
else
	tb_fail "xl save + xl restore of $g" "$(cat /tmp/xl-save.log /tmp/xl-restore.log)"
fi
rm -f /tmp/$g.save
new=$(tb_domid $g)
if [ -n "$new" ] && [ "$new" != "$old" ]; then
	tb_ok "$g came back under a new domid ($old -> $new)"
else
	tb_fail "$g came back under a new domid" "old '$old' new '$new'"
fi
seen_domid() { [ "$(tb_exec $g 'cat /sys/kernel/symbiont/self/domid')" = "$new" ]; }
tb_wait_for 30 seen_domid
tb_is "$(tb_exec $g 'cat /sys/kernel/symbiont/self/domid')" "$new" \
	"$g's self/domid follows it to $new"
tb_is "$(tb_exec $g 'xenstore-read domid')" "$new" \
	"and agrees with xenstore-read domid inside $g"
tb_done
