/*
 * test_amount.c — unit tests of src/core/amount.c: checked int64 arithmetic, apply() with its
 * floor rounding and 128-bit intermediate, exact decimal rates in ppm, and amount text.
 *
 * Both sides of every boundary are tested: INT64_MAX/INT64_MIN for the arithmetic, the digit
 * and size limits of limits.h for the parsers. A failed call must leave its output untouched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "limits.h"
#include "unit_helpers.h"

#define SENTINEL ((int64_t)0x5A5A5A5A5A5A5A5ALL)

/* ---- jf_add / jf_sub / jf_mul ----------------------------------------------------------- */

static void test_add_edges(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_true(jf_add(2, 3, &out));
    assert_i64(out, 5);
    assert_true(jf_add(-7, 3, &out));
    assert_i64(out, -4);
    assert_true(jf_add(INT64_MAX - 1, 1, &out));
    assert_i64(out, INT64_MAX);
    assert_true(jf_add(INT64_MIN + 1, -1, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_add(INT64_MAX, INT64_MIN, &out));
    assert_i64(out, -1);

    out = SENTINEL;
    assert_false(jf_add(INT64_MAX, 1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_add(1, INT64_MAX, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_add(INT64_MIN, -1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_add(INT64_MAX, INT64_MAX, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_add(INT64_MIN, INT64_MIN, &out));
    assert_i64(out, SENTINEL);
}

static void test_add_in_place(void **state)
{
    (void)state;
    /* the ledger accumulates with jf_add(x, y, &x): the output may alias an input */
    int64_t x = 40;
    assert_true(jf_add(x, 2, &x));
    assert_i64(x, 42);
    x = INT64_MAX;
    assert_false(jf_add(x, 1, &x));
    assert_i64(x, INT64_MAX);
}

static void test_sub_edges(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_true(jf_sub(5, 7, &out));
    assert_i64(out, -2);
    assert_true(jf_sub(INT64_MIN + 1, 1, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_sub(-1, INT64_MAX, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_sub(INT64_MAX, INT64_MAX, &out));
    assert_i64(out, 0);
    assert_true(jf_sub(INT64_MIN, INT64_MIN, &out));
    assert_i64(out, 0);

    out = SENTINEL;
    assert_false(jf_sub(INT64_MIN, 1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_sub(0, INT64_MIN, &out)); /* -INT64_MIN does not exist */
    assert_i64(out, SENTINEL);
    assert_false(jf_sub(INT64_MAX, -1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_sub(-2, INT64_MAX, &out));
    assert_i64(out, SENTINEL);
}

static void test_mul_edges(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_true(jf_mul(300000, 25, &out));
    assert_i64(out, 7500000);
    assert_true(jf_mul(-3, 4, &out));
    assert_i64(out, -12);
    assert_true(jf_mul(INT64_MAX, 1, &out));
    assert_i64(out, INT64_MAX);
    assert_true(jf_mul(INT64_MAX, -1, &out));
    assert_i64(out, -INT64_MAX);
    assert_true(jf_mul(INT64_MIN, 1, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_mul(INT64_MIN, 0, &out));
    assert_i64(out, 0);
    assert_true(jf_mul(3037000499LL, 3037000499LL, &out)); /* floor(sqrt(INT64_MAX)) squared */
    assert_i64(out, 9223372030926249001LL);
    assert_true(jf_mul(INT64_MIN / 2, 2, &out));
    assert_i64(out, INT64_MIN);

    out = SENTINEL;
    assert_false(jf_mul(INT64_MIN, -1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_mul(-1, INT64_MIN, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_mul(INT64_MAX, 2, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_mul(3037000500LL, 3037000500LL, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_mul(INT64_MAX / 2 + 1, 2, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_mul(INT64_MIN / 2 - 1, 2, &out));
    assert_i64(out, SENTINEL);
}

/* ---- jf_apply and jf_muldiv_floor ------------------------------------------------------- */

static void test_apply_floor_positive(void **state)
{
    (void)state;
    int64_t out = 0;
    /* SPEC A.1: 3,000.00 at 1.2% releases 36.00 a day; 9,000.00 releases 108.00 */
    assert_true(jf_apply(300000, 12000, &out));
    assert_i64(out, 3600);
    assert_true(jf_apply(900000, 12000, &out));
    assert_i64(out, 10800);
    /* 1.2% of 1.00 is 0.012: floor to 0.01 */
    assert_true(jf_apply(100, 12000, &out));
    assert_i64(out, 1);
    /* 1.2% of 0.83 is 0.00996: floor to 0 (never round up) */
    assert_true(jf_apply(83, 12000, &out));
    assert_i64(out, 0);
    /* 0.999999 of 1,000,000 minus one ppm */
    assert_true(jf_apply(999999, 999999, &out));
    assert_i64(out, 999998);
    assert_true(jf_apply(1, 999999, &out));
    assert_i64(out, 0);
    assert_true(jf_apply(1, 1000000, &out));
    assert_i64(out, 1);
    assert_true(jf_apply(7, 2500000, &out)); /* 17.5 -> 17 */
    assert_i64(out, 17);
}

static void test_apply_floor_negative(void **state)
{
    (void)state;
    int64_t out = 0;
    /* floor goes toward minus infinity, not toward zero */
    assert_true(jf_apply(-100, 12000, &out)); /* -1.2 -> -2 */
    assert_i64(out, -2);
    assert_true(jf_apply(-1, 1, &out)); /* -0.000001 -> -1 */
    assert_i64(out, -1);
    assert_true(jf_apply(1, -1, &out));
    assert_i64(out, -1);
    assert_true(jf_apply(-7, 2500000, &out)); /* -17.5 -> -18 */
    assert_i64(out, -18);
    assert_true(jf_apply(-1, -1, &out)); /* +0.000001 -> 0 */
    assert_i64(out, 0);
    assert_true(jf_apply(-83, 12000, &out)); /* -0.00996 -> -1 */
    assert_i64(out, -1);
}

static void test_apply_exact(void **state)
{
    (void)state;
    int64_t out = SENTINEL;
    assert_true(jf_apply(0, 12000, &out));
    assert_i64(out, 0);
    assert_true(jf_apply(123456789, 0, &out));
    assert_i64(out, 0);
    assert_true(jf_apply(1000000, 12000, &out));
    assert_i64(out, 12000);
    assert_true(jf_apply(-1000000, 12000, &out));
    assert_i64(out, -12000);
    assert_true(jf_apply(-300000, 12000, &out));
    assert_i64(out, -3600);
    assert_true(jf_apply(300000, 2500000, &out)); /* a 3,000 order's lot at x2.5 */
    assert_i64(out, 750000);
    assert_true(jf_apply(123456789, 1000000, &out)); /* 100% is identity */
    assert_i64(out, 123456789);
    assert_true(jf_apply(-123456789, 1000000, &out));
    assert_i64(out, -123456789);
}

static void test_apply_128bit_intermediate(void **state)
{
    (void)state;
    int64_t out = 0;
    /* 9e18 * 1e6 = 9e24 does not fit in 64 bits; the result does */
    assert_true(jf_apply(9000000000000000000LL, 1000000, &out));
    assert_i64(out, 9000000000000000000LL);
    assert_true(jf_apply(9000000000000000000LL, 999999, &out));
    assert_i64(out, 8999991000000000000LL);
    assert_true(jf_apply(INT64_MAX, 1000000, &out));
    assert_i64(out, INT64_MAX);
    assert_true(jf_apply(INT64_MAX, 500000, &out)); /* (2^63-1)/2 floors */
    assert_i64(out, INT64_MAX / 2);
    assert_true(jf_apply(INT64_MIN, 1000000, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_apply(INT64_MIN, 500000, &out));
    assert_i64(out, INT64_MIN / 2);
    assert_true(jf_apply(INT64_MAX, 1, &out)); /* 9223372036854.775807 */
    assert_i64(out, 9223372036854LL);
    assert_true(jf_apply(INT64_MIN, 1, &out)); /* -9223372036854.775808 -> ...855 */
    assert_i64(out, -9223372036855LL);
    assert_true(jf_apply(-INT64_MAX, -1000000, &out));
    assert_i64(out, INT64_MAX);
    /* the largest rate the parser admits times the largest input amount: 1e27, too large */
    out = SENTINEL;
    assert_false(jf_apply(JF_AMOUNT_INPUT_MAX, JF_RATE_PPM_MAX, &out));
    assert_i64(out, SENTINEL);
    assert_true(jf_apply(JF_AMOUNT_INPUT_MAX, 9000000, &out)); /* x9: 9e15 */
    assert_i64(out, 9000000000000000LL);
}

static void test_apply_overflow(void **state)
{
    (void)state;
    int64_t out = SENTINEL;
    assert_false(jf_apply(INT64_MAX, 1000001, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MAX, 2000000, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MIN, 1000001, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MIN, -1000000, &out)); /* -INT64_MIN */
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MAX, INT64_MAX, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MIN, INT64_MAX, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_apply(INT64_MIN, INT64_MIN, &out));
    assert_i64(out, SENTINEL);
    /* just above INT64_MAX after the division */
    assert_false(jf_apply(4611686018427387904LL, 2000000, &out)); /* 2^62 * 2 = 2^63 */
    assert_i64(out, SENTINEL);
    assert_true(jf_apply(4611686018427387904LL, -2000000, &out)); /* -2^63 fits */
    assert_i64(out, INT64_MIN);
}

/* Checks r == floor(a*b/c) against the defining inequality r*c <= a*b < (r+1)*c. */
static void check_floor(int64_t a, int64_t b, int64_t c, int64_t r)
{
    __int128 p = (__int128)a * b;
    __int128 lo = (__int128)r * c;
    __int128 hi = lo + c;
    if (!(lo <= p && p < hi)) {
        print_error("floor(%lld*%lld/%lld) gave %lld\n", (long long)a, (long long)b,
                    (long long)c, (long long)r);
        fail();
    }
}

static void test_apply_property(void **state)
{
    (void)state;
    uint64_t seed = 20261125;
    for (int i = 0; i < 200000; i++) {
        /* amounts up to about +-4.5e15 and rates up to about +-4.3e9 ppm: never overflow */
        int64_t a = (int64_t)(jt_rand(&seed) & ((1ULL << 52) - 1)) - (1LL << 51);
        int64_t b = (int64_t)(jt_rand(&seed) & ((1ULL << 32) - 1)) - (1LL << 31);
        if (i % 4 == 0) {
            a %= 1000; /* small amounts: most results are fractions */
        }
        int64_t r = SENTINEL;
        assert_true(jf_apply(a, b, &r));
        check_floor(a, b, JF_PPM, r);
    }
}

static void test_muldiv_floor(void **state)
{
    (void)state;
    int64_t out = 0;
    assert_true(jf_muldiv_floor(7, 3, 2, &out));
    assert_i64(out, 10);
    assert_true(jf_muldiv_floor(-7, 3, 2, &out));
    assert_i64(out, -11);
    assert_true(jf_muldiv_floor(7, -3, 2, &out));
    assert_i64(out, -11);
    assert_true(jf_muldiv_floor(-7, -3, 2, &out));
    assert_i64(out, 10);
    assert_true(jf_muldiv_floor(6, 3, 2, &out));
    assert_i64(out, 9);
    assert_true(jf_muldiv_floor(-6, 3, 2, &out));
    assert_i64(out, -9);
    assert_true(jf_muldiv_floor(0, 5, 3, &out));
    assert_i64(out, 0);
    /* SPEC A.5: selling 147 points of a pool 600 over supply 357 at 80% */
    assert_true(jf_muldiv_floor(14700, 48000 /* 80% of the pool */, 35700, &out));
    assert_i64(out, 19764);
    /* c = 1 gives a plain checked product with a 128-bit intermediate */
    assert_true(jf_muldiv_floor(INT64_MIN, 1, 1, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_muldiv_floor(INT64_MAX, INT64_MAX, INT64_MAX, &out));
    assert_i64(out, INT64_MAX);
    assert_true(jf_muldiv_floor(INT64_MIN, INT64_MAX, INT64_MAX, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_muldiv_floor(INT64_MAX, INT64_MIN, INT64_MAX, &out));
    assert_i64(out, INT64_MIN);
    assert_true(jf_muldiv_floor(-1, 1, INT64_MAX, &out));
    assert_i64(out, -1);
    assert_true(jf_muldiv_floor(1, 1, INT64_MAX, &out));
    assert_i64(out, 0);

    out = SENTINEL;
    assert_false(jf_muldiv_floor(INT64_MIN, -1, 1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(INT64_MAX, INT64_MAX, 1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(INT64_MIN, INT64_MIN, INT64_MAX, &out)); /* 2^126/(2^63-1) */
    assert_i64(out, SENTINEL);
}

static void test_muldiv_nonpositive_divisor(void **state)
{
    (void)state;
    int64_t out = SENTINEL;
    assert_false(jf_muldiv_floor(10, 10, 0, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(10, 10, -1, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(0, 0, 0, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(-10, 10, -5, &out));
    assert_i64(out, SENTINEL);
    assert_false(jf_muldiv_floor(1, 1, INT64_MIN, &out));
    assert_i64(out, SENTINEL);
}

static void test_muldiv_property(void **state)
{
    (void)state;
    uint64_t seed = 7;
    for (int i = 0; i < 100000; i++) {
        int64_t a = (int64_t)(jt_rand(&seed) & ((1ULL << 40) - 1)) - (1LL << 39);
        int64_t b = (int64_t)(jt_rand(&seed) & ((1ULL << 40) - 1)) - (1LL << 39);
        int64_t c = (int64_t)(jt_rand(&seed) & ((1ULL << 30) - 1)) + 1;
        int64_t r = SENTINEL;
        if (jf_muldiv_floor(a, b, c, &r)) {
            check_floor(a, b, c, r);
        } else {
            /* refused only when the true floor quotient is outside int64 */
            __int128 p = (__int128)a * b;
            __int128 q = p / c - ((p % c != 0 && p < 0) ? 1 : 0);
            assert_true(q > INT64_MAX || q < INT64_MIN);
            assert_i64(r, SENTINEL);
        }
    }
}

/* ---- jf_rate_parse ---------------------------------------------------------------------- */

static int64_t rate_ok(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t v = SENTINEL;
    int rc = jf_rate_parse(s, &v, "r", &e);
    if (rc != JF_OK) {
        print_error("rate '%s' refused: %s\n", s, e.msg);
        fail();
    }
    assert_int_equal(e.code, JF_E_NONE);
    return v;
}

/* Asserts that s is refused, names the field, and leaves the output untouched. */
static void rate_bad(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t v = SENTINEL;
    int rc = jf_rate_parse(s, &v, "release.daily_rate", &e);
    if (rc != JF_ERR) {
        print_error("rate '%s' accepted as %lld ppm\n", s ? s : "(null)", (long long)v);
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "release.daily_rate");
    assert_i64(v, SENTINEL);
}

static void test_rate_parse_spec_examples(void **state)
{
    (void)state;
    assert_i64(rate_ok("1.2%"), 12000);
    assert_i64(rate_ok("0.012"), 12000);
    assert_i64(rate_ok("2.5"), 2500000);
    assert_i64(rate_ok("1.25%"), 12500);
    assert_i64(rate_ok("100"), 100000000);
    assert_i64(rate_ok("0%"), 0);
    assert_i64(rate_ok("0"), 0);
    assert_i64(rate_ok("1.20%"), 12000); /* trailing zero beyond the scale is exact */
    assert_i64(rate_ok("1.2000%"), 12000);
    assert_i64(rate_ok("0.0120000000"), 12000);
    assert_i64(rate_ok("100%"), 1000000);
    assert_i64(rate_ok("1"), 1000000);
    assert_i64(rate_ok("50%"), 500000);
    assert_i64(rate_ok("3.5"), 3500000);
    assert_i64(rate_ok("0.1%"), 1000);
    assert_i64(rate_ok("00.5"), 500000); /* leading zeros are harmless */
}

static void test_rate_parse_precision_limits(void **state)
{
    (void)state;
    /* one ppm is the finest unit: 6 decimals plain, 4 before % */
    assert_i64(rate_ok("0.000001"), 1);
    assert_i64(rate_ok("0.0001%"), 1);
    assert_i64(rate_ok("0.0000010"), 1);
    assert_i64(rate_ok("0.00010%"), 1);
    assert_i64(rate_ok("1.999999"), 1999999);
    assert_i64(rate_ok("99.9999%"), 999999);
    rate_bad("0.0000001");
    rate_bad("0.0000005");
    rate_bad("1.00001%");
    rate_bad("0.00001%");
    rate_bad("1.0000001");
    rate_bad("0.0000000000001");
}

static void test_rate_parse_refuses_bad_forms(void **state)
{
    (void)state;
    rate_bad("-1%");
    rate_bad("-0.5");
    rate_bad("+1");
    rate_bad("+1%");
    rate_bad("1e3");
    rate_bad("1E3");
    rate_bad(" 1");
    rate_bad("1 ");
    rate_bad("1 %");
    rate_bad("1.");
    rate_bad("1.%");
    rate_bad(".5");
    rate_bad(".5%");
    rate_bad("");
    rate_bad("abc");
    rate_bad("1..2");
    rate_bad("1.2.3");
    rate_bad("%");
    rate_bad("%%");
    rate_bad("1%%");
    rate_bad("%1");
    rate_bad(".");
    rate_bad("1,5");
    rate_bad("0x10");
    rate_bad("1/2");
    rate_bad("inf");
    rate_bad("nan");
    rate_bad("1.2\t");
    rate_bad(NULL);
}

static void test_rate_parse_size_limits(void **state)
{
    (void)state;
    /* integer part: at most JF_DECIMAL_INT_DIGITS_MAX (12) digits */
    assert_i64(rate_ok("000000000001"), 1000000);
    rate_bad("0000000000001");
    rate_bad("1234567890123");
    rate_bad("99999999999999999999999");
    /* value: at most JF_RATE_PPM_MAX (1e12 ppm = x1,000,000) */
    assert_i64(rate_ok("1000000"), JF_RATE_PPM_MAX);
    assert_i64(rate_ok("100000000%"), JF_RATE_PPM_MAX);
    rate_bad("1000000.000001");
    rate_bad("1000001");
    rate_bad("100000000.0001%");
    rate_bad("999999999999");
    rate_bad("999999999999%");
    /* length: at most 40 characters */
    char s[64];
    memset(s, '0', sizeof s);
    s[1] = '.';
    s[0] = '1';
    s[40] = '\0';
    assert_i64(rate_ok(s), 1000000);
    s[40] = '0';
    s[41] = '\0';
    rate_bad(s);
}

static void test_rate_parse_error_record(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    int64_t v = SENTINEL;
    assert_int_equal(jf_rate_parse("1.2x%", &v, "payment.max_points_share", &e), JF_ERR);
    assert_int_equal(e.code, JF_E_INVALID);
    assert_string_equal(e.field, "payment.max_points_share");
    assert_non_null(strstr(e.msg, "1.2x%")); /* the message quotes the input */
    assert_i64(v, SENTINEL);

    jf_err_clear(&e);
    assert_int_equal(jf_rate_parse("2000000", &v, "growth.cap_multiple", &e), JF_ERR);
    assert_string_equal(e.field, "growth.cap_multiple");
    assert_non_null(strstr(e.msg, "too large"));

    /* a NULL error record is allowed: the status alone is returned */
    assert_int_equal(jf_rate_parse("bad", &v, "x", NULL), JF_ERR);
    assert_i64(v, SENTINEL);
}

/* ---- jf_rate_format --------------------------------------------------------------------- */

static void expect_rate_format(int64_t ppm, const char *want)
{
    char buf[32];
    memset(buf, 'X', sizeof buf);
    jf_rate_format(ppm, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_rate_format(void **state)
{
    (void)state;
    expect_rate_format(0, "0");
    expect_rate_format(1, "0.000001");
    expect_rate_format(10, "0.00001");
    expect_rate_format(12000, "0.012");
    expect_rate_format(12500, "0.0125");
    expect_rate_format(100000, "0.1");
    expect_rate_format(1000000, "1");
    expect_rate_format(2500000, "2.5");
    expect_rate_format(100000000, "100");
    expect_rate_format(1000001, "1.000001");
    expect_rate_format(1999999, "1.999999");
    expect_rate_format(-12000, "-0.012");
    expect_rate_format(-1000000, "-1");
    expect_rate_format(JF_RATE_PPM_MAX, "1000000");
    expect_rate_format(INT64_MAX, "9223372036854.775807");
    expect_rate_format(INT64_MIN, "-9223372036854.775808");
}

static void test_rate_format_truncates_safely(void **state)
{
    (void)state;
    char buf[6];
    memset(buf, 'X', sizeof buf);
    jf_rate_format(1234567, buf, sizeof buf); /* "1.234567" does not fit */
    assert_int_equal(buf[sizeof buf - 1], '\0');
    assert_string_equal(buf, "1.234");
}

static void test_rate_round_trip(void **state)
{
    (void)state;
    /* every formatted rate parses back to itself */
    uint64_t seed = 99;
    char buf[32];
    for (int i = 0; i < 50000; i++) {
        int64_t ppm = (int64_t)(jt_rand(&seed) % (uint64_t)(JF_RATE_PPM_MAX + 1));
        if (i % 3 == 0) {
            ppm %= 2000000; /* the usual range: percentages and small multipliers */
        }
        jf_rate_format(ppm, buf, sizeof buf);
        assert_i64(rate_ok(buf), ppm);
    }
    /* and parsed text formats to its canonical form */
    const char *pairs[][2] = {{"1.2%", "0.012"}, {"1.20%", "0.012"}, {"2.50", "2.5"},
                              {"100%", "1"},     {"0%", "0"},         {"007", "7"},
                              {"0.0001%", "0.000001"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        jf_rate_format(rate_ok(pairs[i][0]), buf, sizeof buf);
        assert_string_equal(buf, pairs[i][1]);
    }
}

/* ---- jf_amount_format / jf_amount_parse ------------------------------------------------- */

static void expect_amount_format(int64_t minor, const char *want)
{
    char buf[32];
    memset(buf, 'X', sizeof buf);
    jf_amount_format(minor, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_decimal_format_grouped(void **state)
{
    (void)state;
    char buf[48];
    jf_decimal_format_grouped(0, 2, 2, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    jf_decimal_format_grouped(123456789, 2, 2, buf, sizeof buf);
    assert_string_equal(buf, "1,234,567.89");
    jf_decimal_format_grouped(-123456789, 2, 1, buf, sizeof buf);
    assert_string_equal(buf, "-1,234,567.8"); /* truncated, not rounded */
    jf_decimal_format_grouped(99999, 2, 0, buf, sizeof buf);
    assert_string_equal(buf, "999");
    jf_decimal_format_grouped(100000, 2, 0, buf, sizeof buf);
    assert_string_equal(buf, "1,000");
    jf_decimal_format_grouped(1428571, 6, 6, buf, sizeof buf);
    assert_string_equal(buf, "1.428571");
    jf_decimal_format_grouped(5, 6, 6, buf, sizeof buf);
    assert_string_equal(buf, "0.000005");
    jf_decimal_format_grouped(999, 0, 0, buf, sizeof buf);
    assert_string_equal(buf, "999");
    jf_decimal_format_grouped(INT64_MAX, 0, 0, buf, sizeof buf);
    assert_string_equal(buf, "9,223,372,036,854,775,807");
    jf_decimal_format_grouped(INT64_MIN, 2, 2, buf, sizeof buf);
    assert_string_equal(buf, "-92,233,720,368,547,758.08");
}

static void test_amount_format(void **state)
{
    (void)state;
    expect_amount_format(0, "0.00");
    expect_amount_format(1, "0.01");
    expect_amount_format(-1, "-0.01");
    expect_amount_format(10, "0.10");
    expect_amount_format(99, "0.99");
    expect_amount_format(100, "1.00");
    expect_amount_format(-123405, "-1234.05");
    expect_amount_format(123405, "1234.05");
    expect_amount_format(300000, "3000.00");
    expect_amount_format(-99, "-0.99");
    expect_amount_format(INT64_MAX, "92233720368547758.07");
    expect_amount_format(INT64_MIN, "-92233720368547758.08");
}

static int64_t amount_ok(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t v = SENTINEL;
    if (jf_amount_parse(s, &v, "amount", &e) != JF_OK) {
        print_error("amount '%s' refused: %s\n", s, e.msg);
        fail();
    }
    return v;
}

static void amount_bad(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t v = SENTINEL;
    int rc = jf_amount_parse(s, &v, "items[0].price", &e);
    if (rc != JF_ERR) {
        print_error("amount '%s' accepted as %lld\n", s ? s : "(null)", (long long)v);
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "items[0].price");
    assert_i64(v, SENTINEL);
}

static void test_amount_parse(void **state)
{
    (void)state;
    assert_i64(amount_ok("1234"), 123400);
    assert_i64(amount_ok("1234.5"), 123450);
    assert_i64(amount_ok("1234.05"), 123405);
    assert_i64(amount_ok("-3.10"), -310);
    assert_i64(amount_ok("-3.1"), -310);
    assert_i64(amount_ok("0"), 0);
    assert_i64(amount_ok("-0"), 0);
    assert_i64(amount_ok("0.01"), 1);
    assert_i64(amount_ok("-0.01"), -1);
    assert_i64(amount_ok("1.230"), 123); /* a trailing zero is exact */
    assert_i64(amount_ok("1.2300000"), 123);
    assert_i64(amount_ok("999999999999.99"), 99999999999999LL); /* 12 integer digits */
    assert_i64(amount_ok("-999999999999.99"), -99999999999999LL);
}

static void test_amount_parse_refuses(void **state)
{
    (void)state;
    amount_bad(NULL);
    amount_bad("");
    amount_bad("-");
    amount_bad("--1");
    amount_bad("+1");
    amount_bad("1.234"); /* a fraction of a fen */
    amount_bad("0.001");
    amount_bad("1.");
    amount_bad(".5");
    amount_bad("-.5");
    amount_bad("1e2");
    amount_bad("1,000");
    amount_bad(" 1");
    amount_bad("1 ");
    amount_bad("abc");
    amount_bad("1..2");
    amount_bad("1%");
    amount_bad("1000000000000"); /* 13 integer digits */
    char s[64];
    memset(s, '1', sizeof s);
    s[50] = '\0';
    amount_bad(s);
}

static void test_amount_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 3;
    char buf[32];
    for (int i = 0; i < 20000; i++) {
        int64_t v = (int64_t)(jt_rand(&seed) % 99999999999999ULL);
        if (i % 2) {
            v = -v;
        }
        if (i % 5 == 0) {
            v %= 1000;
        }
        jf_amount_format(v, buf, sizeof buf);
        assert_i64(amount_ok(buf), v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_edges),
        cmocka_unit_test(test_add_in_place),
        cmocka_unit_test(test_sub_edges),
        cmocka_unit_test(test_mul_edges),
        cmocka_unit_test(test_apply_floor_positive),
        cmocka_unit_test(test_apply_floor_negative),
        cmocka_unit_test(test_apply_exact),
        cmocka_unit_test(test_apply_128bit_intermediate),
        cmocka_unit_test(test_apply_overflow),
        cmocka_unit_test(test_apply_property),
        cmocka_unit_test(test_muldiv_floor),
        cmocka_unit_test(test_muldiv_nonpositive_divisor),
        cmocka_unit_test(test_muldiv_property),
        cmocka_unit_test(test_rate_parse_spec_examples),
        cmocka_unit_test(test_rate_parse_precision_limits),
        cmocka_unit_test(test_rate_parse_refuses_bad_forms),
        cmocka_unit_test(test_rate_parse_size_limits),
        cmocka_unit_test(test_rate_parse_error_record),
        cmocka_unit_test(test_rate_format),
        cmocka_unit_test(test_rate_format_truncates_safely),
        cmocka_unit_test(test_rate_round_trip),
        cmocka_unit_test(test_decimal_format_grouped),
        cmocka_unit_test(test_amount_format),
        cmocka_unit_test(test_amount_parse),
        cmocka_unit_test(test_amount_parse_refuses),
        cmocka_unit_test(test_amount_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
