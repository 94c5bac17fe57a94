// SPDX-License-Identifier: GPL-2.0
/*
 * tb-udpseq: a UDP stream with sequence numbers, to show that a fast-path
 * teardown loses nothing (issue 4, "no loss at fallback").
 *
 *   tb-udpseq send ADDR PORT COUNT PPS [SIZE]
 *                                        COUNT datagrams of SIZE bytes
 *                                        (default 64, 4..1472), paced at
 *                                        PPS
 *   tb-udpseq send2 ADDR ADDR2 PORT COUNT PPS [SIZE]
 *                                        the same to both, alternating,
 *                                        from one (blocking) socket: if
 *                                        one destination holds the
 *                                        socket's memory, both stall
 *   tb-udpseq recv ADDR PORT COUNT SECS [IDLE]
 *                                        bind, count until all COUNT
 *                                        arrived, or SECS passed, or
 *                                        IDLE s (default 3) went by
 *                                        with nothing new
 *
 * send stops early on SIGTERM; either way it ends with three end records
 * (sequence number 0xffffffff, then the count sent) and prints "sent N".
 * recv prints one line: "received R lost L dup D reordered O maxgap_ms G"
 * where lost counts sequence numbers in [0, COUNT) never seen (duplicates
 * cannot hide a loss) and G is the longest wait between two datagrams;
 * once an end record came, the line ends with " sent N", lost counts only
 * [0, N), and recv leaves after 1 s with nothing new. It exits 0 only
 * when lost is 0. ADDR is IPv4 or IPv6 (for recv, the
 * address to bind). Test infrastructure; static, like tb-xs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD_DEFAULT	64
#define PAYLOAD_MAX	1472	/* one IPv4 datagram in a 1500-byte MTU */
#define SEQ_END		0xffffffffu	/* end record: the count sent follows */
#define END_RECORDS	3

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "tb-udpseq: %s: %s\n", what, strerror(errno));
	exit(2);
}

static int sock_for(const char *addr, unsigned int port,
		    struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	int fd;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(port);
		*len = sizeof(*in4);
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		*len = sizeof(*in6);
	} else {
		fprintf(stderr, "tb-udpseq: not an address: %s\n", addr);
		exit(2);
	}
	fd = socket(ss->ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	return fd;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* 0 sent, -1 not sent because SIGTERM came. */
static int send_one(int fd, const unsigned char *buf, size_t size,
		    const struct sockaddr_storage *ss, socklen_t len)
{
	/* A full socket or neighbour queue is not the channel's loss. */
	while (sendto(fd, buf, size, 0, (const struct sockaddr *)ss,
		      len) < 0) {
		if (errno == EINTR && stop)
			return -1;
		if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
			die("sendto");
		usleep(1000);
	}
	return 0;
}

static void send_end(int fd, uint32_t sent, const struct sockaddr_storage *ss,
		     socklen_t len)
{
	uint32_t rec[2] = { htonl(SEQ_END), htonl(sent) };
	int i;

	stop = 0;	/* a second SIGTERM must not cut the end records */
	for (i = 0; i < END_RECORDS; i++)
		send_one(fd, (const unsigned char *)rec, sizeof(rec), ss, len);
}

/* addr2 NULL: one destination. */
static int do_send(const char *addr, const char *addr2, unsigned int port,
		   uint32_t count, unsigned int pps, size_t size)
{
	struct sigaction sa = { .sa_handler = on_term };	/* no SA_RESTART */
	struct sockaddr_storage ss, ss2;
	unsigned char buf[PAYLOAD_MAX] = { 0 };
	struct timespec next;
	socklen_t len, len2;
	uint32_t seq;
	int fd = sock_for(addr, port, &ss, &len);

	if (addr2) {
		close(sock_for(addr2, port, &ss2, &len2));
		if (ss2.ss_family != ss.ss_family) {
			fprintf(stderr, "tb-udpseq: %s and %s differ in family\n",
				addr, addr2);
			exit(2);
		}
	}
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (seq = 0; seq < count && !stop; seq++) {
		uint32_t be = htonl(seq);

		memcpy(buf, &be, sizeof(be));
		if (send_one(fd, buf, size, &ss, len))
			break;
		if (addr2 && send_one(fd, buf, size, &ss2, len2))
			break;	/* seq went to the first only: not counted */
		next.tv_nsec += 1000000000L / pps;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	send_end(fd, seq, &ss, len);
	if (addr2)
		send_end(fd, seq, &ss2, len2);
	printf("sent %u\n", seq);
	return 0;
}

static int do_recv(const char *addr, unsigned int port, uint32_t count,
		   unsigned int secs, unsigned int idle)
{
	uint64_t deadline = now_ns() + (uint64_t)secs * 1000000000u;
	uint32_t received = 0, dup = 0, reordered = 0, lost = 0, seq, last = 0;
	uint32_t sent = 0, upto = count;
	int ended = 0;
	uint64_t last_at = 0, maxgap = 0, t;
	unsigned char *seen = calloc(count ? count : 1, 1);
	int fd, rcvbuf = 4 << 20, got_any = 0;
	struct sockaddr_storage ss;
	unsigned char buf[2048];
	socklen_t len;
	uint32_t i;

	if (!seen)
		die("calloc");
	fd = sock_for(addr, port, &ss, &len);
	/* Past rmem_max (root): a burst of re-sent frames must not overflow us. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&ss, len))
		die("bind");
	printf("listening\n");
	fflush(stdout);
	while (received < upto && now_ns() < deadline) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, idle * 1000) == 0 && got_any)
			break;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			die("recv");
		}
		if (n < 4)
			continue;
		memcpy(&seq, buf, sizeof(seq));
		if (ntohl(seq) == SEQ_END && n >= 8) {
			memcpy(&sent, buf + 4, sizeof(sent));
			sent = ntohl(sent);
			ended = 1;
			idle = 1;	/* the sender is done: stragglers only */
			if (sent < upto)
				upto = sent;
			continue;
		}
		t = now_ns();
		if (last_at && t - last_at > maxgap)
			maxgap = t - last_at;
		last_at = t;
		seq = ntohl(seq);
		if (seq >= count)
			continue;
		if (seen[seq]) {
			dup++;
			continue;
		}
		if (got_any && seq < last)
			reordered++;
		seen[seq] = 1;
		last = seq;
		got_any = 1;
		received++;
	}
	for (i = 0; i < upto; i++)
		lost += !seen[i];
	printf("received %u lost %u dup %u reordered %u maxgap_ms %llu",
	       received, lost, dup, reordered,
	       (unsigned long long)(maxgap / 1000000));
	if (ended)
		printf(" sent %u", sent);
	printf("\n");
	return lost ? 1 : 0;
}

static size_t payload_size(const char *arg)
{
	long size;

	if (!arg)
		return PAYLOAD_DEFAULT;
	size = strtol(arg, NULL, 0);
	if (size < 4 || size > PAYLOAD_MAX) {
		fprintf(stderr, "tb-udpseq: size %s not in 4..%d\n", arg,
			PAYLOAD_MAX);
		exit(2);
	}
	return size;
}

int main(int argc, char **argv)
{
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "send"))
		return do_send(argv[2], NULL, atoi(argv[3]),
			       strtoul(argv[4], NULL, 0),
			       atoi(argv[5]) > 0 ? atoi(argv[5]) : 1,
			       payload_size(argc == 7 ? argv[6] : NULL));
	if ((argc == 7 || argc == 8) && !strcmp(argv[1], "send2"))
		return do_send(argv[2], argv[3], atoi(argv[4]),
			       strtoul(argv[5], NULL, 0),
			       atoi(argv[6]) > 0 ? atoi(argv[6]) : 1,
			       payload_size(argc == 8 ? argv[7] : NULL));
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "recv"))
		return do_recv(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0),
			       atoi(argv[5]),
			       argc == 7 && atoi(argv[6]) > 0 ? atoi(argv[6]) : 3);
	fprintf(stderr, "usage: tb-udpseq send ADDR PORT COUNT PPS [SIZE] | send2 ADDR ADDR2 PORT COUNT PPS [SIZE] | recv ADDR PORT COUNT SECS [IDLE]\n");
	return 2;
}
