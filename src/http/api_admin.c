/*
 * api_admin.c — the admin's operations that map one to one onto service commands: freezing a
 * member, reviewing withdrawals, a new rules version, income, agents, the token price (each with
 * the request's Idempotency-Key, scoped to the admin, and answering `replayed`); and the rules
 * in force and every version kept. The rules check (SPEC 5.9) of the rules in force, or of a
 * draft merged over them without saving; a new rules version's warnings go to stderr, as
 * `jifen serve` prints them at start.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "day.h"
#include "jf_assert.h"
#include "rules_check.h"

enum { A_FREEZE, A_APPROVE, A_REJECT, A_RULES, A_INCOME, A_AGENT, A_TOKEN_PRICE };

struct op_cmd {
    int op;
    struct api_cmd cmd;
    const char *s1, *s2, *s3;
    char *text; /* owned: the rules patch */
    struct jf_rules_check *check; /* owned: the check of a new rules version, when asked */
    bool b1, b2, b2_set;
    int64_t amount;
    int32_t day;
    struct jf_result res;
};

static int run_op(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct op_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    switch (c->op) {
    /* the member and the withdrawal are the path's id */
    case A_FREEZE:
        return jf_svc_freeze(svc, &ctx, c->s1, c->b1, c->b2_set, c->b2, &c->res, err) == JF_OK
                   ? JF_OK
                   : jf_err_rename_field(err, "member", "id");
    case A_APPROVE:
    case A_REJECT:
        return jf_svc_review(svc, &ctx, c->s1, c->op == A_APPROVE, &c->res, err) == JF_OK
                   ? JF_OK
                   : jf_err_rename_field(err, "request", "id");
    case A_RULES:
        if (jf_svc_rules_update(svc, &ctx, c->text, &c->res, err) != JF_OK) {
            return JF_ERR;
        }
        if (c->check != NULL && !c->res.replayed) {
            jf_rules_check(jf_svc_rules(svc), c->check); /* the rules now in force */
        }
        return JF_OK;
    case A_INCOME:
        return jf_svc_income(svc, &ctx, c->day, c->amount, &c->res, err);
    case A_AGENT:
        return jf_svc_agent(svc, &ctx, c->s1, c->s2, c->s3, &c->res, err);
    default:
        return jf_svc_token_price(svc, &ctx, c->s1, &c->res, err);
    }
}

static int init(struct api_request *q, struct op_cmd *c, int op, struct jf_err *err)
{
    int64_t admin;
    memset(c, 0, sizeof *c);
    if (api_admin(q, &admin, err) != JF_OK) {
        return JF_ERR;
    }
    c->op = op;
    api_cmd_init(q, &c->cmd);
    return JF_OK;
}

static int bool_field(struct api_request *q, const char *key, bool required, bool *out,
                      bool *has, struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    *has = v != NULL;
    if (v == NULL) {
        return required ? jf_err_set(err, JF_E_INVALID, key, "missing") : JF_OK;
    }
    if (!json_is_boolean(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "must be true or false");
    }
    *out = json_is_true(v);
    return JF_OK;
}

static void done(struct api_request *q, struct op_cmd *c, struct reply *r, json_t *answer)
{
    struct jf_err err;
    jf_err_clear(&err);
    int rc = api_write(q, run_op, c, &err);
    free(c->text);
    if (rc != JF_OK) {
        json_decref(answer);
        reply_err(r, &err);
        return;
    }
    json_object_set_new(answer, "replayed", json_boolean(c->res.replayed));
    reply_json(r, 200, answer);
}

void api_admin_freeze(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"withdrawals", "all", NULL};
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    bool has;
    if (init(q, &c, A_FREEZE, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        bool_field(q, "withdrawals", true, &c.b1, &has, &err) ||
        bool_field(q, "all", false, &c.b2, &c.b2_set, &err)) {
        reply_err(r, &err);
        return;
    }
    c.s1 = q->param;
    done(q, &c, r, json_pack("{s:s}", "member", q->param));
}

static void review(struct api_request *q, struct reply *r, int op)
{
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (init(q, &c, op, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    c.s1 = q->param;
    done(q, &c, r,
         json_pack("{s:s,s:s}", "request", q->param, "status",
                   op == A_APPROVE ? "approved" : "rejected"));
}

void api_admin_approve(struct api_request *q, struct reply *r)
{
    review(q, r, A_APPROVE);
}

void api_admin_reject(struct api_request *q, struct reply *r)
{
    review(q, r, A_REJECT);
}

void api_admin_rules_put(struct api_request *q, struct reply *r)
{
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    json_t *doc;
    if (init(q, &c, A_RULES, &err) != JF_OK || api_json_object(q, "rules", &doc, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    c.text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    c.check = jf_xcalloc(1, sizeof *c.check);
    int rc = api_write(q, run_op, &c, &err);
    free(c.text);
    if (rc != JF_OK) {
        free(c.check);
        reply_err(r, &err);
        return;
    }
    if (!c.res.replayed) {
        char who[64];
        snprintf(who, sizeof who, "jifen serve: rules version %lld", (long long)c.res.id);
        jf_rules_check_warn(stderr, who, c.check);
    }
    free(c.check);
    reply_json(r, 200, json_pack("{s:I,s:b}", "version", (json_int_t)c.res.id, "replayed",
                                 c.res.replayed));
}

/* The check of `rules` as the answer, with the version it is of (a draft: the version it was
 * merged over). */
static void reply_check(struct reply *r, const struct jf_rules *rules, int64_t version,
                        bool draft)
{
    struct jf_rules_check *c = jf_xmalloc(sizeof *c);
    jf_rules_check(rules, c);
    json_t *o = jf_rules_check_json(c);
    free(c);
    json_object_set_new(o, "version", json_integer(version));
    json_object_set_new(o, "draft", json_boolean(draft));
    reply_json(r, 200, o);
}

/* GET /admin/rules/check: the rules check of the rules in force. */
void api_admin_rules_check(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin, version = 0;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    /* the read frame brought the reader's rules up to its snapshot's newest version */
    struct jf_svc *reader = api_reader(q);
    if (st_rules_newest(jf_svc_db(reader), &version, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_check(r, jf_svc_rules(reader), version, false);
}

/* POST /admin/rules/check: the check of a draft (a rules patch, as PUT /admin/rules takes)
 * merged over the rules in force, without saving it; refused as PUT would refuse it. */
void api_admin_rules_check_draft(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    json_error_t je;
    json_t *patch;
    if (api_json_object(q, "rules", &patch, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    char *text = json_dumps(patch, JSON_COMPACT);
    json_decref(patch);
    struct jf_svc *reader = api_reader(q);
    char *doc = NULL;
    int64_t version = 0;
    int rc = jf_svc_read_begin(reader, &err);
    if (rc == JF_OK) {
        rc = st_rules_get(jf_svc_db(reader), JF_DAY_NONE, &version, &doc, &err) == 1 ? JF_OK
                                                                                     : JF_ERR;
        jf_svc_read_end(reader);
    }
    json_t *base = rc == JF_OK ? json_loads(doc, 0, &je) : NULL;
    free(doc);
    if (rc == JF_OK && base == NULL) {
        rc = jf_err_set(&err, JF_E_INTERNAL, "rules", "stored rules are not JSON");
    }
    struct jf_rules *rules = jf_xmalloc(sizeof *rules);
    json_t *merged = NULL;
    if (rc == JF_OK && jf_rules_apply_text(base, text, &merged, rules, &err) != JF_OK) {
        jf_err_prefix_field(&err, "rules");
        rc = JF_ERR;
    }
    json_decref(base);
    json_decref(merged);
    free(text);
    if (rc != JF_OK) {
        free(rules);
        reply_err(r, &err);
        return;
    }
    reply_check(r, rules, version, true);
    free(rules);
}

void api_admin_rules_get(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    char *doc = NULL;
    int64_t version = 0;
    if (st_rules_get(jf_svc_db(api_reader(q)), JF_DAY_NONE, &version, &doc, &err) != 1) {
        reply_err(r, &err);
        return;
    }
    json_error_t je;
    json_t *rules = json_loads(doc, 0, &je);
    free(doc);
    reply_json(r, 200, json_pack("{s:I,s:o}", "version", (json_int_t)version, "rules",
                                 rules ? rules : json_null()));
}

static json_t *rules_version_json(const struct st_rules_version *v)
{
    char day[16], at[32];
    jf_day_format(v->effective_day, day, sizeof day);
    jf_time_format(v->created_at, 0, at, sizeof at);
    return json_pack("{s:I,s:s,s:s,s:o}", "version", (json_int_t)v->version, "effective_day",
                     day, "created_at", at, "created_by",
                     v->by[0] ? json_string(v->by) : json_null());
}

/* GET /admin/rules/versions: every version kept, newest first. */
void api_admin_rules_versions(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    json_t *items = json_array();
    struct jf_stmt *it = st_rules_versions(jf_svc_db(api_reader(q)), q->cursor, q->limit);
    struct st_rules_version v;
    int rc;
    int64_t last = 0;
    while ((rc = st_rules_versions_next(it, &v, &err)) == 1) {
        json_array_append_new(items, rules_version_json(&v));
        last = v.version;
    }
    reply_page(q, r, items, last, rc, &err);
}

/* GET /admin/rules/versions/{id}: one version with its whole rules document. */
void api_admin_rules_version(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    char *end;
    long long version = strtoll(q->param, &end, 10);
    if (*end != '\0' || version < 1 || q->param[0] < '0' || q->param[0] > '9') {
        jf_err_set(&err, JF_E_INVALID, "id", "a version is a number from 1");
        reply_err(r, &err);
        return;
    }
    struct st_rules_version v;
    char *doc = NULL;
    int rc = st_rules_version_get(jf_svc_db(api_reader(q)), version, &v, &doc, &err);
    if (rc != 1) {
        if (rc == 0) {
            jf_err_set(&err, JF_E_NOT_FOUND, "id", "no rules version %lld", version);
        }
        reply_err(r, &err);
        return;
    }
    json_error_t je;
    json_t *rules = json_loads(doc, 0, &je);
    free(doc);
    json_t *o = rules_version_json(&v);
    json_object_set_new(o, "rules", rules ? rules : json_null());
    reply_json(r, 200, o);
}

void api_admin_income(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"day", "amount", NULL};
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    const char *day;
    json_t *amount;
    if (init(q, &c, A_INCOME, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "day", true, &day, &err) || jf_day_parse(day, &c.day, "day", &err)) {
        reply_err(r, &err);
        return;
    }
    amount = json_object_get(q->json, "amount");
    if (!json_is_integer(amount)) {
        jf_err_set(&err, JF_E_INVALID, "amount", "must be an integer in fen");
        reply_err(r, &err);
        return;
    }
    c.amount = json_integer_value(amount);
    done(q, &c, r, json_pack("{s:s,s:I}", "day", day, "amount", (json_int_t)c.amount));
}

void api_admin_agent(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"member", "level", "region", NULL};
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (init(q, &c, A_AGENT, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "member", true, &c.s1, &err) || api_str(q, "level", true, &c.s2, &err) ||
        api_str(q, "region", true, &c.s3, &err)) {
        reply_err(r, &err);
        return;
    }
    done(q, &c, r, json_pack("{s:s,s:s,s:s}", "member", c.s1, "level", c.s2, "region", c.s3));
}

void api_admin_token_price(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"price", NULL};
    struct op_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (init(q, &c, A_TOKEN_PRICE, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "price", true, &c.s1, &err)) {
        reply_err(r, &err);
        return;
    }
    done(q, &c, r, json_pack("{s:s}", "price", c.s1));
}
