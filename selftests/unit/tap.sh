# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP 13 for the shell checks of selftests/unit (check-harness.sh,
# check-tb.sh), sourced: ok, not_ok and check print numbered test lines
# and count them in n and failed; the caller prints the plan "1..$n" last
# and exits non-zero if failed is not 0.
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # description diagnostic
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $1"
	printf '%s\n' "$2" | sed 's/^/# /'
}
check() { # description command...
	_d=$1; shift
	if "$@"; then ok "$_d"; else not_ok "$_d" "failed: $*"; fi
}
