/*
 * pg_cols.h — rows collected column by column and sent to PostgreSQL as one array parameter per
 * column, for statements that unnest them: a settlement writes a chunk of many thousands of rows
 * in one round trip and one statement instead of one statement a row. Integer columns go as
 * binary bigint[] (no text to parse on either side), text columns as array literals.
 *
 * Usage: pg_cols_init(&c, 3); pg_cols_row(&c, (int64_t[]){id, remaining, daily}) per row (or
 * one put per column and pg_cols_end_row); when pg_cols_full(&c) or at the end,
 * st = pg_cols_prep(db, SQL, &c), bind the other parameters, pg_cols_run(st, &c, err) (which
 * clears the rows); pg_cols_free(&c) at the end.
 */
#ifndef JF_PG_COLS_H
#define JF_PG_COLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PG_COLS_MAX 8
/* rows per statement: enough that the server joins a chunk with a table by one ordered scan
 * instead of a lookup a row, few enough to bound the memory of a statement */
#define PG_COLS_CHUNK 250000

struct pg_cols {
    int ncols;
    size_t rows;
    int64_t first, last; /* column 0 of the chunk's first and last rows (a key range) */
    struct {
        bool is_text;
        int64_t *v; /* integer column */
        char *text; /* text column: the array literal so far */
        size_t len, cap;
    } col[PG_COLS_MAX];
};

void pg_cols_init(struct pg_cols *c, int ncols);
/* A row of integers, one per column. */
void pg_cols_row(struct pg_cols *c, const int64_t *values);
/* A row of mixed columns: one put per column, then pg_cols_end_row. A column holds one kind. */
void pg_cols_put_i64(struct pg_cols *c, int k, int64_t v);
void pg_cols_put_text(struct pg_cols *c, int k, const char *s);
void pg_cols_end_row(struct pg_cols *c);
bool pg_cols_full(const struct pg_cols *c);
void pg_cols_clear(struct pg_cols *c);
void pg_cols_free(struct pg_cols *c);

struct jf_db;
struct jf_stmt;
struct jf_err;
/* The cached statement `sql` with the columns bound as its parameters 1..ncols; the caller
 * binds any further parameters and calls pg_cols_run. */
struct jf_stmt *pg_cols_prep(struct jf_db *db, const char *sql, struct pg_cols *c);
/* Runs st (from pg_cols_prep) and clears the rows. */
int pg_cols_run(struct jf_stmt *st, struct pg_cols *c, struct jf_err *err);

#endif
