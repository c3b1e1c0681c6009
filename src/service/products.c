/*
 * products.c — the products on sale (SPEC 4): creating or replacing one, and an admin's change
 * of some of its fields, written to the audit log with the fields before and after.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "svc_int.h"

/* The optional settings of a product: stored NULL, they fall back to the rules (stock: no
 * limit). */
#define PRODUCT_OPTS(X)                                                                            \
    X(stock) X(points) X(points_rate) X(release_eligible) X(ad_ratio) X(growth_ratio)              \
        X(points_price)

static int opt_rate_check(struct jf_opt_i64 o, const char *field, int64_t max_ppm,
                          struct jf_err *err)
{
    if (o.has && (o.v < 0 || o.v > max_ppm)) {
        return jf_err_set(err, JF_E_INVALID, field, "rate is out of range");
    }
    return JF_OK;
}

static int product_check(const struct jf_product_req *req, int *zone, struct jf_err *err)
{
    if (ext_id_check(req->id, "id", err) != JF_OK) {
        return JF_ERR;
    }
    if (req->name != NULL && (strlen(req->name) == 0 || strlen(req->name) > JF_TEXT_MAX)) {
        return jf_err_set(err, JF_E_INVALID, "name", "must be 1 to %d bytes", JF_TEXT_MAX);
    }
    if (req->price < 0 || req->price > JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, "price", "must be an amount in fen, 0 or more");
    }
    *zone = jf_zone_from_name(req->zone);
    if (*zone < 0) {
        return jf_err_set(err, JF_E_INVALID, "zone",
                          "must be \"normal\", \"entry\", \"repurchase\" or \"mall\"");
    }
    if (req->stock.has && (req->stock.v < 0 || req->stock.v > JF_AMOUNT_INPUT_MAX)) {
        return jf_err_set(err, JF_E_INVALID, "stock", "must be 0 or more");
    }
    if (req->points.has && (req->points.v < 0 || req->points.v > JF_AMOUNT_INPUT_MAX)) {
        return jf_err_set(err, JF_E_INVALID, "points", "must be 0 or more points (minor units)");
    }
    if (req->points.has && req->points_rate.has) {
        return jf_err_set(err, JF_E_INVALID, "points_rate",
                          "give either points or points_rate, not both");
    }
    if (opt_rate_check(req->points_rate, "points_rate", 1000 * JF_PPM, err) ||
        opt_rate_check(req->ad_ratio, "ad_ratio", 1000 * JF_PPM, err) ||
        opt_rate_check(req->growth_ratio, "growth_ratio", JF_PPM, err)) {
        return JF_ERR;
    }
    if (*zone == JF_ZONE_MALL && !req->points_price.has) {
        return jf_err_set(err, JF_E_INVALID, "points_price", "a mall product needs a points_price");
    }
    if (req->points_price.has &&
        (req->points_price.v < 0 || req->points_price.v > JF_AMOUNT_INPUT_MAX)) {
        return jf_err_set(err, JF_E_INVALID, "points_price", "must be 0 or more points");
    }
    if (req->points_price.has && *zone != JF_ZONE_MALL) {
        return jf_err_set(err, JF_E_INVALID, "points_price",
                          "only mall products are priced in points");
    }
    return JF_OK;
}

/* The row that stores a checked request (zone resolved by product_check). */
static void product_row(const struct jf_product_req *req, int zone, int64_t now,
                        struct st_product *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->ext_id, sizeof p->ext_id, "%s", req->id);
    snprintf(p->name, sizeof p->name, "%s", req->name ? req->name : req->id);
    p->price = req->price;
    p->zone = zone;
    p->active = req->active;
#define TO_ROW(f) p->f = (struct st_opt){req->f.has, req->f.v};
    PRODUCT_OPTS(TO_ROW)
#undef TO_ROW
    p->updated_at = now;
}

static void product_request(const struct st_product *p, char *buf, size_t n);

int jf_svc_product_put(struct jf_svc *svc, const struct jf_ctx *ctx,
                       const struct jf_product_req *req, struct jf_result *res,
                       struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int zone = 0;
    if (product_check(req, &zone, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_product p;
    product_row(req, zone, ctx->now, &p);
    char request[768];
    product_request(&p, request, sizeof request);
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc == JF_OK && !res->replayed) {
        rc = st_product_upsert(svc->db, &p, err);
        res->id = p.id;
        if (rc == JF_OK) {
            rc = audit(svc, ctx, "product_put", req->id, NULL, p.name, err);
        }
    } else if (rc != JF_OK) {
        return rc;
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

/* ---- changing some fields ---------------------------------------------------------------- */

/* The optional settings as the audit log writes them: integers, rates or flags. */
static const struct {
    const char *name;
    char kind; /* 'i' integer, 'r' rate (ppm), 'b' flag */
    size_t offset;
} opt_fields[] = {
    {"stock", 'i', offsetof(struct st_product, stock)},
    {"points", 'i', offsetof(struct st_product, points)},
    {"points_rate", 'r', offsetof(struct st_product, points_rate)},
    {"release_eligible", 'b', offsetof(struct st_product, release_eligible)},
    {"ad_ratio", 'r', offsetof(struct st_product, ad_ratio)},
    {"growth_ratio", 'r', offsetof(struct st_product, growth_ratio)},
    {"points_price", 'i', offsetof(struct st_product, points_price)},
};
#define N_PRODUCT_FIELDS (4 + (int)(sizeof opt_fields / sizeof opt_fields[0]))

/* Writes field i (0 .. N_PRODUCT_FIELDS - 1) of a product as text; returns its name. */
static const char *field_text(const struct st_product *p, int i, char *buf, size_t n)
{
    static const char *const names[] = {"name", "price", "zone", "active"};
    switch (i) {
    case 0:
        snprintf(buf, n, "%s", p->name);
        return names[i];
    case 1:
        snprintf(buf, n, "%lld", (long long)p->price);
        return names[i];
    case 2:
        snprintf(buf, n, "%s", jf_zone_name(p->zone));
        return names[i];
    case 3:
        snprintf(buf, n, "%s", p->active ? "true" : "false");
        return names[i];
    }
    JF_ASSERT(i > 3 && i < N_PRODUCT_FIELDS);
    const struct st_opt *o = (const void *)((const char *)p + opt_fields[i - 4].offset);
    char kind = opt_fields[i - 4].kind;
    if (!o->has) {
        snprintf(buf, n, "null");
    } else if (kind == 'r') {
        jf_rate_format(o->v, buf, n);
    } else if (kind == 'b') {
        snprintf(buf, n, "%s", o->v ? "true" : "false");
    } else {
        snprintf(buf, n, "%lld", (long long)o->v);
    }
    return opt_fields[i - 4].name;
}

/* The canonical text of a whole product (its idempotency record): every field, the name last
 * (it is free text). */
static void product_request(const struct st_product *p, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "product|%s", p->ext_id);
    for (int i = 1; i <= N_PRODUCT_FIELDS && len < n; i++) {
        char v[JF_TEXT_MAX + 1];
        field_text(p, i % N_PRODUCT_FIELDS, v, sizeof v);
        len += (size_t)snprintf(buf + len, n - len, "|%s", v);
    }
}

static void append(char *buf, size_t n, const char *name, const char *value)
{
    size_t len = strlen(buf);
    snprintf(buf + len, n - len, "%s%s=%s", len ? " " : "", name, value);
}

/* "field=value ..." of the fields that differ, before and after; returns how many differ. */
static int product_diff(const struct st_product *a, const struct st_product *b, char *before,
                        char *after, size_t n)
{
    int changed = 0;
    before[0] = after[0] = '\0';
    for (int i = 0; i < N_PRODUCT_FIELDS; i++) {
        char x[JF_TEXT_MAX + 1], y[JF_TEXT_MAX + 1];
        const char *name = field_text(a, i, x, sizeof x);
        field_text(b, i, y, sizeof y);
        if (strcmp(x, y) != 0) {
            append(before, n, name, x);
            append(after, n, name, y);
            changed++;
        }
    }
    return changed;
}

/* The product's stored fields as a request, with the patch's fields over them. */
static int patch_apply(const struct st_product *p, const struct jf_product_patch *pt,
                       struct jf_product_req *req, struct jf_err *err)
{
    *req = (struct jf_product_req){.id = p->ext_id, .name = p->name, .price = p->price,
                                   .zone = jf_zone_name(p->zone), .active = p->active};
#define TO_REQ(f) req->f = pt->f.set ? (struct jf_opt_i64){pt->f.has, pt->f.v}                    \
                                     : (struct jf_opt_i64){p->f.has, p->f.v};
    PRODUCT_OPTS(TO_REQ)
#undef TO_REQ
    if ((pt->price.set && !pt->price.has) || (pt->active.set && !pt->active.has)) {
        return jf_err_set(err, JF_E_INVALID, pt->price.set && !pt->price.has ? "price" : "active",
                          "cannot be null");
    }
    req->name = pt->name ? pt->name : req->name;
    req->zone = pt->zone ? pt->zone : req->zone;
    req->price = pt->price.set ? pt->price.v : req->price;
    req->active = pt->active.set ? pt->active.v != 0 : req->active;
    return JF_OK;
}

/* The canonical text of a patch (its idempotency record); the name last: it is free text. */
static bool patch_request(const char *id, const struct jf_product_patch *pt, char *buf,
                          size_t n)
{
    const struct jf_field_i64 *f[] = {&pt->price, &pt->active,
#define ADDR(x) &pt->x,
                                      PRODUCT_OPTS(ADDR)
#undef ADDR
    };
    bool any = pt->name != NULL || pt->zone != NULL;
    size_t len = (size_t)snprintf(buf, n, "product_patch|%s|", id);
    for (size_t i = 0; i < sizeof f / sizeof f[0] && len < n; i++) {
        any = any || f[i]->set;
        len += (size_t)snprintf(buf + len, n - len, "%d%d%lld,", f[i]->set, f[i]->has,
                                (long long)f[i]->v);
    }
    if (len < n) {
        snprintf(buf + len, n - len, "|%s|%s", pt->zone ? pt->zone : "-",
                 pt->name ? pt->name : "-");
    }
    return any;
}

static int patch_step(struct jf_svc *svc, const struct jf_ctx *ctx, const char *id,
                      const struct jf_product_patch *pt, struct jf_result *res,
                      struct jf_err *err)
{
    struct st_product old, p;
    int rc = st_product_by_ext(svc->db, id, &old, err);
    if (rc != 1) {
        return rc == 0 ? jf_err_set(err, JF_E_NOT_FOUND, "id", "product '%s' not found", id)
                       : JF_ERR;
    }
    res->id = old.id;
    struct jf_product_req req;
    int zone;
    if (patch_apply(&old, pt, &req, err) != JF_OK || product_check(&req, &zone, err) != JF_OK) {
        return JF_ERR;
    }
    product_row(&req, zone, ctx->now, &p);
    char before[512], after[512];
    if (product_diff(&old, &p, before, after, sizeof before) == 0) {
        return JF_OK; /* the product is already so: nothing to write */
    }
    if (st_product_upsert(svc->db, &p, err) != JF_OK) {
        return JF_ERR;
    }
    return audit(svc, ctx, "product_patch", id, before, after, err);
}

int jf_svc_product_patch(struct jf_svc *svc, const struct jf_ctx *ctx, const char *id,
                         const struct jf_product_patch *patch, struct jf_result *res,
                         struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    char request[768];
    if (ext_id_check(id, "id", err) != JF_OK) {
        return JF_ERR;
    }
    if (!patch_request(id, patch, request, sizeof request)) {
        return jf_err_set(err, JF_E_INVALID, "body", "give at least one field to change");
    }
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    rc = patch_step(svc, ctx, id, patch, res, err);
    return cmd_end(svc, ctx, request, res, rc, err);
}
