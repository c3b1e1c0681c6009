/*
 * api_member.c — what a signed-in member does with its own balances: sign in for the day,
 * exchange, transfer points, sell appreciation points, ask for a withdrawal, convert points to
 * tokens; and the public growth pool and token price. Every change goes through the writer, with
 * the request's Idempotency-Key (scoped to the member) as the command's idempotency key.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "api.h"
#include "day.h"
#include "ids.h"
#include "store.h"
#include "tz.h"

/* One member command: which operation, its fields, and the answer. */
struct member_cmd {
    int op;
    struct api_cmd cmd;
    char member[JF_EXT_ID_MAX + 1];
    const char *s1, *s2, *s3;
    int64_t amount;
    struct jf_result res;
};

enum { OP_SIGNIN, OP_EXCHANGE, OP_TRANSFER, OP_SELL, OP_WITHDRAW, OP_TOKEN };

static int run_member(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct member_cmd *c = arg;
    struct jf_ctx ctx = api_ctx(&c->cmd);
    switch (c->op) {
    case OP_SIGNIN:
        return jf_svc_signin(svc, &ctx, c->member, jf_tz_local_day(ctx.now), &c->res, err);
    case OP_EXCHANGE:
        return jf_svc_exchange(svc, &ctx, c->member, c->s1, c->s2, c->amount, &c->res, err);
    case OP_TRANSFER:
        /* the receiver is the request's to_phone; the sender is the caller, not a field */
        if (jf_svc_transfer(svc, &ctx, c->member, c->s1, c->s2, c->amount, &c->res, err) ==
            JF_OK) {
            return JF_OK;
        }
        jf_err_rename_field(err, "to", "to_phone");
        return jf_err_rename_field(err, "from", NULL);
    case OP_SELL:
        return jf_svc_sell(svc, &ctx, c->member, c->amount, &c->res, err);
    case OP_WITHDRAW:
        if (jf_svc_withdraw(svc, &ctx, c->s1, c->member, c->amount, &c->res, err) == JF_OK) {
            return JF_OK;
        }
        return jf_err_rename_field(err, "member", NULL); /* the caller: a state, not a field */
    case OP_TOKEN:
        return jf_svc_to_token(svc, &ctx, c->member, c->amount, &c->res, err);
    }
    return jf_err_set(err, JF_E_INTERNAL, NULL, "unknown command");
}

static int amount_field(struct api_request *q, const char *key, int64_t *out, struct jf_err *err)
{
    json_t *v = json_object_get(q->json, key);
    if (v == NULL) {
        return jf_err_set(err, JF_E_INVALID, key, "missing");
    }
    if (!json_is_integer(v)) {
        return jf_err_set(err, JF_E_INVALID, key, "must be an integer in minor units");
    }
    *out = json_integer_value(v);
    return JF_OK;
}

/* Signs the member in, prepares the command and its idempotency key. */
static int prepare(struct api_request *q, struct member_cmd *c, int op, struct jf_err *err)
{
    int64_t member;
    struct jf_profile p;
    if (api_member(q, &member, err) != JF_OK ||
        jf_svc_profile(api_reader(q), member, &p, err) != JF_OK) {
        return JF_ERR;
    }
    memset(c, 0, sizeof *c);
    c->op = op;
    api_cmd_init(q, &c->cmd);
    memcpy(c->member, p.member, sizeof c->member);
    return JF_OK;
}

static void answer(struct api_request *q, struct member_cmd *c, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    if (api_write(q, run_member, c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    int64_t member;
    struct jf_profile p;
    if (api_member(q, &member, &err) != JF_OK ||
        jf_svc_profile(api_reader(q), member, &p, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, c->res.replayed ? 200 : 201,
               json_pack("{s:b,s:I,s:o}", "replayed", c->res.replayed, "id",
                         (json_int_t)c->res.id, "balances", api_assets_json(p.balance, false)));
}

void api_signin(struct api_request *q, struct reply *r)
{
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (prepare(q, &c, OP_SIGNIN, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    answer(q, &c, r);
}

void api_exchange(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"from", "to", "amount", NULL};
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (prepare(q, &c, OP_EXCHANGE, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "from", true, &c.s1, &err) || api_str(q, "to", true, &c.s2, &err) ||
        amount_field(q, "amount", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    answer(q, &c, r);
}

void api_transfer(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"to_phone", "asset", "amount", NULL};
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    const char *phone;
    char norm[16], to[24];
    if (prepare(q, &c, OP_TRANSFER, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        api_str(q, "to_phone", true, &phone, &err) || api_str(q, "asset", true, &c.s2, &err) ||
        amount_field(q, "amount", &c.amount, &err) ||
        jf_phone_normalize(phone, norm, sizeof norm, "to_phone", &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    struct st_member m;
    int rc = st_member_by_phone(jf_svc_db(api_reader(q)), norm, &m, &err);
    if (rc != 1) {
        if (rc == 0) {
            jf_err_set(&err, JF_E_NOT_FOUND, "to_phone", "no member with phone %s", norm);
        }
        reply_err(r, &err);
        return;
    }
    snprintf(to, sizeof to, "%s", m.ext_id);
    c.s1 = to; /* run_member: the transfer goes from the member to s1, in asset s2 */
    answer(q, &c, r);
}

void api_sell(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"amount", NULL};
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (prepare(q, &c, OP_SELL, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        amount_field(q, "amount", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    answer(q, &c, r);
}

void api_withdraw(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"amount", NULL};
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    char request[64];
    if (prepare(q, &c, OP_WITHDRAW, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        amount_field(q, "amount", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    if (q->idem_key[0] == '\0') {
        jf_err_set(&err, JF_E_INVALID, "Idempotency-Key",
                   "a withdrawal needs an Idempotency-Key header");
        reply_err(r, &err);
        return;
    }
    api_cmd_key_id(&c.cmd, 'w', request, sizeof request); /* the withdrawal's request id */
    c.s1 = request;
    answer(q, &c, r);
}

void api_tokens(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"points", NULL};
    struct member_cmd c;
    struct jf_err err;
    jf_err_clear(&err);
    if (prepare(q, &c, OP_TOKEN, &err) != JF_OK || api_body(q, fields, &err) != JF_OK ||
        amount_field(q, "points", &c.amount, &err)) {
        reply_err(r, &err);
        return;
    }
    answer(q, &c, r);
}

void api_growth(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    int64_t pool, supply;
    if (st_growth_get(jf_svc_db(api_reader(q)), &pool, &supply, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    /* the price as an exact decimal string: pool / supply, 6 decimals, rounded down */
    char price[40];
    if (supply > 0 && pool > 0) {
        unsigned __int128 ppm = (unsigned __int128)pool * 1000000u / (unsigned __int128)supply;
        snprintf(price, sizeof price, "%llu.%06llu", (unsigned long long)(ppm / 1000000u),
                 (unsigned long long)(ppm % 1000000u));
    } else {
        jf_rate_format(jf_svc_rules(api_reader(q))->growth.initial_price_ppm, price,
                       sizeof price);
    }
    reply_json(r, 200, json_pack("{s:I,s:I,s:s}", "pool", (json_int_t)pool, "supply",
                                 (json_int_t)supply, "price", price));
}

void api_token_price(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    int64_t ppm = 0;
    int rc = st_token_price_latest(jf_svc_db(api_reader(q)), &ppm, &err);
    if (rc < 0) {
        reply_err(r, &err);
        return;
    }
    char price[40];
    jf_rate_format(ppm, price, sizeof price);
    reply_json(r, 200, json_pack("{s:o}", "price", rc == 1 ? json_string(price) : json_null()));
}
