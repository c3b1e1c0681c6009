/*
 * sq_alloc.c — SQLite's memory allocator: the C library's, with a cache of freed blocks per
 * thread.
 *
 * A write transaction copies each page it changes into its rollback journal first; an in-memory
 * store's journal lives in memory in blocks of about 1 KiB, allocated as pages are first changed
 * and all freed at the commit. A day of a simulation or a settlement allocates and frees some
 * millions of them, and the C library's allocator, which does not cache blocks of that size per
 * thread, spent about a tenth of the simulation's time in them. Here a block of up to 8 KiB is
 * rounded up to a multiple of 64 bytes and, when freed, kept on its thread's list of that size
 * (up to 8 MiB in all a thread) for the next allocation of that size on that thread; larger
 * blocks and blocks beyond the limit go back to the C library. A thread's lists are freed when
 * the thread ends. Every block carries a 16-byte header with its size (SQLite asks for it).
 *
 * SQLite calls these without a lock of its own (memory statistics are off: db_sqlite.c), from
 * whichever thread uses a connection, so each thread touches only its own lists; a block freed
 * on another thread than the one that allocated it simply joins the freeing thread's list.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

#define HDR 16             /* keeps the blocks 16-byte aligned, as malloc's are */
#define STEP 64            /* size classes: 64, 128, ... bytes, header included */
#define CLASSES 128        /* up to 8 KiB */
#define KEPT_MAX (8u << 20) /* what a thread keeps at most */

struct block {
    uint64_t size; /* what the caller may use */
    uint64_t cls;  /* its size class + 1; 0: from the C library as asked */
};

struct free_block {
    struct free_block *next;
};

struct cache {
    struct free_block *head[CLASSES];
    uint64_t bytes; /* kept on the lists */
};

static pthread_key_t cache_key;
static _Thread_local struct cache *tl_cache;

static void cache_free(void *arg)
{
    struct cache *c = arg;
    for (int i = 0; i < CLASSES; i++) {
        while (c->head[i] != NULL) {
            struct free_block *f = c->head[i];
            c->head[i] = f->next;
            free(f);
        }
    }
    free(c);
    tl_cache = NULL;
}

static struct cache *cache_get(void)
{
    if (tl_cache == NULL) {
        tl_cache = calloc(1, sizeof *tl_cache);
        if (tl_cache != NULL && pthread_setspecific(cache_key, tl_cache) != 0) {
            free(tl_cache);
            tl_cache = NULL;
        }
    }
    return tl_cache;
}

/* The class of a request (with its header), or -1 when it is larger than the classes. */
static int class_of(uint64_t n)
{
    uint64_t total = n + HDR;
    return total > (uint64_t)STEP * CLASSES ? -1 : (int)((total + STEP - 1) / STEP) - 1;
}

static void *sqa_malloc(int n)
{
    if (n <= 0) {
        return NULL;
    }
    int cls = class_of((uint64_t)n);
    struct block *b = NULL;
    if (cls >= 0) {
        struct cache *c = cache_get();
        if (c != NULL && c->head[cls] != NULL) {
            b = (struct block *)c->head[cls];
            c->head[cls] = c->head[cls]->next;
            c->bytes -= (uint64_t)(cls + 1) * STEP;
        } else {
            b = malloc((size_t)(cls + 1) * STEP);
        }
        if (b != NULL) {
            *b = (struct block){(uint64_t)(cls + 1) * STEP - HDR, (uint64_t)cls + 1};
        }
    } else {
        b = malloc((size_t)n + HDR);
        if (b != NULL) {
            *b = (struct block){(uint64_t)n, 0};
        }
    }
    return b != NULL ? (char *)b + HDR : NULL;
}

static void sqa_free(void *p)
{
    if (p == NULL) {
        return;
    }
    struct block *b = (struct block *)((char *)p - HDR);
    if (b->cls > 0) {
        int cls = (int)b->cls - 1;
        struct cache *c = cache_get();
        if (c != NULL && c->bytes + (uint64_t)(cls + 1) * STEP <= KEPT_MAX) {
            struct free_block *f = (struct free_block *)b;
            f->next = c->head[cls];
            c->head[cls] = f;
            c->bytes += (uint64_t)(cls + 1) * STEP;
            return;
        }
    }
    free(b);
}

static int sqa_size(void *p)
{
    return p == NULL ? 0 : (int)((struct block *)((char *)p - HDR))->size;
}

static void *sqa_realloc(void *p, int n)
{
    if (p == NULL) {
        return sqa_malloc(n);
    }
    int have = sqa_size(p);
    if (n <= have && class_of((uint64_t)n) == class_of((uint64_t)have)) {
        return p; /* the same block serves */
    }
    void *q = sqa_malloc(n);
    if (q != NULL) {
        memcpy(q, p, (size_t)(have < n ? have : n));
        sqa_free(p);
    }
    return q;
}

static int sqa_roundup(int n)
{
    int cls = class_of((uint64_t)(n > 0 ? n : 1));
    return cls >= 0 ? (cls + 1) * STEP - HDR : (n + 7) & ~7;
}

static int sqa_init(void *arg)
{
    (void)arg;
    return SQLITE_OK;
}

static void sqa_shutdown(void *arg)
{
    (void)arg;
}

/* Under AddressSanitizer SQLite keeps the C library's allocator, whose every block the
 * sanitizer watches (a kept block would hide a use after its free). */
#if defined(__SANITIZE_ADDRESS__)
#define SQA_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SQA_OFF 1
#endif
#endif

void sq_alloc_install(void)
{
#ifdef SQA_OFF
    return;
#endif
    static const sqlite3_mem_methods methods = {sqa_malloc, sqa_free,   sqa_realloc, sqa_size,
                                                sqa_roundup, sqa_init, sqa_shutdown, NULL};
    if (pthread_key_create(&cache_key, cache_free) == 0) {
        /* refused (SQLITE_MISUSE) if SQLite was initialised already: its own stays */
        (void)sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
    }
}
