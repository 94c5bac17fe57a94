#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The testbed leaves no process behind, checked without Xen: runs the real
# scripts/testbed (copied into a scratch tree, with the real tap-verdict)
# against a fake testbed-build and a fake qemu-system-x86_64 first in PATH.
# The fake QEMU writes "@@" lines to the serial log the testbed follows,
# then, as FAKE_QEMU says, ships a results archive and exits (ok), exits
# without results (fail) or hangs (hang); FAKE_BUILD=hang hangs the build.
#
# Each case starts the testbed as a job of its own (set -m: its own
# process group, SIGINT not ignored) with its stdout and stderr into a FIFO
# read by cat, optionally signals the testbed's pid alone once the follower
# has echoed the fake's first line, then requires within bounded times:
# the testbed's exit status, cat's end of file (every writer of our stdout
# is gone), and no live process left in the testbed's process group or
# naming the scratch tree. Leftovers found are killed by pid afterwards.
# Prints TAP 13; exit status 1 if a check failed. About 20 s.
# TESTBED=FILE tests another copy of the script (e.g. an older one).
set -u
set -m

top=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tb-cleanup.XXXXXX")
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # description diagnostic...
	n=$((n + 1)); failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	printf '%s\n' "$@" | sed 's/^/# /'
}

# Live processes (not zombies) in process group $1 or naming $tmp.
leftovers() { # pgid
	ps -e -o pid=,pgid=,stat=,args= | awk -v g="$1" -v t="$tmp" -v me=$$ '
		$3 !~ /^Z/ && $1 != me && ($2 == g || index($0, t)) &&
		$0 !~ / ps -e -o / && $0 !~ / awk -v g=/ { print }'
}

# Bounded wait: until the command succeeds, polling every 0.1 s.
wait_until() { # seconds command...
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt "$end" ] || return 1
		sleep 0.1
	done
}
gone() { ! kill -0 "$1" 2>/dev/null; }
no_leftovers() { [ -z "$(leftovers "$1")" ]; }
log_has() { grep -qF -- "$2" "$1" 2>/dev/null; }

# --- the scratch tree ---
mkdir -p "$tmp/scripts" "$tmp/bin" "$tmp/out/pkgs/linux-image-fake/boot" "$tmp/scen"
cp "${TESTBED:-$top/scripts/testbed}" "$tmp/scripts/testbed"
cp "$top/scripts/tap-verdict" "$tmp/scripts/tap-verdict"
echo fake >"$tmp/out/kabi"
: >"$tmp/out/pkgs/linux-image-fake/boot/vmlinuz-fake"
printf '#!/bin/sh\n. /tb/tb.sh\n' >"$tmp/scen/10-fake.sh"
printf '#!/bin/sh\n' >"$tmp/scen/demo.sh"

cat >"$tmp/scripts/testbed-build" <<'EOF'
#!/bin/sh
# Fake image build: nothing to build; FAKE_BUILD=hang stands for a stuck one.
[ "${FAKE_BUILD:-}" != hang ] || exec sleep 3600
exit 0
EOF

cat >"$tmp/bin/qemu-system-x86_64" <<'EOF'
#!/bin/bash
# Fake QEMU: writes to the file of "-serial file:PATH" what dom0 would.
serial=""
while [ $# -gt 0 ]; do
	case "$1" in
	-serial) serial=${2#file:}; shift 2 ;;
	*) shift ;;
	esac
done
say() { echo "$*" >>"$serial"; }
say "@@P fake dom0 up"
case "${FAKE_QEMU:-ok}" in
ok)
	r=$(mktemp -d)
	mkdir "$r/g1" "$r/dom0"
	printf 'TAP version 13\nok 1 - fake\n1..1\n' >"$r/dmesg.tap"
	printf 'TAP version 13\nok 1 - fake\n1..1\n' >"$r/g1/10-fake.tap"
	say "@@R-BEGIN"
	tar -C "$r" -czf - . | base64 | sed 's/^/@@R /' >>"$serial"
	say "@@R-END"
	rm -rf "$r"
	say "@@D the last line before QEMU exits"
	exit 0
	;;
fail) exit 1 ;;
hang) exec sleep 3600 ;;
esac
EOF
chmod +x "$tmp/scripts/"* "$tmp/bin/qemu-system-x86_64"

# One case: start, maybe signal, check status, end of output, leftovers.
tb_case() { # name expected-status signal(- for none) wait-for-line testbed-args...
	local name=$1 want=$2 sig=$3 line=$4 log=$tmp/$1.log fifo=$tmp/$1.fifo
	local tbpid catpid rc left
	shift 4
	mkfifo "$fifo"
	cat "$fifo" >"$log" &
	catpid=$!
	PATH=$tmp/bin:$PATH OUT=$tmp/out TB_KERNEL='' \
		"$tmp/scripts/testbed" --guests 1 --results "$tmp/res-$name" "$@" \
		>"$fifo" 2>&1 </dev/null &
	tbpid=$!
	if [ "$sig" != - ]; then
		if wait_until 30 log_has "$log" "$line"; then
			kill -s "$sig" "$tbpid"
		else
			not_ok "$name: the testbed printed '$line'" "$(cat "$log")"
			kill -s "$sig" "$tbpid"
		fi
	fi
	if wait_until 60 gone "$tbpid"; then
		{ wait "$tbpid"; } 2>/dev/null	# no "Killed" job notice
		rc=$?
		if [ "$rc" = "$want" ]; then
			ok "$name: the testbed exits $want"
		else
			not_ok "$name: the testbed exits $want" "got $rc" "$(cat "$log")"
		fi
	else
		not_ok "$name: the testbed exits within 60 s" "$(cat "$log")"
		kill -KILL "$tbpid" 2>/dev/null
	fi
	# cat ends when nothing holds our stdout any more; SIGKILL takes a
	# second or two to ripple down (timeout, then tail's --pid check).
	if wait_until 15 gone "$catpid"; then
		ok "$name: nothing holds the testbed's stdout after it exits"
	else
		not_ok "$name: nothing holds the testbed's stdout after it exits" \
			"$(leftovers "$tbpid")"
		kill "$catpid" 2>/dev/null
		wait "$catpid" 2>/dev/null
	fi
	if wait_until 5 no_leftovers "$tbpid"; then
		ok "$name: no process of the testbed is left"
	else
		left=$(leftovers "$tbpid")
		not_ok "$name: no process of the testbed is left" "$left"
		kill -KILL $(echo "$left" | awk '{ print $1 }') 2>/dev/null
	fi
	case "$line" in
	''|'[testbed] building'*) ;;
	*) log_has "$log" "$line" && ok "$name: printed '$line'" ||
		not_ok "$name: printed '$line'" "$(cat "$log")" ;;
	esac
}

echo "TAP version 13"
up="[testbed] fake dom0 up"
FAKE_QEMU=ok tb_case passes 0 - "$up" --guest "$tmp/scen/10-fake.sh"
log_has "$tmp/passes.log" " passed, 0 failed" && ok "passes: the verdict passed" ||
	not_ok "passes: the verdict passed" "$(cat "$tmp/passes.log")"
FAKE_QEMU=ok tb_case demo 0 - "the last line before QEMU exits" --run "$tmp/scen/demo.sh"
FAKE_QEMU=fail tb_case qemu-fails 1 - "$up" --guest "$tmp/scen/10-fake.sh"
FAKE_QEMU=hang tb_case times-out 1 - "timed out after 2 s" --timeout 2
FAKE_QEMU=hang tb_case sigterm 143 TERM "$up" --timeout 600
FAKE_QEMU=hang tb_case sigint 130 INT "$up" --timeout 600
FAKE_QEMU=hang tb_case sighup 129 HUP "$up" --timeout 600
FAKE_QEMU=hang tb_case sigkill 137 KILL "$up" --timeout 600
FAKE_BUILD=hang tb_case sigterm-in-build 143 TERM "[testbed] building initramfs images" \
	--timeout 600
echo "1..$n"

rm -rf "$tmp"
[ "$failed" = 0 ]
