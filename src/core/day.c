/*
 * day.c — civil date arithmetic (days from and to year/month/day) and RFC 3339 parsing.
 */
#include "day.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "limits.h"

int32_t jf_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's well-known algorithm: shift the year to start in March. */
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void jf_civil_from_days(int32_t z0, int *y, int *m, int *d)
{
    int64_t z = (int64_t)z0 + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    const int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parses "YYYY-MM-DD" at s (exactly 10 characters available). */
static bool parse_date(const char *s, int *y, int *m, int *d)
{
    if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
        !digits(s + 8, 2, d)) {
        return false;
    }
    if (*y < JF_YEAR_MIN || *y > JF_YEAR_MAX || *m < 1 || *m > 12 || *d < 1 ||
        *d > days_in_month(*y, *m)) {
        return false;
    }
    return true;
}

int jf_day_parse(const char *s, int32_t *day_out, const char *field, struct jf_err *err)
{
    int y, m, d;
    if (s == NULL || strlen(s) != 10 || !parse_date(s, &y, &m, &d)) {
        return jf_err_set(err, JF_E_INVALID, field, "'%.32s' is not a date YYYY-MM-DD",
                          s ? s : "");
    }
    *day_out = jf_days_from_civil(y, m, d);
    return JF_OK;
}

void jf_day_format(int32_t day, char *buf, size_t n)
{
    int y, m, d;
    jf_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

int jf_time_parse(const char *s, int64_t *ts_out, const char *field, struct jf_err *err)
{
    size_t n = s ? strlen(s) : 0;
    int y, mo, d, h, mi, se;
    if (n < 20 || n > 40 || !parse_date(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &se) || h > 23 || mi > 59 || se > 59) {
        goto bad;
    }
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        const char *f = p;
        while (*p >= '0' && *p <= '9') {
            p++;
        }
        if (p == f || p - f > 9) {
            goto bad;
        }
    }
    int32_t off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
            om > 59) {
            goto bad;
        }
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        goto bad;
    }
    if (*p != '\0') {
        goto bad;
    }
    *ts_out = (int64_t)jf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return JF_OK;
bad:
    return jf_err_set(err, JF_E_INVALID, field,
                      "'%.40s' is not an RFC 3339 time such as 2026-01-01T09:00:00+08:00",
                      s ? s : "");
}

void jf_time_format(int64_t ts, int32_t offset_s, char *buf, size_t n)
{
    int64_t local = ts + offset_s;
    int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    int64_t sod = local - days * 86400;
    int y, m, d;
    jf_civil_from_days((int32_t)days, &y, &m, &d);
    int32_t ao = offset_s < 0 ? -offset_s : offset_s;
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, m, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60), offset_s < 0 ? '-' : '+', ao / 3600,
             ao / 60 % 60);
}
