// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_xs_parse.c - libFuzzer target for the XenStore value parsers.
 *
 * Each input is handed, as an unterminated buffer of exactly its size, to
 * every parser in drivers/core/xs_parse.c (ASan catches any read past len).
 * Whatever a parser accepts must round-trip: the canonical form it implies
 * is re-derived and compared with the input, and formatted values must parse
 * back to the same bytes. A broken invariant aborts, which libFuzzer reports.
 * Single-threaded, as libFuzzer calls the target.
 */
#include <stdlib.h>
#include "xs_parse.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static bool is_lower_of(const char *lower, const char *orig, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = orig[i];

		if (c >= 'A' && c <= 'F')
			c = c - 'A' + 'a';
		if (lower[i] != c)
			return false;
	}
	return true;
}

static void check_u64(const char *s, size_t len)
{
	char text[21];
	u64 value, again;
	u16 domid;
	int n = 0, ret, domid_ret;

	ret = sym_parse_u64(s, len, &value);
	CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE);
	domid_ret = sym_parse_domid(s, len, &domid);
	if (ret) {
		CHECK(domid_ret == ret);
		return;
	}
	/* Accepted means canonical: printing it back gives the same bytes. */
	n = snprintf(text, sizeof(text), "%llu", (unsigned long long)value);
	CHECK((size_t)n == len && !memcmp(text, s, len));
	CHECK(sym_parse_u64(text, n, &again) == 0 && again == value);
	if (value <= SYM_DOMID_MAX)
		CHECK(domid_ret == 0 && domid == value);
	else
		CHECK(domid_ret == -ERANGE);
}

static void check_mac(const char *s, size_t len)
{
	u8 mac[SYM_MAC_LEN], again[SYM_MAC_LEN];
	char text[SYM_MAC_STR_LEN + 1];
	int ret = sym_parse_mac(s, len, mac);

	CHECK(ret == 0 || ret == -EINVAL);
	if (ret)
		return;
	CHECK(len == SYM_MAC_STR_LEN);
	sym_format_mac(mac, text);
	CHECK(strlen(text) == SYM_MAC_STR_LEN && is_lower_of(text, s, len));
	CHECK(sym_parse_mac(text, SYM_MAC_STR_LEN, again) == 0);
	CHECK(!memcmp(mac, again, sizeof(mac)));
	CHECK(sym_mac_is_unicast(mac) == !(mac[0] & 1));
}

static void check_uuid(const char *s, size_t len)
{
	char uuid[SYM_UUID_STR_LEN + 1], again[SYM_UUID_STR_LEN + 1];
	char path_uuid[SYM_UUID_STR_LEN + 1];
	int ret = sym_parse_uuid(s, len, uuid);
	int path_ret;

	CHECK(ret == 0 || ret == -EINVAL);
	if (!ret) {
		CHECK(len == SYM_UUID_STR_LEN && strlen(uuid) == SYM_UUID_STR_LEN);
		CHECK(is_lower_of(uuid, s, len));
		CHECK(sym_parse_uuid(uuid, SYM_UUID_STR_LEN, again) == 0);
		CHECK(!strcmp(uuid, again));
	}

	path_ret = sym_parse_vm_path(s, len, path_uuid);
	CHECK(path_ret == 0 || path_ret == -EINVAL);
	if (!path_ret) {
		CHECK(len == 4 + SYM_UUID_STR_LEN && !memcmp(s, "/vm/", 4));
		CHECK(sym_parse_uuid(s + 4, len - 4, again) == 0);
		CHECK(!strcmp(path_uuid, again));
	}
}

static void check_announce(const char *s, size_t len)
{
	enum sym_announce ann;
	int ret = sym_parse_announce(s, len, &ann);
	const char *name;

	CHECK(ret == 0 || ret == -EINVAL);
	if (ret)
		return;
	CHECK(ann != SYM_ANNOUNCE_ABSENT);
	name = sym_announce_name(ann);
	CHECK(strlen(name) == len && !memcmp(name, s, len));
}

static void check_origin(const char *s, size_t len)
{
	enum sym_origin origin;
	int ret = sym_parse_origin(s, len, &origin);
	const char *name;

	CHECK(ret == 0 || ret == -EINVAL);
	if (ret)
		return;
	CHECK(origin == SYM_ORIGIN_BOOT || origin == SYM_ORIGIN_RESUME);
	name = sym_origin_name(origin);
	CHECK(strlen(name) == len && !memcmp(name, s, len));
}

static void check_name(const char *s, size_t len)
{
	char out[SYM_NAME_MAX + 1], tiny[4];
	int ret = sym_parse_name(s, len, out, sizeof(out));

	CHECK(ret == 0 || ret == -EINVAL);
	if (!ret) {
		CHECK(len >= 1 && len <= SYM_NAME_MAX);
		CHECK(strlen(out) == len && !memcmp(out, s, len));
	}
	ret = sym_parse_name(s, len, tiny, sizeof(tiny));
	CHECK(ret == 0 || ret == -EINVAL || ret == -ENOSPC);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_u64(s, size);
	check_mac(s, size);
	check_uuid(s, size);
	check_announce(s, size);
	check_origin(s, size);
	check_name(s, size);
	return 0;
}
