/*
 * api_lists.c — lists: a member's withdrawals; every withdrawal by status and the settled
 * days' reports for admins. Paged newest first with ?limit= and ?cursor=.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "day.h"
#include "store.h"

static json_t *withdrawal_json(const struct st_withdrawal *w)
{
    char d[16];
    jf_day_format(w->day, d, sizeof d);
    return json_pack("{s:s,s:I,s:I,s:s,s:s}", "request", w->ext_id, "amount",
                     (json_int_t)w->amount, "fee", (json_int_t)w->fee, "status",
                     jf_withdrawal_status_name(w->status), "day", d);
}

static void list_withdrawals(struct api_request *q, struct reply *r, int64_t member)
{
    struct jf_err err;
    jf_err_clear(&err);
    int status = -1;
    if (q->query_status[0]) {
        static const char *const names[] = {"pending", "approved", "rejected"};
        for (int i = 0; i < 3; i++) {
            status = strcmp(names[i], q->query_status) == 0 ? i : status;
        }
        if (status < 0) {
            jf_err_set(&err, JF_E_INVALID, "status", "pending, approved or rejected");
            reply_err(r, &err);
            return;
        }
    }
    json_t *items = json_array();
    struct jf_stmt *it =
        st_withdrawals_list(jf_svc_db(api_reader(q)), member, status, q->cursor, q->limit);
    struct st_withdrawal w;
    int rc;
    int64_t last = 0;
    while ((rc = st_withdrawals_next(it, &w, &err)) == 1) {
        json_t *o = withdrawal_json(&w);
        if (member == 0) {
            json_object_set_new(o, "member_id", json_integer(w.member));
        }
        json_array_append_new(items, o);
        last = w.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

void api_my_withdrawals(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    int64_t member;
    if (api_member(q, &member, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    list_withdrawals(q, r, member);
}

void api_admin_withdrawals(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    int64_t admin;
    if (api_admin(q, &admin, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    list_withdrawals(q, r, 0);
}

void api_admin_settlements(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (api_admin(q, &admin, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_settlements_list(jf_svc_db(api_reader(q)), (int32_t)q->cursor,
                                             q->limit);
    int32_t day = 0;
    const char *report;
    int rc;
    while ((rc = st_settlements_next(it, &day, &report, &err)) == 1) {
        json_error_t je;
        json_t *rep = json_loads(report, 0, &je);
        json_array_append_new(items, rep ? rep : json_null());
    }
    reply_page(q, r, items, day, rc, &err);
}

/* GET /me/ledger?asset=: every transfer of the member's accounts, newest first. */
void api_my_ledger(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    if (api_member(q, &member, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    int asset = -1;
    if (q->query_asset[0] && (asset = jf_asset_from_name(q->query_asset)) < 0) {
        jf_err_set(&err, JF_E_INVALID, "asset", "unknown asset '%.16s'", q->query_asset);
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it =
        st_member_ledger(jf_svc_db(api_reader(q)), member, asset, q->cursor, q->limit);
    struct st_entry e;
    int rc;
    int64_t last = 0;
    while ((rc = st_member_ledger_next(it, &e, &err)) == 1) {
        char at[32];
        jf_time_format(e.at, 0, at, sizeof at);
        json_array_append_new(items, json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)e.id,
                                               "asset", jf_asset_name(e.asset), "amount",
                                               (json_int_t)e.amount, "kind", e.kind, "ref", e.ref,
                                               "at", at));
        last = e.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

/* GET /me/releases?from=&to=: the member's daily releases (static, share, team, peer). */
void api_my_releases(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    int32_t from, to;
    if (api_member(q, &member, &err) != JF_OK ||
        jf_day_parse(q->query_from, &from, "from", &err) != JF_OK ||
        jf_day_parse(q->query_to, &to, "to", &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    if (to < from || to - from > 365) {
        jf_err_set(&err, JF_E_INVALID, "to", "from <= to, at most 366 days");
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_member_releases(jf_svc_db(api_reader(q)), member, from, to);
    struct st_release rel;
    int rc;
    while ((rc = st_releases_next(it, &rel, &err)) == 1) {
        char d[16];
        jf_day_format(rel.day, d, sizeof d);
        json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:I,s:I}", "day", d, "static",
                                               (json_int_t)rel.amount[0], "share",
                                               (json_int_t)rel.amount[1], "team",
                                               (json_int_t)rel.amount[2], "peer",
                                               (json_int_t)rel.amount[3]));
    }
    if (rc != 0) {
        json_decref(items);
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* GET /admin/orders?status=: every order, newest first. */
void api_admin_orders(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (api_admin(q, &admin, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    int status = -1;
    if (q->query_status[0]) {
        for (int i = JF_ORDER_PENDING; i <= JF_ORDER_REFUNDED; i++) {
            status = strcmp(jf_order_status_name(i), q->query_status) == 0 ? i : status;
        }
        if (status < 0) {
            jf_err_set(&err, JF_E_INVALID, "status", "pending, paid, completed or refunded");
            reply_err(r, &err);
            return;
        }
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_orders_list(jf_svc_db(api_reader(q)), status, q->cursor, q->limit);
    struct st_order o;
    int rc;
    int64_t last = 0;
    while ((rc = st_member_orders_next(it, &o, &err)) == 1) {
        json_array_append_new(items, json_pack("{s:s,s:s,s:I,s:I,s:I}", "id", o.ext_id, "status",
                                               jf_order_status_name(o.status), "amount",
                                               (json_int_t)o.amount, "cash", (json_int_t)o.cash,
                                               "member_id", (json_int_t)o.member));
        last = o.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

/* GET /admin/audit: every admin action, newest first. */
void api_admin_audit(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (api_admin(q, &admin, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_audit_list(jf_svc_db(api_reader(q)), q->cursor, q->limit);
    struct st_audit a;
    int rc;
    int64_t last = 0;
    while ((rc = st_audit_next(it, &a, &err)) == 1) {
        char at[32];
        jf_time_format(a.at, 0, at, sizeof at);
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id",
                                               (json_int_t)a.id, "actor", a.actor, "action",
                                               a.action, "target", a.target, "before", a.before,
                                               "after", a.after, "at", at));
        last = a.id;
    }
    reply_page(q, r, items, last, rc, &err);
}
