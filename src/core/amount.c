/*
 * amount.c — checked int64 arithmetic, ppm rates, exact decimal parsing (see amount.h).
 */
#include "amount.h"

#include <stdio.h>
#include <string.h>

#include "jf_assert.h"
#include "limits.h"

/* Parses the digits of s[0..n) as a non-negative integer with at most max_digits digits. */
static bool parse_digits(const char *s, size_t n, size_t max_digits, int64_t *out)
{
    if (n == 0 || n > max_digits) {
        return false;
    }
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Parses "I[.F]" with `scale_digits` decimals into an integer scaled by 10^scale_digits.
 * Extra fraction digits are allowed only when they are zeros. */
static bool parse_scaled(const char *s, size_t n, int scale_digits, int64_t *out)
{
    const char *dot = memchr(s, '.', n);
    size_t int_len = dot ? (size_t)(dot - s) : n;
    int64_t ip;
    if (!parse_digits(s, int_len, JF_DECIMAL_INT_DIGITS_MAX, &ip)) {
        return false;
    }
    int64_t frac = 0;
    if (dot) {
        const char *f = dot + 1;
        size_t flen = n - int_len - 1;
        if (flen == 0) {
            return false; /* "1." */
        }
        for (size_t i = 0; i < flen; i++) {
            if (f[i] < '0' || f[i] > '9') {
                return false;
            }
            if ((int)i < scale_digits) {
                frac = frac * 10 + (f[i] - '0');
            } else if (f[i] != '0') {
                return false; /* finer than the scale: inexact */
            }
        }
        for (size_t i = flen; (int)i < scale_digits; i++) {
            frac *= 10;
        }
    } else {
        for (int i = 0; i < scale_digits; i++) {
            frac *= 10; /* stays 0 */
        }
    }
    int64_t scale = 1;
    for (int i = 0; i < scale_digits; i++) {
        scale *= 10;
    }
    int64_t v;
    if (!jf_mul(ip, scale, &v) || !jf_add(v, frac, &v)) {
        return false;
    }
    *out = v;
    return true;
}

int jf_rate_parse(const char *s, int64_t *ppm_out, const char *field, struct jf_err *err)
{
    if (s == NULL) {
        return jf_err_set(err, JF_E_INVALID, field, "a rate is required");
    }
    size_t n = strlen(s);
    if (n == 0 || n > 40) {
        return jf_err_set(err, JF_E_INVALID, field, "rate '%.40s' is empty or too long", s);
    }
    bool percent = s[n - 1] == '%';
    size_t body = percent ? n - 1 : n;
    int64_t v;
    /* a percentage has 4 decimals of ppm precision (1% = 10,000 ppm); a plain number 6 */
    if (!parse_scaled(s, body, percent ? 4 : 6, &v)) {
        return jf_err_set(err, JF_E_INVALID, field,
                          "rate '%s' is not an exact decimal (write \"1.2%%\", \"0.012\" or "
                          "\"2.5\"; at most 6 decimals, or 4 before %%)",
                          s);
    }
    if (v > JF_RATE_PPM_MAX) {
        return jf_err_set(err, JF_E_INVALID, field, "rate '%s' is too large", s);
    }
    *ppm_out = v;
    return JF_OK;
}

void jf_rate_format(int64_t ppm, char *buf, size_t n)
{
    const char *sign = ppm < 0 ? "-" : "";
    uint64_t u = ppm < 0 ? (uint64_t)0 - (uint64_t)ppm : (uint64_t)ppm;
    uint64_t ip = u / 1000000u, fp = u % 1000000u;
    if (fp == 0) {
        snprintf(buf, n, "%s%llu", sign, (unsigned long long)ip);
        return;
    }
    char frac[8];
    snprintf(frac, sizeof frac, "%06llu", (unsigned long long)fp);
    for (int i = 5; i > 0 && frac[i] == '0'; i--) {
        frac[i] = '\0';
    }
    snprintf(buf, n, "%s%llu.%s", sign, (unsigned long long)ip, frac);
}

void jf_amount_format(int64_t minor, char *buf, size_t n)
{
    const char *sign = minor < 0 ? "-" : "";
    uint64_t u = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    snprintf(buf, n, "%s%llu.%02llu", sign, (unsigned long long)(u / 100u),
             (unsigned long long)(u % 100u));
}

void jf_decimal_format_grouped(int64_t v, int decimals, int frac, char *buf, size_t n)
{
    JF_ASSERT(decimals >= 0 && decimals <= 9 && frac >= 0 && frac <= decimals && n >= 40);
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, unit = 1;
    for (int d = 0; d < decimals; d++) {
        unit *= 10;
    }
    char digits[24], fr[16];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / unit));
    size_t o = 0;
    if (v < 0) {
        buf[o++] = '-';
    }
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0) {
            buf[o++] = ',';
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    if (frac > 0) {
        snprintf(fr, sizeof fr, "%0*llu", decimals, (unsigned long long)(a % unit));
        snprintf(buf + o, n - o, ".%.*s", frac, fr);
    }
}

int jf_amount_parse(const char *s, int64_t *minor_out, const char *field, struct jf_err *err)
{
    if (s == NULL || s[0] == '\0') {
        return jf_err_set(err, JF_E_INVALID, field, "an amount is required");
    }
    bool neg = s[0] == '-';
    const char *p = neg ? s + 1 : s;
    size_t n = strlen(p);
    int64_t v;
    if (n > 40 || !parse_scaled(p, n, 2, &v)) {
        return jf_err_set(err, JF_E_INVALID, field,
                          "amount '%.40s' is not a decimal with at most 2 decimals", s);
    }
    if (v > JF_AMOUNT_INPUT_MAX) {
        return jf_err_set(err, JF_E_INVALID, field, "amount '%s' is too large", s);
    }
    *minor_out = neg ? -v : v;
    return JF_OK;
}
