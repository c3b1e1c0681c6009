/*
 * settle_int.h — what the stages of a day's settlement share (settle.c and the stage files).
 */
#ifndef JF_SETTLE_INT_H
#define JF_SETTLE_INT_H

#include "network.h"

struct day_run {
    int32_t day;
    char ref[24];           /* "day:YYYY-MM-DD": the reference of the day's transfers */
    struct jf_rules *rules; /* in force on the day */
    struct net net;         /* loaded by the ranks stage when a stage needs the network */
    bool net_loaded;
    int64_t members_paid;
    int64_t forfeited_locked;
    json_t *steps; /* per-stage totals for the report */
    jf_progress_fn progress;
    void *progress_arg;
};

/* Reports a stage's progress to the caller (a terminal shows it). */
void run_progress(struct day_run *run, const char *stage, const char *detail);

/* The release stage (release_stage.c): static and dynamic release of the day's lots. */
int stage_release(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                  struct jf_err *err);

#endif
