/*
 * store_ledger.c — accounts, transfers and the debt log.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

int st_account_add(struct jf_db *db, int64_t owner, int asset, int64_t delta, int64_t *balance,
                   struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "INSERT INTO accounts(id, owner, asset, balance) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT(id) DO UPDATE SET balance = accounts.balance + excluded.balance "
                       "RETURNING balance");
    jf_stmt_i64(st, 1, jf_account_id(owner, asset));
    jf_stmt_i64(st, 2, owner);
    jf_stmt_i64(st, 3, asset);
    jf_stmt_i64(st, 4, delta);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *balance = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_account_get(struct jf_db *db, int64_t owner, int asset, int64_t *balance, int64_t *debt,
                   struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT balance, debt FROM accounts WHERE id = ?1");
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
        jf_db_prep(db, "SELECT asset, balance, debt FROM accounts WHERE owner = ?1");
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

struct jf_stmt *st_transfers_by_ref(struct jf_db *db, const char *ref)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, debit, credit, asset, amount, kind FROM transfers WHERE ref = ?1 "
            "ORDER BY id");
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

int st_transfers_sum(struct jf_db *db, const char *ref, const char *kind, int64_t *sum,
                     struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT coalesce(sum(amount), 0) FROM transfers WHERE ref = ?1 AND kind = ?2");
    jf_stmt_text(st, 1, ref);
    jf_stmt_text(st, 2, kind);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *sum = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}
