/*
 * store_contribution.c — bonuses markers, sign-in state, task totals, income records.
 */
#include "day.h"
#include "store.h"

static void day_col(struct jf_stmt *st, int col, int32_t *out)
{
    *out = jf_col_null(st, col) ? JF_DAY_NONE : (int32_t)jf_col_i64(st, col);
}

int st_contrib_state_get(struct jf_db *db, int64_t member, struct st_contrib_state *s,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT first_reach_day, first_purchase_day, signin_day, signin_streak "
            "FROM members WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    day_col(st, 0, &s->first_reach_day);
    day_col(st, 1, &s->first_purchase_day);
    day_col(st, 2, &s->signin_day);
    s->signin_streak = jf_col_i64(st, 3);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_contrib_state_set(struct jf_db *db, int64_t member, const struct st_contrib_state *s,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE members SET first_reach_day = ?2, first_purchase_day = ?3, signin_day = ?4, "
            "signin_streak = ?5 WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    jf_stmt_opt_i64(st, 2, s->first_reach_day != JF_DAY_NONE, s->first_reach_day);
    jf_stmt_opt_i64(st, 3, s->first_purchase_day != JF_DAY_NONE, s->first_purchase_day);
    jf_stmt_opt_i64(st, 4, s->signin_day != JF_DAY_NONE, s->signin_day);
    jf_stmt_i64(st, 5, s->signin_streak);
    return jf_stmt_run(st, err);
}

int st_task_total(struct jf_db *db, int64_t member, int32_t day, int kind, int64_t *total,
                  struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT amount FROM task_totals WHERE member = ?1 AND day = ?2 AND kind = ?3");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, day);
    jf_stmt_i64(st, 3, kind);
    *total = 0;
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        *total = jf_col_i64(st, 0);
        rc = jf_stmt_step(st, err);
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

int st_task_total_add(struct jf_db *db, int64_t member, int32_t day, int kind, int64_t amount,
                      struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO task_totals(member, day, kind, amount) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT(member, day, kind) DO UPDATE SET amount = task_totals.amount + "
            "excluded.amount");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, day);
    jf_stmt_i64(st, 3, kind);
    jf_stmt_i64(st, 4, amount);
    return jf_stmt_run(st, err);
}

int st_income_insert(struct jf_db *db, int32_t day, int64_t amount, const char *source,
                     int64_t at, int64_t *id, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO income(day, amount, source, at) VALUES (?1, ?2, ?3, ?4) RETURNING id");
    jf_stmt_i64(st, 1, day);
    jf_stmt_i64(st, 2, amount);
    jf_stmt_text(st, 3, source);
    jf_stmt_i64(st, 4, at);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *id = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_income_sum(struct jf_db *db, int32_t day, int64_t *sum, struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT coalesce(sum(amount), 0) FROM income WHERE day = ?1");
    jf_stmt_i64(st, 1, day);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *sum = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

struct jf_stmt *st_contrib_holders(struct jf_db *db, int64_t min)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT owner, balance FROM accounts WHERE asset = 3 AND owner > 0 "
            "AND balance >= ?1 ORDER BY owner");
    jf_stmt_i64(st, 1, min);
    return st;
}

int st_contrib_holders_next(struct jf_stmt *it, int64_t *owner, int64_t *balance,
                            struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *owner = jf_col_i64(it, 0);
        *balance = jf_col_i64(it, 1);
    }
    return rc;
}
