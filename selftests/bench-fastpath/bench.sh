#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fast-path benchmark, run in the testbed's dom0 by scripts/bench-fastpath:
# the same two guests (g1 -> g2, one vCPU each), in the same boot, over
# the normal path (netfront -> netback -> dom0 bridge -> netback ->
# netfront) and over the fast path (symbiont_fastpath.ko in both), in
# alternating rounds so that drift hits both alike:
#   - iperf3 TCP throughput, 1 stream and 4 streams (receiver Mbit/s);
#   - UDP packets per second at 64-byte payloads (iperf3 -u -l 64 -b 0,
#     packets the receiver got, per second);
#   - request/response round trip (sockperf ping-pong --full-rtt over
#     UDP, median and p99, in microseconds).
# Output lines start with "@@D " (printed live by the host); raw samples
# land in /results/bench/. Figures are TCG figures: only the ratios mean
# anything.
. /tb/tb.sh

ROUNDS=${TB_BENCH_ROUNDS:-3}
T=${TB_BENCH_T:-10}
R=/results/bench
mkdir -p "$R"
say() { echo "@@D $*"; echo "$*" >>"$R/summary.txt"; }

d1=$(tb_domid g1)
d2=$(tb_domid g2)
tb_wait_peers 60 g1 "$d2"

use_path() { # nic | fastpath
	if [ "$1" = fastpath ]; then
		tb_exec g2 'insmod /lib/modules/symbiont_fastpath.ko' >/dev/null
		tb_exec g1 'insmod /lib/modules/symbiont_fastpath.ko' >/dev/null
		tb_wait_chan 60 g1 "$d2" connected ||
			say "WARNING: the channel did not connect: $(tb_chan g1 "$d2" state)"
	else
		tb_exec g1 'rmmod symbiont_fastpath 2>/dev/null' >/dev/null
		tb_exec g2 'rmmod symbiont_fastpath 2>/dev/null' >/dev/null
	fi
}

# One sample of each metric on the current path, appended to $R/<path>.<metric>.
sample() { # path
	_o=$(tb_exec g1 "iperf3 -f m -c 192.0.2.2 -t $T" $((T + 60)))
	echo "$_o" >>"$R/$1.tcp1.log"
	echo "$_o" | awk '/receiver/ { v = $(NF - 2) } END { print v + 0 }' >>"$R/$1.tcp1"
	_o=$(tb_exec g1 "iperf3 -f m -P 4 -c 192.0.2.2 -t $T" $((T + 60)))
	echo "$_o" >>"$R/$1.tcp4.log"
	echo "$_o" | awk '/SUM.*receiver/ { v = $(NF - 2) } END { print v + 0 }' >>"$R/$1.tcp4"
	_o=$(tb_exec g1 "iperf3 -u -l 64 -b 0 -c 192.0.2.2 -t $T" $((T + 60)))
	echo "$_o" >>"$R/$1.udp64.log"
	echo "$_o" | awk -v t="$T" '/receiver/ { for (i = 1; i <= NF; i++)
		if ($i ~ /^[0-9]+\/[0-9]+$/) { split($i, a, "/"); v = (a[2] - a[1]) / t } }
		END { printf "%.0f\n", v }' >>"$R/$1.udp64"
	_o=$(tb_exec g1 "sockperf ping-pong --full-rtt -i 192.0.2.2 -p 11111 -t $T" $((T + 60)))
	echo "$_o" >>"$R/$1.rr.log"
	echo "$_o" | awk '/percentile 50.000/ { print $NF }' >>"$R/$1.rr50"
	echo "$_o" | awk '/percentile 99.000/ { print $NF }' >>"$R/$1.rr99"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

tb_exec g2 'iperf3 -s -D; sockperf server -i 192.0.2.2 -p 11111 >/dev/null 2>&1 &' >/dev/null
say "fast path vs netfront, g1 (domid $d1) -> g2 (domid $d2), $ROUNDS rounds of ${T} s per metric (TCG)"
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for path in nic fastpath; do
		use_path $path
		sample $path
		say "round $r $path: tcp1 $(tail -1 $R/$path.tcp1) Mbit/s, tcp4 $(tail -1 $R/$path.tcp4) Mbit/s, udp64 $(tail -1 $R/$path.udp64) pps, rr p50 $(tail -1 $R/$path.rr50) us p99 $(tail -1 $R/$path.rr99) us"
		[ $path = nic ] || say "  channel g1->g2: $(tb_exec g1 'symbiont channels' | tail -1)"
	done
	r=$((r + 1))
done
use_path nic

say "medians over $ROUNDS rounds (TCG):"
say "  metric              netfront      fastpath   ratio"
for m in tcp1:Mbit/s tcp4:Mbit/s udp64:pps rr50:us rr99:us; do
	k=${m%%:*}
	a=$(median "$R/nic.$k")
	b=$(median "$R/fastpath.$k")
	case $k in
	rr*) x=$(ratio "$a" "$b") ;;	# lower is better: netfront / fastpath
	*) x=$(ratio "$b" "$a") ;;
	esac
	say "$(printf '  %-8s %-9s %10s %13s   %sx' "$k" "${m#*:}" "$a" "$b" "$x")"
done
say "(ratio: fastpath/netfront for throughput, netfront/fastpath for latency)"
