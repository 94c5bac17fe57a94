/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fastpath.h - internal interfaces of symbiont_fastpath.ko, the
 * shared-memory fast path between co-resident guests
 * (Documentation/fastpath.md).
 *
 * Files and data flow:
 *   main.c       module lifetime, parameters, the symbiont notifier
 *                (peer join/leave/migrate, own suspend), the netdev
 *                notifier that attaches to the NIC, and the hook's RCU
 *                MAC -> domid index (drivers/core/mac_index.c)
 *   channel.c    channel objects and the one state machine (fp_step)
 *   shmem.c      the resources of a connected channel: granted or mapped
 *                pages, the event channel, NAPI; set up and torn down
 *   negotiate.c  this guest's records in XenStore, the peer's records in
 *                our view, and the watch on our view's generation
 *   tx.c         the NF_NETDEV_EGRESS hook (frames into the TX ring) and
 *                the re-send of frames taken back at teardown
 *   rx.c         event channel interrupt -> NAPI poll -> skbs to the stack
 *   sysfs.c      /sys/kernel/symbiont/channels/<peer-domid>/
 *
 *   app -> stack -> dev_queue_xmit(nic) -> egress hook --(peer MAC,
 *     connected)--> TX ring in shared pages --evtchn--> peer irq -> NAPI
 *     -> RX ring copy -> skb -> napi_gro_receive "from the peer's NIC"
 *
 * Lock order: RTNL -> fp_lock (mutex: channel table and every state
 * change) -> ch->tx_lock (spinlock, BH: the TX ring). The hook takes only
 * rcu_read_lock and tx_lock; NAPI takes no lock (one poller per channel).
 *
 * Lifetime: a channel object exists while its peer is in our view (JOIN
 * .. LEAVE) or until module unload; its shared resources exist only in
 * states FP_OFFERED, FP_MAPPED and FP_CONNECTED. The object is freed by its kobject
 * release after an RCU grace period, so the hook may still look at it
 * after it left the table.
 */
#ifndef SYMBIONT_FASTPATH_H
#define SYMBIONT_FASTPATH_H

#include <linux/atomic.h>
#include <linux/etherdevice.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/virtio_net.h>
#include <linux/workqueue.h>
#include <xen/grant_table.h>
#include <xen/xenbus.h>
#include <symbiont/symbiont.h>
#include "fp_channel.h"
#include "fp_frame.h"
#include "fp_proto.h"
#include "ring.h"

/*
 * Channel states and events: the core's (fp_channel.h), by short names.
 * fp_step() in channel.c is the only place that moves a channel's state.
 */
enum fp_state {
	FP_IDLE = SYM_FP_IDLE,
	FP_OFFERED = SYM_FP_OFFERED,
	FP_MAPPED = SYM_FP_MAPPED,
	FP_CONNECTED = SYM_FP_CONNECTED,
	FP_BROKEN = SYM_FP_BROKEN,
};

enum fp_event {
	FP_EV_START = SYM_FP_EV_START,
	FP_EV_VIEW = SYM_FP_EV_VIEW,
	FP_EV_STOP = SYM_FP_EV_STOP,
	FP_EV_PEER_CLOSED = SYM_FP_EV_PEER_CLOSED,
	FP_EV_ERROR = SYM_FP_EV_ERROR,
	FP_EV_PEER_GONE = SYM_FP_EV_PEER_GONE,
	FP_EV_STALL = SYM_FP_EV_STALL,
};

/* The 16-byte header before each frame in a ring message. */
struct fp_frame_hdr {
	struct virtio_net_hdr vnet;	/* little-endian */
	u8 reserved[6];			/* zero */
};

struct fp_stats {
	/* tx_*: under tx_lock; rx_*: NAPI only; read with READ_ONCE */
	u64 tx_packets;
	u64 tx_bytes;
	u64 rx_packets;
	u64 rx_bytes;
	atomic64_t fallbacks;	/* frames that took the NIC while we had a channel */
	atomic64_t errors;	/* malformed frames, failed setups, violations */
	atomic64_t stalls;	/* teardowns: the peer stopped consuming */
	/* Frames in our ring or backlog at teardown, re-sent on the NIC. */
	atomic64_t reclaimed;
	/* Frames from the peer dropped by policy (drivers/core/fp_frame.c). */
	atomic64_t rx_spoofed;	/* IPv4 source / ARP sender not its own */
	atomic64_t rx_filtered;	/* an ethertype we do not carry, VLAN tags */
};

struct fp_peer_ipv4 {
	struct rcu_head rcu;
	struct sym_fp_addrs addrs;
};

struct fp_channel {
	struct kobject kobj;		/* channels/<peer> */
	struct rcu_head rcu;
	u16 peer;
	u8 peer_mac[ETH_ALEN];		/* trusted, from the view */
	bool granter;			/* we are the lower domid */
	enum fp_state state;		/* under fp_lock; READ_ONCE elsewhere */
	u32 epoch;			/* of the offer in use (or last torn down) */
	/* Trusted, from the view: the key of the peer's churn budget. */
	char uuid[SYMBIONT_UUID_LEN + 1];
	/*
	 * Trusted, from the view: the IPv4 prefixes the peer's frames may
	 * come from (its vif's ip=; NULL or none: any). Replaced under
	 * fp_lock when the view changes it, read by NAPI under RCU.
	 */
	struct fp_peer_ipv4 __rcu *peer_ipv4;
	struct fp_stats stats;

	/* Pending asynchronous events from NAPI or the hook. */
	unsigned long pending;		/* FP_PENDING_* bits */
	struct work_struct event_work;

	/*
	 * What failed, done again by retry_work after retry_delay jiffies
	 * (doubling) until it succeeds (fp_lock): first our closed record
	 * while closed_owed, then the offer, map or ack, by a START. An
	 * offer or an ack that goes out replaces the record, and so settles
	 * a closed one owed too; nothing else does (a failed offer after a
	 * failed closed record still owes the peer the closed one).
	 */
	struct delayed_work retry_work;
	unsigned long retry_delay;	/* 0: nothing to retry */
	bool closed_owed;

	/* Shared resources (FP_OFFERED, FP_MAPPED, FP_CONNECTED) - shmem.c. */
	struct sym_fp_ctrl_page *ctrl;	/* control page: granted, or mapped */
	u8 *segs[2][FP_DATA_PAGES];	/* data pages of ring 0 and ring 1 */
	struct fp_mapping *map;		/* mapper: the pages mapped (shmem.c) */
	/* Granter: our grants, control page first. Mapper: the peer's list. */
	grant_ref_t refs[FP_NR_PAGES];
	evtchn_port_t port;
	int irq;
	bool napi_added;
	void *rx_buf;			/* FP_MAX_MSG: teardown's drain and take-back */

	spinlock_t tx_lock;
	bool tx_open;			/* under tx_lock: the hook may use tx */
	/* Under tx_lock: frames waiting for ring space, oldest first. */
	struct sk_buff_head backlog;
	u32 backlog_bytes;
	/*
	 * Stall watch, under tx_lock: frames moved from the backlog into the
	 * ring (each move means the peer consumed), what the last check saw,
	 * and the checks in a row that saw no move while frames waited.
	 */
	struct timer_list stall_timer;
	u64 backlog_moved;
	u64 stall_mark;
	unsigned int stall_checks;
	struct sym_ring_tx tx;
	struct sym_ring_rx rx;
	u32 *closed[2];			/* the closed words, by role */
	/*
	 * Our suspend's drain (fp_tx_drain, under fp_lock): while draining,
	 * every NAPI poll bumps drain_events and wakes drain_wq.
	 */
	bool draining;
	u32 drain_events;
	wait_queue_head_t drain_wq;

	struct napi_struct napi;
	struct net_device napi_dev;	/* dummy netdev carrying the NAPI */
};

/* The frame header's virtio_net_hdr (little-endian) for the frame check. */
static inline void fp_vnet_from_hdr(const struct virtio_net_hdr *h,
				    struct sym_fp_vnet *v)
{
	v->flags = h->flags;
	v->gso_type = h->gso_type;
	v->hdr_len = __virtio16_to_cpu(true, h->hdr_len);
	v->gso_size = __virtio16_to_cpu(true, h->gso_size);
	v->csum_start = __virtio16_to_cpu(true, h->csum_start);
	v->csum_offset = __virtio16_to_cpu(true, h->csum_offset);
}

#define FP_PENDING_ERROR	0
#define FP_PENDING_PEER_CLOSED	1
#define FP_PENDING_STALL	2

/*
 * Frames wait in the backlog and the peer consumed none for this long: the
 * channel goes (tx.c checks every half of it), like netback's stall.
 */
#define FP_STALL_TIMEOUT_S	5

/*
 * Our suspend's drain gives up on a peer that consumed nothing for this
 * long (the whole drain is bounded by the suspend_drain_ms parameter).
 */
#define FP_DRAIN_IDLE_MS	200

#define FP_MAX_PEERS	256	/* peers taken over at load or NIC arrival */

/* main.c */
extern struct mutex fp_lock;
extern struct workqueue_struct *fp_wq;
#ifdef SYMBIONT_FAULT_INJECTION
extern bool fp_hostile;	/* the test-only "hostile" parameter */
#endif
struct net_device *fp_nic(void);	/* under RCU or fp_lock */
bool fp_may_start(void);		/* fp_lock: not suspended, NIC attached */
struct fp_channel *fp_channel_by_mac(const u8 *mac);	/* RCU */

/* grants.c: the granter's grant references (fp_lock unless said) */
struct fp_retained;
int fp_grants_may_offer(u16 peer);
int fp_grant_page(u16 peer, void *page, grant_ref_t *ref);
void fp_grant_end(u16 peer, grant_ref_t *ref, void *page,
		  struct fp_retained **kept);
void fp_grants_retain(struct fp_retained *kept);
bool fp_grants_retained(u16 peer);
void fp_grants_peer_left(u16 peer);
unsigned int fp_grants_in_use(void);		/* any context */
unsigned int fp_grants_retained_count(void);	/* any context */
void fp_grants_exit(void);			/* without fp_lock */

/* channel.c */
struct fp_channel *fp_channel_find(u16 peer);	/* RCU or fp_lock */
/* fp_lock: the first channel with peer >= *peer, which it updates. */
struct fp_channel *fp_channel_next(unsigned long *peer);
int fp_channel_get(const struct symbiont_peer *peer, struct fp_channel **out);
void fp_channel_destroy(struct fp_channel *ch);
void fp_step(struct fp_channel *ch, enum fp_event ev,
	     const struct sym_fp_record *view);
void fp_step_all(enum fp_event ev);
void fp_drain_all(unsigned int ms);
void fp_channels_destroy_all(void);
bool fp_channel_signal(struct fp_channel *ch, int pending_bit);
const char *fp_state_str(enum fp_state st);

/* shmem.c */
int fp_shmem_offer(struct fp_channel *ch);
int fp_shmem_map(struct fp_channel *ch, const struct sym_fp_record *offer);
void fp_shmem_open(struct fp_channel *ch);
void fp_shmem_teardown(struct fp_channel *ch);
bool fp_shmem_peer_closed(struct fp_channel *ch);

/* negotiate.c */
int fp_publish_offer(struct fp_channel *ch);
int fp_publish_ack(struct fp_channel *ch);
int fp_publish_closed(u16 peer);
void fp_unpublish_all(void);
int fp_view_read(u16 peer, struct sym_fp_record *rec);
int fp_negotiate_init(void);
void fp_negotiate_exit(void);

/* tx.c */
int fp_tx_init(struct net_device *nic);
void fp_tx_exit(struct net_device *nic);
void fp_tx_reclaim(struct fp_channel *ch);
void fp_tx_backlog_resend(struct fp_channel *ch);
int fp_tx_kick(struct fp_channel *ch);
int fp_tx_drain(struct fp_channel *ch, unsigned long deadline);
void fp_tx_stall_check(struct timer_list *t);

/* rx.c */
irqreturn_t fp_interrupt(int irq, void *dev_id);
int fp_napi_poll(struct napi_struct *napi, int budget);
void fp_rx_drain(struct fp_channel *ch);
struct sk_buff *fp_skb_from_buf(struct napi_struct *napi, const u8 *buf,
				u32 len, gfp_t gfp);

/* sysfs.c */
int fp_sysfs_init(void);
void fp_sysfs_exit(void);
int fp_sysfs_add(struct fp_channel *ch);
void fp_sysfs_del(struct fp_channel *ch);

#endif /* SYMBIONT_FASTPATH_H */
