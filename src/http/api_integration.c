/*
 * api_integration.c — the shop integration (API key in "Authorization: Bearer"): orders placed
 * in an outside shop for a member by phone, their completion and refund, tasks, ad tasks and
 * income. The same service commands as everywhere; the key says who may call, and scopes the
 * request's Idempotency-Key (an order's id is its natural key).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "day.h"
#include "ids.h"
#include "store.h"

enum { I_ORDER, I_COMPLETE, I_REFUND, I_TASK, I_AD_TASK, I_INCOME };

struct int_cmd {
    int op;
    struct api_cmd cmd;
    struct jf_order_req order;
    struct jf_item_req items[JF_ORDER_ITEMS_MAX];
    char member[JF_EXT_ID_MAX + 1];
    const char *s1;
    int64_t amount;
    int32_t day;
    struct jf_result res;
};

static int run_int(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct int_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    switch (c->op) {
    case I_ORDER:
        return jf_svc_order_place(svc, &ctx, &c->order, &c->res, err);
    case I_COMPLETE: /* the order is the path's id */
        return jf_svc_order_complete(svc, &ctx, c->s1, &c->res, err) == JF_OK
                   ? JF_OK
                   : jf_err_rename_field(err, "order", "id");
    case I_REFUND:
        return jf_svc_order_refund(svc, &ctx, c->s1, &c->res, err) == JF_OK
                   ? JF_OK
                   : jf_err_rename_field(err, "order", "id");
    case I_TASK:
        return jf_svc_task(svc, &ctx, c->member, c->s1, c->amount, &c->res, err);
    case I_AD_TASK:
        return jf_svc_ad_task(svc, &ctx, c->member, c->day, &c->res, err);
    default:
        return jf_svc_income(svc, &ctx, c->day, c->amount, &c->res, err);
    }
}

static int shop(struct api_request *q, struct int_cmd *c, int op, struct jf_err *err)
{
    memset(c, 0, sizeof *c);
    c->op = op;
    if (api_shop(q, err) != JF_OK) {
        return JF_ERR;
    }
    api_cmd_init(q, &c->cmd);
    return JF_OK;
}

/* The member of a phone, into c->member. */
static int member_of(struct api_request *q, struct int_cmd *c, struct jf_err *err)
{
    const char *phone;
    char norm[16];
    struct st_member m;
    if (api_str(q, "phone", true, &phone, err) != JF_OK ||
        jf_phone_normalize(phone, norm, sizeof norm, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_member_by_phone(jf_svc_db(api_reader(q)), norm, &m, err);
    if (rc != 1) {
        return rc < 0 ? JF_ERR
                      : jf_err_set(err, JF_E_NOT_FOUND, "phone", "no member with phone %s", norm);
    }
    snprintf(c->member, sizeof c->member, "%s", m.ext_id);
    return JF_OK;
}

static int int_field(struct api_request *q, const char *key, int64_t *out, struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    if (!json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, key, v ? "must be an integer" : "missing");
    }
    *out = json_integer_value(v);
    return JF_OK;
}

static void submit(struct api_request *q, struct int_cmd *c, struct reply *r, json_t *answer)
{
    struct jf_err err;
    jf_err_clear(&err);
    if (api_write(q, run_int, c, &err) != JF_OK) {
        json_decref(answer);
        reply_err(r, &err);
        return;
    }
    json_object_set_new(answer, "replayed", json_boolean(c->res.replayed));
    reply_json(r, c->res.replayed ? 200 : (c->op == I_ORDER ? 201 : 200), answer);
}

void api_int_order(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"order", "phone", "items", "region", NULL};
    struct int_cmd *c = malloc(sizeof *c);
    struct jf_err err;
    jf_err_clear(&err);
    if (c == NULL || shop(q, c, I_ORDER, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_new_id(q, "order", true, &c->order.order, &err) || member_of(q, c, &err) ||
        api_str(q, "region", false, &c->order.region, &err)) {
        reply_err(r, &err);
        free(c);
        return;
    }
    if (api_items(json_object_get(q->json, "items"), c->items, &c->order.n_items, &err) !=
        JF_OK) {
        reply_err(r, &err);
        free(c);
        return;
    }
    c->order.items = c->items;
    c->order.member = c->member;
    submit(q, c, r, json_pack("{s:s,s:s}", "order", c->order.order, "member", c->member));
    free(c);
}

static void order_step(struct api_request *q, struct reply *r, int op)
{
    struct int_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (shop(q, &c, op, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    c.s1 = q->param;
    submit(q, &c, r, json_pack("{s:s}", "order", q->param));
}

void api_int_complete(struct api_request *q, struct reply *r)
{
    order_step(q, r, I_COMPLETE);
}

void api_int_refund(struct api_request *q, struct reply *r)
{
    order_step(q, r, I_REFUND);
}

void api_int_task(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "kind", "contribution", NULL};
    struct int_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (shop(q, &c, I_TASK, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        member_of(q, &c, &err) || api_str(q, "kind", true, &c.s1, &err) ||
        int_field(q, "contribution", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    submit(q, &c, r, json_pack("{s:s,s:s}", "member", c.member, "kind", c.s1));
}

void api_int_ad_task(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "day", NULL};
    struct int_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    const char *day;
    if (shop(q, &c, I_AD_TASK, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        member_of(q, &c, &err) || api_str(q, "day", true, &day, &err) ||
        jf_day_parse(day, &c.day, "day", &err)) {
        reply_err(r, &err);
        return;
    }
    submit(q, &c, r, json_pack("{s:s,s:s}", "member", c.member, "day", day));
}

void api_int_income(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"day", "amount", NULL};
    struct int_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    const char *day;
    if (shop(q, &c, I_INCOME, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "day", true, &day, &err) || jf_day_parse(day, &c.day, "day", &err) ||
        int_field(q, "amount", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    submit(q, &c, r, json_pack("{s:s,s:I}", "day", day, "amount", (json_int_t)c.amount));
}
