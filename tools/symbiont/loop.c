// SPDX-License-Identifier: GPL-2.0
/*
 * Signal-aware waiting for the long-running subcommands.
 *
 * SIGINT and SIGTERM are blocked except inside ppoll(), which unblocks them
 * atomically, so a signal can never slip in between "check the flag" and
 * "go to sleep". A stop request makes sym_wait() return -EINTR and the
 * subcommand exits 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "symbiont.h"

static volatile sig_atomic_t stop;
static sigset_t wait_mask;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

void sym_signals_init(void)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
}

long long sym_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait for fds (may be none) for at most timeout_ms (-1: forever).
 * Returns the number of ready fds, 0 on timeout, -EINTR if asked to stop,
 * or -1 (reported) on error.
 */
int sym_wait(struct pollfd *fds, unsigned int nfds, long long timeout_ms)
{
	struct timespec ts, *tp = NULL;
	int r;

	if (stop)
		return -EINTR;
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (timeout_ms % 1000) * 1000000;
		tp = &ts;
	}
	r = ppoll(fds, nfds, tp, &wait_mask);
	if (r < 0) {
		if (errno == EINTR)
			return stop ? -EINTR : 0;
		sym_err("poll: %s", strerror(errno));
		return -1;
	}
	return stop ? -EINTR : r;
}
