#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-harness.sh BINARY: run the harness's self-test (test_harness.c,
# built as BINARY), keep its raw TAP in BINARY.out, and print TAP 13 of
# our own about it: exactly the tests named fail_* are "not ok", each with
# the diagnostic its way of failing implies; every pass_* is "ok"; the
# binary exits 1, its plan matches, its 1 s timeout fired within a few
# seconds; no process running BINARY is left afterwards (the hanging test's
# forked grandchild included). Exit status 1 if any check failed.
set -u
bin=${1:?usage: check-harness.sh BINARY}
raw=$bin.out
. "$(dirname "$0")/tap.sh"

# The tests of test_harness.c, in order: fail_* must fail, pass_* pass.
tests="pass_first fail_assert fail_segv fail_abort fail_hang fail_exit_early
fail_leak pass_sets_a_global pass_sees_pristine_globals pass_output_is_captured
pass_last"

# The lines a test printed: its "ok"/"not ok" line up to the next one.
block() { # name
	awk -v name="$1" '
		/^(not )?ok [0-9]+ - / {
			i = index($0, " - ")
			on = substr($0, i + 3) == name
		}
		/^# [0-9]+ passed, / { on = 0 }
		on' "$raw"
}
status_of() { block "$1" | head -n 1 | sed 's/ [0-9]* - .*//'; }
has_diag() { block "$1" | grep -Eq -- "$2"; }

echo "TAP version 13"
t0=$(date +%s)
# A harness whose timeout does not work must fail here, not hang make.
timeout -k 5 120 "$bin" >"$raw" 2>&1
rc=$?
took=$(( $(date +%s) - t0 ))

check "the binary exits 1 (some tests failed)" [ "$rc" = 1 ]
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$raw")
count=$(grep -Ec '^(not )?ok [0-9]+ - ' "$raw")
check "its plan ($plan) matches the $count tests it reported" [ "$plan" = "$count" ]
want_list=$(echo $tests | tr ' ' '\n')
check "it ran exactly the tests of test_harness.c, in order" \
	[ "$(sed -n 's/^\(not \)\{0,1\}ok [0-9]* - //p' "$raw")" = "$want_list" ]
check "-l lists them" [ "$("$bin" -l)" = "$want_list" ]

for t in $tests; do
	case "$t" in
	fail_*) want="not ok" ;;
	*) want="ok" ;;
	esac
	got=$(status_of "$t")
	if [ "$got" = "$want" ]; then
		ok "$t is reported \"$want\""
	else
		not_ok "$t is reported \"$want\"" "got: '$got'
$(block "$t")"
	fi
done

check "fail_assert: the # file:line of its ASSERT_EQ" \
	has_diag fail_assert '^# test_harness\.c:[0-9]+ ASSERT_EQ\(1, 2\) expected 1'
check "fail_segv: a sanitizer's report or SIGSEGV, before the test returned" \
	has_diag fail_segv '^# (exited with status [1-9][0-9]* before the test returned|killed by signal 11 )'
check "fail_abort: killed by signal 6" has_diag fail_abort '^# killed by signal 6 '
check "fail_hang: timeout after its 1 s" has_diag fail_hang '^# timeout: still running after 1 s, killed'
check "fail_exit_early: exit status 0 before the test returned" \
	has_diag fail_exit_early '^# exited with status 0 before the test returned'
check "fail_leak: LeakSanitizer's report at the child's exit" \
	has_diag fail_leak 'LeakSanitizer|after the test returned'
check "pass_output_is_captured: stdout as a comment" \
	has_diag pass_output_is_captured '^# to stdout$'
check "pass_output_is_captured: stderr as a comment" \
	has_diag pass_output_is_captured '^# to stderr$'
check "pass_output_is_captured: a TAP-like line stays a comment" \
	has_diag pass_output_is_captured '^# ok 99 - a line that looks like TAP$'
check "the whole run took less than 20 s ($took s): the 1 s timeout was kept" \
	[ "$took" -lt 20 ]

# Bounded wait: a process killed by SIGKILL may take a moment to go.
left=""
i=0
while [ $i -lt 50 ]; do
	left=$(pgrep -f -x "$bin" || true)
	[ -n "$left" ] || break
	i=$((i + 1))
	sleep 0.1
done
if [ -z "$left" ]; then
	ok "no process of $bin outlives the run"
else
	not_ok "no process of $bin outlives the run" "$(ps -o pid,ppid,pgid,stat,args -p $(echo $left | tr ' ' ','))"
fi

echo "1..$n"
[ "$failed" = 0 ]
