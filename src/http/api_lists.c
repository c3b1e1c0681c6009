/*
 * api_lists.c — lists: a member's withdrawals, ledger, releases and lots; every withdrawal by
 * status, every order, the audit log and the settled days' reports for admins. Paged with
 * ?limit= and ?cursor= (newest first; lots oldest first).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "day.h"
#include "jf_assert.h"
#include "release.h"
#include "store.h"

static json_t *withdrawal_json(const struct st_withdrawal *w)
{
    char d[16];
    jf_day_format(w->day, d, sizeof d);
    return json_pack("{s:s,s:I,s:I,s:s,s:s}", "request", w->ext_id, "amount",
                     (json_int_t)w->amount, "fee", (json_int_t)w->fee, "status",
                     jf_withdrawal_status_name(w->status), "day", d);
}

/* Adds "member" (the member's external id, what the other endpoints take) to each row of an
 * admin list beside its "member_id", once the list's own query is done. */
static int add_member_ext_ids(struct api_request *q, json_t *items, struct jf_err *err)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        struct st_member m;
        int rc = st_member_by_id(jf_svc_db(api_reader(q)),
                                 json_integer_value(json_object_get(o, "member_id")), &m, err);
        if (rc != 1) {
            return rc == 0 ? jf_err_set(err, JF_E_INTERNAL, NULL, "a row without its member")
                           : JF_ERR;
        }
        json_object_set_new(o, "member", json_string(m.ext_id));
    }
    return JF_OK;
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
    if (rc == 0 && member == 0) {
        rc = add_member_ext_ids(q, items, &err);
    }
    reply_page(q, r, items, last, rc, &err);
}

void api_my_withdrawals(struct api_request *q, struct reply *r)
{
    int64_t member;
    if (!api_member_or_reply(q, r, &member)) {
        return;
    }
    list_withdrawals(q, r, member);
}

void api_admin_withdrawals(struct api_request *q, struct reply *r)
{
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    list_withdrawals(q, r, 0);
}

void api_admin_settlements(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
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

json_t *api_assets_json(const int64_t v[JF_ASSET_COUNT], bool nonzero_only)
{
    json_t *o = json_object();
    for (int a = 0; a < JF_ASSET_COUNT; a++) {
        if (!nonzero_only || v[a] != 0) {
            json_object_set_new(o, jf_asset_name(a), json_integer(v[a]));
        }
    }
    return o;
}

json_t *api_ledger_items(struct jf_svc *reader, int64_t member, int asset, int64_t before,
                         int64_t limit, int64_t *last, struct jf_err *err)
{
    struct jf_ledger_entry *e = jf_xmalloc(sizeof *e * (size_t)limit);
    int64_t n = 0;
    json_t *items = NULL;
    *last = 0;
    if (jf_svc_ledger(reader, member, asset, before, limit, e, &n, err) == JF_OK) {
        items = json_array();
        for (int64_t i = 0; i < n; i++) {
            char at[32];
            jf_time_format(e[i].at, 0, at, sizeof at);
            json_array_append_new(
                items, json_pack("{s:o,s:s,s:I,s:I,s:s,s:s,s:s}", "id",
                                 e[i].id > 0 ? json_integer(e[i].id) : json_null(), "asset",
                                 jf_asset_name(e[i].asset), "amount", (json_int_t)e[i].amount,
                                 "balance_after", (json_int_t)e[i].balance_after, "kind",
                                 e[i].kind, "ref", e[i].ref, "at", at));
            *last = e[i].key;
        }
    }
    free(e);
    return items;
}

void api_reply_ledger(struct api_request *q, struct reply *r, int64_t member)
{
    struct jf_err err;
    jf_err_clear(&err);
    int asset = -1;
    if (q->query_asset[0] && (asset = jf_asset_from_name(q->query_asset)) < 0) {
        jf_err_set(&err, JF_E_INVALID, "asset", "unknown asset '%.16s'", q->query_asset);
        reply_err(r, &err);
        return;
    }
    int64_t last;
    json_t *items =
        api_ledger_items(api_reader(q), member, asset, q->cursor, q->limit, &last, &err);
    reply_page(q, r, items, last, items == NULL, &err);
}

/* GET /me/ledger?asset=: the member's transfers and release legs, newest first, each with the
 * balance after it. */
void api_my_ledger(struct api_request *q, struct reply *r)
{
    int64_t member;
    if (api_member_or_reply(q, r, &member)) {
        api_reply_ledger(q, r, member);
    }
}

/* GET /me/releases?from=&to=: the member's daily releases (static, share, team, peer), newest
 * first; the cursor is a day (its number), the next page ends the day before it. */
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
    if (q->cursor > 0 && q->cursor - 1 < to) {
        to = (int32_t)(q->cursor - 1);
    }
    json_t *items = json_array();
    int rc = 0;
    int32_t last = 0;
    struct st_release rel;
    struct jf_stmt *it =
        to < from ? NULL : st_member_releases(jf_svc_db(api_reader(q)), member, from, to, q->limit);
    while (it != NULL && (rc = st_releases_next(it, &rel, &err)) == 1) {
        char d[16];
        jf_day_format(rel.day, d, sizeof d);
        json_array_append_new(items, json_pack("{s:s,s:I,s:I,s:I,s:I}", "day", d, "static",
                                               (json_int_t)rel.amount[0], "share",
                                               (json_int_t)rel.amount[1], "team",
                                               (json_int_t)rel.amount[2], "peer",
                                               (json_int_t)rel.amount[3]));
        last = rel.day;
    }
    reply_page(q, r, items, last, rc, &err);
}

void api_reply_lots(struct api_request *q, struct reply *r, int64_t member)
{
    struct jf_err err;
    jf_err_clear(&err);
    int32_t settled;
    struct jf_db *db = jf_svc_db(api_reader(q));
    if (st_last_settled(db, &settled, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    json_t *lots = json_array();
    struct jf_stmt *it = st_member_lots(db, member, q->cursor, q->limit);
    struct st_lot l;
    int rc;
    int64_t last = 0;
    while ((rc = st_lots_next(it, &l, &err)) == 1) {
        int64_t rem = settled == JF_DAY_NONE
                          ? l.remaining
                          : jf_lot_remaining_at(l.remaining, l.daily, l.as_of, settled);
        json_array_append_new(lots, json_pack("{s:s,s:I,s:I,s:I,s:I}", "order", l.order_ext,
                                              "amount", (json_int_t)l.amount, "total",
                                              (json_int_t)l.total, "remaining", (json_int_t)rem,
                                              "daily", (json_int_t)(rem > 0 ? l.daily : 0)));
        last = l.id;
    }
    reply_page(q, r, lots, last, rc, &err);
}

/* GET /me/lots: the member's open lots, oldest first, with what remains after the last settled
 * day and the daily release. */
void api_my_lots(struct api_request *q, struct reply *r)
{
    int64_t member;
    if (api_member_or_reply(q, r, &member)) {
        api_reply_lots(q, r, member);
    }
}

/* GET /admin/orders?status=: every order, newest first. */
void api_admin_orders(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
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
    if (rc == 0) {
        rc = add_member_ext_ids(q, items, &err);
    }
    reply_page(q, r, items, last, rc, &err);
}

/* GET /admin/audit: every admin action, newest first. */
void api_admin_audit(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
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
