/*
 * api_team.c — a member's team (下级市场): the summary by generation with performance split
 * into cash and points (团队业绩), one generation's members; and the admin's member search and
 * member detail with its newest ledger entries, and the member's whole ledger, team by
 * generation and open lots.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "store.h"

static json_t *team_summary(struct jf_svc *reader, int64_t member, struct jf_err *err)
{
    json_t *gens = json_array();
    struct jf_stmt *it = st_team_summary(jf_svc_db(reader), member);
    int64_t gen, count, perf[3], total[4] = {0, 0, 0, 0};
    int rc;
    while ((rc = st_team_summary_next(it, &gen, &count, perf, err)) == 1) {
        json_array_append_new(gens, json_pack("{s:I,s:I,s:I,s:I,s:I}", "generation",
                                              (json_int_t)gen, "members", (json_int_t)count,
                                              "performance", (json_int_t)perf[0], "cash",
                                              (json_int_t)perf[1], "points",
                                              (json_int_t)perf[2]));
        total[0] += count;
        total[1] += perf[0];
        total[2] += perf[1];
        total[3] += perf[2];
    }
    if (rc != 0) {
        json_decref(gens);
        return NULL;
    }
    return json_pack("{s:I,s:I,s:I,s:I,s:o}", "members", (json_int_t)total[0], "performance",
                     (json_int_t)total[1], "performance_cash", (json_int_t)total[2],
                     "performance_points", (json_int_t)total[3], "generations", gens);
}

void api_team_summary(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    json_t *s;
    if (api_member(q, &member, &err) != JF_OK ||
        (s = team_summary(api_reader(q), member, &err)) == NULL) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, s);
}

static json_t *member_row(const struct st_member *m)
{
    return json_pack("{s:s,s:s,s:I,s:I,s:I}", "member", m->ext_id, "phone", m->phone,
                     "performance", (json_int_t)m->perf_total, "performance_cash",
                     (json_int_t)m->perf_cash, "performance_points", (json_int_t)m->perf_points);
}

static void member_list(struct api_request *q, struct reply *r, struct jf_stmt *it)
{
    struct jf_err err;
    jf_err_clear(&err);
    json_t *items = json_array();
    struct st_member m;
    int rc;
    int64_t last = 0;
    while ((rc = st_members_next(it, &m, &err)) == 1) {
        json_array_append_new(items, member_row(&m));
        last = m.id;
    }
    reply_page(q, r, items, last, rc, &err);
}

void api_team(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    if (!api_member_or_reply(q, r, &member)) {
        return;
    }
    if (q->generation < 1) {
        jf_err_set(&err, JF_E_INVALID, "generation", "a generation is 1 or more");
        reply_err(r, &err);
        return;
    }
    member_list(q, r,
                st_team_generation(jf_svc_db(api_reader(q)), member, q->generation, q->cursor,
                                   q->limit));
}

void api_admin_members(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    member_list(q, r, st_members_search(jf_svc_db(api_reader(q)), q->query_q, q->cursor,
                                        q->limit));
}

/* The admin of the request and the member of the path (404 naming "id" when there is none). */
static int admin_member_of_path(struct api_request *q, struct st_member *m, struct jf_err *err)
{
    int64_t admin;
    if (api_admin(q, &admin, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_member_by_ext(jf_svc_db(api_reader(q)), q->param, m, err);
    if (rc == 0) {
        return jf_err_set(err, JF_E_NOT_FOUND, "id", "no member '%.64s'", q->param);
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

/* The newest ledger entries the member detail shows; GET /admin/members/{id}/ledger pages on. */
#define MEMBER_LEDGER_HEAD 20

/* GET /admin/members/{id}: the profile, balances, debts, team summary and newest ledger
 * entries. */
void api_admin_member(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    struct st_member m;
    struct jf_profile p;
    json_t *team = NULL, *ledger = NULL;
    int64_t last;
    if (admin_member_of_path(q, &m, &err) != JF_OK ||
        jf_svc_profile(api_reader(q), m.id, &p, &err) != JF_OK ||
        (team = team_summary(api_reader(q), m.id, &err)) == NULL ||
        (ledger = api_ledger_items(api_reader(q), m.id, -1, 0, MEMBER_LEDGER_HEAD, &last,
                                   &err)) == NULL) {
        json_decref(team);
        reply_err(r, &err);
        return;
    }
    char cursor[24];
    snprintf(cursor, sizeof cursor, "%lld", (long long)last);
    bool more = json_array_size(ledger) == MEMBER_LEDGER_HEAD;
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:o,s:{s:b,s:b},s:o,s:o,s:o,s:{s:o,s:o}}", "member", p.member,
                         "phone", p.phone, "referrer",
                         p.referrer[0] ? json_string(p.referrer) : json_null(), "frozen",
                         "withdrawals", p.frozen_withdrawals, "all", p.frozen_all, "balances",
                         api_assets_json(p.balance, false), "debts",
                         api_assets_json(p.debt, true), "team", team, "ledger", "items", ledger,
                         "next_cursor", more ? json_string(cursor) : json_null()));
}

/* GET /admin/members/{id}/ledger?asset=: the member's ledger, as GET /me/ledger. */
void api_admin_member_ledger(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    struct st_member m;
    if (admin_member_of_path(q, &m, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    api_reply_ledger(q, r, m.id);
}

/* GET /admin/members/{id}/team?generation=: the members of one generation of the member's team
 * (1 by default), as GET /me/team. */
void api_admin_member_team(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    struct st_member m;
    if (admin_member_of_path(q, &m, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    if (q->generation < 1) {
        jf_err_set(&err, JF_E_INVALID, "generation", "a generation is 1 or more");
        reply_err(r, &err);
        return;
    }
    member_list(q, r,
                st_team_generation(jf_svc_db(api_reader(q)), m.id, q->generation, q->cursor,
                                   q->limit));
}

/* GET /admin/members/{id}/lots: the member's open lots, as GET /me/lots. */
void api_admin_member_lots(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    struct st_member m;
    if (admin_member_of_path(q, &m, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    api_reply_lots(q, r, m.id);
}
