/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fp_frame.h - the strict validator of the frames a fast-path peer puts
 * in our ring (issue 10 item 6), and of the IPv4 address list Xen's vif
 * backend carries in its "ip" node.
 *
 * What: sym_fp_frame_check() looks at one ring message's virtio_net_hdr
 * (struct sym_fp_vnet, host order) and at the first bytes of its
 * Ethernet frame, and answers OK or the first rule the frame breaks:
 *   - ethertype: IPv4, IPv6 or ARP only; no VLAN tag (0x8100, 0x88a8,
 *     0x9100) and nothing else;
 *   - L3: the IPv4, IPv6 or ARP header is whole and consistent with the
 *     frame's length (trailing Ethernet padding is allowed);
 *   - addresses: the IPv4 source, or the ARP sender's protocol address,
 *     is within the guest's list (struct sym_fp_addrs), except a DHCP
 *     client's frame from 0.0.0.0 (UDP 68 -> 67; Xen's vif hotplug script
 *     lets it through as well, from any source: a renewal from an address
 *     outside the list is refused here) and an ARP probe from 0.0.0.0
 *     (RFC 5227);
 *   - offload: the GSO and checksum metadata is what Linux netback accepts
 *     from a netfront (TCPv4/TCPv6 GSO with gso_size > 0) and what
 *     virtio_net_hdr_to_skb() accepts, and stricter: GSO needs
 *     NEEDS_CSUM, a partial checksum must start exactly at the TCP or UDP
 *     header that follows the IP header (not a fragment), whose fixed
 *     part (20 or 8 bytes) lies within the datagram and the first
 *     SYM_FP_FRAME_HEAD bytes, as does a GSO frame's whole TCP header; a
 *     GSO frame carries at least one byte of TCP payload; ARP carries no
 *     offload at all.
 * The checks run in that order; the verdict is the first one that fails
 * (so a spoofed frame with bad offload metadata counts as spoofed).
 *
 * IPv6 has no address policy: Xen 4.17's vif scripts filter IPv4 only
 * (vif-common.sh, handle_iptable), and we enforce no more than the
 * backend would on the same guest's frames through the NIC.
 *
 * Stricter than netback: a partial checksum or GSO behind an IPv6
 * extension header (netback's skb_checksum_setup() walks the extension
 * headers and recomputes the offsets) is refused here, as is UFO and the
 * ECN GSO bit. That is safe because our own sender runs every frame
 * through this same function (addrs NULL) before it enters the ring and
 * sends anything it refuses through the NIC instead: a well-behaved
 * peer's frame is never refused for its type or its offload metadata.
 *
 * Data flow: rx.c calls sym_fp_frame_check() on every received frame,
 * with the peer's list from its vif backend, before
 * virtio_net_hdr_to_skb() and before anything else looks at the frame;
 * anything but SYM_FP_FRAME_OK is dropped and counted under
 * sym_fp_verdict_name(). tx.c calls it (sym_fp_frame_sendable()) on every
 * frame of its own before the frame enters the ring. The verdict depends
 * on the frame alone, not on how much of it the caller made linear: only
 * the first min(frame_len, SYM_FP_FRAME_HEAD) bytes are read, whatever
 * head_len, so sender and receiver reach the same verdict.
 *
 * sym_fp_addrs_parse() reads the backend's "ip" node (written by the
 * toolstack, never by the guest) into a struct sym_fp_addrs.
 *
 * Pure C (sym_compat.h only), so userspace unit tests and a libFuzzer
 * target build it. No state, no allocation, no locks: callable from any
 * context, including NAPI. Nothing loops on a peer-chosen count.
 */
#ifndef SYM_FP_FRAME_H
#define SYM_FP_FRAME_H

#include "sym_compat.h"

/* Ethernet. */
#define SYM_FP_ETH_HLEN			14u
#define SYM_FP_ETH_P_IP			0x0800u
#define SYM_FP_ETH_P_ARP		0x0806u
#define SYM_FP_ETH_P_IPV6		0x86ddu

/* IP protocol numbers, and the IPv4 fragment bits of frag_off. */
#define SYM_FP_IPPROTO_TCP		6u
#define SYM_FP_IPPROTO_UDP		17u
#define SYM_FP_IP_MF			0x2000u
#define SYM_FP_IP_OFFSET		0x1fffu

/* struct virtio_net_hdr, include/uapi/linux/virtio_net.h. */
#define SYM_FP_VNET_LEN			10u	/* bytes on the wire */
#define SYM_FP_VNET_F_NEEDS_CSUM	1u
#define SYM_FP_VNET_F_DATA_VALID	2u
#define SYM_FP_VNET_GSO_NONE		0u
#define SYM_FP_VNET_GSO_TCPV4		1u
#define SYM_FP_VNET_GSO_TCPV6		4u
/* The kernel's GSO_BY_FRAGS: a gso_size virtio_net_hdr_to_skb() refuses. */
#define SYM_FP_GSO_BY_FRAGS		0xffffu

/* virtio_net_hdr fields, already converted to host order by the caller. */
struct sym_fp_vnet {
	u8 flags;
	u8 gso_type;
	u16 hdr_len;
	u16 gso_size;
	u16 csum_start;		/* from the start of the Ethernet header */
	u16 csum_offset;	/* from csum_start */
};

#define SYM_FP_MAX_ADDRS		8
/* IPv4, host order; prefix length 0..32. */
struct sym_fp_prefix {
	u32 addr;
	u8 len;
};

/* nr == 0: no restriction. */
struct sym_fp_addrs {
	u32 nr;
	struct sym_fp_prefix prefix[SYM_FP_MAX_ADDRS];
};

/* Longest canonical list plus NUL: 8 x "255.255.255.255/31", 7 spaces. */
#define SYM_FP_ADDRS_STR_MAX		(SYM_FP_MAX_ADDRS * 19)

/* Bytes the caller must provide linear (the whole frame if shorter). */
#define SYM_FP_FRAME_HEAD		128u

enum sym_fp_verdict {
	SYM_FP_FRAME_OK = 0,
	SYM_FP_FRAME_ETHERTYPE,	/* not IPv4, IPv6 or ARP; VLAN-tagged included */
	SYM_FP_FRAME_MALFORMED,	/* L3 header truncated or inconsistent */
	SYM_FP_FRAME_SPOOFED,	/* IPv4 source / ARP sender outside addrs */
	SYM_FP_FRAME_OFFLOAD,	/* GSO/checksum metadata invalid */
	SYM_FP_FRAME_NR_VERDICTS
};

/* "ok", "ethertype", "malformed", "spoofed", "offload"; else "invalid". */
const char *sym_fp_verdict_name(enum sym_fp_verdict v);

/* How many bytes of a frame_len-byte frame the caller must make linear. */
static inline u32 sym_fp_frame_head_len(u32 frame_len)
{
	return frame_len < SYM_FP_FRAME_HEAD ? frame_len : SYM_FP_FRAME_HEAD;
}

/*
 * Checks one frame: head holds its first head_len bytes (from the
 * destination MAC), frame_len is its whole length. head_len must be at
 * least sym_fp_frame_head_len(frame_len) (else MALFORMED: fail closed on
 * a caller's mistake); bytes beyond that are never read. addrs NULL or
 * with nr == 0: no address policy. Every value in vnet and in the frame
 * may be hostile.
 */
enum sym_fp_verdict sym_fp_frame_check(const struct sym_fp_vnet *vnet,
				       const u8 *head, u32 head_len,
				       u32 frame_len,
				       const struct sym_fp_addrs *addrs);

/*
 * The sender's side: may this frame of our own go into the ring? The
 * same rules with no address policy (the peer applies its own view of
 * ours); a frame refused here goes through the NIC instead.
 */
static inline bool sym_fp_frame_sendable(const struct sym_fp_vnet *vnet,
					 const u8 *head, u32 head_len,
					 u32 frame_len)
{
	return sym_fp_frame_check(vnet, head, head_len, frame_len, NULL) ==
	       SYM_FP_FRAME_OK;
}

/* The 10 wire bytes of a virtio_net_hdr (little-endian) in host order. */
void sym_fp_vnet_decode(const u8 raw[SYM_FP_VNET_LEN], struct sym_fp_vnet *out);

/*
 * Parses the Xen vif backend's "ip" node: IPv4 addresses "a.b.c.d" or
 * "a.b.c.d/n" separated by one or more spaces, nothing before the first
 * or after the last. Strict decimal: no leading zero except "0" itself,
 * each octet at most 255, n at most 32; host bits may be set (iptables
 * allows it) and are kept. The empty string (len 0) is nr = 0, no
 * restriction. Returns 0, -EINVAL for anything malformed anywhere
 * (a string of spaces only included: to Xen's script that means "no
 * address but DHCP", which nr = 0 cannot say), else -E2BIG for more than
 * SYM_FP_MAX_ADDRS entries. *out is written only on success.
 */
int sym_fp_addrs_parse(const char *s, size_t len, struct sym_fp_addrs *out);

/*
 * Writes the canonical form ("a.b.c.d/n" for n < 32, "a.b.c.d" for /32,
 * one space between entries) and a NUL into buf; returns its length
 * (without the NUL), -E2BIG if buf is too small (SYM_FP_ADDRS_STR_MAX
 * always suffices), -EINVAL if a is not something sym_fp_addrs_parse()
 * could have produced. Parsing the result gives a back.
 */
int sym_fp_addrs_format(const struct sym_fp_addrs *a, char *buf, size_t size);

/* True if a is NULL or empty, or addr (host order) is in one of its prefixes. */
bool sym_fp_addrs_allow(const struct sym_fp_addrs *a, u32 addr);

#endif /* SYM_FP_FRAME_H */
