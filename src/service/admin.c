/*
 * admin.c — what operators do (SPEC 7): adjust balances with a reason, review withdrawals,
 * freeze members, set the token price. Every action is written to the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "svc_int.h"

int jf_svc_adjust(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  const char *asset, int64_t amount, const char *reason, struct jf_result *res,
                  struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int a;
    if (ext_id_check(member, "member", err) || asset_get(asset, "asset", &a, err)) {
        return JF_ERR;
    }
    if (a == JF_LOCKED) {
        return jf_err_set(err, JF_E_REFUSED, "asset",
                          "locked points change only through lots, not by adjustment");
    }
    if (amount == 0 || amount > JF_AMOUNT_INPUT_MAX || amount < -JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, "amount",
                          "must be a non-zero integer in minor units (negative to deduct)");
    }
    if (reason == NULL || reason[0] == '\0' || strlen(reason) > JF_TEXT_MAX) {
        return jf_err_set(err, JF_E_INVALID, "reason", "a reason of 1 to %d bytes is required",
                          JF_TEXT_MAX);
    }
    char request[400];
    snprintf(request, sizeof request, "adjust|%s|%s|%lld|%s", member, asset, (long long)amount,
             reason);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    int64_t before = 0, after = 0;
    rc = event_day_check(svc, ctx->now, NULL, err);
    if (rc == JF_OK) {
        rc = member_get(svc, member, "member", &m, err);
    }
    if (rc == JF_OK) {
        rc = lg_balance(svc, m.id, a, &before, err);
    }
    if (rc == JF_OK && amount < 0 && before < -amount) {
        rc = jf_err_set(err, JF_E_REFUSED, "amount",
                        "cannot remove %lld: the balance is %lld", (long long)-amount,
                        (long long)before);
    }
    char ref[120];
    snprintf(ref, sizeof ref, "admin:%s@%lld", ctx->actor ? ctx->actor : "?", (long long)ctx->now);
    if (rc == JF_OK) {
        rc = amount > 0 ? lg_move(svc, JF_SYS_ISSUANCE, m.id, a, amount, "admin_adjust", ref,
                                  ctx->now, err)
                        : lg_move(svc, m.id, JF_SYS_SINK, a, -amount, "admin_adjust", ref,
                                  ctx->now, err);
    }
    if (rc == JF_OK && amount > 0 && a == JF_CONTRIBUTION && svc->rules.contribution.enabled) {
        rc = contrib_after_credit(svc, ctx, m.id, ref, err); /* a grant can reach the threshold */
    }
    if (rc == JF_OK) {
        rc = lg_balance(svc, m.id, a, &after, err);
    }
    if (rc == JF_OK) {
        char target[128], b[64], f[300];
        snprintf(target, sizeof target, "%s/%s", member, asset);
        snprintf(b, sizeof b, "%lld", (long long)before);
        snprintf(f, sizeof f, "%lld (%s)", (long long)after, reason);
        rc = audit(svc, ctx, "adjust", target, b, f, err);
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

static int review_apply(struct jf_svc *svc, const struct jf_ctx *ctx, struct st_withdrawal *w,
                        bool approve, struct jf_result *res, struct jf_err *err)
{
    int want = approve ? JF_WD_APPROVED : JF_WD_REJECTED;
    if (w->status == want) {
        res->replayed = true;
        return JF_OK;
    }
    if (w->status != JF_WD_PENDING) {
        return jf_err_set(err, JF_E_CONFLICT, "request", "withdrawal '%s' was already %s",
                          w->ext_id, jf_withdrawal_status_name(w->status));
    }
    if (event_day_check(svc, ctx->now, NULL, err) != JF_OK) {
        return JF_ERR;
    }
    char ref[100];
    snprintf(ref, sizeof ref, "withdrawal:%s", w->ext_id);
    int rc;
    if (approve) {
        jf_apply(w->amount, svc->rules.withdraw.fee_ppm, &w->fee);
        rc = lg_move(svc, JF_SYS_HOLD, JF_SYS_PAYOUT, JF_CASH, w->amount - w->fee,
                     "withdrawal_payout", ref, ctx->now, err);
        if (rc == JF_OK) {
            rc = lg_move(svc, JF_SYS_HOLD, JF_SYS_REVENUE, JF_CASH, w->fee, "withdrawal_fee", ref,
                         ctx->now, err);
        }
    } else {
        rc = lg_move(svc, JF_SYS_HOLD, w->member, JF_CASH, w->amount, "withdrawal_return", ref,
                     ctx->now, err);
    }
    w->status = want;
    w->reviewed_at = ctx->now;
    if (rc == JF_OK) {
        rc = st_withdrawal_review(svc->db, w, err);
    }
    if (rc == JF_OK) {
        rc = audit(svc, ctx, approve ? "withdrawal_approve" : "withdrawal_reject", w->ext_id,
                   "pending", jf_withdrawal_status_name(w->status), err);
    }
    return rc;
}

int jf_svc_review(struct jf_svc *svc, const struct jf_ctx *ctx, const char *request,
                  bool approve, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(request, "request", err) != JF_OK) {
        return JF_ERR;
    }
    char text[128];
    snprintf(text, sizeof text, "review|%s|%d", request, approve);
    int rc = cmd_begin(svc, ctx, text, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, text, res, rc, err) : rc;
    }
    struct st_withdrawal w;
    rc = st_withdrawal_by_ext(svc->db, request, &w, err);
    if (rc == 0) {
        rc = jf_err_set(err, JF_E_NOT_FOUND, "request", "withdrawal '%s' not found", request);
    } else if (rc == 1) {
        res->id = w.id;
        rc = review_apply(svc, ctx, &w, approve, res, err);
    }
    return cmd_end(svc, ctx, text, res, rc, err);
}

int jf_svc_freeze(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                  bool withdrawals, bool all_set, bool all, struct jf_result *res,
                  struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(member, "member", err) != JF_OK) {
        return JF_ERR;
    }
    char request[160];
    snprintf(request, sizeof request, "freeze|%s|%d|%d|%d", member, withdrawals, all_set, all);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member m;
    rc = member_get(svc, member, "member", &m, err);
    if (rc == JF_OK) {
        bool new_all = all_set ? all : m.frozen_all;
        char b[64], a[64];
        snprintf(b, sizeof b, "withdrawals=%d all=%d", m.frozen_withdrawals, m.frozen_all);
        snprintf(a, sizeof a, "withdrawals=%d all=%d", withdrawals, new_all);
        res->id = m.id;
        rc = st_member_set_frozen(svc->db, m.id, withdrawals, new_all, err);
        if (rc == JF_OK) {
            rc = audit(svc, ctx, "freeze", member, b, a, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

/* Parses a token price as the operator's endpoint does: an exact decimal, above 0. */
static int token_price_parse(const char *price, int64_t *ppm, struct jf_err *err)
{
    if (jf_rate_parse(price, ppm, "price", err) != JF_OK) {
        return JF_ERR;
    }
    if (*ppm <= 0) {
        return jf_err_set(err, JF_E_INVALID, "price", "a token price must be above 0");
    }
    return JF_OK;
}

/* Records `ppm` from `source` inside an open command, with its audit line. */
static int token_price_record(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t ppm,
                              const char *price, const char *source, struct jf_err *err)
{
    int rc = st_token_price_insert(svc->db, ppm, source, ctx->now, err);
    if (rc == JF_OK) {
        rc = audit(svc, ctx, "token_price", "token", NULL, price, err);
    }
    return rc;
}

int jf_svc_token_price(struct jf_svc *svc, const struct jf_ctx *ctx, const char *price,
                       struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int64_t ppm;
    if (token_price_parse(price, &ppm, err) != JF_OK) {
        return JF_ERR;
    }
    char request[80];
    snprintf(request, sizeof request, "token_price|%lld", (long long)ppm);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    rc = token_price_record(svc, ctx, ppm, price, "operator", err);
    return cmd_end(svc, ctx, request, res, rc, err);
}

int jf_svc_token_price_feed(struct jf_svc *svc, const struct jf_ctx *ctx, const char *price,
                            const char *source, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    JF_ASSERT(source != NULL && source[0] != '\0');
    int64_t ppm, latest = 0;
    if (token_price_parse(price, &ppm, err) != JF_OK) {
        return JF_ERR;
    }
    char request[80];
    snprintf(request, sizeof request, "token_price_feed|%lld", (long long)ppm);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    rc = st_token_price_latest(svc->db, &latest, err);
    if (rc == 1 && latest == ppm) {
        res->replayed = true; /* the price in force already: nothing new to record */
        rc = JF_OK;
    } else if (rc >= 0) {
        rc = token_price_record(svc, ctx, ppm, price, source, err);
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}
