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
#include "pg_cols.h"
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

/* The generated identity of member `id`: "m<id>", phone "13<id, 9 digits>", invite code. */
static void member_names(int64_t id, char ext[24], char phone[16], char invite[16])
{
    snprintf(ext, 24, "m%lld", (long long)id);
    snprintf(phone, 16, "13%09lld", (long long)id);
    jf_invite_code(id, invite, 16);
}

static int pg_members(struct jf_db *db, const struct st_bulk_member *m, size_t n,
                      int64_t created_at, struct jf_err *err)
{
    struct pg_cols c;
    pg_cols_init(&c, 6);
    int rc = JF_OK;
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        char ext[24], phone[16], invite[16];
        member_names(m[i].id, ext, phone, invite);
        pg_cols_put_i64(&c, 0, m[i].id);
        pg_cols_put_text(&c, 1, ext);
        pg_cols_put_text(&c, 2, phone);
        pg_cols_put_i64(&c, 3, m[i].referrer); /* 0: none */
        pg_cols_put_text(&c, 4, invite);
        pg_cols_put_i64(&c, 5, m[i].perf_total);
        pg_cols_end_row(&c);
        if (pg_cols_full(&c) || i + 1 == n) {
            struct jf_stmt *st = pg_cols_prep(
                db,
                "INSERT INTO members(id, ext_id, phone, referrer, invite_code, created_at, "
                "perf_total, perf_cash) SELECT id, e, p, nullif(r, 0), v, ?7, t, t FROM unnest("
                "?1::bigint[], ?2::text[], ?3::text[], ?4::bigint[], ?5::text[], ?6::bigint[]) "
                "AS u(id, e, p, r, v, t) ORDER BY id",
                &c);
            jf_stmt_i64(st, 7, created_at);
            rc = pg_cols_run(st, &c, err);
        }
    }
    pg_cols_free(&c);
    return rc;
}

int st_bulk_members(struct jf_db *db, const struct st_bulk_member *m, size_t n,
                    int64_t created_at, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_members(db, m, n, created_at, err);
    }
    for (size_t i = 0; i < n; i++) {
        struct jf_stmt *st = jf_db_prep(
            db, "INSERT INTO members(id, ext_id, phone, referrer, invite_code, created_at, "
                "perf_total, perf_cash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)");
        char ext[24], phone[16], invite[16];
        member_names(m[i].id, ext, phone, invite);
        jf_stmt_i64(st, 1, m[i].id);
        jf_stmt_text(st, 2, ext);
        jf_stmt_text(st, 3, phone);
        jf_stmt_opt_i64(st, 4, m[i].referrer > 0, m[i].referrer);
        jf_stmt_text(st, 5, invite);
        jf_stmt_i64(st, 6, created_at);
        jf_stmt_i64(st, 7, m[i].perf_total);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

static int pg_order_lots(struct jf_db *db, const struct st_bulk_lot *l, size_t n, int32_t day,
                         int64_t at, struct jf_err *err)
{
    struct pg_cols c;
    pg_cols_init(&c, 8);
    int rc = JF_OK;
    int64_t last = 0;
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        pg_cols_row(&c, (int64_t[]){l[i].id, l[i].member, l[i].amount, l[i].tier, l[i].total,
                                    l[i].remaining, l[i].daily, l[i].current ? 1 : 0});
        last = l[i].id > last ? l[i].id : last;
        if (!pg_cols_full(&c) && i + 1 < n) {
            continue;
        }
        struct jf_stmt *st = pg_cols_prep(
            db,
            "INSERT INTO orders(id, ext_id, member, status, amount, cash, points_paid, "
            "points_value, voucher_paid, mall_points, perf_cash, perf_points, offline, "
            "request_hash, created_at, paid_at, completed_at, completed_day) "
            "SELECT id, 'o' || id, m, ?9, a, a, 0, 0, 0, 0, a, 0, 0, 'bulk', ?10, ?10, ?10, ?11 "
            "FROM unnest(?1::bigint[], ?2::bigint[], ?3::bigint[], ?4::bigint[], ?5::bigint[], "
            "?6::bigint[], ?7::bigint[], ?8::bigint[]) AS u(id, m, a, t, tot, r, d, c) "
            "ORDER BY id",
            &c);
        jf_stmt_i64(st, 9, JF_ORDER_COMPLETED);
        jf_stmt_i64(st, 10, at);
        jf_stmt_i64(st, 11, day);
        if (jf_stmt_run(st, err) != JF_OK) {
            rc = JF_ERR;
            break;
        }
        st = pg_cols_prep(db,
                          "INSERT INTO lots(id, member, order_id, tier, amount, total, remaining, "
                          "created_day, as_of, daily, drawn_from) SELECT id, m, id, t, a, tot, r, "
                          "?9, ?9, d, CASE WHEN c = 1 THEN CAST(?9 AS BIGINT) END FROM "
                          "unnest(?1::bigint[], ?2::bigint[], ?3::bigint[], ?4::bigint[], "
                          "?5::bigint[], ?6::bigint[], "
                          "?7::bigint[], ?8::bigint[]) AS u(id, m, a, t, tot, r, d, c) ORDER BY id",
                          &c);
        jf_stmt_i64(st, 9, day);
        rc = pg_cols_run(st, &c, err);
    }
    pg_cols_free(&c);
    if (rc == JF_OK && last > 0) {
        /* ids given here do not move the identity sequences: later rows continue after them,
         * as SQLite's rowids do */
        struct jf_stmt *st =
            jf_db_prep(db, "SELECT setval(pg_get_serial_sequence('orders', 'id'), ?1), "
                           "setval(pg_get_serial_sequence('lots', 'id'), ?1)");
        jf_stmt_i64(st, 1, last);
        rc = jf_stmt_run(st, err);
    }
    return rc;
}

int st_bulk_order_lots(struct jf_db *db, const struct st_bulk_lot *l, size_t n, int32_t day,
                       int64_t at, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_order_lots(db, l, n, day, at, err);
    }
    for (size_t i = 0; i < n; i++) {
        char ext[24];
        snprintf(ext, sizeof ext, "o%lld", (long long)l[i].id);
        struct jf_stmt *st = jf_db_prep(
            db, "INSERT INTO orders(id, ext_id, member, status, amount, cash, points_paid, "
                "points_value, voucher_paid, mall_points, perf_cash, perf_points, offline, "
                "request_hash, created_at, paid_at, completed_at, completed_day) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?5, 0, 0, 0, 0, ?5, 0, 0, 'bulk', ?6, ?6, ?6, ?7)");
        jf_stmt_i64(st, 1, l[i].id);
        jf_stmt_text(st, 2, ext);
        jf_stmt_i64(st, 3, l[i].member);
        jf_stmt_i64(st, 4, JF_ORDER_COMPLETED);
        jf_stmt_i64(st, 5, l[i].amount);
        jf_stmt_i64(st, 6, at);
        jf_stmt_i64(st, 7, day);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
        st = jf_db_prep(db,
                        "INSERT INTO lots(id, member, order_id, tier, amount, total, remaining, "
                        "created_day, as_of, daily, drawn_from) VALUES (?1, ?2, ?1, ?3, ?4, ?5, "
                        "?6, ?7, ?7, ?8, ?9)");
        jf_stmt_i64(st, 1, l[i].id);
        jf_stmt_i64(st, 2, l[i].member);
        jf_stmt_i64(st, 3, l[i].tier);
        jf_stmt_i64(st, 4, l[i].amount);
        jf_stmt_i64(st, 5, l[i].total);
        jf_stmt_i64(st, 6, l[i].remaining);
        jf_stmt_i64(st, 7, day);
        jf_stmt_i64(st, 8, l[i].daily);
        jf_stmt_opt_i64(st, 9, l[i].current, day);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
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
        /* During a settlement: bulk statements are planned for their actual arrays (their row
         * counts), not by a generic plan that guesses ten rows and looks each one up; a chunk
         * of rows sorted by key is joined with its table by one ordered walk of the key (a
         * hash of the table's range costs more than the update itself); the plans are not
         * compiled (each runs once). */
        return jf_db_exec(db, full ? "RESET synchronous_commit; RESET plan_cache_mode; "
                                     "RESET enable_hashjoin; RESET jit"
                                   : "SET synchronous_commit = off; "
                                     "SET plan_cache_mode = force_custom_plan; "
                                     "SET enable_hashjoin = off; SET jit = off", err);
    }
    /* a bulk commit leaves the copy of the log into the database to an explicit checkpoint */
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA synchronous = %s; PRAGMA wal_autocheckpoint = %d",
             full ? "FULL" : "NORMAL", full ? wal_pages : 0);
    return jf_db_exec(db, sql, err);
}
