/*
 * pg_cols.c — rows as PostgreSQL array parameters, a column at a time (pg_cols.h).
 */
#include "pg_cols.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jf_assert.h"

void pg_cols_init(struct pg_cols *c, int ncols)
{
    JF_ASSERT(ncols >= 1 && ncols <= PG_COLS_MAX);
    memset(c, 0, sizeof *c);
    c->ncols = ncols;
}

static void text_append(struct pg_cols *c, int k, const char *s, size_t n)
{
    if (c->col[k].len + n + 2 > c->col[k].cap) {
        size_t cap = c->col[k].cap ? c->col[k].cap * 2 : 4096;
        while (cap < c->col[k].len + n + 2) {
            cap *= 2;
        }
        c->col[k].text = jf_xrealloc(c->col[k].text, cap);
        c->col[k].cap = cap;
    }
    memcpy(c->col[k].text + c->col[k].len, s, n);
    c->col[k].len += n;
    c->col[k].text[c->col[k].len] = '\0';
}

void pg_cols_put_i64(struct pg_cols *c, int k, int64_t v)
{
    JF_ASSERT(k >= 0 && k < c->ncols && !c->col[k].is_text);
    if (k == 0) {
        c->first = c->rows ? c->first : v;
        c->last = v;
    }
    if (c->rows == c->col[k].cap) {
        c->col[k].cap = c->col[k].cap ? c->col[k].cap * 2 : 1024;
        c->col[k].v = jf_xrealloc(c->col[k].v, sizeof *c->col[k].v * c->col[k].cap);
    }
    c->col[k].v[c->rows] = v;
}

void pg_cols_put_text(struct pg_cols *c, int k, const char *s)
{
    JF_ASSERT(k >= 0 && k < c->ncols && k > 0 && (c->rows == 0 || c->col[k].is_text));
    c->col[k].is_text = true;
    /* a quoted element: only the quote and the backslash need escaping */
    text_append(c, k, c->rows ? ",\"" : "{\"", 2);
    for (const char *p = s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            text_append(c, k, "\\", 1);
        }
        text_append(c, k, p, 1);
    }
    text_append(c, k, "\"", 1);
}

void pg_cols_end_row(struct pg_cols *c)
{
    c->rows++;
}

void pg_cols_row(struct pg_cols *c, const int64_t *values)
{
    for (int k = 0; k < c->ncols; k++) {
        pg_cols_put_i64(c, k, values[k]);
    }
    pg_cols_end_row(c);
}

bool pg_cols_full(const struct pg_cols *c)
{
    return c->rows >= PG_COLS_CHUNK;
}

void pg_cols_clear(struct pg_cols *c)
{
    for (int k = 0; k < c->ncols; k++) {
        c->col[k].len = 0;
    }
    c->rows = 0;
}

void pg_cols_free(struct pg_cols *c)
{
    for (int k = 0; k < c->ncols; k++) {
        free(c->col[k].v);
        free(c->col[k].text);
    }
    memset(c, 0, sizeof *c);
}

struct jf_stmt *pg_cols_prep(struct jf_db *db, const char *sql, struct pg_cols *c)
{
    struct jf_stmt *st = jf_db_prep(db, sql);
    for (int k = 0; k < c->ncols; k++) {
        if (!c->col[k].is_text) {
            jf_stmt_i64_array(st, k + 1, c->col[k].v, c->rows);
        } else if (c->rows == 0) {
            jf_stmt_text(st, k + 1, "{}");
        } else {
            text_append(c, k, "}", 1);
            c->col[k].len--; /* the brace stays outside the length */
            jf_stmt_text(st, k + 1, c->col[k].text);
        }
    }
    return st;
}

int pg_cols_run(struct jf_stmt *st, struct pg_cols *c, struct jf_err *err)
{
    int rc = c->rows ? jf_stmt_run(st, err) : JF_OK;
    pg_cols_clear(c);
    return rc;
}
