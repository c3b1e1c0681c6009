/*
 * growth.c — appreciation points on a backing pool (消费增值, 托底池, SPEC 5.5).
 *
 * The pool is the cash account growth_pool; the supply is the sum of members' growth points;
 * the ledger keeps both in growth_state (ledger.c), which invariant 5 checks. The price is
 * pool / supply (the initial price while either is 0). Grants buy at the price, sells pay
 * sell_payout of it, so every grant and every sell leaves the price where it was or higher.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "day.h"
#include "settle_int.h"

int growth_on_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const struct st_order *o,
                       const struct order_items *items, const char *ref, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    int64_t c = 0, eligible = 0;
    for (int i = 0; i < items->n; i++) {
        const struct st_item *item = &items->v[i];
        int64_t g = item->growth_ratio.has ? item->growth_ratio.v : r->growth.default_ratio_ppm;
        if (item->zone == JF_ZONE_MALL || g == 0) {
            continue;
        }
        int64_t line = item->unit_price * item->qty, v; /* bounded when placed */
        JF_ASSERT(jf_apply(line, g, &v));
        c += v;
        eligible += line;
    }
    if (c == 0) {
        return JF_OK;
    }
    int64_t pool, supply, granted = 0, v;
    if (st_growth_get(svc->db, &pool, &supply, err) != JF_OK) {
        return JF_ERR;
    }
    JF_ASSERT(jf_apply(c, r->growth.gift_ppm, &v));
    bool ok = true;
    if (r->growth.granting) {
        ok = (supply == 0 || pool == 0)
                 ? jf_muldiv_floor(v, JF_PPM, r->growth.initial_price_ppm, &granted)
                 : jf_muldiv_floor(v, supply, pool, &granted);
    }
    if (!ok) {
        return jf_err_set(err, JF_E_REFUSED, "items", "appreciation points overflow");
    }
    if (st_member_programs_add(svc->db, o->member, 0, eligible, 0, err) != JF_OK ||
        st_order_set_growth_eligible(svc->db, o->id, eligible, err) != JF_OK ||
        lg_move(svc, JF_SYS_REVENUE, JF_SYS_GROWTH_POOL, JF_CASH, c, "growth_contribution", ref,
                ctx->now, err) != JF_OK) {
        return JF_ERR;
    }
    return lg_move(svc, JF_SYS_ISSUANCE, o->member, JF_GROWTH, granted, "growth_grant", ref,
                   ctx->now, err);
}

int growth_on_refund(struct jf_svc *svc, const struct st_order *o, struct jf_err *err)
{
    int64_t eligible;
    if (st_order_growth_eligible(svc->db, o->id, &eligible, err) != JF_OK) {
        return JF_ERR;
    }
    return eligible == 0 ? JF_OK
                         : st_member_programs_add(svc->db, o->member, 0, -eligible, 0, err);
}

/* Sells q of a member's points at sell_payout of the price: one floor of
 * q x pool x payout / supply. The pool pays; supply falls. *cash receives the payment. */
static int sell_points(struct jf_svc *svc, int64_t member, int64_t q, const struct jf_rules *r,
                       const char *kind, const char *ref, int64_t at, int64_t *cash,
                       struct jf_err *err)
{
    int64_t pool, supply;
    if (st_growth_get(svc->db, &pool, &supply, err) != JF_OK) {
        return JF_ERR;
    }
    JF_ASSERT(q > 0 && q <= supply);
    unsigned __int128 num = (unsigned __int128)q * (unsigned __int128)pool *
                            (unsigned __int128)r->growth.sell_payout_ppm;
    unsigned __int128 den = (unsigned __int128)supply * (unsigned __int128)JF_PPM;
    *cash = (int64_t)(num / den); /* q <= supply and payout <= 100%: at most the pool */
    JF_ASSERT(*cash >= 0 && *cash <= pool);
    if (lg_move(svc, member, JF_SYS_SINK, JF_GROWTH, q, kind, ref, at, err) != JF_OK ||
        lg_move(svc, JF_SYS_GROWTH_POOL, member, JF_CASH, *cash, kind, ref, at, err) != JF_OK) {
        return JF_ERR;
    }
    return st_member_programs_add(svc->db, member, 0, 0, *cash, err);
}

int jf_svc_sell(struct jf_svc *svc, const struct jf_ctx *ctx, const char *member,
                int64_t amount, struct jf_result *res, struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(member, "member", err) != JF_OK ||
        amount_check(amount, "amount", err) != JF_OK) {
        return JF_ERR;
    }
    if (!svc->rules.growth.enabled) {
        return jf_err_set(err, JF_E_REFUSED, "growth", "the growth program is off");
    }
    char request[160];
    snprintf(request, sizeof request, "sell|%s|%lld", member, (long long)amount);
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
        rc = lg_require(svc, m.id, JF_GROWTH, amount, "amount", err);
    }
    if (rc == JF_OK) {
        char ref[120];
        int64_t cash;
        snprintf(ref, sizeof ref, "sell:%s@%lld", member, (long long)ctx->now);
        rc = sell_points(svc, m.id, amount, &svc->rules, "growth_sell", ref, ctx->now, &cash,
                         err);
        res->id = cash;
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

/* The cap (封顶): a member whose gain reaches cap_multiple x its eligible spending exits. */
static int caps(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                int64_t *exits, int64_t *paid, struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    size_t n;
    int rc;
    /* every holder taken at once (kept between settlements: kept.c): an exit changes only
     * the exiting member's rows and the pool, which is read again after it */
    const struct bal_kept *k = bal_kept_get(svc, JF_NOTE_GROWTH, err);
    rc = k != NULL ? JF_OK : JF_ERR;
    n = 0;
    struct st_growth_holder *h = jf_xmalloc(sizeof *h * (size_t)(k != NULL ? k->len : 1));
    for (int64_t owner = 1; k != NULL && owner < k->len; owner++) {
        if (k->bal[owner] > 0) {
            h[n++] = (struct st_growth_holder){owner, k->bal[owner], k->spent[owner],
                                               k->sold[owner]};
        }
    }
    int64_t pool = 0, supply = 0;
    if (rc == JF_OK) {
        rc = st_growth_get(svc->db, &pool, &supply, err);
    }
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        int64_t limit, worth;
        if (h[i].spent <= 0) {
            continue; /* no eligible spending: no cap to reach */
        }
        if (!jf_apply(h[i].spent, r->growth.cap_multiple_ppm, &limit) ||
            !jf_muldiv_floor(h[i].holding, pool, supply, &worth)) {
            rc = jf_err_set(err, JF_E_INTERNAL, "growth", "cap arithmetic overflows");
            break;
        }
        if (h[i].sold + worth >= limit) {
            int64_t cash;
            rc = sell_points(svc, h[i].member, h[i].holding, r, "growth_cap_exit", run->ref,
                             ctx->now, &cash, err);
            (*exits)++;
            *paid += cash;
            if (rc == JF_OK) {
                rc = st_growth_get(svc->db, &pool, &supply, err);
            }
        }
    }
    free(h);
    return rc;
}

int stage_growth(struct jf_svc *svc, const struct jf_ctx *ctx, struct day_run *run,
                 struct jf_err *err)
{
    const struct jf_rules *r = run->rules;
    if (!r->growth.enabled) {
        json_object_set_new(run->steps, "growth", json_pack("{s:b}", "enabled", 0));
        return JF_OK;
    }
    int64_t income, injected = 0, exits = 0, paid = 0;
    if (st_income_sum(svc->db, run->day, &income, err) != JF_OK) {
        return JF_ERR;
    }
    JF_ASSERT(jf_apply(income, r->growth.pool_injection_share_ppm, &injected));
    if (lg_move(svc, JF_SYS_REVENUE, JF_SYS_GROWTH_POOL, JF_CASH, injected, "growth_injection",
                run->ref, ctx->now, err) != JF_OK ||
        caps(svc, ctx, run, &exits, &paid, err) != JF_OK) {
        return JF_ERR;
    }
    int64_t pool, supply;
    if (st_growth_get(svc->db, &pool, &supply, err) != JF_OK) {
        return JF_ERR;
    }
    json_object_set_new(run->steps, "growth",
                        json_pack("{s:b,s:I,s:I,s:I,s:I,s:I}", "enabled", 1, "injected",
                                  (json_int_t)injected, "forced_exits", (json_int_t)exits,
                                  "exit_paid", (json_int_t)paid, "pool", (json_int_t)pool,
                                  "supply", (json_int_t)supply));
    return JF_OK;
}
