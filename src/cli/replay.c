/*
 * replay.c — the scenario engine (see replay.h and REPLAY.md).
 *
 * Each line is parsed strictly: the op's fields are checked for presence and type, unknown
 * fields are refused, and the request is handed to the same service function the API uses.
 */
#include "replay.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "day.h"
#include "jf_assert.h"
#include "limits.h"
#include "types.h"

#define DEFAULT_TIME "2026-01-01T09:00:00+08:00"

struct line_ctx {
    json_t *obj;
    const char *op;
    struct jf_ctx ctx;
};

/* ---- field access ----------------------------------------------------------------------- */

static int fields_check(json_t *obj, const char *const *allowed, struct jf_err *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "op") == 0 || strcmp(key, "expect_error") == 0 ||
            strcmp(key, "at") == 0) {
            continue;
        }
        bool ok = false;
        for (int i = 0; allowed[i] != NULL && !ok; i++) {
            ok = strcmp(allowed[i], key) == 0;
        }
        if (!ok) {
            return jf_err_set(err, JF_E_INVALID, key, "unknown field");
        }
    }
    return JF_OK;
}

static int get_str(json_t *o, const char *key, bool required, const char **out,
                   struct jf_err *err)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        return required ? jf_err_set(err, JF_E_INVALID, key, "missing") : JF_OK;
    }
    if (!json_is_string(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "must be a string");
    }
    *out = json_string_value(v);
    return JF_OK;
}

static int get_int(json_t *o, const char *key, bool required, int64_t *out, bool *has,
                   struct jf_err *err)
{
    json_t *v = json_object_get(o, key);
    if (has != NULL) {
        *has = false;
    }
    if (v == NULL || json_is_null(v)) {
        return required ? jf_err_set(err, JF_E_INVALID, key, "missing") : JF_OK;
    }
    if (!json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, key,
                          "must be an integer (amounts are in minor units)");
    }
    *out = json_integer_value(v);
    if (has != NULL) {
        *has = true;
    }
    return JF_OK;
}

static int get_bool(json_t *o, const char *key, bool required, bool *out, bool *has,
                    struct jf_err *err)
{
    json_t *v = json_object_get(o, key);
    if (has != NULL) {
        *has = false;
    }
    if (v == NULL || json_is_null(v)) {
        return required ? jf_err_set(err, JF_E_INVALID, key, "missing") : JF_OK;
    }
    if (!json_is_boolean(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "must be true or false");
    }
    *out = json_is_true(v);
    if (has != NULL) {
        *has = true;
    }
    return JF_OK;
}

static int get_rate(json_t *o, const char *key, struct jf_opt_i64 *out, struct jf_err *err)
{
    json_t *v = json_object_get(o, key);
    out->has = false;
    if (v == NULL || json_is_null(v)) {
        return JF_OK;
    }
    if (!json_is_string(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "a rate is a decimal string such as \"10%%\"");
    }
    out->has = true;
    return jf_rate_parse(json_string_value(v), &out->v, key, err);
}

static int get_day(json_t *o, const char *key, int32_t *day, struct jf_err *err)
{
    const char *s;
    if (get_str(o, key, true, &s, err) != JF_OK) {
        return JF_ERR;
    }
    return jf_day_parse(s, day, key, err);
}

/* ---- ops -------------------------------------------------------------------------------- */

typedef int (*op_fn)(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err);

#define FIELDS(...)                                                                                \
    static const char *const allowed[] = {__VA_ARGS__, NULL};                                     \
    if (fields_check(lc->obj, allowed, err) != JF_OK) {                                            \
        return JF_ERR;                                                                             \
    }

static int op_rules(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("rules");
    json_t *r = json_object_get(lc->obj, "rules");
    if (!json_is_object(r)) {
        return jf_err_set(err, JF_E_INVALID, "rules", "must be an object");
    }
    char *text = json_dumps(r, JSON_COMPACT);
    struct jf_result res;
    int rc = jf_svc_rules_update(svc, &lc->ctx, text, &res, err);
    free(text);
    return rc;
}

static int op_product(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("id", "name", "price", "zone", "points", "points_rate", "release_eligible", "ad_ratio",
           "growth_ratio", "points_price", "stock", "active");
    json_t *o = lc->obj;
    struct jf_product_req p = {.active = true};
    bool has_active = false, rel = false, has_rel = false;
    if (get_str(o, "id", true, &p.id, err) || get_str(o, "name", false, &p.name, err) ||
        get_int(o, "price", true, &p.price, NULL, err) ||
        get_str(o, "zone", true, &p.zone, err) ||
        get_int(o, "points", false, &p.points.v, &p.points.has, err) ||
        get_rate(o, "points_rate", &p.points_rate, err) ||
        get_bool(o, "release_eligible", false, &rel, &has_rel, err) ||
        get_rate(o, "ad_ratio", &p.ad_ratio, err) ||
        get_rate(o, "growth_ratio", &p.growth_ratio, err) ||
        get_int(o, "points_price", false, &p.points_price.v, &p.points_price.has, err) ||
        get_int(o, "stock", false, &p.stock.v, &p.stock.has, err) ||
        get_bool(o, "active", false, &p.active, &has_active, err)) {
        return JF_ERR;
    }
    p.release_eligible = (struct jf_opt_i64){has_rel, rel};
    struct jf_result res;
    return jf_svc_product_put(svc, &lc->ctx, &p, &res, err);
}

/* The argon2id hash of the fixed test password "jifen-test-password" that every member a
 * scenario registers gets (REPLAY.md), computed once and written here so that a replay does not
 * spend a tenth of a second per member hashing it. Scenario stores are for trying rules: do not
 * replay into a store real members use. */
static const char replay_password_hash[] =
    "$argon2id$v=19$m=65536,t=2,p=1$XAUkWgD4pFCpJ6PSkrNmeQ$"
    "UpTsKGzGC4C6QB2Uqij93b2osm49F1m3oNw2CJp+vrE";

static int op_register(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "phone", "referrer");
    struct jf_register_req r = {.password_hash = replay_password_hash};
    if (get_str(lc->obj, "member", true, &r.member, err) ||
        get_str(lc->obj, "phone", true, &r.phone, err) ||
        get_str(lc->obj, "referrer", false, &r.referrer, err)) {
        return JF_ERR;
    }
    struct jf_result res;
    return jf_svc_register(svc, &lc->ctx, &r, &res, err);
}

static int parse_items(json_t *items, struct jf_item_req *out, int *n, struct jf_err *err)
{
    if (!json_is_array(items)) {
        return jf_err_set(err, JF_E_INVALID, "items", "must be a list of {product, qty}");
    }
    size_t count = json_array_size(items);
    if (count == 0 || count > JF_ORDER_ITEMS_MAX) {
        return jf_err_set(err, JF_E_INVALID, "items", "an order has 1 to %d items",
                          JF_ORDER_ITEMS_MAX);
    }
    for (size_t i = 0; i < count; i++) {
        json_t *it = json_array_get(items, i);
        char pfx[32];
        snprintf(pfx, sizeof pfx, "items[%zu]", i);
        static const char *const item_fields[] = {"product", "qty", NULL};
        int rc = json_is_object(it) ? JF_OK
                                    : jf_err_set(err, JF_E_INVALID, NULL,
                                                 "must be an object {product, qty}");
        if (rc == JF_OK) {
            rc = fields_check(it, item_fields, err);
        }
        if (rc == JF_OK) {
            rc = get_str(it, "product", true, &out[i].product, err);
        }
        if (rc == JF_OK) {
            rc = get_int(it, "qty", true, &out[i].qty, NULL, err);
        }
        if (rc != JF_OK) {
            jf_err_prefix_field(err, pfx);
            return JF_ERR;
        }
    }
    *n = (int)count;
    return JF_OK;
}

static int op_order(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("order", "member", "items", "pay", "region", "offline");
    json_t *o = lc->obj;
    struct jf_order_req r = {0};
    struct jf_item_req items[JF_ORDER_ITEMS_MAX];
    if (get_str(o, "order", true, &r.order, err) || get_str(o, "member", true, &r.member, err) ||
        get_str(o, "region", false, &r.region, err) ||
        get_bool(o, "offline", false, &r.offline, NULL, err) ||
        parse_items(json_object_get(o, "items"), items, &r.n_items, err)) {
        return JF_ERR;
    }
    r.items = items;
    json_t *pay = json_object_get(o, "pay");
    if (pay != NULL && !json_is_null(pay)) {
        static const char *const pay_fields[] = {"points", "voucher", NULL};
        int rc = json_is_object(pay) ? fields_check(pay, pay_fields, err)
                                     : jf_err_set(err, JF_E_INVALID, NULL,
                                                  "must be an object {points, voucher}");
        if (rc == JF_OK) {
            rc = get_int(pay, "points", false, &r.pay_points, NULL, err);
        }
        if (rc == JF_OK) {
            rc = get_int(pay, "voucher", false, &r.pay_voucher, NULL, err);
        }
        if (rc != JF_OK) {
            jf_err_prefix_field(err, "pay");
            return JF_ERR;
        }
    }
    struct jf_result res;
    return jf_svc_order_place(svc, &lc->ctx, &r, &res, err);
}

static int op_order_status(struct jf_svc *svc, struct line_ctx *lc, FILE *out,
                           struct jf_err *err)
{
    (void)out;
    FIELDS("order");
    const char *order;
    if (get_str(lc->obj, "order", true, &order, err) != JF_OK) {
        return JF_ERR;
    }
    struct jf_result res;
    if (strcmp(lc->op, "confirm") == 0) {
        return jf_svc_order_confirm(svc, &lc->ctx, order, &res, err);
    }
    if (strcmp(lc->op, "complete") == 0) {
        return jf_svc_order_complete(svc, &lc->ctx, order, &res, err);
    }
    return jf_svc_order_refund(svc, &lc->ctx, order, &res, err);
}

static int op_settle(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("day");
    int32_t day;
    struct jf_result res;
    if (get_day(lc->obj, "day", &day, err) != JF_OK) {
        return JF_ERR;
    }
    return jf_svc_settle(svc, &lc->ctx, day, NULL, NULL, &res, err);
}

static int op_member_day(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "day");
    const char *member;
    int32_t day;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) || get_day(lc->obj, "day", &day, err)) {
        return JF_ERR;
    }
    if (strcmp(lc->op, "ad_task") == 0) {
        return jf_svc_ad_task(svc, &lc->ctx, member, day, &res, err);
    }
    return jf_svc_signin(svc, &lc->ctx, member, day, &res, err);
}

static int op_task(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "kind", "contribution");
    const char *member, *kind;
    int64_t c;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_str(lc->obj, "kind", true, &kind, err) ||
        get_int(lc->obj, "contribution", true, &c, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_task(svc, &lc->ctx, member, kind, c, &res, err);
}

static int op_income(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("day", "amount");
    int32_t day;
    int64_t amount;
    struct jf_result res;
    if (get_day(lc->obj, "day", &day, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_income(svc, &lc->ctx, day, amount, &res, err);
}

static int op_exchange(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "from", "to", "amount");
    const char *member, *from, *to;
    int64_t amount;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_str(lc->obj, "from", true, &from, err) || get_str(lc->obj, "to", true, &to, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_exchange(svc, &lc->ctx, member, from, to, amount, &res, err);
}

static int op_transfer(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("from", "to", "asset", "amount");
    const char *from, *to, *asset;
    int64_t amount;
    struct jf_result res;
    if (get_str(lc->obj, "from", true, &from, err) || get_str(lc->obj, "to", true, &to, err) ||
        get_str(lc->obj, "asset", true, &asset, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_transfer(svc, &lc->ctx, from, to, asset, amount, &res, err);
}

static int op_sell(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "amount");
    const char *member;
    int64_t amount;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_sell(svc, &lc->ctx, member, amount, &res, err);
}

static int op_adjust(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "asset", "amount", "reason");
    const char *member, *asset, *reason;
    int64_t amount;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_str(lc->obj, "asset", true, &asset, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err) ||
        get_str(lc->obj, "reason", true, &reason, err)) {
        return JF_ERR;
    }
    return jf_svc_adjust(svc, &lc->ctx, member, asset, amount, reason, &res, err);
}

static int op_withdraw(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("request", "member", "amount");
    const char *request, *member;
    int64_t amount;
    struct jf_result res;
    if (get_str(lc->obj, "request", true, &request, err) ||
        get_str(lc->obj, "member", true, &member, err) ||
        get_int(lc->obj, "amount", true, &amount, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_withdraw(svc, &lc->ctx, request, member, amount, &res, err);
}

static int op_review(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("request", "approve");
    const char *request;
    bool approve = false;
    struct jf_result res;
    if (get_str(lc->obj, "request", true, &request, err) ||
        get_bool(lc->obj, "approve", true, &approve, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_review(svc, &lc->ctx, request, approve, &res, err);
}

static int op_freeze(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "withdrawals", "all");
    const char *member;
    bool withdrawals = false, all = false, has_all = false;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_bool(lc->obj, "withdrawals", true, &withdrawals, NULL, err) ||
        get_bool(lc->obj, "all", false, &all, &has_all, err)) {
        return JF_ERR;
    }
    return jf_svc_freeze(svc, &lc->ctx, member, withdrawals, has_all, all, &res, err);
}

static int op_agent(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "level", "region");
    const char *member, *level, *region;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_str(lc->obj, "level", true, &level, err) ||
        get_str(lc->obj, "region", true, &region, err)) {
        return JF_ERR;
    }
    return jf_svc_agent(svc, &lc->ctx, member, level, region, &res, err);
}

static int op_token_price(struct jf_svc *svc, struct line_ctx *lc, FILE *out,
                          struct jf_err *err)
{
    (void)out;
    FIELDS("price");
    const char *price;
    struct jf_result res;
    if (get_str(lc->obj, "price", true, &price, err) != JF_OK) {
        return JF_ERR;
    }
    return jf_svc_token_price(svc, &lc->ctx, price, &res, err);
}

static int op_to_token(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    (void)out;
    FIELDS("member", "points");
    const char *member;
    int64_t points;
    struct jf_result res;
    if (get_str(lc->obj, "member", true, &member, err) ||
        get_int(lc->obj, "points", true, &points, NULL, err)) {
        return JF_ERR;
    }
    return jf_svc_to_token(svc, &lc->ctx, member, points, &res, err);
}

static int op_snapshot(struct jf_svc *svc, struct line_ctx *lc, FILE *out, struct jf_err *err)
{
    FIELDS("members");
    json_t *names = json_object_get(lc->obj, "members");
    if (names != NULL && !json_is_array(names)) {
        return jf_err_set(err, JF_E_INVALID, "members", "must be a list of member names");
    }
    return replay_snapshot(svc, names, out, err);
}

static const struct {
    const char *name;
    op_fn fn;
} ops[] = {
    {"rules", op_rules},       {"product", op_product},         {"register", op_register},
    {"order", op_order},       {"confirm", op_order_status},    {"complete", op_order_status},
    {"refund", op_order_status}, {"settle", op_settle},         {"ad_task", op_member_day},
    {"task", op_task},         {"signin", op_member_day},       {"income", op_income},
    {"exchange", op_exchange}, {"transfer", op_transfer},       {"sell", op_sell},
    {"adjust", op_adjust},     {"withdraw", op_withdraw},       {"review", op_review},
    {"freeze", op_freeze},     {"agent", op_agent},             {"token_price", op_token_price},
    {"to_token", op_to_token}, {"snapshot", op_snapshot},
};

/* ---- snapshot --------------------------------------------------------------------------- */

static json_t *member_json(const struct jf_member_state *ms)
{
    json_t *m = json_object();
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        json_object_set_new(m, jf_asset_name(a), json_integer(ms->balance[a]));
    }
    json_t *debt = json_object();
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        if (ms->debt[a] != 0) {
            json_object_set_new(debt, jf_asset_name(a), json_integer(ms->debt[a]));
        }
    }
    json_object_set_new(m, "debt", debt);
    json_object_set_new(m, "level", ms->level ? json_string(ms->level) : json_null());
    json_object_set_new(m, "rank", ms->rank ? json_string(ms->rank) : json_null());
    json_object_set_new(m, "team_performance", json_integer(ms->team_performance));
    json_object_set_new(m, "team_performance_cash", json_integer(ms->team_performance_cash));
    json_object_set_new(m, "team_performance_points", json_integer(ms->team_performance_points));
    json_t *lots = json_array();
    for (int i = 0; i < ms->n_lots; i++) {
        const struct jf_lot_state *l = &ms->lots[i];
        json_array_append_new(lots, json_pack("{s:s,s:I,s:I,s:I}", "order", l->order, "amount",
                                              (json_int_t)l->amount, "total",
                                              (json_int_t)l->total, "remaining",
                                              (json_int_t)l->remaining));
    }
    json_object_set_new(m, "lots", lots);
    return m;
}

int replay_snapshot(struct jf_svc *svc, const json_t *names, FILE *out, struct jf_err *err)
{
    struct jf_state st;
    if (jf_svc_state(svc, &st, err) != JF_OK) {
        return JF_ERR;
    }
    json_t *members = json_object();
    for (int i = 0; i < st.n_members; i++) {
        json_object_set_new(members, st.members[i].member, member_json(&st.members[i]));
    }
    int rc = JF_OK;
    if (names != NULL) {
        json_t *picked = json_object();
        size_t i;
        json_t *v;
        json_array_foreach(names, i, v)
        {
            json_t *m = json_is_string(v) ? json_object_get(members, json_string_value(v)) : NULL;
            if (m == NULL) {
                rc = jf_err_set(err, JF_E_NOT_FOUND, "members", "no member '%.64s'",
                                json_is_string(v) ? json_string_value(v) : "(not a string)");
                break;
            }
            json_object_set(picked, json_string_value(v), m);
        }
        json_decref(members);
        members = picked;
    }
    char day[16];
    if (st.day_settled != JF_DAY_NONE) {
        jf_day_format(st.day_settled, day, sizeof day);
    }
    json_t *snap = json_pack("{s:o,s:o,s:{s:{s:I},s:I,s:I}}", "day_settled",
                             st.day_settled != JF_DAY_NONE ? json_string(day) : json_null(),
                             "members", members, "system", "forfeited", "locked",
                             (json_int_t)st.forfeited_locked, "growth_pool",
                             (json_int_t)st.growth_pool, "growth_supply",
                             (json_int_t)st.growth_supply);
    jf_state_release(&st);
    if (rc == JF_OK) {
        char *text = json_dumps(snap, JSON_SORT_KEYS | JSON_COMPACT);
        fprintf(out, "%s\n", text);
        free(text);
    }
    json_decref(snap);
    return rc;
}

/* ---- the run ---------------------------------------------------------------------------- */

static void report(FILE *errf, long lineno, const char *op, const struct jf_err *e)
{
    if (e->field[0] != '\0') {
        fprintf(errf, "line %ld: %s: %s: %s\n", lineno, op, e->field, e->msg);
    } else {
        fprintf(errf, "line %ld: %s: %s\n", lineno, op, e->msg);
    }
}

/* Applies one parsed line. Returns JF_OK or JF_ERR with err filled. */
static int apply_line(struct jf_svc *svc, struct line_ctx *lc, int64_t *clock, FILE *out,
                      struct jf_err *err)
{
    const char *at;
    if (get_str(lc->obj, "at", false, &at, err) != JF_OK) {
        return JF_ERR;
    }
    if (at != NULL) {
        int64_t ts;
        if (jf_time_parse(at, &ts, "at", err) != JF_OK) {
            return JF_ERR;
        }
        *clock = ts;
    }
    lc->ctx = (struct jf_ctx){.now = *clock, .actor = "replay", .idem_key = NULL};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strcmp(ops[i].name, lc->op) == 0) {
            return ops[i].fn(svc, lc, out, err);
        }
    }
    return jf_err_set(err, JF_E_INVALID, "op", "unknown op '%.32s'", lc->op);
}

int replay_run(struct jf_svc *svc, FILE *in, FILE *out, FILE *errf, struct replay_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    int64_t clock;
    JF_ASSERT(jf_time_parse(DEFAULT_TIME, &clock, "at", NULL) == JF_OK);
    char *line = jf_xmalloc(JF_REPLAY_LINE_MAX + 2);
    long lineno = 0;
    int status = 0;
    while (fgets(line, JF_REPLAY_LINE_MAX + 2, in) != NULL) {
        lineno++;
        size_t n = strlen(line);
        if (n > JF_REPLAY_LINE_MAX) {
            fprintf(errf, "line %ld: line is longer than %d bytes\n", lineno, JF_REPLAY_LINE_MAX);
            status = 1;
            break;
        }
        const char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            p++;
        }
        if (*p == '\0' || *p == '#') {
            continue;
        }
        struct jf_err err;
        jf_err_clear(&err);
        json_error_t je;
        struct line_ctx lc = {0};
        lc.obj = json_loads(p, JSON_REJECT_DUPLICATES, &je);
        json_t *ee = lc.obj ? json_object_get(lc.obj, "expect_error") : NULL;
        bool expect = ee != NULL && json_is_true(ee);
        int rc;
        if (lc.obj == NULL || !json_is_object(lc.obj)) {
            lc.op = "?";
            rc = jf_err_set(&err, JF_E_INVALID, NULL, "not a JSON object: %s",
                            lc.obj ? "" : je.text);
        } else if (ee != NULL && !json_is_boolean(ee)) {
            lc.op = "?";
            rc = jf_err_set(&err, JF_E_INVALID, "expect_error", "must be true or false");
        } else if (!json_is_string(json_object_get(lc.obj, "op"))) {
            lc.op = "?";
            rc = jf_err_set(&err, JF_E_INVALID, "op", "missing");
        } else {
            lc.op = json_string_value(json_object_get(lc.obj, "op"));
            stats->ops++;
            rc = apply_line(svc, &lc, &clock, out, &err);
            stats->snapshots += rc == JF_OK && strcmp(lc.op, "snapshot") == 0;
        }
        if (rc != JF_OK) {
            report(errf, lineno, lc.op, &err);
            if (!expect) {
                status = 1;
            } else {
                stats->expected++;
            }
        } else if (expect) {
            fprintf(errf, "line %ld: %s: expected an error, but the op succeeded\n", lineno,
                    lc.op);
            status = 1;
        }
        json_decref(lc.obj);
        if (status != 0) {
            break;
        }
    }
    free(line);
    fflush(out);
    return status;
}
