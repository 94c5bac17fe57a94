// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_fp_frame.c - libFuzzer target for the fast path's frame validator
 * and the vif "ip" list parser (drivers/core/fp_frame.c): the input is a
 * hostile peer's ring message, or a backend "ip" node.
 *
 * Input: bytes 0-9 are the virtio_net_hdr as on the wire (little-endian,
 * decoded with sym_fp_vnet_decode()); byte 10 is a control byte. If its
 * bit 7 is set, the rest is an "ip" node for sym_fp_addrs_parse().
 * Otherwise its bits 0-3 give nr (taken modulo SYM_FP_MAX_ADDRS + 1)
 * address entries of 5 bytes each (IPv4 big-endian, prefix length modulo
 * 33), and what follows is the frame.
 *
 * Invariants of a frame: the verdict is one of the five; it is the same
 * with the head in a heap buffer of exactly sym_fp_frame_head_len() bytes
 * (ASan catches a read past it) as with the whole frame as head; one byte
 * less than that is MALFORMED; OK implies an ethertype of IPv4, IPv6 or
 * ARP, sane offload metadata (flags, gso type and size, the checksum
 * field and its fixed L4 header in the head, ARP with none) and, for
 * IPv4 under a list, a source in the list or 0.0.0.0; the address list
 * only ever turns a verdict into SPOOFED, from OK or OFFLOAD; sym_fp_frame_sendable() is the verdict
 * without a list. Of a list: what parses has at most SYM_FP_MAX_ADDRS
 * entries of /0../32, allows its own addresses, and its canonical form
 * (shorter than SYM_FP_ADDRS_STR_MAX) parses back to it and is a fixed
 * point of format(parse()).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fp_frame.h"

#define CONTROL		SYM_FP_VNET_LEN
#define STRING_MODE	0x80u
#define ENTRY_LEN	5u

static void check_addrs_round_trip(const struct sym_fp_addrs *a)
{
	char buf[SYM_FP_ADDRS_STR_MAX], again[SYM_FP_ADDRS_STR_MAX];
	struct sym_fp_addrs b;
	int n, m;
	u32 i;

	if (a->nr > SYM_FP_MAX_ADDRS)
		abort();
	for (i = 0; i < a->nr; i++)
		if (a->prefix[i].len > 32 ||
		    !sym_fp_addrs_allow(a, a->prefix[i].addr))
			abort();
	n = sym_fp_addrs_format(a, buf, sizeof(buf));
	if (n < 0 || n >= SYM_FP_ADDRS_STR_MAX || (size_t)n != strlen(buf))
		abort();
	if (sym_fp_addrs_parse(buf, n, &b) || b.nr != a->nr)
		abort();
	for (i = 0; i < a->nr; i++)
		if (b.prefix[i].addr != a->prefix[i].addr ||
		    b.prefix[i].len != a->prefix[i].len)
			abort();
	m = sym_fp_addrs_format(&b, again, sizeof(again));
	if (m != n || memcmp(buf, again, n + 1))
		abort();
	/* One byte too small is refused. */
	if (sym_fp_addrs_format(a, again, n) != -E2BIG)
		abort();
}

static void fuzz_list(const char *s, size_t len)
{
	struct sym_fp_addrs a;
	int err = sym_fp_addrs_parse(s, len, &a);

	if (err == -EINVAL || err == -E2BIG)
		return;
	if (err)
		abort();
	if (!len != !a.nr)
		abort();
	check_addrs_round_trip(&a);
}

static u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* What an OK says about the frame and its metadata. */
static void check_ok(const struct sym_fp_vnet *v, const u8 *frame,
		     u32 len, const struct sym_fp_addrs *a)
{
	u32 hl = sym_fp_frame_head_len(len), proto, src, ihl;

	if (len < 14)
		abort();
	proto = be16(frame + 12);
	if (proto != 0x0800 && proto != 0x86dd && proto != 0x0806)
		abort();
	if ((v->flags & ~3u) || v->flags == 3 || v->hdr_len > len)
		abort();
	if (v->gso_type != 0 && v->gso_type != 1 && v->gso_type != 4)
		abort();
	if (v->gso_type == 0 && v->gso_size)
		abort();
	if (v->gso_type &&
	    (!(v->flags & 1) || !v->gso_size || v->gso_size == 0xffff))
		abort();
	if ((v->gso_type == 1 && proto != 0x0800) ||
	    (v->gso_type == 4 && proto != 0x86dd))
		abort();
	/* The csum field, in the fixed UDP (8) or TCP (20) header, in head. */
	if ((v->flags & 1) &&
	    ((v->csum_offset != 6 && v->csum_offset != 16) ||
	     (u32)v->csum_start + (v->csum_offset == 6 ? 8 : 20) > hl))
		abort();
	if (proto == 0x0806 && (v->flags || v->gso_type || len < 42))
		abort();
	if (proto == 0x0800) {
		if (len < 34 || frame[14] >> 4 != 4)
			abort();
		ihl = (frame[14] & 0xf) * 4u;
		if (ihl < 20 || 14 + ihl > hl || 14u + be16(frame + 16) > len)
			abort();
		src = (u32)frame[26] << 24 | (u32)frame[27] << 16 |
		      (u32)frame[28] << 8 | frame[29];
		if (a && a->nr && src && !sym_fp_addrs_allow(a, src))
			abort();
		if ((v->flags & 1) && v->csum_start != 14 + ihl)
			abort();
	}
	if (proto == 0x86dd) {
		if (len < 54 || frame[14] >> 4 != 6 ||
		    54u + be16(frame + 18) > len)
			abort();
		if ((v->flags & 1) && v->csum_start != 54)
			abort();
	}
}

static void fuzz_frame(const struct sym_fp_vnet *v, const u8 *frame, u32 len,
		       const struct sym_fp_addrs *a)
{
	u32 hl = sym_fp_frame_head_len(len);
	struct sym_fp_addrs empty = { 0 };
	enum sym_fp_verdict ver, whole, none;
	u8 *head = malloc(hl ? hl : 1);

	if (!head)
		abort();
	memcpy(head, frame, hl);
	ver = sym_fp_frame_check(v, head, hl, len, a);
	if ((unsigned int)ver >= SYM_FP_FRAME_NR_VERDICTS)
		abort();
	if (hl && sym_fp_frame_check(v, head, hl - 1, len, a) !=
		  SYM_FP_FRAME_MALFORMED)
		abort();
	free(head);

	whole = sym_fp_frame_check(v, frame, len, len, a);
	if (whole != ver)
		abort();
	if (len < 14 && ver != SYM_FP_FRAME_MALFORMED)
		abort();
	if (ver == SYM_FP_FRAME_OK)
		check_ok(v, frame, len, a);

	/* The list only ever turns OK or OFFLOAD into SPOOFED. */
	none = sym_fp_frame_check(v, frame, len, len, NULL);
	if (sym_fp_frame_check(v, frame, len, len, &empty) != none)
		abort();
	if (ver == SYM_FP_FRAME_SPOOFED ?
	    (none != SYM_FP_FRAME_OK && none != SYM_FP_FRAME_OFFLOAD) :
	    none != ver)
		abort();
	if (sym_fp_frame_sendable(v, frame, hl, len) != (none == SYM_FP_FRAME_OK))
		abort();
	if (strlen(sym_fp_verdict_name(ver)) < 2)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sym_fp_addrs addrs = { 0 };
	struct sym_fp_vnet vnet;
	size_t off = CONTROL + 1;
	u32 i;

	if (size <= CONTROL)
		return 0;
	if (data[CONTROL] & STRING_MODE) {
		fuzz_list((const char *)data + off, size - off);
		return 0;
	}
	sym_fp_vnet_decode(data, &vnet);
	addrs.nr = (data[CONTROL] & 0xfu) % (SYM_FP_MAX_ADDRS + 1);
	for (i = 0; i < addrs.nr; i++) {
		if (size - off < ENTRY_LEN)
			return 0;
		addrs.prefix[i].addr = (u32)data[off] << 24 |
				       (u32)data[off + 1] << 16 |
				       (u32)data[off + 2] << 8 | data[off + 3];
		addrs.prefix[i].len = data[off + 4] % 33;
		off += ENTRY_LEN;
	}
	check_addrs_round_trip(&addrs);
	fuzz_frame(&vnet, data + off, (u32)(size - off), &addrs);
	return 0;
}
