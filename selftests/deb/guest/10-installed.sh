#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make check-deb, in every guest: the modules DKMS built are the default
# build (no test-only knob), they load, and the packaged tool works.
. /tb/tb.sh
tb_header

tb_check "symbiont_core (DKMS build) is loaded" grep -q '^symbiont_core ' /proc/modules
tb_check "symbiont_guest (DKMS build) is loaded" grep -q '^symbiont_guest ' /proc/modules
tb_is "$(cat /sys/kernel/symbiont/role 2>&1)" guest "role is guest"
tb_like "$(symbiont self 2>&1)" "^role: +guest" "symbiont self (the packaged tool) answers"
tb_is "$(cat /sys/kernel/symbiont/self/domid 2>&1)" "$(xenstore-read domid)" \
	"self/domid equals xenstore-read domid"
tb_done
