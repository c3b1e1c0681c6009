/*
 * jf_assert.h — always-on assertions for programmer errors.
 *
 * JF_ASSERT(cond) aborts with file:line and the failed condition whatever NDEBUG says: a broken
 * invariant in a ledger must stop the process before it writes, never be compiled away.
 * jf_xmalloc and friends abort with a message on allocation failure instead of returning NULL.
 */
#ifndef JF_ASSERT_H
#define JF_ASSERT_H

#include <stddef.h>

_Noreturn void jf_assert_fail(const char *cond, const char *file, int line);

#define JF_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            jf_assert_fail(#cond, __FILE__, __LINE__);                                             \
        }                                                                                          \
    } while (0)

void *jf_xmalloc(size_t n);
void *jf_xcalloc(size_t count, size_t size);
void *jf_xrealloc(void *p, size_t n);
char *jf_xstrdup(const char *s);

#endif
