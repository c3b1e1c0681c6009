/*
 * db.h — the thin driver under the store: connections, cached statements, nested transactions.
 *
 * The store's queries are written once in SQL that both SQLite and PostgreSQL accept (numbered
 * parameters ?1, ?2 ...); a driver runs them. Statements are cached per connection by the
 * address of their SQL text, so callers pass string literals (static storage) only.
 *
 * Transactions nest: the outermost jf_db_begin opens a write transaction, inner ones are
 * savepoints, so a group of commands can share one commit while each can still roll back alone.
 * Ownership: jf_db_open returns a connection the caller closes with jf_db_close; statements
 * belong to the connection.
 */
#ifndef JF_DB_H
#define JF_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct jf_db;
struct jf_stmt;

enum jf_db_kind { JF_DB_SQLITE, JF_DB_POSTGRES };

/* Whether `path` names a PostgreSQL store (postgres://... or postgresql://...). */
bool jf_db_is_pg_url(const char *path);

/* Opens `path` (":memory:" for a private in-memory store) and migrates it to the latest
 * schema. A new file store uses WAL and synchronous=FULL. A postgres:// or postgresql:// URL
 * opens a PostgreSQL store instead; its writer connection holds the database's writer lock
 * (docs/architecture.md), so a second writer of the same database waits up to 10 s and then
 * fails. */
int jf_db_open(const char *path, struct jf_db **out, struct jf_err *err);
void jf_db_close(struct jf_db *db);
enum jf_db_kind jf_db_kind(const struct jf_db *db);

/* Opens a second, read-only connection to the file store `path` (for loading in parallel with
 * the writer: it sees the last committed state). Fails for in-memory stores. */
int jf_db_open_reader(const char *path, struct jf_db **out, struct jf_err *err);

/* Runs SQL without results (several statements allowed). */
int jf_db_exec(struct jf_db *db, const char *sql, struct jf_err *err);

/* The cached prepared statement for the literal `sql`, reset and unbound. A statement that does
 * not prepare is a programmer error and aborts. */
struct jf_stmt *jf_db_prep(struct jf_db *db, const char *sql);

/* A statement that reads many rows in one pass (a settlement's loaders): like jf_db_prep, but
 * on PostgreSQL its rows stream to the client in binary (COPY ... TO STDOUT) instead of
 * arriving as one result held whole in memory, as text. What the caller keeps to: integer
 * parameters only (they are written into the SQL as literals when it runs), integer columns
 * (bigint, integer, boolean) or NULLs, and no other statement on the connection until its rows
 * are all read or it is reset (a reset reads the rest). On SQLite it is jf_db_prep. */
struct jf_stmt *jf_db_prep_stream(struct jf_db *db, const char *sql);

/* PostgreSQL only: appends nrows rows of ncols integers (row-major in `rows`) to `target`, a
 * table with its column list ("releases (day, member)"), by one COPY ... FROM STDIN in binary.
 * Aborts on a store without bulk copy. */
int jf_db_copy_in_i64(struct jf_db *db, const char *target, const int64_t *rows, int ncols,
                      size_t nrows, struct jf_err *err);

void jf_stmt_i64(struct jf_stmt *st, int idx, int64_t v);
void jf_stmt_text(struct jf_stmt *st, int idx, const char *s); /* NULL binds NULL */
void jf_stmt_null(struct jf_stmt *st, int idx);
/* PostgreSQL only: binds v[0..n) as one bigint[] parameter (sent in binary), for statements
 * that unnest whole columns. Aborts on a store without array parameters. */
void jf_stmt_i64_array(struct jf_stmt *st, int idx, const int64_t *v, size_t n);
/* Binds v, or NULL when has is false. */
void jf_stmt_opt_i64(struct jf_stmt *st, int idx, bool has, int64_t v);

/* Steps: 1 a row is ready, 0 done, JF_ERR failed (err filled; code CONFLICT on a uniqueness
 * violation, INTERNAL otherwise). */
int jf_stmt_step(struct jf_stmt *st, struct jf_err *err);
/* Steps a statement that must finish without rows. */
int jf_stmt_run(struct jf_stmt *st, struct jf_err *err);

int64_t jf_col_i64(struct jf_stmt *st, int col);
bool jf_col_null(struct jf_stmt *st, int col);
/* Valid until the next step or reset of st. Never NULL ("" for NULL). */
const char *jf_col_text(struct jf_stmt *st, int col);

/* Rows changed by the last statement. */
int64_t jf_db_changes(struct jf_db *db);

int jf_db_begin(struct jf_db *db, struct jf_err *err);
/* Opens a read transaction (one snapshot for the statements until commit or rollback; it takes
 * no write lock). Not nested: the connection must have no transaction open. */
int jf_db_begin_read(struct jf_db *db, struct jf_err *err);
int jf_db_commit(struct jf_db *db, struct jf_err *err);
void jf_db_rollback(struct jf_db *db);
int jf_db_depth(const struct jf_db *db);

/* The memo of the store's day state (the last settled day and the first event's day), which
 * every event reads: kept for the open transaction, which no other connection can change before
 * it ends (a store has one writer connection; a read transaction reads one snapshot). The store
 * sets it after reading the state inside a transaction and forgets it when it writes the state;
 * every rollback forgets it too. get answers whether it holds. */
bool jf_db_day_memo_get(const struct jf_db *db, int32_t *last_settled, int32_t *genesis);
void jf_db_day_memo_set(struct jf_db *db, int32_t last_settled, int32_t genesis);
void jf_db_day_memo_forget(struct jf_db *db);

/* The members whose state of a kind this connection wrote, a list per kind: the store notes
 * each (once) as it writes, rolled back or not, and take hands over the list (in no order; the
 * caller frees it) and starts a new one. Owners <= 0 (the platform's) are not noted. */
enum jf_note_list {
    JF_NOTE_CONTRIBUTION, /* a contribution balance */
    JF_NOTE_GROWTH,       /* a growth balance, or growth_spent or growth_sold */
    JF_NOTE_LISTS
};
void jf_db_owner_note(struct jf_db *db, enum jf_note_list list, int64_t owner);
int64_t *jf_db_owners_take(struct jf_db *db, enum jf_note_list list, size_t *n);
bool jf_db_owner_noted(const struct jf_db *db, enum jf_note_list list, int64_t owner);

#endif
