// SPDX-License-Identifier: GPL-2.0
/*
 * test_harness.c - the unit harness tested by itself: a binary in which
 * some tests fail on purpose, each in a different way (a failed ASSERT, a
 * SEGV caught by ASan, abort(), a hang with a forked grandchild, exit()
 * in mid-test, a leak found at exit), between tests that must pass.
 *
 * Not run like the other tests: check-harness.sh runs it, keeps its raw
 * TAP as test_harness.out, and checks that exactly the tests named
 * fail_* are "not ok", each with the diagnostic its way of failing
 * implies, that the rest are "ok" (so nothing leaked from one test's
 * process into the next), that the 1 s timeout fired in about 1 s, and
 * that no process of the binary outlives it. Its verdicts are the TAP
 * file test_harness.tap. Built with the ASan+UBSan flags of the others.
 */
#include "harness.h"

static int global_counter;

TEST(pass_first)
{
	ASSERT_EQ(0, global_counter);
}

TEST(fail_assert)
{
	ASSERT_EQ(1, 2);
}

TEST(fail_segv)
{
	volatile int *volatile p = NULL;

	*p = 1;
}

TEST(fail_abort)
{
	abort();
}

/* Hangs, and so does a process it forked: both must be gone afterwards. */
TEST_TIMEOUT(fail_hang, 1)
{
	if (fork() == 0) {
		for (;;)
			pause();
	}
	for (;;)
		pause();
}

TEST(fail_exit_early)
{
	exit(0);
}

TEST(fail_leak)
{
	static char *volatile p;

	p = malloc(100);
	p[0] = 1;
	p = NULL;
}

TEST(pass_sets_a_global)
{
	global_counter = 42;
	ASSERT_EQ(42, global_counter);
}

/* Runs in a fresh copy of the parent: the previous test's write is gone. */
TEST(pass_sees_pristine_globals)
{
	ASSERT_EQ(0, global_counter);
}

TEST(pass_output_is_captured)
{
	printf("to stdout\n");
	fprintf(stderr, "to stderr\n");
	printf("ok 99 - a line that looks like TAP");
}

TEST(pass_last)
{
	ASSERT_TRUE(1);
}
