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
KBUILD_DIR := $(OUT)/kbuild
GUESTS ?= 3
# y: symbiont_fastpath.ko has the test-only parameter "hostile", which the
# testbed needs; build the modules you ship with FAULT_INJECTION=n.
FAULT_INJECTION ?= y

.PHONY: all deps modules tool unit fuzz toolcheck check integration soak \
	bench-discovery bench-fastpath demo style clean help

all: modules tool

help:
	@echo "make            build the modules and the tool"
	@echo "make check      unit tests, fuzz smoke, tool tests, testbed tests"
	@echo "make demo       boot Xen in QEMU with $(GUESTS) guests and show symbiont"
	@echo "make style      checkpatch.pl over the kernel sources"
	@echo "make unit|fuzz|toolcheck|integration   one stage of check"
	@echo "make soak       the testbed tests with the full 100,000-write flood"
	@echo "make bench-discovery [BENCH_N=20]   discovery latency/cost benchmark"
	@echo "make bench-fastpath [BENCH_ROUNDS=3 BENCH_T=10]   fast path vs netfront"

deps:
	@scripts/deps.sh

# Kbuild writes objects next to the sources, so build from a tree of
# symlinks inside $(OUT) to keep the source tree clean.
modules: deps
	@mkdir -p $(KBUILD_DIR)
	@cp -asf $(CURDIR)/Kbuild $(CURDIR)/drivers $(CURDIR)/include $(KBUILD_DIR)/
	@$(MAKE) --no-print-directory -C $(KDIR) M=$(KBUILD_DIR) W=1 \
		SYMBIONT_FAULT_INJECTION=$(FAULT_INJECTION) modules \
		2>&1 | tee $(OUT)/kbuild.log
	@! grep -q 'warning:' $(OUT)/kbuild.log || \
		{ echo "kernel build produced warnings (see $(OUT)/kbuild.log)" >&2; exit 1; }

tool: deps
	@$(MAKE) --no-print-directory -C tools/symbiont O=$(OUT)/tools

unit: deps
	@scripts/run-stage unit

fuzz: deps
	@scripts/run-stage fuzz

toolcheck: deps
	@scripts/run-stage tool

integration: modules tool
	@scripts/run-stage integration

soak: modules tool
	@scripts/run-stage soak

bench-discovery: modules tool
	@scripts/bench-discovery $(BENCH_N) $(BENCH_N_LEAVE)

bench-fastpath: modules tool
	@scripts/bench-fastpath $(BENCH_ROUNDS) $(BENCH_T)

check: modules tool
	@scripts/check

demo: modules tool
	@scripts/demo --guests $(GUESTS)

style: deps
	@scripts/style

clean:
	rm -rf $(OUT)
