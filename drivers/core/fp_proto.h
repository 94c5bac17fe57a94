/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fp_proto.h - the fast-path protocol constants and the strict parser of
 * one channel's XenStore record (Documentation/fastpath.md), shared by the
 * guest module and the dom0 relay.
 *
 * What: a channel between two co-resident guests is one set of
 * FP_NR_PAGES pages granted by the lower domid ("granter") to the higher
 * ("mapper"), and one interdomain event channel allocated by the granter:
 *
 *   control page (its grant reference is the one XenStore carries):
 *     struct sym_fp_ctrl_page below, one FP_PAGE_SIZE page
 *     +0     struct sym_ring_ctrl   ring 0: granter -> mapper
 *     +256   struct sym_ring_ctrl   ring 1: mapper -> granter
 *     +512   u32 closed             written by the granter only
 *     +576   u32 closed             written by the mapper only
 *     +704   __le32 refs[2 * FP_DATA_PAGES]   grant references of the data
 *            pages, ring 0 then ring 1, in order
 *   data area of each ring: FP_DATA_PAGES pages (FP_RING_SEGS segments of
 *   FP_SEG_PAGES pages on the granter's side), FP_RING_SIZE bytes
 *
 * XenStore stays small (5 nodes a record) however large the rings are;
 * the mapper copies the reference list once and maps only those: a
 * reference the granter did not grant to it fails to map.
 *
 * Each ring message is one Ethernet frame, prefixed by a 16-byte header
 * that carries a virtio_net_hdr (little-endian) for GSO and checksum
 * offload state.
 *
 * Data flow of a record: the guest writes it under its own
 * data/symbiont/fastpath/<peer>/ (hostile input for everyone else); dom0
 * parses it here and copies what it accepts into the peer's view under
 * symbiont/peers/<guest>/fastpath/; the peer parses the copy here again.
 *
 * Pure C (sym_compat.h only), so userspace tests can build it. No state.
 */
#ifndef SYM_FP_PROTO_H
#define SYM_FP_PROTO_H

#include "sym_compat.h"
#include "ring.h"

#define FP_PAGE_SIZE		4096u	/* XEN_PAGE_SIZE */
#define FP_SEG_PAGES		16u	/* granter: pages allocated at once */
#define FP_SEG_SIZE		(FP_SEG_PAGES * FP_PAGE_SIZE)
#define FP_RING_SEGS		8u	/* per ring: 512 KiB */
#define FP_DATA_PAGES		(FP_RING_SEGS * FP_SEG_PAGES)	/* per ring */
#define FP_NR_PAGES		(1u + 2u * FP_DATA_PAGES)
#define FP_RING_SIZE		(FP_DATA_PAGES * FP_PAGE_SIZE)
/* Largest ring message: a 64 KiB GSO frame and its header fit. */
#define FP_MAX_MSG		(FP_SEG_SIZE + 1024u)
/* Pages whose grant references the XenStore record carries. */
#define FP_XS_PAGES		1u
#define FP_HDR_LEN		16u	/* frame header before each frame */
#define FP_MSG_FRAME		1u	/* ring message type: one frame */

/* Roles; also the index of the ring a role produces into. */
#define FP_ROLE_GRANTER		0u
#define FP_ROLE_MAPPER		1u

/* One role's closed word, alone in its 64-byte line. */
struct sym_fp_closed {
	u32 closed;		/* non-zero: this role tore the channel down */
	u8 pad[60];
};

/*
 * The control page, as both guests see it. Wire layout: the offsets are
 * fixed (asserted below), whatever the compiler; the padding is explicit.
 * The granter zeroes the page before granting it; nothing in it is
 * trusted by the side that did not write it.
 */
struct sym_fp_ctrl_page {
	struct sym_ring_ctrl ring[2];		/* by producer role */
	struct sym_fp_closed closed[2];		/* by role */
	u8 pad0[64];
	__le32 refs[2 * FP_DATA_PAGES];		/* written by the granter only */
	u8 pad1[FP_PAGE_SIZE - 704 - 2 * FP_DATA_PAGES * 4];
};

static_assert(sizeof(struct sym_fp_closed) == 64, "control page layout is ABI");
static_assert(offsetof(struct sym_fp_ctrl_page, ring[0]) == 0, "control page layout is ABI");
static_assert(offsetof(struct sym_fp_ctrl_page, ring[1]) == 256, "control page layout is ABI");
static_assert(offsetof(struct sym_fp_ctrl_page, closed[0]) == 512, "control page layout is ABI");
static_assert(offsetof(struct sym_fp_ctrl_page, closed[1]) == 576, "control page layout is ABI");
static_assert(offsetof(struct sym_fp_ctrl_page, refs) == 704, "control page layout is ABI");
static_assert(sizeof(struct sym_fp_ctrl_page) == FP_PAGE_SIZE, "control page layout is ABI");

/* Bounds on what dom0 relays (it does not know the guests' constants). */
#define FP_RELAY_MAX_PAGES	4u
#define FP_EVTCHN_MAX		((1u << 17) - 1)	/* FIFO ABI limit */
#define FP_VALUE_MAX		16u	/* longest value a record node holds */

enum sym_fp_xs_state {
	FP_XS_ABSENT = 0,	/* no record */
	FP_XS_OFFERED,		/* granter: pages granted, evtchn allocated */
	FP_XS_CONNECTED,	/* mapper: mapped and bound this epoch */
	FP_XS_CLOSED,		/* either: torn down, do not use */
};

struct sym_fp_record {
	enum sym_fp_xs_state state;
	u32 epoch;		/* OFFERED, CONNECTED: non-zero */
	u32 evtchn;		/* OFFERED only */
	u32 nr_pages;		/* OFFERED only */
	u32 refs[FP_RELAY_MAX_PAGES];	/* OFFERED only, [0, nr_pages) */
};

/* "offered", "connected" or "closed"; -EINVAL otherwise (NULL: absent). */
int sym_fp_parse_state(const char *s, size_t len, enum sym_fp_xs_state *out);
const char *sym_fp_state_name(enum sym_fp_xs_state st);

/* Strict decimal u32 in [min, max], at most FP_VALUE_MAX bytes. */
int sym_fp_parse_u32(const char *s, size_t len, u32 min, u32 max, u32 *out);

/*
 * Which nodes a record in this state must carry, given who wrote it:
 * the granter's OFFERED carries epoch, evtchn, nr-pages and ring-ref-<i>;
 * the mapper's CONNECTED carries epoch; CLOSED carries nothing else.
 * A state the writer's role may not publish is -EPROTO.
 */
int sym_fp_record_check_state(enum sym_fp_xs_state st, bool writer_is_granter);

/*
 * Reads one node of a record: node is "state", "epoch", "evtchn",
 * "nr-pages" or "ring-ref-<i>". Copies at most size - 1 bytes plus a NUL
 * into buf and sets *len; -ENOENT if the node is absent, -E2BIG if longer
 * than size - 1, another -errno if the store could not answer.
 */
typedef int (*sym_fp_read_fn)(void *ctx, const char *node, char *buf,
			  size_t size, size_t *len);

/*
 * Reads and validates one whole record through read, as written by a
 * granter (writer_is_granter) or a mapper. Returns 0 with *rec filled
 * (state FP_XS_ABSENT if there is no record), -EPROTO for a malformed
 * record (rec untouched), or the reader's error. At most
 * 4 + FP_RELAY_MAX_PAGES reads; nothing loops on a peer-chosen count
 * beyond that bound.
 */
int sym_fp_record_read(sym_fp_read_fn read, void *ctx, bool writer_is_granter,
		   struct sym_fp_record *rec);

/* True if a and b describe the same record (only the meaningful fields). */
bool sym_fp_record_equal(const struct sym_fp_record *a, const struct sym_fp_record *b);

#endif /* SYM_FP_PROTO_H */
