/*
 * db.c — db.h over the two drivers: the store's path chooses one (a postgres:// or
 * postgresql:// URL: PostgreSQL; anything else: an SQLite file or ":memory:"), and every call
 * goes to the connection's driver.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"
#include "jf_assert.h"

bool jf_db_is_pg_url(const char *path)
{
    return strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0;
}

int jf_db_open(const char *path, struct jf_db **out, struct jf_err *err)
{
    return jf_db_is_pg_url(path) ? jf_pg_open(path, out, err) : jf_sqlite_open(path, out, err);
}

int jf_db_open_reader(const char *path, struct jf_db **out, struct jf_err *err)
{
    return jf_db_is_pg_url(path) ? jf_pg_open_reader(path, out, err)
                                 : jf_sqlite_open_reader(path, out, err);
}

void jf_db_close(struct jf_db *db)
{
    if (db != NULL) {
        for (int i = 0; i < JF_NOTE_LISTS; i++) {
            free(db->noted[i].seen);
            free(db->noted[i].v);
        }
        db->ops->close(db);
    }
}

enum jf_db_kind jf_db_kind(const struct jf_db *db)
{
    return db->kind;
}

int jf_db_exec(struct jf_db *db, const char *sql, struct jf_err *err)
{
    return db->ops->exec(db, sql, err);
}

struct jf_stmt *jf_db_prep(struct jf_db *db, const char *sql)
{
    return db->ops->prep(db, sql);
}

struct jf_stmt *jf_db_prep_stream(struct jf_db *db, const char *sql)
{
    return db->ops->prep_stream != NULL ? db->ops->prep_stream(db, sql) : db->ops->prep(db, sql);
}

int jf_db_copy_in_i64(struct jf_db *db, const char *target, const int64_t *rows, int ncols,
                      size_t nrows, struct jf_err *err)
{
    JF_ASSERT(db->ops->copy_in_i64 != NULL);
    return db->ops->copy_in_i64(db, target, rows, ncols, nrows, err);
}

void jf_stmt_i64(struct jf_stmt *st, int idx, int64_t v)
{
    st->db->ops->bind_i64(st, idx, v);
}

void jf_stmt_i64_array(struct jf_stmt *st, int idx, const int64_t *v, size_t n)
{
    JF_ASSERT(st->db->ops->bind_i64_array != NULL);
    st->db->ops->bind_i64_array(st, idx, v, n);
}

void jf_stmt_text(struct jf_stmt *st, int idx, const char *s)
{
    if (s == NULL) {
        st->db->ops->bind_null(st, idx);
    } else {
        st->db->ops->bind_text(st, idx, s);
    }
}

void jf_stmt_null(struct jf_stmt *st, int idx)
{
    st->db->ops->bind_null(st, idx);
}

void jf_stmt_opt_i64(struct jf_stmt *st, int idx, bool has, int64_t v)
{
    if (has) {
        jf_stmt_i64(st, idx, v);
    } else {
        jf_stmt_null(st, idx);
    }
}

int jf_stmt_step(struct jf_stmt *st, struct jf_err *err)
{
    return st->db->ops->step(st, err);
}

int jf_stmt_run(struct jf_stmt *st, struct jf_err *err)
{
    return st->db->ops->run(st, err);
}

int64_t jf_col_i64(struct jf_stmt *st, int col)
{
    return st->db->ops->col_i64(st, col);
}

bool jf_col_null(struct jf_stmt *st, int col)
{
    return st->db->ops->col_null(st, col);
}

const char *jf_col_text(struct jf_stmt *st, int col)
{
    return st->db->ops->col_text(st, col);
}

int64_t jf_db_changes(struct jf_db *db)
{
    return db->ops->changes(db);
}

void db_frame_sql(const struct jf_db *db, enum db_frame f, const char *outer, char *buf,
                  size_t n)
{
    int d = db->depth;
    switch (f) {
    case DB_FRAME_BEGIN:
        if (d == 0) {
            snprintf(buf, n, "%s", outer);
        } else {
            snprintf(buf, n, "SAVEPOINT s%d", d);
        }
        break;
    case DB_FRAME_COMMIT:
        if (d == 1) {
            snprintf(buf, n, "COMMIT");
        } else {
            snprintf(buf, n, "RELEASE s%d", d - 1);
        }
        break;
    case DB_FRAME_ROLLBACK:
        if (d == 1) {
            snprintf(buf, n, "ROLLBACK");
        } else {
            snprintf(buf, n, "ROLLBACK TO s%d; RELEASE s%d", d - 1, d - 1);
        }
        break;
    }
}

int jf_db_begin(struct jf_db *db, struct jf_err *err)
{
    db->txn += db->depth == 0;
    return db->ops->begin(db, err);
}

int jf_db_begin_read(struct jf_db *db, struct jf_err *err)
{
    db->txn += db->depth == 0;
    return db->ops->begin_read(db, err);
}

int jf_db_commit(struct jf_db *db, struct jf_err *err)
{
    return db->ops->commit(db, err);
}

void jf_db_rollback(struct jf_db *db)
{
    jf_db_day_memo_forget(db);
    db->ops->rollback(db);
}

int jf_db_depth(const struct jf_db *db)
{
    return db->depth;
}

bool jf_db_day_memo_get(const struct jf_db *db, int32_t *last_settled, int32_t *genesis)
{
    if (db->depth == 0 || db->day_state.txn != db->txn) {
        return false;
    }
    *last_settled = db->day_state.last_settled;
    *genesis = db->day_state.genesis;
    return true;
}

void jf_db_day_memo_set(struct jf_db *db, int32_t last_settled, int32_t genesis)
{
    if (db->depth > 0) {
        db->day_state.txn = db->txn;
        db->day_state.last_settled = last_settled;
        db->day_state.genesis = genesis;
    }
}

void jf_db_day_memo_forget(struct jf_db *db)
{
    db->day_state.txn = 0;
}

void jf_db_owner_note(struct jf_db *db, enum jf_note_list list, int64_t owner)
{
    if (owner <= 0) {
        return;
    }
    __typeof__(db->noted[0]) *l = &db->noted[list];
    if (owner >= l->seen_len) {
        int64_t len = owner * 2 > 1024 ? owner * 2 : 1024;
        l->seen = jf_xrealloc(l->seen, (size_t)len);
        memset(l->seen + l->seen_len, 0, (size_t)(len - l->seen_len));
        l->seen_len = len;
    }
    if (l->seen[owner]) {
        return;
    }
    l->seen[owner] = 1;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = jf_xrealloc(l->v, sizeof *l->v * l->cap);
    }
    l->v[l->n++] = owner;
}

int64_t *jf_db_owners_take(struct jf_db *db, enum jf_note_list list, size_t *n)
{
    __typeof__(db->noted[0]) *l = &db->noted[list];
    int64_t *v = l->v;
    *n = l->n;
    for (size_t i = 0; i < *n; i++) {
        l->seen[v[i]] = 0;
    }
    l->v = NULL;
    l->n = l->cap = 0;
    return v;
}

bool jf_db_owner_noted(const struct jf_db *db, enum jf_note_list list, int64_t owner)
{
    const __typeof__(db->noted[0]) *l = &db->noted[list];
    return owner > 0 && owner < l->seen_len && l->seen[owner];
}
