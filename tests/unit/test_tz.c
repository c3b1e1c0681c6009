/*
 * test_tz.c — unit tests of src/core/tz.c: zone names, the local business day of a timestamp
 * and the instant a local day begins, through the system tz database.
 *
 * The zone is process-wide state (TZ), so every test sets the zone it needs first.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "tz.h"
#include "unit_helpers.h"

static void use_zone(const char *name)
{
    struct jf_err e;
    jf_err_clear(&e);
    if (jf_tz_use(name, &e) != JF_OK) {
        print_error("zone '%s' refused: %s\n", name, e.msg);
        fail();
    }
}

static int64_t ts_of(const char *rfc3339)
{
    int64_t ts = 0;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_time_parse(rfc3339, &ts, "at", &e), JF_OK);
    return ts;
}

static int32_t day_of(const char *ymd)
{
    int32_t d = 0;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_day_parse(ymd, &d, "day", &e), JF_OK);
    return d;
}

static void test_shanghai_day_boundary(void **state)
{
    (void)state;
    use_zone("Asia/Shanghai");
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T23:59:59+08:00")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-02T00:00:00+08:00")), day_of("2026-01-02"));
    /* the same instants written in UTC */
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T15:59:59Z")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T16:00:00Z")), day_of("2026-01-02"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T00:00:00Z")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_offset(ts_of("2026-01-01T00:00:00Z")), 8 * 3600);
    assert_int_equal(jf_tz_offset(ts_of("2026-07-01T00:00:00Z")), 8 * 3600); /* no DST */
}

static void test_shanghai_day_start(void **state)
{
    (void)state;
    use_zone("Asia/Shanghai");
    assert_i64(jf_tz_day_start(day_of("2026-01-02")), ts_of("2026-01-02T00:00:00+08:00"));
    assert_i64(jf_tz_day_start(day_of("2026-01-02")), ts_of("2026-01-01T16:00:00Z"));
    assert_i64(jf_tz_day_start(day_of("2000-01-01")), ts_of("2000-01-01T00:00:00+08:00"));
    assert_i64(jf_tz_day_start(day_of("2024-02-29")), ts_of("2024-02-29T00:00:00+08:00"));
}

static void test_utc(void **state)
{
    (void)state;
    use_zone("UTC");
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T23:59:59Z")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-02T00:00:00Z")), day_of("2026-01-02"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-02T07:59:59+08:00")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_offset(ts_of("2026-06-01T00:00:00Z")), 0);
    assert_i64(jf_tz_day_start(day_of("2026-01-02")), ts_of("2026-01-02T00:00:00Z"));
    /* before the epoch too: local day -1 is 1969-12-31 */
    assert_int_equal(jf_tz_local_day(-1), -1);
    assert_int_equal(jf_tz_local_day(-86400), -1);
    assert_int_equal(jf_tz_local_day(-86401), -2);
    assert_int_equal(jf_tz_local_day(0), 0);
}

static void test_negative_offset_zone(void **state)
{
    (void)state;
    use_zone("America/New_York");
    /* EST in winter, EDT in summer */
    assert_int_equal(jf_tz_offset(ts_of("2026-01-15T12:00:00Z")), -5 * 3600);
    assert_int_equal(jf_tz_offset(ts_of("2026-07-15T12:00:00Z")), -4 * 3600);
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-02T04:59:59Z")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-02T05:00:00Z")), day_of("2026-01-02"));
    /* the days around both DST changes of 2026 (Mar 8 and Nov 1, at 02:00 local) */
    assert_i64(jf_tz_day_start(day_of("2026-03-08")), ts_of("2026-03-08T00:00:00-05:00"));
    assert_i64(jf_tz_day_start(day_of("2026-03-09")), ts_of("2026-03-09T00:00:00-04:00"));
    assert_i64(jf_tz_day_start(day_of("2026-11-01")), ts_of("2026-11-01T00:00:00-04:00"));
    assert_i64(jf_tz_day_start(day_of("2026-11-02")), ts_of("2026-11-02T00:00:00-05:00"));
}

static void test_half_hour_zone(void **state)
{
    (void)state;
    use_zone("Asia/Kolkata");
    assert_int_equal(jf_tz_offset(ts_of("2026-01-01T00:00:00Z")), 5 * 3600 + 1800);
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T18:29:59Z")), day_of("2026-01-01"));
    assert_int_equal(jf_tz_local_day(ts_of("2026-01-01T18:30:00Z")), day_of("2026-01-02"));
    assert_i64(jf_tz_day_start(day_of("2026-01-02")), ts_of("2026-01-01T18:30:00Z"));
}

/* For every day of a range: the day starts at an instant of that day, and the second before
 * it belongs to the day before. */
static void check_day_starts(const char *zone, int y0, int y1)
{
    use_zone(zone);
    int32_t d0 = jf_days_from_civil(y0, 1, 1), d1 = jf_days_from_civil(y1, 1, 1);
    for (int32_t d = d0; d < d1; d++) {
        int64_t s = jf_tz_day_start(d);
        if (jf_tz_local_day(s) != d || jf_tz_local_day(s - 1) != d - 1) {
            char b[16];
            jf_day_format(d, b, sizeof b);
            print_error("%s: day %s starts at %lld, which is local day %d (previous second: %d)\n",
                        zone, b, (long long)s, jf_tz_local_day(s), jf_tz_local_day(s - 1));
            fail();
        }
    }
}

static void test_day_start_property(void **state)
{
    (void)state;
    check_day_starts("Asia/Shanghai", 2000, 2060);
    check_day_starts("UTC", 2000, 2060);
    check_day_starts("America/New_York", 2000, 2060);
    check_day_starts("Europe/London", 2000, 2060);
    check_day_starts("Australia/Lord_Howe", 2000, 2040); /* a 30-minute DST */
    check_day_starts("Asia/Kathmandu", 2000, 2040);      /* +05:45 */
}

/* America/Havana moves from 00:00 CST to 01:00 CDT on 2026-03-08: that day begins at 01:00
 * local (05:00Z), the first instant after the jump, not at an instant of the previous day. */
static void test_day_start_midnight_dst(void **state)
{
    (void)state;
    use_zone("America/Havana");
    assert_i64(jf_tz_day_start(day_of("2026-03-08")), ts_of("2026-03-08T01:00:00-04:00"));
    check_day_starts("America/Havana", 2000, 2060);
    check_day_starts("America/Santiago", 2000, 2060);
}

/* "Asia" is a folder of the tz database and "leapseconds" a file that is not a zone: both are
 * refused rather than letting the C library fall back to UTC silently. */
static void test_zone_directory_refused(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_tz_check("Asia", "timezone", &e), JF_ERR);
    jf_err_clear(&e);
    assert_int_equal(jf_tz_check("leapseconds", "timezone", &e), JF_ERR);
}

static void zone_bad(const char *name)
{
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_tz_check(name, "rules.timezone", &e);
    if (rc != JF_ERR) {
        print_error("zone '%s' accepted\n", name ? name : "(null)");
        fail();
    }
    assert_err(rc, &e, JF_E_INVALID, "rules.timezone");
}

static void test_zone_names_refused(void **state)
{
    (void)state;
    zone_bad("Asia/Nowhere");
    zone_bad("Mars/Olympus_Mons");
    zone_bad("asia/shanghai_x");
    zone_bad("");
    zone_bad(NULL);
    /* path traversal and absolute paths */
    zone_bad("../../../../etc/passwd");
    zone_bad("Asia/../../../../etc/passwd");
    zone_bad("Asia/../Asia/Shanghai");
    zone_bad("/etc/localtime");
    zone_bad("/Asia/Shanghai"); /* TZ would read the absolute path /Asia/Shanghai */
    zone_bad("/usr/share/zoneinfo/Asia/Shanghai");
    zone_bad("..");
    zone_bad("./UTC");
    zone_bad("Asia/./Shanghai");
    /* characters outside zone names */
    zone_bad("Asia/Shang hai");
    zone_bad("Asia\\Shanghai");
    zone_bad("Asia/Shanghai\n");
    zone_bad("Asia/Shanghai;rm");
    zone_bad("Asia/Shanghai%00");
    zone_bad("zone.tab");
    zone_bad(":Asia/Shanghai");
    zone_bad("UTC0");
    /* too long */
    char longname[80];
    memset(longname, 'A', sizeof longname);
    longname[65] = '\0';
    zone_bad(longname);
}

static void test_zone_names_accepted(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    assert_int_equal(jf_tz_check("UTC", "timezone", &e), JF_OK);
    assert_int_equal(jf_tz_check("Asia/Shanghai", "timezone", &e), JF_OK);
    assert_int_equal(jf_tz_check("America/Argentina/Buenos_Aires", "timezone", &e), JF_OK);
    assert_int_equal(jf_tz_check("America/Port-au-Prince", "timezone", &e), JF_OK);
    assert_int_equal(jf_tz_check("Etc/GMT+8", "timezone", &e), JF_OK);
    assert_int_equal(e.code, JF_E_NONE);
}

static void test_use_refused_keeps_zone(void **state)
{
    (void)state;
    use_zone("Asia/Shanghai");
    struct jf_err e;
    jf_err_clear(&e);
    int rc = jf_tz_use("Asia/Nowhere", &e);
    assert_err(rc, &e, JF_E_INVALID, "timezone");
    jf_err_clear(&e);
    rc = jf_tz_use("../../etc/passwd", &e);
    assert_err(rc, &e, JF_E_INVALID, "timezone");
    /* still Shanghai */
    assert_int_equal(jf_tz_offset(ts_of("2026-01-01T00:00:00Z")), 8 * 3600);
    assert_string_equal(getenv("TZ"), "Asia/Shanghai");
    /* switching and switching back */
    use_zone("UTC");
    assert_int_equal(jf_tz_offset(ts_of("2026-01-01T00:00:00Z")), 0);
    use_zone("Asia/Shanghai");
    use_zone("Asia/Shanghai"); /* the same zone twice is fine */
    assert_int_equal(jf_tz_offset(ts_of("2026-01-01T00:00:00Z")), 8 * 3600);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shanghai_day_boundary),
        cmocka_unit_test(test_shanghai_day_start),
        cmocka_unit_test(test_utc),
        cmocka_unit_test(test_negative_offset_zone),
        cmocka_unit_test(test_half_hour_zone),
        cmocka_unit_test(test_day_start_property),
        cmocka_unit_test(test_zone_names_refused),
        cmocka_unit_test(test_zone_names_accepted),
        cmocka_unit_test(test_use_refused_keeps_zone),
        cmocka_unit_test(test_day_start_midnight_dst),
        cmocka_unit_test(test_zone_directory_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
