// SPDX-License-Identifier: GPL-2.0
/*
 * symbiont_core.ko - the library every symbiont module depends on, as
 * xenbus_client.c serves every Xen frontend.
 *
 * It holds, once, what the guest, dom0 and fast-path modules share:
 *   drivers/core/  pure logic (parsers, peer table, event log, membership
 *                  and channel state machines, the shared-memory ring, the
 *                  fast-path record parser), also built into userspace tests
 *   xs.c           the counted, bounded XenStore layer
 *   watch.c        coalescing XenStore watches
 *   events.c       the event log behind /dev/symbiont_events
 *   root.c         /sys/kernel/symbiont's own files
 * and exports it in the symbol namespace SYMBIONT. The module itself has
 * no state of its own to set up: the users create what they need.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("symbiont: library shared by the symbiont Xen modules");
