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
    struct st_member m;
    *rc = st_member_by_id(svc->db, member, &m, err) == 1 ? JF_OK : JF_ERR;
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

/* One member's release and its referral. */
static int release_one(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                       int64_t member, int64_t totals[3], struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    int64_t balance, original, spent, sold, rel;
    if (lg_balance(svc, member, JF_AD_POINTS, &balance, err) != JF_OK ||
        st_member_programs_get(svc->db, member, &original, &spent, &sold, err) != JF_OK) {
        return JF_ERR;
    }
    if (balance <= 0) {
        return JF_OK;
    }
    int64_t base = r->ad.basis == JF_AD_ORIGINAL ? original : balance;
    if (!jf_apply(base > 0 ? base : 0, r->ad.rate_ppm, &rel)) {
        return jf_err_set(err, JF_E_INTERNAL, "ad", "ad release overflows");
    }
    rel = rel > r->ad.min_release ? rel : r->ad.min_release;
    rel = rel < balance ? rel : balance;
    if (rel == 0) {
        return JF_OK;
    }
    if (lg_move(svc, member, JF_SYS_SINK, JF_AD_POINTS, rel, "ad_release", run->ref, ctx->now,
                err) != JF_OK ||
        lg_move(svc, JF_SYS_EXPENSE, member, JF_CASH, rel, "ad_release", run->ref, ctx->now,
                err) != JF_OK) {
        return JF_ERR;
    }
    totals[0] += rel;
    totals[2]++;
    struct st_member m;
    if (st_member_by_id(svc->db, member, &m, err) != 1) {
        return JF_ERR;
    }
    int64_t u = m.referrer;
    for (int g = 0; g < r->ad.referral.n && u > 0; g++) {
        int rc;
        if (is_promoter(svc, u, err, &rc)) {
            int64_t v;
            JF_ASSERT(jf_apply(rel, r->ad.referral.ppm[g], &v));
            if (lg_move(svc, JF_SYS_EXPENSE, u, JF_CASH, v, "ad_referral", run->ref, ctx->now,
                        err) != JF_OK) {
                return JF_ERR;
            }
            totals[1] += v;
        } else if (rc != JF_OK) {
            return JF_ERR;
        }
        if (st_member_by_id(svc->db, u, &m, err) != 1) {
            return JF_ERR;
        }
        u = m.referrer;
    }
    return JF_OK;
}

int stage_ad(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
             struct jf_err *err)
{
    if (!run->rules->ad.enabled) {
        json_object_set_new(run->steps, "ad", json_pack("{s:b}", "enabled", 0));
        return JF_OK;
    }
    /* the members first: the releases below use other statements */
    size_t n;
    int rc;
    int64_t *ids = st_ids_collect(st_ad_tasks_of(svc->db, run->day), &n, &rc, err);
    int64_t totals[3] = {0, 0, 0}; /* released, referral, members */
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        rc = release_one(svc, ctx, run, ids[i], totals, err);
    }
    free(ids);
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
