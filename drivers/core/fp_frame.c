// SPDX-License-Identifier: GPL-2.0
/*
 * fp_frame.c - the fast path's frame validator and the parser of the vif
 * backend's "ip" list; see fp_frame.h for the rules and who calls what.
 *
 * Every byte of a frame and every field of its virtio_net_hdr is the
 * peer's choice: each offset is checked against the bytes we may read (n,
 * at most SYM_FP_FRAME_HEAD) before anything at it is read, and all
 * arithmetic is on u32 from 8- and 16-bit inputs, so nothing overflows.
 * No loop depends on the frame; the list parser loops over its own
 * caller-given length only.
 *
 * Locking/lifetime: no state.
 */
#include "fp_frame.h"

/* Offsets and sizes within the frame. */
#define FPF_ETH_TYPE		12u
#define FPF_L3			SYM_FP_ETH_HLEN
#define FPF_IPV4_HLEN		20u
#define FPF_IPV6_HLEN		40u
#define FPF_ARP_LEN		28u
#define FPF_UDP_HLEN		8u
#define FPF_TCP_HLEN		20u
#define FPF_TCP_DOFF		12u	/* data offset: the top 4 bits */
#define FPF_TCP_CSUM		16u	/* offsetof(struct tcphdr, check) */
#define FPF_UDP_CSUM		6u	/* offsetof(struct udphdr, check) */
#define FPF_DHCP_SERVER		67u
#define FPF_DHCP_CLIENT		68u
#define FPF_VNET_FLAGS		(SYM_FP_VNET_F_NEEDS_CSUM | SYM_FP_VNET_F_DATA_VALID)
#define FPF_GSO_MAX_SEGS	65535u	/* the kernel's GSO_MAX_SEGS */

/*
 * The fixed TCP or UDP header holding the partial checksum field of any
 * well-formed frame (even IPv4 with 40 bytes of options) lies within the
 * head; so does the whole TCP header of any TCPv6 GSO frame and of any
 * TCPv4 one without IP options. (More than 114 bytes of IPv4 and TCP
 * header together, long options on both, do not fit: such a GSO frame is
 * refused, and our sender sends it through the NIC.)
 */
static_assert(FPF_L3 + 60 + FPF_TCP_HLEN <= SYM_FP_FRAME_HEAD,
	      "the csum field of any frame is in the head");
static_assert(FPF_TCP_CSUM + 2 <= FPF_TCP_HLEN && FPF_UDP_CSUM + 2 <= FPF_UDP_HLEN,
	      "the csum field is within the fixed L4 header");
static_assert(FPF_L3 + FPF_IPV6_HLEN + 60 <= SYM_FP_FRAME_HEAD,
	      "the TCP header of a TCPv6 GSO frame is in the head");
/*
 * The L3 length fields are 16-bit, so a GSO frame's TCP payload is at
 * most 65535 bytes and, with gso_size >= 1, it has at most GSO_MAX_SEGS
 * segments: no separate bound is needed.
 */
static_assert(0xffffu <= FPF_GSO_MAX_SEGS, "the segment count is bounded by the L3 length");

/* What the L3 check learnt, for the offload check. */
struct fpf_l3 {
	u16 proto;	/* the ethertype */
	u8 l4_proto;	/* IP: IPv4 protocol or IPv6 next header */
	bool frag;	/* IPv4: MF set or a fragment offset */
	u32 l4;		/* IP: offset of the L4 header in the frame */
	u32 end;	/* IP: end of the datagram in the frame, <= frame_len */
};

static inline u16 fpf_be16(const u8 *p)
{
	return (u16)((u32)p[0] << 8 | p[1]);
}

static inline u32 fpf_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u16 fpf_le16(const u8 *p)
{
	return (u16)(p[0] | (u32)p[1] << 8);
}

static const char *const fpf_verdict_names[] = {
	[SYM_FP_FRAME_OK] = "ok",
	[SYM_FP_FRAME_ETHERTYPE] = "ethertype",
	[SYM_FP_FRAME_MALFORMED] = "malformed",
	[SYM_FP_FRAME_SPOOFED] = "spoofed",
	[SYM_FP_FRAME_OFFLOAD] = "offload",
};

static_assert(ARRAY_SIZE(fpf_verdict_names) == SYM_FP_FRAME_NR_VERDICTS,
	      "a name for every verdict");

const char *sym_fp_verdict_name(enum sym_fp_verdict v)
{
	if ((unsigned int)v < ARRAY_SIZE(fpf_verdict_names))
		return fpf_verdict_names[v];
	return "invalid";
}
SYM_EXPORT(sym_fp_verdict_name);

void sym_fp_vnet_decode(const u8 raw[SYM_FP_VNET_LEN], struct sym_fp_vnet *out)
{
	out->flags = raw[0];
	out->gso_type = raw[1];
	out->hdr_len = fpf_le16(raw + 2);
	out->gso_size = fpf_le16(raw + 4);
	out->csum_start = fpf_le16(raw + 6);
	out->csum_offset = fpf_le16(raw + 8);
}
SYM_EXPORT(sym_fp_vnet_decode);

static inline u32 fpf_mask(u32 len)
{
	return len ? ~0u << (32 - len) : 0;
}

bool sym_fp_addrs_allow(const struct sym_fp_addrs *a, u32 addr)
{
	u32 i;

	if (!a || !a->nr)
		return true;
	/* A count beyond the array (a caller's bug) checks the array only. */
	for (i = 0; i < a->nr && i < SYM_FP_MAX_ADDRS; i++) {
		const struct sym_fp_prefix *p = &a->prefix[i];

		if (p->len <= 32 && !((addr ^ p->addr) & fpf_mask(p->len)))
			return true;
	}
	return false;
}
SYM_EXPORT(sym_fp_addrs_allow);

static inline bool fpf_restricted(const struct sym_fp_addrs *addrs)
{
	return addrs && addrs->nr;
}

/*
 * A DHCP client's frame from 0.0.0.0: UDP 68 -> 67, the UDP header whole
 * in the head and in the datagram, not a fragment (a later fragment's
 * "ports" would be any payload).
 */
static bool fpf_dhcp_client(const u8 *h, u32 n, const struct fpf_l3 *l3,
			    u32 src)
{
	const u8 *udp;

	if (src || l3->l4_proto != SYM_FP_IPPROTO_UDP || l3->frag ||
	    l3->l4 + FPF_UDP_HLEN > n || l3->l4 + FPF_UDP_HLEN > l3->end)
		return false;
	udp = h + l3->l4;
	return fpf_be16(udp) == FPF_DHCP_CLIENT &&
	       fpf_be16(udp + 2) == FPF_DHCP_SERVER;
}

static enum sym_fp_verdict fpf_check_ipv4(const u8 *h, u32 n, u32 frame_len,
					  const struct sym_fp_addrs *addrs,
					  struct fpf_l3 *l3)
{
	const u8 *ip = h + FPF_L3;
	u32 ihl, tot_len, src;

	if (n < FPF_L3 + FPF_IPV4_HLEN || ip[0] >> 4 != 4)
		return SYM_FP_FRAME_MALFORMED;
	ihl = (ip[0] & 0xfu) * 4;
	tot_len = fpf_be16(ip + 2);
	if (ihl < FPF_IPV4_HLEN || FPF_L3 + ihl > n || tot_len < ihl ||
	    FPF_L3 + tot_len > frame_len)
		return SYM_FP_FRAME_MALFORMED;
	l3->l4_proto = ip[9];
	l3->frag = fpf_be16(ip + 6) & (SYM_FP_IP_MF | SYM_FP_IP_OFFSET);
	l3->l4 = FPF_L3 + ihl;
	l3->end = FPF_L3 + tot_len;

	src = fpf_be32(ip + 12);
	if (fpf_restricted(addrs) && !sym_fp_addrs_allow(addrs, src) &&
	    !fpf_dhcp_client(h, n, l3, src))
		return SYM_FP_FRAME_SPOOFED;
	return SYM_FP_FRAME_OK;
}

/* No address policy for IPv6 (fp_frame.h). */
static enum sym_fp_verdict fpf_check_ipv6(const u8 *h, u32 n, u32 frame_len,
					  struct fpf_l3 *l3)
{
	const u8 *ip = h + FPF_L3;
	u32 payload_len;

	if (n < FPF_L3 + FPF_IPV6_HLEN || ip[0] >> 4 != 6)
		return SYM_FP_FRAME_MALFORMED;
	payload_len = fpf_be16(ip + 4);
	if (FPF_L3 + FPF_IPV6_HLEN + payload_len > frame_len)
		return SYM_FP_FRAME_MALFORMED;
	l3->l4_proto = ip[6];
	l3->frag = false;
	l3->l4 = FPF_L3 + FPF_IPV6_HLEN;
	l3->end = FPF_L3 + FPF_IPV6_HLEN + payload_len;
	return SYM_FP_FRAME_OK;
}

/* Ethernet/IPv4 ARP only; the sender's protocol address at offset 14. */
static enum sym_fp_verdict fpf_check_arp(const u8 *h, u32 n,
					 const struct sym_fp_addrs *addrs)
{
	const u8 *arp = h + FPF_L3;
	u32 oper, spa;

	if (n < FPF_L3 + FPF_ARP_LEN)
		return SYM_FP_FRAME_MALFORMED;
	oper = fpf_be16(arp + 6);
	if (fpf_be16(arp) != 1 || fpf_be16(arp + 2) != SYM_FP_ETH_P_IP ||
	    arp[4] != 6 || arp[5] != 4 || (oper != 1 && oper != 2))
		return SYM_FP_FRAME_MALFORMED;
	spa = fpf_be32(arp + 14);
	/* 0.0.0.0: an ARP probe (RFC 5227), which claims no address. */
	if (fpf_restricted(addrs) && spa && !sym_fp_addrs_allow(addrs, spa))
		return SYM_FP_FRAME_SPOOFED;
	return SYM_FP_FRAME_OK;
}

/*
 * NEEDS_CSUM: the checksum starts at the TCP or UDP header right after
 * the IP header (not a fragment), at that protocol's checksum field. The
 * field, and the protocol's fixed header around it (20 bytes of TCP, as
 * virtio_net_hdr_to_skb() pulls them, or 8 of UDP), lie whole within the
 * head and the datagram.
 */
static bool fpf_csum_ok(const struct sym_fp_vnet *v, u32 n,
			const struct fpf_l3 *l3)
{
	u32 want, end;

	if (l3->frag || v->csum_start != l3->l4)
		return false;
	if (l3->l4_proto == SYM_FP_IPPROTO_TCP) {
		want = FPF_TCP_CSUM;
		end = l3->l4 + FPF_TCP_HLEN;
	} else if (l3->l4_proto == SYM_FP_IPPROTO_UDP) {
		want = FPF_UDP_CSUM;
		end = l3->l4 + FPF_UDP_HLEN;
	} else {
		return false;
	}
	if (v->csum_offset != want)
		return false;
	/* The csum field ends within the fixed header: end covers both. */
	return end <= n && end <= l3->end;
}

/*
 * GSO (TCPv4 on IPv4, TCPv6 on IPv6, checked by the caller): a partial
 * checksum, TCP right after the IP header, not a fragment, a gso_size
 * the kernel takes, the whole TCP header in the head, and at least one
 * byte of payload in the datagram (one segment is fine).
 */
static bool fpf_gso_ok(const struct sym_fp_vnet *v, const u8 *h, u32 n,
		       const struct fpf_l3 *l3)
{
	u32 thlen;

	if (!(v->flags & SYM_FP_VNET_F_NEEDS_CSUM) || l3->frag ||
	    l3->l4_proto != SYM_FP_IPPROTO_TCP)
		return false;
	if (!v->gso_size || v->gso_size == SYM_FP_GSO_BY_FRAGS)
		return false;
	if (l3->l4 + FPF_TCP_HLEN > n)
		return false;
	thlen = (h[l3->l4 + FPF_TCP_DOFF] >> 4) * 4u;
	if (thlen < FPF_TCP_HLEN || l3->l4 + thlen > n)
		return false;
	return l3->l4 + thlen < l3->end;
}

static enum sym_fp_verdict fpf_check_offload(const struct sym_fp_vnet *v,
					     const u8 *h, u32 n, u32 frame_len,
					     const struct fpf_l3 *l3)
{
	if ((v->flags & ~FPF_VNET_FLAGS) ||
	    (v->flags & FPF_VNET_FLAGS) == FPF_VNET_FLAGS)
		return SYM_FP_FRAME_OFFLOAD;
	/* Linux recomputes hdr_len; it only has to be plausible. */
	if (v->hdr_len > frame_len)
		return SYM_FP_FRAME_OFFLOAD;

	switch (v->gso_type) {
	case SYM_FP_VNET_GSO_NONE:
		if (v->gso_size)
			return SYM_FP_FRAME_OFFLOAD;
		break;
	case SYM_FP_VNET_GSO_TCPV4:
		if (l3->proto != SYM_FP_ETH_P_IP)
			return SYM_FP_FRAME_OFFLOAD;
		break;
	case SYM_FP_VNET_GSO_TCPV6:
		if (l3->proto != SYM_FP_ETH_P_IPV6)
			return SYM_FP_FRAME_OFFLOAD;
		break;
	default:	/* UDP, UDP_L4, the ECN bit, anything else */
		return SYM_FP_FRAME_OFFLOAD;
	}

	/* ARP: no GSO (refused above), no checksum flag either. */
	if (l3->proto == SYM_FP_ETH_P_ARP)
		return v->flags ? SYM_FP_FRAME_OFFLOAD : SYM_FP_FRAME_OK;
	if ((v->flags & SYM_FP_VNET_F_NEEDS_CSUM) && !fpf_csum_ok(v, n, l3))
		return SYM_FP_FRAME_OFFLOAD;
	if (v->gso_type != SYM_FP_VNET_GSO_NONE && !fpf_gso_ok(v, h, n, l3))
		return SYM_FP_FRAME_OFFLOAD;
	return SYM_FP_FRAME_OK;
}

enum sym_fp_verdict sym_fp_frame_check(const struct sym_fp_vnet *vnet,
				       const u8 *head, u32 head_len,
				       u32 frame_len,
				       const struct sym_fp_addrs *addrs)
{
	/* Only these bytes are read: the verdict is the frame's alone. */
	u32 n = sym_fp_frame_head_len(frame_len);
	struct fpf_l3 l3 = { 0 };
	enum sym_fp_verdict ver;

	if (frame_len < SYM_FP_ETH_HLEN || head_len < n)
		return SYM_FP_FRAME_MALFORMED;
	l3.proto = fpf_be16(head + FPF_ETH_TYPE);
	switch (l3.proto) {
	case SYM_FP_ETH_P_IP:
		ver = fpf_check_ipv4(head, n, frame_len, addrs, &l3);
		break;
	case SYM_FP_ETH_P_IPV6:
		ver = fpf_check_ipv6(head, n, frame_len, &l3);
		break;
	case SYM_FP_ETH_P_ARP:
		ver = fpf_check_arp(head, n, addrs);
		break;
	default:	/* VLAN tags (0x8100, 0x88a8, 0x9100) included */
		return SYM_FP_FRAME_ETHERTYPE;
	}
	if (ver != SYM_FP_FRAME_OK)
		return ver;
	return fpf_check_offload(vnet, head, n, frame_len, &l3);
}
SYM_EXPORT(sym_fp_frame_check);

/*
 * One decimal number at s[*pos]: 1 to 3 digits, no leading zero, at most
 * max. Advances *pos past it.
 */
static int fpf_parse_dec(const char *s, size_t len, size_t *pos, u32 max,
			 u32 *out)
{
	unsigned int digits = 0;
	size_t i = *pos;
	u32 v = 0;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if ((digits && !v) || ++digits > 3)
			return -EINVAL;
		v = v * 10 + (u32)(s[i] - '0');
		i++;
	}
	if (!digits || v > max)
		return -EINVAL;
	*pos = i;
	*out = v;
	return 0;
}

/* "a.b.c.d" or "a.b.c.d/n" at s[*pos]. Advances *pos past it. */
static int fpf_parse_prefix(const char *s, size_t len, size_t *pos,
			    struct sym_fp_prefix *out)
{
	u32 addr = 0, v, plen = 32;
	int i;

	for (i = 0; i < 4; i++) {
		if (i) {
			if (*pos >= len || s[*pos] != '.')
				return -EINVAL;
			(*pos)++;
		}
		if (fpf_parse_dec(s, len, pos, 255, &v))
			return -EINVAL;
		addr = addr << 8 | v;
	}
	if (*pos < len && s[*pos] == '/') {
		(*pos)++;
		if (fpf_parse_dec(s, len, pos, 32, &plen))
			return -EINVAL;
	}
	out->addr = addr;
	out->len = (u8)plen;
	return 0;
}

int sym_fp_addrs_parse(const char *s, size_t len, struct sym_fp_addrs *out)
{
	struct sym_fp_prefix p;
	struct sym_fp_addrs a;
	size_t pos = 0;
	u32 nr = 0;

	if (!s && len)
		return -EINVAL;
	memset(&a, 0, sizeof(a));
	memset(&p, 0, sizeof(p));	/* padding too: *out is all defined */
	/* Malformed anywhere is -EINVAL, even after the 8th entry. */
	while (pos < len) {
		if (nr) {
			if (s[pos] != ' ')
				return -EINVAL;
			while (pos < len && s[pos] == ' ')
				pos++;
			if (pos == len)
				return -EINVAL;	/* trailing spaces */
		}
		if (fpf_parse_prefix(s, len, &pos, &p))
			return -EINVAL;
		if (nr < SYM_FP_MAX_ADDRS)
			a.prefix[nr] = p;
		if (nr <= SYM_FP_MAX_ADDRS)
			nr++;
	}
	if (nr > SYM_FP_MAX_ADDRS)
		return -E2BIG;
	a.nr = nr;
	*out = a;
	return 0;
}
SYM_EXPORT(sym_fp_addrs_parse);

int sym_fp_addrs_format(const struct sym_fp_addrs *a, char *buf, size_t size)
{
	char tmp[SYM_FP_ADDRS_STR_MAX];
	size_t off = 0;
	u32 i;

	if (a->nr > SYM_FP_MAX_ADDRS)
		return -EINVAL;
	for (i = 0; i < a->nr; i++) {
		const struct sym_fp_prefix *p = &a->prefix[i];

		if (p->len > 32)
			return -EINVAL;
		off += snprintf(tmp + off, sizeof(tmp) - off, "%s%u.%u.%u.%u",
				i ? " " : "", p->addr >> 24,
				(p->addr >> 16) & 0xffu, (p->addr >> 8) & 0xffu,
				p->addr & 0xffu);
		if (p->len < 32)
			off += snprintf(tmp + off, sizeof(tmp) - off, "/%u",
					(unsigned int)p->len);
	}
	tmp[off] = '\0';
	if (off >= size)
		return -E2BIG;
	memcpy(buf, tmp, off + 1);
	return (int)off;
}
SYM_EXPORT(sym_fp_addrs_format);
