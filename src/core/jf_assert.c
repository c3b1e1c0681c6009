/*
 * jf_assert.c — assertion failure and checked allocation (see jf_assert.h).
 */
#include "jf_assert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void jf_assert_fail(const char *cond, const char *file, int line)
{
    fprintf(stderr, "jifen: assertion failed at %s:%d: %s\n", file, line, cond);
    abort();
}

static void *check(void *p, size_t n)
{
    if (p == NULL && n != 0) {
        fprintf(stderr, "jifen: out of memory allocating %zu bytes\n", n);
        abort();
    }
    return p;
}

void *jf_xmalloc(size_t n)
{
    return check(malloc(n), n);
}

void *jf_xcalloc(size_t count, size_t size)
{
    return check(calloc(count, size), count * size);
}

void *jf_xrealloc(void *p, size_t n)
{
    return check(realloc(p, n), n);
}

char *jf_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = jf_xmalloc(n);
    memcpy(d, s, n);
    return d;
}
