/*
 * sq_alloc_test.c — SQLite's allocator (src/store/sq_alloc.c) through SQLite's own calls, once
 * a store has installed it (under AddressSanitizer SQLite keeps its own: the same checks hold):
 * every size from 1 byte to 20 KiB, 8-byte aligned, and its usable size at least the size
 * asked; contents kept by a reallocation that grows or shrinks across the size classes; blocks
 * freed on another thread than the one that allocated them; threads that allocate, keep
 * freed blocks and end, many times over (their kept blocks are freed then: a leak checker and
 * the process's memory see it); and a store used on several threads at once.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "store.h"

#include "store_check.h"

static void fill(unsigned char *p, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed * 31u + (unsigned)i * 7u);
    }
}

static int holds(const unsigned char *p, int n, unsigned seed)
{
    for (int i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(seed * 31u + (unsigned)i * 7u)) {
            return 0;
        }
    }
    return 1;
}

static void sizes(void)
{
    for (int n = 1; n <= 20480; n += n < 300 ? 1 : 37) {
        unsigned char *p = sqlite3_malloc(n);
        CHECK(p != NULL, "malloc %d", n);
        if (p == NULL) {
            continue;
        }
        /* what SQLite asks of an allocator (its own, kept under AddressSanitizer, gives 8) */
        CHECK(((uintptr_t)p & 7) == 0, "malloc %d: not 8-byte aligned", n);
        CHECK(sqlite3_msize(p) >= (sqlite3_uint64)n, "malloc %d: usable %llu", n,
              (unsigned long long)sqlite3_msize(p));
        fill(p, n, (unsigned)n);
        CHECK(holds(p, n, (unsigned)n), "malloc %d: contents", n);
        sqlite3_free(p);
    }
}

static void reallocs(void)
{
    static const int steps[] = {1, 40, 48, 49, 1000, 1100, 4000, 8100, 8200, 20000, 9000, 8000,
                                100, 3, 64 * 1024, 17};
    int have = 0;
    unsigned char *p = NULL;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        int n = steps[i];
        unsigned char *q = sqlite3_realloc(p, n);
        CHECK(q != NULL, "realloc to %d", n);
        if (q == NULL) {
            break;
        }
        int kept = have < n ? have : n;
        CHECK(holds(q, kept, 5), "realloc %d -> %d: the first %d bytes changed", have, n, kept);
        CHECK(sqlite3_msize(q) >= (sqlite3_uint64)n, "realloc to %d: usable %llu", n,
              (unsigned long long)sqlite3_msize(q));
        fill(q, n, 5);
        p = q;
        have = n;
    }
    sqlite3_free(p);
}

#define HANDOFF 5000

static void *free_them(void *arg)
{
    void **v = arg;
    for (int i = 0; i < HANDOFF; i++) {
        CHECK(holds(v[i], 1000, (unsigned)i), "block %d changed before its free", i);
        sqlite3_free(v[i]);
    }
    return NULL;
}

static void across_threads(void)
{
    void **v = malloc(sizeof *v * HANDOFF);
    for (int i = 0; i < HANDOFF; i++) {
        v[i] = sqlite3_malloc(1000);
        fill(v[i], 1000, (unsigned)i);
    }
    pthread_t t;
    pthread_create(&t, NULL, free_them, v);
    pthread_join(t, NULL);
    free(v);
}

static void *churn(void *arg)
{
    (void)arg;
    void *v[512];
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 512; i++) {
            v[i] = sqlite3_malloc(64 + (i % 64) * 100);
            fill(v[i], 64, (unsigned)i);
        }
        for (int i = 0; i < 512; i++) {
            CHECK(holds(v[i], 64, (unsigned)i), "churn: block %d changed", i);
            sqlite3_free(v[i]);
        }
    }
    return NULL;
}

static void threads_that_end(void)
{
    for (int k = 0; k < 60; k++) {
        pthread_t t[4];
        for (int i = 0; i < 4; i++) {
            pthread_create(&t[i], NULL, churn, NULL);
        }
        for (int i = 0; i < 4; i++) {
            pthread_join(t[i], NULL);
        }
    }
}

static void *store_on_thread(void *arg)
{
    (void)arg;
    struct jf_db *db;
    struct jf_err err;
    if (jf_db_open(":memory:", &db, &err) != JF_OK) {
        CHECK(0, "open: %s", err.msg);
        return NULL;
    }
    for (int i = 0; i < 50; i++) {
        CHECK(jf_db_begin(db, &err) == JF_OK, "begin");
        CHECK(st_meta_set_i64(db, "probe", i, &err) == JF_OK, "meta");
        CHECK(jf_db_commit(db, &err) == JF_OK, "commit");
    }
    jf_db_close(db);
    return NULL;
}

int main(void)
{
    struct jf_db *db;
    struct jf_err err;
    if (jf_db_open(":memory:", &db, &err) != JF_OK) { /* installs the allocator */
        fprintf(stderr, "open: %s\n", err.msg);
        return 1;
    }
    sizes();
    reallocs();
    across_threads();
    threads_that_end();
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, store_on_thread, NULL);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    jf_db_close(db);
    if (failures) {
        fprintf(stderr, "%d checks failed\n", failures);
        return 1;
    }
    printf("SQLite's allocator: all checks passed\n");
    return 0;
}
