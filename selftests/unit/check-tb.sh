#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-tb.sh: the testbed library's TAP (selftests/lib/tb.sh) as the
# host's verdict reads it. Runs tb.sh's TAP producers with the testbed
# stubbed out (no dom0, no guests: tb_on, tb_guests, tb_exec and
# tb_dmesg_check are replaced) and prints TAP 13 of its own:
#   - a scenario's lines are numbered 1..N in order, its plan is 1..N,
#     tb_done fails exactly when a test failed;
#   - tb_debug_checks, run after other tests in the same shell (as
#     tb_run_all runs it), still numbers its debug.tap from 1 and plans
#     what it printed; a leak or lockdep turned off is "not ok".
# Exit status 1 if any check failed.
set -u
lib=$(cd "$(dirname "$0")/../lib" && pwd)/tb.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/tap.sh"

# Success if FILE's test lines are numbered 1, 2, ... in order and its
# last line is the plan 1..(their count).
numbered_from_one() { # file
	awk '/^(not )?ok / { i++; sub(/^not /, ""); if ($2 != i) bad = 1 }
	     { last = $0 }
	     END { exit !(i > 0 && !bad && last == "1.." i) }' "$1"
}

check_tap() { # description file
	if numbered_from_one "$2"; then ok "$1"; else not_ok "$1" "$(cat "$2")"; fi
}

echo "TAP version 13"

# A scenario: two passes and a failure, then tb_done.
(
	. "$lib"
	tb_header
	tb_ok first
	tb_is a b second
	tb_like abc '^a' third
	tb_done
) >"$work/scenario.tap"
rc=$?
check_tap "a scenario's tests are numbered from 1 and planned" "$work/scenario.tap"
if [ $rc = 1 ] && [ "$(grep -c '^not ok 2 - second$' "$work/scenario.tap")" = 1 ]; then
	ok "tb_done fails a scenario with a failed test, which is marked not ok"
else
	not_ok "tb_done fails a scenario with a failed test, which is marked not ok" \
		"status $rc; $(cat "$work/scenario.tap")"
fi

# tb_debug_checks in the shell that already counted six tests. STATE says
# what the stubbed kernels report: clean, leak (one unreferenced object
# with a symbiont frame in g1) or nolockdep (debug_locks 0 in dom0).
debug_run() { # state out-file
	(
		. "$lib"
		TB_RESULTS=$work/results-$1
		mkdir -p "$TB_RESULTS"
		state=$1
		tb_guests() { echo g1 g2; }
		tb_on() { # where command
			case "$2" in
			*debug_locks*)
				[ "$state/$1" = nolockdep/dom0 ] && echo 0 || echo 1 ;;
			*kmemleak-count*)
				if [ "$state/$1" = leak/g1 ]; then
					echo "kmemleak-count 1"
					echo "unreferenced object 0xffff888001234000 (size 64):"
					echo "    [<0>] fp_channel_get+0x1c/0x80 [symbiont_fastpath]"
				else
					echo "kmemleak-count 0"
				fi ;;
			*) echo "lockdep=1 kmemleak=1" ;;
			esac
		}
		tb_dmesg_check() { tb_ok "dmesg clean in dom0 after $1"; }
		TB_N=6
		TB_FAILED=1
		tb_debug_checks
	) >"$2"
}

debug_run clean "$work/clean.tap"
rc=$?
check_tap "debug.tap after other tests: numbered from 1 and planned" "$work/clean.tap"
if [ $rc = 0 ] && [ "$(grep -c '^ok ' "$work/clean.tap")" = 7 ] &&
	! grep -q '^not ok' "$work/clean.tap"; then
	ok "debug.tap of clean kernels: 7 tests, all ok, status 0"
else
	not_ok "debug.tap of clean kernels: 7 tests, all ok, status 0" \
		"status $rc; $(cat "$work/clean.tap")"
fi

debug_run leak "$work/leak.tap"
rc=$?
check_tap "debug.tap with a leak: numbered from 1 and planned" "$work/leak.tap"
if [ $rc = 1 ] && grep -q '^not ok [0-9]* - kmemleak: no unreferenced object in g1$' "$work/leak.tap" &&
	grep -q '^# 1 unreferenced objects, 1 with a symbiont frame' "$work/leak.tap"; then
	ok "a leak in g1 is not ok, its symbiont frame counted"
else
	not_ok "a leak in g1 is not ok, its symbiont frame counted" \
		"status $rc; $(cat "$work/leak.tap")"
fi

debug_run nolockdep "$work/nolockdep.tap"
rc=$?
if [ $rc = 1 ] &&
	grep -q '^not ok [0-9]* - lockdep still on at the end in dom0 (debug_locks)$' "$work/nolockdep.tap"; then
	ok "lockdep turned off in dom0 is not ok"
else
	not_ok "lockdep turned off in dom0 is not ok" "status $rc; $(cat "$work/nolockdep.tap")"
fi

echo "1..$n"
[ $failed = 0 ]
