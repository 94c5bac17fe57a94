/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness.h - a kselftest-style unit test harness printing TAP 13, with
 * every test in its own process.
 *
 * TEST(name) { ... } defines a test and registers it from an ELF
 * constructor, so a test file is just a list of TEST blocks; this header
 * also supplies main(). TEST_TIMEOUT(name, seconds) is the same with a
 * timeout other than SYM_TEST_TIMEOUT_S (30 s). The ASSERT_* macros
 * compare, and on mismatch record a "# file:line ..." diagnostic and return
 * from the test, so a test stops at its first failure.
 *
 * How a test runs (data flow): main() prints "TAP version 13" and the plan
 * "1..N", then for each test forks a child in its own process group. The
 * child points its stdout and stderr into a pipe to the parent, runs the
 * test, writes failed/diagnostic/returned into a page shared with the
 * parent (MAP_SHARED) and, if it passed, exits through exit(), so
 * sanitizers' exit-time checks (LeakSanitizer, ThreadSanitizer's report
 * count) judge each test on its own (a failed one leaves by _exit(1): the
 * frees its ASSERT skipped are no leak worth reporting). The parent collects the pipe while waiting, with pselect() woken
 * by SIGCHLD, until the child exits or the test's timeout passes; then it
 * kills the child's whole process group. It prints "ok"/"not ok N - name",
 * then the assertion's "# file:line" line, then how the child ended if that
 * explains the failure (signal, exit status, timeout), then everything the
 * child printed, each line as a "# " comment. A crash, a sanitizer report,
 * a hang or an exit() in one test is that test's "not ok"; the others
 * still run, each from the parent's pristine state (a test's changes to
 * globals die with its process). main() ends with "# P passed, F failed"
 * and exits 1 if any test failed.
 *
 * Options: -l lists the tests; names given as arguments run only those.
 * The parent kills the running test's group before dying of SIGINT,
 * SIGTERM or SIGHUP, so nothing outlives a run; if the parent is killed
 * with SIGKILL, the test's child still gets SIGKILL (PR_SET_PDEATHSIG),
 * though not a process that child forked. Include this header once per
 * binary.
 */
#ifndef SYM_TEST_HARNESS_H
#define SYM_TEST_HARNESS_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SYM_TESTS_MAX		512
#define SYM_DIAG_MAX		512
#define SYM_TEST_TIMEOUT_S	30
#define SYM_OUTPUT_MAX		(64 * 1024)

struct sym_test_result {
	int failed;		/* an ASSERT_* or SYM_FAIL fired */
	int returned;		/* the test function returned */
	char diag[SYM_DIAG_MAX];
};

struct sym_test_case {
	const char *name;
	void (*fn)(struct sym_test_result *result);
	unsigned int timeout_s;
};

static struct sym_test_case sym_test_cases[SYM_TESTS_MAX];
static int sym_test_count;

static inline void sym_test_register(const char *name,
				     void (*fn)(struct sym_test_result *),
				     unsigned int timeout_s)
{
	if (sym_test_count >= SYM_TESTS_MAX) {
		fprintf(stderr, "too many tests, raise SYM_TESTS_MAX\n");
		abort();
	}
	sym_test_cases[sym_test_count].name = name;
	sym_test_cases[sym_test_count].fn = fn;
	sym_test_cases[sym_test_count].timeout_s = timeout_s;
	sym_test_count++;
}

#define TEST_TIMEOUT(name, seconds)					\
	static void sym_test_##name(struct sym_test_result *sym_result); \
	__attribute__((constructor)) static void sym_register_##name(void) \
	{								\
		sym_test_register(#name, sym_test_##name, (seconds));	\
	}								\
	static void sym_test_##name(struct sym_test_result		\
				    *sym_result __attribute__((unused)))

#define TEST(name) TEST_TIMEOUT(name, SYM_TEST_TIMEOUT_S)

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

/* ---- the runner: everything below is the parent's side, except sym_child */

static volatile sig_atomic_t sym_running_pgid;	/* 0 while no test runs */

/* SIGINT/SIGTERM/SIGHUP in the parent: take the running test down too. */
static void sym_on_fatal_signal(int sig)
{
	if (sym_running_pgid > 0)
		kill(-sym_running_pgid, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Only there so that SIGCHLD interrupts pselect(). */
static void sym_on_sigchld(int sig)
{
	(void)sig;
}

static double sym_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* In the child: run one test with its output going to fd out. */
static void sym_child(const struct sym_test_case *tc,
		      struct sym_test_result *shared, int out, pid_t parent,
		      const sigset_t *mask)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	dup2(out, STDOUT_FILENO);
	dup2(out, STDERR_FILENO);
	close(out);
	tc->fn(shared);
	shared->returned = 1;
	fflush(stdout);
	/* A failed ASSERT skipped the test's frees: no leak report on top. */
	if (shared->failed)
		_exit(1);
	/* exit(), not _exit(): LeakSanitizer and TSan judge at exit. */
	exit(0);
}

/*
 * Append what the child wrote; keep the first SYM_OUTPUT_MAX bytes.
 * Returns 1 after data, 0 at end of file, -1 if nothing to read now.
 */
static int sym_collect(int fd, char *buf, size_t *len, size_t *dropped)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return -1;
	if (n <= 0)
		return 0;
	if (*len + n > SYM_OUTPUT_MAX) {
		size_t room = SYM_OUTPUT_MAX - *len;

		*dropped += n - room;
		n = room;
	}
	memcpy(buf + *len, chunk, n);
	*len += n;
	return 1;
}

/* The child's output, each line a TAP comment ("# " unless it has one). */
static void sym_print_output(const char *buf, size_t len, size_t dropped)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;

		printf("%s%.*s\n", buf[i] == '#' ? "" : "# ",
		       (int)(end - i), buf + i);
		i = end + 1;
	}
	if (dropped)
		printf("# (%zu more bytes of output dropped)\n", dropped);
}

/*
 * Fork the test, wait for it (at most its timeout), print its TAP line and
 * diagnostics. Returns 1 if it failed.
 */
static int sym_run_one(int num, const struct sym_test_case *tc,
		       struct sym_test_result *shared, const sigset_t *orig_mask)
{
	static char out[SYM_OUTPUT_MAX];
	size_t out_len = 0, dropped = 0;
	double start = sym_now(), deadline = start + tc->timeout_s, took;
	int pipefd[2], status = 0, timed_out = 0, failed, i;
	char how[160] = "";
	pid_t pid, parent = getpid();

	memset(shared, 0, sizeof(*shared));
	if (pipe(pipefd)) {
		perror("pipe");
		exit(2);
	}
	fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(pipefd[0]);
		sym_child(tc, shared, pipefd[1], parent, orig_mask);
	}
	setpgid(pid, pid);	/* also in the child: whichever runs first */
	sym_running_pgid = pid;
	close(pipefd[1]);

	for (;;) {
		siginfo_t info = { 0 };
		fd_set rfds;
		double left;
		struct timespec ts;
		int r;

		/* WNOWAIT: a zombie still holds its pid, so its group is ours. */
		if (!waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT) &&
		    info.si_pid == pid)
			break;
		left = deadline - sym_now();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
		FD_ZERO(&rfds);
		if (pipefd[0] >= 0)
			FD_SET(pipefd[0], &rfds);
		/* SIGCHLD is blocked except inside pselect: no lost wakeup. */
		r = pselect(pipefd[0] + 1, &rfds, NULL, NULL, &ts, orig_mask);
		if (r > 0 && sym_collect(pipefd[0], out, &out_len, &dropped) == 0) {
			close(pipefd[0]);
			pipefd[0] = -1;
		}
	}
	/* The test's group (the child, and any process it forked) dies. */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	sym_running_pgid = 0;
	/* What is left in the pipe: only a process outside the group holds it. */
	if (pipefd[0] >= 0) {
		fcntl(pipefd[0], F_SETFL, O_NONBLOCK);
		for (i = 0; i < 64; i++)
			if (sym_collect(pipefd[0], out, &out_len, &dropped) <= 0)
				break;
		close(pipefd[0]);
	}
	took = sym_now() - start;

	if (timed_out)
		snprintf(how, sizeof(how),
			 "# timeout: still running after %u s, killed",
			 tc->timeout_s);
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "# killed by signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 shared->returned ? " after the test returned" : "");
	else if (!shared->returned)
		snprintf(how, sizeof(how),
			 "# exited with status %d before the test returned",
			 WEXITSTATUS(status));
	else if (WEXITSTATUS(status) != (shared->failed ? 1 : 0))
		snprintf(how, sizeof(how),
			 "# exited with status %d after the test returned (a sanitizer's exit-time report?)",
			 WEXITSTATUS(status));
	failed = shared->failed || how[0];

	printf("%s %d - %s\n", failed ? "not ok" : "ok", num, tc->name);
	if (shared->failed)
		printf("%.*s\n", SYM_DIAG_MAX, shared->diag);
	if (how[0])
		printf("%s\n", how);
	if (!timed_out && took * 4 > tc->timeout_s)
		printf("# took %.1f s of its %u s timeout\n", took, tc->timeout_s);
	sym_print_output(out, out_len, dropped);
	return failed;
}

/* With no names on the command line every test runs, else the named. */
static int sym_selected(const char *name, int argc, char **argv)
{
	int a;

	for (a = 1; a < argc; a++)
		if (!strcmp(argv[a], name))
			return 1;
	return argc == 1;
}

int main(int argc, char **argv)
{
	struct sym_test_result *shared;
	struct sigaction sa = { 0 };
	sigset_t chld, orig_mask;
	int failures = 0, planned = 0, ran = 0;
	int i, a;

	/* Before any output, so that each child inherits it working. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < sym_test_count; i++)
			printf("%s\n", sym_test_cases[i].name);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		for (i = 0; i < sym_test_count; i++)
			if (!strcmp(argv[a], sym_test_cases[i].name))
				break;
		if (i == sym_test_count) {
			fprintf(stderr, "usage: %s [-l] [test name...]: no test %s\n",
				argv[0], argv[a]);
			return 2;
		}
	}
	for (i = 0; i < sym_test_count; i++)
		planned += sym_selected(sym_test_cases[i].name, argc, argv);

	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	sa.sa_handler = sym_on_sigchld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = sym_on_fatal_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &orig_mask);

	printf("TAP version 13\n1..%d\n", planned);
	for (i = 0; i < sym_test_count; i++) {
		if (!sym_selected(sym_test_cases[i].name, argc, argv))
			continue;
		ran++;
		failures += sym_run_one(ran, &sym_test_cases[i], shared,
					&orig_mask);
	}
	printf("# %d passed, %d failed\n", ran - failures, failures);
	munmap(shared, sizeof(*shared));
	return failures ? 1 : 0;
}

#endif /* SYM_TEST_HARNESS_H */
