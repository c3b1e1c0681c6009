/*
 * store_auth.c — passwords, sessions.
 */
#include <stdio.h>

#include "jf_assert.h"
#include "store.h"

int st_member_set_password(struct jf_db *db, int64_t member, const char *hash,
                           struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE members SET password_hash = ?2 WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    jf_stmt_text(st, 2, hash);
    return jf_stmt_run(st, err);
}

int st_member_password(struct jf_db *db, const char *phone, int64_t *member, char **hash,
                       struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT id, password_hash FROM members WHERE phone = ?1");
    jf_stmt_text(st, 1, phone);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *member = jf_col_i64(st, 0);
    *hash = jf_col_null(st, 1) ? NULL : jf_xstrdup(jf_col_text(st, 1));
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_session_insert(struct jf_db *db, const char *token_hash, int64_t member, int64_t admin,
                      int64_t at, int64_t expires_at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO sessions(token_hash, member, admin, created_at, expires_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
    jf_stmt_text(st, 1, token_hash);
    jf_stmt_opt_i64(st, 2, member > 0, member);
    jf_stmt_opt_i64(st, 3, admin > 0, admin);
    jf_stmt_i64(st, 4, at);
    jf_stmt_i64(st, 5, expires_at);
    return jf_stmt_run(st, err);
}

int st_session_get(struct jf_db *db, const char *token_hash, int64_t now, int64_t *member,
                   int64_t *admin, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT coalesce(member, 0), coalesce(admin, 0) FROM sessions "
            "WHERE token_hash = ?1 AND revoked = 0 AND expires_at > ?2");
    jf_stmt_text(st, 1, token_hash);
    jf_stmt_i64(st, 2, now);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *member = jf_col_i64(st, 0);
    *admin = jf_col_i64(st, 1);
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_session_revoke(struct jf_db *db, const char *token_hash, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE sessions SET revoked = 1 WHERE token_hash = ?1");
    jf_stmt_text(st, 1, token_hash);
    return jf_stmt_run(st, err);
}

int st_admin_insert(struct jf_db *db, const char *username, const char *hash, int64_t at,
                    int64_t *id, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO admins(username, password_hash, created_at) VALUES (?1, ?2, ?3) "
            "RETURNING id");
    jf_stmt_text(st, 1, username);
    jf_stmt_text(st, 2, hash);
    jf_stmt_i64(st, 3, at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_admin_password(struct jf_db *db, const char *username, int64_t *id, char **hash,
                      struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT id, password_hash FROM admins WHERE username = ?1");
    jf_stmt_text(st, 1, username);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *id = jf_col_i64(st, 0);
    *hash = jf_xstrdup(jf_col_text(st, 1));
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_apikey_insert(struct jf_db *db, const char *key_hash, const char *name, int64_t at,
                     struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO api_keys(key_hash, name, created_at) VALUES (?1, ?2, ?3)");
    jf_stmt_text(st, 1, key_hash);
    jf_stmt_text(st, 2, name);
    jf_stmt_i64(st, 3, at);
    return jf_stmt_run(st, err);
}

int st_apikey_check(struct jf_db *db, const char *key_hash, struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT 1 FROM api_keys WHERE key_hash = ?1 AND revoked = 0");
    jf_stmt_text(st, 1, key_hash);
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        rc = jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
    }
    return rc;
}

int st_sms_get(struct jf_db *db, const char *phone, const char *purpose, struct st_sms *s,
               struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT code_hash, created_at, expires_at, tries, used FROM sms_codes "
            "WHERE phone = ?1 AND purpose = ?2");
    jf_stmt_text(st, 1, phone);
    jf_stmt_text(st, 2, purpose);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    snprintf(s->code_hash, sizeof s->code_hash, "%s", jf_col_text(st, 0));
    s->created_at = jf_col_i64(st, 1);
    s->expires_at = jf_col_i64(st, 2);
    s->tries = jf_col_i64(st, 3);
    s->used = jf_col_i64(st, 4) != 0;
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_sms_put(struct jf_db *db, const char *phone, const char *purpose, const char *code_hash,
               int64_t at, int64_t expires_at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO sms_codes(phone, purpose, code_hash, created_at, expires_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(phone, purpose) DO UPDATE SET "
            "code_hash = excluded.code_hash, created_at = excluded.created_at, "
            "expires_at = excluded.expires_at, tries = 0, used = 0");
    jf_stmt_text(st, 1, phone);
    jf_stmt_text(st, 2, purpose);
    jf_stmt_text(st, 3, code_hash);
    jf_stmt_i64(st, 4, at);
    jf_stmt_i64(st, 5, expires_at);
    return jf_stmt_run(st, err);
}

int st_sms_update(struct jf_db *db, const char *phone, const char *purpose, int64_t tries,
                  bool used, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE sms_codes SET tries = ?3, used = ?4 WHERE phone = ?1 AND purpose = ?2");
    jf_stmt_text(st, 1, phone);
    jf_stmt_text(st, 2, purpose);
    jf_stmt_i64(st, 3, tries);
    jf_stmt_i64(st, 4, used);
    return jf_stmt_run(st, err);
}

int st_sms_outbox_add(struct jf_db *db, const char *phone, const char *text, int64_t at,
                      bool pending, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO sms_outbox(phone, text, at, status, next_at) VALUES (?1, ?2, ?3, ?4, ?3)");
    jf_stmt_text(st, 1, phone);
    jf_stmt_text(st, 2, text);
    jf_stmt_i64(st, 3, at);
    jf_stmt_text(st, 4, pending ? "pending" : "logged");
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_sms_outbox_due(struct jf_db *db, int64_t now, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, phone, text, at, tries FROM sms_outbox "
            "WHERE status = 'pending' AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2");
    jf_stmt_i64(st, 1, now);
    jf_stmt_i64(st, 2, limit);
    return st;
}

int st_sms_outbox_next(struct jf_stmt *it, struct st_outbox *o, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc != 1) {
        return rc;
    }
    o->id = jf_col_i64(it, 0);
    snprintf(o->phone, sizeof o->phone, "%s", jf_col_text(it, 1));
    snprintf(o->text, sizeof o->text, "%s", jf_col_text(it, 2));
    o->at = jf_col_i64(it, 3);
    o->tries = jf_col_i64(it, 4);
    snprintf(o->status, sizeof o->status, "pending");
    return 1;
}

int st_sms_outbox_get(struct jf_db *db, int64_t id, struct st_outbox *o, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, phone, text, at, tries, status FROM sms_outbox WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    o->id = jf_col_i64(st, 0);
    snprintf(o->phone, sizeof o->phone, "%s", jf_col_text(st, 1));
    snprintf(o->text, sizeof o->text, "%s", jf_col_text(st, 2));
    o->at = jf_col_i64(st, 3);
    o->tries = jf_col_i64(st, 4);
    snprintf(o->status, sizeof o->status, "%s", jf_col_text(st, 5));
    return jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
}

int st_sms_outbox_mark(struct jf_db *db, int64_t id, const char *status, int64_t tries,
                       int64_t next_at, bool done, int64_t at, const char *error,
                       struct jf_err *err)
{
    /* a message that is done (sent or given up) keeps no text: the code in it must not outlive
     * its delivery in the store (nor in its backups) */
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE sms_outbox SET status = ?2, tries = ?3, next_at = ?4, "
            "done_at = CASE WHEN ?5 <> 0 THEN CAST(?6 AS BIGINT) END, last_error = ?7, "
            "text = CASE WHEN ?5 <> 0 THEN '' ELSE text END WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    jf_stmt_text(st, 2, status);
    jf_stmt_i64(st, 3, tries);
    jf_stmt_i64(st, 4, next_at);
    jf_stmt_i64(st, 5, done);
    jf_stmt_i64(st, 6, at);
    jf_stmt_text(st, 7, error);
    return jf_stmt_run(st, err);
}

int st_sessions_revoke_member(struct jf_db *db, int64_t member, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE sessions SET revoked = 1 WHERE member = ?1");
    jf_stmt_i64(st, 1, member);
    return jf_stmt_run(st, err);
}
