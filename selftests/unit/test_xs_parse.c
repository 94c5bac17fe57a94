// SPDX-License-Identifier: GPL-2.0
/*
 * test_xs_parse.c - unit tests for the XenStore value parsers.
 *
 * Feeds valid values and hostile ones (huge, empty, NULL, embedded NUL,
 * signs, spaces, leading zeros, overflow, wrong separators) to every parser
 * and checks both the return code and that outputs are untouched on error.
 * Single-threaded; each test owns its buffers.
 */
#include "harness.h"
#include "xs_parse.h"

/* Calls fn on a string literal with its length, embedded NULs included. */
#define PARSE(fn, str, ...) fn((str), sizeof(str) - 1, __VA_ARGS__)

static char huge[4096];

static const char *huge_digits(void)
{
	memset(huge, '1', sizeof(huge));
	return huge;
}

TEST(u64_accepts_plain_decimal)
{
	u64 v = 99;

	ASSERT_EQ(0, PARSE(sym_parse_u64, "0", &v));
	ASSERT_EQ(0, v);
	ASSERT_EQ(0, PARSE(sym_parse_u64, "1", &v));
	ASSERT_EQ(1, v);
	ASSERT_EQ(0, PARSE(sym_parse_u64, "1234567890", &v));
	ASSERT_EQ(1234567890ULL, v);
	ASSERT_EQ(0, PARSE(sym_parse_u64, "18446744073709551615", &v));
	ASSERT_TRUE(v == UINT64_MAX);
}

TEST(u64_uses_len_not_nul)
{
	u64 v = 0;

	ASSERT_EQ(0, sym_parse_u64("12345", 3, &v));
	ASSERT_EQ(123, v);
}

TEST(u64_rejects_overflow)
{
	u64 v = 7;

	ASSERT_EQ(-ERANGE, PARSE(sym_parse_u64, "18446744073709551616", &v));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_u64, "99999999999999999999", &v));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_u64, "100000000000000000000", &v));
	ASSERT_EQ(-ERANGE, sym_parse_u64(huge_digits(), SYM_XS_VALUE_MAX, &v));
	ASSERT_EQ(7, v);
}

TEST(u64_rejects_malformed)
{
	u64 v = 7;

	ASSERT_EQ(-EINVAL, sym_parse_u64(NULL, 0, &v));
	ASSERT_EQ(-EINVAL, sym_parse_u64(NULL, 5, &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "+1", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "-1", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, " 1", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "1 ", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "1\n", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "01", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "00", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "0x10", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "1e3", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "12a", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "1\0002", &v));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_u64, "\0", &v));
	ASSERT_EQ(7, v);
}

TEST(u64_rejects_oversized_before_anything)
{
	u64 v = 7;

	ASSERT_EQ(-EINVAL, sym_parse_u64(huge_digits(), sizeof(huge), &v));
	ASSERT_EQ(-EINVAL, sym_parse_u64(huge_digits(), SYM_XS_VALUE_MAX + 1, &v));
	ASSERT_EQ(7, v);
}

TEST(domid_range)
{
	u16 d = 1;

	ASSERT_EQ(0, PARSE(sym_parse_domid, "0", &d));
	ASSERT_EQ(0, d);
	ASSERT_EQ(0, PARSE(sym_parse_domid, "32751", &d));
	ASSERT_EQ(0x7FEF, d);
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_domid, "32752", &d));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_domid, "65535", &d));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_domid, "65536", &d));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_domid, "4294967297", &d));
	ASSERT_EQ(-ERANGE, PARSE(sym_parse_domid, "99999999999999999999999", &d));
	ASSERT_EQ(0x7FEF, d);
}

TEST(domid_malformed)
{
	u16 d = 5;

	ASSERT_EQ(-EINVAL, sym_parse_domid(NULL, 0, &d));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_domid, "", &d));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_domid, "-1", &d));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_domid, "007", &d));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_domid, "7 ", &d));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_domid, "7\0", &d));
	ASSERT_EQ(-EINVAL, sym_parse_domid(huge_digits(), sizeof(huge), &d));
	ASSERT_EQ(5, d);
}

TEST(mac_parses_both_cases)
{
	static const u8 want[6] = { 0x00, 0x16, 0x3e, 0xab, 0xcd, 0xef };
	u8 mac[6] = { 0 };

	ASSERT_EQ(0, PARSE(sym_parse_mac, "00:16:3e:ab:cd:ef", mac));
	ASSERT_MEMEQ(want, mac, 6);
	memset(mac, 0, sizeof(mac));
	ASSERT_EQ(0, PARSE(sym_parse_mac, "00:16:3E:AB:Cd:eF", mac));
	ASSERT_MEMEQ(want, mac, 6);
}

TEST(mac_rejects_malformed)
{
	static const u8 untouched[6] = { 1, 2, 3, 4, 5, 6 };
	u8 mac[6] = { 1, 2, 3, 4, 5, 6 };

	ASSERT_EQ(-EINVAL, sym_parse_mac(NULL, 17, mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00-16-3e-ab-cd-ef", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd:ef ", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, " 00:16:3e:ab:cd:e", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd:e", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd:eg", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "0:16:3e:ab:cd:eff", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd\0ef", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00163eabcdef", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd:ef:01", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "+0:16:3e:ab:cd:ef", mac));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_mac, "00:16:3e:ab:cd:ef\n", mac));
	ASSERT_EQ(-EINVAL, sym_parse_mac(huge_digits(), sizeof(huge), mac));
	ASSERT_MEMEQ(untouched, mac, 6);
}

TEST(mac_format_round_trip)
{
	static const u8 mac[6] = { 0xFE, 0x0A, 0x3E, 0x00, 0x01, 0xFF };
	char text[18];
	u8 back[6];

	memset(text, 'X', sizeof(text));
	sym_format_mac(mac, text);
	ASSERT_STREQ("fe:0a:3e:00:01:ff", text);
	ASSERT_EQ(0, sym_parse_mac(text, strlen(text), back));
	ASSERT_MEMEQ(mac, back, 6);
}

TEST(mac_unicast)
{
	static const u8 unicast[6] = { 0x00, 0x16, 0x3e, 0, 0, 1 };
	static const u8 local_unicast[6] = { 0x02, 0, 0, 0, 0, 1 };
	static const u8 multicast[6] = { 0x01, 0x00, 0x5e, 0, 0, 1 };
	static const u8 broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	ASSERT_TRUE(sym_mac_is_unicast(unicast));
	ASSERT_TRUE(sym_mac_is_unicast(local_unicast));
	ASSERT_FALSE(sym_mac_is_unicast(multicast));
	ASSERT_FALSE(sym_mac_is_unicast(broadcast));
}

TEST(uuid_canonicalises_to_lower_case)
{
	char out[37];

	memset(out, 'X', sizeof(out));
	ASSERT_EQ(0, PARSE(sym_parse_uuid, "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", out));
	ASSERT_STREQ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", out);
	ASSERT_EQ(0, PARSE(sym_parse_uuid, "00000000-0000-0000-0000-000000000000", out));
	ASSERT_STREQ("00000000-0000-0000-0000-000000000000", out);
}

TEST(uuid_rejects_malformed)
{
	char out[37] = "untouched";

	ASSERT_EQ(-EINVAL, sym_parse_uuid(NULL, 36, out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "{0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0}", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c_4b5a-6978-8796-a5b4c3d2e1f0", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3-c4b5a-6978-8796-a5b4c3d2e1f0", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e\0f0", out));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_uuid, " f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", out));
	ASSERT_EQ(-EINVAL, sym_parse_uuid(huge_digits(), sizeof(huge), out));
	ASSERT_STREQ("untouched", out);
}

TEST(vm_path)
{
	char uuid[37] = "untouched";

	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "/vm/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "/vm/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-1", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "vm/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "/VM/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "//vm/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "/vm/", uuid));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_vm_path, "", uuid));
	ASSERT_EQ(-EINVAL, sym_parse_vm_path(NULL, 40, uuid));
	ASSERT_EQ(-EINVAL, sym_parse_vm_path(huge_digits(), sizeof(huge), uuid));
	ASSERT_STREQ("untouched", uuid);
	ASSERT_EQ(0, PARSE(sym_parse_vm_path, "/vm/0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", uuid));
	ASSERT_STREQ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", uuid);
}

TEST(announce_words)
{
	enum sym_announce ann = SYM_ANNOUNCE_LEAVING;

	ASSERT_EQ(0, sym_parse_announce(NULL, 0, &ann));
	ASSERT_EQ(SYM_ANNOUNCE_ABSENT, ann);
	ASSERT_EQ(0, PARSE(sym_parse_announce, "joined", &ann));
	ASSERT_EQ(SYM_ANNOUNCE_JOINED, ann);
	ASSERT_EQ(0, PARSE(sym_parse_announce, "migrating", &ann));
	ASSERT_EQ(SYM_ANNOUNCE_MIGRATING, ann);
	ASSERT_EQ(0, PARSE(sym_parse_announce, "leaving", &ann));
	ASSERT_EQ(SYM_ANNOUNCE_LEAVING, ann);
	ASSERT_EQ(0, sym_parse_announce("joinedXYZ", 6, &ann));
	ASSERT_EQ(SYM_ANNOUNCE_JOINED, ann);
}

TEST(origin_words)
{
	enum sym_origin o = SYM_ORIGIN_RESUME;

	ASSERT_EQ(0, sym_parse_origin(NULL, 0, &o));
	ASSERT_EQ(SYM_ORIGIN_UNKNOWN, o);
	ASSERT_EQ(0, PARSE(sym_parse_origin, "boot", &o));
	ASSERT_EQ(SYM_ORIGIN_BOOT, o);
	ASSERT_EQ(0, PARSE(sym_parse_origin, "resume", &o));
	ASSERT_EQ(SYM_ORIGIN_RESUME, o);
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_origin, "unknown", &o));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_origin, "", &o));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_origin, "boots", &o));
	ASSERT_EQ(-EINVAL, sym_parse_origin("resume", 5, &o));
	ASSERT_EQ(SYM_ORIGIN_RESUME, o);	/* untouched on error */
	ASSERT_STREQ("boot", sym_origin_name(SYM_ORIGIN_BOOT));
	ASSERT_STREQ("invalid", sym_origin_name((enum sym_origin)7));
}

TEST(announce_rejects_malformed)
{
	enum sym_announce ann = SYM_ANNOUNCE_MIGRATING;

	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "absent", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "Joined", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "JOINED", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "joined ", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "joined\n", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "joined\0", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "join", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "leave", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "migratingg", &ann));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_announce, "1", &ann));
	ASSERT_EQ(-EINVAL, sym_parse_announce(huge_digits(), sizeof(huge), &ann));
	ASSERT_EQ(SYM_ANNOUNCE_MIGRATING, ann);
}

TEST(announce_names)
{
	ASSERT_STREQ("absent", sym_announce_name(SYM_ANNOUNCE_ABSENT));
	ASSERT_STREQ("joined", sym_announce_name(SYM_ANNOUNCE_JOINED));
	ASSERT_STREQ("migrating", sym_announce_name(SYM_ANNOUNCE_MIGRATING));
	ASSERT_STREQ("leaving", sym_announce_name(SYM_ANNOUNCE_LEAVING));
	ASSERT_STREQ("invalid", sym_announce_name((enum sym_announce)4));
	ASSERT_STREQ("invalid", sym_announce_name((enum sym_announce)-1));
}

TEST(name_accepts_charset_and_lengths)
{
	char out[65];
	char longest[64];

	ASSERT_EQ(0, PARSE(sym_parse_name, "a", out, sizeof(out)));
	ASSERT_STREQ("a", out);
	ASSERT_EQ(0, PARSE(sym_parse_name, "Web-01_prod.eu", out, sizeof(out)));
	ASSERT_STREQ("Web-01_prod.eu", out);
	ASSERT_EQ(0, PARSE(sym_parse_name, "-", out, sizeof(out)));
	ASSERT_STREQ("-", out);
	memset(longest, 'z', sizeof(longest));
	ASSERT_EQ(0, sym_parse_name(longest, sizeof(longest), out, sizeof(out)));
	ASSERT_EQ(64, strlen(out));
}

TEST(name_rejects_malformed)
{
	char out[65] = "untouched";
	char too_long[65];

	memset(too_long, 'z', sizeof(too_long));
	ASSERT_EQ(-EINVAL, sym_parse_name(too_long, sizeof(too_long), out, sizeof(out)));
	ASSERT_EQ(-EINVAL, sym_parse_name(NULL, 3, out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "a b", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "a/b", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "a\0b", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "a\n", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "caf\xc3\xa9", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, PARSE(sym_parse_name, "a=b", out, sizeof(out)));
	ASSERT_EQ(-EINVAL, sym_parse_name(huge_digits(), sizeof(huge), out, sizeof(out)));
	ASSERT_STREQ("untouched", out);
}

TEST(name_small_output_buffer)
{
	char out[4] = "abc";

	ASSERT_EQ(-ENOSPC, PARSE(sym_parse_name, "abcd", out, sizeof(out)));
	ASSERT_STREQ("abc", out);
	ASSERT_EQ(0, PARSE(sym_parse_name, "xyz", out, sizeof(out)));
	ASSERT_STREQ("xyz", out);
}
