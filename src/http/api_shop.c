/*
 * api_shop.c — products and orders for members; the admin's side of orders, products,
 * adjustments and settlements. Members are named by their external id ("p" + phone). Every
 * change carries the caller's Idempotency-Key (api_cmd) and its answer says `replayed`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "api.h"
#include "day.h"
#include "store.h"
#include "tz.h"

static json_t *order_json(const struct st_order *o)
{
    return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o}", "id", o->ext_id, "status",
                     jf_order_status_name(o->status), "amount", (json_int_t)o->amount, "cash",
                     (json_int_t)o->cash, "points_paid", (json_int_t)o->points_paid,
                     "voucher_paid", (json_int_t)o->voucher_paid, "mall_points",
                     (json_int_t)o->mall_points, "region",
                     o->region[0] ? json_string(o->region) : json_null());
}

void api_products(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int zone = -1;
    if (q->query_zone[0] && (zone = jf_zone_from_name(q->query_zone)) < 0) {
        jf_err_set(&err, JF_E_INVALID, "zone", "unknown zone '%.16s'", q->query_zone);
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_products_list(jf_svc_db(api_reader(q)), zone, false, q->cursor,
                                         q->limit);
    struct st_product p;
    int rc;
    int64_t last = 0;
    while ((rc = st_products_next(it, &p, &err)) == 1) {
        json_t *o = json_pack("{s:s,s:s,s:I,s:s}", "id", p.ext_id, "name", p.name, "price",
                              (json_int_t)p.price, "zone", jf_zone_name(p.zone));
        if (p.stock.has) {
            json_object_set_new(o, "stock", json_integer(p.stock.v));
        }
        if (p.points_price.has) {
            json_object_set_new(o, "points_price", json_integer(p.points_price.v));
        }
        json_array_append_new(items, o);
        last = p.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

struct order_cmd {
    struct jf_order_req req;
    struct jf_item_req items[JF_ORDER_ITEMS_MAX];
    int action; /* 0 place, 1 confirm, 2 complete, 3 refund */
    const char *order;
    struct api_cmd cmd;
    struct jf_result res;
};

static int run_order(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct order_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    int rc;
    switch (c->action) {
    case 0:
        return jf_svc_order_place(svc, &ctx, &c->req, &c->res, err);
    case 1:
        rc = jf_svc_order_confirm(svc, &ctx, c->order, &c->res, err);
        break;
    case 2:
        rc = jf_svc_order_complete(svc, &ctx, c->order, &c->res, err);
        break;
    default:
        rc = jf_svc_order_refund(svc, &ctx, c->order, &c->res, err);
        break;
    }
    return rc == JF_OK ? JF_OK : jf_err_rename_field(err, "order", "id"); /* the path's id */
}

/* The payment mix: {"points": n, "voucher": n}, each optional. */
static int parse_pay(json_t *pay, struct order_cmd *c, struct jf_err *err)
{
    if (!json_is_object(pay)) {
        return jf_err_set(err, JF_E_INVALID, "pay", "pay is {\"points\": n, \"voucher\": n}");
    }
    const char *key;
    json_t *v;
    json_object_foreach(pay, key, v)
    {
        char f[JF_ERR_FIELD_MAX];
        snprintf(f, sizeof f, "pay.%s", key);
        bool points = strcmp(key, "points") == 0;
        if (!points && strcmp(key, "voucher") != 0) {
            return jf_err_set(err, JF_E_INVALID, f, "unknown field");
        }
        if (!json_is_integer(v)) {
            return jf_err_set(err, JF_E_INVALID, f, "must be an integer");
        }
        *(points ? &c->req.pay_points : &c->req.pay_voucher) = json_integer_value(v);
    }
    return JF_OK;
}

/* Runs an order command and answers the order as it now is, with `replayed`: `created` (201 for
 * a new order, 200 for a status change) the first time, 200 when the request was applied
 * before. Frees the command. */
static void order_answer(struct api_request *q, struct reply *r, struct order_cmd *c,
                         int created)
{
    struct jf_err err;
    jf_err_clear(&err);
    struct st_order o;
    const char *id = c->action == 0 ? c->req.order : c->order;
    if (api_write(q, run_order, c, &err) != JF_OK ||
        st_order_by_ext(jf_svc_db(api_reader(q)), id, &o, &err) != 1) {
        reply_err(r, &err);
        free(c);
        return;
    }
    json_t *answer = order_json(&o);
    json_object_set_new(answer, "replayed", json_boolean(c->res.replayed));
    reply_json(r, c->res.replayed ? 200 : created, answer);
    free(c);
}

void api_order_place(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"order", "items", "pay", "region", "offline", NULL};
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    struct jf_profile p;
    struct order_cmd *c = calloc(1, sizeof *c);
    char order_id[40];
    const char *given = NULL;
    if (c == NULL || api_member(q, &member, &err) != JF_OK ||
        jf_svc_profile(api_reader(q), member, &p, &err) != JF_OK ||
        api_body(q, fields, &err) != JF_OK || api_new_id(q, "order", false, &given, &err) ||
        api_str(q, "region", false, &c->req.region, &err) ||
        api_items(json_object_get(q->json, "items"), c->items, &c->req.n_items, &err) != JF_OK) {
        reply_err(r, &err);
        free(c);
        return;
    }
    json_t *pay = json_object_get(q->json, "pay"), *off = json_object_get(q->json, "offline");
    if (pay != NULL && parse_pay(pay, c, &err) != JF_OK) {
        reply_err(r, &err);
        free(c);
        return;
    }
    if (off != NULL && !json_is_boolean(off)) {
        jf_err_set(&err, JF_E_INVALID, "offline", "must be true or false");
        reply_err(r, &err);
        free(c);
        return;
    }
    c->req.offline = json_is_true(off);
    c->req.items = c->items;
    if (given == NULL && q->idem_key[0] == '\0') {
        jf_err_set(&err, JF_E_INVALID, "order", "give an order id or an Idempotency-Key header");
        reply_err(r, &err);
        free(c);
        return;
    }
    api_cmd_init(q, &c->cmd);
    if (given == NULL) {
        api_cmd_key_id(&c->cmd, 'o', order_id, sizeof order_id);
        given = order_id;
    }
    c->req.order = given;
    c->req.member = p.member;
    order_answer(q, r, c, 201);
}

/* The order of the path, if it belongs to the signed-in member. */
void api_order_get(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    struct st_order o;
    if (!api_member_or_reply(q, r, &member)) {
        return;
    }
    int rc = st_order_by_ext(jf_svc_db(api_reader(q)), q->param, &o, &err);
    if (rc != 1 || o.member != member) {
        if (rc >= 0) {
            jf_err_set(&err, JF_E_NOT_FOUND, "id", "no order '%.64s' of yours", q->param);
        }
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, order_json(&o));
}

void api_orders(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    if (!api_member_or_reply(q, r, &member)) {
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_member_orders(jf_svc_db(api_reader(q)), member, q->cursor, q->limit);
    struct st_order o;
    int rc;
    int64_t last = 0;
    while ((rc = st_member_orders_next(it, &o, &err)) == 1) {
        json_array_append_new(items, order_json(&o));
        last = o.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

/* ---- admin -------------------------------------------------------------------------------- */

static void order_action(struct api_request *q, struct reply *r, int action)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    struct order_cmd *c = calloc(1, sizeof *c);
    if (c == NULL || api_admin(q, &admin, &err) != JF_OK) {
        reply_err(r, &err);
        free(c);
        return;
    }
    c->action = action;
    c->order = q->param;
    api_cmd_init(q, &c->cmd);
    order_answer(q, r, c, 200);
}

void api_admin_confirm(struct api_request *q, struct reply *r)
{
    order_action(q, r, 1);
}

void api_admin_complete(struct api_request *q, struct reply *r)
{
    order_action(q, r, 2);
}

void api_admin_refund(struct api_request *q, struct reply *r)
{
    order_action(q, r, 3);
}

struct admin_cmd {
    int action; /* 0 product, 1 adjust, 2 settle */
    struct jf_product_req product;
    const char *member, *asset, *reason;
    int64_t amount;
    int32_t day;
    struct api_cmd cmd;
    struct jf_result res;
};

static int run_admin(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct admin_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    switch (c->action) {
    case 0:
        return jf_svc_product_put(svc, &ctx, &c->product, &c->res, err);
    case 1: /* the member is the path's id */
        return jf_svc_adjust(svc, &ctx, c->member, c->asset, c->amount, c->reason, &c->res,
                             err) == JF_OK
                   ? JF_OK
                   : jf_err_rename_field(err, "member", "id");
    default:
        return jf_svc_settle(svc, &ctx, c->day, NULL, NULL, &c->res, err);
    }
}

static int admin_cmd_init(struct api_request *q, struct admin_cmd *c, int action,
                          struct jf_err *err)
{
    int64_t admin;
    memset(c, 0, sizeof *c);
    if (api_admin(q, &admin, err) != JF_OK) {
        return JF_ERR;
    }
    c->action = action;
    api_cmd_init(q, &c->cmd);
    return JF_OK;
}

static int opt_int(struct api_request *q, const char *key, struct jf_opt_i64 *out,
                   struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    out->has = v != NULL && !json_is_null(v);
    if (out->has && !json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "must be an integer");
    }
    out->v = out->has ? json_integer_value(v) : 0;
    return JF_OK;
}

void api_admin_product(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"id", "name", "price", "zone", "stock", "points",
                                         "points_price", NULL};
    struct admin_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_opt_i64 price;
    if (admin_cmd_init(q, &c, 0, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_new_id(q, "id", true, &c.product.id, &err) ||
        api_str(q, "name", false, &c.product.name, &err) ||
        api_str(q, "zone", true, &c.product.zone, &err) || opt_int(q, "price", &price, &err) ||
        opt_int(q, "stock", &c.product.stock, &err) ||
        opt_int(q, "points", &c.product.points, &err) ||
        opt_int(q, "points_price", &c.product.points_price, &err)) {
        reply_err(r, &err);
        return;
    }
    if (!price.has) {
        jf_err_set(&err, JF_E_INVALID, "price", "missing");
        reply_err(r, &err);
        return;
    }
    c.product.price = price.v;
    c.product.active = true;
    if (api_write(q, run_admin, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, c.res.replayed ? 200 : 201,
               json_pack("{s:s,s:b}", "id", c.product.id, "replayed", c.res.replayed));
}

void api_admin_adjust(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"asset", "amount", "reason", NULL};
    struct admin_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    struct jf_opt_i64 amount;
    if (admin_cmd_init(q, &c, 1, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "asset", true, &c.asset, &err) ||
        api_str(q, "reason", true, &c.reason, &err) || opt_int(q, "amount", &amount, &err)) {
        reply_err(r, &err);
        return;
    }
    c.member = q->param;
    c.amount = amount.v;
    if (api_write(q, run_admin, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:s,s:I,s:b}", "member", c.member, "asset", c.asset,
                                 "amount", (json_int_t)c.amount, "replayed", c.res.replayed));
}

void api_admin_settle(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"day", NULL};
    struct admin_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    const char *day;
    if (admin_cmd_init(q, &c, 2, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "day", true, &day, &err) || jf_day_parse(day, &c.day, "day", &err) ||
        jf_svc_settle_day_check(c.day, c.cmd.now, "day", &err)) {
        reply_err(r, &err);
        return;
    }
    /* a settlement commits each day itself: it runs alone on the writer */
    if (jf_writer_submit(q->http_writer, run_admin, &c, true, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:s,s:b,s:b}", "settled_to", day, "already", c.res.replayed,
                                 "replayed", c.res.replayed));
}
