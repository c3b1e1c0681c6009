/*
 * ad.c — ad points (广告电商积分, SPEC 5.4): credited by completed orders, released into cash
 * on the days the member does the ad task, with a referral to promoter uplines paid by the
 * platform.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "day.h"
#include "settle_int.h"

/* A promoter has at least one completed, unrefunded order. */
bool is_promoter(struct jf_svc *svc, int64_t member, struct jf_err *err, int *rc)
{
    struct st_node m;
    *rc = st_node_by_id(svc->db, member, &m, err) == 1 ? JF_OK : JF_ERR;
    return *rc == JF_OK && m.perf_total > 0;
}

int ad_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                   const struct order_items *items, const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    int64_t total = 0;
    for (int i = 0; i < items->n; i++) {
        const struct st_item *item = &items->v[i];
        if (item->zone == JF_ZONE_MALL) {
            continue;
        }
        int64_t ratio = item->ad_ratio.has ? item->ad_ratio.v : r->ad.default_ratio_ppm, v;
        if (!jf_apply(item->unit_price * item->qty, ratio, &v) || !jf_add(total, v, &total)) {
            return jf_err_set(err, JF_E_REFUSED, "items", "ad points overflow");
        }
    }
    if (total == 0) {
        return JF_OK;
    }
    if (st_member_programs_add(svc->db, o->member, total, 0, 0, err) != JF_OK) {
        return JF_ERR;
    }
    return lg_move(svc, JF_SYS_ISSUANCE, o->member, JF_AD_POINTS, total, "ad_points", ref,
                   ctx->now, err);
}

int ad_on_refund(struct jf_svc *svc, const struct st_order *o, const char *ref,
                 struct jf_err *err)
{
    int64_t credited;
    if (st_transfers_sum(svc->db, ref, "ad_points", &credited, err) != JF_OK) {
        return JF_ERR;
    }
    return credited == 0 ? JF_OK
                         : st_member_programs_add(svc->db, o->member, -credited, 0, 0, err);
}

int jf_svc_ad_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                   int32_t day, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(member, "member", err) != JF_OK) {
        return JF_ERR;
    }
    if (!svc->rules.ad.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "ad", "the ad program is off");
    }
    char request[120];
    snprintf(request, sizeof request, "ad_task|%s|%d", member, day);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        rc = day_open_check(svc, day, "day", err);
    }
    if (rc == JF_OK) {
        rc = st_ad_task_insert(svc->db, day, m.id, err);
        res->replayed = rc == 0; /* once a day */
        rc = rc >= 0 ? JF_OK : JF_ERR;
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

/* What a day's ad stage writes: the transfers of each kind and the balance changes, written
 * together at the end; a cash credit to a member who owes cash goes through lg_move at once
 * instead (it repays the debt first, as every credit does). */
struct ad_writes {
    struct st_transfer_row *rel, *ref; /* ad_release, ad_referral */
    size_t n_rel, n_ref;
    struct st_account_delta *d;
    size_t n_d;
    int64_t *debtors; /* members owing cash, ascending */
    size_t n_debtors;
    int64_t released, expense;
    /* what the referral walk reads of each upline, read once a day (members 1..n_members):
     * its referrer, and 1 + whether it is a promoter (0: not read yet) */
    int64_t n_members;
    int64_t *up_referrer;
    int8_t *up_state;
};

/* An upline's referrer and whether it is a promoter, from the day's cache. */
static int upline(struct jf_svc *svc, struct ad_writes *w, int64_t u, int64_t *referrer,
                  bool *promoter, struct jf_err *err)
{
    JF_ASSERT(u >= 1 && u <= w->n_members);
    if (w->up_state[u] == 0) {
        struct st_node m;
        if (st_node_by_id(svc->db, u, &m, err) != 1) {
            return JF_ERR;
        }
        w->up_referrer[u] = m.referrer;
        w->up_state[u] = (int8_t)(1 + (m.perf_total > 0));
    }
    *referrer = w->up_referrer[u];
    *promoter = w->up_state[u] == 2;
    return JF_OK;
}

static void *grow(void *p, size_t n, size_t size)
{
    /* capacities are powers of two: grow when n reaches one */
    return n == 0 || (n & (n - 1)) != 0 ? p : jf_xrealloc(p, size * n * 2);
}

static void push_transfer(struct st_transfer_row **rows, size_t *n, struct st_transfer_row r)
{
    *rows = *n == 0 ? jf_xmalloc(sizeof **rows) : grow(*rows, *n, sizeof **rows);
    (*rows)[(*n)++] = r;
}

static void push_delta(struct ad_writes *w, struct st_account_delta d)
{
    w->d = w->n_d == 0 ? jf_xmalloc(sizeof *w->d) : grow(w->d, w->n_d, sizeof *w->d);
    w->d[w->n_d++] = d;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Cash from the platform (expense) to a member, of `kind`. */
static int pay_cash(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                    struct ad_writes *w, int64_t member, int64_t v, bool referral,
                    struct jf_err *err)
{
    const char *kind = referral ? "ad_referral" : "ad_release";
    if (bsearch(&member, w->debtors, w->n_debtors, sizeof *w->debtors, by_value) != NULL) {
        return lg_move(svc, JF_SYS_EXPENSE, member, JF_CASH, v, kind, run->ref, ctx->now, err);
    }
    struct st_transfer_row r = {jf_account_id(JF_SYS_EXPENSE, JF_CASH),
                                jf_account_id(member, JF_CASH), JF_CASH, v};
    if (referral) {
        push_transfer(&w->ref, &w->n_ref, r);
    } else {
        push_transfer(&w->rel, &w->n_rel, r);
    }
    push_delta(w, (struct st_account_delta){member, JF_CASH, v});
    w->expense += v; /* bounded: what members hold of ad points, and rates below 100% */
    return JF_OK;
}

/* One member's release of the day (SPEC 5.4) and the referral to its promoter uplines. */
static int release_one(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                       const struct st_ad_task *t, struct ad_writes *w, int64_t totals[3],
                       struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    int64_t rel;
    if (t->balance <= 0) {
        return JF_OK;
    }
    int64_t base = r->ad.basis == JF_AD_ORIGINAL ? t->original : t->balance;
    if (!jf_apply(base > 0 ? base : 0, r->ad.rate_ppm, &rel)) {
        return jf_err_set(err, JF_E_INTERNAL, "ad", "ad release overflows");
    }
    rel = rel > r->ad.min_release ? rel : r->ad.min_release;
    rel = rel < t->balance ? rel : t->balance;
    if (rel == 0) {
        return JF_OK;
    }
    push_transfer(&w->rel, &w->n_rel,
                  (struct st_transfer_row){jf_account_id(t->member, JF_AD_POINTS),
                                           jf_account_id(JF_SYS_SINK, JF_AD_POINTS), JF_AD_POINTS,
                                           rel});
    push_delta(w, (struct st_account_delta){t->member, JF_AD_POINTS, -rel});
    w->released += rel;
    if (pay_cash(svc, ctx, run, w, t->member, rel, false, err) != JF_OK) {
        return JF_ERR;
    }
    totals[0] += rel;
    totals[2]++;
    int64_t u = t->referrer;
    for (int g = 0; g < r->ad.referral.n && u > 0; g++) {
        int64_t next, v;
        bool promoter;
        if (upline(svc, w, u, &next, &promoter, err) != JF_OK) {
            return JF_ERR;
        }
        JF_ASSERT(jf_apply(rel, r->ad.referral.ppm[g], &v));
        if (promoter && v > 0) {
            if (pay_cash(svc, ctx, run, w, u, v, true, err) != JF_OK) {
                return JF_ERR;
            }
            totals[1] += v;
        }
        u = next;
    }
    return JF_OK;
}

/* Writes what the members' releases gathered: the transfers, then the balances. */
static int ad_writes_flush(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                           struct ad_writes *w, struct jf_err *err)
{
    if (w->released == 0) {
        return JF_OK; /* nothing released: nothing paid either */
    }
    push_delta(w, (struct st_account_delta){JF_SYS_SINK, JF_AD_POINTS, w->released});
    if (w->expense > 0) {
        push_delta(w, (struct st_account_delta){JF_SYS_EXPENSE, JF_CASH, -w->expense});
    }
    if (st_transfers_insert_batch(svc->db, w->rel, w->n_rel, "ad_release", run->ref, ctx->now,
                                  err) != JF_OK ||
        st_transfers_insert_batch(svc->db, w->ref, w->n_ref, "ad_referral", run->ref, ctx->now,
                                  err) != JF_OK) {
        return JF_ERR;
    }
    return st_accounts_add_batch(svc->db, w->d, w->n_d, err);
}

static void ad_writes_free(struct ad_writes *w)
{
    free(w->rel);
    free(w->ref);
    free(w->d);
    free(w->debtors);
    free(w->up_referrer);
    free(w->up_state);
}

int stage_ad(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
             struct jf_err *err)
{
    if (!run->rules->ad.enabled) {
        json_object_set_new(run->steps, "ad", json_pack("{s:b}", "enabled", 0));
        return JF_OK;
    }
    /* the members and what the day reads of them first, and the members owing cash: the
     * releases below use other statements. A member's release changes its own ad points and
     * the cash of its uplines, which no other member's release reads. */
    size_t n;
    int rc;
    struct st_ad_task *tasks = st_ad_tasks_collect(svc->db, run->day, &n, &rc, err);
    struct ad_writes w = {0};
    if (rc == JF_OK) {
        w.debtors = st_ids_collect(st_debts_iter(svc->db, JF_CASH), &w.n_debtors, &rc, err);
    }
    if (rc == JF_OK && n > 0) {
        w.n_members = st_member_count(svc->db, err);
        rc = w.n_members < 0 ? JF_ERR : JF_OK;
    }
    if (rc == JF_OK && n > 0) {
        w.up_referrer = jf_xmalloc(sizeof *w.up_referrer * ((size_t)w.n_members + 1));
        w.up_state = jf_xcalloc((size_t)w.n_members + 1, 1);
    }
    int64_t totals[3] = {0, 0, 0}; /* released, referral, members */
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        rc = release_one(svc, ctx, run, &tasks[i], &w, totals, err);
    }
    if (rc == JF_OK) {
        rc = ad_writes_flush(svc, ctx, run, &w, err);
    }
    free(tasks);
    ad_writes_free(&w);
    if (rc == JF_OK) {
        run->members_paid += totals[2];
        json_object_set_new(run->steps, "ad",
                            json_pack("{s:b,s:I,s:I,s:I,s:I}", "enabled", 1, "tasks",
                                      (json_int_t)n, "released", (json_int_t)totals[0],
                                      "referral", (json_int_t)totals[1], "members",
                                      (json_int_t)totals[2]));
    }
    return rc;
}
