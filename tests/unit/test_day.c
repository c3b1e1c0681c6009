/*
 * test_day.c — unit tests of src/core/day.c: civil date arithmetic, strict "YYYY-MM-DD"
 * parsing, RFC 3339 timestamps with offsets, and their formatting.
 *
 * The calendar is checked against an independent day-by-day walk (its own month lengths and
 * leap rule), so a mistake in the closed-form algorithm cannot hide behind itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "day.h"
#include "limits.h"
#include "unit_helpers.h"

#define SENTINEL32 ((int32_t)0x5A5A5A5A)
#define SENTINEL64 ((int64_t)0x5A5A5A5A5A5A5A5ALL)

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int dm[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : dm[m];
}

static void expect_civil(int32_t days, int y, int m, int d)
{
    int yy = 0, mm = 0, dd = 0;
    jf_civil_from_days(days, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d) {
        print_error("day %d is %04d-%02d-%02d, expected %04d-%02d-%02d\n", days, yy, mm, dd, y,
                    m, d);
        fail();
    }
    assert_i64(jf_days_from_civil(y, m, d), days);
}

/* ---- days_from_civil / civil_from_days -------------------------------------------------- */

static void test_civil_known_days(void **state)
{
    (void)state;
    expect_civil(0, 1970, 1, 1);
    expect_civil(-1, 1969, 12, 31);
    expect_civil(365, 1971, 1, 1);
    expect_civil(10957, 2000, 1, 1);
    expect_civil(11016, 2000, 2, 29); /* 2000 is a leap year (divisible by 400) */
    expect_civil(11017, 2000, 3, 1);
    expect_civil(20454, 2026, 1, 1);
    expect_civil(20455, 2026, 1, 2);
    expect_civil(19782, 2024, 2, 29);
    expect_civil(47540, 2100, 2, 28); /* 2100 is not a leap year */
    expect_civil(47541, 2100, 3, 1);
    expect_civil(84005, 2199, 12, 31);
    expect_civil(-719468, 0, 3, 1);
    expect_civil(-25567, 1900, 1, 1);
}

static void test_civil_walk(void **state)
{
    (void)state;
    /* every day from 1900-01-01 to 2400-12-31, in order, both ways */
    int32_t day = jf_days_from_civil(1900, 1, 1);
    int32_t first = day;
    for (int y = 1900; y <= 2400; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= month_days(y, m); d++) {
                if (jf_days_from_civil(y, m, d) != day) {
                    print_error("%04d-%02d-%02d gives %d, expected %d\n", y, m, d,
                                jf_days_from_civil(y, m, d), day);
                    fail();
                }
                int yy, mm, dd;
                jf_civil_from_days(day, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d) {
                    print_error("day %d gives %04d-%02d-%02d\n", day, yy, mm, dd);
                    fail();
                }
                day++;
            }
        }
    }
    /* 501 years: 501 * 365 + leap days (122 by the rule: /4 minus 1900,2100,2200,2300) */
    assert_i64(day - first, 501 * 365 + 122);
}

static void test_civil_leap_rules(void **state)
{
    (void)state;
    /* Feb 29 exists exactly in leap years: the day after Feb 28 is Feb 29 or Mar 1 */
    const int years[] = {1900, 2000, 2001, 2004, 2023, 2024, 2025, 2026, 2028, 2100, 2104, 2200,
                         2400};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        int y = years[i];
        int32_t feb28 = jf_days_from_civil(y, 2, 28);
        int yy, mm, dd;
        jf_civil_from_days(feb28 + 1, &yy, &mm, &dd);
        assert_int_equal(yy, y);
        if (is_leap(y)) {
            assert_int_equal(mm, 2);
            assert_int_equal(dd, 29);
        } else {
            assert_int_equal(mm, 3);
            assert_int_equal(dd, 1);
        }
        int32_t len = jf_days_from_civil(y + 1, 1, 1) - jf_days_from_civil(y, 1, 1);
        assert_int_equal(len, is_leap(y) ? 366 : 365);
    }
}

/* ---- jf_day_parse / jf_day_format ------------------------------------------------------- */

static int32_t day_ok(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int32_t d = SENTINEL32;
    if (jf_day_parse(s, &d, "day", &e) != JF_OK) {
        print_error("day '%s' refused: %s\n", s, e.msg);
        fail();
    }
    return d;
}

static void day_bad(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int32_t d = SENTINEL32;
    int rc = jf_day_parse(s, &d, "settle.day", &e);
    if (rc != JF_ERR) {
        print_error("day '%s' accepted as %d\n", s ? s : "(null)", d);
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "settle.day");
    assert_int_equal(d, SENTINEL32);
}

static void test_day_parse_valid(void **state)
{
    (void)state;
    assert_int_equal(day_ok("2026-01-01"), 20454);
    assert_int_equal(day_ok("2026-01-02"), 20455);
    assert_int_equal(day_ok("2000-01-01"), 10957); /* JF_YEAR_MIN */
    assert_int_equal(day_ok("2000-02-29"), 11016);
    assert_int_equal(day_ok("2024-02-29"), 19782);
    assert_int_equal(day_ok("2100-02-28"), 47540);
    assert_int_equal(day_ok("2199-12-31"), 84005); /* JF_YEAR_MAX */
    assert_int_equal(day_ok("2026-12-31"), jf_days_from_civil(2026, 12, 31));
    assert_int_equal(day_ok("2026-04-30"), jf_days_from_civil(2026, 4, 30));
}

static void test_day_parse_strict(void **state)
{
    (void)state;
    day_bad("2026-02-30");
    day_bad("2026-02-29"); /* 2026 is not a leap year */
    day_bad("2100-02-29"); /* nor is 2100 */
    day_bad("2026-04-31");
    day_bad("2026-13-01");
    day_bad("2026-00-10");
    day_bad("2026-01-00");
    day_bad("2026-01-32");
    day_bad("2026-1-01");
    day_bad("2026-01-1");
    day_bad("26-01-01");
    day_bad("1999-12-31"); /* before JF_YEAR_MIN */
    day_bad("0000-01-01");
    day_bad("2200-01-01"); /* after JF_YEAR_MAX */
    day_bad("9999-12-31");
    day_bad("2026-01-01x");
    day_bad("2026-01-01 ");
    day_bad(" 2026-01-01");
    day_bad("2026-01-01T00:00:00Z");
    day_bad("2026/01/01");
    day_bad("2026.01.01");
    day_bad("20260101");
    day_bad("2026-0a-01");
    day_bad("+026-01-01");
    day_bad("-026-01-01");
    day_bad("2026--1-01");
    day_bad("");
    day_bad(NULL);
}

static void test_day_format(void **state)
{
    (void)state;
    char buf[16];
    jf_day_format(20454, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01");
    jf_day_format(11016, buf, sizeof buf);
    assert_string_equal(buf, "2000-02-29");
    jf_day_format(0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01");
    jf_day_format(-1, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31");
    jf_day_format(84005, buf, sizeof buf);
    assert_string_equal(buf, "2199-12-31");
    /* every accepted day formats back to its text */
    for (int32_t d = jf_days_from_civil(JF_YEAR_MIN, 1, 1);
         d <= jf_days_from_civil(JF_YEAR_MAX, 12, 31); d++) {
        jf_day_format(d, buf, sizeof buf);
        assert_int_equal(strlen(buf), 10);
        assert_int_equal(day_ok(buf), d);
    }
}

/* ---- jf_time_parse / jf_time_format ----------------------------------------------------- */

static int64_t time_ok(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t t = SENTINEL64;
    if (jf_time_parse(s, &t, "at", &e) != JF_OK) {
        print_error("time '%s' refused: %s\n", s, e.msg);
        fail();
    }
    return t;
}

static void time_bad(const char *s)
{
    struct jf_err e;
    jf_err_clear(&e);
    int64_t t = SENTINEL64;
    int rc = jf_time_parse(s, &t, "events[3].at", &e);
    if (rc != JF_ERR) {
        print_error("time '%s' accepted as %lld\n", s ? s : "(null)", (long long)t);
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "events[3].at");
    assert_i64(t, SENTINEL64);
}

/* 2026-01-01T01:00:00Z */
#define T_2026_0101_0100Z (20454LL * 86400 + 3600)

static void test_time_parse_offsets(void **state)
{
    (void)state;
    assert_i64(time_ok("2026-01-01T01:00:00Z"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T01:00:00z"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01t01:00:00Z"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T09:00:00+08:00"), T_2026_0101_0100Z);
    assert_i64(time_ok("2025-12-31T19:30:00-05:30"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T01:00:00+00:00"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T01:00:00-00:00"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-02T00:59:00+23:59"), T_2026_0101_0100Z);
    assert_i64(time_ok("2025-12-31T01:01:00-23:59"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T05:45:00+04:45"), T_2026_0101_0100Z);
    /* the last and the first second of a Shanghai day */
    assert_i64(time_ok("2026-01-01T23:59:59+08:00"), 20454LL * 86400 + 16 * 3600 - 1);
    assert_i64(time_ok("2026-01-02T00:00:00+08:00"), 20454LL * 86400 + 16 * 3600);
    assert_i64(time_ok("2000-01-01T00:00:00Z"), 10957LL * 86400);
    assert_i64(time_ok("2199-12-31T23:59:59Z"), 84006LL * 86400 - 1);
    assert_i64(time_ok("2000-01-01T00:00:00+08:00"), 10957LL * 86400 - 8 * 3600);
    assert_i64(time_ok("2024-02-29T12:34:56Z"), 19782LL * 86400 + 12 * 3600 + 34 * 60 + 56);
}

static void test_time_parse_fraction(void **state)
{
    (void)state;
    /* fractions are accepted and ignored: times are kept to the second */
    assert_i64(time_ok("2026-01-01T01:00:00.5Z"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T01:00:00.999999999Z"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T09:00:00.123+08:00"), T_2026_0101_0100Z);
    assert_i64(time_ok("2026-01-01T09:00:00.000000-00:00"), T_2026_0101_0100Z + 8 * 3600);
    time_bad("2026-01-01T01:00:00.Z");
    time_bad("2026-01-01T01:00:00.1234567890Z"); /* more than nanoseconds */
    time_bad("2026-01-01T01:00:00.5");
    time_bad("2026-01-01T01:00:00.5.5Z");
    time_bad("2026-01-01T01:00:00,5Z");
    time_bad("2026-01-01T01:00:00.aZ");
}

static void test_time_parse_bad_forms(void **state)
{
    (void)state;
    time_bad(NULL);
    time_bad("");
    time_bad("2026-01-01");
    time_bad("2026-01-01T01:00:00");   /* no offset */
    time_bad("2026-01-01T01:00Z");     /* no seconds */
    time_bad("2026-01-01 01:00:00Z");  /* space instead of T */
    time_bad("2026-01-01T1:00:00Z");
    time_bad("2026-01-01T01:0:00Z");
    time_bad("2026-01-01T01:00:0Z");
    time_bad("2026-01-01T24:00:00Z");
    time_bad("2026-01-01T23:60:00Z");
    time_bad("2026-01-01T23:59:60Z"); /* no leap seconds */
    time_bad("2026-01-01T01-00-00Z");
    time_bad("2026-01-01T01:00:00+0800");
    time_bad("2026-01-01T01:00:00+08");
    time_bad("2026-01-01T01:00:00+8:00");
    time_bad("2026-01-01T01:00:00+08:0");
    time_bad("2026-01-01T01:00:00+24:00");
    time_bad("2026-01-01T01:00:00+08:60");
    time_bad("2026-01-01T01:00:00 +08:00");
    time_bad("2026-01-01T01:00:00+08:00 ");
    time_bad("2026-01-01T01:00:00+08:00Z");
    time_bad("2026-01-01T01:00:00ZZ");
    time_bad("2026-01-01T01:00:00UTC");
    time_bad("2026-02-30T01:00:00Z");  /* no such date */
    time_bad("1999-12-31T23:59:59Z");  /* year out of range */
    time_bad("2200-01-01T00:00:00Z");
    time_bad("2026-01-01T01:00:00.000000000000000000000Z"); /* longer than 40 */
    time_bad("x2026-01-01T01:00:00Z");
}

static void test_time_format(void **state)
{
    (void)state;
    char buf[40];
    jf_time_format(T_2026_0101_0100Z, 8 * 3600, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T09:00:00+08:00");
    jf_time_format(T_2026_0101_0100Z, 0, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T01:00:00+00:00");
    jf_time_format(T_2026_0101_0100Z, -(5 * 3600 + 30 * 60), buf, sizeof buf);
    assert_string_equal(buf, "2025-12-31T19:30:00-05:30");
    jf_time_format(T_2026_0101_0100Z, 4 * 3600 + 45 * 60, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T05:45:00+04:45");
    jf_time_format(-1, 0, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59+00:00");
    jf_time_format(0, -3600, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:00:00-01:00");
    jf_time_format(20454LL * 86400 + 16 * 3600 - 1, 8 * 3600, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-01T23:59:59+08:00");
    jf_time_format(20454LL * 86400 + 16 * 3600, 8 * 3600, buf, sizeof buf);
    assert_string_equal(buf, "2026-01-02T00:00:00+08:00");
    jf_time_format(19782LL * 86400 + 45296, 0, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29T12:34:56+00:00");
}

static void test_time_round_trip(void **state)
{
    (void)state;
    const int32_t offsets[] = {0, 8 * 3600, -5 * 3600 - 1800, 14 * 3600, -12 * 3600, 345 * 60};
    int64_t lo = 10957LL * 86400 + 86400;     /* 2000-01-02 */
    int64_t span = (84005LL - 10957 - 2) * 86400; /* to 2199-12-30 */
    uint64_t seed = 11;
    char buf[40];
    for (int i = 0; i < 30000; i++) {
        int64_t ts = lo + (int64_t)(jt_rand(&seed) % (uint64_t)span);
        int32_t off = offsets[i % (int)(sizeof offsets / sizeof offsets[0])];
        jf_time_format(ts, off, buf, sizeof buf);
        assert_int_equal(strlen(buf), 25);
        assert_i64(time_ok(buf), ts);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_known_days),
        cmocka_unit_test(test_civil_walk),
        cmocka_unit_test(test_civil_leap_rules),
        cmocka_unit_test(test_day_parse_valid),
        cmocka_unit_test(test_day_parse_strict),
        cmocka_unit_test(test_day_format),
        cmocka_unit_test(test_time_parse_offsets),
        cmocka_unit_test(test_time_parse_fraction),
        cmocka_unit_test(test_time_parse_bad_forms),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
