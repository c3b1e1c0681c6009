/*
 * unit_helpers.h — small helpers shared by the cmocka unit tests of src/core.
 *
 * Included after <cmocka.h>. Everything here is `static inline` so that a test file that does
 * not use a helper does not warn. Provides:
 *   assert_i64(actual, expected)   signed 64-bit equality with both values printed in decimal
 *                                  (cmocka's assert_int_equal prints them as unsigned);
 *   assert_err(rc, err, code, field)  a failed call: JF_ERR returned, the record filled with
 *                                  `code` and the JSON path `field`, and a non-empty message;
 *   jt_aborts(fn, arg)             runs fn(arg) in a child process and tells whether it died of
 *                                  SIGABRT (how JF_ASSERT reports a programmer error).
 */
#ifndef JF_UNIT_HELPERS_H
#define JF_UNIT_HELPERS_H

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"

static inline void jt_assert_i64(int64_t actual, int64_t expected, const char *expr,
                                 const char *file, int line)
{
    if (actual != expected) {
        print_error("%s:%d: %s is %lld, expected %lld\n", file, line, expr, (long long)actual,
                    (long long)expected);
        fail();
    }
}

#define assert_i64(actual, expected)                                                               \
    jt_assert_i64((int64_t)(actual), (int64_t)(expected), #actual, __FILE__, __LINE__)

static inline void jt_assert_err(int rc, const struct jf_err *e, enum jf_code code,
                                 const char *field, const char *file, int line)
{
    if (rc != JF_ERR || e->code != code || strcmp(e->field, field) != 0 || e->msg[0] == '\0') {
        print_error("%s:%d: expected error code %d at '%s'; got rc %d, code %d, field '%s', "
                    "msg '%s'\n",
                    file, line, (int)code, field, rc, (int)e->code, e->field, e->msg);
        fail();
    }
}

#define assert_err(rc, e, code, field) jt_assert_err((rc), (e), (code), (field), __FILE__, __LINE__)

/* Runs fn(arg) in a child with stderr silenced; true when the child was killed by SIGABRT. */
static inline bool jt_aborts(void (*fn)(void *), void *arg)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGABRT, SIG_DFL);
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 2);
        }
        fn(arg);
        _exit(0);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* A small deterministic generator (64-bit LCG, high bits out) for property tests. */
static inline uint64_t jt_rand(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 11;
}

#endif
