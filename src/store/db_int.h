/*
 * db_int.h — what the drivers of db.h share: the head of a connection and of a statement, and
 * the table of a driver's operations that db.c dispatches to.
 */
#ifndef JF_DB_INT_H
#define JF_DB_INT_H

#include <stddef.h>

#include "db.h"

struct db_ops {
    void (*close)(struct jf_db *db);
    int (*exec)(struct jf_db *db, const char *sql, struct jf_err *err);
    struct jf_stmt *(*prep)(struct jf_db *db, const char *sql);
    /* NULL when streaming is what prep gives already (SQLite steps row by row) */
    struct jf_stmt *(*prep_stream)(struct jf_db *db, const char *sql);
    /* NULL when the driver has no bulk copy (the store uses statements there) */
    int (*copy_in_i64)(struct jf_db *db, const char *target, const int64_t *rows, int ncols,
                       size_t nrows, struct jf_err *err);
    void (*bind_i64)(struct jf_stmt *st, int idx, int64_t v);
    void (*bind_text)(struct jf_stmt *st, int idx, const char *s); /* s is not NULL */
    void (*bind_null)(struct jf_stmt *st, int idx);
    /* NULL when the driver has no array parameters */
    void (*bind_i64_array)(struct jf_stmt *st, int idx, const int64_t *v, size_t n);
    int (*step)(struct jf_stmt *st, struct jf_err *err);
    int (*run)(struct jf_stmt *st, struct jf_err *err);
    int64_t (*col_i64)(struct jf_stmt *st, int col);
    bool (*col_null)(struct jf_stmt *st, int col);
    const char *(*col_text)(struct jf_stmt *st, int col);
    int64_t (*changes)(struct jf_db *db);
    int (*begin)(struct jf_db *db, struct jf_err *err);
    int (*begin_read)(struct jf_db *db, struct jf_err *err);
    int (*commit)(struct jf_db *db, struct jf_err *err);
    void (*rollback)(struct jf_db *db);
};

/* The first member of each driver's connection. */
struct jf_db {
    const struct db_ops *ops;
    enum jf_db_kind kind;
    int depth;    /* open transaction levels: 0 none, 1 a transaction, more: savepoints */
    uint64_t txn; /* the outermost transactions opened so far */
    /* the memo of jf_db_day_memo_* (db.h): valid inside transaction `txn` (0: none) */
    struct {
        uint64_t txn;
        int32_t last_settled, genesis;
    } day_state;
    /* the owners noted by jf_db_owner_note since the last jf_db_owners_take, by list (db.h) */
    struct {
        uint8_t *seen; /* by owner */
        int64_t seen_len;
        int64_t *v;
        size_t n, cap;
    } noted[JF_NOTE_LISTS];
};

/* The SQL that opens (begin), closes (commit) or undoes (rollback) the frame at the connection's
 * depth: the transaction itself (`outer` opens it) or savepoint s<level> inside it. */
enum db_frame { DB_FRAME_BEGIN, DB_FRAME_COMMIT, DB_FRAME_ROLLBACK };
void db_frame_sql(const struct jf_db *db, enum db_frame f, const char *outer, char *buf,
                  size_t n);

/* The first member of each driver's statement. */
struct jf_stmt {
    struct jf_db *db;
};

/* Gives SQLite its allocator (sq_alloc.c); before SQLite is initialised, once per process. */
void sq_alloc_install(void);

int jf_sqlite_open(const char *path, struct jf_db **out, struct jf_err *err);
int jf_sqlite_open_reader(const char *path, struct jf_db **out, struct jf_err *err);
int jf_pg_open(const char *url, struct jf_db **out, struct jf_err *err);
int jf_pg_open_reader(const char *url, struct jf_db **out, struct jf_err *err);

/* The statement cache of both drivers: open addressing by the address of the SQL literal. */
#define STMT_CACHE_MAX 512 /* distinct SQL texts in the store: well under this */
#define STMT_HASH_SIZE 1024 /* twice the cache */

static inline size_t jf_sql_hash(const char *sql)
{
    uintptr_t x = (uintptr_t)sql;
    x ^= x >> 17;
    x *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 20) & (STMT_HASH_SIZE - 1);
}

#endif
