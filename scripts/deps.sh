#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what symbiont needs to build, test and demo, idempotently.
#
# Host packages (compilers, qemu, Xen userspace tools to copy into the
# testbed's dom0) are installed with apt-get. The Xen hypervisor and the
# Debian 6.1 kernel image are downloaded and extracted into $OUT/pkgs, never
# installed on the build machine. The kernel ABI is resolved from what the
# registry offers today (the dependency of linux-image-amd64), and recorded in
# $OUT/kabi so that every later step builds for exactly the kernel the testbed
# boots.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$top/out}
PKGS=$OUT/pkgs
mkdir -p "$PKGS"

log() { echo "[deps] $*"; }

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "deps: must run as root to apt-get install ($*)" >&2
		exit 1
	fi
}

host_pkgs="make gcc clang libclang-rt-14-dev valgrind cpio busybox-static
qemu-system-x86 xen-utils-4.17 xenstore-utils iproute2 kmod
linux-source-6.1 iperf3 sockperf tcpdump nftables python3 groff-base strace"

apt_updated=0
apt_update_once() {
	[ $apt_updated = 1 ] && return
	log "apt-get update"
	apt-get update -qq
	apt_updated=1
}

install_missing() { # package...: apt-get install those not installed yet
	local p missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	need_root "$missing"
	apt_update_once
	log "apt-get install$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
}

# Modes for the package targets; plain `deps.sh` (make check) is unchanged.
#   deps.sh deb        only what `make deb` needs, then stop
#   deps.sh check-deb  the default set (the testbed) plus that and mmdebstrap
deb_pkgs="debhelper dh-dkms lintian dpkg-dev git groff-base python3"
mode=${1:-}
case "$mode" in
"") ;;
deb)
	install_missing $deb_pkgs
	log "ok: Debian packaging tools"
	exit 0
	;;
check-deb) host_pkgs="$host_pkgs $deb_pkgs mmdebstrap" ;;
*) echo "deps: unknown mode '$mode' (deb, check-deb)" >&2; exit 2 ;;
esac

if [ -f "$OUT/kabi" ]; then
	kabi=$(cat "$OUT/kabi")
else
	need_root "resolve kernel ABI"
	apt_update_once
	kabi=$(apt-cache depends linux-image-amd64 |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' | head -n1)
	case "$kabi" in
	6.1.*-amd64) ;;
	*) echo "deps: cannot resolve the Debian 6.1 kernel ABI from linux-image-amd64" >&2
	   exit 1 ;;
	esac
fi
install_missing $host_pkgs "linux-headers-$kabi"

extract() { # package, marker file inside the extracted tree
	local pkg=$1 marker=$2 dir=$PKGS/$1
	[ -e "$dir/$marker" ] && return
	need_root "download $pkg"
	apt_update_once
	log "download + extract $pkg"
	rm -rf "$dir" "$PKGS"/"$pkg"_*.deb
	(cd "$PKGS" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
	dpkg-deb -x "$PKGS"/"$pkg"_*.deb "$dir"
}

extract xen-hypervisor-4.17-amd64 boot
extract "linux-image-$kabi" "boot/vmlinuz-$kabi"

if [ ! -f "$OUT/xen.elf" ]; then
	gunzip -c "$PKGS"/xen-hypervisor-4.17-amd64/boot/xen-4.17-amd64.gz >"$OUT/xen.elf.tmp"
	mv "$OUT/xen.elf.tmp" "$OUT/xen.elf"
fi

src=/usr/src/linux-source-6.1
if [ ! -f "$src/scripts/checkpatch.pl" ]; then
	log "unpack linux-source-6.1 (for checkpatch.pl and reading)"
	tar -C /usr/src -xaf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts linux-source-6.1/drivers/xen \
		linux-source-6.1/include/xen 2>/dev/null ||
		tar -C /usr/src -xaf /usr/src/linux-source-6.1.tar.xz
fi

echo "$kabi" >"$OUT/kabi"
log "ok: kernel $kabi, headers /usr/src/linux-headers-$kabi"
