/*
 * settle_int.h — what the stages of a day's settlement share (settle.c and the stage files).
 */
#ifndef JF_SETTLE_INT_H
#define JF_SETTLE_INT_H

#include <pthread.h>

#include "limits.h"
#include "network.h"

/* The live lots of a day, grouped by member, and the release rows of the previous release day
 * (release_stage.c). */
struct lots {
    int64_t n;
    int32_t members;
    int64_t *id, *amount, *remaining, *first;
    int64_t *scan_pos; /* [i]: where the i-th lot in creation (id) order sits in the arrays */
    int32_t *created;
    struct st_live_lot *raw; /* the stored rows, in creation order */
    int32_t prev_day;        /* the release day before this one (JF_DAY_NONE: none) */
    int64_t *run_prev;       /* [members]: `run` of each member's row of prev_day (0: none) */
    int64_t *drawn_prev;     /* [members]: `drawn` of it */
};
void lots_free(struct lots *l);

struct day_run {
    int32_t day;
    int32_t prev_settled; /* the last settled day before it (JF_DAY_NONE: none) */
    char ref[24];           /* "day:YYYY-MM-DD": the reference of the day's transfers */
    int64_t transfer_seq;   /* the newest transfer id when the day began (0: none) */
    struct jf_rules *rules; /* in force on the day */
    struct net net;         /* loaded by the ranks stage when a stage needs the network */
    bool net_loaded;
    int64_t members_paid;
    int64_t forfeited_locked;
    json_t *steps; /* per-stage totals for the report */
    jf_progress_fn progress;
    void *progress_arg;
    /* the lots, loaded by a reader thread while the ranks are computed (file stores) */
    const char *path;
    bool preloading;
    pthread_t preload;
    int preload_rc;
    struct lots lots;
    struct rel_kept *rel_written; /* the release rows the day wrote, for the service to keep */
};

/* The release rows of the last release day, kept by the service from the settlement that wrote
 * them to the next one (which would read them back): by member, their `run` and `drawn`. The
 * next settlement takes them when the store's release day is still theirs and no other process
 * settled a day since (its last settled day is the one that wrote them); else it reads them. */
struct rel_kept {
    int32_t day;     /* the release day of the rows */
    int32_t settled; /* the settlement that wrote them (committed) */
    int32_t members;
    int64_t *run, *drawn;
};
/* After the settlement of `day` committed, `prev` having been the last settled day before it:
 * the release rows it wrote become the kept ones (when it wrote none, the kept rows no longer
 * answer: the release day moved). */
void rel_kept_settled(struct jf_svc *svc, struct day_run *run, int32_t day);

/* The members' contribution balances, and their growth balances with growth_spent and
 * growth_sold, kept between settlements for the dividends' and the growth cap's holders
 * (kept.c): read whole once, then only the members the service's connection noted since
 * (db.h: jf_db_owner_note), as long as no other connection committed a change to the store (its
 * data version is the same). A settlement that fails drops them (bal_kept_drop): what it read
 * may include its own writes, now undone. */
struct bal_kept {
    int64_t *bal;          /* [owner] (index 0 unused): the balance */
    int64_t *spent, *sold; /* [owner]: growth_spent, growth_sold (growth; with bal > 0) */
    int64_t len;           /* entries: the members 1..len - 1 */
    int64_t version;       /* the store's data version when they were brought up to date */
    bool valid;
};
/* Brings the kept list up to the store's and returns it (NULL: an error). */
const struct bal_kept *bal_kept_get(struct jf_svc *svc, enum jf_note_list list,
                                    struct jf_err *err);
void bal_kept_drop(struct jf_svc *svc);

/* Starts loading the day's lots on a second connection when it can; stage_release waits for it.
 * lots_preload_abort waits for it and drops what it loaded (when the day fails early). */
void lots_preload_start(struct jf_svc *svc, struct day_run *run);
void lots_preload_abort(struct day_run *run);

/* Reports a stage's progress to the caller (a terminal shows it). */
void run_progress(struct day_run *run, const char *stage, const char *detail);

/* An order's items, read once by the command that needs them (orders.c). */
struct order_items {
    int n;
    struct st_item v[JF_ORDER_ITEMS_MAX];
};
int order_items_load(struct jf_svc *svc, int64_t order_id, struct order_items *out,
                     struct jf_err *err);

/* Ad points (ad.c), appreciation points (growth.c), agents and commissions (agents.c). */
bool is_promoter(struct jf_svc *svc, int64_t member, struct jf_err *err, int *rc);
int ad_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                   const struct order_items *items, const char *ref, struct jf_err *err);
int ad_on_refund(struct jf_svc *svc, const struct st_order *o, const char *ref,
                 struct jf_err *err);
int stage_ad(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
             struct jf_err *err);
int growth_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                       const struct order_items *items, const char *ref, struct jf_err *err);
int growth_on_refund(struct jf_svc *svc, const struct st_order *o, struct jf_err *err);
int stage_growth(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                 struct jf_err *err);
int agents_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                       const char *ref, struct jf_err *err);
int commission_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx,
                           const struct st_order *o, const char *ref, struct jf_err *err);

/* The dividend stage (dividend_stage.c). */
int stage_dividends(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                    struct jf_err *err);

/* The release stage (release_stage.c): static and dynamic release of the day's lots. */
int stage_release(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                  struct jf_err *err);

#endif
