/*
 * store_bulk.c — bulk loading for benchmarks and simulations: rows written directly, in the
 * caller's transaction, without the service's checks. The caller keeps the ledger consistent
 * (every locked balance matched by lots and by transfers).
 *
 * The tuning here is SQLite's (page cache, checkpoints, synchronous); on PostgreSQL the server
 * owns its cache and checkpoints, so only synchronous maps (to synchronous_commit) and the rest
 * does nothing.
 */
#include <stdio.h>

#include "ids.h"
#include "store.h"

int st_tune_bulk(struct jf_db *db, int64_t cache_mib, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return JF_OK;
    }
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld; PRAGMA temp_store = MEMORY;",
             (long long)cache_mib * 1024);
    return jf_db_exec(db, sql, err);
}

int st_bulk_member(struct jf_db *db, int64_t id, int64_t referrer, int64_t perf_total,
                   int64_t created_at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO members(id, ext_id, phone, referrer, invite_code, created_at, "
            "perf_total, perf_cash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
    char ext[24], phone[16], invite[16];
    snprintf(ext, sizeof ext, "m%lld", (long long)id);
    snprintf(phone, sizeof phone, "13%09lld", (long long)id);
    jf_invite_code(id, invite, sizeof invite);
    jf_stmt_i64(st, 1, id);
    jf_stmt_text(st, 2, ext);
    jf_stmt_text(st, 3, phone);
    jf_stmt_opt_i64(st, 4, referrer > 0, referrer);
    jf_stmt_text(st, 5, invite);
    jf_stmt_i64(st, 6, created_at);
    jf_stmt_i64(st, 7, perf_total);
    return jf_stmt_run(st, err);
}

int st_bulk_order_lot(struct jf_db *db, int64_t id, int64_t member, int64_t amount, int tier,
                      int64_t total, int64_t remaining, int64_t daily, int32_t day, int64_t at,
                      struct jf_err *err)
{
    char ext[24];
    snprintf(ext, sizeof ext, "o%lld", (long long)id);
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO orders(id, ext_id, member, status, amount, cash, points_paid, "
            "points_value, voucher_paid, mall_points, perf_cash, perf_points, offline, "
            "request_hash, created_at, paid_at, completed_at, completed_day) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0, 0, 0, 0, ?5, 0, 0, 'bulk', ?6, ?6, ?6, ?7)");
    jf_stmt_i64(st, 1, id);
    jf_stmt_text(st, 2, ext);
    jf_stmt_i64(st, 3, member);
    jf_stmt_i64(st, 4, JF_ORDER_COMPLETED);
    jf_stmt_i64(st, 5, amount);
    jf_stmt_i64(st, 6, at);
    jf_stmt_i64(st, 7, day);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    st = jf_db_prep(db, "INSERT INTO lots(id, member, order_id, tier, amount, total, remaining, "
                        "created_day, as_of, daily) VALUES (?1, ?2, ?1, ?3, ?4, ?5, ?6, ?7, ?7, ?8)");
    jf_stmt_i64(st, 1, id);
    jf_stmt_i64(st, 2, member);
    jf_stmt_i64(st, 3, tier);
    jf_stmt_i64(st, 4, amount);
    jf_stmt_i64(st, 5, total);
    jf_stmt_i64(st, 6, remaining);
    jf_stmt_i64(st, 7, day);
    jf_stmt_i64(st, 8, daily);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        /* ids given here do not move the identity sequences: later rows continue after them,
         * as SQLite's rowids do */
        st = jf_db_prep(db, "SELECT setval(pg_get_serial_sequence('orders', 'id'), ?1), "
                            "setval(pg_get_serial_sequence('lots', 'id'), ?1)");
        jf_stmt_i64(st, 1, id);
        return jf_stmt_run(st, err);
    }
    return JF_OK;
}

int st_checkpoint(struct jf_db *db, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return JF_OK;
    }
    return jf_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", err);
}

int st_checkpoint_passive(struct jf_db *db, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return JF_OK;
    }
    return jf_db_exec(db, "PRAGMA wal_checkpoint(PASSIVE)", err);
}

int st_set_sync(struct jf_db *db, bool full, int wal_pages, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return jf_db_exec(db, full ? "SET synchronous_commit = on"
                                   : "SET synchronous_commit = off", err);
    }
    /* a bulk commit leaves the copy of the log into the database to an explicit checkpoint */
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %s; PRAGMA wal_autocheckpoint = %d",
             full ? "FULL" : "NORMAL", full ? wal_pages : 0);
    return jf_db_exec(db, sql, err);
}
