/*
 * store_check.h — the checks of the store's test programs: CHECK counts a failure and says
 * where it is and what was found, and the program goes on; main reports the count at the end.
 */
#ifndef JF_STORE_CHECK_H
#define JF_STORE_CHECK_H

#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            failures++;                                                                            \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                   \
            fprintf(stderr, __VA_ARGS__);                                                          \
            fprintf(stderr, "\n");                                                                 \
        }                                                                                          \
    } while (0)

#endif
