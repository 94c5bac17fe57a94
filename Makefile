# SPDX-License-Identifier: GPL-2.0
#
# symbiont: top-level entry points. `make help` lists them.
#
# Everything built or downloaded lands in $(OUT) (default ./out, ignored).
# The kernel modules are built against the Debian 6.1 headers of exactly the
# kernel the testbed boots (resolved by scripts/deps.sh into $(OUT)/kabi),
# never against the build machine's running kernel.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

OUT ?= $(CURDIR)/out
export OUT
KABI = $(shell cat $(OUT)/kabi 2>/dev/null)
KDIR ?= /usr/src/linux-headers-$(KABI)
# `make modules` builds what users deploy, with no test-only knob;
# `make modules-test` builds, separately, the variant with the
# fault-injection knobs that the testbed needs (SYMBIONT_FAULT_INJECTION).
KBUILD_DIR ?= $(OUT)/kbuild
KBUILD_TEST_DIR ?= $(OUT)/kbuild-test
GUESTS ?= 3

.PHONY: all deps modules modules-test tool unit fuzz toolcheck check integration soak \
	bench-discovery bench-fastpath demo style clean help

all: modules tool

help:
	@echo "make            build the modules (as deployed: no test knobs) and the tool"
	@echo "make modules-test   the modules with the fault-injection knobs (testbed)"
	@echo "make check      unit tests, fuzz smoke, tool tests, testbed tests"
	@echo "make demo       boot Xen in QEMU with $(GUESTS) guests and show symbiont"
	@echo "make style      checkpatch.pl over the kernel sources"
	@echo "make unit|fuzz|toolcheck|integration   one stage of check"
	@echo "make soak       the testbed tests with the full 100,000-write flood"
	@echo "make bench-discovery [BENCH_N=20]   discovery latency/cost benchmark"
	@echo "make bench-fastpath [BENCH_ROUNDS=3 BENCH_T=10]   fast path vs netfront"
	@echo "make check-debug   the testbed tests on a lockdep+kmemleak kernel (builds it once)"
	@echo "make deb       the Debian packages symbiont-dkms and symbiont-tools (out/deb)"
	@echo "make check-deb the packages installed in a clean Debian 12 root, DKMS, testbed smoke"

deps:
	@scripts/deps.sh

# Kbuild writes objects next to the sources, so build from a tree of
# symlinks inside $(OUT) to keep the source tree clean (links to files
# that are gone are pruned). $(call kbuild,DIR,FAULT_INJECTION)
define kbuild
	@mkdir -p $(1)
	@cp -asf $(CURDIR)/Kbuild $(CURDIR)/drivers $(CURDIR)/include $(1)/
	@find $(1) -xtype l -delete
	+@$(MAKE) --no-print-directory -C $(KDIR) M=$(1) W=1 \
		SYMBIONT_FAULT_INJECTION=$(2) modules 2>&1 | tee $(1).log
	@! grep -q 'warning:' $(1).log || \
		{ echo "kernel build produced warnings (see $(1).log)" >&2; exit 1; }
endef

modules: deps
	$(call kbuild,$(KBUILD_DIR),n)

modules-test: deps
	$(call kbuild,$(KBUILD_TEST_DIR),y)

tool: deps
	@$(MAKE) --no-print-directory -C tools/symbiont O=$(OUT)/tools

unit: deps
	@scripts/run-stage unit

fuzz: deps
	@scripts/run-stage fuzz

toolcheck: deps
	@scripts/run-stage tool

integration: modules-test tool
	@scripts/run-stage integration

soak: modules-test tool
	@scripts/run-stage soak

bench-discovery: modules-test tool
	@scripts/bench-discovery $(BENCH_N) $(BENCH_N_LEAVE)

bench-fastpath: modules-test tool
	@scripts/bench-fastpath $(BENCH_ROUNDS) $(BENCH_T)

check: modules modules-test tool
	@scripts/check

# Debian packages (symbiont-dkms, symbiont-tools) into $(OUT)/deb, with
# lintian; and their test as a user installs them (not part of check:
# a Debian 12 root, DKMS, then a testbed boot with the modules DKMS built).
.PHONY: deb check-deb
deb:
	@scripts/deps.sh deb
	@scripts/deb

check-deb:
	@scripts/deps.sh check-deb
	@scripts/deb
	@scripts/check-deb

# Not part of check: builds a debug kernel (once, cached in $(OUT)/debug-kernel)
# and the modules against it, then runs the integration stage on it.
.PHONY: check-debug
check-debug: deps
	@scripts/check-debug

demo: modules-test tool
	@scripts/demo --guests $(GUESTS)

style: deps
	@scripts/style

clean:
	rm -rf $(OUT)
