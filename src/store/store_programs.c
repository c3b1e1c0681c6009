/*
 * store_programs.c — ad tasks, agents, and the per-member totals of the ad and appreciation
 * programs.
 */
#include "jf_assert.h"
#include "store.h"

int st_member_programs_add(struct jf_db *db, int64_t member, int64_t ad_original,
                           int64_t growth_spent, int64_t growth_sold, struct jf_err *err)
{
    if (growth_spent != 0 || growth_sold != 0) {
        jf_db_owner_note(db, JF_NOTE_GROWTH, member); /* the growth holders' (db.h) */
    }
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE members SET ad_original = ad_original + ?2, growth_spent = growth_spent + ?3, "
            "growth_sold = growth_sold + ?4 WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, ad_original);
    jf_stmt_i64(st, 3, growth_spent);
    jf_stmt_i64(st, 4, growth_sold);
    return jf_stmt_run(st, err);
}

int st_member_programs_get(struct jf_db *db, int64_t member, int64_t *ad_original,
                           int64_t *growth_spent, int64_t *growth_sold, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT ad_original, growth_spent, growth_sold FROM members WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *ad_original = jf_col_i64(st, 0);
    *growth_spent = jf_col_i64(st, 1);
    *growth_sold = jf_col_i64(st, 2);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}

int st_ad_task_insert(struct jf_db *db, int32_t day, int64_t member, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO ad_tasks(day, member) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
    jf_stmt_i64(st, 1, day);
    jf_stmt_i64(st, 2, member);
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    return jf_db_changes(db) == 1 ? 1 : 0;
}

struct jf_stmt *st_ad_tasks_of(struct jf_db *db, int32_t day)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT member FROM ad_tasks WHERE day = ?1 ORDER BY member");
    jf_stmt_i64(st, 1, day);
    return st;
}

struct st_ad_task *st_ad_tasks_collect(struct jf_db *db, int32_t day, size_t *n, int *rc,
                                       struct jf_err *err)
{
    /* (ad points balances are all in `accounts`: the release rows carry points and locked) */
    struct jf_stmt *it = jf_db_prep(
        db, "SELECT t.member, coalesce(a.balance, 0), m.ad_original, coalesce(m.referrer, 0) "
            "FROM ad_tasks t JOIN members m ON m.id = t.member "
            "LEFT JOIN accounts a ON a.id = t.member * 16 + 6 WHERE t.day = ?1 "
            "ORDER BY t.member");
    jf_stmt_i64(it, 1, day);
    size_t cap = 64;
    struct st_ad_task *t = jf_xmalloc(sizeof *t * cap);
    *n = 0;
    while ((*rc = jf_stmt_step(it, err)) == 1) {
        if (*n == cap) {
            cap *= 2;
            t = jf_xrealloc(t, sizeof *t * cap);
        }
        t[(*n)++] = (struct st_ad_task){jf_col_i64(it, 0), jf_col_i64(it, 1), jf_col_i64(it, 2),
                                        jf_col_i64(it, 3)};
    }
    *rc = *rc == 0 ? JF_OK : JF_ERR;
    return t;
}

int st_ids_next(struct jf_stmt *it, int64_t *id, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *id = jf_col_i64(it, 0);
    }
    return rc;
}

int64_t *st_ids_collect(struct jf_stmt *it, size_t *n, int *rc, struct jf_err *err)
{
    size_t cap = 64;
    int64_t *ids = jf_xmalloc(sizeof *ids * cap), id;
    *n = 0;
    while ((*rc = st_ids_next(it, &id, err)) == 1) {
        if (*n == cap) {
            cap *= 2;
            ids = jf_xrealloc(ids, sizeof *ids * cap);
        }
        ids[(*n)++] = id;
    }
    *rc = *rc == 0 ? JF_OK : JF_ERR;
    return ids;
}

int st_agent_get(struct jf_db *db, int level, const char *region, int64_t *member,
                 struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT member FROM agents WHERE level = ?1 AND region = ?2");
    jf_stmt_i64(st, 1, level);
    jf_stmt_text(st, 2, region);
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        *member = jf_col_i64(st, 0);
        rc = jf_stmt_step(st, err) == 0 ? 1 : JF_ERR;
    }
    return rc;
}

int st_agent_insert(struct jf_db *db, int level, const char *region, int64_t member, int64_t at,
                    struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO agents(level, region, member, at) VALUES (?1, ?2, ?3, ?4)");
    jf_stmt_i64(st, 1, level);
    jf_stmt_text(st, 2, region);
    jf_stmt_i64(st, 3, member);
    jf_stmt_i64(st, 4, at);
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_growth_holders(struct jf_db *db)
{
    /* (growth balances are all in `accounts`: the release rows carry points and locked only) */
    return jf_db_prep(db, "SELECT a.owner, a.balance, m.growth_spent, m.growth_sold "
                          "FROM accounts a JOIN members m ON m.id = a.owner "
                          "WHERE a.asset = 7 AND a.owner > 0 AND a.balance > 0 ORDER BY a.owner");
}

struct st_growth_holder *st_growth_holders_collect(struct jf_db *db, size_t *n, int *rc,
                                                   struct jf_err *err)
{
    struct jf_stmt *it = st_growth_holders(db);
    size_t cap = 64;
    struct st_growth_holder *h = jf_xmalloc(sizeof *h * cap);
    *n = 0;
    while ((*rc = jf_stmt_step(it, err)) == 1) {
        if (*n == cap) {
            cap *= 2;
            h = jf_xrealloc(h, sizeof *h * cap);
        }
        h[(*n)++] = (struct st_growth_holder){jf_col_i64(it, 0), jf_col_i64(it, 1),
                                              jf_col_i64(it, 2), jf_col_i64(it, 3)};
    }
    *rc = *rc == 0 ? JF_OK : JF_ERR;
    return h;
}

int st_order_set_growth_eligible(struct jf_db *db, int64_t order_id, int64_t amount,
                                 struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE orders SET growth_eligible = ?2 WHERE id = ?1");
    jf_stmt_i64(st, 1, order_id);
    jf_stmt_i64(st, 2, amount);
    return jf_stmt_run(st, err);
}

int st_order_growth_eligible(struct jf_db *db, int64_t order_id, int64_t *amount,
                             struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT growth_eligible FROM orders WHERE id = ?1");
    jf_stmt_i64(st, 1, order_id);
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    *amount = jf_col_i64(st, 0);
    return jf_stmt_step(st, err) == 0 ? JF_OK : JF_ERR;
}
