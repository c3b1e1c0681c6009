/*
 * db_sqlite.c — the SQLite driver of db.h: pragmas, migrations, statement cache, savepoints.
 *
 * A transaction that SQLite rolls back by itself: on some errors (an I/O error, a full disk,
 * no memory) SQLite rolls back the whole transaction, savepoints included, not just the failed
 * statement. The callers still hold their frames then (a group of commands and the command
 * that failed), and a SAVEPOINT run now would open a new transaction of its own, which the
 * matching RELEASE would commit: the next commands of a group would be committed one by one
 * while the group's commit fails. So the connection notes the loss (`lost`): every statement
 * on it fails until its frames are rolled back down to depth 0, where it is usable again.
 *
 * A commit that fails on an I/O error: SQLite rolls the transaction back, but what it wrote of
 * it may still lie in the write-ahead log past the last valid commit — whole, commit frame
 * included, when only the fsync failed. A crash before the next commit would let recovery find
 * it there and keep it, although its callers were told that it failed. So the driver commits a
 * small transaction over it at once (seal_log): recovery stops where that one ends.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_int.h"
#include "jf_assert.h"

struct sq_stmt {
    struct jf_stmt head;
    sqlite3_stmt *s;
};

struct cache_entry {
    const char *sql;
    struct sq_stmt st;
};

struct sq_db {
    struct jf_db head;
    sqlite3 *h;
    int n_cache;
    struct cache_entry cache[STMT_CACHE_MAX];
    int16_t slot[STMT_HASH_SIZE]; /* index into cache + 1; 0: empty */
    bool wal;  /* a file store in WAL mode (not ":memory:") */
    bool lost; /* SQLite rolled back the open transaction after an error (see the top) */
    char lost_msg[128]; /* that error */
};

static const struct db_ops sq_ops;

static struct sq_db *SQ(struct jf_db *db)
{
    return (struct sq_db *)db;
}

static sqlite3_stmt *S(struct jf_stmt *st)
{
    return ((struct sq_stmt *)st)->s;
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
MIGRATION_DECL(11)
MIGRATION_DECL(12)
MIGRATION_DECL(13)
MIGRATION_DECL(14)
static const char *const migrations[] = {jf_sqlite_migration_1, jf_sqlite_migration_2,
                                         jf_sqlite_migration_3, jf_sqlite_migration_4,
                                         jf_sqlite_migration_5, jf_sqlite_migration_6,
                                         jf_sqlite_migration_7, jf_sqlite_migration_8,
                                         jf_sqlite_migration_9, jf_sqlite_migration_10,
                                         jf_sqlite_migration_11, jf_sqlite_migration_12,
                                         jf_sqlite_migration_13, jf_sqlite_migration_14};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(N_MIGRATIONS == JF_SQLITE_MIGRATIONS, "list every migration file here");

static int db_fail(struct jf_db *db, struct jf_err *err, const char *what)
{
    int ext = sqlite3_extended_errcode(SQ(db)->h);
    enum jf_code code = JF_E_INTERNAL;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = JF_E_CONFLICT;
    }
    return jf_err_set(err, code, NULL, "%s failed: %s", what, sqlite3_errmsg(SQ(db)->h));
}

/* After a failed statement: notes whether SQLite rolled the open transaction back with it. */
static void note_loss(struct jf_db *jdb)
{
    struct sq_db *db = SQ(jdb);
    if (jdb->depth > 0 && !db->lost && sqlite3_get_autocommit(db->h)) {
        db->lost = true;
        snprintf(db->lost_msg, sizeof db->lost_msg, "%s", sqlite3_errmsg(db->h));
    }
}

/* What every statement on a connection whose transaction is lost answers. */
static int lost_fail(struct jf_db *jdb, struct jf_err *err)
{
    return jf_err_set(err, JF_E_INTERNAL, NULL,
                      "the transaction was rolled back after an error: %s", SQ(jdb)->lost_msg);
}

static int sq_exec(struct jf_db *db, const char *sql, struct jf_err *err)
{
    if (SQ(db)->lost) {
        return lost_fail(db, err);
    }
    char *msg = NULL;
    if (sqlite3_exec(SQ(db)->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        jf_err_set(err, JF_E_INTERNAL, NULL, "sql failed: %s", msg ? msg : "?");
        sqlite3_free(msg);
        note_loss(db);
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
    sqlite3_reset(S(st));
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

/* Once per process, before the first connection: no memory statistics (SQLite would otherwise
 * take a process-wide mutex on every allocation of every connection to keep them). */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static void sq_configure(void)
{
    /* refused (SQLITE_MISUSE) if SQLite was initialised already: the default then stays */
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sq_alloc_install(); /* sq_alloc.c */
}

static struct sq_db *sq_new(void)
{
    pthread_once(&sq_once, sq_configure);
    struct sq_db *db = jf_xcalloc(1, sizeof *db);
    db->head.ops = &sq_ops;
    db->head.kind = JF_DB_SQLITE;
    return db;
}

int jf_sqlite_open(const char *path, struct jf_db **out, struct jf_err *err)
{
    struct sq_db *db = sq_new();
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    bool mem = strcmp(path, ":memory:") == 0 || path[0] == '\0';
    if (!mem) {
        /* a new store holds password and token hashes, phone numbers and balances: it is its
         * owner's alone (SQLite gives the -wal and -shm files the mode of the store) */
        int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
        }
    }
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
        jf_err_set(err, JF_E_INTERNAL, "db", "open db '%s' failed: %s", path,
                   db->h ? sqlite3_errmsg(db->h) : "out of memory");
        jf_db_close(&db->head);
        return JF_ERR;
    }
    sqlite3_extended_result_codes(db->h, 1);
    db->wal = !mem;
    /* 1 GiB of page cache (allocated as used): a settlement touches every member's accounts
     * and lots once, and a miss costs a read */
    const char *pragmas = mem ? "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                              : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
                                "PRAGMA cache_size = -1048576;";
    if (jf_db_exec(&db->head, pragmas, err) != JF_OK || migrate(&db->head, err) != JF_OK) {
        jf_db_close(&db->head);
        return JF_ERR;
    }
    *out = &db->head;
    return JF_OK;
}

int jf_sqlite_open_reader(const char *path, struct jf_db **out, struct jf_err *err)
{
    if (strcmp(path, ":memory:") == 0 || path[0] == '\0') {
        return jf_err_set(err, JF_E_INTERNAL, "db", "an in-memory store has no second reader");
    }
    struct sq_db *db = sq_new();
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK ||
        jf_db_exec(&db->head, "PRAGMA busy_timeout = 10000; PRAGMA cache_size = -262144;",
                   err) != JF_OK) {
        jf_err_set(err, JF_E_INTERNAL, "db", "open reader '%s' failed: %s", path,
                   db->h ? sqlite3_errmsg(db->h) : "out of memory");
        jf_db_close(&db->head);
        return JF_ERR;
    }
    sqlite3_extended_result_codes(db->h, 1);
    *out = &db->head;
    return JF_OK;
}

static void sq_close(struct jf_db *jdb)
{
    struct sq_db *db = SQ(jdb);
    for (int i = 0; i < db->n_cache; i++) {
        sqlite3_finalize(db->cache[i].st.s);
    }
    sqlite3_close(db->h);
    free(db);
}

static struct jf_stmt *sq_prep(struct jf_db *jdb, const char *sql)
{
    struct sq_db *db = SQ(jdb);
    size_t h = jf_sql_hash(sql);
    while (db->slot[h] != 0) {
        struct cache_entry *e = &db->cache[db->slot[h] - 1];
        if (e->sql == sql) {
            sqlite3_reset(e->st.s);
            sqlite3_clear_bindings(e->st.s);
            return &e->st.head;
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
    e->st.head.db = jdb;
    db->n_cache++;
    return &e->st.head;
}

static void sq_bind_i64(struct jf_stmt *st, int idx, int64_t v)
{
    JF_ASSERT(sqlite3_bind_int64(S(st), idx, v) == SQLITE_OK);
}

static void sq_bind_text(struct jf_stmt *st, int idx, const char *s)
{
    JF_ASSERT(sqlite3_bind_text(S(st), idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK);
}

static void sq_bind_null(struct jf_stmt *st, int idx)
{
    JF_ASSERT(sqlite3_bind_null(S(st), idx) == SQLITE_OK);
}

static int sq_step(struct jf_stmt *st, struct jf_err *err)
{
    if (SQ(st->db)->lost) {
        return lost_fail(st->db, err);
    }
    int rc = sqlite3_step(S(st));
    if (rc == SQLITE_ROW) {
        return 1;
    }
    if (rc == SQLITE_DONE) {
        sqlite3_reset(S(st));
        return 0;
    }
    db_fail(st->db, err, "query");
    sqlite3_reset(S(st));
    note_loss(st->db);
    return JF_ERR;
}

static int sq_run(struct jf_stmt *st, struct jf_err *err)
{
    int rc = sq_step(st, err);
    if (rc == 1) {
        sqlite3_reset(S(st));
        return JF_OK;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static int64_t sq_col_i64(struct jf_stmt *st, int col)
{
    return sqlite3_column_int64(S(st), col);
}

static bool sq_col_null(struct jf_stmt *st, int col)
{
    return sqlite3_column_type(S(st), col) == SQLITE_NULL;
}

static const char *sq_col_text(struct jf_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(S(st), col);
    return t ? (const char *)t : "";
}

static int64_t sq_changes(struct jf_db *db)
{
    return sqlite3_changes64(SQ(db)->h);
}

/* The frames of the first depths as literals (what db_frame_sql writes for them), prepared once
 * and cached like every statement: a command's savepoint then costs a step, not a parse. */
#define FRAMES_CACHED 8
static const char *const frame_begin[FRAMES_CACHED] = {
    "BEGIN IMMEDIATE", "SAVEPOINT s1", "SAVEPOINT s2", "SAVEPOINT s3",
    "SAVEPOINT s4",    "SAVEPOINT s5", "SAVEPOINT s6", "SAVEPOINT s7"};
static const char *const frame_commit[FRAMES_CACHED] = {
    "COMMIT",     "RELEASE s1", "RELEASE s2", "RELEASE s3",
    "RELEASE s4", "RELEASE s5", "RELEASE s6", "RELEASE s7"};

/* Runs the frame statement `cached` (a literal of the tables above) or, deeper, `sql`. */
static int frame_run(struct jf_db *db, const char *cached, const char *sql, struct jf_err *err)
{
    return cached != NULL ? sq_run(sq_prep(db, cached), err) : sq_exec(db, sql, err);
}

static int sq_begin(struct jf_db *db, struct jf_err *err)
{
    char sql[32];
    db_frame_sql(db, DB_FRAME_BEGIN, "BEGIN IMMEDIATE", sql, sizeof sql);
    const char *cached = db->depth < FRAMES_CACHED ? frame_begin[db->depth] : NULL;
    JF_ASSERT(cached == NULL || strcmp(cached, sql) == 0);
    if (frame_run(db, cached, sql, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

static int sq_begin_read(struct jf_db *db, struct jf_err *err)
{
    JF_ASSERT(db->depth == 0);
    struct jf_stmt *st = sq_prep(db, "BEGIN DEFERRED");
    if (sq_run(st, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

/* After a commit that failed on an I/O error (see the top): rewrites the store's header page
 * as it is (its user_version, unchanged) in a transaction of its own, whose frames go where the
 * failed commit's began, so that recovery never gets past them. When this fails too, the store
 * is failing; the error is reported and the caller's failure stands. */
static void seal_log(struct sq_db *db)
{
    for (int i = 0; i < db->n_cache; i++) {
        sqlite3_reset(db->cache[i].st.s);
    }
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        version = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    char sql[96];
    snprintf(sql, sizeof sql, "BEGIN IMMEDIATE; PRAGMA user_version = %d; COMMIT", version);
    char *msg = NULL;
    if (version < 0 || sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "jifen: sealing the log after a failed commit failed: %s\n",
                msg != NULL ? msg : sqlite3_errmsg(db->h));
        if (!sqlite3_get_autocommit(db->h)) {
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    sqlite3_free(msg);
}

static int sq_commit(struct jf_db *jdb, struct jf_err *err)
{
    struct sq_db *db = SQ(jdb);
    JF_ASSERT(jdb->depth > 0);
    char sql[32];
    db_frame_sql(jdb, DB_FRAME_COMMIT, NULL, sql, sizeof sql);
    const char *cached = jdb->depth <= FRAMES_CACHED ? frame_commit[jdb->depth - 1] : NULL;
    JF_ASSERT(cached == NULL || strcmp(cached, sql) == 0);
    if (frame_run(jdb, cached, sql, err) != JF_OK) {
        int code = sqlite3_extended_errcode(db->h) & 0xff;
        bool io = code == SQLITE_IOERR || code == SQLITE_FULL;
        if (jdb->depth == 1 && db->wal && db->lost && io) {
            seal_log(db);
        }
        return JF_ERR;
    }
    jdb->depth--;
    return JF_OK;
}

static void sq_rollback(struct jf_db *jdb)
{
    struct sq_db *db = SQ(jdb);
    JF_ASSERT(jdb->depth > 0);
    char sql[64];
    db_frame_sql(jdb, DB_FRAME_ROLLBACK, NULL, sql, sizeof sql);
    for (int i = 0; i < db->n_cache; i++) {
        sqlite3_reset(db->cache[i].st.s);
    }
    struct jf_err ignored;
    if (db->lost) {
        /* SQLite rolled the whole transaction back already: nothing is pending at any depth */
    } else if (sq_exec(jdb, sql, &ignored) != JF_OK && jdb->depth == 1) {
        fprintf(stderr, "jifen: rollback: %s\n", ignored.msg);
    }
    jdb->depth--;
    if (jdb->depth == 0) {
        db->lost = false;
    }
}

static const struct db_ops sq_ops = {
    .close = sq_close,
    .exec = sq_exec,
    .prep = sq_prep,
    .bind_i64 = sq_bind_i64,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .run = sq_run,
    .col_i64 = sq_col_i64,
    .col_null = sq_col_null,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
};
