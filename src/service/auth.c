/*
 * auth.c — passwords, tokens, sessions, and the member profile (see auth.h).
 */
#include "auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "ids.h"
#include "jf_assert.h"
#include "release.h"
#include "svc_int.h"

int jf_auth_init(struct jf_err *err)
{
    if (sodium_init() < 0) {
        return jf_err_set(err, JF_E_INTERNAL, NULL, "libsodium failed to initialise");
    }
    return JF_OK;
}

int jf_password_hash(const char *password, char out[JF_PASSWORD_HASH_MAX], struct jf_err *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n < 8 || n > 128) {
        return jf_err_set(err, JF_E_INVALID, "password", "a password has 8 to 128 bytes");
    }
    _Static_assert(crypto_pwhash_STRBYTES <= JF_PASSWORD_HASH_MAX, "hash buffer");
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    /* the fuzzing build only (CMake JIFEN_FUZZ): argon2id at its lowest cost */
    const unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN;
    const size_t mem = crypto_pwhash_MEMLIMIT_MIN;
#else
    const unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#endif
    if (crypto_pwhash_str_alg(out, password, n, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return jf_err_set(err, JF_E_INTERNAL, NULL, "password hashing ran out of memory");
    }
    return JF_OK;
}

bool jf_password_verify(const char *hash, const char *password)
{
    return hash != NULL && password != NULL &&
           crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void jf_token_hash(const char *token, char hash[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hash, 65, h, sizeof h);
}

void jf_token_new(char token[JF_TOKEN_LEN + 1], char hash[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, JF_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    jf_token_hash(token, hash);
}

struct register_cmd {
    const char *phone, *hash, *invite;
};

int jf_svc_register_account(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                            const char *password_hash, const char *invite_code,
                            struct jf_result *res, struct jf_err *err)
{
    char norm[16], ext[24];
    if (jf_phone_normalize(phone, norm, sizeof norm, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    snprintf(ext, sizeof ext, "p%s", norm);
    struct jf_register_req req = {.member = ext, .phone = norm, .referrer = invite_code};
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = jf_svc_register(svc, ctx, &req, res, err);
    if (rc == JF_OK) {
        rc = st_member_set_password(svc->db, res->id, password_hash, err);
    } else {
        jf_err_rename_field(err, "referrer", "invite_code"); /* what the request calls it */
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}

int jf_svc_register_account_check(struct jf_svc *svc, const char *phone, const char *invite_code,
                                  struct jf_err *err)
{
    char norm[16];
    struct st_member m;
    if (jf_phone_normalize(phone, norm, sizeof norm, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    if (invite_code != NULL && (ext_id_check(invite_code, "referrer", err) != JF_OK ||
                                referrer_get(svc, invite_code, &m, err) != JF_OK)) {
        return jf_err_rename_field(err, "referrer", "invite_code");
    }
    return JF_OK;
}

int jf_svc_password_of(struct jf_svc *svc, const char *phone, int64_t *member, char **hash,
                       struct jf_err *err)
{
    char norm[16];
    if (jf_phone_normalize(phone, norm, sizeof norm, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_member_password(svc->db, norm, member, hash, err);
    if (rc == 0) {
        return jf_err_set(err, JF_E_UNAUTHORIZED, NULL, "wrong phone or password");
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

int jf_svc_session_create(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                          int64_t admin, const char *token_hash, int64_t expires_at,
                          struct jf_err *err)
{
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    if (st_session_insert(svc->db, token_hash, member, admin, ctx->now, expires_at, err) !=
        JF_OK) {
        jf_db_rollback(svc->db);
        return JF_ERR;
    }
    return jf_db_commit(svc->db, err);
}

int jf_svc_session_revoke(struct jf_svc *svc, const struct jf_ctx *ctx, const char *token_hash,
                          struct jf_err *err)
{
    (void)ctx;
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    if (st_session_revoke(svc->db, token_hash, err) != JF_OK) {
        jf_db_rollback(svc->db);
        return JF_ERR;
    }
    return jf_db_commit(svc->db, err);
}

int jf_svc_session_member(struct jf_svc *svc, const char *token_hash, int64_t now,
                          int64_t *member, struct jf_err *err)
{
    int64_t admin = 0;
    int rc = st_session_get(svc->db, token_hash, now, member, &admin, err);
    if (rc == 1 && *member > 0) {
        return JF_OK;
    }
    return rc < 0 ? JF_ERR
                  : jf_err_set(err, JF_E_UNAUTHORIZED, NULL,
                               "sign in first (the token is unknown, expired or revoked)");
}

int jf_svc_profile(struct jf_svc *svc, int64_t member, struct jf_profile *out,
                   struct jf_err *err)
{
    memset(out, 0, sizeof *out);
    struct st_member m, ref;
    if (st_member_by_id(svc->db, member, &m, err) != 1 ||
        st_member_balances(svc->db, member, out->balance, out->debt, err) != JF_OK) {
        return jf_err_set(err, JF_E_NOT_FOUND, NULL, "member not found");
    }
    memcpy(out->member, m.ext_id, sizeof out->member);
    memcpy(out->phone, m.phone, sizeof out->phone);
    memcpy(out->invite_code, m.invite_code, sizeof out->invite_code);
    if (m.referrer > 0 && st_member_by_id(svc->db, m.referrer, &ref, err) == 1) {
        memcpy(out->referrer, ref.ext_id, sizeof out->referrer);
    }
    out->frozen_withdrawals = m.frozen_withdrawals;
    out->frozen_all = m.frozen_all;
    const struct jf_rules *r = &svc->rules;
    out->rank = m.rank >= 0 && m.rank < r->release.n_ranks ? r->release.ranks[m.rank].name : NULL;
    struct jf_stmt *it = st_member_lots(svc->db, member, 0, INT64_MAX);
    struct st_lot l;
    int tier = -1, rc;
    while ((rc = st_lots_next(it, &l, err)) == 1) {
        tier = l.tier > tier ? l.tier : tier;
    }
    out->level = tier >= 0 && tier < r->release.n_tiers ? r->release.tiers[tier].name : NULL;
    return rc == 0 ? JF_OK : JF_ERR;
}

int jf_svc_session_admin(struct jf_svc *svc, const char *token_hash, int64_t now, int64_t *admin,
                         struct jf_err *err)
{
    int64_t member = 0;
    int rc = st_session_get(svc->db, token_hash, now, &member, admin, err);
    if (rc < 0) {
        return JF_ERR;
    }
    if (rc == 0) {
        return jf_err_set(err, JF_E_UNAUTHORIZED, NULL,
                          "sign in as an admin first (the token is unknown, expired or revoked)");
    }
    if (*admin == 0) {
        return jf_err_set(err, JF_E_FORBIDDEN, NULL, "an admin route: a member may not use it");
    }
    return JF_OK;
}

int jf_admin_username_check(const char *username, struct jf_err *err)
{
    size_t n = username ? strlen(username) : 0;
    bool ok = n >= 3 && n <= 32;
    for (size_t i = 0; ok && i < n; i++) {
        char c = username[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
    return ok ? JF_OK
              : jf_err_set(err, JF_E_INVALID, "username",
                           "3 to 32 lowercase letters, digits, '_' or '-'");
}

int jf_svc_admin_create(struct jf_svc *svc, const struct jf_ctx *ctx, const char *username,
                        const char *password_hash, int64_t *id, struct jf_err *err)
{
    if (jf_admin_username_check(username, err) != JF_OK) {
        return JF_ERR;
    }
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_admin_insert(svc->db, username, password_hash, ctx->now, id, err);
    if (rc == JF_OK) {
        rc = audit(svc, ctx, "admin_create", username, NULL, NULL, err);
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    if (err->code == JF_E_CONFLICT) {
        jf_err_set(err, JF_E_CONFLICT, "username", "admin '%s' already exists", username);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}

int jf_svc_admin_password_of(struct jf_svc *svc, const char *username, int64_t *id, char **hash,
                             struct jf_err *err)
{
    int rc = st_admin_password(svc->db, username, id, hash, err);
    if (rc == 0) {
        return jf_err_set(err, JF_E_UNAUTHORIZED, NULL, "wrong username or password");
    }
    return rc == 1 ? JF_OK : JF_ERR;
}

int jf_svc_apikey_create(struct jf_svc *svc, const struct jf_ctx *ctx, const char *name,
                         char key[JF_TOKEN_LEN + 1], struct jf_err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n < 1 || n > 64) {
        return jf_err_set(err, JF_E_INVALID, "name", "a key name has 1 to 64 bytes");
    }
    char hash[65];
    jf_token_new(key, hash);
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    int rc = st_apikey_insert(svc->db, hash, name, ctx->now, err);
    if (rc == JF_OK) {
        rc = audit(svc, ctx, "apikey_create", name, NULL, NULL, err);
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    if (err->code == JF_E_CONFLICT) {
        jf_err_set(err, JF_E_CONFLICT, "name", "a key named '%s' exists", name);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}

int jf_svc_apikey_check(struct jf_svc *svc, const char *key, struct jf_err *err)
{
    char hash[65];
    jf_token_hash(key, hash);
    int rc = st_apikey_check(svc->db, hash, err);
    if (rc == 1) {
        return JF_OK;
    }
    return rc < 0 ? JF_ERR : jf_err_set(err, JF_E_UNAUTHORIZED, NULL, "unknown or revoked API key");
}

static void sms_hash(const char *phone, const char *code, char hash[65])
{
    char text[64];
    snprintf(text, sizeof text, "%s:%s", phone, code);
    jf_token_hash(text, hash);
}

int jf_svc_sms_request(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                       const char *purpose, struct jf_err *err)
{
    char norm[16];
    if (jf_phone_normalize(phone, norm, sizeof norm, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    if (purpose == NULL || strcmp(purpose, "reset_password") != 0) {
        return jf_err_set(err, JF_E_INVALID, "purpose", "the purpose is \"reset_password\"");
    }
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_sms s;
    struct st_member m;
    int rc = st_sms_get(svc->db, norm, purpose, &s, err);
    if (rc == 1 && ctx->now - s.created_at < JF_SMS_INTERVAL_S) {
        rc = jf_err_set(err, JF_E_RATE_LIMITED, "phone", "one code a minute: wait a little");
    } else if (rc >= 0) {
        rc = st_member_by_phone(svc->db, norm, &m, err);
        if (rc == 0) {
            /* the same answer as for a member, and nothing sent: the endpoint does not tell
             * anyone whether a phone is registered */
            rc = JF_OK;
        } else if (rc == 1) {
            char code[8], hash[65], text[96];
            snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
            sms_hash(norm, code, hash);
            snprintf(text, sizeof text, "验证码 %s，5分钟内有效。verification code %s", code, code);
            rc = st_sms_put(svc->db, norm, purpose, hash, ctx->now, ctx->now + JF_SMS_TTL_S, err);
            if (rc == JF_OK) {
                rc = st_sms_outbox_add(svc->db, norm, text, ctx->now, svc->sms_deliver, err);
            }
        }
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}

int jf_reset_input_check(const char *phone, const char *code, char norm[16], struct jf_err *err)
{
    if (jf_phone_normalize(phone, norm, 16, "phone", err) != JF_OK) {
        return JF_ERR;
    }
    if (code == NULL || strlen(code) != 6) {
        return jf_err_set(err, JF_E_INVALID, "code", "the code has 6 digits");
    }
    return JF_OK;
}

int jf_svc_password_reset(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                          const char *code, const char *password_hash, bool *wrong,
                          struct jf_err *err)
{
    char norm[16], hash[65];
    *wrong = false;
    if (jf_reset_input_check(phone, code, norm, err) != JF_OK) {
        return JF_ERR;
    }
    if (jf_db_begin(svc->db, err) != JF_OK) {
        return JF_ERR;
    }
    struct st_sms s;
    struct st_member m;
    int rc = st_sms_get(svc->db, norm, "reset_password", &s, err);
    if (rc == 0 || (rc == 1 && (s.used || ctx->now >= s.expires_at))) {
        rc = jf_err_set(err, JF_E_REFUSED, "code", "no live code: ask for a new one");
    } else if (rc == 1 && s.tries >= JF_SMS_TRIES_MAX) {
        rc = jf_err_set(err, JF_E_RATE_LIMITED, "code", "too many tries: ask for a new code");
    } else if (rc == 1) {
        sms_hash(norm, code, hash);
        if (sodium_memcmp(hash, s.code_hash, 64) != 0) {
            *wrong = true; /* the try is kept: committed below */
            rc = st_sms_update(svc->db, norm, "reset_password", s.tries + 1, false, err);
        } else {
            rc = st_member_by_phone(svc->db, norm, &m, err) == 1 ? JF_OK : JF_ERR;
            if (rc == JF_OK) {
                rc = st_member_set_password(svc->db, m.id, password_hash, err);
            }
            if (rc == JF_OK) {
                rc = st_sms_update(svc->db, norm, "reset_password", s.tries, true, err);
            }
            if (rc == JF_OK) {
                rc = st_sessions_revoke_member(svc->db, m.id, err);
            }
        }
    }
    if (rc == JF_OK) {
        return jf_db_commit(svc->db, err);
    }
    jf_db_rollback(svc->db);
    return JF_ERR;
}
