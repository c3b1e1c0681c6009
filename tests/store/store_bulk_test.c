/*
 * store_bulk_test.c — the store's bulk paths against a real store, given as the argument (an
 * SQLite path or ":memory:", or a postgres:// URL of an empty database; tests/store/with_pg.py
 * starts a throwaway server for the PostgreSQL run).
 *
 * On PostgreSQL, a streamed statement (jf_db_prep_stream: COPY ... TO STDOUT in binary) gives
 * the rows, NULLs, integers of every width and texts that the ordinary statement gives; a reset
 * in the middle of its rows leaves the connection usable; an error in the middle of them fails
 * the step and rolls back; and jf_db_copy_in_i64 appends rows or fails whole. On both stores,
 * st_accounts_add_batch and st_lots_write_many leave exactly the balances and lot states that
 * one row at a time would: changes summed per account, missing accounts created (a zero change
 * too), members far apart in one batch, system accounts, sparse and dense lots.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "db.h"
#include "jf_assert.h"
#include "store.h"
#include "types.h"

#include "store_check.h"

static void ok(int rc, const struct jf_err *err, const char *what)
{
    if (rc != JF_OK) {
        fprintf(stderr, "FAIL: %s: %s\n", what, err->msg);
        exit(1);
    }
}

static int64_t query_i64(struct jf_db *db, const char *sql)
{
    struct jf_err err;
    struct jf_stmt *st = jf_db_prep(db, sql);
    int rc = jf_stmt_step(st, &err);
    if (rc != 1) {
        fprintf(stderr, "FAIL: %s: %s\n", sql, rc == 0 ? "no row" : err.msg);
        exit(1);
    }
    int64_t v = jf_col_i64(st, 0);
    jf_stmt_step(st, &err);
    return v;
}

/* ---- PostgreSQL: streamed statements and bulk copy ---------------------------------------- */

#define ROWS 5000

static const char *const ROWS_SQL =
    "SELECT a, b, c, d, e FROM bulk_t WHERE a > ?1 AND a <= ?2 ORDER BY a";

static void pg_stream(struct jf_db *db)
{
    struct jf_err err;
    ok(jf_db_exec(db,
                  "CREATE TEMPORARY TABLE bulk_t (a BIGINT, b INTEGER, c BOOLEAN, d TEXT, "
                  "e BIGINT); INSERT INTO bulk_t SELECT g, -g, g % 2 = 0, 'row ''' || g || "
                  "E'\\\\ \xe4\xb8\xad', CASE WHEN g % 3 = 0 THEN NULL ELSE g * 1000000000000 "
                  "END FROM generate_series(1, 5000) g",
                  &err),
       &err, "create");
    /* the same rows, NULLs and values through both kinds of statement */
    /* (a text unlike ROWS_SQL's: statements are cached by the address of their text, and
     * equal literals may share one) */
    struct jf_stmt *plain = jf_db_prep(db, "SELECT a, b, c, d, e FROM bulk_t WHERE a > ?1 AND "
                                           "a <= ?2 ORDER BY a, b");
    struct jf_stmt *stream = jf_db_prep_stream(db, ROWS_SQL);
    jf_stmt_i64(plain, 1, 10);
    jf_stmt_i64(plain, 2, ROWS);
    jf_stmt_i64(stream, 1, 10);
    jf_stmt_i64(stream, 2, ROWS);
    int64_t n = 0;
    for (;;) {
        int a = jf_stmt_step(plain, &err), b = jf_stmt_step(stream, &err);
        CHECK(a == b, "step %d vs %d at row %" PRId64 ": %s", a, b, n, err.msg);
        if (a != 1 || b != 1) {
            break;
        }
        n++;
        for (int c = 0; c < 5; c++) {
            CHECK(jf_col_null(plain, c) == jf_col_null(stream, c), "null of %d", c);
            if (c == 3) {
                CHECK(strcmp(jf_col_text(plain, c), jf_col_text(stream, c)) == 0, "text %s/%s",
                      jf_col_text(plain, c), jf_col_text(stream, c));
            } else {
                CHECK(jf_col_i64(plain, c) == jf_col_i64(stream, c),
                      "column %d: %" PRId64 " vs %" PRId64, c, jf_col_i64(plain, c),
                      jf_col_i64(stream, c));
            }
        }
    }
    CHECK(n == ROWS - 10, "rows %" PRId64, n);
    /* no rows at all */
    stream = jf_db_prep_stream(db, ROWS_SQL);
    jf_stmt_i64(stream, 1, ROWS);
    jf_stmt_i64(stream, 2, ROWS + 10);
    CHECK(jf_stmt_step(stream, &err) == 0, "an empty stream has no row");
    /* stopped in the middle: preparing it again drops the rest, and the connection serves the
     * next statement */
    stream = jf_db_prep_stream(db, ROWS_SQL);
    jf_stmt_i64(stream, 1, 0);
    jf_stmt_i64(stream, 2, ROWS);
    for (int i = 0; i < 100; i++) {
        CHECK(jf_stmt_step(stream, &err) == 1, "row %d", i);
    }
    stream = jf_db_prep_stream(db, ROWS_SQL);
    CHECK(query_i64(db, "SELECT count(*) FROM bulk_t") == ROWS, "count after a reset");
    /* an error in the middle of the rows fails the step; the transaction rolls back */
    ok(jf_db_begin(db, &err), &err, "begin");
    struct jf_stmt *bad = jf_db_prep_stream(db, "SELECT 10 / (a - 4000) FROM bulk_t ORDER BY a");
    int rc, rows = 0;
    while ((rc = jf_stmt_step(bad, &err)) == 1) {
        rows++;
    }
    CHECK(rc == JF_ERR && strstr(err.msg, "division by zero") != NULL && rows < 4000,
          "error mid-stream: rc %d after %d rows: %s", rc, rows, err.msg);
    jf_db_rollback(db);
    CHECK(query_i64(db, "SELECT count(*) FROM bulk_t") == ROWS, "count after the error");
}

static void pg_copy_in(struct jf_db *db)
{
    struct jf_err err;
    ok(jf_db_exec(db,
                  "CREATE TEMPORARY TABLE copy_t (a BIGINT PRIMARY KEY, b BIGINT CHECK (b >= 0), "
                  "c BIGINT)",
                  &err),
       &err, "create");
    const size_t n = 100000; /* several buffers' worth */
    int64_t *v = jf_xmalloc(sizeof *v * 3 * n);
    for (size_t i = 0; i < n; i++) {
        v[3 * i] = (int64_t)i + 1;
        v[3 * i + 1] = (int64_t)i * 7;
        v[3 * i + 2] = INT64_MIN + (int64_t)i;
    }
    ok(jf_db_copy_in_i64(db, "copy_t (a, b, c)", v, 3, n, &err), &err, "copy");
    CHECK(jf_db_changes(db) == (int64_t)n, "changes %" PRId64, jf_db_changes(db));
    CHECK(query_i64(db, "SELECT count(*) FROM copy_t") == (int64_t)n, "count");
    CHECK(query_i64(db, "SELECT sum(b) FROM copy_t") == 7 * (int64_t)(n * (n - 1) / 2), "sum");
    CHECK(query_i64(db, "SELECT min(c) FROM copy_t") == INT64_MIN, "min");
    /* one bad row fails the whole copy, and nothing of it stays */
    ok(jf_db_begin(db, &err), &err, "begin");
    for (size_t i = 0; i < n; i++) {
        v[3 * i] += (int64_t)n;
    }
    v[3 * (n - 1) + 1] = -1;
    CHECK(jf_db_copy_in_i64(db, "copy_t (a, b, c)", v, 3, n, &err) == JF_ERR &&
              strstr(err.msg, "copy_t_b_check") != NULL,
          "a check violation fails the copy: %s", err.msg);
    jf_db_rollback(db);
    CHECK(query_i64(db, "SELECT count(*) FROM copy_t") == (int64_t)n, "count after the failure");
    free(v);
}

/* ---- both stores: balances and lots in bulk ---------------------------------------------- */

static int64_t balance_of(struct jf_db *db, int64_t owner, int asset)
{
    int64_t balance, debt;
    struct jf_err err;
    ok(st_account_get(db, owner, asset, &balance, &debt, &err), &err, "get");
    return balance;
}

static int64_t accounts_of(struct jf_db *db)
{
    return query_i64(db, "SELECT count(*) FROM accounts");
}

static void accounts_batch(struct jf_db *db)
{
    struct jf_err err;
    ok(jf_db_begin(db, &err), &err, "begin");
    /* members 1..3 and 300000..300002 (further apart than one chunk spans), two assets each,
     * some twice, a system account, and zero changes that must still create their account */
    struct st_account_delta d[] = {
        {300001, JF_POINTS, 5},  {1, JF_LOCKED, 100},         {1, JF_POINTS, 7},
        {2, JF_LOCKED, 40},      {1, JF_LOCKED, -30},         {300000, JF_LOCKED, 9},
        {3, JF_POINTS, 0},       {JF_SYS_SINK, JF_LOCKED, 3}, {300002, JF_CASH, 0},
        {300001, JF_POINTS, 6},  {JF_SYS_ISSUANCE, JF_POINTS, -18},
    };
    const size_t n = sizeof d / sizeof d[0];
    int64_t before = accounts_of(db);
    ok(st_accounts_add_batch(db, d, n, &err), &err, "batch 1");
    CHECK(accounts_of(db) == before + 9, "accounts created: %" PRId64, accounts_of(db) - before);
    CHECK(balance_of(db, 1, JF_LOCKED) == 70, "1 locked");
    CHECK(balance_of(db, 1, JF_POINTS) == 7, "1 points");
    CHECK(balance_of(db, 2, JF_LOCKED) == 40, "2 locked");
    CHECK(balance_of(db, 3, JF_POINTS) == 0, "3 points");
    CHECK(balance_of(db, 300000, JF_LOCKED) == 9, "300000 locked");
    CHECK(balance_of(db, 300001, JF_POINTS) == 11, "300001 points");
    CHECK(balance_of(db, JF_SYS_SINK, JF_LOCKED) == 3, "sink");
    CHECK(balance_of(db, JF_SYS_ISSUANCE, JF_POINTS) == -18, "issuance");
    /* again: every account exists now, and adds */
    ok(st_accounts_add_batch(db, d, n, &err), &err, "batch 2");
    CHECK(accounts_of(db) == before + 9, "no account created twice");
    CHECK(balance_of(db, 1, JF_LOCKED) == 140, "1 locked twice");
    CHECK(balance_of(db, 300001, JF_POINTS) == 22, "300001 points twice");
    CHECK(balance_of(db, JF_SYS_ISSUANCE, JF_POINTS) == -36, "issuance twice");
    /* a member whose changes sum to zero: no change, and no error */
    struct st_account_delta z[] = {{2, JF_LOCKED, 5}, {2, JF_LOCKED, -5}};
    ok(st_accounts_add_batch(db, z, 2, &err), &err, "batch 3");
    CHECK(balance_of(db, 2, JF_LOCKED) == 80, "2 locked unchanged");
    /* an overflowing sum fails */
    struct st_account_delta o[] = {{2, JF_CASH, INT64_MAX}, {2, JF_CASH, 1}};
    CHECK(st_accounts_add_batch(db, o, 2, &err) == JF_ERR, "overflow fails");
    jf_db_rollback(db);
}

static void lots_batch(struct jf_db *db)
{
    struct jf_err err;
    enum { MEMBERS = 40, LOTS = 2000 };
    ok(jf_db_begin(db, &err), &err, "begin");
    struct st_bulk_member m[MEMBERS];
    for (int i = 0; i < MEMBERS; i++) {
        m[i] = (struct st_bulk_member){i + 1, i ? 1 : 0, 0};
    }
    ok(st_bulk_members(db, m, MEMBERS, 1000, &err), &err, "members");
    struct st_bulk_lot *l = jf_xmalloc(sizeof *l * LOTS);
    for (int i = 0; i < LOTS; i++) {
        l[i] = (struct st_bulk_lot){i + 1,  1 + i % MEMBERS, 300000,         0,
                                    750000, 750000,          3600,   i < MEMBERS};
    }
    ok(st_bulk_order_lots(db, l, LOTS, 10, 1000, &err), &err, "lots");
    CHECK(query_i64(db, "SELECT count(*) FROM lots WHERE drawn_from = 10") == MEMBERS &&
              query_i64(db, "SELECT max(id) FROM lots WHERE drawn_from IS NOT NULL") == MEMBERS,
          "each member's first lot is its current lot");
    /* a dense run (every lot of 1..600), then a sparse one (every 50th after) */
    struct st_lot_state *w = jf_xmalloc(sizeof *w * LOTS);
    size_t k = 0;
    for (int64_t id = 1; id <= LOTS; id++) {
        if (id <= 600 || id % 50 == 0) {
            w[k++] = (struct st_lot_state){id, 1000 + id, id % 7, id % 3 == 0};
        }
    }
    ok(st_lots_write_many(db, w, k, 12, &err), &err, "write");
    CHECK(query_i64(db, "SELECT count(*) FROM lots WHERE as_of = 12") == (int64_t)k, "written");
    CHECK(query_i64(db, "SELECT sum(remaining) FROM lots WHERE as_of = 12") ==
              (int64_t)k * 1000 + query_i64(db, "SELECT sum(id) FROM lots WHERE as_of = 12"),
          "remaining");
    CHECK(query_i64(db, "SELECT sum(daily) FROM lots WHERE as_of = 12") ==
              query_i64(db, "SELECT sum(id % 7) FROM lots WHERE as_of = 12"),
          "daily");
    CHECK(query_i64(db, "SELECT count(*) FROM lots WHERE as_of = 12 AND ((id % 3 = 0) <> "
                        "(drawn_from IS NOT NULL) OR drawn_from <> 12)") == 0,
          "written current lots carry from the day written, the others not at all");
    CHECK(query_i64(db, "SELECT count(*) FROM lots WHERE as_of <> 12 AND remaining = 750000 "
                        "AND daily = 3600") == LOTS - (int64_t)k,
          "the others untouched");
    jf_db_rollback(db);
    free(w);
    free(l);
}

/* ---- the day state's memo: what the store reads inside a transaction, after its own writes
 * and rollbacks, is what the tables hold ------------------------------------------------------ */

static void day_state_is(struct jf_db *db, int32_t last, int32_t genesis, const char *when)
{
    struct jf_err err;
    int32_t l, g;
    ok(st_day_state(db, &l, &g, &err), &err, "st_day_state");
    CHECK(l == last && g == genesis, "%s: day state %d/%d, want %d/%d", when, l, g, last,
          genesis);
}

static void day_memo(struct jf_db *db)
{
    struct jf_err err;
    ok(jf_db_begin(db, &err), &err, "begin");
    day_state_is(db, JF_DAY_NONE, JF_DAY_NONE, "a new store");
    day_state_is(db, JF_DAY_NONE, JF_DAY_NONE, "read again");
    ok(jf_db_begin(db, &err), &err, "savepoint");
    ok(st_meta_set_i64(db, "genesis_day", 20000, &err), &err, "genesis");
    day_state_is(db, JF_DAY_NONE, 20000, "after the first event's day is written");
    jf_db_rollback(db);
    day_state_is(db, JF_DAY_NONE, JF_DAY_NONE, "after its savepoint is rolled back");
    ok(st_meta_set_i64(db, "genesis_day", 20001, &err), &err, "genesis");
    ok(st_settlement_insert(db, 20001, 1, 0, "{}", &err), &err, "settlement");
    day_state_is(db, 20001, 20001, "after a settlement is written");
    ok(jf_db_commit(db, &err), &err, "commit");
    ok(jf_db_begin(db, &err), &err, "begin");
    day_state_is(db, 20001, 20001, "in the next transaction");
    ok(st_settlement_insert(db, 20002, 1, 0, "{}", &err), &err, "settlement");
    day_state_is(db, 20002, 20001, "after the next settlement");
    jf_db_rollback(db);
    day_state_is(db, 20001, 20001, "after that transaction is rolled back (outside one)");
    ok(jf_db_begin(db, &err), &err, "begin");
    day_state_is(db, 20001, 20001, "in a new transaction");
    jf_db_rollback(db);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: store_bulk_test STORE\n");
        return 2;
    }
    struct jf_db *db;
    struct jf_err err;
    ok(jf_db_open(argv[1], &db, &err), &err, "open");
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        pg_stream(db);
        pg_copy_in(db);
    }
    accounts_batch(db);
    lots_batch(db);
    day_memo(db);
    jf_db_close(db);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("store bulk paths: all checks passed (%s)\n",
           strncmp(argv[1], "postgres", 8) == 0 ? "PostgreSQL" : "SQLite");
    return 0;
}
