/*
 * scheduler.h — the daily settlement run by the server itself: once the operator's local time
 * passes the configured hour and minute, every day up to yesterday that is not settled is
 * settled, as one exclusive command on the writer. Checked every second; stops promptly.
 */
#ifndef JF_SCHEDULER_H
#define JF_SCHEDULER_H

#include "svc.h"
#include "writer.h"

struct jf_scheduler;

/* minute_of_day: 0 .. 1439 (local time). */
int jf_scheduler_start(struct jf_svc *svc, struct jf_writer *w, int minute_of_day,
                       struct jf_scheduler **out, struct jf_err *err);
void jf_scheduler_stop(struct jf_scheduler *s);

#endif
