/*
 * store_report.c — what the reports read: every transfer and debt change in id order, the
 * release rows, completed orders and income summed by day, registration and refund times, the
 * member totals per asset, all inside one read snapshot.
 *
 * These queries scan whole tables (a report costs one pass over the ledger); nothing here is on
 * the path of a command. The service assigns each row to its business day.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

int st_snapshot_begin(struct jf_db *db, bool *opened, struct jf_err *err)
{
    *opened = false;
    if (jf_db_depth(db) > 0) {
        return JF_OK; /* inside a write transaction: already one state */
    }
    if (jf_db_begin_read(db, err) != JF_OK) {
        return JF_ERR;
    }
    *opened = true;
    return JF_OK;
}

void st_snapshot_end(struct jf_db *db, bool opened)
{
    if (opened) {
        jf_db_rollback(db); /* nothing was written */
    }
}

/* The day of a settlement's reference "day:YYYY-MM-DD", or "" for any other reference. */
#define REF_DAY_SQL "CASE WHEN ref LIKE 'day:%' THEN substr(ref, 5) ELSE '' END"

struct jf_stmt *st_flows_iter(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT debit, credit, asset, amount, kind, " REF_DAY_SQL ", at "
                          "FROM transfers ORDER BY id");
}

struct jf_stmt *st_debt_flows_iter(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT 0, account, account % 16, delta, kind, " REF_DAY_SQL ", at "
                          "FROM debt_log ORDER BY id");
}

int st_flows_next(struct jf_stmt *it, struct st_flow *f, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        f->debit = jf_col_i64(it, 0);
        f->credit = jf_col_i64(it, 1);
        f->asset = (int)jf_col_i64(it, 2);
        f->amount = jf_col_i64(it, 3);
        f->kind = jf_col_text(it, 4);
        f->ref_day = jf_col_text(it, 5);
        f->at = jf_col_i64(it, 6);
    }
    return rc;
}

struct jf_stmt *st_release_days(struct jf_db *db, int32_t to)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT day, count(*), sum(static + share + team + peer) FROM releases "
            "WHERE day <= ?1 GROUP BY day ORDER BY day");
    jf_stmt_i64(st, 1, to);
    return st;
}

struct jf_stmt *st_completed_days(struct jf_db *db, int32_t from, int32_t to)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT completed_day, count(*), sum(amount) FROM orders "
            "WHERE completed_day >= ?1 AND completed_day <= ?2 "
            "GROUP BY completed_day ORDER BY completed_day");
    jf_stmt_i64(st, 1, from);
    jf_stmt_i64(st, 2, to);
    return st;
}

struct jf_stmt *st_income_days(struct jf_db *db, int32_t from, int32_t to)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT day, count(*), sum(amount) FROM income WHERE day >= ?1 AND day <= ?2 "
            "GROUP BY day ORDER BY day");
    jf_stmt_i64(st, 1, from);
    jf_stmt_i64(st, 2, to);
    return st;
}

int st_day_totals_next(struct jf_stmt *it, struct st_day_total *t, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        t->day = (int32_t)jf_col_i64(it, 0);
        t->count = jf_col_i64(it, 1);
        t->amount = jf_col_i64(it, 2);
    }
    return rc;
}

struct jf_stmt *st_member_times(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT created_at FROM members ORDER BY id");
}

struct jf_stmt *st_refund_times(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT refunded_at FROM orders WHERE refunded_at IS NOT NULL");
}

int st_member_asset_totals(struct jf_db *db, struct st_asset_total out[JF_ASSET_COUNT],
                           struct jf_err *err)
{
    memset(out, 0, sizeof *out * JF_ASSET_COUNT);
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT asset, sum(balance), sum(debt), "
            "sum(CASE WHEN balance > 0 THEN 1 ELSE 0 END) FROM balances WHERE owner > 0 "
            "GROUP BY asset ORDER BY asset");
    int rc;
    while ((rc = jf_stmt_step(st, err)) == 1) {
        int64_t asset = jf_col_i64(st, 0);
        if (asset < 0 || asset >= JF_ASSET_COUNT) {
            continue; /* verify reports an account of no asset; a report leaves it out */
        }
        out[asset] = (struct st_asset_total){jf_col_i64(st, 1), jf_col_i64(st, 2),
                                             jf_col_i64(st, 3)};
    }
    return rc == 0 ? JF_OK : JF_ERR;
}
