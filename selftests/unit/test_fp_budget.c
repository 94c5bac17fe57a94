// SPDX-License-Identifier: GPL-2.0
/*
 * test_fp_budget.c - unit tests for the peers' churn budgets
 * (sym_fp_budget_of(), drivers/core/fp_budget.c): a peer finds its own
 * budget again, whatever slot it got; a new peer takes a free slot, then
 * a spotless one, then the one whose last end is the oldest, and starts
 * at zero; bad uuids get nothing; every slot filled by as many peers as
 * slots keeps every budget. Single-threaded; each test owns its array.
 */
#include "harness.h"
#include "fp_budget.h"

#define N	4u

static const char *uuid_of(unsigned int i)
{
	static char buf[8][SYM_FP_BUDGET_UUID_LEN + 1];

	snprintf(buf[i % 8], sizeof(buf[0]),
		 "%08x-0000-4000-8000-%012x", i, i * 7);
	return buf[i % 8];
}

TEST(a_peer_finds_its_budget_again)
{
	struct sym_fp_budget slots[N];
	struct sym_fp_budget *b;

	memset(slots, 0, sizeof(slots));
	b = sym_fp_budget_of(slots, N, uuid_of(1));
	ASSERT_TRUE(b != NULL);
	ASSERT_EQ(0, b->churn);
	b->churn = 5;
	b->churn_at = 100;
	sym_fp_budget_of(slots, N, uuid_of(2))->churn = 1;
	b = sym_fp_budget_of(slots, N, uuid_of(1));
	ASSERT_EQ(5, b->churn);
	ASSERT_EQ(100, b->churn_at);
	ASSERT_STREQ(uuid_of(1), b->uuid);
}

TEST(every_budget_kept_with_as_many_peers_as_slots)
{
	struct sym_fp_budget slots[N];
	unsigned int i, round;

	memset(slots, 0, sizeof(slots));
	for (round = 0; round < 3; round++)
		for (i = 0; i < N; i++) {
			struct sym_fp_budget *b = sym_fp_budget_of(slots, N, uuid_of(i));

			ASSERT_EQ(round, b->churn);
			b->churn++;
			b->churn_at = 10 * round + i;
		}
}

TEST(a_new_peer_takes_a_spotless_slot_then_the_oldest)
{
	struct sym_fp_budget slots[N];
	struct sym_fp_budget *b;
	unsigned int i;

	memset(slots, 0, sizeof(slots));
	for (i = 0; i < N; i++) {
		b = sym_fp_budget_of(slots, N, uuid_of(i));
		b->churn = 3;
		b->churn_at = 1000 - i;		/* peer N-1 ended last longest ago */
	}
	sym_fp_budget_of(slots, N, uuid_of(1))->churn = 0;	/* spotless */
	b = sym_fp_budget_of(slots, N, uuid_of(7));
	ASSERT_EQ(0, b->churn);
	ASSERT_STREQ(uuid_of(7), b->uuid);
	/* Peer 1's slot went; the others kept theirs. */
	ASSERT_EQ(0, sym_fp_budget_of(slots, N, uuid_of(1))->churn);
	/* That took the oldest (peer 3); 0, 2 and 7 are still there. */
	ASSERT_EQ(3, sym_fp_budget_of(slots, N, uuid_of(0))->churn);
	ASSERT_EQ(3, sym_fp_budget_of(slots, N, uuid_of(2))->churn);
	ASSERT_STREQ(uuid_of(7), sym_fp_budget_of(slots, N, uuid_of(7))->uuid);
}

TEST(bad_uuids_get_no_budget)
{
	struct sym_fp_budget slots[N];
	char long_uuid[SYM_FP_BUDGET_UUID_LEN + 2];

	memset(slots, 0, sizeof(slots));
	memset(long_uuid, 'a', sizeof(long_uuid) - 1);
	long_uuid[sizeof(long_uuid) - 1] = '\0';
	ASSERT_TRUE(sym_fp_budget_of(slots, N, "") == NULL);
	ASSERT_TRUE(sym_fp_budget_of(slots, N, long_uuid) == NULL);
	ASSERT_TRUE(sym_fp_budget_of(slots, 0, uuid_of(1)) == NULL);
	/* Exactly SYM_FP_BUDGET_UUID_LEN is fine. */
	long_uuid[SYM_FP_BUDGET_UUID_LEN] = '\0';
	ASSERT_TRUE(sym_fp_budget_of(slots, N, long_uuid) != NULL);
}
