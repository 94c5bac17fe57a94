// SPDX-License-Identifier: GPL-2.0
/*
 * event_dev.c - bounded event log behind /dev/symbiont_events; see
 * event_dev.h for the contract.
 *
 * Data flow: the owning module's workqueue calls sym_events_record(),
 * which appends to the sym_event_log under events_lock, wakes events_wait
 * and then sends the uevent. Each open file owns a reader with a cursor
 * (the next seq it wants). read() formats as many whole lines as fit into a
 * kernel buffer under events_lock, copies them to user space outside it and
 * only then advances the cursor, so a fault loses nothing.
 *
 * Locking: reader->lock (mutex, serialises read() on one file) is taken
 * before events_lock (spinlock, protects the log); nothing else nests.
 * Every caller is in process context, so events_lock is a plain spin_lock.
 *
 * Lifetime: slots and the misc device live from sym_events_init() to
 * sym_events_exit(). An open file pins the module that owns the log
 * (events_owner, taken in open), so no reader outlives the log.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "sym_compat.h"
#include "events.h"

/* Upper bound on the kernel buffer one read() fills. */
#define EVENTS_READ_CHUNK	PAGE_SIZE

struct events_reader {
	struct mutex lock;
	u64 cursor;	/* next seq to deliver; written under lock */
};

static DEFINE_SPINLOCK(events_lock);
static struct sym_event_log events_log;
static struct sym_event *events_slots;
static DECLARE_WAIT_QUEUE_HEAD(events_wait);
static struct kobject *events_uevent_kobj;
/* The module that owns the log; an open file pins it (see open/release). */
static struct module *events_owner;

static bool events_pending(u64 cursor)
{
	bool pending;

	spin_lock(&events_lock);
	pending = cursor < events_log.next_seq;
	spin_unlock(&events_lock);
	return pending;
}

static int events_open(struct inode *inode, struct file *file)
{
	struct events_reader *reader;

	/*
	 * Fails once the owner is going away: its exit, which frees the log,
	 * runs only after every open file has let go of it.
	 */
	if (!try_module_get(events_owner))
		return -ENODEV;
	reader = kzalloc(sizeof(*reader), GFP_KERNEL);
	if (!reader) {
		module_put(events_owner);
		return -ENOMEM;
	}
	mutex_init(&reader->lock);
	spin_lock(&events_lock);
	reader->cursor = sym_event_log_first_seq(&events_log);
	spin_unlock(&events_lock);
	file->private_data = reader;
	return stream_open(inode, file);
}

static int events_release(struct inode *inode, struct file *file)
{
	struct events_reader *reader = file->private_data;

	mutex_destroy(&reader->lock);
	kfree(reader);
	module_put(events_owner);
	return 0;
}

/* Appends line to buf if it fits in size; false otherwise. */
static bool events_put_line(char *buf, size_t size, size_t *used,
			    const char *line, int len)
{
	if (len < 0 || *used + len > size)
		return false;
	memcpy(buf + *used, line, len);
	*used += len;
	return true;
}

/*
 * Formats whole lines from *cursor on into buf; advances *cursor past what
 * it wrote. Returns the byte count; *more says a line was left out for
 * lack of room.
 */
static size_t events_fill(char *buf, size_t size, u64 *cursor, bool *more)
{
	char line[SYM_EVENT_LINE_MAX];
	struct sym_event ev;
	size_t used = 0;
	u64 next, lost;
	int found, len;

	*more = false;
	spin_lock(&events_lock);
	for (;;) {
		next = *cursor;
		found = sym_event_log_read(&events_log, &next, &ev, &lost);
		if (lost) {
			len = sym_event_format_overflow(*cursor, lost, line,
							sizeof(line));
			if (!events_put_line(buf, size, &used, line, len)) {
				*more = true;
				break;
			}
			*cursor += lost;
		}
		if (!found)
			break;
		len = sym_event_format(&ev, line, sizeof(line));
		if (!events_put_line(buf, size, &used, line, len)) {
			*more = true;
			break;
		}
		*cursor = next;
	}
	spin_unlock(&events_lock);
	return used;
}

static ssize_t events_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct events_reader *reader = file->private_data;
	size_t size = min_t(size_t, count, EVENTS_READ_CHUNK);
	size_t used;
	ssize_t ret;
	bool more;
	char *buf;
	u64 cursor;

	if (!count)
		return 0;
	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = mutex_lock_interruptible(&reader->lock);
	if (ret)
		goto free_buf;

	for (;;) {
		cursor = reader->cursor;
		used = events_fill(buf, size, &cursor, &more);
		if (used)
			break;
		if (more) {
			ret = -EINVAL;	/* not even one line fits */
			goto unlock;
		}
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			goto unlock;
		}
		ret = wait_event_interruptible(events_wait,
					       events_pending(reader->cursor));
		if (ret)
			goto unlock;
	}

	if (copy_to_user(ubuf, buf, used)) {
		ret = -EFAULT;
		goto unlock;
	}
	WRITE_ONCE(reader->cursor, cursor);
	ret = used;
unlock:
	mutex_unlock(&reader->lock);
free_buf:
	kfree(buf);
	return ret;
}

static __poll_t events_poll(struct file *file, poll_table *wait)
{
	struct events_reader *reader = file->private_data;

	poll_wait(file, &events_wait, wait);
	if (events_pending(READ_ONCE(reader->cursor)))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static const struct file_operations events_fops = {
	.open = events_open,
	.release = events_release,
	.read = events_read,
	.poll = events_poll,
	.llseek = noop_llseek,
};

static struct miscdevice events_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "symbiont_events",
	.fops = &events_fops,
	.mode = 0444,
};

int sym_events_uevent(char *envp[])
{
	return kobject_uevent_env(events_uevent_kobj, KOBJ_CHANGE, envp);
}
SYM_EXPORT(sym_events_uevent);

u64 sym_events_record(const struct sym_event *ev)
{
	char kind[32], domid[24], prev[24], seqstr[32], merged[32];
	char *envp[] = { kind, domid, prev, seqstr, merged, NULL };
	struct sym_event rec = *ev;
	u64 seq;

	rec.ts_ns = ktime_get_ns();
	spin_lock(&events_lock);
	seq = sym_event_log_append(&events_log, &rec);
	spin_unlock(&events_lock);
	wake_up_interruptible(&events_wait);

	snprintf(kind, sizeof(kind), "SYMBIONT_EVENT=%s",
		 sym_event_kind_name(rec.kind));
	snprintf(domid, sizeof(domid), "SYMBIONT_DOMID=%u", rec.domid);
	if (rec.prev_domid < 0)
		snprintf(prev, sizeof(prev), "SYMBIONT_PREV=-");
	else
		snprintf(prev, sizeof(prev), "SYMBIONT_PREV=%d", rec.prev_domid);
	snprintf(seqstr, sizeof(seqstr), "SYMBIONT_SEQ=%llu", seq);
	snprintf(merged, sizeof(merged), "SYMBIONT_MERGED=%u", rec.merged);
	sym_events_uevent(envp);
	return seq;
}
SYM_EXPORT(sym_events_record);

/*
 * One log per kernel: the guest and dom0 roles never share one. An open
 * file pins @owner, the module that owns the log and calls
 * sym_events_exit() from its exit, so no reader outlives the log.
 */
int sym_events_init(struct module *owner, struct kobject *uevent_kobj,
		    u32 capacity)
{
	int err;

	if (!capacity)
		return -EINVAL;
	if (events_slots)
		return -EBUSY;
	events_owner = owner;
	events_slots = kvcalloc(capacity, sizeof(*events_slots), GFP_KERNEL);
	if (!events_slots)
		return -ENOMEM;
	sym_event_log_init(&events_log, events_slots, capacity);

	err = misc_register(&events_misc);
	if (err) {
		pr_err("cannot register /dev/%s: %d\n", events_misc.name, err);
		goto free_slots;
	}
	events_uevent_kobj = uevent_kobj ? uevent_kobj :
			     &events_misc.this_device->kobj;
	return 0;

free_slots:
	kvfree(events_slots);
	events_slots = NULL;
	return err;
}
SYM_EXPORT(sym_events_init);

void sym_events_exit(void)
{
	misc_deregister(&events_misc);
	events_uevent_kobj = NULL;
	kvfree(events_slots);
	events_slots = NULL;
}
SYM_EXPORT(sym_events_exit);
