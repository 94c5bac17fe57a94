/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - a minimal kselftest-style unit test harness printing TAP 13.
 *
 * TEST(name) { ... } defines a test function and registers it from an ELF
 * constructor, so each test file is just a list of TEST blocks; this header
 * also supplies main(). The ASSERT_* macros compare, and on mismatch record a
 * "# file:line ..." diagnostic and return from the test, so one test stops at
 * its first failure while the rest still run. main() prints "TAP version 13",
 * the plan "1..N", then "ok"/"not ok" per test and exits 1 if any failed.
 *
 * Include it once per test binary. Tests run one after another in
 * registration order; there is no threading and nothing to lock.
 */
#ifndef SYM_TEST_HARNESS_H
#define SYM_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYM_TESTS_MAX	512
#define SYM_DIAG_MAX	512

struct sym_test_result {
	int failed;
	char diag[SYM_DIAG_MAX];
};

struct sym_test_case {
	const char *name;
	void (*fn)(struct sym_test_result *result);
};

static struct sym_test_case sym_test_cases[SYM_TESTS_MAX];
static int sym_test_count;

static inline void sym_test_register(const char *name,
				     void (*fn)(struct sym_test_result *))
{
	if (sym_test_count >= SYM_TESTS_MAX) {
		fprintf(stderr, "too many tests, raise SYM_TESTS_MAX\n");
		abort();
	}
	sym_test_cases[sym_test_count].name = name;
	sym_test_cases[sym_test_count].fn = fn;
	sym_test_count++;
}

#define TEST(name)							\
	static void sym_test_##name(struct sym_test_result *sym_result); \
	__attribute__((constructor)) static void sym_register_##name(void) \
	{								\
		sym_test_register(#name, sym_test_##name);		\
	}								\
	static void sym_test_##name(struct sym_test_result *sym_result)

#define SYM_FAIL(...)							\
	do {								\
		sym_result->failed = 1;					\
		snprintf(sym_result->diag, sizeof(sym_result->diag),	\
			 __VA_ARGS__);					\
		return;							\
	} while (0)

/* Integers of any width and sign, and pointers, compared as 64-bit values. */
#define ASSERT_EQ(expected, actual)					\
	do {								\
		long long sym_e = (long long)(expected);		\
		long long sym_a = (long long)(actual);			\
		if (sym_e != sym_a)					\
			SYM_FAIL("# %s:%d ASSERT_EQ(%s, %s) expected %lld (0x%llx) got %lld (0x%llx)", \
				 __FILE__, __LINE__, #expected, #actual, \
				 sym_e, (unsigned long long)sym_e,	\
				 sym_a, (unsigned long long)sym_a);	\
	} while (0)

#define ASSERT_NE(unexpected, actual)					\
	do {								\
		long long sym_e = (long long)(unexpected);		\
		long long sym_a = (long long)(actual);			\
		if (sym_e == sym_a)					\
			SYM_FAIL("# %s:%d ASSERT_NE(%s, %s) expected anything but %lld got %lld", \
				 __FILE__, __LINE__, #unexpected, #actual, \
				 sym_e, sym_a);				\
	} while (0)

#define ASSERT_TRUE(cond)						\
	do {								\
		if (!(cond))						\
			SYM_FAIL("# %s:%d ASSERT_TRUE(%s) expected true got false", \
				 __FILE__, __LINE__, #cond);		\
	} while (0)

#define ASSERT_FALSE(cond)						\
	do {								\
		if (cond)						\
			SYM_FAIL("# %s:%d ASSERT_FALSE(%s) expected false got true", \
				 __FILE__, __LINE__, #cond);		\
	} while (0)

#define ASSERT_STREQ(expected, actual)					\
	do {								\
		const char *sym_e = (expected);				\
		const char *sym_a = (actual);				\
		if (!sym_e || !sym_a || strcmp(sym_e, sym_a))		\
			SYM_FAIL("# %s:%d ASSERT_STREQ(%s, %s) expected \"%s\" got \"%s\"", \
				 __FILE__, __LINE__, #expected, #actual, \
				 sym_e ? sym_e : "(null)",		\
				 sym_a ? sym_a : "(null)");		\
	} while (0)

#define ASSERT_MEMEQ(expected, actual, len)				\
	do {								\
		if (memcmp((expected), (actual), (len)))		\
			SYM_FAIL("# %s:%d ASSERT_MEMEQ(%s, %s, %s) bytes differ", \
				 __FILE__, __LINE__, #expected, #actual, #len); \
	} while (0)

int main(void)
{
	int failures = 0;
	int i;

	printf("TAP version 13\n1..%d\n", sym_test_count);
	for (i = 0; i < sym_test_count; i++) {
		struct sym_test_result result = { 0 };

		fflush(stdout);
		sym_test_cases[i].fn(&result);
		if (result.failed) {
			failures++;
			printf("not ok %d - %s\n%s\n", i + 1,
			       sym_test_cases[i].name, result.diag);
		} else {
			printf("ok %d - %s\n", i + 1, sym_test_cases[i].name);
		}
	}
	printf("# %d passed, %d failed\n", sym_test_count - failures, failures);
	return failures ? 1 : 0;
}

#endif /* SYM_TEST_HARNESS_H */
