/*
 * fuzz_amount.c — libFuzzer target: the exact decimal parsers and printers of src/core/amount.c
 * against a reference written here another way, and the checked arithmetic against 128-bit
 * integers.
 *
 * The input, as text (up to 64 bytes), is given to jf_rate_parse and jf_amount_parse:
 *   - each accepts exactly what the reference accepts, with the same value: a rate is digits
 *     (1 to 12 before the point), an optional point with at least one digit, an optional '%';
 *     exact in ppm (4 decimals before '%', 6 without: further decimals only zeros), at most 40
 *     bytes, at most JF_RATE_PPM_MAX; an amount the same with an optional '-' before, exact in
 *     hundredths, at most JF_AMOUNT_INPUT_MAX in magnitude;
 *   - what parses prints back (jf_rate_format, jf_amount_format) to text that parses to the
 *     same value, and printing that again gives the same text (one canonical form);
 *   - "X%" is X / 100: both parse to the same ppm when both are exact;
 *   - a refusal names the field and says why.
 * The first 24 bytes, as three integers, drive jf_add, jf_sub, jf_mul, jf_muldiv_floor and
 * jf_apply (the result or the overflow must be what 128-bit arithmetic says) and
 * jf_decimal_format_grouped (its digits without the commas are the truncated value).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "fuzz_check.h"
#include "limits.h"

#define TEXT_MAX 64

/* 10^k for 0 <= k <= 18. */
static int64_t pow10_i64(int k)
{
    int64_t p = 1;
    while (k-- > 0) {
        p *= 10;
    }
    return p;
}

/* The reference: the exact value of s[0..n) in units of 10^-scale, or false when s is not
 * "D[.D]" with 1 to 12 integer digits and at most `scale` significant decimals. */
static bool ref_scaled(const char *s, size_t n, int scale, __int128 *out)
{
    size_t i = 0, int_digits = 0;
    __int128 v = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (++int_digits <= JF_DECIMAL_INT_DIGITS_MAX) {
            v = v * 10 + (s[i] - '0');
        }
        i++;
    }
    if (int_digits == 0 || int_digits > JF_DECIMAL_INT_DIGITS_MAX) {
        return false;
    }
    size_t frac_end = n;
    if (i < n) {
        if (s[i++] != '.' || i == n) {
            return false;
        }
        for (size_t j = i; j < n; j++) {
            if (s[j] < '0' || s[j] > '9') {
                return false;
            }
        }
        while (frac_end > i && s[frac_end - 1] == '0') {
            frac_end--; /* trailing zeros say nothing */
        }
        if (frac_end - i > (size_t)scale) {
            return false;
        }
    }
    int used = 0;
    for (; i < frac_end; i++, used++) {
        v = v * 10 + (s[i] - '0');
    }
    for (; used < scale; used++) {
        v *= 10;
    }
    *out = v;
    return true;
}

static bool ref_rate(const char *s, int64_t *ppm)
{
    size_t n = strlen(s);
    if (n == 0 || n > 40) {
        return false;
    }
    bool pct = s[n - 1] == '%';
    __int128 v;
    if (!ref_scaled(s, pct ? n - 1 : n, pct ? 4 : 6, &v) || v > JF_RATE_PPM_MAX) {
        return false;
    }
    *ppm = (int64_t)v;
    return true;
}

static bool ref_amount(const char *s, int64_t *minor)
{
    bool neg = s[0] == '-';
    const char *p = neg ? s + 1 : s;
    size_t n = strlen(p);
    __int128 v;
    if (n == 0 || n > 40 || !ref_scaled(p, n, 2, &v) || v > JF_AMOUNT_INPUT_MAX) {
        return false;
    }
    *minor = (int64_t)(neg ? -v : v);
    return true;
}

static void check_error(int rc, const struct jf_err *err, const char *field, const char *s)
{
    FUZZ_CHECK(rc == JF_ERR && err->code == JF_E_INVALID && strcmp(err->field, field) == 0 &&
                   err->msg[0] != '\0',
               "refusal of '%s': code %d field '%s' msg '%s'", s, err->code, err->field,
               err->msg);
}

typedef int (*parse_fn)(const char *s, int64_t *out, const char *field, struct jf_err *err);
typedef void (*format_fn)(int64_t v, char *buf, size_t n);
typedef bool (*ref_fn)(const char *s, int64_t *out);

/* `parse` accepts s exactly when the reference does, with its value, and what it accepts
 * prints back (`format`) to one canonical text of the same value. True when s parses (*v). */
static bool check_parser(const char *field, parse_fn parse, format_fn format, ref_fn ref,
                         const char *s, int64_t *v)
{
    struct jf_err err;
    jf_err_clear(&err);
    int64_t got = -1, want = -1;
    int rc = parse(s, &got, field, &err);
    bool ok = ref(s, &want);
    FUZZ_CHECK((rc == JF_OK) == ok, "%s '%s': parse %d, reference %d", field, s, rc, ok);
    if (!ok) {
        check_error(rc, &err, field, s);
        return false;
    }
    FUZZ_CHECK(got == want, "%s '%s': %lld, reference %lld", field, s, (long long)got,
               (long long)want);
    char text[32], again[32];
    format(got, text, sizeof text);
    int64_t back = -1;
    FUZZ_CHECK(parse(text, &back, field, NULL) == JF_OK && back == got,
               "%s '%s' = %lld prints as '%s', which parses to %lld", field, s, (long long)got,
               text, (long long)back);
    format(back, again, sizeof again);
    FUZZ_CHECK(strcmp(text, again) == 0, "%s prints '%s', then '%s'", field, text, again);
    *v = got;
    return true;
}

static void check_rate(const char *s)
{
    int64_t ppm;
    if (!check_parser("rate", jf_rate_parse, jf_rate_format, ref_rate, s, &ppm)) {
        return;
    }
    /* X% is X / 100 */
    size_t n = strlen(s);
    if (n < TEXT_MAX && s[n - 1] != '%') {
        char pct[TEXT_MAX + 2];
        snprintf(pct, sizeof pct, "%s%%", s);
        int64_t p = -1;
        bool exact = ppm % 100 == 0 && n + 1 <= 40;
        FUZZ_CHECK((jf_rate_parse(pct, &p, "rate", NULL) == JF_OK) == exact,
                   "rate '%s' is %lld ppm but '%s' %s", s, (long long)ppm, pct,
                   exact ? "is refused" : "parses");
        FUZZ_CHECK(!exact || p * 100 == ppm, "'%s' is %lld ppm, '%s' %lld ppm", s,
                   (long long)ppm, pct, (long long)p);
    }
}

static void check_amount(const char *s)
{
    int64_t minor;
    check_parser("amount", jf_amount_parse, jf_amount_format, ref_amount, s, &minor);
}

static int64_t i64_at(const uint8_t *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++) {
        u = u << 8 | p[i];
    }
    return (int64_t)u;
}

static bool fits(__int128 v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}

/* floor(p / c) for c > 0, by the remainder taken non-negative. */
static __int128 floor_div(__int128 p, __int128 c)
{
    __int128 r = p % c;
    if (r < 0) {
        r += c;
    }
    return (p - r) / c;
}

static void check_arithmetic(int64_t a, int64_t b, int64_t c)
{
    int64_t out = 0x5a5a;
    __int128 w = (__int128)a + b;
    FUZZ_CHECK(jf_add(a, b, &out) == fits(w) && (!fits(w) || out == (int64_t)w),
               "add %lld %lld", (long long)a, (long long)b);
    w = (__int128)a - b;
    FUZZ_CHECK(jf_sub(a, b, &out) == fits(w) && (!fits(w) || out == (int64_t)w),
               "sub %lld %lld", (long long)a, (long long)b);
    w = (__int128)a * b;
    FUZZ_CHECK(jf_mul(a, b, &out) == fits(w) && (!fits(w) || out == (int64_t)w),
               "mul %lld %lld", (long long)a, (long long)b);
    if (c > 0) {
        __int128 q = floor_div((__int128)a * b, c);
        FUZZ_CHECK(jf_muldiv_floor(a, b, c, &out) == fits(q) && (!fits(q) || out == (int64_t)q),
                   "muldiv_floor %lld %lld %lld", (long long)a, (long long)b, (long long)c);
        /* floor: never more than the exact quotient, less by under one unit */
        FUZZ_CHECK(!fits(q) || ((__int128)out * c <= (__int128)a * b &&
                                (__int128)a * b - (__int128)out * c < c),
                   "muldiv_floor %lld %lld %lld = %lld is not the floor", (long long)a,
                   (long long)b, (long long)c, (long long)out);
    } else {
        FUZZ_CHECK(!jf_muldiv_floor(a, b, c, &out), "muldiv_floor by %lld accepted",
                   (long long)c);
    }
    __int128 q = floor_div((__int128)a * b, JF_PPM);
    FUZZ_CHECK(jf_apply(a, b, &out) == fits(q) && (!fits(q) || out == (int64_t)q),
               "apply %lld %lld", (long long)a, (long long)b);
}

static void check_grouped(int64_t v, int decimals, int frac)
{
    char buf[48], digits[48], want[48];
    jf_decimal_format_grouped(v, decimals, frac, buf, sizeof buf);
    size_t k = 0;
    for (const char *p = buf; *p != '\0'; p++) {
        FUZZ_CHECK(k < sizeof digits - 1, "grouped '%s' too long", buf);
        if (*p != ',') {
            digits[k++] = *p;
        }
    }
    digits[k] = '\0';
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    uint64_t unit = (uint64_t)pow10_i64(decimals);
    int n = snprintf(want, sizeof want, "%s%llu", v < 0 ? "-" : "",
                     (unsigned long long)(u / unit));
    if (frac > 0) {
        uint64_t f = (u % unit) / (uint64_t)pow10_i64(decimals - frac);
        snprintf(want + n, sizeof want - (size_t)n, ".%0*llu", frac, (unsigned long long)f);
    }
    FUZZ_CHECK(strcmp(digits, want) == 0, "grouped %lld (%d, %d) is '%s', want '%s'",
               (long long)v, decimals, frac, buf, want);
    /* a comma every three digits of the integer part, counted from the point */
    const char *ip = buf + (v < 0), *end = strchr(ip, '.');
    size_t len = end ? (size_t)(end - ip) : strlen(ip);
    for (size_t i = 0; i < len; i++) {
        bool comma = (len - i) % 4 == 0;
        FUZZ_CHECK((ip[i] == ',') == comma, "grouped '%s': comma at %zu", buf, i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[TEXT_MAX + 1];
    size_t n = size < TEXT_MAX ? size : TEXT_MAX;
    memcpy(s, data, n);
    s[n] = '\0';
    check_rate(s);
    check_amount(s);
    if (size >= 24) {
        int64_t a = i64_at(data), b = i64_at(data + 8), c = i64_at(data + 16);
        check_arithmetic(a, b, c);
        int decimals = (int)((uint64_t)c % 10);
        int frac = (int)(((uint64_t)c / 10) % (uint64_t)(decimals + 1));
        check_grouped(a, decimals, frac);
    }
    return 0;
}
