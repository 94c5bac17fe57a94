#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Grants pinned by a hostile peer are bounded (issue 10 item 1), played
# from the attacker's side. The attacker (the higher domid of g1 and g2,
# its fast-path module unloaded) maps each offer of the victim (the lower
# domid: the granter) from userspace through /dev/xen/gntdev (tb-gntmap),
# keeps it mapped, and flips its own data/symbiont/state joined ->
# migrating -> joined, ROUNDS times: before issue 10 every flip got it a
# fresh offer, each pinning one channel's worth (257 grant references and
# 1 MiB) in the victim for as long as it liked.
# Checked in the victim: it offers nothing while its pages are still
# mapped and nothing to a migrating peer; its grant references in use,
# MemFree and slab stay within one channel's worth of the start; its
# network works; once the attacker lets go, the retained grants end and a
# fresh offer goes out.
. /tb/tb.sh
tb_header

FP=/lib/modules/symbiont_fastpath.ko
# scripts/testbed --param grant_rounds=200 for the issue's 200 rounds.
ROUNDS=${TB_GRANT_ROUNDS:-10}
CHANNEL_KB=1028		# 257 pages

d1=$(tb_domid g1)
d2=$(tb_domid g2)
if [ "$d1" -lt "$d2" ]; then
	V=g1 A=g2 dV=$d1 dA=$d2
else
	V=g2 A=g1 dV=$d2 dA=$d1
fi
tb_log "victim $V (domid $dV, the granter), attacker $A (domid $dA)"
view=/local/domain/$dA/symbiont/peers/$dV/fastpath	# the attacker's view of V's record

meminfo_of() { # guest field: kB
	tb_exec "$1" "awk '\$1 == \"$2:\" { print \$2 }' /proc/meminfo"
}
grants_of() { # guest
	tb_exec "$1" 'cat /sys/kernel/symbiont/fastpath/grants 2>/dev/null || echo none'
}
retained_of() { # guest
	tb_exec "$1" 'cat /sys/kernel/symbiont/fastpath/grants_retained 2>/dev/null || echo none'
}

tb_exec "$A" 'rmmod symbiont_fastpath 2>/dev/null; true' >/dev/null
tb_check "$A loads xen-gntdev" tb_exec "$A" '. /tb/tb.sh; tb_insmod xen-gntdev && test -c /dev/xen/gntdev'
tb_exec "$V" "grep -q '^symbiont_fastpath ' /proc/modules || insmod $FP" >/dev/null
tb_wait_for 60 sh -c "[ \"\$(xenstore-read $view/state 2>/dev/null)\" = offered ]"
tb_is "$(xenstore-read "$view/state" 2>/dev/null)" offered "$V offers $A a channel"

g0=$(grants_of "$V")
m0=$(meminfo_of "$V" MemFree)
s0=$(meminfo_of "$V" Slab)
tb_log "$V before: grants $g0, MemFree $m0 kB, Slab $s0 kB"

# The attacker, in one shell in A: map every new offer and keep it; flip
# migrating (wait until V withdrew the offer) and joined (wait a little
# for the next offer) each round.
cat >/tmp/attack.sh <<EOF
view=$view
last=none maps=0 i=0
while [ \$i -lt $ROUNDS ]; do
	s=\$(xenstore-read \$view/state 2>/dev/null)
	e=\$(xenstore-read \$view/epoch 2>/dev/null)
	if [ "\$s" = offered ] && [ "\$e" != "\$last" ]; then
		ref0=\$(xenstore-read \$view/ring-ref-0)
		/tb/tb-gntmap hold $dV \$ref0 >/tmp/gm.\$i 2>&1 &
		n=0
		while ! grep -q mapped /tmp/gm.\$i && [ \$n -lt 100 ]; do
			sleep 0.1; n=\$((n + 1))
		done
		grep -q mapped /tmp/gm.\$i && maps=\$((maps + 1))
		last=\$e
	fi
	xenstore-write data/symbiont/state migrating
	n=0
	while [ "\$(xenstore-read \$view/state 2>/dev/null)" = offered ] &&
		[ "\$(xenstore-read \$view/epoch 2>/dev/null)" = "\$last" ] && [ \$n -lt 100 ]; do
		sleep 0.1; n=\$((n + 1))
	done
	xenstore-write data/symbiont/state joined
	n=0
	while [ \$n -lt 20 ]; do
		[ "\$(xenstore-read \$view/state 2>/dev/null)" = offered ] &&
			[ "\$(xenstore-read \$view/epoch 2>/dev/null)" != "\$last" ] && break
		sleep 0.1; n=\$((n + 1))
	done
	i=\$((i + 1))
done
echo "rounds \$i maps \$maps"
EOF
tb_exec "$A" "cat >/tmp/attack.sh <<'EOS'
$(cat /tmp/attack.sh)
EOS
sh /tmp/attack.sh" 1200 >/tmp/attack.out
res=$(tail -n 1 /tmp/attack.out)
tb_log "attacker: $res; $(tb_exec "$A" 'cat /tmp/gm.0')"
tb_like "$res" "^rounds $ROUNDS maps " "the attacker played all $ROUNDS rounds"
maps=$(echo "$res" | sed -n 's/.* maps //p')
tb_is "${maps:-none}" 1 "the attacker got one offer to map, not one per round"

g1=$(grants_of "$V")
r1=$(retained_of "$V")
m1=$(meminfo_of "$V" MemFree)
s1=$(meminfo_of "$V" Slab)
tb_log "$V after $ROUNDS rounds: grants $g1 ($r1 retained), MemFree $m1 kB, Slab $s1 kB"
case "$g0$g1" in
*[!0-9]*) tb_fail "$V's grant references stay within one channel of the start" "$g0 -> $g1" ;;
*) [ $((g1 - g0)) -le 257 ] && tb_ok "$V's grant references stay within one channel of the start ($g0 -> $g1)" ||
	tb_fail "$V's grant references stay within one channel of the start" "$g0 -> $g1" ;;
esac
[ $((m0 - m1)) -le $((CHANNEL_KB + 1024)) ] &&
	tb_ok "$V's MemFree stays within one channel (+1 MiB) of the start ($m0 -> $m1 kB)" ||
	tb_fail "$V's MemFree stays within one channel (+1 MiB) of the start" "$m0 -> $m1 kB"
[ $((s1 - s0)) -le 1024 ] && tb_ok "$V's slab stays within 1 MiB of the start ($s0 -> $s1 kB)" ||
	tb_fail "$V's slab stays within 1 MiB of the start" "$s0 -> $s1 kB"
tb_like "$(tb_exec "$V" "ping -c 3 -i 0.2 -W 5 192.0.2.${A#g}")" " 0% packet loss" \
	"$V's network keeps working: it reaches $A"
tb_like "$(tb_exec "$V" "ping -c 3 -i 0.2 -W 5 192.0.2.3")" " 0% packet loss" \
	"$V's network keeps working: it reaches g3"
tb_like "$(tb_exec "$V" 'dmesg | grep "still maps" | tail -n 1')" "peer $dA: still maps 257 of our pages" \
	"$V logs the pages $A kept mapped"

# The attacker lets go: the grants end, and a fresh offer goes out.
tb_exec "$A" 'killall tb-gntmap' >/dev/null
tb_wait_for 60 sh -c ". /tb/tb.sh; [ \"\$(tb_exec $V 'cat /sys/kernel/symbiont/fastpath/grants_retained')\" = 0 ]"
tb_is "$(retained_of "$V")" 0 "$V ends the retained grants once $A unmapped them"
tb_wait_for 60 sh -c "[ \"\$(xenstore-read $view/state 2>/dev/null)\" = offered ]"
tb_is "$(xenstore-read "$view/state" 2>/dev/null)" offered "$V offers $A a channel again"
tb_is "$(grants_of "$V")" "$g0" "$V's grant references are back to the start"

# A peer that is migrating gets no offer: A says migrating for good.
tb_exec "$A" 'xenstore-write data/symbiont/state migrating' >/dev/null
tb_wait_for 30 sh -c "[ \"\$(xenstore-read $view/state 2>/dev/null)\" != offered ]"
tb_exec "$V" "rmmod symbiont_fastpath; insmod $FP" >/dev/null
tb_wait_for 20 sh -c ". /tb/tb.sh; tb_exec $V 'test -d /sys/kernel/symbiont/channels/$dA'"
# g0 counted the offers to A and to g3; only g3's is left.
tb_is "$(tb_exec "$V" "cat /sys/kernel/symbiont/channels/$dA/state")/$(grants_of "$V")" \
	"idle/$((g0 - 257))" "$V, reloaded, offers nothing to a migrating $A"
tb_exec "$A" 'xenstore-write data/symbiont/state joined' >/dev/null
tb_wait_for 60 sh -c "[ \"\$(xenstore-read $view/state 2>/dev/null)\" = offered ]"
tb_is "$(xenstore-read "$view/state" 2>/dev/null)" offered "and offers again once $A is back"

tb_exec "$V" 'rmmod symbiont_fastpath' >/dev/null
tb_done
