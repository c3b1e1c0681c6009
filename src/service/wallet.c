/*
 * wallet.c — what members do with their balances (SPEC 7): transfer points, exchange, withdraw
 * cash, convert points to tokens.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "svc_int.h"

int jf_svc_transfer(struct jf_svc *svc, const struct jf_ctx *ctx, const char *from,
                    const char *to, const char *asset, int64_t amount, struct jf_result *res,
                    struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int a;
    if (ext_id_check(from, "from", err) || ext_id_check(to, "to", err) ||
        asset_get(asset, "asset", &a, err) || amount_check(amount, "amount", err)) {
        return JF_ERR;
    }
    if (a != JF_POINTS) {
        return jf_err_set(err, JF_E_REFUSED, "asset", "only points can be transferred");
    }
    if (!svc->rules.points.transferable) {
        return jf_err_set(err, JF_E_REFUSED, "asset", "points transfers are switched off");
    }
    if (strcmp(from, to) == 0) {
        return jf_err_set(err, JF_E_INVALID, "to", "cannot transfer to oneself");
    }
    char request[200];
    snprintf(request, sizeof request, "transfer|%s|%s|%s|%lld", from, to, asset,
             (long long)amount);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member s = {0}, r = {0};
    int64_t fee = 0;
    rc = event_day_check(svc, ctx->now, NULL, err);
    if (rc == JF_OK) {
        rc = member_get(svc, from, "from", &s, err);
    }
    if (rc == JF_OK) {
        rc = member_get(svc, to, "to", &r, err);
    }
    if (rc == JF_OK && s.frozen_all) {
        rc = jf_err_set(err, JF_E_REFUSED, "from", "member '%s' is frozen", from);
    }
    if (rc == JF_OK) {
        rc = lg_require(svc, s.id, a, amount, "amount", err);
    }
    if (rc == JF_OK) {
        char ref[200];
        snprintf(ref, sizeof ref, "transfer:%s>%s@%lld", from, to, (long long)ctx->now);
        jf_apply(amount, svc->rules.points.transfer_fee_ppm, &fee);
        rc = lg_move(svc, s.id, r.id, a, amount - fee, "transfer", ref, ctx->now, err);
        if (rc == JF_OK) {
            rc = lg_move(svc, s.id, JF_SYS_SINK, a, fee, "transfer_fee", ref, ctx->now, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

int jf_svc_exchange(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                    const char *from, const char *to, int64_t amount, struct jf_result *res,
                    struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int fa, ta;
    if (ext_id_check(member, "member", err) || asset_get(from, "from", &fa, err) ||
        asset_get(to, "to", &ta, err) || amount_check(amount, "amount", err)) {
        return JF_ERR;
    }
    int64_t out_amount = 0;
    if (fa == JF_POINTS && ta == JF_CONTRIBUTION) {
        if (!svc->rules.contribution.enabled) {
            return jf_err_set(err, JF_E_REFUSED, "to", "the contribution program is off");
        }
    } else if (fa == JF_REDPACKET && ta == JF_VOUCHER) {
        out_amount = amount; /* 1:1 */
    } else {
        return jf_err_set(err, JF_E_INVALID, "to",
                          "exchanges are points -> contribution and redpacket -> voucher");
    }
    char request[200];
    snprintf(request, sizeof request, "exchange|%s|%s|%s|%lld", member, from, to,
             (long long)amount);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    rc = event_day_check(svc, ctx->now, NULL, err);
    if (rc == JF_OK) {
        rc = member_get(svc, member, "member", &m, err);
    }
    if (rc == JF_OK) {
        rc = lg_require(svc, m.id, fa, amount, "amount", err);
    }
    if (rc == JF_OK) {
        char ref[120];
        snprintf(ref, sizeof ref, "exchange:%s@%lld", member, (long long)ctx->now);
        if (ta == JF_CONTRIBUTION) {
            rc = contrib_exchange(svc, ctx, m.id, amount, ref, err);
        } else {
            rc = lg_move(svc, m.id, JF_SYS_SINK, fa, amount, "exchange", ref, ctx->now, err);
            if (rc == JF_OK) {
                rc = lg_move(svc, JF_SYS_ISSUANCE, m.id, ta, out_amount, "exchange", ref,
                             ctx->now, err);
            }
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

static int withdraw_apply(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request_id,
                          const struct st_member *m, int64_t amount, struct jf_result *res,
                          struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    int32_t day;
    if (event_day_check(svc, ctx->now, &day, err) != JF_OK) {
        return JF_ERR;
    }
    if (m->frozen_all) {
        return jf_err_set(err, JF_E_REFUSED, "member", "member '%s' is frozen", m->ext_id);
    }
    if (m->frozen_withdrawals) {
        return jf_err_set(err, JF_E_REFUSED, "member", "withdrawals of '%s' are frozen",
                          m->ext_id);
    }
    if (amount < r->withdraw.min) {
        return jf_err_set(err, JF_E_REFUSED, "amount", "the minimum withdrawal is %lld fen",
                          (long long)r->withdraw.min);
    }
    int64_t today;
    if (st_withdrawal_day_sum(svc->db, m->id, day, &today, err) != JF_OK) {
        return JF_ERR;
    }
    if (today + amount > r->withdraw.daily_limit) {
        return jf_err_set(err, JF_E_REFUSED, "amount",
                          "the daily limit is %lld fen and %lld are already requested today",
                          (long long)r->withdraw.daily_limit, (long long)today);
    }
    if (lg_require(svc, m->id, JF_CASH, amount, "amount", err) != JF_OK) {
        return JF_ERR;
    }
    struct st_withdrawal w = {0};
    snprintf(w.ext_id, sizeof w.ext_id, "%s", request_id);
    w.member = m->id;
    w.amount = amount;
    w.status = JF_WD_PENDING;
    w.day = day;
    w.created_at = ctx->now;
    if (st_withdrawal_insert(svc->db, &w, err) != JF_OK) {
        return JF_ERR;
    }
    res->id = w.id;
    char ref[100];
    snprintf(ref, sizeof ref, "withdrawal:%s", request_id);
    return lg_move(svc, m->id, JF_SYS_HOLD, JF_CASH, amount, "withdrawal_hold", ref, ctx->now,
                   err);
}

int jf_svc_withdraw(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
                    const char *member, int64_t amount, struct jf_result *res,
                    struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(request, "request", err) || ext_id_check(member, "member", err) ||
        amount_check(amount, "amount", err)) {
        return JF_ERR;
    }
    char text[200];
    snprintf(text, sizeof text, "withdraw|%s|%s|%lld", request, member, (long long)amount);
    int rc = cmd_begin(svc, ctx, text, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, text, res, rc, err) : rc;
    }
    struct st_member m;
    struct st_withdrawal w;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        rc = st_withdrawal_by_ext(svc->db, request, &w, err);
        if (rc == 1) {
            bool same = w.member == m.id && w.amount == amount;
            res->replayed = same;
            res->id = w.id;
            rc = same ? JF_OK
                      : jf_err_set(err, JF_E_CONFLICT, "request",
                                   "withdrawal request '%s' exists with other contents", request);
        } else if (rc == 0) {
            rc = withdraw_apply(svc, ctx, request, &m, amount, res, err);
        }
    }
    return cmd_end(svc, ctx, text, res, rc, err);
}

int jf_svc_to_token(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                    int64_t points, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(member, "member", err) || amount_check(points, "points", err)) {
        return JF_ERR;
    }
    if (!svc->rules.tokens.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "points", "tokens are switched off");
    }
    char request[160];
    snprintf(request, sizeof request, "to_token|%s|%lld", member, (long long)points);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    int64_t price = 0, tokens = 0;
    rc = event_day_check(svc, ctx->now, NULL, err);
    if (rc == JF_OK) {
        rc = member_get(svc, member, "member", &m, err);
    }
    if (rc == JF_OK) {
        rc = st_token_price_latest(svc->db, &price, err);
        rc = rc == 1 ? JF_OK
                     : (rc == 0 ? jf_err_set(err, JF_E_REFUSED, "points",
                                             "no token price has been set")
                                : JF_ERR);
    }
    if (rc == JF_OK) {
        /* tokens = points x points_value / price, in minor units: one floor of the product */
        if (!jf_muldiv_floor(points, svc->rules.payment.points_value_ppm, price, &tokens)) {
            rc = jf_err_set(err, JF_E_INVALID, "points", "too many points");
        } else if (tokens == 0) {
            rc = jf_err_set(err, JF_E_REFUSED, "points",
                            "too few points for the smallest unit of a token");
        }
    }
    if (rc == JF_OK) {
        rc = lg_require(svc, m.id, JF_POINTS, points, "points", err);
    }
    if (rc == JF_OK) {
        char ref[120];
        snprintf(ref, sizeof ref, "token:%s@%lld", member, (long long)ctx->now);
        rc = lg_move(svc, m.id, JF_SYS_SINK, JF_POINTS, points, "token_conversion", ref,
                     ctx->now, err);
        if (rc == JF_OK) {
            rc = lg_move(svc, JF_SYS_ISSUANCE, m.id, JF_TOKEN, tokens, "token_conversion", ref,
                         ctx->now, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}
