/*
 * store_misc.c — withdrawals, rules versions, settled days, idempotency records, token prices,
 * the growth pool state and the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "day.h"
#include "jf_assert.h"
#include "store.h"

static int finish(struct jf_stmt *st, int found, struct jf_err *err)
{
    return jf_stmt_step(st, err) == 0 ? found : JF_ERR;
}

int st_withdrawal_insert(struct jf_db *db, struct st_withdrawal *w, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO withdrawals(ext_id, member, amount, status, day, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    jf_stmt_text(st, 1, w->ext_id);
    jf_stmt_i64(st, 2, w->member);
    jf_stmt_i64(st, 3, w->amount);
    jf_stmt_i64(st, 4, w->status);
    jf_stmt_i64(st, 5, w->day);
    jf_stmt_i64(st, 6, w->created_at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    w->id = jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}

int st_withdrawal_by_ext(struct jf_db *db, const char *ext_id, struct st_withdrawal *w,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, ext_id, member, amount, fee, status, day, created_at, reviewed_at "
            "FROM withdrawals WHERE ext_id = ?1");
    jf_stmt_text(st, 1, ext_id);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    w->id = jf_col_i64(st, 0);
    snprintf(w->ext_id, sizeof w->ext_id, "%s", jf_col_text(st, 1));
    w->member = jf_col_i64(st, 2);
    w->amount = jf_col_i64(st, 3);
    w->fee = jf_col_i64(st, 4);
    w->status = (int)jf_col_i64(st, 5);
    w->day = (int32_t)jf_col_i64(st, 6);
    w->created_at = jf_col_i64(st, 7);
    w->reviewed_at = jf_col_i64(st, 8);
    return finish(st, 1, err);
}

struct jf_stmt *st_withdrawals_list(struct jf_db *db, int64_t member, int status, int64_t before,
                                    int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, ext_id, member, amount, fee, status, day, created_at, reviewed_at "
            "FROM withdrawals WHERE (?1 = 0 OR member = ?1) AND (?2 < 0 OR status = ?2) "
            "AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, status);
    jf_stmt_i64(st, 3, before);
    jf_stmt_i64(st, 4, limit);
    return st;
}

int st_withdrawals_next(struct jf_stmt *it, struct st_withdrawal *w, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        w->id = jf_col_i64(it, 0);
        snprintf(w->ext_id, sizeof w->ext_id, "%s", jf_col_text(it, 1));
        w->member = jf_col_i64(it, 2);
        w->amount = jf_col_i64(it, 3);
        w->fee = jf_col_i64(it, 4);
        w->status = (int)jf_col_i64(it, 5);
        w->day = (int32_t)jf_col_i64(it, 6);
        w->created_at = jf_col_i64(it, 7);
        w->reviewed_at = jf_col_i64(it, 8);
    }
    return rc;
}

struct jf_stmt *st_settlements_list(struct jf_db *db, int32_t before, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT day, report FROM settlements WHERE (?1 = 0 OR day < ?1) "
            "ORDER BY day DESC LIMIT ?2");
    jf_stmt_i64(st, 1, before);
    jf_stmt_i64(st, 2, limit);
    return st;
}

int st_settlements_next(struct jf_stmt *it, int32_t *day, const char **report,
                        struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *day = (int32_t)jf_col_i64(it, 0);
        *report = jf_col_text(it, 1);
    }
    return rc;
}

int st_withdrawal_review(struct jf_db *db, const struct st_withdrawal *w, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE withdrawals SET status = ?2, fee = ?3, reviewed_at = ?4 WHERE id = ?1");
    jf_stmt_i64(st, 1, w->id);
    jf_stmt_i64(st, 2, w->status);
    jf_stmt_i64(st, 3, w->fee);
    jf_stmt_i64(st, 4, w->reviewed_at);
    return jf_stmt_run(st, err);
}

int st_withdrawal_day_sum(struct jf_db *db, int64_t member, int32_t day, int64_t *sum,
                          struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT coalesce(sum(amount), 0) FROM withdrawals WHERE member = ?1 AND day = ?2 "
            "AND status <> ?3");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, day);
    jf_stmt_i64(st, 3, JF_WD_REJECTED);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *sum = jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}

int st_rules_get(struct jf_db *db, int32_t day, int64_t *version, char **doc, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT version, doc FROM rules_versions "
            "WHERE CAST(?1 AS BIGINT) IS NULL OR effective_day <= ?1 ORDER BY version DESC LIMIT 1");
    jf_stmt_opt_i64(st, 1, day != JF_DAY_NONE, day);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *version = jf_col_i64(st, 0);
    *doc = jf_xstrdup(jf_col_text(st, 1));
    return finish(st, 1, err);
}

int st_rules_newest(struct jf_db *db, int64_t *version, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT coalesce(max(version), 0) FROM rules_versions");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *version = jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}

int st_rules_insert(struct jf_db *db, int32_t effective_day, const char *doc, int64_t at,
                    int64_t *version, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO rules_versions(effective_day, doc, created_at) VALUES (?1, ?2, ?3) "
            "RETURNING version");
    jf_stmt_i64(st, 1, effective_day);
    jf_stmt_text(st, 2, doc);
    jf_stmt_i64(st, 3, at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *version = jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}

/* The author of a version is the actor of its one "rules_update" audit entry ("version N").
 * The join reads the audit log once (SQLite builds a transient index for it), whatever the
 * number of versions listed. */
#define RULES_VERSION_COLS "SELECT v.version, v.effective_day, v.created_at, coalesce(a.actor, '')"
#define RULES_VERSION_FROM                                                                         \
    " FROM rules_versions v LEFT JOIN audit a "                                                    \
    "ON a.action = 'rules_update' AND a.after = 'version ' || v.version "

static void read_rules_version(struct jf_stmt *st, struct st_rules_version *v)
{
    v->version = jf_col_i64(st, 0);
    v->effective_day = (int32_t)jf_col_i64(st, 1);
    v->created_at = jf_col_i64(st, 2);
    snprintf(v->by, sizeof v->by, "%s", jf_col_text(st, 3));
}

struct jf_stmt *st_rules_versions(struct jf_db *db, int64_t before, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, RULES_VERSION_COLS RULES_VERSION_FROM
        "WHERE (?1 = 0 OR v.version < ?1) ORDER BY v.version DESC LIMIT ?2");
    jf_stmt_i64(st, 1, before);
    jf_stmt_i64(st, 2, limit);
    return st;
}

int st_rules_versions_next(struct jf_stmt *it, struct st_rules_version *v, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        read_rules_version(it, v);
    }
    return rc;
}

int st_rules_version_get(struct jf_db *db, int64_t version, struct st_rules_version *v,
                         char **doc, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, RULES_VERSION_COLS ", v.doc" RULES_VERSION_FROM "WHERE v.version = ?1");
    jf_stmt_i64(st, 1, version);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    read_rules_version(st, v);
    *doc = jf_xstrdup(jf_col_text(st, 4));
    return finish(st, 1, err);
}

int st_last_settled(struct jf_db *db, int32_t *day, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT max(day) FROM settlements");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *day = jf_col_null(st, 0) ? JF_DAY_NONE : (int32_t)jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}

int st_day_state(struct jf_db *db, int32_t *last_settled, int32_t *genesis, struct jf_err *err)
{
    if (jf_db_day_memo_get(db, last_settled, genesis)) {
        return JF_OK;
    }
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT (SELECT max(day) FROM settlements), "
            "(SELECT CAST(value AS BIGINT) FROM meta WHERE key = 'genesis_day')");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *last_settled = jf_col_null(st, 0) ? JF_DAY_NONE : (int32_t)jf_col_i64(st, 0);
    *genesis = jf_col_null(st, 1) ? JF_DAY_NONE : (int32_t)jf_col_i64(st, 1);
    jf_db_day_memo_set(db, *last_settled, *genesis);
    return finish(st, JF_OK, err);
}

int st_settlement_insert(struct jf_db *db, int32_t day, int64_t at, int64_t transfer_seq,
                         const char *report, struct jf_err *err)
{
    jf_db_day_memo_forget(db);
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO settlements(day, settled_at, transfer_seq, report) "
            "VALUES (?1, ?2, ?3, ?4)");
    jf_stmt_i64(st, 1, day);
    jf_stmt_i64(st, 2, at);
    jf_stmt_i64(st, 3, transfer_seq);
    jf_stmt_text(st, 4, report);
    return jf_stmt_run(st, err);
}

int st_settlement_report(struct jf_db *db, int32_t day, char **report, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT report FROM settlements WHERE day = ?1");
    jf_stmt_i64(st, 1, day);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *report = jf_xstrdup(jf_col_text(st, 0));
    return finish(st, 1, err);
}

int st_request_get(struct jf_db *db, const char *key, char **hash, char **result,
                   struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT hash, result FROM requests WHERE key = ?1");
    jf_stmt_text(st, 1, key);
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *hash = jf_xstrdup(jf_col_text(st, 0));
    *result = jf_xstrdup(jf_col_text(st, 1));
    return finish(st, 1, err);
}

int st_request_put(struct jf_db *db, const char *key, const char *hash, const char *result,
                   int64_t at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO requests(key, hash, result, at) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (key) DO NOTHING");
    jf_stmt_text(st, 1, key);
    jf_stmt_text(st, 2, hash);
    jf_stmt_text(st, 3, result);
    jf_stmt_i64(st, 4, at);
    return jf_stmt_run(st, err);
}

int st_token_price_insert(struct jf_db *db, int64_t price_ppm, const char *source, int64_t at,
                          struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO token_prices(price_ppm, source, at) VALUES (?1, ?2, ?3)");
    jf_stmt_i64(st, 1, price_ppm);
    jf_stmt_text(st, 2, source);
    jf_stmt_i64(st, 3, at);
    return jf_stmt_run(st, err);
}

int st_token_price_latest(struct jf_db *db, int64_t *price_ppm, struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT price_ppm FROM token_prices ORDER BY id DESC LIMIT 1");
    int rc = jf_stmt_step(st, err);
    if (rc != 1) {
        return rc;
    }
    *price_ppm = jf_col_i64(st, 0);
    return finish(st, 1, err);
}

int st_growth_get(struct jf_db *db, int64_t *pool, int64_t *supply, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT pool, supply FROM growth_state WHERE id = 1");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *pool = jf_col_i64(st, 0);
    *supply = jf_col_i64(st, 1);
    return finish(st, JF_OK, err);
}

int st_growth_add(struct jf_db *db, int64_t pool_delta, int64_t supply_delta, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE growth_state SET pool = pool + ?1, supply = supply + ?2 WHERE id = 1");
    jf_stmt_i64(st, 1, pool_delta);
    jf_stmt_i64(st, 2, supply_delta);
    return jf_stmt_run(st, err);
}

int st_audit_insert(struct jf_db *db, const char *actor, const char *action, const char *target,
                    const char *before, const char *after, int64_t at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO audit(actor, action, target, before, after, at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    jf_stmt_text(st, 1, actor);
    jf_stmt_text(st, 2, action);
    jf_stmt_text(st, 3, target);
    jf_stmt_text(st, 4, before);
    jf_stmt_text(st, 5, after);
    jf_stmt_i64(st, 6, at);
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_audit_list(struct jf_db *db, int64_t before, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, actor, action, target, coalesce(before, ''), coalesce(after, ''), at "
            "FROM audit WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2");
    jf_stmt_i64(st, 1, before);
    jf_stmt_i64(st, 2, limit);
    return st;
}

int st_audit_next(struct jf_stmt *it, struct st_audit *a, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        a->id = jf_col_i64(it, 0);
        snprintf(a->actor, sizeof a->actor, "%s", jf_col_text(it, 1));
        snprintf(a->action, sizeof a->action, "%s", jf_col_text(it, 2));
        snprintf(a->target, sizeof a->target, "%s", jf_col_text(it, 3));
        snprintf(a->before, sizeof a->before, "%s", jf_col_text(it, 4));
        snprintf(a->after, sizeof a->after, "%s", jf_col_text(it, 5));
        a->at = jf_col_i64(it, 6);
    }
    return rc;
}

int st_data_version(struct jf_db *db, int64_t *version, struct jf_err *err)
{
    /* PostgreSQL: the writer connection holds the database's writer lock for its life, so no
     * other connection commits a change while it lives */
    *version = 0;
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return JF_OK;
    }
    struct jf_stmt *st = jf_db_prep(db, "PRAGMA data_version");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *version = jf_col_i64(st, 0);
    return finish(st, JF_OK, err);
}
