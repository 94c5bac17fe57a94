# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The testbed library, sourced by dom0-init and by every scenario script,
# in dom0 and in guests (busybox ash).
#
# TAP: tb_ok/tb_fail/tb_skip/tb_is/tb_like print TAP 13 test lines and
# count them; tb_done prints the trailing plan "1..N" and returns non-zero
# if any test failed. A scenario that dies before tb_done has no plan, and
# the host's verdict counts that as a failure.
#
# Dom0 only: tb_guests, tb_domid, tb_create_guest, tb_wait_ready, tb_exec
# (run a shell command in a guest through the XenStore agent, see
# scripts/testbed-root/tb-agent), tb_wait_for, tb_dmesg_check, tb_run_all,
# tb_debug_checks (kernels with lockdep or kmemleak: make check-debug).
# Both: tb_insmod (a module that may be built into the testbed's kernel).

TB_N=0
TB_FAILED=0
TB_RESULTS=${TB_RESULTS:-/results}
# Lockdep's reports say WARNING or BUG, except this one (it turns lockdep off).
TB_BAD_DMESG='Oops|BUG|WARNING|general protection|INFO: trying to register non-static key'

# Dom0 scenarios also report each result live on the console (@@P lines),
# with the seconds since the scenario began (TB_T0, set by tb_run_all).
tb_live() {
	[ -z "${TB_LIVE:-}" ] ||
		echo "@@P   $* [+$(( $(date +%s) - ${TB_T0:-$(date +%s)} )) s]" >/dev/console
}

tb_ok() {
	TB_N=$((TB_N + 1))
	echo "ok $TB_N - $*"
	tb_live "ok $TB_N - $*"
}

tb_fail() { # description [diagnostic...]
	TB_N=$((TB_N + 1))
	TB_FAILED=$((TB_FAILED + 1))
	echo "not ok $TB_N - $1"
	tb_live "not ok $TB_N - $1"
	shift
	for d in "$@"; do
		echo "$d" | sed 's/^/# /'
	done
}

tb_skip() { # description reason
	TB_N=$((TB_N + 1))
	echo "ok $TB_N - $1 # SKIP $2"
}

tb_check() { # description command...: ok if the command succeeds
	_d=$1
	shift
	if _o=$("$@" 2>&1); then
		tb_ok "$_d"
	else
		tb_fail "$_d" "command: $*" "output: $_o"
	fi
}

tb_is() { # got expected description
	if [ "$1" = "$2" ]; then
		tb_ok "$3"
	else
		tb_fail "$3" "got:      '$1'" "expected: '$2'"
	fi
}

tb_like() { # got extended-regex description
	if echo "$1" | grep -Eq -- "$2"; then
		tb_ok "$3"
	else
		tb_fail "$3" "got: '$1'" "expected to match: $2"
	fi
}

tb_done() {
	echo "1..$TB_N"
	[ "$TB_FAILED" = 0 ]
}

# insmod /lib/modules/NAME.ko, unless the kernel has NAME built in:
# scripts/testbed-build lists those in /lib/modules/builtin (the debug
# kernel of make check-debug builds in the drivers the testbed needs).
tb_insmod() { # name [module parameters...]
	_m=$1
	shift
	! grep -qx "$_m" /lib/modules/builtin 2>/dev/null || return 0
	insmod "/lib/modules/$_m.ko" "$@"
}

tb_header() {
	echo "TAP version 13"
}

tb_log() {
	echo "# $*"
}

tb_wait_for() { # seconds command...: poll every 0.2 s until it succeeds
	_end=$(($(date +%s) + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

tb_guests() {
	xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'
}

tb_domid() {
	xl domid "$1" 2>/dev/null
}

tb_guest_config() { # name extra-cmdline
	_idx=${1#g}
	cat <<CFG
name = "$1"
type = "pv"
kernel = "/boot/guest-vmlinuz"
ramdisk = "/boot/guest-initrd.gz"
extra = "console=hvc0 loglevel=5 $2"
memory = 256
vcpus = 1
vif = [ 'mac=00:16:3e:5b:00:$(printf %02x "$_idx"),bridge=xenbr0,script=/etc/xen/scripts/tb-vif' ]
on_crash = "destroy"
CFG
}

tb_create_guest() { # name [extra kernel command line]
	mkdir -p /etc/xen
	tb_guest_config "$1" "$2" >"/etc/xen/$1.cfg"
	xl create -q "/etc/xen/$1.cfg" >"/tmp/xl-create-$1.log" 2>&1
}

tb_guest_ready() {
	_id=$(tb_domid "$1") || return 1
	[ "$(xenstore-read "/local/domain/$_id/data/tb/ready" 2>/dev/null)" = 1 ]
}

tb_wait_ready() { # name seconds
	tb_wait_for "$2" tb_guest_ready "$1"
}

tb_exec() { # name command [timeout seconds, default 120]
	_id=$(tb_domid "$1") || { echo "tb_exec: no guest $1" >&2; return 125; }
	_home=/local/domain/$_id/data/tb
	_rid=$(cat /proc/sys/kernel/random/uuid)
	xenstore-write -R "$_home/cmd" "$2" || return 125
	xenstore-write "$_home/req" "$_rid" || return 125
	# A watch wakes us as the agent answers (one process, no polling).
	/tb/tb-xs wait "$_home/done" "$_rid" "${3:-120}"
	case $? in
	0) ;;
	1)	echo "tb_exec: $1: timed out running: $2" >&2
		return 124 ;;
	*)	echo "tb_exec: $1: cannot watch $_home/done" >&2
		return 125 ;;
	esac
	if ! _n=$(xenstore-read "$_home/out/$_rid/n") ||
		! _rc=$(xenstore-read "$_home/out/$_rid/rc"); then
		echo "tb_exec: $1: the agent stored no result for: $2" >&2
		return 125
	fi
	_i=0
	while [ "$_i" -lt "$_n" ]; do
		xenstore-read -R "$_home/out/$_rid/$_i"
		_i=$((_i + 1))
	done | base64 -d
	xenstore-rm "$_home/out/$_rid"
	return "$_rc"
}

# Number of dmesg lines matching the bad pattern, in dom0 or a guest.
tb_bad_dmesg_count() { # [guest]
	if [ -z "$1" ]; then
		dmesg | grep -Ec "$TB_BAD_DMESG"
	else
		tb_exec "$1" "dmesg | grep -Ec '$TB_BAD_DMESG'"
	fi
}

# TAP lines: dmesg clean in dom0 and every live guest since the last call.
tb_dmesg_check() { # label
	for _where in dom0 $(tb_guests); do
		_arg=$_where
		[ "$_where" = dom0 ] && _arg=""
		_count=$(tb_bad_dmesg_count "$_arg")
		case "$_count" in
		''|*[!0-9]*)
			tb_fail "dmesg readable in $_where after $1" "got '$_count'"
			continue ;;
		esac
		_prev=$(cat "/tmp/dmesg-bad-$_where" 2>/dev/null || echo 0)
		echo "$_count" >"/tmp/dmesg-bad-$_where"
		if [ "$_count" -le "$_prev" ]; then
			tb_ok "dmesg clean in $_where after $1"
		elif [ "$_where" = dom0 ]; then
			tb_fail "dmesg clean in $_where after $1" \
				"$(dmesg | grep -E "$TB_BAD_DMESG" | tail -n 5)"
		else
			tb_fail "dmesg clean in $_where after $1" \
				"$(tb_exec "$_where" "dmesg | grep -E '$TB_BAD_DMESG' | tail -n 5")"
		fi
	done
}

# Progress line: how a TAP file came out, and its failures.
tb_tally() { # label file
	echo "@@P $1: $(grep -c '^ok' "$2") ok, $(grep -c '^not ok' "$2") not ok"
	grep '^not ok' "$2" | sed 's/^/@@P     /'
}

# Run every guest scenario in every guest, then every dom0 scenario here.
# Each produces $TB_RESULTS/<where>/<scenario>.tap; dmesg checks go to
# $TB_RESULTS/dmesg.tap.
tb_run_all() {
	mkdir -p "$TB_RESULTS"
	_dm=$TB_RESULTS/dmesg.tap
	tb_header >"$_dm"
	for _s in /tb/scenarios/guest/*.sh; do
		[ -e "$_s" ] || continue
		_name=$(basename "$_s" .sh)
		for _g in $(tb_guests); do
			echo "@@P $_g: running guest scenario $_name"
			mkdir -p "$TB_RESULTS/$_g"
			tb_exec "$_g" "sh $_s" 600 >"$TB_RESULTS/$_g/$_name.tap"
			echo "# exit status $?" >>"$TB_RESULTS/$_g/$_name.tap"
			tb_tally "$_g: $_name" "$TB_RESULTS/$_g/$_name.tap"
		done
		tb_dmesg_check "guest scenario $_name" >>"$_dm"
	done
	for _s in /tb/scenarios/dom0/*.sh; do
		[ -e "$_s" ] || continue
		_name=$(basename "$_s" .sh)
		echo "@@P dom0: running scenario $_name"
		_t0=$(date +%s)
		mkdir -p "$TB_RESULTS/dom0"
		TB_LIVE=1 TB_T0=$_t0 timeout "${TB_SCENARIO_TIMEOUT:-900}" sh "$_s" \
			>"$TB_RESULTS/dom0/$_name.tap" 2>"$TB_RESULTS/dom0/$_name.stderr"
		echo "# exit status $?" >>"$TB_RESULTS/dom0/$_name.tap"
		tb_tally "dom0: $_name ($(( $(date +%s) - _t0 )) s)" "$TB_RESULTS/dom0/$_name.tap"
		tb_dmesg_check "dom0 scenario $_name" >>"$_dm"
	done
	# The dmesg file's plan: count its own lines.
	echo "1..$(grep -Ec '^(not )?ok ' "$_dm")" >>"$_dm"
	if tb_debug_kernel; then
		echo "@@P debug kernel: lockdep and kmemleak checks"
		tb_debug_checks >"$TB_RESULTS/debug.tap"
		tb_tally "debug checks" "$TB_RESULTS/debug.tap"
	fi
}

# --- debug kernels (make check-debug) ---

# Run in dom0 and in guests: mount debugfs if needed; say whether this
# kernel has lockdep and kmemleak.
TB_DEBUG_PROBE='grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug
echo "lockdep=$([ -e /proc/lockdep_stats ] && echo 1 || echo 0) kmemleak=$([ -e /sys/kernel/debug/kmemleak ] && echo 1 || echo 0)"'

# Success if dom0's kernel has lockdep or kmemleak (then so do the guests:
# the testbed boots one kernel for both).
tb_debug_kernel() {
	case "$(sh -c "$TB_DEBUG_PROBE" 2>/dev/null)" in
	*=1*) return 0 ;;
	*) return 1 ;;
	esac
}

# Run a shell command in dom0 ('dom0') or in a guest; its output and status.
tb_on() { # where command [timeout seconds]
	if [ "$1" = dom0 ]; then
		sh -c "$2"
	else
		tb_exec "$1" "$2" "${3:-120}"
	fi
}

# A kmemleak scan: two scans (an object whose only reference sat in a
# register during the first is dropped by the second), then the number of
# unreferenced objects and the report (its first 60 kB: tb_exec's limit).
TB_KMEMLEAK_SCAN='echo scan >/sys/kernel/debug/kmemleak && sleep 6 &&
echo scan >/sys/kernel/debug/kmemleak &&
cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.out &&
echo "kmemleak-count $(grep -c "^unreferenced object" /tmp/kmemleak.out)" &&
head -c 60000 /tmp/kmemleak.out'

# TAP: in dom0 and every live guest, lockdep is still on (a report turns it
# off, and a later run would then prove nothing) and a kmemleak scan finds
# no unreferenced object. Each full kmemleak report lands in
# $TB_RESULTS/kmemleak-<where>.log. A last dmesg check covers the scans.
tb_debug_checks() {
	TB_N=0
	TB_FAILED=0
	tb_header
	for _where in dom0 $(tb_guests); do
		_probe=$(tb_on "$_where" "$TB_DEBUG_PROBE")
		case "$_probe" in
		*lockdep=1*)
			_dl=$(tb_on "$_where" "sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats")
			tb_is "$_dl" 1 "lockdep still on at the end in $_where (debug_locks)"
			;;
		*) tb_fail "lockdep present in $_where" "probe: $_probe" ;;
		esac
		case "$_probe" in
		*kmemleak=1*) ;;
		*) tb_fail "kmemleak present in $_where" "probe: $_probe"; continue ;;
		esac
		_log=$TB_RESULTS/kmemleak-$_where.log
		if ! tb_on "$_where" "$TB_KMEMLEAK_SCAN" 600 >"$_log" 2>&1; then
			tb_fail "kmemleak scan in $_where" "$(tail -n 5 "$_log")"
			continue
		fi
		_n=$(sed -n 's/^kmemleak-count //p' "$_log")
		if [ "$_n" = 0 ]; then
			tb_ok "kmemleak: no unreferenced object in $_where"
		else
			_ours=$(awk '/^unreferenced object/ { o = 0 } /\[symbiont_/ && !o { o = 1; n++ }
				END { print n + 0 }' "$_log")
			tb_fail "kmemleak: no unreferenced object in $_where" \
				"$_n unreferenced objects, $_ours with a symbiont frame (kmemleak-$_where.log)" \
				"$(grep -A 14 '^unreferenced object' "$_log" | head -n 30)"
		fi
	done
	tb_dmesg_check "the kmemleak scans"
	tb_done
}

# --- symbiont discovery helpers (dom0) ---

# Space-separated, sorted domids a guest lists under peers/.
tb_peers_of() { # guest
	tb_exec "$1" 'ls /sys/kernel/symbiont/peers' | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# Space-separated, sorted domids of the named guests.
tb_domids_of() { # guest...
	for _g in "$@"; do tb_domid "$_g"; done | sort -n | tr '\n' ' ' | sed 's/ $//'
}

tb_members() {
	ls /sys/kernel/symbiont/members 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'
}

# Success if dom0's event log holds KIND for DOMID (and PREV, if given).
tb_event_seen() { # kind domid [prev]
	tb_event_since 0 "$@"
}

# The sequence number of dom0's newest event (0 if none).
tb_event_last_seq() {
	symbiont events 2>/dev/null | awk 'NR > 1 { s = $1 } END { print s + 0 }'
}

# tb_event_seen, counting only events after sequence number SEQ: a domid
# seen in an earlier scenario's events does not count.
tb_event_since() { # seq kind domid [prev]
	symbiont events 2>/dev/null |
		awk -v s="$1" -v k="$2" -v d="$3" -v p="${4:-}" \
		'NR > 1 && $1 > s + 0 && $3 == k && $4 == d && (p == "" || $5 == p) { f = 1 }
		 END { exit !f }'
}

# Wait until guest G lists exactly the domids of the other named guests.
tb_wait_peers() { # seconds guest expected-domids
	_want=$3
	tb_wait_for "$1" sh -c ". /tb/tb.sh; [ \"\$(tb_peers_of $2)\" = '$_want' ]"
}

tb_meminfo() { # field (kB) in dom0
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# --- symbiont fast-path helpers (dom0) ---

# One file of GUEST's channel to the peer with domid PEER ('' if none).
tb_chan() { # guest peer-domid file
	tb_exec "$1" "cat /sys/kernel/symbiont/channels/$2/$3 2>/dev/null"
}

tb_wait_chan() { # seconds guest peer-domid state
	tb_wait_for "$1" sh -c ". /tb/tb.sh; [ \"\$(tb_chan $2 $3 state)\" = '$4' ]"
}

# The value as a number: 0 if it is empty or not one (an unreadable
# counter must not kill the caller's $((...))).
tb_num() { # value
	case "$1" in
	''|*[!0-9]*) echo 0 ;;
	*) echo "$1" ;;
	esac
}

# tb_chan_packets as a number: 0 if the channel cannot be read.
tb_chan_count() { # guest peer-domid
	tb_num "$(tb_chan_packets "$1" "$2")"
}

# Wait until GUEST's channel to PEER has carried AT_LEAST packets, both
# ways together (tb_chan_packets): traffic is flowing over it.
tb_wait_chan_packets() { # seconds guest peer-domid at-least
	tb_wait_for "$1" sh -c ". /tb/tb.sh; [ \"\$(tb_chan_packets $2 $3)\" -ge $4 ]"
}

# Success if something in GUEST listens on PORT (tcp: state LISTEN; udp:
# a bound socket), over IPv4 or IPv6. For waiting until a server is up.
tb_listening() { # guest tcp|udp port
	_st=0A
	[ "$2" = udp ] && _st=07
	tb_exec "$1" "cat /proc/net/$2 /proc/net/${2}6 2>/dev/null |
		awk -v p=:$(printf %04X "$3") -v s=$_st '\$2 ~ p \"\$\" && \$4 == s { f = 1 } END { exit !f }'"
}

# Packets through GUEST's eth0, both ways: the normal path.
tb_nic_packets() { # guest
	tb_exec "$1" 'echo $(( $(cat /sys/class/net/eth0/statistics/tx_packets) + $(cat /sys/class/net/eth0/statistics/rx_packets) ))'
}

# Packets through GUEST's channel to PEER, both ways: the fast path.
tb_chan_packets() { # guest peer-domid
	tb_exec "$1" "echo \$(( \$(cat /sys/kernel/symbiont/channels/$2/tx_packets) + \$(cat /sys/kernel/symbiont/channels/$2/rx_packets) ))"
}
