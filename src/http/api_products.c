/*
 * api_products.c — the admin's side of the catalogue: every product with all of its settings,
 * on sale or not (GET /admin/products), and changing some fields of one
 * (PATCH /admin/products/{id}) through the writer, with the admin's Idempotency-Key.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "api.h"
#include "day.h"

/* An optional setting: null when not set (the rules' default; for stock: unlimited). */
static json_t *opt_json(struct st_opt o, char kind)
{
    char rate[40];
    if (!o.has) {
        return json_null();
    }
    if (kind == 'r') {
        jf_rate_format(o.v, rate, sizeof rate);
        return json_string(rate);
    }
    return kind == 'b' ? json_boolean(o.v != 0) : json_integer(o.v);
}

static json_t *product_json(const struct st_product *p)
{
    char at[32];
    jf_time_format(p->updated_at, 0, at, sizeof at);
    json_t *o = json_pack("{s:s,s:s,s:I,s:s,s:b,s:s}", "id", p->ext_id, "name", p->name, "price",
                          (json_int_t)p->price, "zone", jf_zone_name(p->zone), "active",
                          p->active, "updated_at", at);
    json_object_set_new(o, "stock", opt_json(p->stock, 'i'));
    json_object_set_new(o, "points", opt_json(p->points, 'i'));
    json_object_set_new(o, "points_rate", opt_json(p->points_rate, 'r'));
    json_object_set_new(o, "release_eligible", opt_json(p->release_eligible, 'b'));
    json_object_set_new(o, "ad_ratio", opt_json(p->ad_ratio, 'r'));
    json_object_set_new(o, "growth_ratio", opt_json(p->growth_ratio, 'r'));
    json_object_set_new(o, "points_price", opt_json(p->points_price, 'i'));
    return o;
}

/* GET /admin/products?zone=: every product, by id. */
void api_admin_products(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    int zone = -1;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    if (q->query_zone[0] && (zone = jf_zone_from_name(q->query_zone)) < 0) {
        jf_err_set(&err, JF_E_INVALID, "zone", "unknown zone '%.16s'", q->query_zone);
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it =
        st_products_list(jf_svc_db(api_reader(q)), zone, true, q->cursor, q->limit);
    struct st_product p;
    int rc;
    int64_t last = 0;
    while ((rc = st_products_next(it, &p, &err)) == 1) {
        json_array_append_new(items, product_json(&p));
        last = p.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

struct patch_cmd {
    struct jf_product_patch patch;
    const char *id;
    struct api_cmd cmd;
    struct jf_result res;
};

static int run_patch(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct patch_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    return jf_svc_product_patch(svc, &ctx, c->id, &c->patch, &c->res, err);
}

/* One field of the body: absent (not set), null (set, cleared), or a value of its kind:
 * 'i' integer, 'b' true or false, 'r' a rate as a decimal string ("10%", "0.1"). */
static int patch_field(struct api_request *q, const char *key, char kind, struct jf_field_i64 *f,
                       struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    *f = (struct jf_field_i64){.set = v != NULL, .has = v != NULL && !json_is_null(v)};
    if (!f->has) {
        return JF_OK;
    }
    if (kind == 'r') {
        if (!json_is_string(v)) {
            return jf_err_set(err, JF_E_INVALID, key,
                              "a rate is a decimal string such as \"10%%\", or null");
        }
        return jf_rate_parse(json_string_value(v), &f->v, key, err);
    }
    if (kind == 'b' ? !json_is_boolean(v) : !json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, key, kind == 'b' ? "must be true, false or null"
                                                            : "must be an integer or null");
    }
    f->v = kind == 'b' ? json_is_true(v) : json_integer_value(v);
    return JF_OK;
}

static int parse_patch(struct api_request *q, struct jf_product_patch *p, struct jf_err *err)
{
    static const char *const fields[] = {"name", "price", "zone", "active", "stock", "points",
                                         "points_rate", "release_eligible", "ad_ratio",
                                         "growth_ratio", "points_price", NULL};
    if (api_body(q, fields, err) != JF_OK) {
        return JF_ERR;
    }
    for (int i = 0; i < 4; i++) { /* the fields every product has */
        if (json_is_null(json_object_get(q->json, fields[i]))) {
            return jf_err_set(err, JF_E_INVALID, fields[i], "cannot be null");
        }
    }
    if (api_str(q, "name", false, &p->name, err) || api_str(q, "zone", false, &p->zone, err) ||
        patch_field(q, "price", 'i', &p->price, err) ||
        patch_field(q, "active", 'b', &p->active, err) ||
        patch_field(q, "stock", 'i', &p->stock, err) ||
        patch_field(q, "points", 'i', &p->points, err) ||
        patch_field(q, "points_rate", 'r', &p->points_rate, err) ||
        patch_field(q, "release_eligible", 'b', &p->release_eligible, err) ||
        patch_field(q, "ad_ratio", 'r', &p->ad_ratio, err) ||
        patch_field(q, "growth_ratio", 'r', &p->growth_ratio, err) ||
        patch_field(q, "points_price", 'i', &p->points_price, err)) {
        return JF_ERR;
    }
    return JF_OK;
}

/* PATCH /admin/products/{id}: the fields given change, the others stay. */
void api_admin_product_patch(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    struct patch_cmd c = {.id = q->param};
    if (api_admin(q, &admin, &err) != JF_OK || parse_patch(q, &c.patch, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    api_cmd_init(q, &c.cmd);
    struct st_product p;
    if (api_write(q, run_patch, &c, &err) != JF_OK ||
        st_product_by_ext(jf_svc_db(api_reader(q)), q->param, &p, &err) != 1) {
        reply_err(r, &err);
        return;
    }
    json_t *o = product_json(&p);
    json_object_set_new(o, "replayed", json_boolean(c.res.replayed));
    reply_json(r, 200, o);
}
