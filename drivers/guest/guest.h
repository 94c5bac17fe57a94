/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces of the symbiont guest module.
 *
 * main.c owns the module lifetime and the ordered workqueue every XenStore
 * reaction runs on; self.c tracks this domain's identity; sysfs.c publishes
 * it under /sys/kernel/symbiont.
 */
#ifndef SYMBIONT_GUEST_H
#define SYMBIONT_GUEST_H

#include <linux/kobject.h>
#include <linux/types.h>
#include <linux/workqueue.h>

extern struct workqueue_struct *symbiont_wq;

int symbiont_self_init(void);
void symbiont_self_exit(void);
u16 symbiont_self_domid(void);

int symbiont_sysfs_init(void);
void symbiont_sysfs_exit(void);
void symbiont_sysfs_self_changed(void);

#endif
