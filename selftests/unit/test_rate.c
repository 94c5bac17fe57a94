// SPDX-License-Identifier: GPL-2.0
/*
 * test_rate.c - unit tests for the GCRA rate limit (drivers/core/rate.c):
 * a burst is admitted back to back and the next action waits exactly
 * until one interval's budget is back; a steady source at the rate is
 * never deferred; a flooding source gets at most burst + elapsed/interval
 * actions whatever it tries; idle time refills to a full burst and no
 * more; a deferred action admitted at the time it was told conforms.
 * Single-threaded; each test owns its state.
 */
#include "harness.h"
#include "rate.h"

#define IV	100u
#define BURST	5u

TEST(burst_then_wait_one_interval)
{
	struct sym_rate r = { 0 };
	unsigned int i;

	for (i = 0; i < BURST; i++)
		ASSERT_EQ(0, sym_rate_admit(&r, 1000, IV, BURST));
	ASSERT_EQ(IV, sym_rate_admit(&r, 1000, IV, BURST));
	ASSERT_EQ(1, sym_rate_admit(&r, 1000 + IV - 1, IV, BURST));
	ASSERT_EQ(0, sym_rate_admit(&r, 1000 + IV, IV, BURST));
}

TEST(steady_source_at_the_rate_never_waits)
{
	struct sym_rate r = { 0 };
	u64 t;

	for (t = 5000; t < 5000 + 1000 * IV; t += IV)
		ASSERT_EQ(0, sym_rate_admit(&r, t, IV, BURST));
}

TEST(flood_gets_burst_plus_elapsed_over_interval)
{
	struct sym_rate r = { 0 };
	unsigned int admitted = 0;
	u64 t;

	/* An attempt every time unit for 100 intervals. */
	for (t = 7000; t < 7000 + 100 * IV; t++)
		if (!sym_rate_admit(&r, t, IV, BURST))
			admitted++;
	ASSERT_EQ(BURST + 100 - 1, admitted);
}

TEST(idle_refills_to_a_full_burst_and_no_more)
{
	struct sym_rate r = { 0 };
	unsigned int i, admitted = 0;

	for (i = 0; i < BURST; i++)
		sym_rate_admit(&r, 100, IV, BURST);
	/* Idle for 100 intervals: a burst, not 100 actions. */
	for (i = 0; i < 2 * BURST; i++)
		if (!sym_rate_admit(&r, 100 + 100 * IV, IV, BURST))
			admitted++;
	ASSERT_EQ(BURST, admitted);
}

TEST(deferred_action_conforms_when_told)
{
	struct sym_rate r = { 0 };
	u64 now = 123, wait;
	unsigned int i;

	for (i = 0; i < 50; i++) {
		wait = sym_rate_admit(&r, now, IV, BURST);
		if (wait) {
			now += wait;
			ASSERT_EQ(0, sym_rate_admit(&r, now, IV, BURST));
		}
	}
	/* 50 actions take (50 - BURST) intervals after the burst. */
	ASSERT_EQ(123 + (50 - BURST) * IV, now);
}

TEST(burst_of_one_is_a_plain_interval)
{
	struct sym_rate r = { 0 };

	ASSERT_EQ(0, sym_rate_admit(&r, 10, IV, 1));
	ASSERT_EQ(IV - 5, sym_rate_admit(&r, 15, IV, 1));
	ASSERT_EQ(0, sym_rate_admit(&r, 10 + IV, IV, 1));
	/* burst 0 is taken as 1. */
	ASSERT_EQ(IV, sym_rate_admit(&r, 10 + IV, IV, 0));
}
