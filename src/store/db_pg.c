/*
 * db_pg.c — the PostgreSQL driver of db.h (libpq): migrations, the writer lock, statements
 * prepared once per connection, savepoints.
 *
 * Statements: the store's `?N` parameters become `$N` once, when a statement is first prepared
 * on a connection (PQprepare, named after its slot in the cache, which is keyed by the address
 * of the SQL literal as in the SQLite driver). PostgreSQL infers each parameter's type from its
 * use; one it infers as a 16- or 32-bit integer (from a comparison with a literal, say) is
 * widened to bigint by preparing again with the types given, since every integer of the store
 * is an int64. Parameters travel as text and columns are read as text (PQgetvalue, then
 * strtoll for integers; a boolean reads as 1 or 0).
 *
 * Steps: the first step of a statement executes it and keeps its whole result; the next steps
 * hand out the rows one by one, and the step after the last row clears it (as a reset does).
 *
 * Transactions: the outermost jf_db_begin is a READ COMMITTED transaction and inner ones are
 * savepoints. A failed statement aborts the transaction in PostgreSQL; every service command
 * runs in its own savepoint, and rolling that back makes the transaction usable again, as in
 * SQLite. Consistency under concurrent writers comes from there being one writer: the writer
 * connection holds a session-level advisory lock (docs/architecture.md).
 */
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_int.h"
#include "jf_assert.h"

/* The key of the advisory lock a writer connection holds for its session ("jifen"). Advisory
 * locks belong to one database, so each database has its own writer. */
#define PG_WRITER_LOCK 0x6a6966656eLL
#define PG_LOCK_WAIT_MS 10000 /* a second writer waits this long, like SQLite's busy_timeout */

#define OID_INT2 21
#define OID_INT4 23
#define OID_INT8 20

/* Generated from src/store/migrations/postgres/NNN_*.sql, in order. */
#define MIGRATION_DECL(n) extern const char jf_pg_migration_##n[];
MIGRATION_DECL(1)
MIGRATION_DECL(2)
MIGRATION_DECL(3)
MIGRATION_DECL(4)
MIGRATION_DECL(5)
MIGRATION_DECL(6)
static const char *const migrations[] = {jf_pg_migration_1, jf_pg_migration_2,
                                         jf_pg_migration_3, jf_pg_migration_4,
                                         jf_pg_migration_5, jf_pg_migration_6};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))
_Static_assert(N_MIGRATIONS == JF_PG_MIGRATIONS, "list every migration file here");

struct pg_stmt {
    struct jf_stmt head;
    int index;    /* the statement's name is "j<index>" */
    int nparams;
    char **vals;  /* each parameter's text; NULL: SQL NULL */
    char **owned; /* the copies of text parameters (freed at reset) */
    char (*num)[24]; /* the text of integer parameters */
    int *formats;    /* per parameter: 0 text, 1 binary (arrays) */
    int *lengths;    /* the length of binary parameters */
    PGresult *res; /* the result of the execution being stepped; NULL before the first step */
    int row;       /* the current row of res */
    int nrows;
    /* a streamed statement (jf_db_prep_stream): its rows come by COPY ... TO STDOUT (binary) */
    bool stream;
    char *text;       /* its SQL with $N, whose parameters are inlined when it runs */
    bool copying;     /* the COPY is running: the connection is busy with it */
    bool header_read; /* the binary header (before the first row) was read */
    char *msg;        /* the current row as libpq gave it (NUL-terminated), or NULL */
    int nfields;
    int fcap;
    const char **field; /* each field of the current row, NUL-terminated in msg */
    int32_t *flen;      /* its length in bytes, -1 for NULL */
};

struct pg_cache_entry {
    const char *sql;
    struct pg_stmt st;
};

/* The databases whose writer lock this process holds, with the number of writer connections
 * open to each: the other connections of the process (a checkpoint or sender thread's) share
 * the lock of the first instead of waiting for it. The first connection holds the lock for its
 * session, so it is closed last. */
struct held_lock {
    char *url;
    int n;
    struct held_lock *next;
};
static pthread_mutex_t held_mu = PTHREAD_MUTEX_INITIALIZER;
static struct held_lock *held;

struct pg_db {
    struct jf_db head;
    PGconn *c;
    struct held_lock *lock; /* NULL: a reader */
    int64_t changes;
    int n_cache;
    struct pg_cache_entry cache[STMT_CACHE_MAX];
    int16_t slot[STMT_HASH_SIZE]; /* index into cache + 1; 0: empty */
};

static const struct db_ops pg_ops;

static struct pg_db *PG(struct jf_db *db)
{
    return (struct pg_db *)db;
}

static struct pg_stmt *ST(struct jf_stmt *st)
{
    return (struct pg_stmt *)st;
}

/* The error of a failed result: a uniqueness violation is a conflict, as in SQLite. */
static int res_fail(PGconn *c, PGresult *r, struct jf_err *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    enum jf_code code = JF_E_INTERNAL;
    if (state != NULL && strcmp(state, "23505") == 0) {
        code = JF_E_CONFLICT;
    }
    const char *msg = r ? PQresultErrorMessage(r) : "";
    if (msg == NULL || msg[0] == '\0') {
        msg = PQerrorMessage(c);
    }
    int len = (int)strlen(msg);
    while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' ')) {
        len--;
    }
    return jf_err_set(err, code, NULL, "%s failed: %.*s", what, len, msg);
}

static bool res_ok(PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

static int pg_exec(struct jf_db *db, const char *sql, struct jf_err *err)
{
    PGresult *r = PQexec(PG(db)->c, sql);
    int rc = JF_OK;
    if (!res_ok(r)) {
        rc = res_fail(PG(db)->c, r, err, "sql");
    }
    PQclear(r);
    return rc;
}

/* The value of the first column of the first row of a query as an integer (-1: no row). */
static int query_i64(struct jf_db *db, const char *sql, int64_t *out, struct jf_err *err)
{
    PGresult *r = PQexec(PG(db)->c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        int rc = res_fail(PG(db)->c, r, err, "query");
        PQclear(r);
        return rc;
    }
    *out = -1;
    if (PQntuples(r) > 0) {
        const char *v = PQgetvalue(r, 0, 0);
        *out = v[0] == 't' ? 1 : v[0] == 'f' ? 0 : strtoll(v, NULL, 10);
    }
    PQclear(r);
    return JF_OK;
}

/* The schema version is kept in the one row of jifen_schema. */
static int migrate(struct jf_db *db, struct jf_err *err)
{
    if (pg_exec(db,
                "CREATE TABLE IF NOT EXISTS jifen_schema ("
                "    one     BIGINT PRIMARY KEY CHECK (one = 1),"
                "    version BIGINT NOT NULL);"
                "INSERT INTO jifen_schema(one, version) VALUES (1, 0) ON CONFLICT DO NOTHING;",
                err) != JF_OK) {
        return JF_ERR;
    }
    int64_t have;
    if (query_i64(db, "SELECT version FROM jifen_schema", &have, err) != JF_OK) {
        return JF_ERR;
    }
    if (have > N_MIGRATIONS) {
        return jf_err_set(err, JF_E_INTERNAL, NULL,
                          "store schema version %lld is newer than this jifen (%d)",
                          (long long)have, N_MIGRATIONS);
    }
    for (int v = (int)have; v < N_MIGRATIONS; v++) {
        char sql[64];
        snprintf(sql, sizeof sql, "UPDATE jifen_schema SET version = %d", v + 1);
        if (jf_db_begin(db, err) != JF_OK) {
            return JF_ERR;
        }
        if (pg_exec(db, migrations[v], err) != JF_OK || pg_exec(db, sql, err) != JF_OK ||
            jf_db_commit(db, err) != JF_OK) {
            jf_db_rollback(db);
            jf_err_prefix_field(err, "migration");
            return JF_ERR;
        }
    }
    return JF_OK;
}

static void notice_ignore(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_connect(const char *url, struct pg_db **out, struct jf_err *err)
{
    struct pg_db *db = jf_xcalloc(1, sizeof *db);
    db->head.ops = &pg_ops;
    db->head.kind = JF_DB_POSTGRES;
    db->c = PQconnectdb(url);
    if (db->c == NULL || PQstatus(db->c) != CONNECTION_OK) {
        const char *msg = db->c ? PQerrorMessage(db->c) : "out of memory";
        int len = (int)strlen(msg);
        while (len > 0 && msg[len - 1] == '\n') {
            len--;
        }
        jf_err_set(err, JF_E_INTERNAL, "db", "connect to PostgreSQL failed: %.*s", len, msg);
        pg_ops.close(&db->head);
        return JF_ERR;
    }
    PQsetNoticeProcessor(db->c, notice_ignore, NULL);
    if (pg_exec(&db->head, "SET client_min_messages = warning; SET TIME ZONE 'UTC'", err) !=
        JF_OK) {
        pg_ops.close(&db->head);
        return JF_ERR;
    }
    *out = db;
    return JF_OK;
}

/* Takes the writer lock of the database, waiting up to PG_LOCK_WAIT_MS for another writer. */
static int writer_lock(struct jf_db *db, struct jf_err *err)
{
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%lld)", (long long)PG_WRITER_LOCK);
    for (int waited = 0;; waited += 100) {
        int64_t got;
        if (query_i64(db, sql, &got, err) != JF_OK) {
            return JF_ERR;
        }
        if (got == 1) {
            return JF_OK;
        }
        if (waited >= PG_LOCK_WAIT_MS) {
            return jf_err_set(err, JF_E_INTERNAL, "db",
                              "another jifen writes to this PostgreSQL database (its writer "
                              "lock is held)");
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

int jf_pg_open(const char *url, struct jf_db **out, struct jf_err *err)
{
    struct pg_db *db;
    if (pg_connect(url, &db, err) != JF_OK) {
        return JF_ERR;
    }
    pthread_mutex_lock(&held_mu);
    struct held_lock *h = held;
    while (h != NULL && strcmp(h->url, url) != 0) {
        h = h->next;
    }
    if (h == NULL) {
        if (writer_lock(&db->head, err) != JF_OK || migrate(&db->head, err) != JF_OK) {
            pthread_mutex_unlock(&held_mu);
            pg_ops.close(&db->head);
            return JF_ERR;
        }
        h = jf_xcalloc(1, sizeof *h);
        h->url = jf_xstrdup(url);
        h->next = held;
        held = h;
    }
    h->n++;
    db->lock = h;
    pthread_mutex_unlock(&held_mu);
    *out = &db->head;
    return JF_OK;
}

int jf_pg_open_reader(const char *url, struct jf_db **out, struct jf_err *err)
{
    struct pg_db *db;
    if (pg_connect(url, &db, err) != JF_OK) {
        return JF_ERR;
    }
    if (pg_exec(&db->head, "SET default_transaction_read_only = on", err) != JF_OK) {
        pg_ops.close(&db->head);
        return JF_ERR;
    }
    *out = &db->head;
    return JF_OK;
}

static void stream_end(struct pg_stmt *s);

static void stmt_reset(struct pg_stmt *s)
{
    if (s->stream) {
        stream_end(s);
    }
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
    s->nrows = 0;
}

static void stmt_clear_bindings(struct pg_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->owned[i]);
        s->owned[i] = NULL;
        s->vals[i] = NULL;
        s->formats[i] = 0;
    }
}

static void pg_close(struct jf_db *jdb)
{
    struct pg_db *db = PG(jdb);
    for (int i = 0; i < db->n_cache; i++) {
        struct pg_stmt *s = &db->cache[i].st;
        stmt_reset(s);
        stmt_clear_bindings(s);
        free(s->formats);
        free(s->lengths);
        free(s->vals);
        free(s->owned);
        free(s->num);
        free(s->text);
        free(s->field);
        free(s->flen);
    }
    if (db->c != NULL) {
        PQfinish(db->c);
    }
    if (db->lock != NULL) {
        pthread_mutex_lock(&held_mu);
        if (--db->lock->n == 0) {
            struct held_lock **p = &held;
            while (*p != db->lock) {
                p = &(*p)->next;
            }
            *p = db->lock->next;
            free(db->lock->url);
            free(db->lock);
        }
        pthread_mutex_unlock(&held_mu);
    }
    free(db);
}

/* `sql` with ?N made $N (outside string literals and quoted names). */
static char *translate(const char *sql)
{
    size_t n = strlen(sql);
    char *out = jf_xmalloc(n + 1);
    char quote = 0;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = sql[i];
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?' && isdigit((unsigned char)sql[i + 1])) {
            c = '$';
        }
        out[j++] = c;
    }
    out[j] = '\0';
    return out;
}

static PGresult *prepare_or_die(PGconn *c, const char *name, const char *text, int n,
                                const Oid *types)
{
    PGresult *r = PQprepare(c, name, text, n, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        fprintf(stderr, "jifen: prepare failed: %s  in: %s\n", PQresultErrorMessage(r), text);
        abort();
    }
    return r;
}

static void prepare(struct pg_db *db, struct pg_stmt *s, const char *sql)
{
    char name[16];
    snprintf(name, sizeof name, "j%d", s->index);
    char *text = translate(sql);
    PQclear(prepare_or_die(db->c, name, text, 0, NULL));
    PGresult *d = PQdescribePrepared(db->c, name);
    JF_ASSERT(PQresultStatus(d) == PGRES_COMMAND_OK);
    int np = PQnparams(d);
    Oid *types = jf_xcalloc((size_t)np + 1, sizeof *types);
    bool widen = false;
    for (int i = 0; i < np; i++) {
        types[i] = PQparamtype(d, i);
        if (types[i] == OID_INT2 || types[i] == OID_INT4) {
            types[i] = OID_INT8;
            widen = true;
        }
    }
    PQclear(d);
    if (widen) {
        char dealloc[32];
        snprintf(dealloc, sizeof dealloc, "DEALLOCATE %s", name);
        PGresult *r = PQexec(db->c, dealloc);
        JF_ASSERT(PQresultStatus(r) == PGRES_COMMAND_OK);
        PQclear(r);
        PQclear(prepare_or_die(db->c, name, text, np, types));
    }
    free(types);
    free(text);
    s->nparams = np;
    s->vals = jf_xcalloc((size_t)np + 1, sizeof *s->vals);
    s->owned = jf_xcalloc((size_t)np + 1, sizeof *s->owned);
    s->num = jf_xcalloc((size_t)np + 1, sizeof *s->num);
    s->formats = jf_xcalloc((size_t)np + 1, sizeof *s->formats);
    s->lengths = jf_xcalloc((size_t)np + 1, sizeof *s->lengths);
    s->row = -1;
}

static struct jf_stmt *pg_prep(struct jf_db *jdb, const char *sql)
{
    struct pg_db *db = PG(jdb);
    size_t h = jf_sql_hash(sql);
    while (db->slot[h] != 0) {
        struct pg_cache_entry *e = &db->cache[db->slot[h] - 1];
        if (e->sql == sql) {
            stmt_reset(&e->st);
            stmt_clear_bindings(&e->st);
            return &e->st.head;
        }
        h = (h + 1) & (STMT_HASH_SIZE - 1);
    }
    JF_ASSERT(db->n_cache < STMT_CACHE_MAX);
    struct pg_cache_entry *e = &db->cache[db->n_cache];
    e->st.index = db->n_cache;
    prepare(db, &e->st, sql);
    db->slot[h] = (int16_t)(db->n_cache + 1);
    e->sql = sql;
    e->st.head.db = jdb;
    db->n_cache++;
    return &e->st.head;
}

static void pg_bind_i64(struct jf_stmt *st, int idx, int64_t v)
{
    struct pg_stmt *s = ST(st);
    JF_ASSERT(idx >= 1 && idx <= s->nparams);
    s->formats[idx - 1] = 0;
    free(s->owned[idx - 1]);
    s->owned[idx - 1] = NULL;
    snprintf(s->num[idx - 1], sizeof s->num[idx - 1], "%lld", (long long)v);
    s->vals[idx - 1] = s->num[idx - 1];
}

static void pg_bind_text(struct jf_stmt *st, int idx, const char *str)
{
    struct pg_stmt *s = ST(st);
    JF_ASSERT(idx >= 1 && idx <= s->nparams);
    s->formats[idx - 1] = 0;
    free(s->owned[idx - 1]);
    s->owned[idx - 1] = jf_xstrdup(str);
    s->vals[idx - 1] = s->owned[idx - 1];
}

static void pg_bind_null(struct jf_stmt *st, int idx)
{
    struct pg_stmt *s = ST(st);
    JF_ASSERT(idx >= 1 && idx <= s->nparams);
    s->formats[idx - 1] = 0;
    free(s->owned[idx - 1]);
    s->owned[idx - 1] = NULL;
    s->vals[idx - 1] = NULL;
}

static void put_be32(unsigned char *p, uint32_t v)
{
    for (int i = 3; i >= 0; i--) {
        p[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* A bigint[] in PostgreSQL's binary array format: dimensions, flags, element type, then each
 * element as its length and its big-endian value. */
static void pg_bind_i64_array(struct jf_stmt *st, int idx, const int64_t *v, size_t n)
{
    struct pg_stmt *s = ST(st);
    JF_ASSERT(idx >= 1 && idx <= s->nparams);
    JF_ASSERT(n <= 100000000);
    size_t len = 12 + (n ? 8 : 0) + 12 * n;
    unsigned char *b = jf_xmalloc(len);
    put_be32(b, n ? 1 : 0); /* dimensions */
    put_be32(b + 4, 0);     /* no NULLs */
    put_be32(b + 8, OID_INT8);
    unsigned char *p = b + 12;
    if (n) {
        put_be32(p, (uint32_t)n);
        put_be32(p + 4, 1); /* lower bound */
        p += 8;
    }
    for (size_t i = 0; i < n; i++, p += 12) {
        uint64_t u = (uint64_t)v[i];
        put_be32(p, 8);
        put_be32(p + 4, (uint32_t)(u >> 32));
        put_be32(p + 8, (uint32_t)u);
    }
    free(s->owned[idx - 1]);
    s->owned[idx - 1] = (char *)b;
    s->vals[idx - 1] = (char *)b;
    s->formats[idx - 1] = 1;
    s->lengths[idx - 1] = (int)len;
}

static int execute(struct pg_stmt *s, struct jf_err *err)
{
    struct pg_db *db = PG(s->head.db);
    char name[16];
    snprintf(name, sizeof name, "j%d", s->index);
    s->res = PQexecPrepared(db->c, name, s->nparams, (const char *const *)s->vals, s->lengths, s->formats,
                            0);
    if (!res_ok(s->res)) {
        res_fail(db->c, s->res, err, "query");
        stmt_reset(s);
        return JF_ERR;
    }
    const char *status = PQcmdStatus(s->res);
    if (strncmp(status, "INSERT", 6) == 0 || strncmp(status, "UPDATE", 6) == 0 ||
        strncmp(status, "DELETE", 6) == 0) {
        db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
    }
    s->row = -1;
    s->nrows = PQresultStatus(s->res) == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
    return JF_OK;
}

/* ---- streamed statements: COPY (query) TO STDOUT (FORMAT binary) -------------------------- */

#define COPY_HEADER_LEN 19 /* the signature, the flags and the length of the header extension */
static const char copy_signature[11] = "PGCOPY\n\377\r\n";

static uint32_t get_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const unsigned char *p)
{
    return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* The statement's SQL with each parameter written in as a literal, inside the COPY. Streamed
 * statements take integers (or NULL) only: the literals are their decimal text. */
static char *stream_sql(const struct pg_stmt *s)
{
    size_t n = strlen(s->text), cap = n + 64 + (size_t)s->nparams * 40;
    char *out = jf_xmalloc(cap);
    size_t j = (size_t)snprintf(out, cap, "COPY (");
    char quote = 0;
    for (size_t i = 0; i < n;) {
        char c = s->text[i];
        if (quote == 0 && c == '$' && isdigit((unsigned char)s->text[i + 1])) {
            int k = 0;
            for (i++; isdigit((unsigned char)s->text[i]); i++) {
                k = k * 10 + (s->text[i] - '0');
            }
            JF_ASSERT(k >= 1 && k <= s->nparams && s->formats[k - 1] == 0);
            const char *v = s->vals[k - 1];
            JF_ASSERT(v == NULL || v == s->num[k - 1]); /* an integer or NULL */
            j += (size_t)snprintf(out + j, cap - j, "CAST(%s AS BIGINT)", v ? v : "NULL");
            continue;
        }
        if (quote != 0 && c == quote) {
            quote = 0;
        } else if (quote == 0 && (c == '\'' || c == '"')) {
            quote = c;
        }
        JF_ASSERT(j + 1 < cap);
        out[j++] = c;
        i++;
    }
    JF_ASSERT(j + 40 < cap);
    snprintf(out + j, cap - j, ") TO STDOUT (FORMAT binary)");
    return out;
}

/* Reads the end of a COPY (after PQgetCopyData gave -1 or -2): its result, and then nothing. */
static int copy_result(struct pg_db *db, ExecStatusType want, struct jf_err *err,
                       const char *what)
{
    PGresult *r = PQgetResult(db->c);
    int rc = JF_OK;
    if (PQresultStatus(r) != want) {
        rc = err ? res_fail(db->c, r, err, what) : JF_ERR;
    } else if (want == PGRES_COMMAND_OK) {
        db->changes = strtoll(PQcmdTuples(r), NULL, 10);
    }
    PQclear(r);
    while ((r = PQgetResult(db->c)) != NULL) {
        PQclear(r);
    }
    return rc;
}

static int stream_start(struct pg_stmt *s, struct jf_err *err)
{
    struct pg_db *db = PG(s->head.db);
    char *sql = stream_sql(s);
    PGresult *r = PQexec(db->c, sql);
    free(sql);
    int rc = JF_OK;
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        rc = res_fail(db->c, r, err, "query");
    }
    PQclear(r);
    s->copying = rc == JF_OK;
    s->header_read = false;
    return rc;
}

/* Ends a running COPY early: reads and drops the rest of its rows. */
static void stream_end(struct pg_stmt *s)
{
    struct pg_db *db = PG(s->head.db);
    PQfreemem(s->msg);
    s->msg = NULL;
    s->nfields = 0;
    if (!s->copying) {
        return;
    }
    char *buf;
    int n;
    while ((n = PQgetCopyData(db->c, &buf, 0)) > 0) {
        PQfreemem(buf);
    }
    (void)copy_result(db, PGRES_COMMAND_OK, NULL, NULL);
    s->copying = false;
}

/* Splits the message in s->msg (n bytes) into the fields of one row. Returns 1 for a row, 0 for
 * a message without one (the trailer), JF_ERR for a malformed message. */
static int stream_parse(struct pg_stmt *s, int n, struct jf_err *err)
{
    const unsigned char *p = (const unsigned char *)s->msg, *end = p + n;
    if (!s->header_read) {
        if (n < COPY_HEADER_LEN || memcmp(p, copy_signature, sizeof copy_signature) != 0 ||
            get_be32(p + 15) > (uint32_t)(n - COPY_HEADER_LEN)) {
            return jf_err_set(err, JF_E_INTERNAL, "db", "malformed COPY header");
        }
        p += COPY_HEADER_LEN + get_be32(p + 15);
        s->header_read = true;
    }
    if (end - p < 2) {
        return p == end ? 0 : jf_err_set(err, JF_E_INTERNAL, "db", "malformed COPY row");
    }
    int nf = (int16_t)(p[0] << 8 | p[1]);
    p += 2;
    if (nf < 0) {
        return 0; /* the trailer */
    }
    if (nf > s->fcap) {
        s->fcap = nf;
        s->field = jf_xrealloc(s->field, sizeof *s->field * (size_t)nf);
        s->flen = jf_xrealloc(s->flen, sizeof *s->flen * (size_t)nf);
    }
    for (int i = 0; i < nf; i++) {
        if (end - p < 4) {
            return jf_err_set(err, JF_E_INTERNAL, "db", "malformed COPY row");
        }
        int32_t len = (int32_t)get_be32(p);
        p += 4;
        if (len < -1 || (len > 0 && end - p < len)) {
            return jf_err_set(err, JF_E_INTERNAL, "db", "malformed COPY row");
        }
        s->flen[i] = len;
        s->field[i] = (const char *)p;
        p += len > 0 ? len : 0;
    }
    if (p != end) {
        return jf_err_set(err, JF_E_INTERNAL, "db", "malformed COPY row");
    }
    /* each field ends where the next one's length begins (already read), the last where libpq
     * put its terminating NUL: every field can be NUL-terminated in place */
    for (int i = 0; i < nf; i++) {
        if (s->flen[i] >= 0) {
            ((char *)s->field[i])[s->flen[i]] = '\0';
        }
    }
    s->nfields = nf;
    return 1;
}

static int stream_step(struct pg_stmt *s, struct jf_err *err)
{
    struct pg_db *db = PG(s->head.db);
    if (!s->copying && stream_start(s, err) != JF_OK) {
        return JF_ERR;
    }
    for (;;) {
        PQfreemem(s->msg);
        s->msg = NULL;
        s->nfields = 0;
        int n = PQgetCopyData(db->c, &s->msg, 0);
        if (n < 0) {
            s->copying = false;
            return copy_result(db, PGRES_COMMAND_OK, err, "query") == JF_OK ? 0 : JF_ERR;
        }
        int rc = stream_parse(s, n, err);
        if (rc != 0) {
            if (rc != 1) {
                stream_end(s);
            }
            return rc;
        }
    }
}

/* The integer in field `col` of a streamed row: PostgreSQL's binary integers are big-endian
 * bigint, integer, smallint, or a one-byte boolean. NULL reads as 0, as in SQLite. */
static int64_t stream_col_i64(struct pg_stmt *s, int col)
{
    JF_ASSERT(s->msg != NULL && col >= 0 && col < s->nfields);
    const unsigned char *p = (const unsigned char *)s->field[col];
    switch (s->flen[col]) {
    case -1:
        return 0;
    case 8:
        return (int64_t)get_be64(p);
    case 4:
        return (int32_t)get_be32(p);
    case 2:
        return (int16_t)(p[0] << 8 | p[1]);
    case 1:
        return p[0] != 0;
    default:
        JF_ASSERT(!"a streamed column that is not an integer");
        return 0;
    }
}

static struct jf_stmt *pg_prep_stream(struct jf_db *jdb, const char *sql)
{
    struct pg_stmt *s = ST(pg_prep(jdb, sql));
    if (!s->stream) {
        s->stream = true;
        s->text = translate(sql);
    }
    return &s->head;
}

/* ---- bulk copy in: COPY target FROM STDIN (FORMAT binary) ---------------------------------- */

#define COPY_IN_BUF (256 * 1024)

static int pg_copy_in_i64(struct jf_db *jdb, const char *target, const int64_t *rows, int ncols,
                          size_t nrows, struct jf_err *err)
{
    struct pg_db *db = PG(jdb);
    JF_ASSERT(ncols >= 1 && ncols <= 64);
    char sql[256];
    JF_ASSERT((size_t)snprintf(sql, sizeof sql, "COPY %s FROM STDIN (FORMAT binary)", target) <
              sizeof sql);
    PGresult *r = PQexec(db->c, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = res_fail(db->c, r, err, "copy");
        PQclear(r);
        return rc;
    }
    PQclear(r);
    const size_t row_len = 2 + 12 * (size_t)ncols;
    unsigned char *buf = jf_xmalloc(COPY_IN_BUF + row_len);
    memcpy(buf, copy_signature, sizeof copy_signature);
    memset(buf + sizeof copy_signature, 0, 8); /* no flags, no header extension */
    size_t len = COPY_HEADER_LEN;
    bool sent = true;
    for (size_t i = 0; i <= nrows && sent; i++) {
        if (i == nrows) {
            buf[len++] = 0xff; /* the trailer: a field count of -1 */
            buf[len++] = 0xff;
        } else {
            unsigned char *p = buf + len;
            p[0] = (unsigned char)(ncols >> 8);
            p[1] = (unsigned char)ncols;
            p += 2;
            for (int k = 0; k < ncols; k++, p += 12) {
                uint64_t u = (uint64_t)rows[i * (size_t)ncols + (size_t)k];
                put_be32(p, 8);
                put_be32(p + 4, (uint32_t)(u >> 32));
                put_be32(p + 8, (uint32_t)u);
            }
            len += row_len;
        }
        if (len >= COPY_IN_BUF || i == nrows) {
            sent = PQputCopyData(db->c, (const char *)buf, (int)len) == 1;
            len = 0;
        }
    }
    free(buf);
    if (PQputCopyEnd(db->c, sent ? NULL : "jifen: sending the rows failed") != 1) {
        return jf_err_set(err, JF_E_INTERNAL, "db", "copy failed: %s", PQerrorMessage(db->c));
    }
    return copy_result(db, PGRES_COMMAND_OK, err, "copy");
}

#define NUMERIC_OID 1700 /* what sum() of bigints gives */

/* A numeric column (a sum) must hold int64 values, as SQLite's integer sums do or fail with
 * "integer overflow": a value out of range fails the statement rather than being clamped. */
static int check_numeric(struct pg_stmt *s, struct jf_err *err)
{
    for (int c = 0; c < PQnfields(s->res); c++) {
        if (PQftype(s->res, c) != NUMERIC_OID) {
            continue;
        }
        for (int r = 0; r < s->nrows; r++) {
            if (PQgetisnull(s->res, r, c)) {
                continue;
            }
            const char *v = PQgetvalue(s->res, r, c);
            char *end;
            errno = 0;
            (void)strtoll(v, &end, 10);
            if (errno != 0 || *end != '\0') {
                stmt_reset(s);
                return jf_err_set(err, JF_E_INTERNAL, "db", "integer overflow: %.40s", v);
            }
        }
    }
    return JF_OK;
}

static int pg_step(struct jf_stmt *st, struct jf_err *err)
{
    struct pg_stmt *s = ST(st);
    if (s->stream) {
        return stream_step(s, err);
    }
    if (s->res == NULL && (execute(s, err) != JF_OK || check_numeric(s, err) != JF_OK)) {
        return JF_ERR;
    }
    s->row++;
    if (s->row < s->nrows) {
        return 1;
    }
    stmt_reset(s);
    return 0;
}

static int pg_run(struct jf_stmt *st, struct jf_err *err)
{
    int rc = pg_step(st, err);
    if (rc == 1) {
        stmt_reset(ST(st));
        return JF_OK;
    }
    return rc == 0 ? JF_OK : JF_ERR;
}

static const char *value(struct pg_stmt *s, int col)
{
    JF_ASSERT(s->res != NULL && s->row >= 0 && s->row < s->nrows);
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_i64(struct jf_stmt *st, int col)
{
    if (ST(st)->stream) {
        return stream_col_i64(ST(st), col);
    }
    const char *v = value(ST(st), col);
    if (v[0] == 't' || v[0] == 'f') { /* a boolean */
        return v[0] == 't';
    }
    return strtoll(v, NULL, 10);
}

static bool pg_col_null(struct jf_stmt *st, int col)
{
    struct pg_stmt *s = ST(st);
    if (s->stream) {
        JF_ASSERT(s->msg != NULL && col >= 0 && col < s->nfields);
        return s->flen[col] < 0;
    }
    JF_ASSERT(s->res != NULL && s->row >= 0 && s->row < s->nrows);
    return PQgetisnull(s->res, s->row, col) != 0;
}

static const char *pg_col_text(struct jf_stmt *st, int col)
{
    struct pg_stmt *s = ST(st);
    if (s->stream) {
        JF_ASSERT(s->msg != NULL && col >= 0 && col < s->nfields);
        return s->flen[col] < 0 ? "" : s->field[col];
    }
    return value(s, col);
}

static int64_t pg_changes(struct jf_db *db)
{
    return PG(db)->changes;
}

static int pg_begin(struct jf_db *db, struct jf_err *err)
{
    char sql[48];
    db_frame_sql(db, DB_FRAME_BEGIN, "BEGIN ISOLATION LEVEL READ COMMITTED", sql, sizeof sql);
    if (pg_exec(db, sql, err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

static int pg_begin_read(struct jf_db *db, struct jf_err *err)
{
    JF_ASSERT(db->depth == 0);
    if (pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", err) != JF_OK) {
        return JF_ERR;
    }
    db->depth++;
    return JF_OK;
}

static int pg_commit(struct jf_db *db, struct jf_err *err)
{
    JF_ASSERT(db->depth > 0);
    char sql[32];
    db_frame_sql(db, DB_FRAME_COMMIT, NULL, sql, sizeof sql);
    PGresult *r = PQexec(PG(db)->c, sql);
    int rc = JF_OK;
    /* COMMIT of a transaction a failed statement aborted reports ROLLBACK, not an error */
    if (!res_ok(r)) {
        rc = res_fail(PG(db)->c, r, err, "commit");
    } else if (db->depth == 1 && strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        rc = jf_err_set(err, JF_E_INTERNAL, NULL, "commit failed: the transaction was aborted");
    }
    PQclear(r);
    if (rc == JF_OK) {
        db->depth--;
    }
    /* after a failed COMMIT the caller rolls back, which ends the transaction if COMMIT did
     * not (a ROLLBACK without a transaction is only a warning) */
    return rc;
}

static void pg_rollback(struct jf_db *jdb)
{
    struct pg_db *db = PG(jdb);
    JF_ASSERT(jdb->depth > 0);
    char sql[64];
    db_frame_sql(jdb, DB_FRAME_ROLLBACK, NULL, sql, sizeof sql);
    for (int i = 0; i < db->n_cache; i++) {
        stmt_reset(&db->cache[i].st);
    }
    struct jf_err ignored;
    if (pg_exec(jdb, sql, &ignored) != JF_OK) {
        fprintf(stderr, "jifen: rollback: %s\n", ignored.msg);
    }
    jdb->depth--;
}

static const struct db_ops pg_ops = {
    .close = pg_close,
    .exec = pg_exec,
    .prep = pg_prep,
    .prep_stream = pg_prep_stream,
    .copy_in_i64 = pg_copy_in_i64,
    .bind_i64 = pg_bind_i64,
    .bind_text = pg_bind_text,
    .bind_i64_array = pg_bind_i64_array,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .run = pg_run,
    .col_i64 = pg_col_i64,
    .col_null = pg_col_null,
    .col_text = pg_col_text,
    .changes = pg_changes,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
};
