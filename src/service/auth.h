/*
 * auth.h — passwords (argon2id), session tokens, and the sign-in commands.
 *
 * Hashing a password takes a tenth of a second by design: callers hash on their own thread
 * (jf_password_hash) and hand the hash to the writer's command, so the writer never waits on
 * it. Tokens are 32 random bytes (43 characters, base64url); only their SHA-256 is stored.
 */
#ifndef JF_AUTH_H
#define JF_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "svc.h"

#define JF_PASSWORD_HASH_MAX 128
#define JF_TOKEN_LEN 43
#define JF_SESSION_TTL_S (7 * 24 * 3600) /* a week */

/* Call once at start-up (libsodium). */
int jf_auth_init(struct jf_err *err);
/* 8 to 128 bytes; refused otherwise (field "password"). */
int jf_password_hash(const char *password, char out[JF_PASSWORD_HASH_MAX], struct jf_err *err);
bool jf_password_verify(const char *hash, const char *password);
/* A new token and the hex SHA-256 that is stored for it. */
void jf_token_new(char token[JF_TOKEN_LEN + 1], char hash[65]);
void jf_token_hash(const char *token, char hash[65]);

/* Registers a member through the API: its external id is "p" + the normalised phone. */
int jf_svc_register_account(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                            const char *password_hash, const char *invite_code,
                            struct jf_result *res, struct jf_err *err);
/* What a registration through the API would refuse before its password is worth hashing: a
 * phone that is no mobile number, an invite code of nobody. The registration checks again. */
int jf_svc_register_account_check(struct jf_svc *svc, const char *phone, const char *invite_code,
                                  struct jf_err *err);
/* The input of a password reset that needs no store: the phone (normalised into `norm`) and a
 * code of 6 characters. */
int jf_reset_input_check(const char *phone, const char *code, char norm[16], struct jf_err *err);
/* The member and stored password hash of a phone (hash malloc'ed; NULL when none set);
 * JF_E_UNAUTHORIZED when there is no such member. */
int jf_svc_password_of(struct jf_svc *svc, const char *phone, int64_t *member, char **hash,
                       struct jf_err *err);
/* A session of a member (admin 0) or of an admin (member 0). */
int jf_svc_session_create(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t member,
                          int64_t admin, const char *token_hash, int64_t expires_at,
                          struct jf_err *err);
/* The admin of a live admin session: JF_E_UNAUTHORIZED without one, JF_E_FORBIDDEN for a
 * member's session. */
int jf_svc_session_admin(struct jf_svc *svc, const char *token_hash, int64_t now, int64_t *admin,
                         struct jf_err *err);
/* An admin's username: 3 to 32 lowercase letters, digits, '_' or '-' (400 "username"). */
int jf_admin_username_check(const char *username, struct jf_err *err);
/* Admins are created with the CLI (jifen admin create). */
int jf_svc_admin_create(struct jf_svc *svc, const struct jf_ctx *ctx, const char *username,
                        const char *password_hash, int64_t *id, struct jf_err *err);
int jf_svc_admin_password_of(struct jf_svc *svc, const char *username, int64_t *id, char **hash,
                             struct jf_err *err);
int jf_svc_session_revoke(struct jf_svc *svc, const struct jf_ctx *ctx, const char *token_hash,
                          struct jf_err *err);
/* The member of a live session; JF_E_UNAUTHORIZED when the token is unknown, expired or
 * revoked. */
int jf_svc_session_member(struct jf_svc *svc, const char *token_hash, int64_t now,
                          int64_t *member, struct jf_err *err);

/* A shop API key named `name`: *key receives the key (shown once; only its hash is kept). */
int jf_svc_apikey_create(struct jf_svc *svc, const struct jf_ctx *ctx, const char *name,
                         char key[JF_TOKEN_LEN + 1], struct jf_err *err);
/* JF_E_UNAUTHORIZED unless `key` is a live API key. */
int jf_svc_apikey_check(struct jf_svc *svc, const char *key, struct jf_err *err);

/* SMS codes (SPEC 8): 6 digits, valid 5 minutes, 5 tries, one code a minute per phone. The
 * message goes to the outbox table in the same transaction as the code. With the `log` sender
 * (the default) it stays there ("logged"); with delivery on it is "pending" until a sender
 * thread delivers it (jf_svc_sms_due, jf_svc_sms_tried), outside any transaction. */
#define JF_SMS_TTL_S 300
#define JF_SMS_TRIES_MAX 5
#define JF_SMS_INTERVAL_S 60
int jf_svc_sms_request(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                       const char *purpose, struct jf_err *err);

/* Deliveries of one message: at most JF_SMS_SEND_TRIES_MAX tries, the second
 * JF_SMS_RETRY_FIRST_S after the first and each wait twice the one before (1, 2, 4, 8 s: the
 * last try is 15 s after the first, well inside the code's 5 minutes). A message whose code has
 * expired is not sent any more. */
#define JF_SMS_SEND_TRIES_MAX 5
#define JF_SMS_RETRY_FIRST_S 1
/* Messages read per poll of the outbox. */
#define JF_SMS_DUE_BATCH 32

/* Turns delivery on for the messages this service writes from now on (before the writer
 * starts; off by default). */
void jf_svc_sms_deliver(struct jf_svc *svc, bool on);

/* One outbox message awaiting delivery. */
struct jf_sms_msg {
    int64_t id;
    int64_t at;    /* when it was written (Unix seconds) */
    int64_t tries; /* deliveries tried so far */
    bool expired;  /* its code has expired: it is not worth sending any more */
    char phone[16];
    char text[256];
};
/* Fills out[0 .. *n) with up to `max` (1 .. JF_SMS_DUE_BATCH) pending messages due at `now`,
 * the earliest due first. A read: call it on a reader's service, never on the writer's. */
int jf_svc_sms_due(struct jf_svc *svc, int64_t now, struct jf_sms_msg *out, int max, int *n,
                   struct jf_err *err);

enum jf_sms_outcome {
    JF_SMS_SENT,    /* the provider took the message */
    JF_SMS_FAILED,  /* a try failed */
    JF_SMS_EXPIRED, /* not tried: its code had expired */
};
/* Records what became of message `id` at ctx->now (a command: run it on the writer).
 * SENT makes it "sent". FAILED keeps `error` (a short reason, never a secret) and makes it due
 * again after the backoff, or "failed" after the last try or when the next try would come after
 * its code has expired. EXPIRED makes it "failed" without counting a try. *status receives the
 * new state ("sent", "pending", "failed") and *next_at the time of the next try (0: none). A
 * message that is no longer pending is left as it is (*status names its state). */
int jf_svc_sms_tried(struct jf_svc *svc, const struct jf_ctx *ctx, int64_t id,
                     enum jf_sms_outcome outcome, const char *error, const char **status,
                     int64_t *next_at, struct jf_err *err);

/* Checks the code and sets the new password (hashed by the caller); every session of the
 * member is revoked. A wrong code counts a try and answers *wrong = true with JF_OK, so that the
 * count is kept. */
int jf_svc_password_reset(struct jf_svc *svc, const struct jf_ctx *ctx, const char *phone,
                          const char *code, const char *password_hash, bool *wrong,
                          struct jf_err *err);

/* One member as GET /me shows it. */
struct jf_profile {
    char member[JF_EXT_ID_MAX + 1];
    char phone[24];
    char invite_code[16];
    char referrer[JF_EXT_ID_MAX + 1]; /* "" when none */
    bool frozen_withdrawals, frozen_all;
    int64_t balance[JF_ASSET_COUNT], debt[JF_ASSET_COUNT];
    const char *level, *rank; /* NULL: none */
};
int jf_svc_profile(struct jf_svc *svc, int64_t member, struct jf_profile *out,
                   struct jf_err *err);

#endif
