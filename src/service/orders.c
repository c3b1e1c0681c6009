/*
 * orders.c — placing, confirming, completing and refunding orders (SPEC 4) and the rewards an
 * order credits on completion (consumption points, SPEC 5.1).
 *
 * Money flows: points and voucher are taken from the buyer when the order is placed; cash is
 * recorded as paid (payin -> revenue) when the order is paid online or the offline payment is
 * confirmed. Every reward an order credits carries the reference "order:<id>", which is how a
 * refund finds and claws back exactly what the order gave.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "release.h"
#include "settle_int.h"
#include "tz.h"

struct priced {
    struct st_item items[JF_ORDER_ITEMS_MAX];
    int64_t amount;      /* non-mall amount */
    int64_t mall_cash;   /* price of mall items, paid in cash */
    int64_t mall_points; /* points price of mall items */
    bool has_repurchase;
};

static void order_ref(const char *ext, char *buf, size_t n)
{
    snprintf(buf, n, "order:%s", ext);
}

/* Looks the products up and prices the items. */
static int price_items(struct jf_svc *svc, const struct jf_order_req *req, struct priced *pr,
                       struct jf_err *err)
{
    memset(pr, 0, sizeof *pr);
    for (int i = 0; i < req->n_items; i++) {
        char f[48];
        snprintf(f, sizeof f, "items[%d].product", i);
        struct st_product p;
        if (ext_id_check(req->items[i].product, f, err) != JF_OK) {
            return JF_ERR;
        }
        int rc = st_product_by_ext(svc->db, req->items[i].product, &p, err);
        if (rc != 1) {
            return rc < 0 ? JF_ERR
                          : jf_err_set(err, JF_E_NOT_FOUND, f, "product '%s' not found",
                                       req->items[i].product);
        }
        if (!p.active) {
            return jf_err_set(err, JF_E_REFUSED, f, "product '%s' is not on sale", p.ext_id);
        }
        snprintf(f, sizeof f, "items[%d].qty", i);
        int64_t qty = req->items[i].qty;
        if (qty < 1 || qty > JF_ORDER_QTY_MAX) {
            return jf_err_set(err, JF_E_INVALID, f, "must be 1 to %d", JF_ORDER_QTY_MAX);
        }
        if (p.stock.has && p.stock.v < qty) {
            return jf_err_set(err, JF_E_INSUFFICIENT, f, "only %lld of '%s' in stock",
                              (long long)p.stock.v, p.ext_id);
        }
        struct st_item *it = &pr->items[i];
        *it = (struct st_item){.line = i, .product = p.id, .qty = qty, .unit_price = p.price,
                               .zone = p.zone, .points = p.points, .points_rate = p.points_rate,
                               .release_eligible = p.release_eligible, .ad_ratio = p.ad_ratio,
                               .growth_ratio = p.growth_ratio, .points_price = p.points_price};
        int64_t line, pts;
        if (!jf_mul(p.price, qty, &line)) {
            return jf_err_set(err, JF_E_INVALID, f, "line amount overflows");
        }
        bool ok = true;
        if (p.zone == JF_ZONE_MALL) {
            ok = jf_add(pr->mall_cash, line, &pr->mall_cash) &&
                 jf_mul(p.points_price.v, qty, &pts) &&
                 jf_add(pr->mall_points, pts, &pr->mall_points);
        } else {
            ok = jf_add(pr->amount, line, &pr->amount);
        }
        if (!ok || pr->amount > JF_AMOUNT_INPUT_MAX || pr->mall_points > JF_AMOUNT_INPUT_MAX ||
            pr->mall_cash > JF_AMOUNT_INPUT_MAX) {
            return jf_err_set(err, JF_E_INVALID, "items", "order total is too large");
        }
        pr->has_repurchase |= p.zone == JF_ZONE_REPURCHASE;
    }
    return JF_OK;
}

/* Checks the payment mix and fills the money columns of o. */
static int price_payment(struct jf_svc *svc, const struct jf_order_req *req,
                         const struct priced *pr, struct st_order *o, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    if (req->pay_points < 0 || req->pay_points > JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, "pay.points", "must be 0 or more points");
    }
    if (req->pay_voucher < 0 || req->pay_voucher > JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, "pay.voucher", "must be 0 or more fen");
    }
    int64_t value, max_points, max_voucher;
    JF_ASSERT(jf_apply(req->pay_points, r->payment.points_value_ppm, &value));
    int64_t check;
    JF_ASSERT(jf_muldiv_floor(value, JF_PPM, r->payment.points_value_ppm, &check));
    if (check != req->pay_points) {
        return jf_err_set(err, JF_E_INVALID, "pay.points",
                          "%lld points are not a whole number of fen at the points value",
                          (long long)req->pay_points);
    }
    JF_ASSERT(jf_apply(pr->amount, r->payment.max_points_share_ppm, &max_points));
    JF_ASSERT(jf_apply(pr->amount, r->payment.max_voucher_share_ppm, &max_voucher));
    if (value > max_points) {
        return jf_err_set(err, JF_E_REFUSED, "pay.points",
                          "points may pay at most %lld fen of this order", (long long)max_points);
    }
    if (req->pay_voucher > max_voucher) {
        return jf_err_set(err, JF_E_REFUSED, "pay.voucher",
                          "voucher may pay at most %lld fen of this order",
                          (long long)max_voucher);
    }
    if (value + req->pay_voucher > pr->amount) {
        return jf_err_set(err, JF_E_REFUSED, "pay",
                          "points and voucher together exceed the order amount");
    }
    o->amount = pr->amount;
    o->points_paid = req->pay_points;
    o->points_value = value;
    o->voucher_paid = req->pay_voucher;
    o->mall_points = pr->mall_points;
    o->perf_points = value + req->pay_voucher;
    o->perf_cash = pr->amount - o->perf_points;
    o->cash = o->perf_cash + pr->mall_cash;
    return JF_OK;
}

static void order_request_text(const struct jf_order_req *req, char *buf, size_t n)
{
    /* canonical text of the request; its FNV-1a hash is the idempotency fingerprint */
    uint64_t h = 1469598103934665603ull;
    char part[256];
#define MIX(s)                                                                                     \
    for (const char *c_ = (s); *c_; c_++) {                                                        \
        h = (h ^ (unsigned char)*c_) * 1099511628211ull;                                           \
    }
    snprintf(part, sizeof part, "%s|%lld|%lld|%s|%d|", req->member, (long long)req->pay_points,
             (long long)req->pay_voucher, req->region ? req->region : "", req->offline);
    MIX(part);
    for (int i = 0; i < req->n_items; i++) {
        snprintf(part, sizeof part, "%s*%lld;", req->items[i].product,
                 (long long)req->items[i].qty);
        MIX(part);
    }
#undef MIX
    snprintf(buf, n, "%016llx", (unsigned long long)h);
}

static int region_check(const char *region, struct jf_err *err)
{
    if (region == NULL) {
        return JF_OK;
    }
    bool ok = strlen(region) == 6;
    for (int i = 0; ok && i < 6; i++) {
        ok = region[i] >= '0' && region[i] <= '9';
    }
    if (!ok || strcmp(region, "000000") == 0) {
        return jf_err_set(err, JF_E_INVALID, "region",
                          "must be a six-digit GB/T 2260 region code");
    }
    return JF_OK;
}

static int take_payment(struct jf_svc *svc, const struct st_order *o, const struct priced *pr,
                        int n_items, int64_t at, struct jf_err *err)
{
    char ref[80];
    order_ref(o->ext_id, ref, sizeof ref);
    for (int i = 0; i < n_items; i++) {
        int64_t left;
        if (st_product_add_stock(svc->db, pr->items[i].product, -pr->items[i].qty, &left, err) !=
            JF_OK) {
            return JF_ERR;
        }
        if (left < 0) {
            char f[48];
            snprintf(f, sizeof f, "items[%d].qty", i);
            return jf_err_set(err, JF_E_INSUFFICIENT, f, "not enough in stock for this order");
        }
        if (st_order_item_insert(svc->db, o->id, &pr->items[i], err) != JF_OK) {
            return JF_ERR;
        }
    }
    int64_t points = o->points_paid + o->mall_points;
    if (lg_require(svc, o->member, JF_POINTS, points, "pay.points", err) != JF_OK ||
        lg_require(svc, o->member, JF_VOUCHER, o->voucher_paid, "pay.voucher", err) != JF_OK) {
        return JF_ERR;
    }
    if (lg_move(svc, o->member, JF_SYS_SINK, JF_POINTS, points, "order_payment", ref, at, err) !=
            JF_OK ||
        lg_move(svc, o->member, JF_SYS_SINK, JF_VOUCHER, o->voucher_paid, "order_payment", ref,
                at, err) != JF_OK) {
        return JF_ERR;
    }
    if (o->status == JF_ORDER_PAID) {
        return lg_move(svc, JF_SYS_PAYIN, JF_SYS_REVENUE, JF_CASH, o->cash, "order_payment", ref,
                       at, err);
    }
    return JF_OK;
}

static int place(struct jf_svc *svc, const struct jf_ctx *ctx, const struct jf_order_req *req,
                 const char *hash, struct jf_result *res, struct jf_err *err)
{
    struct st_order o = {0};
    int rc = st_order_by_ext(svc->db, req->order, &o, err);
    if (rc != 0) {
        if (rc == 1 && strcmp(o.request_hash, hash) == 0) {
            res->replayed = true;
            res->id = o.id;
            return JF_OK;
        }
        return rc < 0 ? JF_ERR
                      : jf_err_set(err, JF_E_CONFLICT, "order",
                                   "order '%s' exists with other contents", req->order);
    }
    struct st_member m;
    if (event_day_check(svc, ctx->now, NULL, err) != JF_OK ||
        member_get(svc, req->member, "member", &m, err) != JF_OK) {
        return JF_ERR;
    }
    if (m.frozen_all) {
        return jf_err_set(err, JF_E_REFUSED, "member", "member '%s' is frozen", m.ext_id);
    }
    struct priced *pr = jf_xmalloc(sizeof *pr);
    rc = price_items(svc, req, pr, err);
    if (rc == JF_OK && pr->has_repurchase) {
        rc = st_member_has_entry_order(svc->db, m.id, err);
        rc = rc == 1 ? JF_OK
                     : (rc == 0 ? jf_err_set(err, JF_E_REFUSED, "items",
                                             "the repurchase zone is for members with a "
                                             "completed entry-zone order")
                                : JF_ERR);
    }
    if (rc == JF_OK) {
        rc = price_payment(svc, req, pr, &o, err);
    }
    if (rc == JF_OK) {
        snprintf(o.ext_id, sizeof o.ext_id, "%s", req->order);
        o.member = m.id;
        o.status = req->offline ? JF_ORDER_PENDING : JF_ORDER_PAID;
        snprintf(o.region, sizeof o.region, "%s", req->region ? req->region : "");
        o.offline = req->offline;
        snprintf(o.request_hash, sizeof o.request_hash, "%s", hash);
        o.created_at = ctx->now;
        o.paid_at = req->offline ? 0 : ctx->now;
        rc = st_order_insert(svc->db, &o, err);
    }
    if (rc == JF_OK) {
        res->id = o.id;
        rc = take_payment(svc, &o, pr, req->n_items, ctx->now, err);
    }
    free(pr);
    return rc;
}

int jf_svc_order_place(struct jf_svc *svc, const struct jf_ctx *ctx,
                       const struct jf_order_req *req, struct jf_result *res,
                       struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    if (ext_id_check(req->order, "order", err) != JF_OK ||
        ext_id_check(req->member, "member", err) != JF_OK || region_check(req->region, err)) {
        return JF_ERR;
    }
    if (req->n_items < 1 || req->n_items > JF_ORDER_ITEMS_MAX) {
        return jf_err_set(err, JF_E_INVALID, "items", "an order has 1 to %d items",
                          JF_ORDER_ITEMS_MAX);
    }
    char hash[32], request[JF_EXT_ID_MAX + 48];
    order_request_text(req, hash, sizeof hash);
    snprintf(request, sizeof request, "order|%s|%s", req->order, hash);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK) {
        return rc;
    }
    if (!res->replayed) {
        rc = place(svc, ctx, req, hash, res, err);
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

/* ---- status changes --------------------------------------------------------------------- */

static int order_get(struct jf_svc *svc, const char *ext, struct st_order *o, struct jf_err *err)
{
    if (ext_id_check(ext, "order", err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_order_by_ext(svc->db, ext, o, err);
    if (rc == 0) {
        return jf_err_set(err, JF_E_NOT_FOUND, "order", "order '%s' not found", ext);
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

typedef int (*order_step_fn)(struct jf_svc *svc, const struct jf_ctx *ctx, struct st_order *o,
                             struct jf_result *res, struct jf_err *err);

/* Runs one status change of an order as a command. */
static int order_command(struct jf_svc *svc, const struct jf_ctx *ctx, const char *op,
                         const char *order, order_step_fn step, struct jf_result *res,
                         struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    char request[128];
    snprintf(request, sizeof request, "%s|%.64s", op, order ? order : "");
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK) {
        return rc;
    }
    if (!res->replayed) {
        struct st_order o;
        rc = order_get(svc, order, &o, err);
        if (rc == JF_OK) {
            res->id = o.id;
            rc = step(svc, ctx, &o, res, err);
        }
        if (rc == JF_OK && !res->replayed) {
            rc = st_order_update(svc->db, &o, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

static int confirm_step(struct jf_svc *svc, const struct jf_ctx *ctx, struct st_order *o,
                        struct jf_result *res, struct jf_err *err)
{
    if (o->status == JF_ORDER_PAID || o->status == JF_ORDER_COMPLETED) {
        res->replayed = true;
        return JF_OK;
    }
    if (o->status != JF_ORDER_PENDING) {
        return jf_err_set(err, JF_E_CONFLICT, "order", "order '%s' is %s", o->ext_id,
                          jf_order_status_name(o->status));
    }
    if (event_day_check(svc, ctx->now, NULL, err) != JF_OK) {
        return JF_ERR;
    }
    char ref[80];
    order_ref(o->ext_id, ref, sizeof ref);
    o->status = JF_ORDER_PAID;
    o->paid_at = ctx->now;
    if (lg_move(svc, JF_SYS_PAYIN, JF_SYS_REVENUE, JF_CASH, o->cash, "order_payment", ref,
                ctx->now, err) != JF_OK) {
        return JF_ERR;
    }
    return audit(svc, ctx, "confirm_payment", o->ext_id, "pending", "paid", err);
}

int jf_svc_order_confirm(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                         struct jf_result *res, struct jf_err *err)
{
    return order_command(svc, ctx, "confirm", order, confirm_step, res, err);
}

int order_items_load(struct jf_svc *svc, int64_t order_id, struct order_items *out,
                     struct jf_err *err)
{
    struct jf_stmt *it = st_order_items(svc->db, order_id);
    int rc = 0;
    out->n = 0;
    /* orders are placed with at most JF_ORDER_ITEMS_MAX items */
    while (out->n < JF_ORDER_ITEMS_MAX &&
           (rc = st_order_items_next(it, &out->v[out->n], err)) == 1) {
        out->n++;
    }
    return out->n == JF_ORDER_ITEMS_MAX || rc == 0 ? JF_OK : JF_ERR;
}

/* Consumption points of the order's items (SPEC 5.1). */
static int consumption_points(struct jf_svc *svc, const struct order_items *items,
                              int64_t *total, struct jf_err *err)
{
    const struct jf_rules *r = &svc->rules;
    *total = 0;
    for (int i = 0; i < items->n; i++) {
        const struct st_item *item = &items->v[i];
        if (item->zone == JF_ZONE_MALL) {
            continue;
        }
        int64_t pts = 0, line = item->unit_price * item->qty; /* checked when placed */
        bool ok = item->points.has ? jf_mul(item->points.v, item->qty, &pts)
                                   : jf_apply(line, item->points_rate.has
                                                        ? item->points_rate.v
                                                        : r->points.default_rate_ppm,
                                              &pts);
        if (!ok || !jf_add(*total, pts, total)) {
            return jf_err_set(err, JF_E_REFUSED, "items", "consumption points overflow");
        }
    }
    return JF_OK;
}

/* The release-eligible amount of an order: items flagged release_eligible, or by default the
 * items of the entry zone (报单区). */
static int64_t eligible_amount(const struct order_items *items)
{
    int64_t amount = 0;
    for (int i = 0; i < items->n; i++) {
        const struct st_item *item = &items->v[i];
        bool eligible = item->release_eligible.has ? item->release_eligible.v != 0
                                                   : item->zone == JF_ZONE_ENTRY;
        if (eligible && item->zone != JF_ZONE_MALL) {
            amount += item->unit_price * item->qty; /* bounded when placed */
        }
    }
    return amount;
}

/* The lot of a completed order (SPEC 5.3): by the tier its eligible amount reaches. */
static int create_lot(struct jf_svc *svc, const struct st_order *o,
                      const struct order_items *items, int32_t day, const char *ref, int64_t at,
                      struct jf_err *err)
{
    int64_t amount = eligible_amount(items);
    struct st_lot lot = {.member = o->member, .order_id = o->id, .amount = amount,
                         .created_day = day, .as_of = day};
    jf_release_lot_for(&svc->rules, amount, &lot.tier, &lot.total);
    if (lot.tier < 0 || lot.total == 0) {
        return JF_OK;
    }
    lot.remaining = lot.total;
    JF_ASSERT(jf_apply(amount, svc->rules.release.daily_rate_ppm, &lot.daily));
    /* a member's first live lot is its current lot from the day it is created: the release
     * rows then carry what dynamic releases draw from it (migration 012) */
    int has = st_member_has_live_lot(svc->db, o->member, err);
    if (has < 0 || st_lot_insert(svc->db, &lot, has ? JF_DAY_NONE : day, err) != JF_OK) {
        return JF_ERR;
    }
    /* the release rows credit the member's points through the account: it exists before any
     * row does (the view `balances` reads them through it) */
    int64_t debt;
    if (st_account_add(svc->db, o->member, JF_POINTS, 0, NULL, &debt, err) != JF_OK) {
        return JF_ERR;
    }
    return lg_move(svc, JF_SYS_ISSUANCE, o->member, JF_LOCKED, lot.total, "lot", ref, at, err);
}

/* Closes the lot of a refunded order: its locked remainder goes back, and every point released
 * out of it is clawed back (debt for the shortfall). */
static int close_lot(struct jf_svc *svc, const struct st_order *o, const char *ref, int64_t at,
                     struct jf_err *err)
{
    struct st_lot lot;
    int32_t settled;
    int rc = st_lot_by_order(svc->db, o->id, &lot, err);
    if (rc != 1) {
        return rc == 0 ? JF_OK : JF_ERR;
    }
    if (st_last_settled(svc->db, &settled, err) != JF_OK) {
        return JF_ERR;
    }
    int64_t remaining = settled == JF_DAY_NONE
                            ? lot.remaining
                            : jf_lot_remaining_at(lot.remaining, lot.daily, lot.as_of, settled);
    if (st_lot_close(svc->db, lot.id, err) != JF_OK ||
        lg_move(svc, o->member, JF_SYS_ISSUANCE, JF_LOCKED, remaining, "lot_clawback", ref, at,
                err) != JF_OK) {
        return JF_ERR;
    }
    return lg_clawback(svc, o->member, JF_POINTS, lot.total - remaining, JF_SYS_ISSUANCE,
                       "release_clawback", ref, at, NULL, err);
}

static int complete_step(struct jf_svc *svc, const struct jf_ctx *ctx, struct st_order *o,
                         struct jf_result *res, struct jf_err *err)
{
    if (o->status == JF_ORDER_COMPLETED) {
        res->replayed = true;
        return JF_OK;
    }
    if (o->status == JF_ORDER_PENDING) {
        return jf_err_set(err, JF_E_CONFLICT, "order",
                          "order '%s' awaits confirmation of its offline payment", o->ext_id);
    }
    if (o->status != JF_ORDER_PAID) {
        return jf_err_set(err, JF_E_CONFLICT, "order", "order '%s' is %s", o->ext_id,
                          jf_order_status_name(o->status));
    }
    int32_t day;
    if (event_day_check(svc, ctx->now, &day, err) != JF_OK) {
        return JF_ERR;
    }
    o->status = JF_ORDER_COMPLETED;
    o->completed_at = ctx->now;
    o->completed_day = day;
    char ref[80];
    order_ref(o->ext_id, ref, sizeof ref);
    if (st_member_perf_add(svc->db, o->member, o->amount, o->perf_cash, o->perf_points, err) !=
        JF_OK) {
        return JF_ERR;
    }
    struct order_items items;
    if (order_items_load(svc, o->id, &items, err) != JF_OK) {
        return JF_ERR;
    }
    if (svc->rules.release.enabled &&
        create_lot(svc, o, &items, day, ref, ctx->now, err) != JF_OK) {
        return JF_ERR;
    }
    if (svc->rules.points.enabled) {
        int64_t pts;
        if (consumption_points(svc, &items, &pts, err) != JF_OK ||
            lg_move(svc, JF_SYS_ISSUANCE, o->member, JF_POINTS, pts, "consumption_points", ref,
                    ctx->now, err) != JF_OK) {
            return JF_ERR;
        }
    }
    const struct jf_rules *r = &svc->rules;
    if ((r->contribution.enabled && contrib_on_complete(svc, ctx, o, day, ref, err) != JF_OK) ||
        (r->ad.enabled && ad_on_complete(svc, ctx, o, &items, ref, err) != JF_OK) ||
        (r->growth.enabled && growth_on_complete(svc, ctx, o, &items, ref, err) != JF_OK) ||
        (r->agents.enabled && agents_on_complete(svc, ctx, o, ref, err) != JF_OK) ||
        (r->commission.enabled && commission_on_complete(svc, ctx, o, ref, err) != JF_OK)) {
        return JF_ERR;
    }
    /* who completed it (an admin, a shop's key, a replay) is on record like every admin action */
    return audit(svc, ctx, "complete", o->ext_id, "paid", "completed", err);
}

int jf_svc_order_complete(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                          struct jf_result *res, struct jf_err *err)
{
    return order_command(svc, ctx, "complete", order, complete_step, res, err);
}

/* Claws back every reward the order credited (SPEC 4): each reward transfer is reversed from
 * the account it went to, into the account it came from; a shortfall becomes debt. */
static int claw_back_rewards(struct jf_svc *svc, const struct st_order *o, const char *ref,
                             int64_t at, struct jf_err *err)
{
    /* collect first: the claw-backs insert transfers with the same reference */
    int cap = 16, n = 0;
    struct st_transfer *ts = jf_xmalloc(sizeof *ts * (size_t)cap);
    struct jf_stmt *it = st_transfers_by_ref(svc->db, ref);
    struct st_transfer t;
    int rc;
    while ((rc = st_transfers_next(it, &t, err)) == 1) {
        if (!kind_is_order_reward(t.kind) || t.credit < 16) {
            continue; /* only rewards credited to members (ids of member accounts are >= 16) */
        }
        if (n == cap) {
            cap *= 2;
            ts = jf_xrealloc(ts, sizeof *ts * (size_t)cap);
        }
        ts[n++] = t;
    }
    for (int i = 0; i < n && rc == 0; i++) {
        int64_t member = ts[i].credit / 16, source = (ts[i].debit - ts[i].asset) / 16;
        char kind[64];
        snprintf(kind, sizeof kind, "%s_clawback", ts[i].kind);
        if (lg_clawback(svc, member, ts[i].asset, ts[i].amount, source, kind, ref, at, NULL,
                        err) != JF_OK) {
            rc = JF_ERR;
        }
    }
    free(ts);
    (void)o;
    return rc == 0 ? JF_OK : JF_ERR;
}

/* Returns what the buyer paid: points, voucher, cash received, and the stock. */
static int return_payment(struct jf_svc *svc, const struct st_order *o, const char *ref,
                          int64_t at, struct jf_err *err)
{
    struct order_items items;
    if (order_items_load(svc, o->id, &items, err) != JF_OK) {
        return JF_ERR;
    }
    for (int i = 0; i < items.n; i++) {
        int64_t left;
        if (st_product_add_stock(svc->db, items.v[i].product, items.v[i].qty, &left, err) !=
            JF_OK) {
            return JF_ERR;
        }
    }
    if (lg_move(svc, JF_SYS_SINK, o->member, JF_POINTS, o->points_paid + o->mall_points,
                "order_refund", ref, at, err) != JF_OK ||
        lg_move(svc, JF_SYS_SINK, o->member, JF_VOUCHER, o->voucher_paid, "order_refund", ref, at,
                err) != JF_OK) {
        return JF_ERR;
    }
    if (o->status != JF_ORDER_PENDING) {
        return lg_move(svc, JF_SYS_REVENUE, JF_SYS_PAYIN, JF_CASH, o->cash, "order_refund", ref,
                       at, err);
    }
    return JF_OK;
}

static int refund_step(struct jf_svc *svc, const struct jf_ctx *ctx, struct st_order *o,
                       struct jf_result *res, struct jf_err *err)
{
    if (o->status == JF_ORDER_REFUNDED) {
        res->replayed = true;
        return JF_OK;
    }
    int32_t day;
    if (event_day_check(svc, ctx->now, &day, err) != JF_OK) {
        return JF_ERR;
    }
    char ref[80];
    order_ref(o->ext_id, ref, sizeof ref);
    if (o->status == JF_ORDER_COMPLETED) {
        if (day - o->completed_day > svc->rules.refund_window_days) {
            return jf_err_set(err, JF_E_REFUSED, "order",
                              "order '%s' was completed %d days ago; the refund window is %d",
                              o->ext_id, day - o->completed_day, svc->rules.refund_window_days);
        }
        if (ad_on_refund(svc, o, ref, err) != JF_OK || growth_on_refund(svc, o, err) != JF_OK ||
            claw_back_rewards(svc, o, ref, ctx->now, err) != JF_OK ||
            close_lot(svc, o, ref, ctx->now, err) != JF_OK ||
            st_member_perf_add(svc->db, o->member, -o->amount, -o->perf_cash, -o->perf_points,
                               err) != JF_OK) {
            return JF_ERR;
        }
    }
    if (return_payment(svc, o, ref, ctx->now, err) != JF_OK) {
        return JF_ERR;
    }
    char before[16];
    snprintf(before, sizeof before, "%s", jf_order_status_name(o->status));
    o->status = JF_ORDER_REFUNDED;
    o->refunded_at = ctx->now;
    return audit(svc, ctx, "refund", o->ext_id, before, "refunded", err);
}

int jf_svc_order_refund(struct jf_svc *svc, const struct jf_ctx *ctx, const char *order,
                        struct jf_result *res, struct jf_err *err)
{
    return order_command(svc, ctx, "refund", order, refund_step, res, err);
}
