// SPDX-License-Identifier: GPL-2.0
/*
 * tb-xs: XenStore wire-protocol helper for the testbed, speaking directly
 * on /dev/xen/xenbus so that one operation costs one round trip, not one
 * process start:
 *
 *   tb-xs flood PATH COUNT VALUE_A VALUE_B
 *	rewrite PATH COUNT times alternating two values, ending on VALUE_A
 *	(a guest flooding its own node, XSA-349 style)
 *   tb-xs echo IN OUT COUNT
 *	watch IN; on each new value write CLOCK_REALTIME (ns) to OUT
 *   tb-xs ping IN OUT COUNT
 *	COUNT times: write our CLOCK_REALTIME to IN, wait for OUT to change,
 *	print "rtt_ns offset_ns" where offset = echoed time - midpoint; the
 *	echoing side runs tb-xs echo IN OUT. Half the round trip is one
 *	write -> watch hop measured on one clock; the offset of the sample
 *	with the smallest rtt maps the peer's clock onto ours (NTP style)
 *   tb-xs wait PATH VALUE SECONDS
 *	block on a watch until PATH holds VALUE: exit 0, or 1 once SECONDS
 *	passed (tb_exec waits for its agent's answer this way, instead of
 *	polling with a process per look)
 *   tb-xs now
 *	print CLOCK_REALTIME in ns (busybox date has no %N)
 */
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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

/* /dev/xen/xenbus, or xenstored's socket when TB_XS_SOCKET names one. */
static int xs_open(void)
{
	const char *sock = getenv("TB_XS_SOCKET");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (!sock)
		return open("/dev/xen/xenbus", O_RDWR);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	strncpy(addr.sun_path, sock, sizeof(addr.sun_path) - 1);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int read_full(void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(xs_fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * One message: the device and the socket are byte streams (a read may
 * hold a reply and a watch event back to back), so read the header, then
 * exactly its body.
 */
static int xs_recv(struct xs_msg *m)
{
	if (read_full(m, 16) || m->len >= sizeof(m->body) ||
	    read_full(m->body, m->len))
		return -1;
	m->body[m->len] = '\0';
	return 0;
}

/*
 * Send a request with one or two strings and wait for its reply. A value
 * (XS_WRITE) goes without a NUL; a watch token needs one, or the xenbus
 * device rejects the request.
 */
static int xs_request(uint32_t type, const char *a, const char *b,
		      struct xs_msg *reply)
{
	struct xs_msg m = { .type = type };
	size_t la = strlen(a) + 1;
	size_t lb = b ? strlen(b) + (type == XS_WATCH) : 0;

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

/* Current value of path into buf ("" if missing). */
static void xs_value(const char *path, char *buf, size_t size)
{
	struct xs_msg r;

	if (xs_request(XS_READ, path, NULL, &r))
		r.body[0] = '\0';
	snprintf(buf, size, "%s", r.body);
}

/*
 * Block until path holds a value other than *last (a watch on it must be
 * registered); store it in *last. Whether the registration firing comes
 * before or after the XS_WATCH reply, it only causes one extra read.
 */
static int await_change(const char *path, char *last, size_t size)
{
	char now[64];
	struct xs_msg m;

	for (;;) {
		xs_value(path, now, sizeof(now));
		if (strcmp(now, last)) {
			snprintf(last, size, "%s", now);
			return 0;
		}
		do {
			if (xs_recv(&m))
				return -1;
		} while (m.type != XS_WATCH_EVENT);
	}
}

static int echo_times(const char *in, const char *out, long count)
{
	char last[64], val[32];
	struct xs_msg r;
	long i;

	if (xs_request(XS_WATCH, in, "tb-xs", &r))
		return 1;
	xs_value(in, last, sizeof(last));
	for (i = 0; i < count; i++) {
		if (await_change(in, last, sizeof(last)))
			return 1;
		snprintf(val, sizeof(val), "%llu", realtime_ns());
		if (xs_request(XS_WRITE, out, val, &r))
			return 1;
	}
	return 0;
}

static int ping_times(const char *in, const char *out, long count)
{
	struct timespec pause = { 0, 100 * 1000000L };
	char last[64], val[32];
	struct xs_msg r;
	long i;

	if (xs_request(XS_WATCH, out, "tb-xs", &r))
		return 1;
	xs_value(out, last, sizeof(last));
	for (i = 0; i < count; i++) {
		unsigned long long t0, t1, echoed;

		nanosleep(&pause, NULL);
		t0 = realtime_ns();
		snprintf(val, sizeof(val), "%llu", t0);
		if (xs_request(XS_WRITE, in, val, &r) ||
		    await_change(out, last, sizeof(last)))
			return 1;
		t1 = realtime_ns();
		echoed = strtoull(last, NULL, 10);
		printf("%llu %lld\n", t1 - t0,
		       (long long)(echoed - (t0 + (t1 - t0) / 2)));
		fflush(stdout);
	}
	return 0;
}

/* 0 once path holds want, 1 when seconds passed first, 2 on an error. */
static int wait_value(const char *path, const char *want, long seconds)
{
	unsigned long long end = realtime_ns() + seconds * 1000000000ULL;
	struct pollfd pfd = { .fd = xs_fd, .events = POLLIN };
	char now[256];
	struct xs_msg m;

	if (xs_request(XS_WATCH, path, "tb-xs", &m))
		return 2;
	for (;;) {
		unsigned long long t = realtime_ns();

		/* Read after the watch is set: no change can slip between. */
		xs_value(path, now, sizeof(now));
		if (!strcmp(now, want))
			return 0;
		do {
			if (t >= end)
				return 1;
			if (poll(&pfd, 1, (int)((end - t) / 1000000 + 1)) < 0 ||
			    ((pfd.revents & POLLIN) && xs_recv(&m)))
				return 2;
			t = realtime_ns();
		} while (!(pfd.revents & POLLIN) || m.type != XS_WATCH_EVENT);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%llu\n", realtime_ns());
		return 0;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: tb-xs flood|echo|ping|wait ... | now\n");
		return 2;
	}
	xs_fd = xs_open();
	if (xs_fd < 0) {
		perror("tb-xs: cannot reach xenstored");
		return 1;
	}
	if (!strcmp(argv[1], "flood") && argc == 6)
		return flood(argv[2], atol(argv[3]), argv[4], argv[5]);
	if (!strcmp(argv[1], "echo") && argc == 5)
		return echo_times(argv[2], argv[3], atol(argv[4]));
	if (!strcmp(argv[1], "ping") && argc == 5)
		return ping_times(argv[2], argv[3], atol(argv[4]));
	if (!strcmp(argv[1], "wait") && argc == 5)
		return wait_value(argv[2], argv[3], atol(argv[4]));
	fprintf(stderr, "tb-xs: bad arguments\n");
	return 2;
}
