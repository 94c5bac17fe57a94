#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-tool.sh - selftests for the symbiont userspace tool (TAP 13).
#
# Builds fake sysfs trees in a temporary directory (guest and dom0 roles,
# 0/1/3 peers, malformed values, a missing module directory) and a regular
# file standing in for /dev/symbiont_events, points the tool at them with
# SYMBIONT_SYSFS / SYMBIONT_EVENTS, and checks exact output, JSON validity,
# exit codes and that every error is one line on stderr.
#
# A file outside sysfs has no sysfs poll semantics, so "watch" runs in its
# 100 ms re-check fallback here; the tests change the tree atomically
# (rename), and only once the watcher has taken its baseline listing and
# printed the change before (see serve_role).
#
# Usage: test-tool.sh            (builds the tool with make)
#        SYMBIONT_BIN=/path/to/symbiont test-tool.sh
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${SYMBIONT_BIN:-}" ]; then
	make -s -C "$top/tools/symbiont" >&2 || { echo "Bail out! build failed"; exit 1; }
	SYMBIONT_BIN=$top/out/tools/symbiont
fi
BIN=$SYMBIONT_BIN

TMP=$(mktemp -d)
bg_pids=()
cleanup() {
	local p
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT

echo "TAP version 13"
n=0
failures=0

ok() {		# ok DESC -- result of the previous assertion in $fail
	n=$((n + 1))
	if [ -z "$fail" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		failures=$((failures + 1))
		printf '%s\n' "$fail" | sed 's/^/  # /'
	fi
}

# Nothing here is paced by a fixed sleep: a test waits for the event it
# needs (a line printed, a file opened, an exit), polling every 50 ms for
# at most WAIT_S seconds. A loaded machine only makes the tests slower; a
# broken tool makes them fail, never hang.
WAIT_S=30

wait_for() {	# wait_for CMD...: until CMD succeeds; else 1, noted in $fail
	local i
	for ((i = 0; i < WAIT_S * 20; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	fail="$fail; nothing after ${WAIT_S} s waiting for: $*"
	return 1
}

running() { kill -0 "$1" 2>/dev/null; }
exited() { ! running "$1"; }

run() {		# run CMD...: stdout in $TMP/out, stderr in $TMP/err, $rc
	timeout "$WAIT_S" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
}

# start CMD...: run in the background like run (pid $bpid); finish waits
# for it to exit (killed after WAIT_S) and sets $rc
start() {
	"$@" >"$TMP/out" 2>"$TMP/err" &
	bpid=$!
	bg_pids+=("$bpid")
}

finish() {
	wait_for exited "$bpid" || kill -KILL "$bpid"
	wait "$bpid"
	rc=$?
}

# printed N: the background command printed N lines, or exited (so that
# waiting for output it will never print ends at once)
printed() { [ "$(wc -l <"$TMP/out")" -ge "$1" ] || exited "$bpid"; }

# check_out DESC EXPECTED: exit 0, exact stdout, empty stderr
check_out() {
	local desc=$1 want=$2
	[ "$rc" = 0 ] || fail="$fail; exit $rc, want 0"
	[ -s "$TMP/err" ] && fail="$fail; stderr: $(head -c 300 "$TMP/err")"
	if [ "$(cat "$TMP/out")" != "$want" ]; then
		fail="$fail; stdout differs:
$(diff <(printf '%s\n' "$want") "$TMP/out" | head -20)"
	fi
	ok "$desc"
}

# check_err DESC RC MESSAGE: exit RC, stderr exactly one line equal to
# MESSAGE (or, if MESSAGE starts with ~, containing the rest of it)
check_err() {
	local desc=$1 want_rc=$2 msg=$3 line
	[ "$rc" = "$want_rc" ] || fail="$fail; exit $rc, want $want_rc"
	[ "$(wc -l <"$TMP/err")" = 1 ] || fail="$fail; stderr has $(wc -l <"$TMP/err") lines: $(head -c 300 "$TMP/err")"
	line=$(head -n1 "$TMP/err")
	case "$line" in
	"symbiont: "*) ;;
	*) fail="$fail; stderr not prefixed: $line" ;;
	esac
	if [ "${msg#\~}" != "$msg" ]; then
		case "$line" in
		*"${msg#\~}"*) ;;
		*) fail="$fail; stderr '$line' lacks '${msg#\~}'" ;;
		esac
	elif [ "$line" != "$msg" ]; then
		fail="$fail; stderr '$line', want '$msg'"
	fi
	ok "$desc"
}

# check_json DESC PYEXPR: exit 0, stdout is JSON lines, each valid
# (python3 -m json.tool) and PYEXPR over the list of objects `d` is true
check_json() {
	local desc=$1 expr=$2
	[ "$rc" = 0 ] || fail="$fail; exit $rc, want 0: $(head -c 300 "$TMP/err")"
	[ -s "$TMP/err" ] && fail="$fail; stderr: $(head -c 300 "$TMP/err")"
	if ! python3 -m json.tool --json-lines "$TMP/out" >/dev/null 2>"$TMP/pyerr"; then
		fail="$fail; invalid JSON: $(head -c 300 "$TMP/pyerr")"
	elif ! python3 -c '
import json, sys
d = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if ('"$expr"') else 1)' "$TMP/out" 2>"$TMP/pyerr"; then
		fail="$fail; check failed: $expr: $(head -c 600 "$TMP/out") $(head -c 300 "$TMP/pyerr")"
	fi
	ok "$desc"
}

# expect CHECK N ARG1..ARGN CMD...: run CMD, then CHECK ARG1..ARGN
expect() {
	local check=$1 args=("${@:3:$2}")
	shift $(($2 + 2))
	fail=
	run "$@"
	"$check" "${args[@]}"
}

expect_out() { expect check_out 2 "$@"; }	# DESC EXPECTED CMD...
expect_err() { expect check_err 3 "$@"; }	# DESC RC MESSAGE CMD...
expect_json() { expect check_json 2 "$@"; }	# DESC PYEXPR CMD...

# --- fixtures ---------------------------------------------------------------

uuid() { printf '0000%04d-0000-4000-8000-%012d' "$1" "$1"; }
mac() { printf '00:16:3e:00:00:%02x' "$1"; }

put() {		# put FILE VALUE: atomic write, as sysfs readers see it
	mkdir -p "$(dirname "$1")"
	printf '%s\n' "$2" >"$1.tmp" && mv "$1.tmp" "$1"
}

common() {	# common ROOT ROLE GEN
	mkdir -p "$1"
	put "$1/role" "$2"
	put "$1/generation" "$3"
	put "$1/mode" event
	put "$1/poll_ms" 1000
}

mk_guest() {	# mk_guest ROOT
	common "$1" guest 7
	put "$1/self/domid" 5
	put "$1/self/uuid" "$(uuid 5)"
	put "$1/self/name" guest-5
	put "$1/self/mac" "$(mac 5)"
	put "$1/self/group" red
	put "$1/self/state" joined
	mkdir -p "$1/peers"
}

# add_peer ROOT DIR DOMID [STATE [MAC [GROUP]]]: DIR is peers or members;
# the entry is built aside and renamed in, like an atomic kobject add
add_peer() {
	local root=$1 dir=$2 d=$3 state=${4:-joined} m=${5-$(mac "$3")}
	local g=${6:-red} t="$root/.new.$d"
	put "$t/uuid" "$(uuid "$d")"
	put "$t/name" "vm$d"
	put "$t/mac" "$m"
	put "$t/state" "$state"
	[ "$dir" = members ] && put "$t/group" "$g"
	mkdir -p "$root/$dir"
	mv "$t" "$root/$dir/$d"
}

mk_dom0() {	# mk_dom0 ROOT
	common "$1" dom0 42
	put "$1/mode" poll
	put "$1/poll_ms" 250
	mkdir -p "$1/members"
}

G0=$TMP/guest0
G1=$TMP/guest1
G3=$TMP/guest3
D3=$TMP/dom03
mk_guest "$G0"
mk_guest "$G1"
add_peer "$G1" peers 3
mk_guest "$G3"
# created out of order; readdir order must not leak into the output
add_peer "$G3" peers 12 migrating ""
add_peer "$G3" peers 3
add_peer "$G3" peers 7
mk_dom0 "$D3"
add_peer "$D3" members 9 joined "$(mac 9)" blue
add_peer "$D3" members 2 migrating "" red
add_peer "$D3" members 14 joined "$(mac 14)" red

EV=$TMP/events
cat >"$EV" <<EOF
seq=1 ts=12000000001 kind=join domid=3 prev=- uuid=$(uuid 3) name=vm3
seq=2 ts=12500000000 kind=migrate-out domid=7 prev=- uuid=$(uuid 7) name=vm7
seq=9 kind=overflow lost=6
seq=10 ts=99000000000 kind=migrate-in domid=12 prev=7 uuid=$(uuid 7) name=vm7
seq=11 ts=99500000000 kind=merged domid=12 prev=- uuid=$(uuid 7) name=vm7 merged=2
seq=12 ts=99600000000 kind=leave domid=3 prev=- uuid=$(uuid 3) name=vm3 merged=4294967295
EOF
export SYMBIONT_EVENTS=$EV
export SYMBIONT_HYPERVISOR=$TMP/no-such-hypervisor-file
export SYMBIONT_SYSFS=$G3

# --- usage ------------------------------------------------------------------

run "$BIN" --help
fail=
[ "$rc" = 0 ] || fail="exit $rc"
[ -s "$TMP/err" ] && fail="$fail; stderr not empty"
grep -q '^Usage: symbiont' "$TMP/out" || fail="$fail; no usage line"
for c in self list events watch --json --follow --count --timeout; do
	grep -q -- "$c" "$TMP/out" || fail="$fail; help lacks $c"
done
ok "--help prints usage on stdout, exit 0"

expect_out "--version" "symbiont 1.0 (protocol 1)" "$BIN" --version
expect_err "no command is a usage error" 2 \
	"symbiont: missing command (try 'symbiont --help')" "$BIN"
expect_err "unknown command is a usage error" 2 \
	"symbiont: unknown command 'frob' (try 'symbiont --help')" "$BIN" frob
expect_err "unknown short option" 2 \
	"symbiont: unknown option '-x' (try 'symbiont --help')" "$BIN" -x list
expect_err "unknown long option" 2 \
	"symbiont: unknown option '--bogus' (try 'symbiont --help')" "$BIN" list --bogus
expect_err "extra argument" 2 \
	"symbiont: unexpected argument 'more' (try 'symbiont --help')" "$BIN" list more
expect_err "--follow outside events" 2 "~--follow only applies" "$BIN" list -f
expect_err "--count outside watch" 2 "~only apply to 'watch'" "$BIN" events --count 1
expect_err "--count 0 rejected" 2 "~--count needs a positive integer" "$BIN" watch --count 0
expect_err "--count missing argument" 2 \
	"symbiont: option '--count' needs an argument (try 'symbiont --help')" "$BIN" watch --count
expect_err "--timeout not a number" 2 "~--timeout needs a positive number" \
	"$BIN" watch --timeout 1x
expect_err "--timeout 0 rejected" 2 "~--timeout needs a positive number" \
	"$BIN" watch --timeout 0

# --- module missing / not on Xen --------------------------------------------

for c in self list events watch; do
	expect_err "$c: module not loaded" 1 \
		"symbiont: kernel module not loaded ($TMP/nope missing)" \
		env SYMBIONT_SYSFS="$TMP/nope" SYMBIONT_EVENTS="$TMP/nope-ev" "$BIN" "$c"
done
put "$TMP/hv-kvm" kvm
expect_err "not on Xen" 1 \
	"symbiont: not running on Xen ($TMP/hv-kvm is \"kvm\")" \
	env SYMBIONT_SYSFS="$TMP/nope" SYMBIONT_HYPERVISOR="$TMP/hv-kvm" "$BIN" list

# --- guest ------------------------------------------------------------------

expect_out "guest self" "role:       guest
domid:      5
name:       guest-5
uuid:       00000005-0000-4000-8000-000000000005
mac:        00:16:3e:00:00:05
group:      red
state:      joined
generation: 7
mode:       event
poll_ms:    1000
peers:      3" "$BIN" self

expect_json "guest self -j" \
	'len(d) == 1 and d[0] == {"role": "guest", "domid": 5, "name": "guest-5", "uuid": "00000005-0000-4000-8000-000000000005", "mac": "00:16:3e:00:00:05", "group": "red", "state": "joined", "generation": 7, "mode": "event", "poll_ms": 1000, "peers": 3}' \
	"$BIN" -j self

HDR="DOMID  NAME              UUID                                  MAC                STATE"
expect_out "guest list, 0 peers" "$HDR" env SYMBIONT_SYSFS="$G0" "$BIN" list
expect_out "guest list, 1 peer" "$HDR
3      vm3               00000003-0000-4000-8000-000000000003  00:16:3e:00:00:03  joined" \
	env SYMBIONT_SYSFS="$G1" "$BIN" list
expect_out "guest list, 3 peers sorted by domid, unknown MAC as -" "$HDR
3      vm3               00000003-0000-4000-8000-000000000003  00:16:3e:00:00:03  joined
7      vm7               00000007-0000-4000-8000-000000000007  00:16:3e:00:00:07  joined
12     vm12              00000012-0000-4000-8000-000000000012  -                  migrating" \
	"$BIN" list

expect_json "guest list -j, 0 peers" \
	'd == [{"role": "guest", "generation": 7, "peers": []}]' \
	env SYMBIONT_SYSFS="$G0" "$BIN" list -j
expect_json "guest list --json, 3 peers" \
	'len(d) == 1 and d[0]["role"] == "guest" and [p["domid"] for p in d[0]["peers"]] == [3, 7, 12] and d[0]["peers"][2] == {"domid": 12, "name": "vm12", "uuid": "00000012-0000-4000-8000-000000000012", "mac": None, "state": "migrating"}' \
	"$BIN" list --json

# --- dom0 -------------------------------------------------------------------

expect_out "dom0 self" "role:       dom0
generation: 42
mode:       poll
poll_ms:    250
members:    3" env SYMBIONT_SYSFS="$D3" "$BIN" self
expect_json "dom0 self -j" \
	'd == [{"role": "dom0", "generation": 42, "mode": "poll", "poll_ms": 250, "members": 3}]' \
	env SYMBIONT_SYSFS="$D3" "$BIN" self -j
expect_out "dom0 list with GROUP" "DOMID  NAME              UUID                                  MAC                STATE      GROUP
2      vm2               00000002-0000-4000-8000-000000000002  -                  migrating  red
9      vm9               00000009-0000-4000-8000-000000000009  00:16:3e:00:00:09  joined     blue
14     vm14              00000014-0000-4000-8000-000000000014  00:16:3e:00:00:0e  joined     red" \
	env SYMBIONT_SYSFS="$D3" "$BIN" list
expect_json "dom0 list -j" \
	'[(m["domid"], m["group"], m["mac"]) for m in d[0]["members"]] == [(2, "red", None), (9, "blue", "00:16:3e:00:00:09"), (14, "red", "00:16:3e:00:00:0e")] and d[0]["role"] == "dom0" and d[0]["generation"] == 42' \
	env SYMBIONT_SYSFS="$D3" "$BIN" -j list

# --- malformed values -------------------------------------------------------

B=$TMP/bad1
mk_guest "$B"
add_peer "$B" peers 3
mkdir "$B/peers/x3"
expect_err "malformed peer domid directory" 1 \
	"symbiont: $B/peers: malformed domid directory name \"x3\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" list
expect_err "malformed peer domid directory (self counts peers)" 1 \
	"~malformed domid directory name" env SYMBIONT_SYSFS="$B" "$BIN" self

B=$TMP/bad2
mk_guest "$B"
put "$B/self/domid" abc
expect_err "malformed self/domid" 1 "symbiont: $B/self/domid: malformed domid \"abc\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" self
put "$B/self/domid" 05
expect_err "self/domid with leading zero" 1 "symbiont: $B/self/domid: malformed domid \"05\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" self
put "$B/self/domid" 32752
expect_err "self/domid in the reserved range" 1 "~malformed domid \"32752\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" self

B=$TMP/bad3
mk_guest "$B"
add_peer "$B" peers 3 joined "00:16:3e:zz:00:03"
expect_err "malformed peer MAC names the file" 1 \
	"symbiont: $B/peers/3/mac: malformed MAC \"00:16:3e:zz:00:03\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" list -j
fail=
[ "$rc" = 1 ] || fail="exit $rc"
[ -s "$TMP/out" ] && fail="$fail; stdout not empty: $(head -c 200 "$TMP/out")"
ok "nothing printed on stdout when a value is malformed"

B=$TMP/bad4
mk_guest "$B"
printf 'gue\nst\n' >"$B/role"
expect_err "multi-line value (escaped in the message)" 1 \
	"symbiont: $B/role: malformed value (more than one line)" \
	env SYMBIONT_SYSFS="$B" "$BIN" list
put "$B/role" "hypervisor"
expect_err "unknown role" 1 "symbiont: $B/role: malformed role \"hypervisor\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" list
put "$B/role" guest
put "$B/generation" ""
expect_err "empty generation" 1 "symbiont: $B/generation: malformed number \"\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" list
put "$B/generation" 1
put "$B/mode" fast
expect_err "unknown mode" 1 "symbiont: $B/mode: malformed mode \"fast\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" self
put "$B/mode" event
rm "$B/self/uuid"
expect_err "missing self file" 1 \
	"symbiont: cannot read $B/self/uuid: No such file or directory" \
	env SYMBIONT_SYSFS="$B" "$BIN" self

B=$TMP/bad5
mk_guest "$B"
add_peer "$B" peers 3
rm "$B/peers/3/state"
expect_err "peer directory missing a file" 1 \
	"symbiont: cannot read $B/peers/3/state: No such file or directory" \
	env SYMBIONT_SYSFS="$B" "$BIN" list

B=$TMP/bad6
mk_dom0 "$B"
add_peer "$B" members 4 joined "$(mac 4)" 'bad group'
expect_err "dom0 member group outside [A-Za-z0-9_.-]" 1 \
	"symbiont: $B/members/4/group: malformed name \"bad group\"" \
	env SYMBIONT_SYSFS="$B" "$BIN" list

# --- events -----------------------------------------------------------------

EHDR="SEQ     TIME                  KIND         DOMID  PREV   UUID                                  NAME              MERGED"
expect_out "events, with overflow and merged records" "$EHDR
1       12.000000001          join         3      -      00000003-0000-4000-8000-000000000003  vm3               -
2       12.500000000          migrate-out  7      -      00000007-0000-4000-8000-000000000007  vm7               -
9       -                     overflow     6 records lost
10      99.000000000          migrate-in   12     7      00000007-0000-4000-8000-000000000007  vm7               -
11      99.500000000          merged       12     -      00000007-0000-4000-8000-000000000007  vm7               2
12      99.600000000          leave        3      -      00000003-0000-4000-8000-000000000003  vm3               4294967295" \
	"$BIN" events

expect_json "events -j, one object per record" \
	'len(d) == 6 and d[2] == {"seq": 9, "kind": "overflow", "lost": 6} and d[0] == {"seq": 1, "kind": "join", "ts": 12000000001, "domid": 3, "prev": None, "uuid": "00000003-0000-4000-8000-000000000003", "name": "vm3", "merged": 0} and d[3]["prev"] == 7 and d[4]["kind"] == "merged" and d[4]["merged"] == 2 and d[5]["merged"] == 4294967295' \
	"$BIN" events -j

: >"$TMP/ev-empty"
expect_out "events, empty log" "$EHDR" env SYMBIONT_EVENTS="$TMP/ev-empty" "$BIN" events

for bad in \
	"seq=3 ts=1 kind=explode domid=3 prev=- uuid=$(uuid 3) name=vm3" \
	"seq=3 ts=1 kind=join domid=abc prev=- uuid=$(uuid 3) name=vm3" \
	"seq=3 ts=1 kind=join domid=3 prev=- uuid=$(uuid 3) name=vm3 extra=1" \
	"seq=3  ts=1 kind=join domid=3 prev=- uuid=$(uuid 3) name=vm3" \
	"seq=3 ts=1 kind=join domid=3 prev=x uuid=$(uuid 3) name=vm3" \
	"seq=3 ts=1 kind=join domid=3 prev=- uuid=not-a-uuid name=vm3" \
	"seq=3 kind=overflow lost=" \
	"seq=3 ts=1 kind=merged domid=3 prev=- uuid=$(uuid 3) name=vm3" \
	"seq=3 ts=1 kind=join domid=3 prev=- uuid=$(uuid 3) name=vm3 merged=0" \
	"seq=3 ts=1 kind=join domid=3 prev=- uuid=$(uuid 3) name=vm3 merged=4294967296" \
	"seq=-3 kind=overflow lost=1"; do
	{ head -n1 "$EV"; echo "$bad"; } >"$TMP/ev-bad"
	expect_err "events rejects: ${bad:0:48}" 1 "~$TMP/ev-bad: malformed record" \
		env SYMBIONT_EVENTS="$TMP/ev-bad" "$BIN" events -j
done

printf 'seq=1 ts=1 kind=join domid=3 prev=- uuid= name=vm3' >"$TMP/ev-trunc"
expect_err "events: truncated last record" 1 "symbiont: $TMP/ev-trunc: truncated record at end" \
	env SYMBIONT_EVENTS="$TMP/ev-trunc" "$BIN" events

expect_err "events: device missing while module loaded" 1 \
	"symbiont: cannot open $TMP/no-dev: No such file or directory" \
	env SYMBIONT_EVENTS="$TMP/no-dev" "$BIN" events

# events --follow on a regular file: the records there, then one appended
# once they are out (so it can only be printed by following); SIGTERM then
# exits 0 (signals are set up before the first line is printed)
cp "$EV" "$TMP/ev-follow"
fail=
start env SYMBIONT_EVENTS="$TMP/ev-follow" "$BIN" events -f -j
if wait_for printed 6; then
	echo "seq=13 ts=100000000000 kind=leave domid=3 prev=- uuid=$(uuid 3) name=vm3" >>"$TMP/ev-follow"
	wait_for printed 7
fi
running "$bpid" || fail="$fail; not running before SIGTERM"
kill -TERM "$bpid" 2>/dev/null
finish
[ "$rc" = 0 ] || fail="$fail; exit $rc after SIGTERM"
[ "$(wc -l <"$TMP/out")" = 7 ] || fail="$fail; $(wc -l <"$TMP/out") lines, want 7"
tail -n1 "$TMP/out" | grep -q '^{"seq":13,"kind":"leave",' || fail="$fail; last line: $(tail -n1 "$TMP/out")"
[ -s "$TMP/err" ] && fail="$fail; stderr: $(cat "$TMP/err")"
ok "events --follow prints appended records, exits 0 on SIGTERM"

# --- watch ------------------------------------------------------------------

# A watcher's changes are relative to its baseline listing, so a test
# changes the tree only once that baseline is taken. watch reads role once
# at the start of every listing (the baseline, then one per 100 ms
# re-check): serve_role ROOT makes ROOT/role a FIFO that a background loop
# feeds, adding a line to ROOT/.opens after each open. Open k+1 can only
# follow the end of listing k, and listing k starts no earlier than open k.
# Each open gets a FIFO of its own, swapped in before the writer closes, so
# a reader sees one value and then end of file.
serve_role() {
	local root=$1 role
	role=$(cat "$root/role")
	rm "$root/role"
	mkfifo "$root/role"
	: >"$root/.opens"
	(
		while mkfifo "$root/.role.next"; do
			exec 3>"$root/role"
			printf '%s\n' "$role" >&3
			mv "$root/.role.next" "$root/role"
			exec 3>&-
			echo >>"$root/.opens"
		done
	) 2>/dev/null &
	server=$!
	bg_pids+=("$server")
}

# opened ROOT N: role was opened N times, or the watcher exited
opened() { [ "$(wc -l <"$1/.opens")" -ge "$2" ] || exited "$bpid"; }

# watch_start ROOT ARGS...: "watch ARGS" on ROOT in the background (see
# start), returning once its baseline listing is complete (open 2)
watch_start() {
	local root=$1
	shift
	serve_role "$root"
	start env SYMBIONT_SYSFS="$root" "$BIN" watch "$@"
	wait_for opened "$root" 2
}

# relisted ROOT: returns once a listing that started after the call is
# complete. Of the opens not yet counted, at most one came before the call
# (the server counts after it writes): open c + 2 came after it, and open
# c + 3 ends that listing.
relisted() {
	local c
	c=$(wc -l <"$1/.opens")
	wait_for opened "$1" $((c + 3))
}

# watch_end: wait for the watcher to exit ($rc) and stop its role server
watch_end() {
	finish
	kill "$server" 2>/dev/null
}

# mutate ROOT: join 7, 7 starts migrating, 7 reappears as 9, 3 leaves; each
# step once the watcher printed the one before. Each step bumps the
# generation first, so the listing that shows a change has its generation.
mutate() {
	local r=$1
	put "$r/generation" 101
	add_peer "$r" peers 7
	wait_for printed 1 || return
	put "$r/generation" 102
	put "$r/peers/7/state" migrating
	wait_for printed 2 || return
	put "$r/generation" 103
	mv "$r/peers/7" "$r/peers/9"
	put "$r/peers/9/state" joined
	wait_for printed 4 || return
	put "$r/generation" 104
	mv "$r/peers/3" "$r/gone-3"
}

W=$TMP/watch1
mk_guest "$W"
add_peer "$W" peers 3
fail=
watch_start "$W" --count 5 && mutate "$W"
watch_end
check_out "watch: join, update, move, leave (human)" \
"+ 7 vm7 00:16:3e:00:00:07 joined
* 7 vm7 state joined -> migrating
~ 7 -> 9 vm7 moved
* 9 vm7 state migrating -> joined
- 3 vm3 left"

W=$TMP/watch2
mk_guest "$W"
add_peer "$W" peers 3
fail=
watch_start "$W" -j --count 5 && mutate "$W"
watch_end
check_json "watch -j: one JSON object per change" \
	'[(c["change"], c["domid"], c["prev"], c["field"]) for c in d] == [("join", 7, None, None), ("update", 7, None, "state"), ("move", 9, 7, None), ("update", 9, None, "state"), ("leave", 3, None, None)] and d[1]["old"] == "joined" and d[1]["new"] == "migrating" and [c["generation"] for c in d] == [101, 102, 103, 103, 104] and all(set(c) == {"change", "generation", "seen_ns", "domid", "prev", "name", "uuid", "mac", "state", "field", "old", "new"} for c in d)'

W=$TMP/watch3
mk_dom0 "$W"
add_peer "$W" members 3 joined "$(mac 3)" red
fail=
if watch_start "$W" --count 1; then
	put "$W/generation" 43
	add_peer "$W" members 8 joined "" blue
fi
watch_end
check_out "watch on dom0: join shows group" "+ 8 vm8 - joined group=blue"

t0=$(date +%s%N)
expect_err "watch --timeout with no change exits 1" 1 \
	"symbiont: watch: no change within 0.300 seconds" \
	env SYMBIONT_SYSFS="$G1" "$BIN" watch --timeout 0.3
el=$((($(date +%s%N) - t0) / 1000000))
fail=
[ "$el" -ge 300 ] || fail="exited after ${el} ms"
ok "watch --timeout waits at least as long as asked"

# a change outside the listing, then (once a whole listing has seen it) one
# inside: the first line printed must be the second change
W=$TMP/watch4
mk_guest "$W"
fail=
if watch_start "$W" --count 1; then
	put "$W/generation" 8
	put "$W/self/state" migrating
	if relisted "$W"; then
		put "$W/generation" 9
		add_peer "$W" peers 8
	fi
fi
watch_end
check_out "watch ignores changes outside the listing (self/state)" \
	"+ 8 vm8 00:16:3e:00:00:08 joined"

B=$TMP/watch5
mk_guest "$B"
fail=
if watch_start "$B"; then
	put "$B/generation" 8
	mkdir "$B/peers/zz"
fi
watch_end
check_err "watch: malformed value appearing later is an error" 1 \
	"symbiont: $B/peers: malformed domid directory name \"zz\""

# signalled once in its loop (baseline taken, so signals are set up)
for sig in INT TERM; do
	W=$TMP/watch-$sig
	mk_guest "$W"
	add_peer "$W" peers 3
	fail=
	if watch_start "$W"; then
		running "$bpid" || fail="$fail; not running when signalled"
		kill -"$sig" "$bpid" 2>/dev/null
	fi
	watch_end
	[ "$rc" = 0 ] || fail="$fail; exit $rc"
	[ -s "$TMP/err" ] && fail="$fail; stderr: $(cat "$TMP/err")"
	[ -s "$TMP/out" ] && fail="$fail; stdout: $(cat "$TMP/out")"
	ok "watch exits 0 on SIG$sig"
done

# On real sysfs, watch must block in poll() with no periodic wakeups. A
# static numeric sysfs attribute (never notified) stands in for generation.
SYSNUM=/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
if command -v strace >/dev/null && [ -r "$SYSNUM" ] &&
	[ "$(stat -f -c %T "$SYSNUM" 2>/dev/null)" = sysfs ] &&
	strace -o /dev/null true 2>/dev/null; then
	S=$TMP/sysfs-gen
	mk_guest "$S"
	ln -sf "$SYSNUM" "$S/generation"
	run strace -f -qq -e trace=poll,ppoll,select,pselect6,nanosleep,clock_nanosleep \
		-o "$TMP/strace.out" env SYMBIONT_SYSFS="$S" "$BIN" watch --timeout 1.5
	fail=
	[ "$rc" = 1 ] || fail="exit $rc: $(head -c 200 "$TMP/err")"
	waits=$(grep -cE 'poll|select|sleep' "$TMP/strace.out")
	[ "$waits" -ge 1 ] && [ "$waits" -le 2 ] ||
		fail="$fail; $waits waiting syscalls in 1.5 s, want 1 or 2: $(head -c 400 "$TMP/strace.out")"
	grep -q 'POLLPRI' "$TMP/strace.out" || fail="$fail; generation not polled for POLLPRI"
	ok "watch on sysfs blocks in one poll() (no periodic wakeups)"
else
	n=$((n + 1))
	echo "ok $n - watch on sysfs blocks in one poll() # SKIP needs strace and a sysfs attribute"
fi

# --- channels ---------------------------------------------------------------

# add_chan ROOT PEER STATE TXP TXB RXP RXB FB ERR STALLS RECLAIMED SPOOFED FILTERED:
# built aside, renamed in
add_chan() {
	local t="$1/.newchan.$2" f v
	put "$t/state" "$3"
	shift 3
	for f in tx_packets tx_bytes rx_packets rx_bytes fallbacks errors stalls \
		reclaimed rx_spoofed rx_filtered; do
		v=$1
		shift
		put "$t/$f" "$v"
	done
	mkdir -p "$(dirname "$t")/channels"
	mv "$t" "$(dirname "$t")/channels/${t##*.}"
}
C=$TMP/chan
mk_guest "$C"
add_peer "$C" peers 3
add_chan "$C" 12 broken 0 0 0 0 4 1 0 4 0 7
add_chan "$C" 3 connected 10 15000 9 700 2 0 3 0 5 0
expect_out "channels: table sorted by peer, names from discovery" \
"PEER   NAME              STATE         TX_PKTS      TX_BYTES     RX_PKTS      RX_BYTES  FALLBACKS  ERRORS  STALLS  RECLAIMED  SPOOFED  FILTERED
3      vm3               connected          10         15000           9           700          2       0       3          0        5         0
12     -                 broken              0             0           0             0          4       1       0          4        0         7" \
	env SYMBIONT_SYSFS="$C" "$BIN" channels
expect_json "channels -j: one object, counters as numbers, unknown name null" \
	'len(d) == 1 and [c["peer"] for c in d[0]["channels"]] == [3, 12] and d[0]["channels"][0]["tx_bytes"] == 15000 and d[0]["channels"][0]["name"] == "vm3" and d[0]["channels"][1]["name"] is None and d[0]["channels"][1]["state"] == "broken" and d[0]["channels"][1]["errors"] == 1 and d[0]["channels"][0]["stalls"] == 3 and d[0]["channels"][1]["reclaimed"] == 4 and d[0]["channels"][0]["rx_spoofed"] == 5 and d[0]["channels"][1]["rx_filtered"] == 7' \
	env SYMBIONT_SYSFS="$C" "$BIN" -j channels
expect_err "channels without the fast-path module: exit 1, one line" 1 \
	"~is symbiont_fastpath loaded?" env SYMBIONT_SYSFS="$G3" "$BIN" channels
put "$C/channels/12/state" weird
expect_err "channels: malformed state is named with its file" 1 \
	"symbiont: $C/channels/12/state: malformed channel state \"weird\"" \
	env SYMBIONT_SYSFS="$C" "$BIN" channels
put "$C/channels/12/state" idle
put "$C/channels/12/rx_bytes" -1
expect_err "channels: malformed counter is named with its file" 1 \
	"symbiont: $C/channels/12/rx_bytes: malformed number \"-1\"" \
	env SYMBIONT_SYSFS="$C" "$BIN" channels
put "$C/channels/12/rx_bytes" 0
rm "$C/channels/3/errors"
expect_err "channels: a file missing from a live channel is an error" 1 \
	"symbiont: cannot read $C/channels/3/errors: No such file or directory" \
	env SYMBIONT_SYSFS="$C" "$BIN" channels
expect_err "channels takes no argument" 2 \
	"~unexpected argument 'x'" env SYMBIONT_SYSFS="$C" "$BIN" channels x

# --- JSON escaping, man page, static binary ---------------------------------

fail=
if cc -std=gnu11 -Wall -Wextra -Werror -I "$top/tools/symbiont" \
	-I "$top/drivers/core" -o "$TMP/json-test" \
	"$top/selftests/tool/json-test.c" "$top/tools/symbiont/json.c" 2>"$TMP/cc.err"; then
	"$TMP/json-test" >"$TMP/json.out"
	want='"plain"
""
"quote\" backslash\\ slash/"
"nl\n cr\r tab\t bs\b ff\f"
"ctl\u0001\u001f del\u007f"
"utf8 é € 🐧"
"bad \ufffd \ufffd \ufffd\ufffd\ufffd \ufffd\ufffd end"
"ab"'
	[ "$(cat "$TMP/json.out")" = "$want" ] ||
		fail="output differs: $(diff <(printf '%s\n' "$want") "$TMP/json.out")"
	python3 -m json.tool --json-lines "$TMP/json.out" >/dev/null 2>&1 ||
		fail="$fail; not valid JSON"
else
	fail="json-test does not build: $(head -c 300 "$TMP/cc.err")"
fi
ok "JSON string escaping (quotes, controls, DEL, bad UTF-8)"

MAN=$top/tools/symbiont/symbiont.8
if command -v groff >/dev/null; then
	fail=
	groff -man -Tutf8 -ww "$MAN" >"$TMP/man.out" 2>"$TMP/man.err" || fail="groff failed"
	[ -s "$TMP/man.err" ] && fail="$fail; warnings: $(head -c 300 "$TMP/man.err")"
	for s in self list events watch channels fallbacks --json --count --timeout SYMBIONT_SYSFS \
		SYMBIONT_EVENTS "EXIT STATUS" overflow; do
		# strip groff's overstrike bold/underline before searching
		sed 's/.\x08//g' "$TMP/man.out" | grep -q -- "$s" ||
			fail="$fail; man page lacks $s"
	done
	ok "man page renders without warnings and covers the interface"
else
	n=$((n + 1))
	echo "ok $n - man page renders # SKIP groff not installed"
fi

fail=
if command -v readelf >/dev/null; then
	readelf -lW "$BIN" | grep -q 'INTERP' && fail="binary has an ELF interpreter (not static)"
	readelf -dW "$BIN" 2>/dev/null | grep -q NEEDED && fail="$fail; binary needs shared libraries"
	ok "binary is statically linked"
else
	n=$((n + 1))
	echo "ok $n - binary is statically linked # SKIP readelf not installed"
fi

echo "1..$n"
[ "$failures" = 0 ]
