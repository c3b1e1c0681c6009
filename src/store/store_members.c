/*
 * store_members.c — members and the meta table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg_cols.h"
#include "store.h"

int st_meta_get_i64(struct jf_db *db, const char *key, int64_t *out, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT value FROM meta WHERE key = ?1");
    jf_stmt_text(st, 1, key);
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        *out = strtoll(jf_col_text(st, 0), NULL, 10);
        jf_stmt_step(st, err);
    }
    return rc;
}

int st_meta_set_i64(struct jf_db *db, const char *key, int64_t v, struct jf_err *err)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    jf_db_day_memo_forget(db);
    struct jf_stmt *st = jf_db_prep(db, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
                                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    jf_stmt_text(st, 1, key);
    jf_stmt_text(st, 2, buf);
    return jf_stmt_run(st, err);
}

#define MEMBER_COLS                                                                                \
    "id, ext_id, phone, referrer, invite_code, created_at, frozen_withdrawals, frozen_all, rank, " \
    "perf_total, perf_cash, perf_points"

static void read_member(struct jf_stmt *st, struct st_member *m)
{
    m->id = jf_col_i64(st, 0);
    snprintf(m->ext_id, sizeof m->ext_id, "%s", jf_col_text(st, 1));
    snprintf(m->phone, sizeof m->phone, "%s", jf_col_text(st, 2));
    m->referrer = jf_col_null(st, 3) ? 0 : jf_col_i64(st, 3);
    snprintf(m->invite_code, sizeof m->invite_code, "%s", jf_col_text(st, 4));
    m->created_at = jf_col_i64(st, 5);
    m->frozen_withdrawals = jf_col_i64(st, 6) != 0;
    m->frozen_all = jf_col_i64(st, 7) != 0;
    m->rank = (int)jf_col_i64(st, 8);
    m->perf_total = jf_col_i64(st, 9);
    m->perf_cash = jf_col_i64(st, 10);
    m->perf_points = jf_col_i64(st, 11);
}

static int one_member(struct jf_stmt *st, struct st_member *m, struct jf_err *err)
{
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        read_member(st, m);
        if (jf_stmt_step(st, err) != 0) {
            return JF_ERR;
        }
    }
    return rc;
}

int64_t st_member_next_id(struct jf_db *db, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT coalesce(max(id), 0) + 1 FROM members");
    if (jf_stmt_step(st, err) != 1) {
        return -1;
    }
    int64_t id = jf_col_i64(st, 0);
    jf_stmt_step(st, err);
    return id;
}

int st_member_insert(struct jf_db *db, const struct st_member *m, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "INSERT INTO members(id, ext_id, phone, referrer, invite_code, created_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    jf_stmt_i64(st, 1, m->id);
    jf_stmt_text(st, 2, m->ext_id);
    jf_stmt_text(st, 3, m->phone);
    jf_stmt_opt_i64(st, 4, m->referrer > 0, m->referrer);
    jf_stmt_text(st, 5, m->invite_code);
    jf_stmt_i64(st, 6, m->created_at);
    return jf_stmt_run(st, err);
}

int st_member_by_ext(struct jf_db *db, const char *ext_id, struct st_member *m,
                     struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT " MEMBER_COLS " FROM members WHERE ext_id = ?1");
    jf_stmt_text(st, 1, ext_id);
    return one_member(st, m, err);
}

int st_member_by_phone(struct jf_db *db, const char *phone, struct st_member *m,
                       struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT " MEMBER_COLS " FROM members WHERE phone = ?1");
    jf_stmt_text(st, 1, phone);
    return one_member(st, m, err);
}

int st_member_by_invite(struct jf_db *db, const char *code, struct st_member *m,
                        struct jf_err *err)
{
    struct jf_stmt *st =
        jf_db_prep(db, "SELECT " MEMBER_COLS " FROM members WHERE invite_code = ?1");
    jf_stmt_text(st, 1, code);
    return one_member(st, m, err);
}

int st_member_by_id(struct jf_db *db, int64_t id, struct st_member *m, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "SELECT " MEMBER_COLS " FROM members WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    return one_member(st, m, err);
}

int st_member_set_rank(struct jf_db *db, int64_t id, int rank, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE members SET rank = ?2, net_dirty = 1 WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    jf_stmt_i64(st, 2, rank);
    return jf_stmt_run(st, err);
}

int st_members_set_ranks(struct jf_db *db, const int64_t (*rows)[2], size_t n,
                         struct jf_err *err)
{
    if (jf_db_kind(db) != JF_DB_POSTGRES) {
        for (size_t i = 0; i < n; i++) {
            if (st_member_set_rank(db, rows[i][0], (int)rows[i][1], err) != JF_OK) {
                return JF_ERR;
            }
        }
        return JF_OK;
    }
    struct pg_cols c;
    pg_cols_init(&c, 2);
    int rc = JF_OK;
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        pg_cols_row(&c, rows[i]);
        if (pg_cols_full(&c) || i + 1 == n) {
            struct jf_stmt *st = pg_cols_prep(
                db,
                "UPDATE members SET rank = u.r, net_dirty = 1 FROM unnest(?1::bigint[], ?2::bigint[]) "
                "AS u(id, r) WHERE members.id = u.id AND members.id BETWEEN ?3 AND ?4",
                &c);
            jf_stmt_i64(st, 3, c.first);
            jf_stmt_i64(st, 4, c.last);
            rc = pg_cols_run(st, &c, err);
        }
    }
    pg_cols_free(&c);
    return rc;
}

int st_members_clear_ranks(struct jf_db *db, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "UPDATE members SET rank = -1, net_dirty = 1 WHERE rank <> -1");
    return jf_stmt_run(st, err);
}

int st_member_set_frozen(struct jf_db *db, int64_t id, bool withdrawals, bool all,
                         struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE members SET frozen_withdrawals = ?2, frozen_all = ?3 WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    jf_stmt_i64(st, 2, withdrawals);
    jf_stmt_i64(st, 3, all);
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_members_iter(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT " MEMBER_COLS " FROM members ORDER BY id");
}

int st_members_next(struct jf_stmt *it, struct st_member *m, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        read_member(it, m);
    }
    return rc;
}

int64_t st_member_count(struct jf_db *db, struct jf_err *err)
{
    /* members are numbered 1..n by the store and never deleted: the highest id is the count,
     * read from the key's index instead of a scan of the table */
    struct jf_stmt *st = jf_db_prep(db, "SELECT coalesce(max(id), 0) FROM members");
    if (jf_stmt_step(st, err) != 1) {
        return -1;
    }
    int64_t n = jf_col_i64(st, 0);
    jf_stmt_step(st, err);
    return n;
}

int st_member_perf_add(struct jf_db *db, int64_t member, int64_t total, int64_t cash,
                       int64_t points, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "UPDATE members SET perf_total = perf_total + ?2, perf_cash = perf_cash + ?3, "
            "perf_points = perf_points + ?4, net_dirty = 1 WHERE id = ?1");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, total);
    jf_stmt_i64(st, 3, cash);
    jf_stmt_i64(st, 4, points);
    return jf_stmt_run(st, err);
}

struct jf_stmt *st_nodes_iter(struct jf_db *db)
{
    /* in storage order: the caller places rows by id (PostgreSQL would sort otherwise);
     * streamed */
    return jf_db_prep_stream(db, "SELECT id, referrer, rank, perf_total, perf_cash, perf_points "
                          "FROM members");
}

int st_node_by_id(struct jf_db *db, int64_t id, struct st_node *n, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT id, referrer, rank, perf_total, perf_cash, perf_points FROM members "
            "WHERE id = ?1");
    jf_stmt_i64(st, 1, id);
    int rc = st_nodes_next(st, n, err);
    return rc == 1 ? (jf_stmt_step(st, err) == 0 ? 1 : JF_ERR) : rc;
}

struct jf_stmt *st_nodes_dirty_iter(struct jf_db *db)
{
    return jf_db_prep(db, "SELECT id, referrer, rank, perf_total, perf_cash, perf_points "
                          "FROM members WHERE net_dirty = 1");
}

int st_nodes_clean(struct jf_db *db, struct jf_err *err)
{
    return jf_stmt_run(jf_db_prep(db, "UPDATE members SET net_dirty = 0 WHERE net_dirty = 1"),
                       err);
}

int st_nodes_next(struct jf_stmt *it, struct st_node *n, struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        n->id = jf_col_i64(it, 0);
        n->referrer = jf_col_null(it, 1) ? 0 : jf_col_i64(it, 1);
        n->rank = (int)jf_col_i64(it, 2);
        n->perf_total = jf_col_i64(it, 3);
        n->perf_cash = jf_col_i64(it, 4);
        n->perf_points = jf_col_i64(it, 5);
    }
    return rc;
}

struct jf_stmt *st_team_summary(struct jf_db *db, int64_t member)
{
    struct jf_stmt *st = jf_db_prep(
        db, "WITH RECURSIVE t(id, gen) AS (SELECT id, 1 FROM members WHERE referrer = ?1 "
            "UNION ALL SELECT m.id, t.gen + 1 FROM members m JOIN t ON m.referrer = t.id) "
            "SELECT t.gen, count(*), sum(m.perf_total), sum(m.perf_cash), sum(m.perf_points) "
            "FROM t JOIN members m ON m.id = t.id GROUP BY t.gen ORDER BY t.gen");
    jf_stmt_i64(st, 1, member);
    return st;
}

int st_team_summary_next(struct jf_stmt *it, int64_t *generation, int64_t *members,
                         int64_t perf[3], struct jf_err *err)
{
    int rc = jf_stmt_step(it, err);
    if (rc == 1) {
        *generation = jf_col_i64(it, 0);
        *members = jf_col_i64(it, 1);
        for (int i = 0; i < 3; i++) {
            perf[i] = jf_col_i64(it, 2 + i);
        }
    }
    return rc;
}

struct jf_stmt *st_team_generation(struct jf_db *db, int64_t member, int64_t generation,
                                   int64_t after, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "WITH RECURSIVE t(id, gen) AS (SELECT id, 1 FROM members WHERE referrer = ?1 "
            "UNION ALL SELECT m.id, t.gen + 1 FROM members m JOIN t ON m.referrer = t.id "
            "WHERE t.gen < ?2) "
            "SELECT " MEMBER_COLS " FROM members WHERE id IN (SELECT id FROM t WHERE gen = ?2) "
            "AND id > ?3 ORDER BY id LIMIT ?4");
    jf_stmt_i64(st, 1, member);
    jf_stmt_i64(st, 2, generation);
    jf_stmt_i64(st, 3, after);
    jf_stmt_i64(st, 4, limit);
    return st;
}

struct jf_stmt *st_members_search(struct jf_db *db, const char *q, int64_t after, int64_t limit)
{
    struct jf_stmt *st = jf_db_prep(
        db, "SELECT " MEMBER_COLS " FROM members WHERE (substr(phone, 1, length(?1)) = ?1 "
            "OR substr(ext_id, 1, length(?1)) = ?1) AND id > ?2 ORDER BY id LIMIT ?3");
    jf_stmt_text(st, 1, q);
    jf_stmt_i64(st, 2, after);
    jf_stmt_i64(st, 3, limit);
    return st;
}
