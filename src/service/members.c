/*
 * members.c — registration (phone, referrer, invite code) and products.
 */
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "ids.h"
#include "svc_int.h"

static int resolve_referrer(struct jf_svc *svc, const char *ref, struct st_member *m,
                            struct jf_err *err)
{
    int rc = st_member_by_ext(svc->db, ref, m, err);
    if (rc == 0) {
        rc = st_member_by_invite(svc->db, ref, m, err);
    }
    if (rc == 0) {
        char phone[16];
        struct jf_err ignored;
        if (jf_phone_normalize(ref, phone, sizeof phone, "referrer", &ignored) == JF_OK) {
            rc = st_member_by_phone(svc->db, phone, m, err);
        }
    }
    if (rc == 0) {
        return jf_err_set(err, JF_E_NOT_FOUND, "referrer", "referrer '%s' not found", ref);
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

int jf_svc_register(struct jf_svc *svc, const struct jf_ctx *ctx,
                    const struct jf_register_req *req, struct jf_result *res,
                    struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    struct st_member m = {0};
    if (ext_id_check(req->member, "member", err) != JF_OK ||
        jf_phone_normalize(req->phone, m.phone, sizeof m.phone, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    if (req->referrer != NULL && ext_id_check(req->referrer, "referrer", err) != JF_OK) {
        return JF_ERR;
    }
    char request[256];
    snprintf(request, sizeof request, "register|%s|%s|%s", req->member, m.phone,
             req->referrer ? req->referrer : "");
    int rc = cmd_begin(svc, ctx, request, res, err);
    if (rc != JF_OK || res->replayed) {
        return rc == JF_OK ? cmd_end(svc, ctx, request, res, rc, err) : rc;
    }
    struct st_member existing, ref = {0};
    rc = event_day_check(svc, ctx->now, NULL, err);
    if (rc == JF_OK && (rc = st_member_by_phone(svc->db, m.phone, &existing, err)) == 1) {
        rc = jf_err_set(err, JF_E_CONFLICT, "phone", "phone %s is already registered", m.phone);
    }
    if (rc == 0 && (rc = st_member_by_ext(svc->db, req->member, &existing, err)) == 1) {
        rc = jf_err_set(err, JF_E_CONFLICT, "member", "member '%s' already exists", req->member);
    }
    if (rc == 0 && req->referrer != NULL) {
        rc = resolve_referrer(svc, req->referrer, &ref, err);
    }
    if (rc == 0 || rc == JF_OK) {
        m.id = st_member_next_id(svc->db, err);
        rc = m.id > 0 ? JF_OK : JF_ERR;
    }
    if (rc == JF_OK) {
        snprintf(m.ext_id, sizeof m.ext_id, "%s", req->member);
        m.referrer = ref.id;
        jf_invite_code(m.id, m.invite_code, sizeof m.invite_code);
        m.created_at = ctx->now;
        rc = st_member_insert(svc->db, &m, err);
        res->id = m.id;
        if (rc == JF_OK && req->password_hash != NULL) {
            rc = st_member_set_password(svc->db, m.id, req->password_hash, err);
        }
    }
    return cmd_end(svc, ctx, request, res, rc, err);
}

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

int jf_svc_product_put(struct jf_svc *svc, const struct jf_ctx *ctx,
                       const struct jf_product_req *req, struct jf_result *res,
                       struct jf_err *err)
{
    memset(res, 0, sizeof *res);
    int zone = 0;
    if (product_check(req, &zone, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_product p = {0};
    snprintf(p.ext_id, sizeof p.ext_id, "%s", req->id);
    snprintf(p.name, sizeof p.name, "%s", req->name ? req->name : req->id);
    p.price = req->price;
    p.zone = zone;
    p.active = req->active;
#define COPY_OPT(f) p.f = (struct st_opt){req->f.has, req->f.v}
    COPY_OPT(stock);
    COPY_OPT(points);
    COPY_OPT(points_rate);
    COPY_OPT(release_eligible);
    COPY_OPT(ad_ratio);
    COPY_OPT(growth_ratio);
    COPY_OPT(points_price);
#undef COPY_OPT
    p.updated_at = ctx->now;
    char request[128];
    snprintf(request, sizeof request, "product|%s", req->id);
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
