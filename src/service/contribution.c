/*
 * contribution.c — the contribution program (SPEC 5.2): contribution from exchange, tasks,
 * sign-in and bonuses; the once-only bonuses (first reach, first purchase) and the friend rewards
 * over three generations; the first-reach cascade up the referral chain.
 *
 * Every credit of contribution to a member goes through contrib_credit or is followed by
 * first_reach_cascade, so that "the first time a member's contribution reaches the threshold"
 * is checked after each of them. The cascade is a work list, not recursion: a member reaching
 * the threshold pays its referrer, who may reach it in turn; each member reaches once, so it
 * ends after at most one visit per member of the chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "contribution.h"
#include "day.h"
#include "jf_assert.h"
#include "svc_int.h"
#include "tz.h"

struct worklist {
    int64_t *v;
    size_t n, cap;
};

static void wl_push(struct worklist *w, int64_t member)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        w->v = jf_xrealloc(w->v, sizeof *w->v * w->cap);
    }
    w->v[w->n++] = member;
}

static int64_t referrer_of(struct jf_svc *svc, int64_t member, struct jf_err *err)
{
    struct st_node m;
    int rc = st_node_by_id(svc->db, member, &m, err);
    return rc == 1 ? m.referrer : (rc == 0 ? 0 : -1);
}

/* Checks every member on the list (and those its bonuses reach) for a first reach. */
static int first_reach_cascade(struct jf_svc *svc, const struct jf_ctx *ctx, struct worklist *w,
                               const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    int32_t day = jf_tz_local_day(ctx->now);
    int rc = JF_OK;
    while (w->n > 0 && rc == JF_OK) {
        int64_t m = w->v[--w->n];
        struct st_contrib_state s;
        int64_t balance;
        if (st_contrib_state_get(svc->db, m, &s, err) != JF_OK ||
            lg_balance(svc, m, JF_CONTRIBUTION, &balance, err) != JF_OK) {
            rc = JF_ERR;
            break;
        }
        if (s.first_reach_day != JF_DAY_NONE || balance < r->contribution.first_reach_threshold) {
            continue;
        }
        s.first_reach_day = day;
        rc = st_contrib_state_set(svc->db, m, &s, err);
        if (rc == JF_OK) {
            rc = lg_move(svc, JF_SYS_ISSUANCE, m, JF_CONTRIBUTION,
                         r->contribution.first_reach_reward, "first_reach", ref, ctx->now, err);
        }
        int64_t up = rc == JF_OK ? referrer_of(svc, m, err) : -1;
        if (up < 0) {
            rc = JF_ERR;
        } else if (up > 0 && r->contribution.friend_first_reach > 0) {
            rc = lg_move(svc, JF_SYS_ISSUANCE, up, JF_CONTRIBUTION,
                         r->contribution.friend_first_reach, "friend_first_reach", ref, ctx->now,
                         err);
            wl_push(w, up);
        }
    }
    return rc;
}

int contrib_after_credit(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                         const char *ref, struct jf_err *err)
{
    struct worklist w = {0};
    wl_push(&w, member);
    int rc = first_reach_cascade(svc, ctx, &w, ref, err);
    free(w.v);
    return rc;
}

/* Credits `amount` to a member and to each of its uplines the friend rate of its generation
 * (rates in ppm applied to `amount`), with the given kinds. */
static int credit_with_friends(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                               int64_t amount, const char *kind, const char *friend_kind,
                               const struct jf_rate_list *rates, const char *ref,
                               struct worklist *w, struct jf_err *err)
{
    if (lg_move(svc, JF_SYS_ISSUANCE, member, JF_CONTRIBUTION, amount, kind, ref, ctx->now, err) !=
        JF_OK) {
        return JF_ERR;
    }
    wl_push(w, member);
    int64_t u = referrer_of(svc, member, err);
    for (int g = 0; g < rates->n && u > 0; g++) {
        int64_t v;
        JF_ASSERT(jf_apply(amount, rates->ppm[g], &v));
        if (lg_move(svc, JF_SYS_ISSUANCE, u, JF_CONTRIBUTION, v, friend_kind, ref, ctx->now,
                    err) != JF_OK) {
            return JF_ERR;
        }
        wl_push(w, u);
        u = referrer_of(svc, u, err);
    }
    return u < 0 ? JF_ERR : JF_OK;
}

int contrib_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                        int32_t day, const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    struct worklist w = {0};
    struct st_contrib_state s;
    int rc = st_contrib_state_get(svc->db, o->member, &s, err);
    int64_t up = rc == JF_OK ? referrer_of(svc, o->member, err) : -1;
    rc = up < 0 ? JF_ERR : rc;
    /* the first completed purchase: the buyer and its referrer, once */
    if (rc == JF_OK && s.first_purchase_day == JF_DAY_NONE && o->amount > 0) {
        s.first_purchase_day = day;
        rc = st_contrib_state_set(svc->db, o->member, &s, err);
        if (rc == JF_OK) {
            rc = lg_move(svc, JF_SYS_ISSUANCE, o->member, JF_CONTRIBUTION,
                         r->contribution.first_purchase, "first_purchase", ref, ctx->now, err);
            wl_push(&w, o->member);
        }
        if (rc == JF_OK && up > 0) {
            rc = lg_move(svc, JF_SYS_ISSUANCE, up, JF_CONTRIBUTION,
                         r->contribution.friend_first_purchase, "friend_first_purchase", ref,
                         ctx->now, err);
            wl_push(&w, up);
        }
    }
    /* friend consumption over the generations: one floor of amount x multiplier x rate */
    int64_t u = up;
    for (int g = 0; rc == JF_OK && g < r->contribution.friend_consumption_rates.n && u > 0; g++) {
        int64_t v;
        if (!jf_friend_consumption(o->amount, r->contribution.friend_consumption_multiplier_ppm,
                                   r->contribution.friend_consumption_rates.ppm[g], &v)) {
            rc = jf_err_set(err, JF_E_REFUSED, "order", "friend reward overflows");
            break;
        }
        rc = lg_move(svc, JF_SYS_ISSUANCE, u, JF_CONTRIBUTION, v, "friend_consumption", ref,
                     ctx->now, err);
        wl_push(&w, u);
        u = referrer_of(svc, u, err);
        rc = u < 0 ? JF_ERR : rc;
    }
    if (rc == JF_OK) {
        rc = first_reach_cascade(svc, ctx, &w, ref, err);
    }
    free(w.v);
    return rc;
}

int contrib_exchange(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                     int64_t points, const char *ref, struct jf_err *err)
{
    int64_t c;
    if (!jf_apply(points, svc->rules.points.to_contribution_ppm, &c)) {
        return jf_err_set(err, JF_E_INVALID, "amount", "too many points");
    }
    if (lg_move(svc, member, JF_SYS_SINK, JF_POINTS, points, "exchange", ref, ctx->now, err) !=
            JF_OK ||
        lg_move(svc, JF_SYS_ISSUANCE, member, JF_CONTRIBUTION, c, "exchange", ref, ctx->now,
                err) != JF_OK) {
        return JF_ERR;
    }
    return contrib_after_credit(svc, ctx, member, ref, err);
}

/* ---- tasks, sign-in, income ------------------------------------------------------------- */

static int task_apply(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_member *m,
                      int kind, int64_t amount, struct jf_err *err)
{
    int32_t day;
    int64_t today;
    if (event_day_check(svc, ctx->now, &day, err) != JF_OK ||
        st_task_total(svc->db, m->id, day, kind, &today, err) != JF_OK) {
        return JF_ERR;
    }
    int64_t credit = jf_task_capped(amount, svc->rules.contribution.task_caps[kind], today);
    if (credit == 0) {
        return jf_err_set(err, JF_E_REFUSED, "contribution",
                          "the daily cap of %s tasks is reached (%lld)", jf_task_kind_names[kind],
                          (long long)svc->rules.contribution.task_caps[kind]);
    }
    char ref[160];
    snprintf(ref, sizeof ref, "task:%s:%s@%lld", m->ext_id, jf_task_kind_names[kind],
             (long long)ctx->now);
    struct worklist w = {0};
    int rc = st_task_total_add(svc->db, m->id, day, kind, credit, err);
    if (rc == JF_OK) {
        rc = credit_with_friends(svc, ctx, m->id, credit, "task", "friend_task",
                                 &svc->rules.contribution.friend_task, ref, &w, err);
    }
    if (rc == JF_OK) {
        rc = first_reach_cascade(svc, ctx, &w, ref, err);
    }
    free(w.v);
    return rc;
}

int jf_svc_task(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                const char *kind, int64_t contribution, struct jf_result *res,
                struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int k = jf_task_kind_from_name(kind);
    if (ext_id_check(member, "member", err) != JF_OK) {
        return JF_ERR;
    }
    if (k < 0) {
        return jf_err_set(err, JF_E_INVALID, "kind",
                          "unknown task kind (signin, share, ad_view, game, task, video, novel, "
                          "activity)");
    }
    if (amount_check(contribution, "contribution", err) != JF_OK) {
        return JF_ERR;
    }
    if (!svc->rules.contribution.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "contribution", "the contribution program is off");
    }
    char request[200];
    snprintf(request, sizeof request, "task|%s|%s|%lld", member, kind, (long long)contribution);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        rc = task_apply(svc, ctx, &m, k, contribution, err);
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

static int signin_apply(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_member *m,
                        int32_t day, struct jf_result *res, struct jf_err *err)
{
    struct st_contrib_state s;
    if (day_open_check(svc, day, "day", err) != JF_OK ||
        st_contrib_state_get(svc->db, m->id, &s, err) != JF_OK) {
        return JF_ERR;
    }
    if (s.signin_day == day) {
        res->replayed = true; /* once a day: the second sign-in is the first one again */
        return JF_OK;
    }
    if (s.signin_day != JF_DAY_NONE && day < s.signin_day) {
        char d[16];
        jf_day_format(s.signin_day, d, sizeof d);
        return jf_err_set(err, JF_E_REFUSED, "day", "'%s' already signed in on a later day, %s",
                          m->ext_id, d);
    }
    s.signin_streak = (s.signin_day != JF_DAY_NONE && s.signin_day == day - 1)
                          ? s.signin_streak + 1
                          : 1;
    s.signin_day = day;
    int64_t reward = jf_signin_reward(&svc->rules, s.signin_streak);
    char ref[120], d[16];
    jf_day_format(day, d, sizeof d);
    snprintf(ref, sizeof ref, "signin:%s:%s", m->ext_id, d);
    int asset = svc->rules.signin.asset;
    if (st_contrib_state_set(svc->db, m->id, &s, err) != JF_OK ||
        lg_move(svc, JF_SYS_ISSUANCE, m->id, asset, reward, "signin", ref, ctx->now, err) !=
            JF_OK) {
        return JF_ERR;
    }
    /* (a member who reached the threshold before cannot reach it again: nothing to check) */
    return asset == JF_CONTRIBUTION && s.first_reach_day == JF_DAY_NONE
               ? contrib_after_credit(svc, ctx, m->id, ref, err)
               : JF_OK;
}

int jf_svc_signin(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  int32_t day, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(member, "member", err) != JF_OK) {
        return JF_ERR;
    }
    if (!svc->rules.signin.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "signin", "the signin program is off");
    }
    char request[160];
    snprintf(request, sizeof request, "signin|%s|%d", member, day);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        rc = signin_apply(svc, ctx, &m, day, res, err);
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

int jf_svc_income(struct jf_svc *svc, const struct jf_ctx *ctx, int32_t day, int64_t amount,
                  struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (amount_check(amount, "amount", err) != JF_OK) {
        return JF_ERR;
    }
    char request[80];
    snprintf(request, sizeof request, "income|%d|%lld", day, (long long)amount);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    rc = day_open_check(svc, day, "day", err);
    if (rc == JF_OK) {
        rc = st_income_insert(svc->db, day, amount, ctx->actor ? ctx->actor : "operator",
                              ctx->now, &res->id, err);
    }
    if (rc == JF_OK) {
        char ref[48], after[48];
        snprintf(ref, sizeof ref, "income:%lld", (long long)res->id);
        snprintf(after, sizeof after, "%lld", (long long)amount);
        rc = lg_move(svc, JF_SYS_PAYIN, JF_SYS_REVENUE, JF_CASH, amount, "income", ref, ctx->now,
                     err);
        if (rc == JF_OK) {
            rc = audit(svc, ctx, "income", ref, NULL, after, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}
