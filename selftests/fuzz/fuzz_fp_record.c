// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_fp_record.c - libFuzzer target for the fast-path record parser
 * (drivers/core/fp_proto.c): the input is a whole guest-written record.
 *
 * Input: byte 0 picks the writer's role (bit 0) and which nodes are
 * absent (bits 1-7, one per node); the rest is split at '\n' into the
 * values of state, epoch, evtchn, nr-pages, ring-ref-0..3 in that order.
 * Invariants: at most 4 + FP_RELAY_MAX_PAGES reads; an accepted record
 * respects every bound and the writer's role; written back out as
 * canonical decimals and parsed again, it is equal to itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fp_proto.h"

#define NODES	8

static const char *const node_names[NODES] = {
	"state", "epoch", "evtchn", "nr-pages",
	"ring-ref-0", "ring-ref-1", "ring-ref-2", "ring-ref-3",
};

struct store {
	const char *val[NODES];
	size_t len[NODES];
	unsigned int reads;
};

static int store_read(void *ctx, const char *node, char *buf, size_t size,
		      size_t *len)
{
	struct store *st = ctx;
	int i;

	st->reads++;
	for (i = 0; i < NODES; i++) {
		if (strcmp(node, node_names[i]))
			continue;
		if (!st->val[i])
			return -ENOENT;
		if (st->len[i] >= size)
			return -E2BIG;
		memcpy(buf, st->val[i], st->len[i]);
		buf[st->len[i]] = '\0';
		*len = st->len[i];
		return 0;
	}
	return -ENOENT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char canon[NODES][24];
	struct sym_fp_record r, again;
	struct store st = {};
	const char *p, *end;
	bool granter;
	int i, err;

	if (!size)
		return 0;
	granter = data[0] & 1;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	for (i = 0; i < NODES && p <= end; i++) {
		const char *nl = memchr(p, '\n', end - p);
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!(data[0] & (2u << i))) {
			st.val[i] = p;
			st.len[i] = n;
		}
		p += n + 1;
	}

	err = sym_fp_record_read(store_read, &st, granter, &r);
	if (st.reads > 4 + FP_RELAY_MAX_PAGES)
		abort();
	if (err)
		return 0;
	if (sym_fp_record_check_state(r.state, granter))
		abort();
	if (r.state == FP_XS_ABSENT || r.state == FP_XS_CLOSED)
		return 0;
	if (!r.epoch)
		abort();
	if (r.state == FP_XS_OFFERED &&
	    (!r.evtchn || r.evtchn > FP_EVTCHN_MAX || !r.nr_pages ||
	     r.nr_pages > FP_RELAY_MAX_PAGES))
		abort();

	/* Round trip through canonical values. */
	memset(&st, 0, sizeof(st));
	st.val[0] = sym_fp_state_name(r.state);
	st.len[0] = strlen(st.val[0]);
	snprintf(canon[1], sizeof(canon[1]), "%u", r.epoch);
	snprintf(canon[2], sizeof(canon[2]), "%u", r.evtchn);
	snprintf(canon[3], sizeof(canon[3]), "%u", r.nr_pages);
	for (i = 0; i < (int)r.nr_pages && r.state == FP_XS_OFFERED; i++)
		snprintf(canon[4 + i], sizeof(canon[4 + i]), "%u", r.refs[i]);
	for (i = 1; i < NODES; i++) {
		if (i >= 2 && r.state != FP_XS_OFFERED)
			break;
		if (i >= 4 && i - 4 >= (int)r.nr_pages)
			break;
		st.val[i] = canon[i];
		st.len[i] = strlen(canon[i]);
	}
	if (sym_fp_record_read(store_read, &st, granter, &again) ||
	    !sym_fp_record_equal(&r, &again))
		abort();
	return 0;
}
