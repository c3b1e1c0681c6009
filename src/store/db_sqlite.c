/*
 * db_sqlite.c — the SQLite driver of db.h: pragmas, migrations, statement cache, savepoints.
 */
#include "db.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"

#define STMT_CACHE_MAX 512 /* distinct SQL texts in the store: well under this */
#define STMT_HASH_SIZE 1024 /* open addressing over the cache, twice its size */

struct jf_stmt {
    sqlite3_stmt *s;
    struct jf_db *db;
};

struct cache_entry {
    const char *sql;
    struct jf_stmt st;
};

struct jf_db {
    sqlite3 *h;
    int depth;
    int n_cache;
    struct cache_entry cache[STMT_CACHE_MAX];
    int16_t slot[STMT_HASH_SIZE]; /* index into cache + 1; 0: empty */
};

/* The slot of an SQL literal in the hash: its address, mixed. */
static size_t sql_hash(const char *sql)
{
    uintptr_t x = (uintptr_t)sql;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20) & (STMT_HASH_SIZE - 1);
}

/* Generated from src/store/migrations/sqlite/NNN_*.sql, in order. */
#define MIGRATION_DECL(n) extern const char jf_sqlite_migration_##n[];
MIGRATION_DECL(1)
MIGRATION_DECL(2)
MIGRATION_DECL(3)
MIGRATION_DECL(4)
MIGRATION_DECL(5)
MIGRATION_DECL(6)
MIGRATION_DECL(7)
MIGRATION_DECL(8)
MIGRATION_DECL(9)
MIGRATION_DECL(10)
static const char *const migrations[] = {jf_sqlite_migration_1, jf_sqlite_migration_2,
                                         jf_sqlite_migration_3, jf_sqlite_migration_4,
                                         jf_sqlite_migration_5, jf_sqlite_migration_6,
                                         jf_sqlite_migration_7, jf_sqlite_migration_8,
                                         jf_sqlite_migration_9, jf_sqlite_migration_10};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(N_MIGRATIONS == JF_SQLITE_MIGRATIONS, "list every migration file here");

static int db_fail(struct jf_db *db, struct jf_err *err, const char *what)
{
    int ext = sqlite3_extended_errcode(db->h);
    enum jf_code code = JF_E_INTERNAL;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = JF_E_CONFLICT;
    }
    return jf_err_set(err, code, NULL, "%s failed: %s", what, sqlite3_errmsg(db->h));
}

int jf_db_exec(struct jf_db *db, const char *sql, struct jf_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        jf_err_set(err, JF_E_INTERNAL, NULL, "sql failed: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return JF_ERR;
    }
    return JF_OK;
}

static int migrate(struct jf_db *db, struct jf_err *err)
{
    struct jf_stmt *st = jf_db_prep(db, "PRAGMA user_version");
    if (jf_stmt_step(st, err) != 1) {
        return JF_ERR;
    }
    int have = (int)jf_col_i64(st, 0);
    sqlite3_reset(st->s);
    if (have > N_MIGRATIONS) {
        return jf_err_set(err, JF_E_INTERNAL, NULL,
                          "store schema version %d is newer than this jifen (%d)", have,
                          N_MIGRATIONS);
    }
    for (int v = have; v < N_MIGRATIONS; v++) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (jf_db_begin(db, err) != JF_OK) {
            return JF_ERR;
        }
        if (jf_db_exec(db, migrations[v], err) != JF_OK || jf_db_exec(db, sql, err) != JF_OK ||
            jf_db_commit(db, err) != JF_OK) {
            jf_db_rollback(db);
            jf_err_prefix_field(err, "migration");
            return JF_ERR;
        }
    }
    return JF_OK;
}

int jf_db_open(const char *path, struct jf_db **out, struct jf_err *err)
{
    struct jf_db *db = jf_xcalloc(1, sizeof *db);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        jf_err_set(err, JF_E_INTERNAL, "db", "open db '%s' failed: %s", path,
                   db->h ? sqlite3_errmsg(db->h) : "out of memory");
        jf_db_close(db);
        return JF_ERR;
    }
    sqlite3_extended_result_codes(db->h, 1);
    bool mem = strcmp(path, ":memory:") == 0 || path[0] == '\0';
    /* 1 GiB of page cache (allocated as used): a settlement touches every member's accounts
     * and lots once, and a miss costs a read */
    const char *pragmas = mem ? "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                              : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                                "PRAGMA cache_size = -1048576;";
    if (jf_db_exec(db, pragmas, err) != JF_OK || migrate(db, err) != JF_OK) {
        jf_db_close(db);
        return JF_ERR;
    }
    *out = db;
    return JF_OK;
}

int jf_db_open_reader(const char *path, struct jf_db **out, struct jf_err *err)
{
    if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
        return jf_err_set(err, JF_E_INTERNAL, "db", "an in-memory store has no second reader");
    }
    struct jf_db *db = jf_xcalloc(1, sizeof *db);
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK ||
        jf_db_exec(db, "PRAGMA busy_timeout = 10000; PRAGMA cache_size = -262144;", err) !=
            JF_OK) {
        jf_err_set(err, JF_E_INTERNAL, "db", "open reader '%s' failed: %s", path,
                   db->h ? sqlite3_errmsg(db->h) : "out of memory");
        jf_db_close(db);
        return JF_ERR;
    }
    sqlite3_extended_result_codes(db->h, 1);
    *out = db;
    return JF_OK;
}

void jf_db_close(struct jf_db *db)
{
    if (db == NULL) {
        return;
    }
    for (int i = 0; i < db->n_cache; i++) {
        sqlite3_finalize(db->cache[i].st.s);
    }
    sqlite3_close(db->h);
    free(db);
}

struct jf_stmt *jf_db_prep(struct jf_db *db, const char *sql)
{
    size_t h = sql_hash(sql);
    while (db->slot[h] != 0) {
        struct cache_entry *e = &db->cache[db->slot[h] - 1];
        if (e->sql == sql) {
            sqlite3_reset(e->st.s);
            sqlite3_clear_bindings(e->st.s);
            return &e->st;
        }
        h = (h + 1) & (STMT_HASH_SIZE - 1);
    }
    JF_ASSERT(db->n_cache < STMT_CACHE_MAX);
    db->slot[h] = (int16_t)(db->n_cache + 1);
    struct cache_entry *e = &db->cache[db->n_cache];
    if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &e->st.s, NULL) !=
        SQLITE_OK) {
        fprintf(stderr, "jifen: prepare failed: %s\n  in: %s\n", sqlite3_errmsg(db->h), sql);
        abort();
    }
    e->sql = sql;
    e->st.db = db;
    db->n_cache++;
    return &e->st;
}

void jf_stmt_i64(struct jf_stmt *st, int idx, int64_t v)
{
    JF_ASSERT(sqlite3_bind_int64(st->s, idx, v) == SQLITE_OK);
}

void jf_stmt_text(struct jf_stmt *st, int idx, const char *s)
{
    if (s == NULL) {
        jf_stmt_null(st, idx);
        return;
    }
    JF_ASSERT(sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK);
}

void jf_stmt_null(struct jf_stmt *st, int idx)
{
    JF_ASSERT(sqlite3_bind_null(st->s, idx) == SQLITE_OK);
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
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW) {
        return 1;
    }
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st->s);
        return 0;
    }
    db_fail(st->db, err, "query");
    sqlite3_reset(st->s);
    return JF_ERR;
}

int jf_stmt_run(struct jf_stmt *st, struct jf_err *err)
{
    int rc = jf_stmt_step(st, err);
    if (rc == 1) {
        sqlite3_reset(st->s);
        return JF_OK;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

int64_t jf_col_i64(struct jf_stmt *st, int col)
{
    return sqlite3_column_int64(st->s, col);
}

bool jf_col_null(struct jf_stmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

const char *jf_col_text(struct jf_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st->s, col);
    return t ? (const char *)t : "";
}

int64_t jf_db_changes(struct jf_db *db)
{
    return sqlite3_changes64(db->h);
}

int jf_db_begin(struct jf_db *db, struct jf_err *err)
{
    char sql[32];
    if (db->depth == 0) {
        snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    } else {
        snprintf(sql, sizeof sql, "SAVEPOINT s%d", db->depth);
    }
    if (jf_db_exec(db, sql, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

int jf_db_begin_read(struct jf_db *db, struct jf_err *err)
{
    JF_ASSERT(db->depth == 0);
    struct jf_stmt *st = jf_db_prep(db, "BEGIN DEFERRED");
    if (jf_stmt_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

int jf_db_commit(struct jf_db *db, struct jf_err *err)
{
    JF_ASSERT(db->depth > 0);
    char sql[32];
    if (db->depth == 1) {
        snprintf(sql, sizeof sql, "COMMIT");
    } else {
        snprintf(sql, sizeof sql, "RELEASE s%d", db->depth - 1);
    }
    if (jf_db_exec(db, sql, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth--;
    return JF_OK;
}

void jf_db_rollback(struct jf_db *db)
{
    JF_ASSERT(db->depth > 0);
    char sql[64];
    if (db->depth == 1) {
        snprintf(sql, sizeof sql, "ROLLBACK");
    } else {
        snprintf(sql, sizeof sql, "ROLLBACK TO s%d; RELEASE s%d", db->depth - 1, db->depth - 1);
    }
    for (int i = 0; i < db->n_cache; i++) {
        sqlite3_reset(db->cache[i].st.s);
    }
    struct jf_err ignored;
    if (jf_db_exec(db, sql, &ignored) != JF_OK && db->depth == 1) {
        /* SQLite may already have rolled back (e.g. after a full disk); nothing is pending */
        fprintf(stderr, "jifen: rollback: %s\n", ignored.msg);
    }
    db->depth--;
}

int jf_db_depth(const struct jf_db *db)
{
    return db->depth;
}
