// SPDX-License-Identifier: GPL-2.0
/*
 * test_ring_tsan.c - the ring between two real threads, under
 * ThreadSanitizer (see the Makefile rule: built with -fsanitize=thread).
 *
 * A producer thread and a consumer thread move millions of messages of
 * pseudo-random sizes and types through one shared area, split into random
 * scatter lists, sometimes deferring publication or the free-space check.
 * Each message carries its sequence number and an FNV-1a checksum of its
 * body; the consumer checks order, length, type and checksum of every one.
 *
 * Both threads sleep when they cannot progress, following the event-index
 * protocol exactly as a driver would: -ENOSPC -> sym_ring_tx_final_check()
 * -> wait; -EAGAIN -> sym_ring_rx_final_check() -> wait. The two event
 * channels are stood in for by a pending flag under a mutex with a condvar
 * (a Xen event channel is a pending bit). A lost wakeup would hang a thread
 * for ever, so waits time out after WAIT_TIMEOUT_S and the test fails.
 * TSan checks that every payload byte is ordered by the prod/cons
 * release/acquire pairs; a race report makes the binary exit non-zero.
 */
#include <pthread.h>
#include <time.h>
#include "harness.h"
#include "ring.h"

#define WAIT_TIMEOUT_S	20

struct evtchn {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool pending;
	u64 kicks;
	u64 waits;
};

struct run {
	/* configuration */
	u32 size;
	u32 max_len;
	u32 count;
	u32 seed;
	u32 nsegs;		/* > 1: data area in segments, in reverse order */
	u8 *segs[16];
	/* the "shared pages": a control page, then the data pages */
	u8 *pages;
	struct sym_ring_ctrl *ctrl;
	u8 *data;
	/* the two ends, each touched by its own thread only */
	struct sym_ring_tx tx;
	struct sym_ring_rx rx;
	struct evtchn to_cons, to_prod;
	/* results */
	int failed;		/* atomic */
	char why[160];
	u64 sent_sum, rcvd_sum;
	u32 rcvd;
	u64 enospc, eagain;
};

static void evtchn_init(struct evtchn *e)
{
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->cond, NULL);
	e->pending = false;
	e->kicks = 0;
	e->waits = 0;
}

static void evtchn_notify(struct evtchn *e)
{
	pthread_mutex_lock(&e->lock);
	e->pending = true;
	e->kicks++;
	pthread_cond_signal(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* Blocks until pending, then clears it; -ETIMEDOUT on a lost wakeup. */
static int evtchn_wait(struct evtchn *e, const int *failed)
{
	struct timespec deadline;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += WAIT_TIMEOUT_S;
	pthread_mutex_lock(&e->lock);
	e->waits++;
	while (!e->pending && !__atomic_load_n(failed, __ATOMIC_RELAXED) && !ret)
		ret = pthread_cond_timedwait(&e->cond, &e->lock, &deadline);
	e->pending = false;
	pthread_mutex_unlock(&e->lock);
	return ret ? -ETIMEDOUT : 0;
}

static void run_fail(struct run *r, const char *fmt, u32 a, u32 b)
{
	if (!__atomic_exchange_n(&r->failed, 1, __ATOMIC_RELAXED))
		snprintf(r->why, sizeof(r->why), fmt, a, b);
	evtchn_notify(&r->to_cons);
	evtchn_notify(&r->to_prod);
}

static u32 xorshift(u32 *s)
{
	u32 x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* FNV-1a over 32-bit words (and the tail bytes): cheap under TSan. */
static u32 fnv1a(const u8 *p, u32 len)
{
	u32 h = 2166136261u, i, w;

	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, p + i, 4);
		h = (h ^ w) * 16777619u;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* Message seq: [u32 seq][u32 fnv1a(body)][body], length from seq. */
static u32 msg_len(const struct run *r, u32 seq)
{
	u32 s = seq * 2654435761u ^ r->seed;
	u32 pick = xorshift(&s), len = xorshift(&s);

	/* 15 in 16 small (8..71), else up to the largest the test allows. */
	return 8 + len % ((pick & 15) ? 64 : r->max_len - 7);
}

static void *producer(void *arg)
{
	struct run *r = arg;
	u8 *msg = malloc(r->max_len);
	u32 seq, rng = r->seed ^ 0x5eed, len, i, n, j;
	struct sym_ring_iov iov[4];
	bool notify, defer;
	int ret;

	for (seq = 0; seq < r->count && !__atomic_load_n(&r->failed, __ATOMIC_RELAXED); seq++) {
		len = msg_len(r, seq);
		for (i = 8; i < len; i += 4) {
			j = xorshift(&rng);
			memcpy(msg + i, &j, len - i < 4 ? len - i : 4);
		}
		memcpy(msg, &seq, 4);
		j = fnv1a(msg + 8, len - 8);
		memcpy(msg + 4, &j, 4);
		r->sent_sum += j;
		n = xorshift(&rng) % 4 + 1;
		for (i = 0; i < n; i++)
			iov[i] = (struct sym_ring_iov){ msg + i * len / n,
							(i + 1) * len / n - i * len / n };
		defer = xorshift(&rng) % 4 == 0;
		for (;;) {
			ret = sym_ring_sendv(&r->tx, (u16)seq, iov, n, defer ? NULL : &notify);
			if (!ret) {
				if (!defer && notify)
					evtchn_notify(&r->to_cons);
				break;
			}
			if (ret != -ENOSPC) {
				run_fail(r, "send %u returned -%u", seq, (u32)-ret);
				goto out;
			}
			r->enospc++;
			if (sym_ring_tx_final_check(&r->tx, len, &notify)) {
				if (notify)
					evtchn_notify(&r->to_cons);
				continue;
			}
			if (notify)
				evtchn_notify(&r->to_cons);
			if (evtchn_wait(&r->to_prod, &r->failed)) {
				run_fail(r, "the sending thread lost a wakeup at seq %u (%u)", seq, 0);
				goto out;
			}
		}
	}
	if (sym_ring_tx_push(&r->tx))
		evtchn_notify(&r->to_cons);
out:
	free(msg);
	return NULL;
}

static void *consumer(void *arg)
{
	struct run *r = arg;
	u8 *buf = malloc(r->max_len);
	u32 rng = r->seed ^ 0xc0de, len, seq, sum;
	bool notify, defer, more;
	u16 type;
	int ret;

	while (r->rcvd < r->count && !__atomic_load_n(&r->failed, __ATOMIC_RELAXED)) {
		defer = xorshift(&rng) % 4 == 0;
		ret = sym_ring_recv(&r->rx, buf, r->max_len, &len, &type,
				    defer ? NULL : &notify);
		if (!ret) {
			if (!defer && notify)
				evtchn_notify(&r->to_prod);
			if (len != msg_len(r, r->rcvd)) {
				run_fail(r, "message %u has length %u", r->rcvd, len);
				break;
			}
			memcpy(&seq, buf, 4);
			memcpy(&sum, buf + 4, 4);
			if (seq != r->rcvd || type != (u16)seq || sum != fnv1a(buf + 8, len - 8)) {
				run_fail(r, "message %u corrupt (seq %u)", r->rcvd, seq);
				break;
			}
			r->rcvd_sum += sum;
			r->rcvd++;
			if (xorshift(&rng) % 64 == 0 && sym_ring_rx_push(&r->rx))
				evtchn_notify(&r->to_prod);
			continue;
		}
		if (ret != -EAGAIN) {
			run_fail(r, "recv %u returned -%u", r->rcvd, (u32)-ret);
			break;
		}
		r->eagain++;
		more = sym_ring_rx_final_check(&r->rx, &notify);
		if (notify)
			evtchn_notify(&r->to_prod);
		if (!more && evtchn_wait(&r->to_cons, &r->failed)) {
			run_fail(r, "the receiving thread lost a wakeup at message %u (%u)", r->rcvd, 0);
			break;
		}
	}
	free(buf);
	return NULL;
}

static int run_pair(struct run *r)
{
	pthread_t p, c;

	size_t bytes = 4096 + ((r->size + 4095) & ~4095u);

	r->pages = aligned_alloc(4096, bytes);
	if (!r->pages)
		return -ENOMEM;
	memset(r->pages, 0, bytes);
	r->ctrl = (struct sym_ring_ctrl *)r->pages;
	r->data = r->pages + 4096;
	sym_ring_shared_init(r->ctrl);
	if (r->nsegs > 1) {
		u32 seg = r->size / r->nsegs, i;

		/* Segment i lives where segment nsegs - 1 - i would be. */
		for (i = 0; i < r->nsegs; i++)
			r->segs[i] = r->data + (r->nsegs - 1 - i) * seg;
		if (sym_ring_tx_init_segs(&r->tx, r->ctrl, r->segs, seg,
					  r->nsegs, r->max_len) ||
		    sym_ring_rx_init_segs(&r->rx, r->ctrl, r->segs, seg,
					  r->nsegs, r->max_len))
			return -EINVAL;
	} else if (sym_ring_tx_init(&r->tx, r->ctrl, r->data, r->size, r->max_len) ||
		   sym_ring_rx_init(&r->rx, r->ctrl, r->data, r->size, r->max_len)) {
		return -EINVAL;
	}
	evtchn_init(&r->to_cons);
	evtchn_init(&r->to_prod);
	pthread_create(&c, NULL, consumer, r);
	pthread_create(&p, NULL, producer, r);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	free(r->pages);
	printf("# size %u max_len %u: %u msgs, kicks to consumer %llu (waits %llu), to producer %llu (waits %llu), ENOSPC %llu, EAGAIN %llu\n",
	       r->size, r->max_len, r->rcvd,
	       (unsigned long long)r->to_cons.kicks, (unsigned long long)r->to_cons.waits,
	       (unsigned long long)r->to_prod.kicks, (unsigned long long)r->to_prod.waits,
	       (unsigned long long)r->enospc, (unsigned long long)r->eagain);
	return 0;
}

/*
 * Timeouts: the harness's 30 s default is for single-threaded tests. Under
 * TSan the 2M run took 25 s and the segmented one 11 s on 2 cores busy
 * with other builds. A lost wakeup already fails after WAIT_TIMEOUT_S, so
 * the harness's timeout only has to catch a hang elsewhere, with room for
 * a loaded host.
 */

/* The main run: 2 million messages over a 64 KiB area. */
TEST_TIMEOUT(two_threads_2M_messages_64k_area, 300)
{
	static struct run r = { .size = 65536, .max_len = 2048, .count = 2000000, .seed = 1 };

	ASSERT_EQ(0, run_pair(&r));
	if (r.failed)
		SYM_FAIL("# %s", r.why);
	ASSERT_EQ(r.count, r.rcvd);
	ASSERT_EQ(r.sent_sum, r.rcvd_sum);
	/* Suppression works: far fewer kicks than messages. */
	ASSERT_TRUE(r.to_cons.kicks < r.count / 2);
}

/* A tiny area: nearly every send fills it, so both sides sleep a lot. */
TEST_TIMEOUT(two_threads_tiny_area_constant_full_empty, 120)
{
	static struct run r = { .size = 256, .max_len = 120, .count = 300000, .seed = 7 };

	ASSERT_EQ(0, run_pair(&r));
	if (r.failed)
		SYM_FAIL("# %s", r.why);
	ASSERT_EQ(r.count, r.rcvd);
	ASSERT_EQ(r.sent_sum, r.rcvd_sum);
	ASSERT_TRUE(r.enospc > 0);
}

/* Largest messages: half the area each, so at most two in flight. */
TEST_TIMEOUT(two_threads_half_area_messages, 120)
{
	static struct run r = { .size = 16384, .max_len = 8184, .count = 50000, .seed = 3 };

	ASSERT_EQ(0, run_pair(&r));
	if (r.failed)
		SYM_FAIL("# %s", r.why);
	ASSERT_EQ(r.count, r.rcvd);
	ASSERT_EQ(r.sent_sum, r.rcvd_sum);
}

/* Segmented area (as a mapper sees the granter's pages): same guarantees. */
TEST_TIMEOUT(two_threads_segmented_area, 120)
{
	static struct run r = { .size = 65536, .max_len = 20000, .count = 200000,
				.seed = 11, .nsegs = 16 };

	ASSERT_EQ(0, run_pair(&r));
	if (r.failed)
		SYM_FAIL("# %s", r.why);
	ASSERT_EQ(r.count, r.rcvd);
	ASSERT_EQ(r.sent_sum, r.rcvd_sum);
}
