// SPDX-License-Identifier: GPL-2.0
/*
 * xs_parse.c - strict parsers for symbiont XenStore values.
 *
 * Each parser takes the raw bytes of one XenStore value (not necessarily
 * NUL-terminated) and either fills its output and returns 0, or leaves the
 * output untouched and returns a negative errno. Grammar and error rules are
 * described in xs_parse.h; the guiding rule is that a guest controls these
 * bytes, so every byte is checked and nothing is read past len.
 *
 * Locking/lifetime: no state; caller serialises access to its own buffers.
 */
#include "xs_parse.h"

static bool sym_value_ok(const char *s, size_t len)
{
	return s && len <= SYM_XS_VALUE_MAX;
}

static int sym_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool sym_is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int sym_parse_u64(const char *s, size_t len, u64 *out)
{
	u64 value = 0;
	size_t i;

	if (!sym_value_ok(s, len) || len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	if (s[0] == '0' && len > 1)
		return -EINVAL;
	if (len > 20)
		return -ERANGE;

	for (i = 0; i < len; i++) {
		unsigned int digit = s[i] - '0';

		if (value > (U64_MAX - digit) / 10)
			return -ERANGE;
		value = value * 10 + digit;
	}
	*out = value;
	return 0;
}
SYM_EXPORT(sym_parse_u64);

int sym_parse_domid(const char *s, size_t len, u16 *out)
{
	u64 value;
	int ret;

	ret = sym_parse_u64(s, len, &value);
	if (ret)
		return ret;
	if (value > SYM_DOMID_MAX)
		return -ERANGE;
	*out = (u16)value;
	return 0;
}
SYM_EXPORT(sym_parse_domid);

int sym_parse_mac(const char *s, size_t len, u8 mac[SYM_MAC_LEN])
{
	u8 bytes[SYM_MAC_LEN];
	size_t i;

	if (!sym_value_ok(s, len) || len != SYM_MAC_STR_LEN)
		return -EINVAL;

	for (i = 0; i < SYM_MAC_LEN; i++) {
		const char *pair = s + i * 3;
		int hi = sym_hex_digit(pair[0]);
		int lo = sym_hex_digit(pair[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (i < SYM_MAC_LEN - 1 && pair[2] != ':')
			return -EINVAL;
		bytes[i] = (u8)(hi << 4 | lo);
	}
	memcpy(mac, bytes, sizeof(bytes));
	return 0;
}
SYM_EXPORT(sym_parse_mac);

bool sym_mac_is_unicast(const u8 mac[SYM_MAC_LEN])
{
	return !(mac[0] & 0x01);
}

void sym_format_mac(const u8 mac[SYM_MAC_LEN], char out[SYM_MAC_STR_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < SYM_MAC_LEN; i++) {
		out[i * 3] = hex[mac[i] >> 4];
		out[i * 3 + 1] = hex[mac[i] & 0x0f];
		out[i * 3 + 2] = ':';
	}
	out[SYM_MAC_STR_LEN] = '\0';
}
SYM_EXPORT(sym_format_mac);

int sym_parse_uuid(const char *s, size_t len, char out[SYM_UUID_STR_LEN + 1])
{
	char canonical[SYM_UUID_STR_LEN + 1];
	size_t i;

	if (!sym_value_ok(s, len) || len != SYM_UUID_STR_LEN)
		return -EINVAL;

	for (i = 0; i < SYM_UUID_STR_LEN; i++) {
		bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
		int digit;

		if (dash_here) {
			if (s[i] != '-')
				return -EINVAL;
			canonical[i] = '-';
			continue;
		}
		digit = sym_hex_digit(s[i]);
		if (digit < 0)
			return -EINVAL;
		canonical[i] = "0123456789abcdef"[digit];
	}
	canonical[SYM_UUID_STR_LEN] = '\0';
	memcpy(out, canonical, sizeof(canonical));
	return 0;
}
SYM_EXPORT(sym_parse_uuid);

int sym_parse_vm_path(const char *s, size_t len, char uuid[SYM_UUID_STR_LEN + 1])
{
	static const char prefix[] = "/vm/";
	const size_t prefix_len = sizeof(prefix) - 1;

	if (!sym_value_ok(s, len) || len != prefix_len + SYM_UUID_STR_LEN)
		return -EINVAL;
	if (memcmp(s, prefix, prefix_len))
		return -EINVAL;
	return sym_parse_uuid(s + prefix_len, SYM_UUID_STR_LEN, uuid);
}
SYM_EXPORT(sym_parse_vm_path);

/*
 * Which of words[1..nr) s spells exactly, or 0 (words[0] is the value
 * that has no spelling: absent, unknown). A node's value of a few words.
 */
static unsigned int sym_match_word(const char *s, size_t len,
				   const char *const words[], unsigned int nr)
{
	unsigned int i;

	if (len > SYM_XS_VALUE_MAX)
		return 0;
	for (i = 1; i < nr; i++)
		if (len == strlen(words[i]) && !memcmp(s, words[i], len))
			return i;
	return 0;
}

static const char *sym_word_name(unsigned int i, const char *const words[],
				 unsigned int nr)
{
	return i < nr ? words[i] : "invalid";
}

static const char *const sym_announce_names[] = {
	[SYM_ANNOUNCE_ABSENT] = "absent",
	[SYM_ANNOUNCE_JOINED] = "joined",
	[SYM_ANNOUNCE_MIGRATING] = "migrating",
	[SYM_ANNOUNCE_LEAVING] = "leaving",
};

int sym_parse_announce(const char *s, size_t len, enum sym_announce *out)
{
	unsigned int i;

	if (!s) {
		*out = SYM_ANNOUNCE_ABSENT;
		return 0;
	}
	/* ABSENT has no spelling: the guest cannot write it. */
	i = sym_match_word(s, len, sym_announce_names,
			   ARRAY_SIZE(sym_announce_names));
	if (!i)
		return -EINVAL;
	*out = (enum sym_announce)i;
	return 0;
}
SYM_EXPORT(sym_parse_announce);

const char *sym_announce_name(enum sym_announce ann)
{
	return sym_word_name(ann, sym_announce_names,
			     ARRAY_SIZE(sym_announce_names));
}
SYM_EXPORT(sym_announce_name);

static const char *const sym_origin_names[] = {
	[SYM_ORIGIN_UNKNOWN] = "unknown",
	[SYM_ORIGIN_BOOT] = "boot",
	[SYM_ORIGIN_RESUME] = "resume",
};

int sym_parse_origin(const char *s, size_t len, enum sym_origin *out)
{
	unsigned int i;

	if (!s) {
		*out = SYM_ORIGIN_UNKNOWN;
		return 0;
	}
	/* UNKNOWN has no spelling either. */
	i = sym_match_word(s, len, sym_origin_names,
			   ARRAY_SIZE(sym_origin_names));
	if (!i)
		return -EINVAL;
	*out = (enum sym_origin)i;
	return 0;
}
SYM_EXPORT(sym_parse_origin);

const char *sym_origin_name(enum sym_origin origin)
{
	return sym_word_name(origin, sym_origin_names,
			     ARRAY_SIZE(sym_origin_names));
}
SYM_EXPORT(sym_origin_name);

int sym_parse_name(const char *s, size_t len, char *out, size_t outsz)
{
	size_t i;

	if (!sym_value_ok(s, len) || len == 0 || len > SYM_NAME_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (!sym_is_name_char(s[i]))
			return -EINVAL;
	if (outsz < len + 1)
		return -ENOSPC;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}
SYM_EXPORT(sym_parse_name);
