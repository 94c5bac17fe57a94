#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Discovery benchmark, run in the testbed's dom0 by scripts/bench-discovery.
# For each mode (event; poll with poll_ms=1000) it measures, in the same
# boot:
#   - idle cost: XenStore requests and work runs (wakeups) per second of
#     symbiont in dom0 and in a guest over IDLE_S seconds;
#   - detection latency of N joins (insmod), shutdowns (xl shutdown),
#     destroys (xl destroy), migrate-outs (xl save) and migrate-ins
#     (xl restore): from the trigger to the moment the LAST observing guest
#     lists the change, both read from CLOCK_REALTIME (Xen gives its guests
#     one wall clock). Observers run `symbiont watch -j`, which stamps each
#     listing it reads (seen_ns);
# and once, the floor: one raw XenStore write -> watch hop, as half the
# round trip of a dom0 <-> guest ping-pong over XenStore (one clock).
# Each guest's clock offset against dom0 comes from the same ping-pong
# (the sample with the smallest round trip, NTP style), and every guest
# timestamp is mapped onto dom0's clock before subtracting.
# Output lines start with "@@D " (printed live by the host) and the raw
# samples land in /results/bench/.
. /tb/tb.sh

N=${TB_BENCH_N:-20}
# Shutdown and destroy need a fresh guest boot per event (~25 s under TCG).
N_LEAVE=${TB_BENCH_N_LEAVE:-$N}
IDLE_S=${TB_BENCH_IDLE:-30}
R=/results/bench
mkdir -p "$R"
say() { echo "@@D $*"; echo "$*" >>"$R/summary.txt"; }
now() { /tb/tb-xs now; }

stats() { # file: n min median p95 max, in ms
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n=0"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]
		printf "n=%d min=%.1f median=%.1f p95=%.1f max=%.1f ms\n",
			NR, v[1] / 1e6, m / 1e6, p / 1e6, v[NR] / 1e6 }'
}

load_mode() { # mode
	rmmod symbiont_dom0 2>/dev/null
	insmod /lib/modules/symbiont_dom0.ko mode=$1 poll_ms=1000
	for g in $OBS g3; do
		tb_exec $g "rmmod symbiont_guest; insmod /lib/modules/symbiont_guest.ko mode=$1 poll_ms=1000" >/dev/null
	done
	tb_wait_peers 60 g1 "$(tb_domids_of g2 g3)"
}

start_watchers() {
	for g in $OBS; do
		tb_exec $g "killall symbiont 2>/dev/null; symbiont -j watch >/tmp/watch.log 2>&1 &" >/dev/null
	done
}

# Offset (ns) of a guest's CLOCK_REALTIME against dom0's; also feeds the
# raw hop samples (half round trips).
measure_offset() { # guest
	_d=$(tb_domid "$1")
	tb_exec "$1" "/tb/tb-xs echo data/bench-in data/bench-out $N >/dev/null 2>&1 &" >/dev/null
	sleep 1
	/tb/tb-xs ping "/local/domain/$_d/data/bench-in" \
		"/local/domain/$_d/data/bench-out" "$N" >"$R/ping-$1.txt"
	awk '{ print int($1 / 2) }' "$R/ping-$1.txt" >>"$R/raw-hop.ns"
	sort -n "$R/ping-$1.txt" | head -n 1 | awk '{ print $2 }'
}

offset_of() { # guest -> its offset, measured once per guest name
	eval "echo \${OFF_$1:-0}"
}

# Latest moment (dom0 clock) any observer saw a change of KIND about
# DOMID after T0 (dom0 clock).
seen_by_all() { # kind domid t0 -> prints max, fails if one has not
	_max=0
	for g in $OBS; do
		_off=$(offset_of "$g")
		_t=$(tb_exec $g "cat /tmp/watch.log" | awk -v k="\"change\":\"$1\"" \
			-v d="\"domid\":$2," -v t0="$3" -v off="$_off" '
			index($0, k) && index($0, d) {
				match($0, /"seen_ns":[0-9]+/)
				s = substr($0, RSTART + 10, RLENGTH - 10) - off
				if (s >= t0 + 0) { printf "%.0f\n", s; exit }
			}')
		[ -n "$_t" ] || return 1
		[ "$_t" -gt "$_max" ] && _max=$_t
	done
	echo "$_max"
}

record() { # kind domid t0 file
	_s=""
	_end=$(($(date +%s) + 60))
	while [ "$(date +%s)" -lt "$_end" ]; do
		_s=$(seen_by_all "$1" "$2" "$3") && break
		sleep 0.5
	done
	if [ -n "$_s" ]; then
		echo $((_s - $3)) >>"$4"
	else
		say "   missed: $1 of domid $2"
	fi
}

idle_cost() { # mode
	sleep 5
	x0=$(cat /sys/kernel/symbiont/stats/xs_requests)
	w0=$(cat /sys/kernel/symbiont/stats/work_runs)
	gx0=$(tb_exec g1 'cat /sys/kernel/symbiont/stats/xs_requests')
	gw0=$(tb_exec g1 'cat /sys/kernel/symbiont/stats/work_runs')
	sleep "$IDLE_S"
	x1=$(cat /sys/kernel/symbiont/stats/xs_requests)
	w1=$(cat /sys/kernel/symbiont/stats/work_runs)
	gx1=$(tb_exec g1 'cat /sys/kernel/symbiont/stats/xs_requests')
	gw1=$(tb_exec g1 'cat /sys/kernel/symbiont/stats/work_runs')
	say "$1 idle over ${IDLE_S}s: dom0 xs_requests +$((x1 - x0)) work_runs +$((w1 - w0));" \
		"g1 xs_requests +$((gx1 - gx0)) work_runs +$((gw1 - gw0))" \
		"(tb_exec traffic is the test agent's, not counted)"
	awk -v a=$((x1 - x0)) -v b=$((w1 - w0)) -v c=$((gx1 - gx0)) -v d=$((gw1 - gw0)) -v s="$IDLE_S" \
		'BEGIN { printf "%s per second: dom0 %.2f requests %.2f wakeups; guest %.2f requests %.2f wakeups\n",
			"'"$1"'", a / s, b / s, c / s, d / s }' | while read -r l; do say "$l"; done
}

bench_join() { # mode
	d3=$(tb_domid g3)
	i=0
	while [ $i -lt "$N" ]; do
		tb_exec g3 "rmmod symbiont_guest" >/dev/null
		tb_wait_peers 60 g1 "$(tb_domids_of g2)"
		tb_wait_peers 60 g2 "$(tb_domids_of g1)"
		t0=$(tb_exec g3 "/tb/tb-xs now; insmod /lib/modules/symbiont_guest.ko mode=$1 poll_ms=1000" | head -n 1)
		t0=$((t0 - $(offset_of g3)))
		record join "$d3" "$t0" "$R/$1-join.ns"
		i=$((i + 1))
	done
	say "$1 join         $(stats "$R/$1-join.ns")"
}

bench_leave() { # mode shutdown|destroy
	i=0
	while [ $i -lt "$N_LEAVE" ]; do
		tb_create_guest g4 "symbiont_guest.mode=$1"
		tb_wait_ready g4 180 || { say "g4 did not boot"; break; }
		d4=$(tb_domid g4)
		tb_wait_peers 60 g1 "$(tb_domids_of g2 g3 g4)"
		t0=$(now)
		if [ "$2" = shutdown ]; then xl shutdown g4; else xl destroy g4; fi
		record leave "$d4" "$t0" "$R/$1-$2.ns"
		tb_wait_for 60 sh -c '! xl domid g4'
		i=$((i + 1))
	done
	say "$1 $2     $(stats "$R/$1-$2.ns")"
}

bench_migrate() { # mode
	i=0
	while [ $i -lt "$N" ]; do
		d3=$(tb_domid g3)
		t0=$(now)
		xl save g3 /tmp/g3.save >/dev/null 2>&1 &
		record update "$d3" "$t0" "$R/$1-migrate-out.ns"
		wait
		xl restore /tmp/g3.save >/dev/null 2>&1
		t0=$(now)
		rm -f /tmp/g3.save
		record join "$(tb_domid g3)" "$t0" "$R/$1-migrate-in.ns"
		i=$((i + 1))
	done
	say "$1 migrate-out  $(stats "$R/$1-migrate-out.ns")  (xl save start -> peers see migrating)"
	say "$1 migrate-in   $(stats "$R/$1-migrate-in.ns")  (xl restore returned -> peers list the new domid)"
}

# Each kind in event mode then in poll mode, so a cut-short run still
# pairs what it measured.
run_kind() { # kind [arg]
	for m in event poll; do
		load_mode "$m"
		start_watchers
		sleep 2
		"bench_$1" "$m" ${2:+"$2"}
	done
}

OBS="g1 g2"
say "symbiont discovery benchmark (QEMU TCG: only ratios within this run mean anything)"

for g in g1 g2 g3; do
	eval "OFF_$g=$(measure_offset $g)"
	say "clock offset of $g against dom0: $(offset_of $g) ns"
done
say "raw XenStore write->watch hop (half a dom0<->guest round trip): $(stats "$R/raw-hop.ns")"

for m in event poll; do
	load_mode "$m"
	idle_cost "$m"
done
run_kind join
run_kind migrate
run_kind leave shutdown
run_kind leave destroy
say ""
say "raw samples (ns): /results/bench/*.ns"
