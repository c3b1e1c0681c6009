/*
 * release_stage.c — the release step of a day's settlement: loads the live lots into arrays,
 * runs the pure engine (core/release.c), and writes the day's effect in bulk: the lots' new
 * remainders, one pair of transfers per member per kind (locked out of the member into `sink`,
 * points from `issuance` into the member), the balances, debt repayments, and the forfeits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "release.h"
#include "settle_int.h"

static const char *const kind_names[JF_REL_KINDS] = {"release_static", "release_share",
                                                      "release_team", "release_peer"};

struct lots {
    int64_t n;
    int64_t *id, *amount, *remaining, *before, *first;
    int32_t *created;
};

static void lots_free(struct lots *l)
{
    free(l->id);
    free(l->amount);
    free(l->remaining);
    free(l->before);
    free(l->first);
    free(l->created);
}

static int lots_load(struct jf_svc *svc, int32_t n_members, struct lots *l, struct jf_err *err)
{
    memset(l, 0, sizeof *l);
    int64_t cap = st_lots_live_count(svc->db, err);
    if (cap < 0) {
        return JF_ERR;
    }
    size_t c = (size_t)cap + 1;
    l->id = jf_xmalloc(sizeof *l->id * c);
    l->amount = jf_xmalloc(sizeof *l->amount * c);
    l->remaining = jf_xmalloc(sizeof *l->remaining * c);
    l->before = jf_xmalloc(sizeof *l->before * c);
    l->created = jf_xmalloc(sizeof *l->created * c);
    l->first = jf_xcalloc((size_t)n_members + 1, sizeof *l->first);
    struct jf_stmt *it = st_lots_live_iter(svc->db);
    struct st_lot lot;
    int rc;
    int32_t cur = 0; /* members before `cur` have their first lot recorded */
    while ((rc = st_lots_next_live(it, &lot, err)) == 1) {
        JF_ASSERT(l->n < cap && lot.member >= 1 && lot.member <= n_members);
        int32_t m = (int32_t)(lot.member - 1);
        JF_ASSERT(m >= cur - 1);
        while (cur <= m) {
            l->first[cur++] = l->n;
        }
        l->id[l->n] = lot.id;
        l->amount[l->n] = lot.amount;
        l->remaining[l->n] = lot.remaining;
        l->before[l->n] = lot.remaining;
        l->created[l->n] = lot.created_day;
        l->n++;
    }
    while (cur <= n_members) {
        l->first[cur++] = l->n;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Repays points debts out of the day's credits; returns the repayments per member in `repay`
 * (caller-allocated, zeroed). */
static int debts_repay(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                       const int64_t *credit, int64_t *repay, struct jf_err *err)
{
    struct jf_stmt *it = st_debts_iter(svc->db, JF_POINTS);
    int64_t owner, debt;
    int rc;
    /* collect first: the writes below use other statements, but keep the cursor short */
    size_t n = 0, cap = 16;
    int64_t(*d)[2] = jf_xmalloc(sizeof *d * cap);
    while ((rc = st_debts_next(it, &owner, &debt, err)) == 1) {
        if (n == cap) {
            cap *= 2;
            d = jf_xrealloc(d, sizeof *d * cap);
        }
        d[n][0] = owner;
        d[n][1] = debt;
        n++;
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        int32_t m = (int32_t)(d[i][0] - 1);
        if (m >= run->net.n || credit[m] == 0) {
            continue;
        }
        int64_t pay = d[i][1] < credit[m] ? d[i][1] : credit[m];
        repay[m] = pay;
        if (st_account_add_debt(svc->db, d[i][0], JF_POINTS, -pay, err) != JF_OK ||
            st_debt_log_insert(svc->db, jf_account_id(d[i][0], JF_POINTS), -pay,
                               "debt_repayment", run->ref, ctx->now, err) != JF_OK) {
            rc = JF_ERR;
        }
    }
    free(d);
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Writes transfers of one kind: for each member with an amount, `legs` rows. */
static int write_kind(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                      const char *kind, const int64_t *amount, bool locked_leg, bool points_leg,
                      bool repayment, struct st_transfer_row *rows, struct jf_err *err)
{
    size_t k = 0;
    for (int32_t i = 0; i < run->net.n; i++) {
        if (amount[i] == 0) {
            continue;
        }
        int64_t m = (int64_t)i + 1;
        if (locked_leg) {
            rows[k++] = (struct st_transfer_row){jf_account_id(m, JF_LOCKED),
                                                 jf_account_id(JF_SYS_SINK, JF_LOCKED), JF_LOCKED,
                                                 amount[i]};
        }
        if (points_leg) {
            rows[k++] = (struct st_transfer_row){jf_account_id(JF_SYS_ISSUANCE, JF_POINTS),
                                                 jf_account_id(m, JF_POINTS), JF_POINTS,
                                                 amount[i]};
        }
        if (repayment) {
            rows[k++] = (struct st_transfer_row){jf_account_id(m, JF_POINTS),
                                                 jf_account_id(JF_SYS_ISSUANCE, JF_POINTS),
                                                 JF_POINTS, amount[i]};
        }
        if (k + 2 >= (size_t)JF_TRANSFER_BATCH * 16) {
            if (st_transfers_insert_batch(svc->db, rows, k, kind, run->ref, ctx->now, err) !=
                JF_OK) {
                return JF_ERR;
            }
            k = 0;
        }
    }
    return st_transfers_insert_batch(svc->db, rows, k, kind, run->ref, ctx->now, err);
}

/* Locked taken out of each member and the same amount credited in points, less what repaid
 * debts; the system side in two rows. */
static int write_balances(struct jf_svc *svc, struct day_run *run, const int64_t *taken,
                          const int64_t *repay, int64_t total, int64_t repaid,
                          struct jf_err *err)
{
    struct st_account_delta d[2];
    for (int32_t i = 0; i < run->net.n; i++) {
        size_t k = 0;
        if (taken[i] != 0) {
            d[k++] = (struct st_account_delta){(int64_t)i + 1, JF_LOCKED, -taken[i]};
        }
        if (taken[i] - repay[i] != 0) {
            d[k++] = (struct st_account_delta){(int64_t)i + 1, JF_POINTS, taken[i] - repay[i]};
        }
        if (k > 0 && st_account_add_many(svc->db, d, k, err) != JF_OK) {
            return JF_ERR;
        }
    }
    struct st_account_delta sys[2] = {{JF_SYS_SINK, JF_LOCKED, total},
                                      {JF_SYS_ISSUANCE, JF_POINTS, repaid - total}};
    return st_account_add_many(svc->db, sys, 2, err);
}

static int write_day(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                     const struct lots *l, struct jf_release_out *out, struct jf_err *err)
{
    const int32_t n = run->net.n;
    for (int64_t i = 0; i < l->n; i++) {
        if (l->remaining[i] != l->before[i] &&
            st_lot_set_remaining(svc->db, l->id[i], l->remaining[i], err) != JF_OK) {
            return JF_ERR;
        }
    }
    run_progress(run, "release", "lots written");
    /* per member: locked taken and points credited, all kinds together */
    int64_t *taken = jf_xcalloc((size_t)n + 1, sizeof *taken);
    int64_t *repay = jf_xcalloc((size_t)n + 1, sizeof *repay);
    int64_t total = 0, repaid = 0;
    for (int32_t i = 0; i < n; i++) {
        for (int k = 0; k < JF_REL_KINDS; k++) {
            taken[i] += out->paid[k][i]; /* bounded by the member's locked */
        }
        total += taken[i];
    }
    struct st_transfer_row *rows = jf_xmalloc(sizeof *rows * (size_t)JF_TRANSFER_BATCH * 16);
    int rc = debts_repay(svc, ctx, run, taken, repay, err);
    for (int k = 0; rc == JF_OK && k < JF_REL_KINDS; k++) {
        rc = write_kind(svc, ctx, run, kind_names[k], out->paid[k], true, true, false, rows, err);
    }
    if (rc == JF_OK) {
        rc = write_kind(svc, ctx, run, "debt_repayment", repay, false, false, true, rows, err);
    }
    for (int32_t i = 0; i < n; i++) {
        repaid += repay[i];
    }
    if (rc == JF_OK) {
        rc = write_balances(svc, run, taken, repay, total, repaid, err);
    }
    free(rows);
    free(taken);
    free(repay);
    return rc;
}

static void report(struct day_run *run, const struct jf_release_out *out, int64_t lots)
{
    json_object_set_new(
        run->steps, "release",
        json_pack("{s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "enabled", 1, "lots", (json_int_t)lots,
                  "static", (json_int_t)out->total[JF_REL_STATIC], "share",
                  (json_int_t)out->total[JF_REL_SHARE], "team", (json_int_t)out->total[JF_REL_TEAM],
                  "peer", (json_int_t)out->total[JF_REL_PEER], "dynamic",
                  (json_int_t)(out->total[JF_REL_SHARE] + out->total[JF_REL_TEAM] +
                               out->total[JF_REL_PEER]),
                  "forfeited", (json_int_t)out->forfeited_total, "members_paid",
                  (json_int_t)out->members_paid));
}

int stage_release(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                  struct jf_err *err)
{
    if (!run->rules->release.enabled) {
        json_object_set_new(run->steps, "release", json_pack("{s:b}", "enabled", 0));
        return JF_OK;
    }
    JF_ASSERT(run->net_loaded);
    const int32_t n = run->net.n;
    struct lots l;
    if (lots_load(svc, n, &l, err) != JF_OK) {
        lots_free(&l);
        return JF_ERR;
    }
    run_progress(run, "release", "lots loaded");
    int8_t *rank = jf_xmalloc((size_t)n + 1);
    for (int32_t i = 0; i < n; i++) {
        rank[i] = (int8_t)run->net.rank[i];
    }
    struct jf_release_in in = {.n = n, .parent = run->net.parent, .rank = rank, .n_lots = l.n,
                               .lot_first = l.first, .lot_amount = l.amount,
                               .lot_created = l.created, .day = run->day, .rules = run->rules};
    struct jf_release_out out = {.lot_remaining = l.remaining};
    for (int k = 0; k < JF_REL_KINDS; k++) {
        out.paid[k] = jf_xmalloc(sizeof(int64_t) * ((size_t)n + 1));
    }
    out.forfeited = jf_xmalloc(sizeof(int64_t) * ((size_t)n + 1));
    int rc = jf_release_day(&in, &out, err);
    run_progress(run, "release", "computed");
    if (rc == JF_OK) {
        rc = write_day(svc, ctx, run, &l, &out, err);
    }
    if (rc == JF_OK) {
        run->forfeited_locked += out.forfeited_total;
        run->members_paid += out.members_paid;
        report(run, &out, l.n);
    }
    for (int k = 0; k < JF_REL_KINDS; k++) {
        free(out.paid[k]);
    }
    free(out.forfeited);
    free(rank);
    lots_free(&l);
    return rc;
}
