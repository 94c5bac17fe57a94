// SPDX-License-Identifier: GPL-2.0
/*
 * fp_budget.c - the peers' churn budgets, found by uuid in a small array
 * (see fp_budget.h). A linear scan: at most one array of the fast path's
 * peer limit, once per channel step, which only XenStore and the peer's
 * closed word cause; never on the data path.
 *
 * Locking/lifetime: none; the caller owns and serialises the array.
 */
#include "fp_budget.h"

/* Better to take over: free, then spotless, then the oldest last end. */
static bool sym_fp_budget_cheaper(const struct sym_fp_budget *a,
				  const struct sym_fp_budget *b)
{
	if (!a->uuid[0] || !b->uuid[0])
		return !a->uuid[0] && b->uuid[0];
	if (!a->churn || !b->churn)
		return !a->churn && b->churn;
	return a->churn_at < b->churn_at;
}

struct sym_fp_budget *sym_fp_budget_of(struct sym_fp_budget *slots,
				       unsigned int n, const char *uuid)
{
	struct sym_fp_budget *victim = NULL;
	size_t len = strnlen(uuid, SYM_FP_BUDGET_UUID_LEN + 1);
	unsigned int i;

	if (!n || !len || len > SYM_FP_BUDGET_UUID_LEN)
		return NULL;
	for (i = 0; i < n; i++) {
		if (slots[i].uuid[0] && !strcmp(slots[i].uuid, uuid))
			return &slots[i];
		if (!victim || sym_fp_budget_cheaper(&slots[i], victim))
			victim = &slots[i];
	}
	memset(victim, 0, sizeof(*victim));
	memcpy(victim->uuid, uuid, len);
	return victim;
}
SYM_EXPORT(sym_fp_budget_of);
