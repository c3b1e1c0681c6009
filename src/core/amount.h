/*
 * amount.h — exact arithmetic on money and points.
 *
 * Invariants: every quantity is an int64_t count of minor units (1 yuan = 100 fen,
 * 1 point = 100 minor units); every rate is an int64_t in parts per million (ppm). No floating
 * point is used anywhere here. Every operation that can overflow reports it instead of
 * wrapping. apply() rounds toward minus infinity (floor): the platform never pays a fraction.
 */
#ifndef JF_AMOUNT_H
#define JF_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define JF_PPM 1000000LL

/* a + b into *out; false on overflow (then *out is untouched). Inline: hot loops use them. */
static inline bool jf_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) {
        return false;
    }
    *out = r;
    return true;
}

static inline bool jf_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) {
        return false;
    }
    *out = r;
    return true;
}

static inline bool jf_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) {
        return false;
    }
    *out = r;
    return true;
}

/* floor(a * b / c) with a 128-bit intermediate, c > 0; false on overflow. */
static inline bool jf_muldiv_floor(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    if (c <= 0) {
        return false;
    }
    __int128 p = (__int128)a * (__int128)b;
    __int128 q = p / c;
    if ((p % c != 0) && (p < 0)) {
        q -= 1; /* C division truncates toward zero; floor goes down */
    }
    if (q > INT64_MAX || q < INT64_MIN) {
        return false;
    }
    *out = (int64_t)q;
    return true;
}

/* floor(amount * rate_ppm / 1,000,000) with a 128-bit intermediate; false on overflow. */
static inline bool jf_apply(int64_t amount, int64_t rate_ppm, int64_t *out)
{
    return jf_muldiv_floor(amount, rate_ppm, JF_PPM, out);
}

/* Parses a decimal rate: "1.2%", "0.012", "2.5", "1.25%", "100", into ppm. Refuses signs,
 * exponents, spaces, empty parts, and anything finer than one ppm (no silent rounding).
 * `field` names the input in the error. */
int jf_rate_parse(const char *s, int64_t *ppm_out, const char *field, struct jf_err *err);

/* Formats a ppm value as the shortest exact decimal ("0.012", "2.5", "1"). buf >= 32 bytes. */
void jf_rate_format(int64_t ppm, char *buf, size_t n);

/* Formats minor units with two decimals and the sign ("-1234.05"). buf >= 32 bytes. */
void jf_amount_format(int64_t minor, char *buf, size_t n);

/* Formats v, a count of 10^-decimals, with thousands separators and the first `frac` of its
 * decimals, truncated ("-1,234,567.8" for -123456789, 2, 1). 0 <= frac <= decimals <= 9;
 * buf >= 40 bytes. For reports and charts, where round figures are read at a glance. */
void jf_decimal_format_grouped(int64_t v, int decimals, int frac, char *buf, size_t n);

/* Parses "1234", "1234.5", "1234.05", "-3.10" in major units into minor units (2 decimals at
 * most). Used where people type yuan (CLI). */
int jf_amount_parse(const char *s, int64_t *minor_out, const char *field, struct jf_err *err);

#endif
