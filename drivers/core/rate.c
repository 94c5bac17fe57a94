// SPDX-License-Identifier: GPL-2.0
/*
 * rate.c - GCRA (see rate.h). With tat the time at which the source's
 * budget is whole again, an action at now conforms if tat is at most
 * (burst - 1) intervals ahead of now; it then pushes tat one interval on.
 * A source idle for burst intervals is back to a full burst.
 *
 * Locking/lifetime: none.
 */
#include "rate.h"

u64 sym_rate_admit(struct sym_rate *r, u64 now, u64 interval, u32 burst)
{
	u64 tolerance = interval * (burst ? burst - 1 : 0);
	u64 tat = r->tat > now ? r->tat : now;

	if (tat - now > tolerance)
		return tat - now - tolerance;
	r->tat = tat + interval;
	return 0;
}
SYM_EXPORT(sym_rate_admit);
