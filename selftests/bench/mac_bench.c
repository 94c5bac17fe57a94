// SPDX-License-Identifier: GPL-2.0
/*
 * mac_bench.c - cost of the egress hook's MAC lookup, per lookup, for 1,
 * 10, 100 and 1000 peers, hits and misses. A benchmark: it prints raw
 * figures and has no pass/fail verdict.
 *
 *   index   sym_mac_index_lookup() (mac_index.c): the fast path's own
 *           immutable hash, MAC -> domid, no copy;
 *   scan    what the hook did before: sym_peer_set_find_mac() (peer_set.c,
 *           the linear scan behind symbiont_peer_lookup_by_mac()) and, on
 *           a hit, the copy of the peer out (MAC, uuid and name strings),
 *           as the guest module's export_peer() does.
 *
 * Each row looks up QUERIES different MACs (hits: all present, visited in
 * a shuffled order; misses: none present) round after round, LOOKUPS
 * lookups in all, and reports ns per lookup, the best of REPEAT runs.
 * Peers get random locally administered unicast MACs; domids 1..n.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "mac_index.h"
#include "peer_set.h"

#define QUERIES		4096u
#define LOOKUPS		(16u * 1000 * 1000)
#define REPEAT		5

static u8 hits[QUERIES][SYM_MAC_LEN], misses[QUERIES][SYM_MAC_LEN];
static volatile u32 sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Local unicast, never zero; bit 2 of the first byte set only for misses. */
static void random_mac(u8 *mac, bool miss)
{
	unsigned int i;

	for (i = 0; i < SYM_MAC_LEN; i++)
		mac[i] = (u8)(rand() >> 7);
	mac[0] = (mac[0] & 0xf8) | 0x02 | (miss ? 0x04 : 0);
}

/* The guest module's copy of a found peer (export_peer in api.c). */
struct peer_copy {
	u16 domid;
	bool has_mac;
	u8 mac[6];
	int state;
	char uuid[37];
	char name[65];
};

/* strscpy() as the kernel does it: up to the NUL, bounded, terminated. */
static void copy_str(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = 0;
}

static double run_index(const struct sym_mac_index *idx, u8 (*q)[SYM_MAC_LEN])
{
	u32 i, acc = 0;
	double t0 = now();
	u16 domid = 0;

	for (i = 0; i < LOOKUPS; i++)
		if (!sym_mac_index_lookup(idx, q[i & (QUERIES - 1)], &domid))
			acc += domid;
	sink = acc;
	return (now() - t0) * 1e9 / LOOKUPS;
}

static double run_scan(const struct sym_peer_set *set, u8 (*q)[SYM_MAC_LEN],
		       u32 lookups)
{
	struct peer_copy out;
	u32 i, acc = 0;
	double t0 = now();

	for (i = 0; i < lookups; i++) {
		const struct sym_peer *p = sym_peer_set_find_mac(set, q[i & (QUERIES - 1)]);

		if (!p)
			continue;
		out.domid = p->domid;
		out.has_mac = p->has_mac;
		memcpy(out.mac, p->mac, sizeof(out.mac));
		out.state = p->state;
		copy_str(out.uuid, p->uuid, sizeof(out.uuid));
		copy_str(out.name, p->name, sizeof(out.name));
		__asm__ __volatile__("" : : "r"(&out) : "memory");
		acc += out.domid;
	}
	sink = acc;
	return (now() - t0) * 1e9 / lookups;
}

static double best(double a, double b)
{
	return a < b ? a : b;
}

int main(void)
{
	static const u32 sizes[] = { 1, 10, 100, 1000 };
	static u8 macs[1000][SYM_MAC_LEN];
	unsigned int s, i, r;

	srand(42);
	printf("# mac_bench: ns per lookup, best of %d runs of %u lookups over %u distinct MACs\n",
	       REPEAT, LOOKUPS, QUERIES);
	printf("%6s %6s %10s %10s %10s %10s\n", "peers", "slots", "index-hit",
	       "index-miss", "scan-hit", "scan-miss");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		u32 n = sizes[s], slots = sym_mac_index_slots(n);
		struct sym_mac_index *idx = malloc(sym_mac_index_bytes(slots));
		struct sym_peer_set *set = malloc(sym_peer_set_size(n));
		double ih = 1e9, im = 1e9, sh = 1e9, sm = 1e9;
		/* The scan costs O(n): fewer lookups keep the run short. */
		u32 scan_lookups = LOOKUPS / (n >= 100 ? n / 10 : 1);

		if (!idx || !set || sym_mac_index_init(idx, slots))
			return 1;
		sym_peer_set_init(set, n);
		for (i = 0; i < n; i++) {
			struct sym_peer p = { .domid = (u16)(i + 1), .has_mac = true,
					       .state = SYM_PEER_JOINED };

			random_mac(macs[i], false);
			memcpy(p.mac, macs[i], SYM_MAC_LEN);
			snprintf(p.uuid, sizeof(p.uuid),
				 "%08x-0000-4000-8000-%012x", i, i);
			snprintf(p.name, sizeof(p.name), "guest-%u", i);
			if (sym_mac_index_add(idx, macs[i], p.domid) ||
			    sym_peer_set_insert(set, &p))
				return 1;
		}
		for (i = 0; i < QUERIES; i++) {
			memcpy(hits[i], macs[(u32)rand() % n], SYM_MAC_LEN);
			random_mac(misses[i], true);
		}
		for (r = 0; r < REPEAT; r++) {
			ih = best(ih, run_index(idx, hits));
			im = best(im, run_index(idx, misses));
			sh = best(sh, run_scan(set, hits, scan_lookups));
			sm = best(sm, run_scan(set, misses, scan_lookups));
		}
		printf("%6u %6u %10.2f %10.2f %10.2f %10.2f\n", n, slots, ih, im,
		       sh, sm);
		fflush(stdout);
		free(idx);
		free(set);
	}
	return 0;
}
