/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xs_parse.h - strict parsers for the XenStore values of the symbiont
 * protocol (Documentation/protocol.md).
 *
 * Data flow: the kernel glue reads a node with xenbus_read() and hands the
 * bytes and their length straight to one of these parsers; the tools do the
 * same with libxenstore. Every value a guest can write is treated as hostile,
 * so each parser checks, in this order: s is not NULL, len is at most
 * SYM_XS_VALUE_MAX, then the exact grammar over all len bytes (an embedded NUL
 * is just another invalid byte). There is no whitespace trimming, no sign,
 * no leading zero and no prefix or suffix.
 *
 * Return values: 0 on success; -EINVAL for anything malformed; -ERANGE for
 * a well-formed number that does not fit; -ENOSPC only for a caller bug (an
 * output buffer too small). Outputs are written only on success.
 *
 * Locking/lifetime: pure functions on caller-owned memory; no state, no
 * allocation, callable from any context.
 */
#ifndef SYM_XS_PARSE_H
#define SYM_XS_PARSE_H

#include "sym_compat.h"

/* The value of data/symbiont/version: the protocol these parsers implement. */
#define SYM_PROTOCOL_VERSION	"1"

/* Longest value any parser looks at; anything longer is rejected first. */
#define SYM_XS_VALUE_MAX	2048

/* Xen's DOMID_FIRST_RESERVED: domids from here up are not real domains. */
#define SYM_DOMID_FIRST_RESERVED	0x7FF0
#define SYM_DOMID_MAX		(SYM_DOMID_FIRST_RESERVED - 1)

#define SYM_MAC_LEN		6
#define SYM_MAC_STR_LEN		17	/* "xx:xx:xx:xx:xx:xx" */
#define SYM_UUID_STR_LEN	36	/* 8-4-4-4-12 */
#define SYM_NAME_MAX		64	/* [A-Za-z0-9_.-]{1,64} */

/* Decimal, 1 to 20 digits, "0" or no leading zero; above U64_MAX: -ERANGE. */
int sym_parse_u64(const char *s, size_t len, u64 *out);

/* Decimal u64 grammar, then 0..SYM_DOMID_MAX; above that: -ERANGE. */
int sym_parse_domid(const char *s, size_t len, u16 *out);

/* Exactly "xx:xx:xx:xx:xx:xx", hex digits of either case. */
int sym_parse_mac(const char *s, size_t len, u8 mac[SYM_MAC_LEN]);
/* True unless the group bit (bit 0 of the first octet) is set. */
bool sym_mac_is_unicast(const u8 mac[SYM_MAC_LEN]);
/* Lower-case "xx:xx:xx:xx:xx:xx" plus NUL. */
void sym_format_mac(const u8 mac[SYM_MAC_LEN], char out[SYM_MAC_STR_LEN + 1]);

/* Canonical 8-4-4-4-12 hex uuid of either case; out is lower case + NUL. */
int sym_parse_uuid(const char *s, size_t len, char out[SYM_UUID_STR_LEN + 1]);

/* The value of /local/domain/<d>/vm: exactly "/vm/<uuid>". */
int sym_parse_vm_path(const char *s, size_t len, char uuid[SYM_UUID_STR_LEN + 1]);

/* A guest's data/symbiont/state, as dom0 reads it back. */
enum sym_announce {
	SYM_ANNOUNCE_ABSENT,
	SYM_ANNOUNCE_JOINED,
	SYM_ANNOUNCE_MIGRATING,
	SYM_ANNOUNCE_LEAVING,
};

/*
 * s == NULL means the node does not exist: SYM_ANNOUNCE_ABSENT, returns 0.
 * Otherwise exactly "joined", "migrating" or "leaving"; anything else,
 * including the empty string, is malformed (-EINVAL).
 */
int sym_parse_announce(const char *s, size_t len, enum sym_announce *out);
/* "absent", "joined", "migrating", "leaving"; "invalid" for other values. */
const char *sym_announce_name(enum sym_announce ann);

/*
 * A guest's data/symbiont/origin, its own (untrusted) claim of where its
 * announcement comes from: "boot" (the module was loaded in this domain
 * and has seen no resume since) or "resume" (the domain was restored or
 * its suspend cancelled). It only ever chooses between join and
 * migrate-in; absent (a version-1 guest before it) is UNKNOWN.
 */
enum sym_origin {
	SYM_ORIGIN_UNKNOWN,
	SYM_ORIGIN_BOOT,
	SYM_ORIGIN_RESUME,
};

/* s == NULL: UNKNOWN, returns 0; else exactly "boot" or "resume", or -EINVAL. */
int sym_parse_origin(const char *s, size_t len, enum sym_origin *out);
/* "unknown", "boot", "resume"; "invalid" for other values. */
const char *sym_origin_name(enum sym_origin origin);

/*
 * VM and group names: [A-Za-z0-9_.-]{1,64}. out gets the name plus NUL;
 * -ENOSPC if outsz < len + 1.
 */
int sym_parse_name(const char *s, size_t len, char *out, size_t outsz);

#endif /* SYM_XS_PARSE_H */
