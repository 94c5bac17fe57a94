/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring.h - single-producer/single-consumer ring of variable-length messages
 * over memory shared with a peer domain that may be hostile.
 *
 * What it does: one side (the producer, struct sym_ring_tx) copies messages
 * into a shared data area of 2^k bytes; the other side (the consumer,
 * struct sym_ring_rx) copies them out into private buffers. A shared control
 * block holds the two free-running byte indices and two Xen-style event
 * indices that let each side suppress notifications the other does not
 * need. The event channel itself is the caller's business: every call that
 * may require a kick returns it in a bool *notify, which each call
 * overwrites (false when no kick is needed): a caller that makes several
 * calls before kicking must OR the results, or a kick is lost.
 *
 * Data flow:
 *
 *   sender --send/sendv--> [hdr|payload|pad][hdr|payload|pad]... --recv--> buf
 *            (copy in)          shared data area (2^k bytes)     (copy out,
 *                                                                  validate)
 * Layout (control block, 256 bytes: each index in its own cache line, so
 * the busy indices never share a line with the event indices that the
 * other side reads on every call but that change only around sleeping):
 *
 *   ctrl+0    u32 prod        producer: bytes ever written (free-running)
 *   ctrl+64   u32 cons        consumer: bytes ever consumed (free-running)
 *   ctrl+128  u32 prod_event  consumer: "notify me when prod passes this"
 *   ctrl+192  u32 cons_event  producer: "notify me when cons passes this"
 *
 *   data+0 .. data+size-1, size = 2^k, 16 <= size <= 2^30.
 *   A record at index i starts at data + (i & (size - 1)):
 *     u32 len      payload bytes, 0 <= len <= max_msg
 *     u32 type     bits 0-15: caller's message type; bits 16-31: reserved,
 *                  must be zero (anything else is a protocol error)
 *     u8  payload[len], then zero padding up to a multiple of 8
 *   Records are 8-byte aligned and size is a multiple of 8, so a header never
 *   straddles the end of the area; a payload may, and is then copied in two
 *   parts (no padding records). prod and cons are always multiples of 8.
 *
 * Ordering contract (both sides follow it; the peer may not, see below):
 *   - The producer writes a record, then publishes prod with a release
 *     store; the consumer loads prod with acquire before reading records.
 *   - The consumer copies a record out, then publishes cons with a release
 *     store; the producer loads cons with acquire before reusing the space.
 *   - Notification: the publisher stores its index, full barrier, loads the
 *     peer's event index; the waiter stores its event index, full barrier,
 *     loads the peer's index (the Dekker pair of Xen's
 *     RING_PUSH_*_AND_CHECK_NOTIFY / RING_FINAL_CHECK_FOR_*). One of the two
 *     always sees the other, so no wakeup is lost.
 *
 * Hostile peer (XSA-155, XSA-391): each side keeps its own index privately
 * and never reads it back from shared memory. The peer's index and every
 * header are read once per call into a private snapshot, which is validated
 * before use; the payload is copied out and never re-read. prod - cons >
 * size, a misaligned or backwards index, len > max_msg, a record longer
 * than what prod covers, or reserved type bits set make the call return
 * -EPROTO and mark that side broken: every later call returns -EPROTO too.
 * All offsets are masked into the data area and all lengths are bounded by
 * its size, so no index value can make this code touch memory outside
 * ctrl[0..sizeof(struct sym_ring_ctrl)) and data[0..size). No call loops
 * over peer-controlled counts.
 *
 * Locking/lifetime: one thread (or one lock holder) per side; tx and rx are
 * independent. Nothing allocates: the caller owns the control block, the
 * data area and the tx/rx structs, and must keep the shared memory mapped
 * for as long as either struct is used. The owner of the pages zeroes them
 * and calls sym_ring_shared_init() before the peer attaches; both sides then
 * start at index 0. Re-attaching needs a fresh sym_ring_shared_init() and
 * fresh tx/rx init on both sides.
 */
#ifndef SYM_RING_H
#define SYM_RING_H

#include "sym_compat.h"

/*
 * Shared-memory accessors and barriers. The peer is another guest, on
 * another physical CPU whatever this kernel was built for, so the
 * barriers are the virt_* ones of include/xen/interface/io/ring.h: smp_*
 * become mere compiler barriers in a kernel built without CONFIG_SMP.
 * Kernel: <asm/barrier.h>. Userspace (tests, fuzzers, benchmarks): the
 * same names on __atomic builtins over volatile lvalues, so the compiler
 * neither tears, repeats nor caches a load (a volatile access) and
 * ThreadSanitizer sees the accesses as atomics. SYM_READ_ONCE and
 * SYM_WRITE_ONCE are relaxed (READ_ONCE/WRITE_ONCE in the kernel). Every
 * use of a barrier in ring.c names the barrier it pairs with.
 */
#ifdef __KERNEL__
#include <linux/compiler.h>
#include <asm/barrier.h>
#define SYM_READ_ONCE(x)		READ_ONCE(x)
#define SYM_WRITE_ONCE(x, v)		WRITE_ONCE(x, v)
#else
/*
 * Spelled __volatile__ because checkpatch's VOLATILE rule targets kernel
 * code; here the volatile qualifier is what makes each access happen
 * exactly once, as READ_ONCE does in the kernel.
 */
#define SYM_READ_ONCE(x)						\
	__atomic_load_n((__volatile__ __typeof__(x) *)&(x), __ATOMIC_RELAXED)
#define SYM_WRITE_ONCE(x, v)						\
	__atomic_store_n((__volatile__ __typeof__(x) *)&(x), (v), __ATOMIC_RELAXED)
/* Acquire load; each use in ring.c names the release it pairs with. */
#define virt_load_acquire(p)						\
	__atomic_load_n((__volatile__ __typeof__(*(p)) *)(p), __ATOMIC_ACQUIRE)
/* Release store; each use in ring.c names the acquire it pairs with. */
#define virt_store_release(p, v)					\
	__atomic_store_n((__volatile__ __typeof__(*(p)) *)(p), (v), __ATOMIC_RELEASE)
/* Full barrier (mfence on x86); each use names the one it pairs with. */
#define virt_mb()			__atomic_thread_fence(__ATOMIC_SEQ_CST)
/* Read barrier: no ring.c use, here for callers' code tested in userspace. */
#define virt_rmb()			__atomic_thread_fence(__ATOMIC_ACQUIRE)
/* Write barrier: as virt_rmb(). */
#define virt_wmb()			__atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#define SYM_RING_HDR_SIZE	8u
#define SYM_RING_ALIGN		8u
#define SYM_RING_MIN_SIZE	16u
#define SYM_RING_MAX_SIZE	(1u << 30)
#define SYM_RING_TYPE_MASK	0x0000ffffu	/* caller's bits of hdr.type */

/* Bytes a message of len payload bytes takes in the data area. */
#define SYM_RING_RECORD_SIZE(len)					\
	(SYM_RING_HDR_SIZE + (((u32)(len) + SYM_RING_ALIGN - 1) & ~(SYM_RING_ALIGN - 1)))
/* max_msg used when 0 is passed to the init functions: half the area. */
#define SYM_RING_DEFAULT_MAX_MSG(size)	((size) / 2 - SYM_RING_HDR_SIZE)

/* The shared control block (see the layout above). Both sides write it. */
struct sym_ring_ctrl {
	u32 prod;		/* written by the producer only */
	u8 pad0[60];
	u32 cons;		/* written by the consumer only */
	u8 pad1[60];
	u32 prod_event;		/* written by the consumer only */
	u8 pad2[60];
	u32 cons_event;		/* written by the producer only */
	u8 pad3[60];
};

static_assert(offsetof(struct sym_ring_ctrl, cons) == 64, "ring layout is ABI");
static_assert(offsetof(struct sym_ring_ctrl, prod_event) == 128, "ring layout is ABI");
static_assert(offsetof(struct sym_ring_ctrl, cons_event) == 192, "ring layout is ABI");
static_assert(sizeof(struct sym_ring_ctrl) == 256, "ring layout is ABI");

/* One piece of a scattered message (e.g. an skb fragment). */
struct sym_ring_iov {
	const void *base;
	u32 len;
};

/* Producer side; private to the producer, never shared. */
struct sym_ring_tx {
	struct sym_ring_ctrl *ctrl;
	u8 *const *segs;	/* the data area: size >> seg_shift segments */
	u8 *seg0;		/* segs of a contiguous area points here */
	u32 seg_shift;		/* log2 of the segment size */
	u32 size;		/* data area bytes, a power of two */
	u32 max_msg;		/* largest payload accepted */
	u32 prod;		/* private: next byte to write */
	u32 prod_pub;		/* private: last prod published */
	u32 cons_snap;		/* last validated snapshot of cons */
	bool broken;
};

/* Consumer side; private to the consumer, never shared. */
struct sym_ring_rx {
	struct sym_ring_ctrl *ctrl;
	u8 *const *segs;
	u8 *seg0;
	u32 seg_shift;
	u32 size;
	u32 max_msg;
	u32 cons;		/* private: next byte to read (also published) */
	u32 cons_checked;	/* cons at the last cons_event check */
	u32 prod_snap;		/* last validated snapshot of prod */
	bool broken;
};

/*
 * Sets up the control block: indices 0, and both event indices 1 so that
 * the first message and the first consumption notify (as Xen's
 * SHARED_RING_INIT). Called by the owner of the pages, which zeroed them,
 * before either side attaches.
 */
void sym_ring_shared_init(struct sym_ring_ctrl *ctrl);

/*
 * Attach one side. size is the data area in bytes: a power of two within
 * [SYM_RING_MIN_SIZE, SYM_RING_MAX_SIZE]; data must be 8-byte aligned.
 * max_msg is the largest payload; 0 means SYM_RING_DEFAULT_MAX_MSG(size);
 * it must satisfy SYM_RING_RECORD_SIZE(max_msg) <= size, and both sides
 * must use the same value (agree on it out of band). Returns 0 or -EINVAL.
 * Neither reads the shared block: both sides start at index 0.
 */
int sym_ring_tx_init(struct sym_ring_tx *tx, struct sym_ring_ctrl *ctrl,
		     void *data, u32 size, u32 max_msg);
int sym_ring_rx_init(struct sym_ring_rx *rx, struct sym_ring_ctrl *ctrl,
		     void *data, u32 size, u32 max_msg);

/*
 * The same over a data area of nsegs segments, segs[i] holding bytes
 * [i * seg_size, (i + 1) * seg_size): mapped grants need not be virtually
 * contiguous. seg_size and nsegs are powers of two, seg_size >=
 * SYM_RING_MIN_SIZE, each segment 8-byte aligned. The segs array is the
 * caller's and must outlive tx/rx. A record may span segments; a header
 * never does.
 */
int sym_ring_tx_init_segs(struct sym_ring_tx *tx, struct sym_ring_ctrl *ctrl,
			  u8 *const *segs, u32 seg_size, u32 nsegs,
			  u32 max_msg);
int sym_ring_rx_init_segs(struct sym_ring_rx *rx, struct sym_ring_ctrl *ctrl,
			  u8 *const *segs, u32 seg_size, u32 nsegs,
			  u32 max_msg);

/*
 * Teardown, once the peer is gone or told to go: a private consumer
 * (back, over the private control block priv) of the messages our tx
 * wrote that the peer has not consumed, to send them another way. The
 * peer's cons is read once and accepted only between our last validated
 * snapshot and our prod; otherwise everything since the snapshot is taken
 * back (duplicates rather than loss). Returns 0 or -EINVAL.
 */
int sym_ring_tx_reclaimer(const struct sym_ring_tx *tx,
			  struct sym_ring_ctrl *priv, struct sym_ring_rx *back);

/*
 * Copies one message (the concatenation of iov[0..n)) into the ring.
 * type: the caller's 16-bit message type, delivered with it.
 * notify: non-NULL publishes the message (and any deferred before it) at
 * once and sets *notify when the consumer asked to be kicked; NULL defers
 * publication (batching, like xmit_more): the caller must later call
 * sym_ring_tx_push() or sym_ring_tx_final_check().
 * Returns 0; -ENOSPC if it does not fit now (nothing written; see
 * sym_ring_tx_final_check()); -EMSGSIZE if the total exceeds max_msg;
 * -EINVAL for a NULL base with a non-zero len; -EPROTO if the consumer's
 * published index is impossible (the ring is then broken for good).
 */
int sym_ring_sendv(struct sym_ring_tx *tx, u16 type,
		   const struct sym_ring_iov *iov, unsigned int n, bool *notify);
int sym_ring_send(struct sym_ring_tx *tx, u16 type, const void *msg, u32 len,
		  bool *notify);

/* Publishes deferred messages; returns true when the consumer needs a kick. */
bool sym_ring_tx_push(struct sym_ring_tx *tx);

/*
 * Call after -ENOSPC, before waiting for the consumer's event. Publishes
 * deferred messages (*notify as for send), asks the consumer to notify when
 * a message of len payload bytes fits, and re-checks. Returns true if it
 * fits now (send again, do not wait), false if the caller may sleep until
 * the consumer's notification. Also true when len > max_msg or the ring is
 * broken, so that the next send reports the error.
 */
bool sym_ring_tx_final_check(struct sym_ring_tx *tx, u32 len, bool *notify);

/*
 * Waiting for the consumer to take everything (before tearing down with
 * a live peer): publishes deferred messages (*notify as for send), asks
 * the consumer to notify when its cons reaches our prod, and re-checks.
 * Returns true when every message sent has been consumed (or the ring is
 * broken: nothing more will be), false if the caller may sleep until the
 * consumer's notification. A later send or final check moves the event
 * index: call this again before each wait.
 */
bool sym_ring_tx_drained(struct sym_ring_tx *tx, bool *notify);

/*
 * Copies the next message out of the ring into buf, and only then uses it:
 * the header is read once and validated against the prod snapshot, the
 * payload is copied once and never re-read. On 0, *len and *type (which may
 * be NULL) describe it and the space is released to the producer.
 * notify: non-NULL sets it when the producer asked to be kicked about free
 * space (a full barrier per call); NULL defers that check to
 * sym_ring_rx_push() / sym_ring_rx_final_check().
 * Returns 0; -EAGAIN if the ring is empty; -EMSGSIZE if buflen is smaller
 * than the message (*len = its length; it stays in the ring; never happens
 * when buflen >= max_msg); -EPROTO if the producer broke the protocol (the
 * ring is then broken for good).
 */
int sym_ring_recv(struct sym_ring_rx *rx, void *buf, u32 buflen, u32 *len,
		  u16 *type, bool *notify);

/* One piece of a scattered destination (e.g. an skb's head and pages). */
struct sym_ring_buf {
	void *base;
	u32 len;
};

/*
 * sym_ring_recv() into bufs[0..n), filled in order: the payload is copied
 * straight into its final place. -EMSGSIZE (message left in the ring) if
 * their total is smaller than the message.
 */
int sym_ring_recvv(struct sym_ring_rx *rx, const struct sym_ring_buf *bufs,
		   unsigned int n, u32 *len, u16 *type, bool *notify);

/*
 * The length of the next message, to size the buffers of a recvv; the
 * message stays in the ring. 0, -EAGAIN or -EPROTO as for recv. The peer
 * may rewrite the header before the recvv: the recvv validates it again,
 * so size the buffers for *len and treat -EMSGSIZE then as a violation.
 */
int sym_ring_peek(struct sym_ring_rx *rx, u32 *len);

/* The deferred free-space check; returns true when the producer needs a kick. */
bool sym_ring_rx_push(struct sym_ring_rx *rx);

/*
 * Call when sym_ring_recv() returned -EAGAIN, before waiting for the
 * producer's event (RING_FINAL_CHECK_FOR_REQUESTS). Asks the producer to
 * notify on the next message, does the deferred free-space check (*notify),
 * and re-checks prod. Returns true if a message is there (receive again, do
 * not wait), false if the caller may sleep until notified. True also when
 * the ring is broken, so that the next recv reports it.
 */
bool sym_ring_rx_final_check(struct sym_ring_rx *rx, bool *notify);

static inline bool sym_ring_tx_broken(const struct sym_ring_tx *tx)
{
	return tx->broken;
}

/* Bytes sent that the consumer had not taken at our last look at its cons. */
static inline u32 sym_ring_tx_unconsumed(const struct sym_ring_tx *tx)
{
	return tx->prod - tx->cons_snap;
}

static inline bool sym_ring_rx_broken(const struct sym_ring_rx *rx)
{
	return rx->broken;
}

#endif /* SYM_RING_H */
