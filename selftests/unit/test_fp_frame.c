// SPDX-License-Identifier: GPL-2.0
/*
 * test_fp_frame.c - unit tests for the fast path's frame validator and
 * the vif "ip" list parser (drivers/core/fp_frame.c), which the receiver
 * runs on every frame a possibly hostile peer puts in the ring.
 *
 * Frames are real ones built byte by byte (Ethernet, IPv4 with and
 * without options, IPv6, UDP, TCP with options, ARP, a DHCP discover),
 * with the virtio_net_hdr a Linux sender would attach; each table row
 * takes one such base frame, patches a few bytes, its length or its
 * virtio_net_hdr, and states the one verdict it must get. IP and L4
 * checksums are left zero: the validator does not look at them (the
 * stack checks them after it). Every check is run the way rx.c runs it,
 * on a heap copy of exactly sym_fp_frame_head_len() bytes (ASan catches a
 * read past it), and again on the whole frame as head (the verdict must
 * not change). Also: the head_len contract, verdict names, the wire
 * decoding of the virtio_net_hdr, the address policy, and the list
 * parser and formatter (round trips, every rejection, buffer bounds).
 * Single-threaded; each test owns its buffers.
 */
#include <stdlib.h>
#include "harness.h"
#include "fp_frame.h"

#define FRAME_MAX	4096u
#define IP4(a, b, c, d)	((u32)(a) << 24 | (u32)(b) << 16 | (u32)(c) << 8 | (u32)(d))
#define GUEST		IP4(10, 0, 0, 5)
#define SERVER		IP4(10, 0, 0, 9)

/* virtio_net_hdr shorthands. */
#define CSUM		SYM_FP_VNET_F_NEEDS_CSUM
#define VALID		SYM_FP_VNET_F_DATA_VALID
#define TCPV4		SYM_FP_VNET_GSO_TCPV4
#define TCPV6		SYM_FP_VNET_GSO_TCPV6

struct frame {
	u8 b[FRAME_MAX];
	u32 len;
	struct sym_fp_vnet vnet;
};

static const u8 peer_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x05 };
static const u8 our_mac[6] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x09 };

static void put16(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 8);
	p[1] = (u8)v;
}

static void put32(u8 *p, u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void eth(struct frame *f, u32 type)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, our_mac, 6);
	memcpy(f->b + 6, peer_mac, 6);
	put16(f->b + 12, type);
	f->len = 14;
}

/* Payload bytes that are none of the values the validator looks for. */
static void payload(u8 *p, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(0xa5 ^ i);
}

/*
 * IPv4 (DF, TTL 64) with opt_words 32-bit words of options (NOPs, then
 * an end-of-list byte), then l4_len bytes; returns the L4 header.
 */
static u8 *ipv4(struct frame *f, u32 opt_words, u32 proto, u32 src, u32 dst,
		u32 l4_len)
{
	u8 *ip = f->b + 14;
	u32 hlen = 20 + 4 * opt_words;

	eth(f, 0x0800);
	ip[0] = (u8)(0x40 | (5 + opt_words));
	put16(ip + 2, hlen + l4_len);
	put16(ip + 4, 0x1c46);		/* id */
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = (u8)proto;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	memset(ip + 20, 0x01, 4 * opt_words);
	if (opt_words)
		ip[hlen - 1] = 0x00;
	f->len = 14 + hlen + l4_len;
	return ip + hlen;
}

/* IPv6 fd00::5 -> fd00::9 with payload_len bytes after the header. */
static u8 *ipv6(struct frame *f, u32 nexthdr, u32 payload_len)
{
	u8 *ip = f->b + 14;

	eth(f, 0x86dd);
	ip[0] = 0x60;
	put16(ip + 4, payload_len);
	ip[6] = (u8)nexthdr;
	ip[7] = 64;
	ip[8] = 0xfd;
	ip[23] = 5;
	ip[24] = 0xfd;
	ip[39] = 9;
	f->len = 54 + payload_len;
	return ip + 40;
}

static void udp(u8 *l4, u32 sport, u32 dport, u32 data_len)
{
	put16(l4, sport);
	put16(l4 + 2, dport);
	put16(l4 + 4, 8 + data_len);
	payload(l4 + 8, data_len);
}

/* TCP 40000 -> 80, PSH|ACK, doff 8: NOP, NOP, timestamps; then data. */
static void tcp(u8 *l4, u32 data_len)
{
	put16(l4, 40000);
	put16(l4 + 2, 80);
	put32(l4 + 4, 0x01020304);	/* seq */
	put32(l4 + 8, 0x0a0b0c0d);	/* ack */
	l4[12] = 8 << 4;
	l4[13] = 0x18;
	put16(l4 + 14, 502);		/* window */
	l4[20] = 1;
	l4[21] = 1;
	l4[22] = 8;
	l4[23] = 10;
	put32(l4 + 24, 123456);
	put32(l4 + 28, 654321);
	payload(l4 + 32, data_len);
}

static void arp(struct frame *f, u32 oper, u32 spa, u32 tpa, u32 len)
{
	u8 *a = f->b + 14;

	eth(f, 0x0806);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, oper);
	memcpy(a + 8, peer_mac, 6);
	put32(a + 14, spa);
	if (oper == 2)
		memcpy(a + 18, our_mac, 6);
	put32(a + 24, tpa);
	f->len = len;
}

static void vnet(struct frame *f, u32 flags, u32 gso_type, u32 hdr_len,
		 u32 gso_size, u32 csum_start, u32 csum_offset)
{
	f->vnet.flags = (u8)flags;
	f->vnet.gso_type = (u8)gso_type;
	f->vnet.hdr_len = (u16)hdr_len;
	f->vnet.gso_size = (u16)gso_size;
	f->vnet.csum_start = (u16)csum_start;
	f->vnet.csum_offset = (u16)csum_offset;
}

enum base {
	B_UDP4,		/* 10.0.0.5:5000 -> 10.0.0.9:53, 32 bytes, 74 in all */
	B_UDP4_CSUM,	/* the same, partial checksum */
	B_TCP4_GSO,	/* 3000 bytes of TCP as a TCPv4 GSO frame, 3066 in all */
	B_TCP4_OPT_GSO,	/* the same with 8 bytes of IPv4 options */
	B_TCP6_GSO,	/* 3000 bytes of TCP as a TCPv6 GSO frame, 3086 in all */
	B_UDP6_CSUM,	/* UDP over IPv6, partial checksum */
	B_ARP_REQ,	/* who has 10.0.0.9, tell 10.0.0.5; 42 bytes */
	B_ARP_REPLY,	/* 10.0.0.5 is at peer_mac; padded to 60 bytes */
	B_ARP_PROBE,	/* who has 10.0.0.5, from 0.0.0.0 (RFC 5227) */
	B_DHCP,		/* DHCPDISCOVER 0.0.0.0:68 -> 255.255.255.255:67 */
};

static void build(struct frame *f, enum base base)
{
	u8 *l4;

	switch (base) {
	case B_UDP4:
	case B_UDP4_CSUM:
		l4 = ipv4(f, 0, 17, GUEST, SERVER, 8 + 32);
		udp(l4, 5000, 53, 32);
		if (base == B_UDP4_CSUM)
			vnet(f, CSUM, 0, 0, 0, 34, 6);
		break;
	case B_TCP4_GSO:
		l4 = ipv4(f, 0, 6, GUEST, SERVER, 32 + 3000);
		tcp(l4, 3000);
		vnet(f, CSUM, TCPV4, 66, 1448, 34, 16);
		break;
	case B_TCP4_OPT_GSO:
		l4 = ipv4(f, 2, 6, GUEST, SERVER, 32 + 3000);
		tcp(l4, 3000);
		vnet(f, CSUM, TCPV4, 74, 1448, 42, 16);
		break;
	case B_TCP6_GSO:
		l4 = ipv6(f, 6, 32 + 3000);
		tcp(l4, 3000);
		vnet(f, CSUM, TCPV6, 86, 1428, 54, 16);
		break;
	case B_UDP6_CSUM:
		l4 = ipv6(f, 17, 8 + 100);
		udp(l4, 5000, 53, 100);
		vnet(f, CSUM, 0, 0, 0, 54, 6);
		break;
	case B_ARP_REQ:
		arp(f, 1, GUEST, SERVER, 42);
		break;
	case B_ARP_REPLY:
		arp(f, 2, GUEST, SERVER, 60);
		break;
	case B_ARP_PROBE:
		arp(f, 1, 0, GUEST, 42);
		break;
	case B_DHCP:
		l4 = ipv4(f, 0, 17, 0, IP4(255, 255, 255, 255), 8 + 300);
		memset(f->b, 0xff, 6);	/* broadcast */
		udp(l4, 68, 67, 300);
		l4[8] = 1;		/* BOOTREQUEST */
		put32(l4 + 8 + 236, 0x63825363);	/* magic cookie */
		break;
	}
}

/*
 * The verdict as rx.c gets it: the head copied to a heap buffer of
 * exactly sym_fp_frame_head_len() bytes. Checked again with the whole
 * frame as head: more linear bytes must not change it (-1 if they do).
 */
static int check_with(const struct frame *f, const struct sym_fp_addrs *a)
{
	u32 hl = sym_fp_frame_head_len(f->len);
	enum sym_fp_verdict v, whole;
	u8 *head = malloc(hl ? hl : 1);

	if (!head)
		abort();
	memcpy(head, f->b, hl);
	v = sym_fp_frame_check(&f->vnet, head, hl, f->len, a);
	free(head);
	whole = sym_fp_frame_check(&f->vnet, f->b, f->len, f->len, a);
	return v == whole ? (int)v : -1;
}

static int check(const struct frame *f, const char *addrs)
{
	struct sym_fp_addrs a;

	if (!addrs)
		return check_with(f, NULL);
	if (sym_fp_addrs_parse(addrs, strlen(addrs), &a))
		abort();
	return check_with(f, &a);
}

static const char *name_of(int v)
{
	return v < 0 ? "depends on head_len" : sym_fp_verdict_name(v);
}

/* One byte, 16 or 32 bits (big-endian) written at off; width 0: none. */
struct patch {
	u32 off;
	u32 val;
	u32 width;
};

struct row {
	const char *name;
	enum base base;
	const char *addrs;		/* NULL: no policy */
	enum sym_fp_verdict want;
	struct patch set[3];
	u32 len;			/* non-zero: the frame's new length */
	bool own_vnet;			/* vnet replaces the base's */
	struct sym_fp_vnet vnet;
	int hdr_len_over;		/* hdr_len = frame length + this */
};

#define ROW(n, b, a, w, ...) \
	{ .name = (n), .base = (b), .addrs = (a), .want = (w), __VA_ARGS__ }
#define SET(...)	.set = { __VA_ARGS__ }
#define LEN(n)		.len = (n)
#define B1(o, v)	{ .off = (o), .val = (v), .width = 1 }
#define B2(o, v)	{ .off = (o), .val = (v), .width = 2 }
#define B4(o, v)	{ .off = (o), .val = (v), .width = 4 }
#define VNET(fl, gt, hl, gs, cs, co)					\
	.own_vnet = true,						\
	.vnet = { .flags = (fl), .gso_type = (gt), .hdr_len = (hl),	\
		  .gso_size = (gs), .csum_start = (cs), .csum_offset = (co) }

/* Frame offsets used below. */
#define O_TYPE		12
#define O_IP		14	/* version/ihl; IPv6: version */
#define O_TOTLEN	16	/* IPv4 tot_len */
#define O_FRAG		20	/* IPv4 flags/fragment offset */
#define O_PROTO		23	/* IPv4 protocol */
#define O_SRC		26	/* IPv4 source */
#define O_L4		34	/* L4 header after 20 bytes of IPv4 */
#define O_DOFF		46	/* TCP data offset after 20 bytes of IPv4 */
#define O6_PLEN		18	/* IPv6 payload_len */
#define O6_NEXT		20	/* IPv6 next header */
#define OA_HTYPE	14
#define OA_PTYPE	16
#define OA_HLEN		18
#define OA_PLEN		19
#define OA_OPER		20
#define OA_SPA		28
#define OA_TPA		38

static void apply(struct frame *f, const struct row *r)
{
	unsigned int i;

	build(f, r->base);
	for (i = 0; i < ARRAY_SIZE(r->set); i++) {
		const struct patch *p = &r->set[i];

		if (p->width == 1)
			f->b[p->off] = (u8)p->val;
		else if (p->width == 2)
			put16(f->b + p->off, p->val);
		else if (p->width == 4)
			put32(f->b + p->off, p->val);
	}
	if (r->len)
		f->len = r->len;
	if (r->own_vnet)
		f->vnet = r->vnet;
	if (r->hdr_len_over)
		f->vnet.hdr_len = (u16)(f->len + r->hdr_len_over);
}

static int run_rows(struct sym_test_result *sym_result, const struct row *rows,
		    unsigned int n)
{
	static struct frame f;
	unsigned int i;
	int got;

	for (i = 0; i < n; i++) {
		apply(&f, &rows[i]);
		got = check(&f, rows[i].addrs);
		if (got != (int)rows[i].want) {
			sym_result->failed = 1;
			snprintf(sym_result->diag, sizeof(sym_result->diag),
				 "# row \"%s\": expected %s got %s", rows[i].name,
				 sym_fp_verdict_name(rows[i].want), name_of(got));
			return -1;
		}
	}
	return 0;
}

#define RUN_ROWS(rows)							\
	do {								\
		if (run_rows(sym_result, rows, ARRAY_SIZE(rows)))	\
			return;						\
	} while (0)

TEST(accepts_valid_frames)
{
	static const struct row rows[] = {
		ROW("udp4", B_UDP4, "10.0.0.5", SYM_FP_FRAME_OK),
		ROW("udp4, partial csum", B_UDP4_CSUM, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("udp4, data valid", B_UDP4, "10.0.0.5", SYM_FP_FRAME_OK,
		    VNET(VALID, 0, 0, 0, 0, 0)),
		ROW("udp4, source within /24", B_UDP4, "10.0.0.0/24",
		    SYM_FP_FRAME_OK, SET(B4(O_SRC, IP4(10, 0, 0, 77)))),
		ROW("udp4, /24 written with host bits", B_UDP4, "10.0.0.5/24",
		    SYM_FP_FRAME_OK, SET(B4(O_SRC, IP4(10, 0, 0, 200)))),
		ROW("udp4, second entry", B_UDP4, "192.168.0.1 10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("udp4, any source without policy", B_UDP4, NULL,
		    SYM_FP_FRAME_OK, SET(B4(O_SRC, IP4(192, 168, 7, 7)))),
		ROW("udp4, any source with an empty list", B_UDP4, "",
		    SYM_FP_FRAME_OK, SET(B4(O_SRC, IP4(192, 168, 7, 7)))),
		ROW("udp4, 0.0.0.0/0", B_UDP4, "0.0.0.0/0", SYM_FP_FRAME_OK,
		    SET(B4(O_SRC, IP4(192, 168, 7, 7)))),
		ROW("udp4 with Ethernet padding", B_UDP4_CSUM, "10.0.0.5",
		    SYM_FP_FRAME_OK, SET(B2(O_TOTLEN, 20 + 8 + 4))),
		ROW("icmp4 (any protocol) without offload", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_OK, SET(B1(O_PROTO, 1))),
		ROW("ipv4 with 40 bytes of options", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_OK, SET(B1(O_IP, 0x4f))),
		ROW("tcp4 gso", B_TCP4_GSO, "10.0.0.5", SYM_FP_FRAME_OK),
		ROW("tcp4 gso, one segment", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, TCPV4, 66, 9000, 34, 16)),
		ROW("tcp4 gso, gso_size 1", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, TCPV4, 66, 1, 34, 16)),
		ROW("tcp4 gso, gso_size 0xfffe", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, TCPV4, 66, 0xfffe, 34, 16)),
		ROW("tcp4 gso, hdr_len 0", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, TCPV4, 0, 1448, 34, 16)),
		ROW("tcp4 gso, hdr_len = frame length", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, TCPV4, 3066, 1448, 34, 16)),
		ROW("tcp4 gso, IPv4 options", B_TCP4_OPT_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("tcp4 gso, one byte of payload", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, SET(B2(O_TOTLEN, 20 + 32 + 1))),
		/* ihl 15: TCP at 74; doff 5: its header ends at 94 <= 128 */
		ROW("tcp4 gso, 40 bytes of IPv4 options", B_TCP4_GSO,
		    "10.0.0.5", SYM_FP_FRAME_OK,
		    SET(B1(O_IP, 0x4f), B1(74 + 12, 0x50)),
		    VNET(CSUM, TCPV4, 94, 1448, 74, 16)),
		ROW("tcp4 pure ack, partial csum", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, SET(B2(O_TOTLEN, 20 + 32)), LEN(66),
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		ROW("tcp4, bare 20-byte header, partial csum", B_TCP4_GSO,
		    "10.0.0.5", SYM_FP_FRAME_OK,
		    SET(B2(O_TOTLEN, 20 + 20), B1(O_DOFF, 5 << 4)), LEN(54),
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		ROW("tcp6 gso", B_TCP6_GSO, "10.0.0.5", SYM_FP_FRAME_OK),
		ROW("tcp6 gso, no policy", B_TCP6_GSO, NULL, SYM_FP_FRAME_OK),
		ROW("tcp6, partial csum, no gso", B_TCP6_GSO, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, 0, 0, 0, 54, 16)),
		ROW("udp6, partial csum", B_UDP6_CSUM, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("ipv6 extension header without offload", B_UDP6_CSUM,
		    "10.0.0.5", SYM_FP_FRAME_OK, SET(B1(O6_NEXT, 0)),
		    VNET(0, 0, 0, 0, 0, 0)),
		ROW("arp request", B_ARP_REQ, "10.0.0.5", SYM_FP_FRAME_OK),
		ROW("arp reply, padded", B_ARP_REPLY, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("arp reply within /24", B_ARP_REPLY, "10.0.0.0/24",
		    SYM_FP_FRAME_OK),
		ROW("gratuitous arp", B_ARP_REQ, "10.0.0.5", SYM_FP_FRAME_OK,
		    SET(B4(OA_TPA, GUEST))),
		ROW("arp probe from 0.0.0.0", B_ARP_PROBE, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("dhcp discover from 0.0.0.0", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_OK),
		ROW("dhcp discover, partial csum", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_OK, VNET(CSUM, 0, 0, 0, 34, 6)),
		ROW("dhcp discover without policy", B_DHCP, NULL,
		    SYM_FP_FRAME_OK),
	};

	RUN_ROWS(rows);
}

TEST(rejects_ethertypes)
{
	static const struct row rows[] = {
		ROW("802.1Q 0x8100", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x8100))),
		ROW("802.1ad 0x88a8", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x88a8))),
		ROW("QinQ 0x9100", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x9100))),
		ROW("LLDP 0x88cc", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x88cc))),
		ROW("RARP 0x8035", B_ARP_REQ, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x8035))),
		ROW("802.3 length 0x0000", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x0000))),
		ROW("802.3 length 0x05dc", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x05dc))),
		ROW("0x0801", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x0801))),
		ROW("0xffff", B_UDP4, NULL, SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0xffff))),
		ROW("vlan with a good inner frame and a list", B_TCP4_GSO,
		    "10.0.0.5", SYM_FP_FRAME_ETHERTYPE,
		    SET(B2(O_TYPE, 0x8100))),
		ROW("ethertype only header", B_UDP4, NULL,
		    SYM_FP_FRAME_ETHERTYPE, SET(B2(O_TYPE, 0x8100)), LEN(14)),
	};

	RUN_ROWS(rows);
}

TEST(rejects_malformed_l3)
{
	static const struct row rows[] = {
		ROW("13-byte runt", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    LEN(13)),
		ROW("1-byte runt", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    LEN(1)),
		ROW("ipv4, Ethernet header only", B_UDP4, NULL,
		    SYM_FP_FRAME_MALFORMED, LEN(14)),
		ROW("ipv4 truncated to 19 bytes", B_UDP4, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O_TOTLEN, 19)), LEN(33)),
		ROW("ipv4 version 6", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x65))),
		ROW("ipv4 version 0", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x05))),
		ROW("ihl 4", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x44))),
		ROW("ihl 0", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x40))),
		ROW("ihl 15 beyond the frame", B_UDP4, NULL,
		    SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x4f), B2(O_TOTLEN, 56)), LEN(70)),
		ROW("tot_len below ihl*4", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(O_TOTLEN, 19))),
		ROW("tot_len 0", B_UDP4, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(O_TOTLEN, 0))),
		ROW("tot_len one beyond the frame", B_UDP4, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O_TOTLEN, 61))),
		ROW("tot_len 0xffff", B_TCP4_GSO, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(O_TOTLEN, 0xffff))),
		ROW("ipv6, Ethernet header only", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_MALFORMED, LEN(14)),
		ROW("ipv6 truncated to 39 bytes", B_UDP6_CSUM, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O6_PLEN, 0)), LEN(53),
		    VNET(0, 0, 0, 0, 0, 0)),
		ROW("ipv6 version 4", B_UDP6_CSUM, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(O_IP, 0x40))),
		ROW("ipv6 payload_len one beyond the frame", B_UDP6_CSUM, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O6_PLEN, 8 + 100 + 1))),
		ROW("ipv6 payload_len 0xffff", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O6_PLEN, 0xffff))),
		ROW("arp truncated to 27 bytes", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_MALFORMED, LEN(41)),
		ROW("arp, Ethernet header only", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_MALFORMED, LEN(14)),
		ROW("arp htype 6", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(OA_HTYPE, 6))),
		ROW("arp ptype ipv6", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(OA_PTYPE, 0x86dd))),
		ROW("arp hlen 8", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(OA_HLEN, 8))),
		ROW("arp plen 16", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B1(OA_PLEN, 16))),
		ROW("arp oper 0", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(OA_OPER, 0))),
		ROW("arp oper 3 (rarp)", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(OA_OPER, 3))),
		ROW("arp oper 0x0100", B_ARP_REQ, NULL, SYM_FP_FRAME_MALFORMED,
		    SET(B2(OA_OPER, 0x0100))),
		/* the first rule broken wins */
		ROW("malformed before spoofed", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_MALFORMED,
		    SET(B2(O_TOTLEN, 61), B4(O_SRC, IP4(10, 0, 0, 6)))),
		ROW("malformed before offload", B_UDP4, NULL,
		    SYM_FP_FRAME_MALFORMED, SET(B2(O_TOTLEN, 61)),
		    VNET(0x80, 0x80, 0, 0, 0, 0)),
	};

	RUN_ROWS(rows);
}

TEST(rejects_spoofed_sources)
{
	static const struct row rows[] = {
		ROW("ipv4 source outside a /32", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B4(O_SRC, IP4(10, 0, 0, 6)))),
		ROW("ipv4 source outside a /24", B_UDP4, "10.0.0.0/24",
		    SYM_FP_FRAME_SPOOFED, SET(B4(O_SRC, IP4(10, 0, 1, 5)))),
		ROW("ipv4 source outside every entry", B_TCP4_GSO,
		    "192.168.0.0/16 172.16.0.1 10.0.1.0/24",
		    SYM_FP_FRAME_SPOOFED),
		ROW("ipv4 broadcast source", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED,
		    SET(B4(O_SRC, IP4(255, 255, 255, 255)))),
		ROW("0.0.0.0 to port 53", B_UDP4, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B4(O_SRC, 0))),
		ROW("0.0.0.0, udp 68 -> 68", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B2(O_L4 + 2, 68))),
		ROW("0.0.0.0, udp 67 -> 67", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B2(O_L4, 67))),
		ROW("0.0.0.0, tcp 68 -> 67", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B1(O_PROTO, 6))),
		ROW("dhcp ports from another address", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B4(O_SRC, IP4(10, 0, 0, 6)))),
		ROW("dhcp, a later fragment", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B2(O_FRAG, 0x0010))),
		ROW("dhcp, more fragments", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B2(O_FRAG, 0x2000))),
		ROW("dhcp, udp header beyond tot_len", B_DHCP, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B2(O_TOTLEN, 20 + 4))),
		ROW("arp sender outside the list", B_ARP_REQ, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B4(OA_SPA, IP4(10, 0, 0, 99)))),
		ROW("arp reply sender outside a /24", B_ARP_REPLY,
		    "10.0.0.0/24", SYM_FP_FRAME_SPOOFED,
		    SET(B4(OA_SPA, IP4(10, 0, 9, 5)))),
		ROW("arp probe turned into a claim of another address",
		    B_ARP_PROBE, "10.0.0.5", SYM_FP_FRAME_SPOOFED,
		    SET(B4(OA_SPA, IP4(10, 0, 0, 77)))),
		/* the first rule broken wins */
		ROW("spoofed before offload", B_TCP4_GSO, "10.0.0.5",
		    SYM_FP_FRAME_SPOOFED, SET(B4(O_SRC, IP4(10, 0, 0, 6))),
		    VNET(0xff, 0xff, 0xffff, 0, 0, 0)),
	};

	RUN_ROWS(rows);
}

TEST(rejects_bad_offload)
{
	static const struct row rows[] = {
		/* flags */
		ROW("flag 0x04 (rsc info)", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(0x04, 0, 0, 0, 0, 0)),
		ROW("flag 0x80", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(0x80, 0, 0, 0, 0, 0)),
		ROW("csum with flag 0x08", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM | 0x08, 0, 0, 0, 34, 6)),
		ROW("needs_csum | data_valid", B_UDP4, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM | VALID, 0, 0, 0, 34, 6)),
		/* gso_type */
		ROW("gso udp (ufo)", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 3, 42, 1400, 34, 6)),
		ROW("gso udp_l4", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 5, 42, 1400, 34, 6)),
		/* on a frame that would pass as TCP GSO: the type alone refuses */
		ROW("gso udp (ufo) type on a tcp frame", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 3, 66, 1448, 34, 16)),
		ROW("gso udp_l4 type on a tcp frame", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 5, 66, 1448, 34, 16)),
		ROW("gso tcpv4 | ecn", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4 | 0x80, 66, 1448, 34, 16)),
		ROW("gso tcpv6 | ecn", B_TCP6_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV6 | 0x80, 86, 1428, 54, 16)),
		ROW("gso none | ecn", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(0, 0x80, 0, 0, 0, 0)),
		ROW("gso type 2", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 2, 66, 1448, 34, 16)),
		ROW("gso type 6", B_TCP6_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 6, 86, 1428, 54, 16)),
		ROW("gso type 0x7f", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 0x7f, 66, 1448, 34, 16)),
		/* gso_size */
		ROW("tcpv4 with gso_size 0", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV4, 66, 0, 34, 16)),
		ROW("tcpv6 with gso_size 0", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV6, 86, 0, 54, 16)),
		ROW("gso_size 0xffff (GSO_BY_FRAGS)", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4, 66, 0xffff, 34, 16)),
		ROW("gso none with a gso_size", B_UDP4, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(0, 0, 0, 1448, 0, 0)),
		ROW("gso none with a gso_size and csum", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 0, 0, 1, 34, 16)),
		/* gso type against the frame */
		ROW("tcpv4 on ipv6", B_TCP6_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4, 86, 1428, 54, 16)),
		ROW("tcpv6 on ipv4", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV6, 66, 1448, 34, 16)),
		ROW("tcpv4 on udp", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4, 42, 8, 34, 6)),
		/* its UDP payload reads as a TCP header with doff 10 */
		ROW("tcpv4 on a larger udp datagram", B_DHCP, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV4, 42, 1400, 34, 6)),
		ROW("tcpv4 on icmp", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_PROTO, 1))),
		ROW("gso without needs_csum", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(0, TCPV4, 66, 1448, 34, 16)),
		ROW("gso with data_valid only", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(VALID, TCPV6, 86, 1428, 54, 16)),
		ROW("gso on a fragment (MF)", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_FRAG, 0x2000))),
		ROW("gso on a fragment (offset)", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_FRAG, 0x4001))),
		ROW("gso with an empty payload", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 32))),
		ROW("gso with only Ethernet padding after the header",
		    B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    SET(B2(O_TOTLEN, 20 + 32)), LEN(14 + 20 + 32 + 6)),
		ROW("tcp6 gso with an empty payload", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O6_PLEN, 32)), LEN(54 + 32)),
		ROW("gso, tcp doff 4", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_DOFF, 4 << 4))),
		ROW("gso, tcp doff 0", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_DOFF, 0))),
		ROW("gso, tcp header beyond tot_len", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_DOFF, 15 << 4), B2(O_TOTLEN, 20 + 40))),
		/* ihl 15 and doff 15: the TCP header would end at 134 > 128 */
		ROW("gso, tcp header beyond the head", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_IP, 0x4f), B1(74 + 12, 0xf0)),
		    VNET(CSUM, TCPV4, 134, 1448, 74, 16)),
		/* csum_start, csum_offset */
		ROW("csum_start before L4", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV4, 66, 1448, 33, 16)),
		ROW("csum_start after L4", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV4, 66, 1448, 35, 17)),
		ROW("csum_start 0", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 0, 0, 0, 0, 40)),
		ROW("csum_start at the IP header", B_UDP4, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 0, 0, 0, 14, 10)),
		ROW("csum_start ignoring IPv4 options", B_TCP4_OPT_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV4, 74, 1448, 34, 16)),
		ROW("csum_start 0xffff", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 0, 0, 0, 0xffff, 6)),
		ROW("csum_start at L4 of ipv4 on ipv6", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV6, 86, 1428, 34, 16)),
		ROW("tcp csum_offset 6", B_TCP4_GSO, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4, 66, 1448, 34, 6)),
		ROW("tcp csum_offset 0xffff", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, TCPV4, 66, 1448, 34, 0xffff)),
		ROW("udp csum_offset 16", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		ROW("udp6 csum_offset 0", B_UDP6_CSUM, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 0, 0, 0, 54, 0)),
		ROW("csum on icmp", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    SET(B1(O_PROTO, 1)), VNET(CSUM, 0, 0, 0, 34, 2)),
		ROW("csum on an ipv4 fragment", B_UDP4_CSUM, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_FRAG, 0x2000))),
		ROW("udp csum field beyond the frame", B_UDP4_CSUM, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 4)), LEN(38)),
		ROW("udp csum field beyond tot_len, in padding", B_UDP4_CSUM,
		    NULL, SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 4))),
		ROW("tcp csum field beyond the frame", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 17)), LEN(51),
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		/* the csum field fits, the 20-byte TCP header does not */
		ROW("tcp header cut after its csum field", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 18)), LEN(52),
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		ROW("tcp header cut after its csum field, padded", B_TCP4_GSO,
		    NULL, SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 19)),
		    VNET(CSUM, 0, 0, 0, 34, 16)),
		ROW("csum field one byte beyond the frame", B_UDP4_CSUM, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B2(O_TOTLEN, 20 + 7)), LEN(41)),
		/* ipv6 extension headers */
		ROW("ipv6 hop-by-hop and needs_csum", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B1(O6_NEXT, 0)),
		    VNET(CSUM, 0, 0, 0, 54, 16)),
		ROW("ipv6 destination options and tcpv6 gso", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B1(O6_NEXT, 60))),
		ROW("ipv6 routing header and tcpv6 gso", B_TCP6_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B1(O6_NEXT, 43))),
		ROW("ipv6 fragment header and needs_csum", B_UDP6_CSUM, NULL,
		    SYM_FP_FRAME_OFFLOAD, SET(B1(O6_NEXT, 44))),
		/* hdr_len */
		ROW("hdr_len one beyond the frame", B_TCP4_GSO, NULL,
		    SYM_FP_FRAME_OFFLOAD, .hdr_len_over = 1),
		ROW("hdr_len 0xffff", B_UDP4, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(0, 0, 0xffff, 0, 0, 0)),
		/* arp */
		ROW("arp with needs_csum", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, 0, 0, 0, 14, 6)),
		ROW("arp with data_valid", B_ARP_REPLY, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(VALID, 0, 0, 0, 0, 0)),
		ROW("arp with gso tcpv4", B_ARP_REQ, NULL, SYM_FP_FRAME_OFFLOAD,
		    VNET(0, TCPV4, 0, 1448, 0, 0)),
		ROW("arp with gso tcpv6 and csum", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_OFFLOAD, VNET(CSUM, TCPV6, 0, 1, 34, 16)),
		ROW("arp with a gso_size", B_ARP_PROBE, "10.0.0.5",
		    SYM_FP_FRAME_OFFLOAD, VNET(0, 0, 0, 1, 0, 0)),
		ROW("arp with hdr_len beyond the frame", B_ARP_REQ, NULL,
		    SYM_FP_FRAME_OFFLOAD, .hdr_len_over = 1),
	};

	RUN_ROWS(rows);
}

/* The first 128 bytes decide; bytes past them are never looked at. */
TEST(bytes_beyond_the_head_do_not_matter)
{
	static struct frame f;
	u8 *head;

	build(&f, B_TCP4_GSO);
	memset(f.b + SYM_FP_FRAME_HEAD, 0xff, f.len - SYM_FP_FRAME_HEAD);
	ASSERT_EQ(SYM_FP_FRAME_OK, check(&f, "10.0.0.5"));
	/* A head of exactly 128 bytes followed by nothing: ASan guards it. */
	head = malloc(SYM_FP_FRAME_HEAD);
	ASSERT_TRUE(head != NULL);
	memcpy(head, f.b, SYM_FP_FRAME_HEAD);
	ASSERT_EQ(SYM_FP_FRAME_OK, sym_fp_frame_check(&f.vnet, head,
						      SYM_FP_FRAME_HEAD, f.len,
						      NULL));
	free(head);
}

TEST(head_len_contract)
{
	static struct frame f;
	u32 hl;

	ASSERT_EQ(0, sym_fp_frame_head_len(0));
	ASSERT_EQ(14, sym_fp_frame_head_len(14));
	ASSERT_EQ(128, sym_fp_frame_head_len(128));
	ASSERT_EQ(128, sym_fp_frame_head_len(129));
	ASSERT_EQ(128, sym_fp_frame_head_len(0xffffffffu));

	/* Less than the caller must give: refused whatever the frame. */
	build(&f, B_TCP4_GSO);
	hl = sym_fp_frame_head_len(f.len);
	ASSERT_EQ(SYM_FP_FRAME_OK,
		  sym_fp_frame_check(&f.vnet, f.b, hl, f.len, NULL));
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, f.b, hl - 1, f.len, NULL));
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, f.b, 66, f.len, NULL));
	build(&f, B_ARP_REQ);
	ASSERT_EQ(SYM_FP_FRAME_OK,
		  sym_fp_frame_check(&f.vnet, f.b, 42, 42, NULL));
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, f.b, 41, 42, NULL));
	/* No bytes at all: nothing is dereferenced. */
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, NULL, 0, 0, NULL));
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, NULL, 0, 60, NULL));
	/* More than the frame: only the frame's bytes count. */
	build(&f, B_UDP4);
	f.b[f.len] = 0xff;
	ASSERT_EQ(SYM_FP_FRAME_MALFORMED,
		  sym_fp_frame_check(&f.vnet, f.b, f.len + 1, f.len - 1, NULL));
	ASSERT_EQ(SYM_FP_FRAME_OK,
		  sym_fp_frame_check(&f.vnet, f.b, FRAME_MAX, f.len, NULL));
}

TEST(sender_side_has_no_address_policy)
{
	static struct frame f;

	build(&f, B_TCP4_GSO);
	put32(f.b + O_SRC, IP4(192, 0, 2, 1));
	ASSERT_TRUE(sym_fp_frame_sendable(&f.vnet, f.b,
					  sym_fp_frame_head_len(f.len), f.len));
	f.vnet.gso_type = 3;	/* UFO: the sender keeps it for the NIC */
	ASSERT_FALSE(sym_fp_frame_sendable(&f.vnet, f.b,
					   sym_fp_frame_head_len(f.len), f.len));
	build(&f, B_UDP4);
	put16(f.b + O_TYPE, 0x8100);
	ASSERT_FALSE(sym_fp_frame_sendable(&f.vnet, f.b,
					   sym_fp_frame_head_len(f.len), f.len));
}

TEST(verdict_names)
{
	ASSERT_STREQ("ok", sym_fp_verdict_name(SYM_FP_FRAME_OK));
	ASSERT_STREQ("ethertype", sym_fp_verdict_name(SYM_FP_FRAME_ETHERTYPE));
	ASSERT_STREQ("malformed", sym_fp_verdict_name(SYM_FP_FRAME_MALFORMED));
	ASSERT_STREQ("spoofed", sym_fp_verdict_name(SYM_FP_FRAME_SPOOFED));
	ASSERT_STREQ("offload", sym_fp_verdict_name(SYM_FP_FRAME_OFFLOAD));
	ASSERT_STREQ("invalid", sym_fp_verdict_name(SYM_FP_FRAME_NR_VERDICTS));
	ASSERT_STREQ("invalid", sym_fp_verdict_name((enum sym_fp_verdict)-1));
}

TEST(vnet_decoded_little_endian)
{
	static const u8 raw[SYM_FP_VNET_LEN] = {
		0x01, 0x04, 0x56, 0x00, 0x94, 0x05, 0x36, 0x00, 0x10, 0x00,
	};
	static const u8 ones[SYM_FP_VNET_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	struct sym_fp_vnet v;

	sym_fp_vnet_decode(raw, &v);
	ASSERT_EQ(CSUM, v.flags);
	ASSERT_EQ(TCPV6, v.gso_type);
	ASSERT_EQ(86, v.hdr_len);
	ASSERT_EQ(1428, v.gso_size);
	ASSERT_EQ(54, v.csum_start);
	ASSERT_EQ(16, v.csum_offset);
	sym_fp_vnet_decode(ones, &v);
	ASSERT_EQ(0xff, v.flags);
	ASSERT_EQ(0xff, v.gso_type);
	ASSERT_EQ(0xffff, v.hdr_len);
	ASSERT_EQ(0xffff, v.gso_size);
	ASSERT_EQ(0xffff, v.csum_start);
	ASSERT_EQ(0xffff, v.csum_offset);
}

TEST(addrs_allow)
{
	struct sym_fp_addrs a = { 0 };
	u32 i;

	ASSERT_TRUE(sym_fp_addrs_allow(NULL, IP4(1, 2, 3, 4)));
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(1, 2, 3, 4)));

	a.nr = 1;
	a.prefix[0].addr = IP4(10, 0, 0, 5);
	a.prefix[0].len = 32;
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 5)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 4)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 6)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, 0));

	a.prefix[0].len = 24;
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 0)));
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 255)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(10, 0, 1, 0)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(9, 255, 255, 255)));

	a.prefix[0].len = 1;
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(127, 255, 255, 255)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(128, 0, 0, 0)));

	a.prefix[0].len = 0;
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(255, 255, 255, 255)));
	ASSERT_TRUE(sym_fp_addrs_allow(&a, 0));

	/* Not something the parser makes: never matches. */
	a.prefix[0].len = 33;
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 5)));

	/* A count beyond the array: the array only. */
	memset(&a, 0, sizeof(a));
	for (i = 0; i < SYM_FP_MAX_ADDRS; i++) {
		a.prefix[i].addr = IP4(192, 0, 2, i);
		a.prefix[i].len = 32;
	}
	a.nr = 1000;
	a.prefix[SYM_FP_MAX_ADDRS - 1].addr = IP4(10, 0, 0, 8);
	a.prefix[SYM_FP_MAX_ADDRS - 1].len = 32;
	ASSERT_TRUE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 8)));
	ASSERT_FALSE(sym_fp_addrs_allow(&a, IP4(10, 0, 0, 9)));
}

static int parse_str(const char *s, struct sym_fp_addrs *a)
{
	return sym_fp_addrs_parse(s, strlen(s), a);
}

/* Field by field: struct sym_fp_prefix has padding. */
static bool same_addrs(const struct sym_fp_addrs *a,
		       const struct sym_fp_addrs *b)
{
	u32 i;

	if (a->nr != b->nr || a->nr > SYM_FP_MAX_ADDRS)
		return false;
	for (i = 0; i < a->nr; i++)
		if (a->prefix[i].addr != b->prefix[i].addr ||
		    a->prefix[i].len != b->prefix[i].len)
			return false;
	return true;
}

TEST(addrs_parse_valid)
{
	static const struct {
		const char *in;
		u32 nr;
		const char *canon;
	} rows[] = {
		{ "", 0, "" },
		{ "10.0.0.1", 1, "10.0.0.1" },
		{ "10.0.0.1/32", 1, "10.0.0.1" },
		{ "10.0.0.0/24", 1, "10.0.0.0/24" },
		{ "10.0.0.5/24", 1, "10.0.0.5/24" },
		{ "0.0.0.0", 1, "0.0.0.0" },
		{ "0.0.0.0/0", 1, "0.0.0.0/0" },
		{ "1.2.3.4/0", 1, "1.2.3.4/0" },
		{ "255.255.255.255", 1, "255.255.255.255" },
		{ "255.255.255.255/31", 1, "255.255.255.255/31" },
		{ "10.0.0.1 10.0.0.2", 2, "10.0.0.1 10.0.0.2" },
		{ "10.0.0.1    10.0.0.2/8", 2, "10.0.0.1 10.0.0.2/8" },
		{ "192.168.100.200/16 1.1.1.1/32 9.9.9.9", 3,
		  "192.168.100.200/16 1.1.1.1 9.9.9.9" },
		{ "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8",
		  8, "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8" },
		{ "1.1.1.1 1.1.1.1", 2, "1.1.1.1 1.1.1.1" },
	};
	char buf[SYM_FP_ADDRS_STR_MAX];
	struct sym_fp_addrs a, b;
	unsigned int i;
	int n;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		memset(&a, 0xaa, sizeof(a));
		if (parse_str(rows[i].in, &a))
			SYM_FAIL("# \"%s\" refused", rows[i].in);
		ASSERT_EQ(rows[i].nr, a.nr);
		n = sym_fp_addrs_format(&a, buf, sizeof(buf));
		ASSERT_EQ(strlen(rows[i].canon), n);
		ASSERT_STREQ(rows[i].canon, buf);
		/* The canonical form parses back to the same list. */
		ASSERT_EQ(0, sym_fp_addrs_parse(buf, n, &b));
		ASSERT_TRUE(same_addrs(&a, &b));
	}

	ASSERT_EQ(0, parse_str("10.0.0.5/24 172.16.0.1", &a));
	ASSERT_EQ(IP4(10, 0, 0, 5), a.prefix[0].addr);
	ASSERT_EQ(24, a.prefix[0].len);
	ASSERT_EQ(IP4(172, 16, 0, 1), a.prefix[1].addr);
	ASSERT_EQ(32, a.prefix[1].len);
	/* len, not the NUL, ends the string. */
	ASSERT_EQ(0, sym_fp_addrs_parse("10.0.0.1 junk", 8, &a));
	ASSERT_EQ(1, a.nr);
	ASSERT_EQ(0, sym_fp_addrs_parse(NULL, 0, &a));
	ASSERT_EQ(0, a.nr);
}

TEST(addrs_parse_rejects)
{
	static const struct {
		const char *in;
		int err;
	} rows[] = {
		{ "01.2.3.4", -EINVAL },
		{ "1.2.3.04", -EINVAL },
		{ "1.2.3.00", -EINVAL },
		{ "1.2.3.256", -EINVAL },
		{ "1.2.3.999", -EINVAL },
		{ "1.2.3.1000", -EINVAL },
		{ "1.2.3.0255", -EINVAL },
		{ "1.2.3.4/33", -EINVAL },
		{ "1.2.3.4/032", -EINVAL },
		{ "1.2.3.4/00", -EINVAL },
		{ "1.2.3.4/100", -EINVAL },
		{ "1.2.3.4/", -EINVAL },
		{ "1.2.3.4/-1", -EINVAL },
		{ "1.2.3.4/ 24", -EINVAL },
		{ "1.2.3.4/24/8", -EINVAL },
		{ "1.2.3.4/255.255.255.0", -EINVAL },
		{ "1.2.3", -EINVAL },
		{ "1.2.3.", -EINVAL },
		{ "1.2.3.4.5", -EINVAL },
		{ "1..2.3", -EINVAL },
		{ ".1.2.3", -EINVAL },
		{ "1.2.3.4x", -EINVAL },
		{ "1.2.3.4 x", -EINVAL },
		{ "1.2.3.4,5.6.7.8", -EINVAL },
		{ "1.2.3.4\t5.6.7.8", -EINVAL },
		{ "1.2.3.4\n", -EINVAL },
		{ " 1.2.3.4", -EINVAL },
		{ "1.2.3.4 ", -EINVAL },
		{ " ", -EINVAL },
		{ "   ", -EINVAL },
		{ "-1.2.3.4", -EINVAL },
		{ "+1.2.3.4", -EINVAL },
		{ "0x1.2.3.4", -EINVAL },
		{ "a.b.c.d", -EINVAL },
		{ "10.1", -EINVAL },
		{ "167772161", -EINVAL },
		{ "fd00::1", -EINVAL },
		{ "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8 1.0.0.9",
		  -E2BIG },
		{ "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8 "
		  "1.0.0.9 1.0.0.10 1.0.0.11 1.0.0.12 1.0.0.13 1.0.0.14 1.0.0.15 "
		  "1.0.0.16 1.0.0.17", -E2BIG },
		/* malformed anywhere wins over too many */
		{ "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8 1.0.0.9 x",
		  -EINVAL },
		{ "1.0.0.1 1.0.0.2 1.0.0.3 1.0.0.4 1.0.0.5 1.0.0.6 1.0.0.7 1.0.0.8 1.0.0.9 ",
		  -EINVAL },
	};
	struct sym_fp_addrs a, before;
	unsigned int i;
	int err;

	memset(&before, 0x5a, sizeof(before));
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		memcpy(&a, &before, sizeof(a));
		err = parse_str(rows[i].in, &a);
		if (err != rows[i].err)
			SYM_FAIL("# \"%s\": expected %d got %d", rows[i].in,
				 rows[i].err, err);
		ASSERT_MEMEQ(&before, &a, sizeof(a));
	}
	/* An embedded NUL is just another invalid byte. */
	memcpy(&a, &before, sizeof(a));
	ASSERT_EQ(-EINVAL, sym_fp_addrs_parse("1.2.3.4\0", 8, &a));
	ASSERT_EQ(-EINVAL, sym_fp_addrs_parse("1.2.3.4\0 5.6.7.8", 16, &a));
	ASSERT_EQ(-EINVAL, sym_fp_addrs_parse("1.2.\0.4", 7, &a));
	/* A length that cuts an entry short. */
	ASSERT_EQ(-EINVAL, sym_fp_addrs_parse("1.2.3.4", 6, &a));
	ASSERT_EQ(-EINVAL, sym_fp_addrs_parse(NULL, 1, &a));
	ASSERT_MEMEQ(&before, &a, sizeof(a));
}

TEST(addrs_format_bounds)
{
	static const char longest[] =
		"255.255.255.255/31 255.255.255.255/31 255.255.255.255/31 "
		"255.255.255.255/31 255.255.255.255/31 255.255.255.255/31 "
		"255.255.255.255/31 255.255.255.255/31";
	char buf[SYM_FP_ADDRS_STR_MAX + 8];
	struct sym_fp_addrs a;
	int n = (int)strlen(longest);

	ASSERT_EQ(0, parse_str(longest, &a));
	ASSERT_EQ(SYM_FP_MAX_ADDRS, a.nr);
	ASSERT_EQ(SYM_FP_ADDRS_STR_MAX, n + 1);
	ASSERT_EQ(n, sym_fp_addrs_format(&a, buf, SYM_FP_ADDRS_STR_MAX));
	ASSERT_STREQ(longest, buf);

	/* Too small by one (no room for the NUL): buf untouched. */
	memset(buf, '#', sizeof(buf));
	ASSERT_EQ(-E2BIG, sym_fp_addrs_format(&a, buf, n));
	ASSERT_EQ('#', buf[0]);
	ASSERT_EQ(-E2BIG, sym_fp_addrs_format(&a, NULL, 0));

	ASSERT_EQ(0, parse_str("10.0.0.1", &a));
	ASSERT_EQ(-E2BIG, sym_fp_addrs_format(&a, buf, 8));
	ASSERT_EQ(8, sym_fp_addrs_format(&a, buf, 9));
	ASSERT_STREQ("10.0.0.1", buf);

	ASSERT_EQ(0, parse_str("", &a));
	ASSERT_EQ(0, sym_fp_addrs_format(&a, buf, 1));
	ASSERT_STREQ("", buf);
	ASSERT_EQ(-E2BIG, sym_fp_addrs_format(&a, buf, 0));

	/* Lists the parser cannot produce. */
	a.nr = SYM_FP_MAX_ADDRS + 1;
	ASSERT_EQ(-EINVAL, sym_fp_addrs_format(&a, buf, sizeof(buf)));
	ASSERT_EQ(0, parse_str("10.0.0.1", &a));
	a.prefix[0].len = 33;
	ASSERT_EQ(-EINVAL, sym_fp_addrs_format(&a, buf, sizeof(buf)));
}

/* Every list of up to 8 random prefixes survives format, then parse. */
TEST(addrs_round_trip_random)
{
	char buf[SYM_FP_ADDRS_STR_MAX];
	struct sym_fp_addrs a, b;
	unsigned int seed = 12345, round, i;
	int n;

	for (round = 0; round < 20000; round++) {
		memset(&a, 0, sizeof(a));
		seed = seed * 1103515245u + 12345u;
		a.nr = (seed >> 16) % (SYM_FP_MAX_ADDRS + 1);
		for (i = 0; i < a.nr; i++) {
			seed = seed * 1103515245u + 12345u;
			a.prefix[i].addr = seed ^ (seed << 13);
			seed = seed * 1103515245u + 12345u;
			a.prefix[i].len = (u8)((seed >> 16) % 33);
		}
		n = sym_fp_addrs_format(&a, buf, sizeof(buf));
		ASSERT_TRUE(n >= 0 && n < SYM_FP_ADDRS_STR_MAX);
		ASSERT_EQ(0, sym_fp_addrs_parse(buf, n, &b));
		ASSERT_TRUE(same_addrs(&a, &b));
		for (i = 0; i < a.nr; i++)
			ASSERT_TRUE(sym_fp_addrs_allow(&b, a.prefix[i].addr));
	}
}
