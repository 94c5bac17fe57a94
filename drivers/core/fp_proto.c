// SPDX-License-Identifier: GPL-2.0
/*
 * fp_proto.c - strict parsers of fast-path XenStore values; see
 * fp_proto.h. Every value is guest-written somewhere along its path, so
 * every byte is checked and nothing is read past len.
 *
 * Locking/lifetime: no state.
 */
#include "fp_proto.h"
#include "xs_parse.h"

static const char *const fp_state_names[] = {
	[FP_XS_ABSENT] = "absent",
	[FP_XS_OFFERED] = "offered",
	[FP_XS_CONNECTED] = "connected",
	[FP_XS_CLOSED] = "closed",
};

const char *sym_fp_state_name(enum sym_fp_xs_state st)
{
	if ((unsigned int)st < ARRAY_SIZE(fp_state_names))
		return fp_state_names[st];
	return "invalid";
}
SYM_EXPORT(sym_fp_state_name);

int sym_fp_parse_state(const char *s, size_t len, enum sym_fp_xs_state *out)
{
	unsigned int i;

	if (!s) {
		*out = FP_XS_ABSENT;
		return 0;
	}
	if (len > FP_VALUE_MAX)
		return -EINVAL;
	for (i = FP_XS_OFFERED; i < ARRAY_SIZE(fp_state_names); i++) {
		if (len == strlen(fp_state_names[i]) &&
		    !memcmp(s, fp_state_names[i], len)) {
			*out = i;
			return 0;
		}
	}
	return -EINVAL;
}

int sym_fp_parse_u32(const char *s, size_t len, u32 min, u32 max, u32 *out)
{
	u64 v;
	int err;

	if (!s || len > FP_VALUE_MAX)
		return -EINVAL;
	err = sym_parse_u64(s, len, &v);
	if (err)
		return err;
	if (v < min || v > max)
		return -ERANGE;
	*out = (u32)v;
	return 0;
}

int sym_fp_record_check_state(enum sym_fp_xs_state st, bool writer_is_granter)
{
	switch (st) {
	case FP_XS_ABSENT:
	case FP_XS_CLOSED:
		return 0;
	case FP_XS_OFFERED:
		return writer_is_granter ? 0 : -EPROTO;
	case FP_XS_CONNECTED:
		return writer_is_granter ? -EPROTO : 0;
	}
	return -EPROTO;
}

bool sym_fp_record_equal(const struct sym_fp_record *a, const struct sym_fp_record *b)
{
	if (a->state != b->state)
		return false;
	switch (a->state) {
	case FP_XS_ABSENT:
	case FP_XS_CLOSED:
		return true;
	case FP_XS_CONNECTED:
		return a->epoch == b->epoch;
	case FP_XS_OFFERED:
		return a->epoch == b->epoch && a->evtchn == b->evtchn &&
		       a->nr_pages == b->nr_pages &&
		       a->nr_pages <= FP_RELAY_MAX_PAGES &&
		       !memcmp(a->refs, b->refs,
			       a->nr_pages * sizeof(a->refs[0]));
	}
	return false;
}
SYM_EXPORT(sym_fp_record_equal);

static int fp_read_u32(sym_fp_read_fn read, void *ctx, const char *node,
		       u32 min, u32 max, u32 *out)
{
	char buf[FP_VALUE_MAX + 1];
	size_t len;
	int err;

	err = read(ctx, node, buf, sizeof(buf), &len);
	if (err == -ENOENT || err == -E2BIG)
		return -EPROTO;
	if (err)
		return err;
	return sym_fp_parse_u32(buf, len, min, max, out) ? -EPROTO : 0;
}

int sym_fp_record_read(sym_fp_read_fn read, void *ctx, bool writer_is_granter,
		   struct sym_fp_record *rec)
{
	char buf[FP_VALUE_MAX + 1];
	char node[24];
	struct sym_fp_record r;
	size_t len;
	u32 i;
	int err;

	memset(&r, 0, sizeof(r));
	err = read(ctx, "state", buf, sizeof(buf), &len);
	if (err == -ENOENT) {
		*rec = r;	/* FP_XS_ABSENT */
		return 0;
	}
	if (err == -E2BIG)
		return -EPROTO;
	if (err)
		return err;
	if (sym_fp_parse_state(buf, len, &r.state) ||
	    sym_fp_record_check_state(r.state, writer_is_granter))
		return -EPROTO;

	if (r.state == FP_XS_OFFERED || r.state == FP_XS_CONNECTED) {
		err = fp_read_u32(read, ctx, "epoch", 1, 0xffffffffu, &r.epoch);
		if (err)
			return err;
	}
	if (r.state == FP_XS_OFFERED) {
		err = fp_read_u32(read, ctx, "evtchn", 1, FP_EVTCHN_MAX,
				  &r.evtchn);
		if (!err)
			err = fp_read_u32(read, ctx, "nr-pages", 1,
					  FP_RELAY_MAX_PAGES, &r.nr_pages);
		if (err)
			return err;
		for (i = 0; i < r.nr_pages; i++) {
			snprintf(node, sizeof(node), "ring-ref-%u", i);
			err = fp_read_u32(read, ctx, node, 0, 0xffffffffu,
					  &r.refs[i]);
			if (err)
				return err;
		}
	}
	*rec = r;
	return 0;
}
SYM_EXPORT(sym_fp_record_read);
