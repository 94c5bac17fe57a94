/* SPDX-License-Identifier: GPL-2.0 */
/*
 * event_dev.h - the membership event log of a symbiont module and its
 * character device, /dev/symbiont_events (shared by dom0 and guest modules).
 *
 * A module records events with sym_events_record(); each record gets a
 * sequence number and a CLOCK_MONOTONIC timestamp, is appended to a bounded
 * sym_event_log, wakes readers of the device and is announced with a
 * KOBJ_CHANGE uevent carrying SYMBIONT_EVENT, SYMBIONT_DOMID, SYMBIONT_PREV
 * and SYMBIONT_SEQ.
 *
 * Device semantics: every open() starts at the oldest record kept; read()
 * returns whole lines in the format of sym_event_format() (an overflow line
 * first if the reader fell behind), blocks until a record arrives unless
 * O_NONBLOCK (-EAGAIN), and fails with -EINVAL if the buffer cannot hold
 * even one line. poll() reports EPOLLIN when a record is waiting.
 *
 * Context: every function here may sleep; call from process context only.
 */
#ifndef SYMBIONT_EVENT_DEV_H
#define SYMBIONT_EVENT_DEV_H

#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/types.h>
#include "event_log.h"

/*
 * uevent_kobj receives the uevents. kobject_uevent() silently drops events
 * of a kobject that has no kset above it (a plain kobject under
 * kernel_kobj is one), so pass NULL to use the misc device's own kobject
 * (/sys/devices/virtual/misc/symbiont_events), which udev sees.
 */
int sym_events_init(struct module *owner, struct kobject *uevent_kobj,
		    u32 capacity);
void sym_events_exit(void);
/* Ignores ev->seq and ev->ts_ns; returns the seq given to the record. */
u64 sym_events_record(const struct sym_event *ev);
/* KOBJ_CHANGE on the uevent kobject with a caller-built environment. */
int sym_events_uevent(char *envp[]);

#endif /* SYMBIONT_EVENT_DEV_H */
