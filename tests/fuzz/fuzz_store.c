/*
 * fuzz_store.c — the store checks of the fuzz targets (see fuzz_store.h).
 */
#include "fuzz_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "db.h"
#include "fuzz_check.h"
#include "jf_assert.h"

void fuzz_tmpdir(char *dir, size_t n)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    /* named by the process, so that scripts/fuzz.sh removes it after a run that crashed */
    snprintf(dir, n, "%s/jifen-fuzz-%ld-XXXXXX", base, (long)getpid());
    JF_ASSERT(mkdtemp(dir) != NULL);
}

void fuzz_store_remove(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
        JF_ASSERT(unlink(p) == 0 || errno == ENOENT);
    }
}

void fuzz_store_copy(const char *from, const char *to)
{
    fuzz_store_remove(to);
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    JF_ASSERT(in >= 0 && out >= 0);
    char buf[1 << 16];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        JF_ASSERT(write(out, buf, (size_t)n) == n);
    }
    JF_ASSERT(n == 0);
    close(in);
    close(out);
}

static const char digest_sql[] =
    "SELECT (SELECT count(*) FROM transfers), (SELECT coalesce(max(id), 0) FROM transfers),"
    " (SELECT coalesce(sum(amount), 0) FROM transfers),"
    " (SELECT coalesce(sum(balance * (id % 7 + 1)), 0) FROM balances),"
    " (SELECT coalesce(sum(debt * (id % 7 + 1)), 0) FROM balances),"
    " (SELECT count(*) FROM debt_log), (SELECT count(*) FROM lots),"
    " (SELECT coalesce(sum(remaining + 3 * closed), 0) FROM lots),"
    " (SELECT count(*) FROM members),"
    " (SELECT coalesce(sum(frozen_withdrawals + 2 * frozen_all), 0) FROM members),"
    " (SELECT count(*) FROM orders),"
    " (SELECT coalesce(sum(status * (id % 7 + 1)), 0) FROM orders),"
    " (SELECT count(*) FROM products),"
    " (SELECT coalesce(sum(price + coalesce(stock, 0) + active), 0) FROM products),"
    " (SELECT count(*) FROM withdrawals), (SELECT coalesce(sum(status), 0) FROM withdrawals),"
    " (SELECT count(*) FROM rules_versions), (SELECT count(*) FROM settlements),"
    " (SELECT count(*) FROM agents), (SELECT coalesce(sum(amount), 0) FROM income),"
    " (SELECT count(*) FROM token_prices), (SELECT pool FROM growth_state),"
    " (SELECT supply FROM growth_state), (SELECT count(*) FROM audit)";

/* A read snapshot on a reader; on the writer's own connection (no transaction open) each
 * statement is one already. */
static void read_begin(struct jf_svc *svc, bool reader)
{
    struct jf_err err;
    FUZZ_CHECK(!reader || jf_svc_read_begin(svc, &err) == JF_OK, "read: %s", err.msg);
}

static void read_end(struct jf_svc *svc, bool reader)
{
    if (reader) {
        jf_svc_read_end(svc);
    }
}

void fuzz_digest(struct jf_svc *svc, bool reader, struct fuzz_digest *out)
{
    struct jf_err err;
    read_begin(svc, reader);
    struct jf_stmt *st = jf_db_prep(jf_svc_db(svc), digest_sql);
    FUZZ_CHECK(jf_stmt_step(st, &err) == 1, "digest: %s", err.msg);
    for (int i = 0; i < FUZZ_DIGEST_N; i++) {
        out->v[i] = jf_col_i64(st, i);
    }
    FUZZ_CHECK(jf_stmt_step(st, &err) == 0, "digest: %s", err.msg);
    read_end(svc, reader);
}

void fuzz_digest_same(const struct fuzz_digest *before, const struct fuzz_digest *after,
                      const char *what)
{
    for (int i = 0; i < FUZZ_DIGEST_N; i++) {
        FUZZ_CHECK(before->v[i] == after->v[i],
                   "%s, but changed the store (digest column %d: %lld -> %lld)", what, i,
                   (long long)before->v[i], (long long)after->v[i]);
    }
}

static void verify_report(void *arg, const char *problem)
{
    (void)arg;
    fprintf(stderr, "verify: %s\n", problem);
}

void fuzz_verify(struct jf_svc *svc, bool reader)
{
    struct jf_err err;
    jf_err_clear(&err);
    read_begin(svc, reader);
    int problems = jf_svc_verify(svc, verify_report, NULL, &err);
    read_end(svc, reader);
    FUZZ_CHECK(problems == 0, "jifen verify: %d problems (%s)", problems, err.msg);
}
