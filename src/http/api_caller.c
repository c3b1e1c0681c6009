/*
 * api_caller.c — who a request comes from, and what its state change runs as.
 *
 * A caller is a member (a member's session token), an admin (an admin's session token) or the
 * shop integration (an API key). Each check answers 401 (403 for a member on an admin route)
 * or names the caller in the request: its actor for the audit log and its idempotency scope.
 * Every command a handler submits is built by api_cmd_init from that caller, so that the
 * request's Idempotency-Key reaches the service's command frame in the caller's scope — the
 * same key sent by two callers is two keys — and no handler builds a key of its own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "jf_assert.h"

typedef int (*session_fn)(struct jf_svc *svc, const char *token_hash, int64_t now, int64_t *id,
                          struct jf_err *err);

/* The member or admin (`kind` 'm' or 'a', by `lookup`) of the request's session token, named in
 * the request as the caller. */
static int session_caller(struct api_request *q, session_fn lookup, char kind, const char *actor,
                          const char *none, int64_t *id, struct jf_err *err)
{
    if (q->token[0] == '\0') {
        return jf_err_set(err, JF_E_UNAUTHORIZED, NULL, "%s", none);
    }
    char hash[65];
    jf_token_hash(q->token, hash);
    if (lookup(api_reader(q), hash, (int64_t)time(NULL), id, err) != JF_OK) {
        return JF_ERR;
    }
    snprintf(q->scope, sizeof q->scope, "%c%lld", kind, (long long)*id);
    snprintf(q->actor, sizeof q->actor, "%s:%lld", actor, (long long)*id);
    return JF_OK;
}

int api_member(struct api_request *q, int64_t *member, struct jf_err *err)
{
    return session_caller(q, jf_svc_session_member, 'm', "member",
                          "sign in first: Authorization: Bearer <token>", member, err);
}

int api_admin(struct api_request *q, int64_t *admin, struct jf_err *err)
{
    return session_caller(q, jf_svc_session_admin, 'a', "admin", "sign in as an admin first",
                          admin, err);
}

/* Answers the request with the error of a failed caller check: false then. */
static bool or_reply(int rc, struct reply *r, const struct jf_err *err)
{
    if (rc != JF_OK) {
        reply_err(r, err);
        return false;
    }
    return true;
}

bool api_member_or_reply(struct api_request *q, struct reply *r, int64_t *member)
{
    struct jf_err err;
    jf_err_clear(&err);
    return or_reply(api_member(q, member, &err), r, &err);
}

bool api_admin_or_reply(struct api_request *q, struct reply *r, int64_t *admin)
{
    struct jf_err err;
    jf_err_clear(&err);
    return or_reply(api_admin(q, admin, &err), r, &err);
}

int api_shop(struct api_request *q, struct jf_err *err)
{
    if (q->token[0] == '\0') {
        return jf_err_set(err, JF_E_UNAUTHORIZED, NULL, "an API key is required");
    }
    if (jf_svc_apikey_check(api_reader(q), q->token, err) != JF_OK) {
        return JF_ERR;
    }
    /* the key itself is a secret: its scope is named by a prefix of its hash */
    char hash[65];
    jf_token_hash(q->token, hash);
    snprintf(q->scope, sizeof q->scope, "k%.16s", hash);
    snprintf(q->actor, sizeof q->actor, "shop");
    return JF_OK;
}

void api_cmd_init(const struct api_request *q, struct api_cmd *c)
{
    JF_ASSERT(q->scope[0] != '\0'); /* the caller was checked first */
    memset(c, 0, sizeof *c);
    c->now = (int64_t)time(NULL);
    memcpy(c->actor, q->actor, sizeof c->actor);
    memcpy(c->scope, q->scope, sizeof c->scope);
    memcpy(c->key, q->idem_key, sizeof c->key);
}

struct jf_ctx api_ctx(const struct api_cmd *c)
{
    return (struct jf_ctx){.now = c->now, .actor = c->actor,
                           .idem_key = c->key[0] ? c->key : NULL,
                           .idem_scope = c->key[0] ? c->scope : NULL};
}

void api_cmd_key_id(const struct api_cmd *c, char prefix, char *out, size_t n)
{
    JF_ASSERT(c->key[0] != '\0');
    char scoped[JF_IDEM_RECORD_MAX], hash[65];
    snprintf(scoped, sizeof scoped, "%s:%s", c->scope, c->key);
    jf_token_hash(scoped, hash);
    snprintf(out, n, "%c%.24s", prefix, hash);
}
