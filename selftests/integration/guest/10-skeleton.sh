#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Walking skeleton, inside a guest: symbiont_guest.ko reports the domid
# XenStore gives this domain, and symbiont_dom0.ko refuses to load here.
. /tb/tb.sh
tb_header

tb_check "symbiont_guest is loaded" grep -q '^symbiont_guest ' /proc/modules
tb_is "$(cat /sys/kernel/symbiont/role 2>&1)" guest "role is guest"
tb_is "$(cat /sys/kernel/symbiont/self/domid 2>&1)" "$(xenstore-read domid)" \
	"self/domid equals xenstore-read domid"

if insmod /lib/modules/symbiont_dom0.ko 2>/tmp/insmod.err; then
	rmmod symbiont_dom0
	tb_fail "symbiont_dom0 refuses to load in a guest" "insmod succeeded"
else
	tb_like "$(cat /tmp/insmod.err)" "No such device" \
		"symbiont_dom0 refuses to load in a guest with ENODEV"
fi
tb_like "$(dmesg | grep symbiont_dom0 | tail -n 1)" "not running in Xen dom0" \
	"the refusal is explained in dmesg"
tb_done
