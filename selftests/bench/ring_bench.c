// SPDX-License-Identifier: GPL-2.0
/*
 * ring_bench.c - throughput of the shared-memory message ring (ring.c)
 * next to plain memcpy, measured in the same run. A benchmark: it prints
 * figures and has no pass/fail verdict.
 *
 * For 64 B, 1500 B and 64 KiB messages over a 256 KiB data area:
 *   memcpy     one copy per message, a 512 KiB source walked into a
 *              512 KiB destination (working set ~1 MiB), same sizes;
 *   ring 1T    one thread sends until -ENOSPC then receives until -EAGAIN:
 *              every message is copied twice (in, then out), so 0.5 of
 *              memcpy is the copy-bound ceiling;
 *   ring 2T    producer pinned to CPU 0, consumer to CPU 1, both polling
 *              (no sleeping); every send publishes and checks prod_event,
 *              every recv checks cons_event (a full barrier each);
 *   ring 2T-b  the same, batched as a NAPI-style driver would: sends
 *              deferred and pushed every 16 messages or on -ENOSPC, the
 *              consumer's free-space check deferred to every 16 messages
 *              or -EAGAIN.
 * MB/s counts payload bytes delivered (1 MB = 10^6 bytes); ratio is ring
 * MB/s over memcpy MB/s at that size. Each figure is the best of 3 runs.
 * Pollers yield the CPU every 1024 empty polls, so that a preempted peer
 * (another load on a 2-CPU machine) does not turn into a livelock; the
 * load average is printed because such load skews the two-thread rows.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "ring.h"

#define AREA		(256u * 1024)
#define WS_HALF		(512u * 1024)
#define BATCH		16
#define REPEAT		3

static u8 *src, *dst;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % CPU_SETSIZE, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* Messages per measurement: about 200 MB of payload, at least 500k msgs. */
static u64 msg_count(u32 len)
{
	u64 n = 200000000ull / len;

	return n < 500000 ? 500000 : n;
}

/* Poll; after a while give the CPU away, in case the peer is preempted. */
static inline void backoff(u32 *spins)
{
	if (++*spins % 1024 == 0)
		sched_yield();
	else
		cpu_relax();
}

static double bench_memcpy(u32 len, u64 n)
{
	u32 slots = WS_HALF / len, s = 0;
	double t0 = now();
	u64 i;

	for (i = 0; i < n; i++) {
		memcpy(dst + (size_t)s * len, src + (size_t)s * len, len);
		if (++s == slots)
			s = 0;
		/* Keep the copy from being optimised away. */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
	}
	return now() - t0;
}

struct ring_mem {
	struct sym_ring_ctrl *ctrl;
	u8 *data;
	struct sym_ring_tx tx;
	struct sym_ring_rx rx;
};

static void ring_setup(struct ring_mem *m)
{
	memset(m->ctrl, 0, 4096);
	memset(m->data, 0, AREA);
	sym_ring_shared_init(m->ctrl);
	if (sym_ring_tx_init(&m->tx, m->ctrl, m->data, AREA, 0) ||
	    sym_ring_rx_init(&m->rx, m->ctrl, m->data, AREA, 0)) {
		fprintf(stderr, "ring init failed\n");
		exit(1);
	}
}

static void die(const char *what, int ret)
{
	fprintf(stderr, "%s: unexpected %d\n", what, ret);
	exit(1);
}

static double bench_ring_1t(struct ring_mem *m, u32 len, u64 n)
{
	u64 sent = 0, rcvd = 0;
	u32 got, slots = WS_HALF / len;
	bool notify;
	double t0;
	int ret;

	ring_setup(m);
	t0 = now();
	while (rcvd < n) {
		while (sent < n) {
			ret = sym_ring_send(&m->tx, 0, src + (sent % slots) * len, len, &notify);
			if (ret == -ENOSPC)
				break;
			if (ret)
				die("send", ret);
			sent++;
		}
		for (;;) {
			ret = sym_ring_recv(&m->rx, dst + (rcvd % slots) * len, len, &got,
					    NULL, &notify);
			if (ret == -EAGAIN)
				break;
			if (ret)
				die("recv", ret);
			rcvd++;
		}
	}
	return now() - t0;
}

struct pair {
	struct ring_mem *m;
	u32 len;
	u64 n;
	bool batched;
	int ready;	/* atomic */
	int go;		/* atomic */
};

static void wait_go(struct pair *p)
{
	__atomic_fetch_add(&p->ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&p->go, __ATOMIC_ACQUIRE))
		cpu_relax();
}

static void *producer(void *arg)
{
	struct pair *p = arg;
	struct sym_ring_tx *tx = &p->m->tx;
	u32 slots = WS_HALF / p->len, spins = 0;
	bool notify;
	u64 i;
	int ret;

	pin(0);
	wait_go(p);
	for (i = 0; i < p->n; i++) {
		bool push = !p->batched || i % BATCH == BATCH - 1 || i == p->n - 1;

		for (;;) {
			ret = sym_ring_send(tx, 0, src + (i % slots) * p->len, p->len,
					    push ? &notify : NULL);
			if (ret != -ENOSPC)
				break;
			/* Publish what is deferred before waiting for space. */
			sym_ring_tx_push(tx);
			backoff(&spins);
		}
		if (ret)
			die("send", ret);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;
	struct sym_ring_rx *rx = &p->m->rx;
	u32 slots = WS_HALF / p->len, got, spins = 0;
	bool notify;
	u64 i;
	int ret;

	pin(1);
	wait_go(p);
	for (i = 0; i < p->n; i++) {
		bool check = !p->batched || i % BATCH == BATCH - 1;

		for (;;) {
			ret = sym_ring_recv(rx, dst + (i % slots) * p->len, p->len, &got, NULL,
					    check ? &notify : NULL);
			if (ret != -EAGAIN)
				break;
			if (p->batched)
				sym_ring_rx_push(rx);
			backoff(&spins);
		}
		if (ret)
			die("recv", ret);
	}
	return NULL;
}

static double bench_ring_2t(struct ring_mem *m, u32 len, u64 n, bool batched)
{
	struct pair p = { .m = m, .len = len, .n = n, .batched = batched };
	pthread_t tp, tc;
	double t0;

	ring_setup(m);
	pthread_create(&tc, NULL, consumer, &p);
	pthread_create(&tp, NULL, producer, &p);
	while (__atomic_load_n(&p.ready, __ATOMIC_ACQUIRE) < 2)
		cpu_relax();
	t0 = now();
	__atomic_store_n(&p.go, 1, __ATOMIC_RELEASE);
	pthread_join(tp, NULL);
	pthread_join(tc, NULL);
	return now() - t0;
}

static void row(const char *mode, u32 len, u64 n, double secs, double base_mbs)
{
	double mbs = (double)len * n / secs / 1e6;

	printf("%8u  %-10s %12.0f %12.2f %8.2f\n", len, mode, mbs, n / secs / 1e6,
	       base_mbs > 0 ? mbs / base_mbs : 1.0);
}

/* Other load skews the two-thread figures: say how busy the machine was. */
static void print_load(void)
{
	char buf[64] = "";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	printf("# load average at start: %s", buf[0] ? buf : "unknown\n");
	fflush(stdout);
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(void)
{
	static const u32 sizes[] = { 64, 1500, 65536 };
	struct ring_mem m;
	unsigned int i, r;

	src = aligned_alloc(4096, WS_HALF);
	dst = aligned_alloc(4096, WS_HALF);
	m.ctrl = aligned_alloc(4096, 4096);
	m.data = aligned_alloc(4096, AREA);
	if (!src || !dst || !m.ctrl || !m.data)
		return 1;
	for (i = 0; i < WS_HALF; i++)
		src[i] = (u8)(i * 7);
	memset(dst, 0, WS_HALF);

	printf("# ring_bench: data area %u KiB, memcpy working set %u KiB, %ld CPUs online, best of %d\n",
	       AREA / 1024, 2 * WS_HALF / 1024, sysconf(_SC_NPROCESSORS_ONLN), REPEAT);
	print_load();
	printf("%8s  %-10s %12s %12s %8s\n", "msg B", "mode", "MB/s", "Mmsg/s", "ratio");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 len = sizes[i];
		u64 n = msg_count(len);
		double t_cpy = 1e9, t_1t = 1e9, t_2t = 1e9, t_2b = 1e9, base;

		for (r = 0; r < REPEAT; r++) {
			t_cpy = best(t_cpy, bench_memcpy(len, n));
			t_1t = best(t_1t, bench_ring_1t(&m, len, n));
			t_2t = best(t_2t, bench_ring_2t(&m, len, n, false));
			t_2b = best(t_2b, bench_ring_2t(&m, len, n, true));
		}
		base = (double)len * n / t_cpy / 1e6;
		row("memcpy", len, n, t_cpy, 0);
		row("ring 1T", len, n, t_1t, base);
		row("ring 2T", len, n, t_2t, base);
		row("ring 2T-b", len, n, t_2b, base);
		fflush(stdout);
	}
	free(src);
	free(dst);
	free(m.ctrl);
	free(m.data);
	return 0;
}
