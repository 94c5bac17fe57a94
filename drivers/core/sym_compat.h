/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sym_compat.h - lets the pure symbiont logic build in the kernel and in
 * userspace tests.
 *
 * The files in drivers/core/ include only this header. In a kernel build it
 * pulls in the few kernel headers that provide fixed-width types, errno
 * values and the mem and str helpers; in userspace it maps the same names
 * onto libc. static_assert is the kernel's, or C11's from assert.h: always
 * give it a message, which C11 requires. Nothing here allocates or locks:
 * it is definitions only.
 *
 * SYM_EXPORT(fn) exports a function of symbiont_core.ko to the other
 * symbiont modules (symbol namespace SYMBIONT); in userspace it is nothing.
 */
#ifndef SYM_COMPAT_H
#define SYM_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/export.h>
#include <linux/build_bug.h>

#define SYM_EXPORT(sym) \
	EXPORT_SYMBOL_NS_GPL(sym, SYMBIONT)
#else
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <stdio.h>
#include <assert.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
typedef uint32_t __le32;	/* little-endian on the wire; a plain u32 here */

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

#ifndef U32_MAX
#define U32_MAX UINT32_MAX
#endif
#ifndef U64_MAX
#define U64_MAX UINT64_MAX
#endif

#define SYM_EXPORT(sym)

#endif /* __KERNEL__ */

#endif /* SYM_COMPAT_H */
