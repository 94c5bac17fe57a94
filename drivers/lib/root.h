/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/symbiont itself, shared by the guest and dom0 modules: the
 * directory and its role, generation, mode and poll_ms files, and the
 * discovery mode both modules take as module parameters.
 *
 * Lifetime: sym_root_create() ... sym_root_destroy(); the
 * generation callback must stay valid in between.
 */
#ifndef SYMBIONT_ROOT_SYSFS_H
#define SYMBIONT_ROOT_SYSFS_H

#include <linux/kobject.h>
#include <linux/types.h>

#define SYM_POLL_MS_MIN	10

struct sym_root_info {
	const char *role;		/* "guest" or "dom0" */
	u64 (*generation)(void);
	bool poll_mode;
	unsigned int poll_ms;
};

/* Parses the mode and poll_ms module parameters; logs and fails if bad. */
int sym_mode_parse(const char *mode, unsigned int poll_ms, bool *poll_mode);

struct kobject *sym_root_create(const struct sym_root_info *info);
void sym_root_destroy(struct kobject *root);
void sym_root_generation_changed(struct kobject *root);

#endif
