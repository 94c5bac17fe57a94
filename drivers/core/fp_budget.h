/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fp_budget.h - each peer's churn budget, kept by the peer's identity so
 * that it outlives its channel: a peer that leaves and joins again, or
 * migrates out and back under a new domid, finds the count of channel
 * ends it had (Documentation/fastpath.md, "Churn").
 *
 * Data flow: the fast path's glue owns an array of budgets (one per peer
 * it can take over) and, on every step of a channel, finds the peer's
 * with sym_fp_budget_of(uuid), hands churn and churn_at to the state
 * machine as facts (fp_channel.h) and stores what its CHURN actions say.
 * The uuid is the trusted one dom0 put in our view, never the peer's own
 * claim. A slot is reused only for a peer not seen before, and then the
 * one of a peer whose last end is the oldest (a free or spotless one
 * first): with as many slots as peers, no budget is ever lost.
 *
 * Pure C (sym_compat.h only). No allocation, no locking: the caller
 * serialises (the fast path's fp_lock).
 */
#ifndef SYM_FP_BUDGET_H
#define SYM_FP_BUDGET_H

#include "sym_compat.h"

#define SYM_FP_BUDGET_UUID_LEN	36

struct sym_fp_budget {
	char uuid[SYM_FP_BUDGET_UUID_LEN + 1];	/* "": a free slot */
	u32 churn;		/* channel ends in a row (fp_channel.h) */
	u64 churn_at;		/* the time of the last one */
};

/*
 * The budget of the peer with this uuid among n slots: its own, else a
 * free slot, else the slot whose churn is 0 or, failing that, whose last
 * end is the oldest; a slot taken over starts at churn 0. NULL if n is 0
 * or the uuid is empty or longer than SYM_FP_BUDGET_UUID_LEN.
 */
struct sym_fp_budget *sym_fp_budget_of(struct sym_fp_budget *slots,
				       unsigned int n, const char *uuid);

#endif /* SYM_FP_BUDGET_H */
