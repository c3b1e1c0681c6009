/*
 * pg_accounts.c — many balance changes at once on PostgreSQL (st_accounts_add_batch): a
 * settlement adds to the balances of most members in one or two assets.
 *
 * The changes are sorted by account and summed per account in C. Member accounts (id = owner ×
 * 16 + asset) then go in chunks of consecutive owners: each chunk is one UPDATE that walks the
 * chunk's key range and adds to each row its change, read from a dense array indexed by owner
 * and asset — a range scan and an array subscript a row, no join to plan or hash. The accounts
 * it did not find (a member's first credit in an asset) are inserted by a second statement.
 * The few system accounts are joined by key.
 */
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "db.h"
#include "jf_assert.h"
#include "pg_cols.h"
#include "pg_store.h"
#include "types.h"

/* Owners a chunk spans: its array holds this many times the assets it changes elements (most of
 * them changes: members are numbered densely). */
#define OWNER_SPAN 131072

struct acc_change {
    int64_t id, owner, asset, delta;
};

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct acc_change *)a)->id, y = ((const struct acc_change *)b)->id;
    return (x > y) - (x < y);
}

/* Sorts c[0..n) by account and sums the changes of each account into one (in place); returns
 * the number of accounts, or -1 if a sum overflows. */
static ssize_t sum_by_account(struct acc_change *c, size_t n)
{
    qsort(c, n, sizeof *c, by_id);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && c[m - 1].id == c[i].id) {
            if (!jf_add(c[m - 1].delta, c[i].delta, &c[m - 1].delta)) {
                return -1;
            }
        } else {
            c[m++] = c[i];
        }
    }
    return (ssize_t)m;
}

/* Inserts the accounts of c[0..n) that do not exist yet, with their change as balance. */
static int insert_missing(struct jf_db *db, const struct acc_change *c, size_t n,
                          struct jf_err *err)
{
    struct pg_cols cols;
    pg_cols_init(&cols, 4);
    int rc = JF_OK;
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        pg_cols_row(&cols, (int64_t[]){c[i].id, c[i].owner, c[i].asset, c[i].delta});
        if (pg_cols_full(&cols) || i + 1 == n) {
            struct jf_stmt *st =
                pg_cols_prep(db,
                             "INSERT INTO accounts(id, owner, asset, balance) SELECT id, o, a, d "
                             "FROM unnest(?1::bigint[], ?2::bigint[], ?3::bigint[], "
                             "?4::bigint[]) AS u(id, o, a, d) WHERE NOT EXISTS (SELECT 1 FROM "
                             "accounts x WHERE x.id = u.id) ORDER BY id",
                             &cols);
            rc = pg_cols_run(st, &cols, err);
        }
    }
    pg_cols_free(&cols);
    return rc;
}

/* System accounts (owner < 0): one UPDATE joined by key, then the missing ones. */
static int add_system(struct jf_db *db, const struct acc_change *c, size_t n, struct jf_err *err)
{
    if (n == 0) {
        return JF_OK;
    }
    struct pg_cols cols;
    pg_cols_init(&cols, 2);
    for (size_t i = 0; i < n; i++) {
        pg_cols_row(&cols, (int64_t[]){c[i].id, c[i].delta});
    }
    struct jf_stmt *st = pg_cols_prep(db,
                                      "UPDATE accounts SET balance = balance + u.d FROM "
                                      "unnest(?1::bigint[], ?2::bigint[]) AS u(id, d) "
                                      "WHERE accounts.id = u.id",
                                      &cols);
    int rc = pg_cols_run(st, &cols, err);
    pg_cols_free(&cols);
    if (rc == JF_OK && (size_t)jf_db_changes(db) < n) {
        rc = insert_missing(db, c, n, err);
    }
    return rc;
}

/* The member accounts c[0..n) (sorted, one change each, none zero), whose owners lie within
 * OWNER_SPAN of the first: one UPDATE over their key range. */
static int add_chunk(struct jf_db *db, const struct acc_change *c, size_t n, struct jf_err *err)
{
    const int64_t lo = c[0].owner, hi = c[n - 1].owner;
    JF_ASSERT(lo > 0 && hi - lo < OWNER_SPAN);
    /* the assets the chunk changes, each with its slot + 1 in a row of the array (0: none) */
    int64_t slot[16] = {0};
    int64_t assets = 0;
    for (size_t i = 0; i < n; i++) {
        JF_ASSERT(c[i].asset >= 0 && c[i].asset < 16);
        if (slot[c[i].asset] == 0) {
            slot[c[i].asset] = -1;
        }
    }
    for (int a = 0; a < 16; a++) {
        if (slot[a] != 0) {
            slot[a] = ++assets;
        }
    }
    size_t len = (size_t)(hi - lo + 1) * (size_t)assets;
    int64_t *dense = jf_xcalloc(len, sizeof *dense);
    for (size_t i = 0; i < n; i++) {
        dense[(size_t)(c[i].owner - lo) * (size_t)assets + (size_t)(slot[c[i].asset] - 1)] =
            c[i].delta;
    }
    /* element (owner - lo) * assets + slot[asset] (1-based) of ?1 is the row's change */
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE accounts SET balance = balance + "
            "(?1::bigint[])[(owner - ?2) * ?3 + (?4::bigint[])[asset + 1]] "
            "WHERE id BETWEEN ?2 * 16 AND ?5 * 16 + 15 AND (?4::bigint[])[asset + 1] > 0 "
            "AND (?1::bigint[])[(owner - ?2) * ?3 + (?4::bigint[])[asset + 1]] <> 0");
    jf_stmt_i64_array(st, 1, dense, len);
    jf_stmt_i64(st, 2, lo);
    jf_stmt_i64(st, 3, assets);
    jf_stmt_i64_array(st, 4, slot, 16);
    jf_stmt_i64(st, 5, hi);
    int rc = jf_stmt_run(st, err);
    free(dense);
    if (rc == JF_OK && (size_t)jf_db_changes(db) < n) {
        rc = insert_missing(db, c, n, err);
    }
    return rc;
}

int pg_accounts_add(struct jf_db *db, const struct st_account_delta *d, size_t n,
                    struct jf_err *err)
{
    struct acc_change *c = jf_xmalloc(sizeof *c * (n + 1));
    for (size_t i = 0; i < n; i++) {
        c[i] = (struct acc_change){jf_account_id(d[i].owner, d[i].asset), d[i].owner,
                                   d[i].asset, d[i].delta};
    }
    ssize_t m = sum_by_account(c, n);
    if (m < 0) {
        free(c);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "a balance change overflows");
    }
    /* system accounts sort first (negative ids); then the members' changes, those of zero
     * apart: they change no balance, but create the account where it is missing */
    size_t sys = 0;
    while (sys < (size_t)m && c[sys].owner <= 0) {
        sys++;
    }
    struct acc_change *zero = jf_xmalloc(sizeof *zero * ((size_t)m - sys + 1));
    size_t k = 0, z = 0;
    for (size_t i = sys; i < (size_t)m; i++) {
        if (c[i].delta != 0) {
            c[sys + k++] = c[i];
        } else {
            zero[z++] = c[i];
        }
    }
    int rc = add_system(db, c, sys, err);
    struct acc_change *mem = c + sys;
    for (size_t i = 0; i < k && rc == JF_OK;) {
        size_t e = i + 1;
        while (e < k && mem[e].owner - mem[i].owner < OWNER_SPAN) {
            e++;
        }
        rc = add_chunk(db, mem + i, e - i, err);
        i = e;
    }
    if (rc == JF_OK && z > 0) {
        rc = insert_missing(db, zero, z, err);
    }
    free(zero);
    free(c);
    return rc;
}
