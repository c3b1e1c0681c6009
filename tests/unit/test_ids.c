/*
 * test_ids.c — unit tests of src/core/ids.c: mainland mobile number normalisation and invite
 * codes (8 characters of Crockford base 32, a bijection of the member id).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ids.h"
#include "unit_helpers.h"

#define CROCKFORD "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/* ---- phone numbers ---------------------------------------------------------------------- */

static void phone_ok(const char *in, const char *want)
{
    struct jf_err e;
    jf_err_clear(&e);
    char out[16];
    memset(out, 'X', sizeof out);
    if (jf_phone_normalize(in, out, 12, "phone", &e) != JF_OK) {
        print_error("phone '%s' refused: %s\n", in, e.msg);
        fail();
    }
    assert_string_equal(out, want);
    assert_int_equal(out[12], 'X'); /* nothing written past the 12 bytes */
    assert_int_equal(e.code, JF_E_NONE);
}

static void phone_bad(const char *in)
{
    struct jf_err e;
    jf_err_clear(&e);
    char out[16] = "untouched";
    int rc = jf_phone_normalize(in, out, sizeof out, "register.phone", &e);
    if (rc != JF_ERR) {
        print_error("phone '%s' accepted as '%s'\n", in ? in : "(null)", out);
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "register.phone");
    assert_string_equal(out, "untouched");
}

static void test_phone_normalises(void **state)
{
    (void)state;
    phone_ok("13800138000", "13800138000");
    phone_ok("+86 138 0013 8000", "13800138000");
    phone_ok("+8613800138000", "13800138000");
    phone_ok("+86 13800138000", "13800138000");
    phone_ok(" 138 0013 8000 ", "13800138000");
    phone_ok("1 3 8 0 0 1 3 8 0 0 0", "13800138000");
    /* second digit 3..9 */
    phone_ok("13000000000", "13000000000");
    phone_ok("14700000000", "14700000000");
    phone_ok("15912345678", "15912345678");
    phone_ok("16600000000", "16600000000");
    phone_ok("17012345678", "17012345678");
    phone_ok("18888888888", "18888888888");
    phone_ok("19999999999", "19999999999");
}

static void test_phone_refuses(void **state)
{
    (void)state;
    phone_bad("12800000000"); /* second digit 2 */
    phone_bad("11800000000");
    phone_bad("10800000000");
    phone_bad("23800138000"); /* does not start with 1 */
    phone_bad("1380013800");  /* 10 digits */
    phone_bad("138001380001"); /* 12 digits */
    phone_bad("1380013800a");
    phone_bad("abcdefghijk");
    phone_bad("138-0013-8000");
    phone_bad("(138)00138000");
    phone_bad("138\t0013\t8000");
    phone_bad("+85 13800138000");
    phone_bad("86 13800138000");
    phone_bad("8613800138000");
    phone_bad("0086 13800138000");
    phone_bad("+86+8613800138000");
    phone_bad("+86");
    phone_bad("+8612800000000");
    phone_bad("+861380013800");
    phone_bad("+13800138000");
    phone_bad("13800138000+86");
    phone_bad("");
    phone_bad("   ");
    phone_bad(NULL);
    phone_bad("1380013800０"); /* a full-width digit */
    /* too long, even if it is mostly spaces */
    phone_bad("+86 138 0013 8000          ");
}

static void run_phone_small_buffer(void *arg)
{
    (void)arg;
    char out[11];
    jf_phone_normalize("13800138000", out, sizeof out, "phone", NULL);
}

static void test_phone_buffer_asserted(void **state)
{
    (void)state;
    /* out must hold 12 bytes: a smaller buffer is a programmer error */
    assert_true(jt_aborts(run_phone_small_buffer, NULL));
}

/* ---- invite codes ----------------------------------------------------------------------- */

static void expect_valid_code(const char *c)
{
    assert_int_equal(strlen(c), 8);
    for (int i = 0; i < 8; i++) {
        if (strchr(CROCKFORD, c[i]) == NULL || c[i] == '\0') {
            print_error("code '%s' has '%c' outside Crockford base 32\n", c, c[i]);
            fail();
        }
    }
}

static int cmp_code(const void *a, const void *b)
{
    return memcmp(a, b, 8);
}

static void test_invite_code_alphabet(void **state)
{
    (void)state;
    char c[9];
    const int64_t ids[] = {1, 2, 3, 100, 12345, 1000000, ((int64_t)1 << 40) - 1,
                           ((int64_t)1 << 39), 999999999999LL};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        memset(c, 'X', sizeof c);
        jf_invite_code(ids[i], c, sizeof c);
        expect_valid_code(c);
        /* no look-alike letters */
        assert_null(strpbrk(c, "ILOUilou"));
    }
}

static void test_invite_code_deterministic(void **state)
{
    (void)state;
    char a[9], b[16];
    for (int64_t id = 1; id < 1000; id += 37) {
        jf_invite_code(id, a, sizeof a);
        jf_invite_code(id, b, sizeof b);
        assert_string_equal(a, b);
    }
    /* consecutive ids do not give near-consecutive codes */
    jf_invite_code(1, a, sizeof a);
    jf_invite_code(2, b, sizeof b);
    int same = 0;
    for (int i = 0; i < 8; i++) {
        same += a[i] == b[i];
    }
    assert_true(same < 6);
}

static void test_invite_code_distinct(void **state)
{
    (void)state;
    enum { N = 200000 };
    char(*codes)[8] = malloc(sizeof *codes * N);
    assert_non_null(codes);
    char c[9];
    for (int64_t id = 1; id <= N; id++) {
        jf_invite_code(id, c, sizeof c);
        expect_valid_code(c);
        memcpy(codes[id - 1], c, 8);
    }
    qsort(codes, N, sizeof *codes, cmp_code);
    for (int i = 1; i < N; i++) {
        if (memcmp(codes[i - 1], codes[i], 8) == 0) {
            print_error("duplicate invite code %.8s\n", codes[i]);
            fail();
        }
    }
    /* and distinct at the top of the id range too */
    int64_t top = ((int64_t)1 << 40) - 1;
    for (int i = 0; i < 1000; i++) {
        jf_invite_code(top - i, c, sizeof c);
        expect_valid_code(c);
        memcpy(codes[i], c, 8);
    }
    qsort(codes, 1000, sizeof *codes, cmp_code);
    for (int i = 1; i < 1000; i++) {
        assert_true(memcmp(codes[i - 1], codes[i], 8) != 0);
    }
    free(codes);
}

struct code_args {
    int64_t id;
    size_t n;
};

static void run_invite_code(void *arg)
{
    const struct code_args *a = arg;
    char out[16];
    jf_invite_code(a->id, out, a->n);
}

static void test_invite_code_preconditions(void **state)
{
    (void)state;
    struct code_args zero = {0, 9}, neg = {-5, 9}, big = {(int64_t)1 << 40, 9}, small = {1, 8},
                     ok = {1, 9};
    assert_true(jt_aborts(run_invite_code, &zero));
    assert_true(jt_aborts(run_invite_code, &neg));
    assert_true(jt_aborts(run_invite_code, &big));
    assert_true(jt_aborts(run_invite_code, &small));
    assert_false(jt_aborts(run_invite_code, &ok));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_normalises),
        cmocka_unit_test(test_phone_refuses),
        cmocka_unit_test(test_phone_buffer_asserted),
        cmocka_unit_test(test_invite_code_alphabet),
        cmocka_unit_test(test_invite_code_deterministic),
        cmocka_unit_test(test_invite_code_distinct),
        cmocka_unit_test(test_invite_code_preconditions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
