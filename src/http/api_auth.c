/*
 * api_auth.c — the sign-in endpoints and GET /me: register, login, logout, the member's own
 * profile. Passwords are hashed and checked on the request's thread; the state changes go to
 * the writer; reads use the thread's own connection.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "auth.h"
#include "day.h"
#include "ids.h"
#include "jf_assert.h"
#include "types.h"

/* A password's hash and a check of one, each in one of the server's hashing slots. */
static int hash_password(struct api_request *q, const char *password,
                         char hash[JF_PASSWORD_HASH_MAX], struct jf_err *err)
{
    jf_http_hash_enter(q->http);
    int rc = jf_password_hash(password, hash, err);
    jf_http_hash_leave(q->http);
    return rc;
}

static bool password_matches(struct api_request *q, const char *stored, const char *password)
{
    jf_http_hash_enter(q->http);
    bool ok = jf_password_verify(stored, password);
    jf_http_hash_leave(q->http);
    return ok;
}

struct register_cmd {
    const char *phone, *hash, *invite;
    int64_t now;
    struct jf_result res;
};

static int run_register(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct register_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "api"};
    return jf_svc_register_account(svc, &ctx, c->phone, c->hash, c->invite, &c->res, err);
}

void api_register(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "password", "invite_code", NULL};
    const char *phone, *password, *invite;
    struct jf_err err;
    jf_err_clear(&err);
    char hash[JF_PASSWORD_HASH_MAX];
    /* what is refused anyway is refused before the password is hashed */
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "phone", true, &phone, &err) ||
        api_str(q, "password", true, &password, &err) ||
        api_str(q, "invite_code", false, &invite, &err) ||
        jf_svc_register_account_check(api_reader(q), phone, invite, &err) != JF_OK ||
        hash_password(q, password, hash, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    struct register_cmd c = {phone, hash, invite, (int64_t)time(NULL), {0}};
    if (api_write(q, run_register, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    struct jf_profile p;
    if (jf_svc_profile(api_reader(q), c.res.id, &p, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 201, json_pack("{s:s,s:s,s:s}", "member", p.member, "phone", p.phone,
                                 "invite_code", p.invite_code));
}

struct session_cmd {
    int64_t member, admin, now;
    const char *hash;
    bool revoke;
};

static int run_session(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct session_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "api"};
    return c->revoke ? jf_svc_session_revoke(svc, &ctx, c->hash, err)
                     : jf_svc_session_create(svc, &ctx, c->member, c->admin, c->hash,
                                             c->now + JF_SESSION_TTL_S, err);
}

/* The common end of both sign-ins: check the password against the stored
 * hash (freed here), then open a session for the member or the admin. */
static void finish_login(struct api_request *q, struct reply *r, int64_t member, int64_t admin,
                         char *stored, const char *password, const char *wrong)
{
    struct jf_err err;
    jf_err_clear(&err);
    bool ok = password_matches(q, stored, password);
    free(stored);
    if (!ok) {
        jf_err_set(&err, JF_E_UNAUTHORIZED, NULL, "%s", wrong);
        reply_err(r, &err);
        return;
    }
    char token[JF_TOKEN_LEN + 1], hash[65];
    jf_token_new(token, hash);
    struct session_cmd c = {member, admin, (int64_t)time(NULL), hash, false};
    if (api_write(q, run_session, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    char exp[32];
    jf_time_format(c.now + JF_SESSION_TTL_S, 0, exp, sizeof exp);
    reply_json(r, 200, json_pack("{s:s,s:s}", "token", token, "expires_at", exp));
}

void api_login(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "password", NULL};
    const char *phone, *password;
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member = 0;
    char *stored = NULL, norm[16];
    /* the limit counts the account: a phone is counted as normalised, however it is written */
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "phone", true, &phone, &err) ||
        api_str(q, "password", true, &password, &err) ||
        jf_phone_normalize(phone, norm, sizeof norm, "phone", &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    if (!jf_http_login_allowed(q->http, norm)) {
        jf_err_set(&err, JF_E_RATE_LIMITED, "phone", "too many sign-in attempts; wait a while");
        reply_err(r, &err);
        return;
    }
    if (jf_svc_password_of(api_reader(q), norm, &member, &stored, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    finish_login(q, r, member, 0, stored, password, "wrong phone or password");
}

void api_logout(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    if (!api_member_or_reply(q, r, &member)) {
        return;
    }
    char hash[65];
    jf_token_hash(q->token, hash);
    struct session_cmd c = {member, 0, (int64_t)time(NULL), hash, true};
    if (api_write(q, run_session, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

/* POST /admin/auth/logout: the admin's session ends (its token is revoked). */
void api_admin_logout(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin;
    if (!api_admin_or_reply(q, r, &admin)) {
        return;
    }
    char hash[65];
    jf_token_hash(q->token, hash);
    struct session_cmd c = {0, admin, (int64_t)time(NULL), hash, true};
    if (api_write(q, run_session, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:b}", "revoked", 1));
}

void api_me(struct api_request *q, struct reply *r)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t member;
    struct jf_profile p;
    if (api_member(q, &member, &err) != JF_OK ||
        jf_svc_profile(api_reader(q), member, &p, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    json_t *bal = api_assets_json(p.balance, false), *debt = api_assets_json(p.debt, true);
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:s,s:o,s:{s:b,s:b},s:o,s:o,s:o,s:o}", "member", p.member,
                         "phone", p.phone, "invite_code", p.invite_code, "referrer",
                         p.referrer[0] ? json_string(p.referrer) : json_null(), "frozen",
                         "withdrawals", p.frozen_withdrawals, "all", p.frozen_all, "balances",
                         bal, "debts", debt, "level",
                         p.level ? json_string(p.level) : json_null(), "rank",
                         p.rank ? json_string(p.rank) : json_null()));
}

void api_admin_login(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"username", "password", NULL};
    const char *user, *password;
    struct jf_err err;
    jf_err_clear(&err);
    int64_t admin = 0;
    char *stored = NULL;
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "username", true, &user, &err) ||
        api_str(q, "password", true, &password, &err) ||
        jf_admin_username_check(user, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    char who[80];
    snprintf(who, sizeof who, "admin:%s", user);
    if (!jf_http_login_allowed(q->http, who)) {
        jf_err_set(&err, JF_E_RATE_LIMITED, "username", "too many sign-in attempts; wait a while");
        reply_err(r, &err);
        return;
    }
    if (jf_svc_admin_password_of(api_reader(q), user, &admin, &stored, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    finish_login(q, r, 0, admin, stored, password, "wrong username or password");
}

struct sms_cmd {
    const char *phone, *purpose, *code, *hash;
    int64_t now;
    bool reset, wrong;
};

static int run_sms(struct jf_svc *svc, void *arg, struct jf_err *err)
{
    struct sms_cmd *c = arg;
    struct jf_ctx ctx = {.now = c->now, .actor = "api"};
    return c->reset ? jf_svc_password_reset(svc, &ctx, c->phone, c->code, c->hash, &c->wrong,
                                            err)
                    : jf_svc_sms_request(svc, &ctx, c->phone, c->purpose, err);
}

void api_sms_code(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "purpose", NULL};
    struct sms_cmd c = {.now = (int64_t)time(NULL)};
    struct jf_err err;
    jf_err_clear(&err);
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "phone", true, &c.phone, &err) ||
        api_str(q, "purpose", true, &c.purpose, &err) ||
        api_write(q, run_sms, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:b,s:I}", "sent", 1, "expires_in", (json_int_t)JF_SMS_TTL_S));
}

void api_reset_password(struct api_request *q, struct reply *r)
{
    static const char *const fields[] = {"phone", "code", "new_password", NULL};
    struct sms_cmd c = {.now = (int64_t)time(NULL), .reset = true};
    struct jf_err err;
    jf_err_clear(&err);
    const char *password;
    char hash[JF_PASSWORD_HASH_MAX], norm[16];
    if (api_body(q, fields, &err) != JF_OK || api_str(q, "phone", true, &c.phone, &err) ||
        api_str(q, "code", true, &c.code, &err) ||
        api_str(q, "new_password", true, &password, &err) ||
        jf_reset_input_check(c.phone, c.code, norm, &err) != JF_OK ||
        hash_password(q, password, hash, &err) != JF_OK) {
        if (strcmp(err.field, "password") == 0) {
            snprintf(err.field, sizeof err.field, "new_password");
        }
        reply_err(r, &err);
        return;
    }
    c.hash = hash;
    if (api_write(q, run_sms, &c, &err) != JF_OK) {
        reply_err(r, &err);
        return;
    }
    if (c.wrong) {
        jf_err_set(&err, JF_E_UNAUTHORIZED, "code", "wrong code");
        reply_err(r, &err);
        return;
    }
    reply_json(r, 200, json_pack("{s:b}", "reset", 1));
}
