// SPDX-License-Identifier: GPL-2.0
/*
 * tb-xs: XenStore wire-protocol helper for the testbed, speaking directly
 * on /dev/xen/xenbus so that one operation costs one round trip, not one
 * process start:
 *
 *   tb-xs flood PATH COUNT VALUE_A VALUE_B
 *	rewrite PATH COUNT times alternating two values, ending on VALUE_A
 *	(a guest flooding its own node, XSA-349 style)
 *   tb-xs send PATH COUNT INTERVAL_MS
 *	write CLOCK_REALTIME in ns to PATH every INTERVAL_MS
 *   tb-xs recv PATH COUNT
 *	watch PATH; on each firing read it and print now - value in ns
 *	(one raw write -> watch hop; the guests of one host share a wall clock)
 *   tb-xs now
 *	print CLOCK_REALTIME in ns (busybox date has no %N)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { XS_READ = 2, XS_WATCH = 4, XS_WRITE = 11, XS_WATCH_EVENT = 15, XS_ERROR = 16 };

struct xs_msg {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len;
	char body[4096];
};

static int xs_fd;

static unsigned long long realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int xs_recv(struct xs_msg *m)
{
	ssize_t n = read(xs_fd, m, sizeof(*m) - 1);

	if (n < 16 || (size_t)n != 16 + m->len)
		return -1;
	m->body[m->len] = '\0';
	return 0;
}

/* Send a request with two strings (the second without NUL); wait for its reply. */
static int xs_request(uint32_t type, const char *a, const char *b,
		      struct xs_msg *reply)
{
	struct xs_msg m = { .type = type };
	size_t la = strlen(a) + 1, lb = b ? strlen(b) : 0;

	if (la + lb > sizeof(m.body))
		return -1;
	memcpy(m.body, a, la);
	if (b)
		memcpy(m.body + la, b, lb);
	m.len = la + lb;
	if (write(xs_fd, &m, 16 + m.len) != (ssize_t)(16 + m.len))
		return -1;
	do {
		if (xs_recv(reply))
			return -1;
	} while (reply->type == XS_WATCH_EVENT);
	return reply->type == XS_ERROR ? -1 : 0;
}

static int flood(const char *path, long count, const char *a, const char *b)
{
	struct xs_msg r;
	long i;

	for (i = 0; i <= count; i++)
		if (xs_request(XS_WRITE, path, i % 2 ? b : a, &r)) {
			fprintf(stderr, "tb-xs: write %ld failed\n", i);
			return 1;
		}
	if (count % 2 && xs_request(XS_WRITE, path, a, &r))
		return 1;
	printf("%ld writes\n", count + 1 + count % 2);
	return 0;
}

static int send_times(const char *path, long count, long interval_ms)
{
	struct timespec pause = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
	char val[32];
	struct xs_msg r;
	long i;

	for (i = 0; i < count; i++) {
		nanosleep(&pause, NULL);
		snprintf(val, sizeof(val), "%llu", realtime_ns());
		if (xs_request(XS_WRITE, path, val, &r))
			return 1;
	}
	return 0;
}

static int recv_times(const char *path, long count)
{
	struct xs_msg m, r;
	long seen = 0;

	if (xs_request(XS_WATCH, path, "tb-xs", &r))
		return 1;
	while (seen < count) {
		if (xs_recv(&m))
			return 1;
		if (m.type != XS_WATCH_EVENT)
			continue;
		unsigned long long now = realtime_ns();

		if (xs_request(XS_READ, path, NULL, &r) || !r.len)
			continue;
		unsigned long long sent = strtoull(r.body, NULL, 10);

		if (!sent || sent > now)
			continue;
		printf("%llu\n", now - sent);
		fflush(stdout);
		seen++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%llu\n", realtime_ns());
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: tb-xs flood|send|recv PATH COUNT [...]\n");
		return 2;
	}
	xs_fd = open("/dev/xen/xenbus", O_RDWR);
	if (xs_fd < 0) {
		perror("tb-xs: /dev/xen/xenbus");
		return 1;
	}
	if (!strcmp(argv[1], "flood") && argc == 6)
		return flood(argv[2], atol(argv[3]), argv[4], argv[5]);
	if (!strcmp(argv[1], "send") && argc == 5)
		return send_times(argv[2], atol(argv[3]), atol(argv[4]));
	if (!strcmp(argv[1], "recv") && argc == 4)
		return recv_times(argv[2], atol(argv[3]));
	fprintf(stderr, "tb-xs: bad arguments\n");
	return 2;
}
