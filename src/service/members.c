/*
 * members.c — registration (phone, referrer, invite code).
 */
#include <stdio.h>
#include <string.h>

#include "ids.h"
#include "svc_int.h"

int referrer_get(struct jf_svc *svc, const char *ref, struct st_member *m, struct jf_err *err)
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
        rc = referrer_get(svc, req->referrer, &ref, err);
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
