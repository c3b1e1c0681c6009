/*
 * store_ledger.c — accounts, transfers and the debt log.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "jf_assert.h"
#include "pg_cols.h"
#include "pg_store.h"
#include "store.h"

/* Whether the release rows carry part of the balance of `owner` in `asset` (migration 012). */
static bool release_owed(int64_t owner, int asset)
{
    return owner > 0 && (asset == JF_POINTS || asset == JF_LOCKED);
}

/* Every write of a balance goes through here: the connection notes the owner of a contribution
 * or growth balance (db.h), for the holders kept between settlements (dividend_stage.c). */
static void note_owner(struct jf_db *db, int64_t owner, int asset)
{
    if (asset == JF_CONTRIBUTION) {
        jf_db_owner_note(db, JF_NOTE_CONTRIBUTION, owner);
    } else if (asset == JF_GROWTH) {
        jf_db_owner_note(db, JF_NOTE_GROWTH, owner);
    }
}

/* SQLite: a keyed UPDATE, then a keyed read (or the INSERT of a new account) costs a third of an
 * upsert with RETURNING, which gathers its rows in a temporary table first. */
static int sq_account_add(struct jf_db *db, int64_t owner, int asset, int64_t delta,
                          int64_t *stored, int64_t *debt, struct jf_err *err)
{
    int64_t id = jf_account_id(owner, asset);
    struct jf_stmt *st = jf_db_prep(db, "UPDATE accounts SET balance = balance + ?2 WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    jf_stmt_i64(st, 2, delta);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    if (jf_db_changes(db) == 0) {
        *stored = delta;
        if (debt != NULL) {
            *debt = 0;
        }
        return st_account_add_many(db, &(struct st_account_delta){owner, asset, delta}, 1, err);
    }
    if (debt == NULL) { /* nothing to read back */
        return JF_OK;
    }
    st = jf_db_prep(db, "SELECT balance, debt FROM accounts WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *stored = jf_col_i64(st, 0);
    *debt = jf_col_i64(st, 1);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_account_add(struct jf_db *db, int64_t owner, int asset, int64_t delta, int64_t *balance,
                   int64_t *debt, struct jf_err *err)
{
    note_owner(db, owner, asset);
    int64_t stored = 0, debt_read;
    JF_ASSERT(debt != NULL || balance == NULL);
    if (jf_db_kind(db) == JF_DB_SQLITE) {
        if (sq_account_add(db, owner, asset, delta, &stored, debt, err) != JF_OK) {
            return JF_ERR;
        }
    } else {
        struct jf_stmt *st = jf_db_prep(
            db, "INSERT INTO accounts(id, owner, asset, balance) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT(id) DO UPDATE SET balance = accounts.balance + excluded.balance "
                "RETURNING balance, debt");
        jf_stmt_i64(st, 1, jf_account_id(owner, asset));
        jf_stmt_i64(st, 2, owner);
        jf_stmt_i64(st, 3, asset);
        jf_stmt_i64(st, 4, delta);
        if (jf_stmt_step(st, err) != 1) {
            return JF_ERR;
        }
        stored = jf_col_i64(st, 0);
        debt_read = jf_col_i64(st, 1);
        if (debt != NULL) {
            *debt = debt_read;
        }
        if (jf_stmt_step(st, err) != 0) {
            return JF_ERR;
        }
    }
    if (balance == NULL) {
        return JF_OK;
    }
    *balance = stored;
    return release_owed(owner, asset) ? st_account_get(db, owner, asset, balance, debt, err)
                                      : JF_OK;
}

int st_account_get(struct jf_db *db, int64_t owner, int asset, int64_t *balance, int64_t *debt,
                   struct jf_err *err)
{
    /* a member's points and locked through the view, which adds the release rows' part */
    struct jf_stmt *st =
        jf_db_prep(db, release_owed(owner, asset)
                           ? "SELECT balance, debt FROM balances WHERE id = ?1"
                           : "SELECT balance, debt FROM accounts WHERE id = ?1");
    jf_stmt_i64(st, 1, jf_account_id(owner, asset));
    *balance = 0;
    *debt = 0;
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        *balance = jf_col_i64(st, 0);
        *debt = jf_col_i64(st, 1);
        rc = jf_stmt_step(st, err);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

int st_account_add_debt(struct jf_db *db, int64_t owner, int asset, int64_t delta,
                        struct jf_err *err)
{
    /* create the row first: an upsert would check debt >= 0 on the candidate row */
    struct jf_stmt *st = jf_db_prep(db, "INSERT INTO accounts(id, owner, asset) VALUES (?1, ?2, ?3) "
                                        "ON CONFLICT(id) DO NOTHING");
    jf_stmt_i64(st, 1, jf_account_id(owner, asset));
    jf_stmt_i64(st, 2, owner);
    jf_stmt_i64(st, 3, asset);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    st = jf_db_prep(db, "UPDATE accounts SET debt = debt + ?2 WHERE id = ?1");
    jf_stmt_i64(st, 1, jf_account_id(owner, asset));
    jf_stmt_i64(st, 2, delta);
    return jf_stmt_run(st, err);
}

int st_member_balances(struct jf_db *db, int64_t member, int64_t bal[JF_ASSET_COUNT],
                       int64_t debt[JF_ASSET_COUNT], struct jf_err *err)
{
    memset(bal, 0, sizeof(int64_t) * JF_ASSET_COUNT);
    memset(debt, 0, sizeof(int64_t) * JF_ASSET_COUNT);
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT asset, balance, debt FROM balances WHERE owner = ?1");
    jf_stmt_i64(st, 1, member);
    int rc;
    while ((rc = jf_stmt_step(st, err)) == 1) {
        int a = (int)jf_col_i64(st, 0);
        if (a >= 0 && a < JF_ASSET_COUNT) {
            bal[a] = jf_col_i64(st, 1);
            debt[a] = jf_col_i64(st, 2);
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

int st_transfer_insert(struct jf_db *db, int64_t debit, int64_t credit, int asset, int64_t amount,
                       const char *kind, const char *ref, int64_t at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO transfers(debit, credit, asset, amount, kind, ref, at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    jf_stmt_i64(st, 1, debit);
    jf_stmt_i64(st, 2, credit);
    jf_stmt_i64(st, 3, asset);
    jf_stmt_i64(st, 4, amount);
    jf_stmt_text(st, 5, kind);
    jf_stmt_text(st, 6, ref);
    jf_stmt_i64(st, 7, at);
    return jf_stmt_run(st, err);
}

int st_debt_log_insert(struct jf_db *db, int64_t account, int64_t delta, const char *kind,
                       const char *ref, int64_t at, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO debt_log(account, delta, kind, ref, at) VALUES (?1, ?2, ?3, ?4, ?5)");
    jf_stmt_i64(st, 1, account);
    jf_stmt_i64(st, 2, delta);
    jf_stmt_text(st, 3, kind);
    jf_stmt_text(st, 4, ref);
    jf_stmt_i64(st, 5, at);
    return jf_stmt_run(st, err);
}

/* The references the index transfers_ref holds (migrations sqlite/013, postgres/005): a lookup
 * by reference names the index's condition as it is written there, or the planner cannot use
 * it. Only an order's references are looked up. */
#define TRANSFERS_REF_INDEXED "ref LIKE 'order:%'"

struct jf_stmt *st_transfers_by_ref(struct jf_db *db, const char *ref)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, debit, credit, asset, amount, kind FROM transfers WHERE ref = ?1 "
            "AND " TRANSFERS_REF_INDEXED " ORDER BY id");
    jf_stmt_text(st, 1, ref);
    return st;
}

int st_transfers_next(struct jf_stmt *it, struct st_transfer *t, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        t->id = jf_col_i64(it, 0);
        t->debit = jf_col_i64(it, 1);
        t->credit = jf_col_i64(it, 2);
        t->asset = (int)jf_col_i64(it, 3);
        t->amount = jf_col_i64(it, 4);
        snprintf(t->kind, sizeof t->kind, "%s", jf_col_text(it, 5));
    }
    return rc;
}

/* The SQL text of a multi-row insert of JF_TRANSFER_BATCH transfers, built once. */
static const char *batch_sql(void)
{
    static char sql[JF_TRANSFER_BATCH * 48 + 128];
    if (sql[0] == '\0') {
        size_t n = (size_t)snprintf(sql, sizeof sql,
                                    "INSERT INTO transfers(debit, credit, asset, amount, kind, "
                                    "ref, at) VALUES ");
        for (int i = 0; i < JF_TRANSFER_BATCH; i++) {
            int b = i * 4;
            n += (size_t)snprintf(sql + n, sizeof sql - n, "%s(?%d, ?%d, ?%d, ?%d, ?1, ?2, ?3)",
                                  i ? ", " : "", b + 4, b + 5, b + 6, b + 7);
        }
    }
    return sql;
}

/* PostgreSQL: chunks of rows as column arrays, inserted in their order (the ids follow it). */
static int pg_transfers_insert(struct jf_db *db, const struct st_transfer_row *rows, size_t n,
                               const char *kind, const char *ref, int64_t at, struct jf_err *err)
{
    struct pg_cols c;
    pg_cols_init(&c, 4);
    int rc = JF_OK;
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        pg_cols_row(&c, (int64_t[]){rows[i].debit, rows[i].credit, rows[i].asset, rows[i].amount});
        if (pg_cols_full(&c) || i + 1 == n) {
            struct jf_stmt *st = pg_cols_prep(
                db,
                "INSERT INTO transfers(debit, credit, asset, amount, kind, ref, at) "
                "SELECT d, c, a, m, ?5, ?6, ?7 FROM unnest(?1::bigint[], ?2::bigint[], "
                "?3::bigint[], ?4::bigint[]) WITH ORDINALITY AS u(d, c, a, m, o) ORDER BY o",
                &c);
            jf_stmt_text(st, 5, kind);
            jf_stmt_text(st, 6, ref);
            jf_stmt_i64(st, 7, at);
            rc = pg_cols_run(st, &c, err);
        }
    }
    pg_cols_free(&c);
    return rc;
}

int st_transfers_insert_batch(struct jf_db *db, const struct st_transfer_row *rows, size_t n,
                              const char *kind, const char *ref, int64_t at, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_transfers_insert(db, rows, n, kind, ref, at, err);
    }
    size_t i = 0;
    for (; i + JF_TRANSFER_BATCH <= n; i += JF_TRANSFER_BATCH) {
        struct jf_stmt *st = jf_db_prep(db, batch_sql());
        jf_stmt_text(st, 1, kind);
        jf_stmt_text(st, 2, ref);
        jf_stmt_i64(st, 3, at);
        for (int k = 0; k < JF_TRANSFER_BATCH; k++) {
            const struct st_transfer_row *r = &rows[i + (size_t)k];
            jf_stmt_i64(st, k * 4 + 4, r->debit);
            jf_stmt_i64(st, k * 4 + 5, r->credit);
            jf_stmt_i64(st, k * 4 + 6, r->asset);
            jf_stmt_i64(st, k * 4 + 7, r->amount);
        }
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    for (; i < n; i++) {
        if (st_transfer_insert(db, rows[i].debit, rows[i].credit, rows[i].asset, rows[i].amount,
                               kind, ref, at, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

int st_account_add_many(struct jf_db *db, const struct st_account_delta *d, size_t n,
                        struct jf_err *err)
{
    for (size_t i = 0; i < n; i++) {
        note_owner(db, d[i].owner, d[i].asset);
        struct jf_stmt *st = jf_db_prep(
            db, "INSERT INTO accounts(id, owner, asset, balance) VALUES (?1, ?2, ?3, ?4) "
                "ON CONFLICT(id) DO UPDATE SET balance = accounts.balance + excluded.balance");
        jf_stmt_i64(st, 1, jf_account_id(d[i].owner, d[i].asset));
        jf_stmt_i64(st, 2, d[i].owner);
        jf_stmt_i64(st, 3, d[i].asset);
        jf_stmt_i64(st, 4, d[i].delta);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

struct jf_stmt *st_debts_iter(struct jf_db *db, int asset)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT owner, debt FROM accounts WHERE asset = ?1 AND debt > 0 AND owner > 0 "
            "ORDER BY owner");
    jf_stmt_i64(st, 1, asset);
    return st;
}

int st_debts_next(struct jf_stmt *it, int64_t *owner, int64_t *debt, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *owner = jf_col_i64(it, 0);
        *debt = jf_col_i64(it, 1);
    }
    return rc;
}

int st_transfers_sum(struct jf_db *db, const char *ref, const char *kind, int64_t *sum,
                     struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT coalesce(sum(amount), 0) FROM transfers WHERE ref = ?1 AND kind = ?2 "
            "AND " TRANSFERS_REF_INDEXED);
    jf_stmt_text(st, 1, ref);
    jf_stmt_text(st, 2, kind);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *sum = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

#define REL_COLS 7 /* besides the day: member, static, share, team, peer, run, drawn */
#define REL_BATCH 100
static const char *release_batch_sql(void)
{
    static char sql[REL_BATCH * 64 + 96];
    if (sql[0] == '\0') {
        size_t n = (size_t)snprintf(sql, sizeof sql,
                                    "INSERT INTO releases(day, member, static, share, team, peer, "
                                    "run, drawn) VALUES ");
        for (int i = 0; i < REL_BATCH; i++) {
            n += (size_t)snprintf(sql + n, sizeof sql - n, "%s(?1", i ? ", " : "");
            for (int k = 0; k < REL_COLS; k++) {
                n += (size_t)snprintf(sql + n, sizeof sql - n, ", ?%d", REL_COLS * i + 2 + k);
            }
            n += (size_t)snprintf(sql + n, sizeof sql - n, ")");
        }
        JF_ASSERT(n + 1 < sizeof sql);
    }
    return sql;
}

/* The row's columns after the day, in the order of the insert's column list. */
static void release_values(const struct st_release *r, int64_t v[REL_COLS])
{
    v[0] = r->member;
    memcpy(v + 1, r->amount, sizeof r->amount);
    v[5] = r->run;
    v[6] = r->drawn;
}

static void bind_release(struct jf_stmt *st, int base, const struct st_release *r)
{
    int64_t v[REL_COLS];
    release_values(r, v);
    for (int k = 0; k < REL_COLS; k++) {
        jf_stmt_i64(st, base + 2 + k, v[k]);
    }
}

/* PostgreSQL: the rows in one COPY (binary), which appends them without planning or
 * unnesting a statement. */
static int pg_releases_insert(struct jf_db *db, int32_t day, const struct st_release *rows,
                              size_t n, struct jf_err *err)
{
    int64_t *v = jf_xmalloc(sizeof *v * (REL_COLS + 1) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        int64_t *r = v + (REL_COLS + 1) * i;
        r[0] = day;
        release_values(&rows[i], r + 1);
    }
    int rc = n ? jf_db_copy_in_i64(db,
                                   "releases (day, member, static, share, team, peer, run, drawn)",
                                   v, REL_COLS + 1, n, err)
               : JF_OK;
    free(v);
    return rc;
}

int st_releases_insert_batch(struct jf_db *db, int32_t day, const struct st_release *rows,
                             size_t n, struct jf_err *err)
{
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_releases_insert(db, day, rows, n, err);
    }
    size_t i = 0;
    for (; i + REL_BATCH <= n; i += REL_BATCH) {
        struct jf_stmt *st = jf_db_prep(db, release_batch_sql());
        jf_stmt_i64(st, 1, day);
        for (int k = 0; k < REL_BATCH; k++) {
            bind_release(st, REL_COLS * k, &rows[i + (size_t)k]);
        }
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    for (; i < n; i++) {
        struct jf_stmt *st = jf_db_prep(db, "INSERT INTO releases(day, member, static, share, "
                                            "team, peer, run, drawn) VALUES (?1, ?2, ?3, ?4, "
                                            "?5, ?6, ?7, ?8)");
        jf_stmt_i64(st, 1, day);
        bind_release(st, 0, &rows[i]);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}

int st_accounts_add_batch(struct jf_db *db, const struct st_account_delta *d, size_t n,
                          struct jf_err *err)
{
    for (size_t i = 0; i < n; i++) {
        note_owner(db, d[i].owner, d[i].asset);
    }
    if (jf_db_kind(db) == JF_DB_POSTGRES) {
        return pg_accounts_add(db, d, n, err);
    }
    /* one keyed UPDATE a row measures faster here than a join with a temporary table: the
     * join materialises its result before applying it */
    for (size_t i = 0; i < n; i++) {
        struct jf_stmt *st =
            jf_db_prep(db, "UPDATE accounts SET balance = balance + ?2 WHERE id = ?1");
        jf_stmt_i64(st, 1, jf_account_id(d[i].owner, d[i].asset));
        jf_stmt_i64(st, 2, d[i].delta);
        if (jf_stmt_run(st, err) != JF_OK) {
            return JF_ERR;
        }
        if (jf_db_changes(db) == 0 && st_account_add_many(db, &d[i], 1, err) != JF_OK) {
            return JF_ERR;
        }
    }
    return JF_OK;
}


struct jf_stmt *st_member_ledger(struct jf_db *db, int64_t member, int asset, int64_t before,
                                 int64_t limit)
{
    /* the member side of each transfer is indexed (transfers_debit, transfers_credit) */
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, other, amount, asset, kind, ref, at FROM ("
            " SELECT id, debit AS other, amount, asset, kind, ref, at FROM transfers "
            "  WHERE credit BETWEEN ?1 * 16 AND ?1 * 16 + 15 AND credit > 0 "
            " UNION ALL "
            " SELECT id, credit, -amount, asset, kind, ref, at FROM transfers "
            "  WHERE debit BETWEEN ?1 * 16 AND ?1 * 16 + 15 AND debit > 0) AS t "
            "WHERE (?2 < 0 OR asset = ?2) AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, asset);
    jf_stmt_i64(st, 3, before);
    jf_stmt_i64(st, 4, limit);
    return st;
}

int st_member_ledger_next(struct jf_stmt *it, struct st_entry *e, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        e->id = jf_col_i64(it, 0);
        e->other = jf_col_i64(it, 1);
        e->amount = jf_col_i64(it, 2);
        e->asset = (int)jf_col_i64(it, 3);
        snprintf(e->kind, sizeof e->kind, "%s", jf_col_text(it, 4));
        snprintf(e->ref, sizeof e->ref, "%s", jf_col_text(it, 5));
        e->at = jf_col_i64(it, 6);
    }
    return rc;
}

int st_member_ledger_sums(struct jf_db *db, int64_t member, int64_t id_from,
                          int64_t sum[JF_ASSET_COUNT], struct jf_err *err)
{
    memset(sum, 0, sizeof(int64_t) * JF_ASSET_COUNT);
    /* through the member side of each transfer, as st_member_ledger; sum() fails on overflow */
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT asset, sum(amount) FROM ("
            " SELECT asset, amount FROM transfers "
            "  WHERE credit BETWEEN ?1 * 16 AND ?1 * 16 + 15 AND credit > 0 AND id >= ?2 "
            " UNION ALL "
            " SELECT asset, -amount FROM transfers "
            "  WHERE debit BETWEEN ?1 * 16 AND ?1 * 16 + 15 AND debit > 0 AND id >= ?2) AS t "
            "GROUP BY asset");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, id_from);
    int rc;
    while ((rc = jf_stmt_step(st, err)) == 1) {
        int a = (int)jf_col_i64(st, 0);
        if (a >= 0 && a < JF_ASSET_COUNT) {
            sum[a] = jf_col_i64(st, 1);
        }
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

struct jf_stmt *st_member_ledger_releases(struct jf_db *db, int64_t member, int64_t seq_lo,
                                          int32_t day_lo, int64_t seq_hi, int32_t day_hi,
                                          int64_t limit)
{
    /* the settled days outside, newest first, and one key lookup of (day, member) in each:
     * the release rows have no index by member */
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT s.day, s.transfer_seq, s.settled_at, r.static, r.share, r.team, r.peer "
            "FROM settlements s CROSS JOIN releases r "
            "WHERE r.day = s.day AND r.member = ?1 "
            "AND (s.transfer_seq, s.day) >= (?2, ?3) AND (s.transfer_seq, s.day) <= (?4, ?5) "
            "ORDER BY s.day DESC LIMIT ?6");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, seq_lo);
    jf_stmt_i64(st, 3, day_lo);
    jf_stmt_i64(st, 4, seq_hi);
    jf_stmt_i64(st, 5, day_hi);
    jf_stmt_i64(st, 6, limit);
    return st;
}

int st_member_ledger_releases_next(struct jf_stmt *it, struct st_ledger_release *r,
                                   struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        r->day = (int32_t)jf_col_i64(it, 0);
        r->seq = jf_col_i64(it, 1);
        r->settled_at = jf_col_i64(it, 2);
        for (int k = 0; k < 4; k++) {
            r->amount[k] = jf_col_i64(it, 3 + k);
        }
    }
    return rc;
}

int st_transfers_max_id(struct jf_db *db, int64_t *id, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT coalesce(max(id), 0) FROM transfers");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

struct jf_stmt *st_member_releases(struct jf_db *db, int64_t member, int32_t from, int32_t to,
                                   int64_t limit)
{
    /* one key lookup per day: the rows are keyed (day, member) for the settlement's append */
    struct jf_stmt *st = jf_db_prep(
        db, "WITH RECURSIVE d(day) AS (SELECT CAST(?3 AS BIGINT) UNION ALL SELECT day - 1 FROM d "
            "WHERE day > ?2) SELECT r.day, r.member, r.static, r.share, r.team, r.peer, r.run, "
            "r.drawn "
            "FROM d JOIN releases r ON r.day = d.day AND r.member = ?1 ORDER BY r.day DESC "
            "LIMIT ?4");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, from);
    jf_stmt_i64(st, 3, to);
    jf_stmt_i64(st, 4, limit);
    return st;
}
