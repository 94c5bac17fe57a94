/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rate.h - a rate limit per source, as one number: the generic cell rate
 * algorithm (GCRA, the token bucket's equivalent). A source may act
 * `burst` times back to back, then once per `interval` on average; an
 * action that comes too early is not refused but deferred: the caller
 * learns how long to wait, and acts then (coalescing whatever came in
 * between, so the final state is always reached).
 *
 * Data flow: the caller keeps a struct sym_rate per source (dom0: per
 * domain, for its reconcile and its relay work) and calls
 * sym_rate_admit() with the time each time it is about to act; 0 means
 * act now (and counts the action), else act no earlier than that many
 * time units later. Any monotonic unit (jiffies64 in the kernel).
 *
 * Pure C (sym_compat.h only). No allocation, no locking: the caller
 * serialises per source.
 */
#ifndef SYM_RATE_H
#define SYM_RATE_H

#include "sym_compat.h"

struct sym_rate {
	u64 tat;	/* theoretical arrival time of the next conforming action */
};

/*
 * 0 if an action at now conforms (it is counted), else the time to wait
 * before it would. burst >= 1; interval > 0.
 */
u64 sym_rate_admit(struct sym_rate *r, u64 now, u64 interval, u32 burst);

#endif /* SYM_RATE_H */
