/*
 * test_contribution.c — unit tests of src/core/contribution.c: the arithmetic of contribution
 * value and daily dividends (SPEC 5.2, units of SPEC 1).
 *
 *   jf_friend_consumption  floor(amount x multiplier x rate) with ONE floor of the exact
 *                          product (amount in fen, multiplier and rate in ppm);
 *   jf_dividend_day        whole units, per_unit floor, remainder kept, spent_per_unit;
 *   jf_signin_reward       streak[(n - 1) mod length];
 *   jf_task_capped         what still fits under a task kind's daily cap.
 *
 * Amounts: order amounts in fen, contribution in minor units (1 contribution = 100), so the
 * spec's "10000 fen x 100 x 5%" gives 50000 minor units = 500.00 contribution. The default
 * dividend unit (10,000.00 contribution) is 1,000,000 minor units.
 *
 * Expectations are computed by hand; random friend-consumption inputs are checked against two
 * independent exact references written here: plain unsigned __int128 arithmetic where the
 * triple product fits 128 bits, and a schoolbook multi-limb (32-bit limbs, 256 bits) product
 * followed by long division, which also covers triple products beyond 2^128.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "contribution.h"
#include "rules.h"
#include "unit_helpers.h"

#define GARBAGE 0x5A
#define PPM 1000000LL
#define UNIT 1000000LL /* the default dividend unit: 10,000.00 contribution */

/* Large: kept out of the stack. RULES holds the defaults, VAR the variant of the test. */
static struct jf_rules RULES;
static struct jf_rules VAR;

/* Applies `text` over the defaults into *r; fails the test on error. */
static const struct jf_rules *rules_ok(struct jf_rules *r, const char *text)
{
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    if (jf_rules_apply_text(NULL, text, &doc, r, &e) != JF_OK) {
        print_error("rules %s refused at '%s': %s\n", text, e.field, e.msg);
        fail();
    }
    json_decref(doc);
    return r;
}

static int load_default_rules(void **state)
{
    (void)state;
    struct jf_err e;
    jf_err_clear(&e);
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, "{}", &doc, &RULES, &e);
    json_decref(doc);
    return rc == JF_OK ? 0 : -1;
}

/* ---- jf_friend_consumption ------------------------------------------------------------------ */

/* The call succeeds with `expected`. */
static void fc_refused_at(int64_t amount, int64_t mul, int64_t rate, const char *file, int line);

/* The contract bounds the multiplier and the rate (JF_RATE_PPM_MAX): beyond, a refusal. */
#define RATE_BOUND 1000000000000LL

static void fc_ok_at(int64_t amount, int64_t mul, int64_t rate, int64_t expected,
                     const char *file, int line)
{
    if (mul > RATE_BOUND || rate > RATE_BOUND) {
        fc_refused_at(amount, mul, rate, file, line);
        return;
    }
    int64_t out = -7;
    if (!jf_friend_consumption(amount, mul, rate, &out)) {
        print_error("%s:%d: jf_friend_consumption(%lld, %lld, %lld) refused, expected %lld\n",
                    file, line, (long long)amount, (long long)mul, (long long)rate,
                    (long long)expected);
        fail();
    }
    if (out != expected) {
        print_error("%s:%d: jf_friend_consumption(%lld, %lld, %lld) = %lld, expected %lld\n",
                    file, line, (long long)amount, (long long)mul, (long long)rate,
                    (long long)out, (long long)expected);
        fail();
    }
}

/* The call is refused. */
static void fc_refused_at(int64_t amount, int64_t mul, int64_t rate, const char *file, int line)
{
    int64_t out = -7;
    if (jf_friend_consumption(amount, mul, rate, &out)) {
        print_error("%s:%d: jf_friend_consumption(%lld, %lld, %lld) accepted with %lld, "
                    "expected a refusal\n",
                    file, line, (long long)amount, (long long)mul, (long long)rate,
                    (long long)out);
        fail();
    }
}

#define fc_ok(a, m, r, e) fc_ok_at((a), (m), (r), (e), __FILE__, __LINE__)
#define fc_refused(a, m, r) fc_refused_at((a), (m), (r), __FILE__, __LINE__)

/* SPEC 5.2: a friend's 100.00 order x "100" x (5%, 2.5%, 1.25%). */
static void test_friend_consumption_spec_example(void **state)
{
    (void)state;
    fc_ok(10000, 100 * PPM, 50000, 50000); /* 500.00 contribution */
    fc_ok(10000, 100 * PPM, 25000, 25000); /* 250.00 */
    fc_ok(10000, 100 * PPM, 12500, 12500); /* 125.00 */

    /* the same numbers as parsed by the default rules */
    const struct jf_rules *r = &RULES;
    assert_i64(r->contribution.friend_consumption_multiplier_ppm, 100 * PPM);
    assert_int_equal(r->contribution.friend_consumption_rates.n, 3);
    static const int64_t want[3] = {50000, 25000, 12500};
    for (int g = 0; g < 3; g++) {
        int64_t out = -1;
        assert_true(jf_friend_consumption(10000, r->contribution.friend_consumption_multiplier_ppm,
                                          r->contribution.friend_consumption_rates.ppm[g], &out));
        assert_i64(out, want[g]);
    }

    /* a 3,000.00 order (300000 fen): 300000 x 100 x 5% = 1,500,000 (15,000.00) */
    fc_ok(300000, 100 * PPM, 50000, 1500000);
    fc_ok(300000, 100 * PPM, 25000, 750000);
    fc_ok(300000, 100 * PPM, 12500, 375000);
    /* 0.01 yuan: 1 x 100 x 1.25% = 1.25 -> 1 */
    fc_ok(1, 100 * PPM, 12500, 1);
}

/* One floor of the exact product, never a floor per step. */
static void test_friend_consumption_one_floor(void **state)
{
    (void)state;
    /* 333 x 100 x 1.25% = 416.25 -> 416 (one floor) */
    fc_ok(333, 100 * PPM, 12500, 416);
    /* 333 x 2.5% = 8.325; floor first (8) then x 100 would give 800 instead of 832 */
    fc_ok(333, 100 * PPM, 25000, 832); /* 832.5 */
    fc_ok(333, 100 * PPM, 50000, 1665);
    /* multiplier "0.5" and rate "0.5": 3 x 0.25 = 0.75 -> 0; 7 x 0.25 = 1.75 -> 1 */
    fc_ok(3, 500000, 500000, 0);
    fc_ok(7, 500000, 500000, 1);
    /* per-step floors lose: 3 x 1.5 = 4.5 (floor 4) x 1.5 = 6, exact 3 x 2.25 = 6.75 -> 6;
     * 5 x 1.5 = 7.5 (7) x 1.5 = 10.5 -> 10, exact 11.25 -> 11 */
    fc_ok(3, 1500000, 1500000, 6);
    fc_ok(5, 1500000, 1500000, 11);
    /* the rate fraction below one ppm of the product survives to the last step:
     * 1 x 0.000001 x 0.000001 = 10^-12 -> 0; 10^12 x 1 ppm x 1 ppm = 1 */
    fc_ok(1, 1, 1, 0);
    fc_ok(1000000000000LL, 1, 1, 1);
    fc_ok(999999999999LL, 1, 1, 0);
    fc_ok(1999999999999LL, 1, 1, 1);
    /* 1,234.57 yuan x 1.234567 x 7.6543%: 123457 x 1234567 x 76543 = 11,666,373,151,442,617,
     * / 10^12 = 11666.37... -> 11666 */
    fc_ok(123457, 1234567, 76543, 11666);
    /* the identity multiplier and rate change nothing */
    fc_ok(123456789, PPM, PPM, 123456789);
}

static void test_friend_consumption_zero_and_negative(void **state)
{
    (void)state;
    fc_ok(0, 100 * PPM, 50000, 0);
    fc_ok(10000, 0, 50000, 0);
    fc_ok(10000, 100 * PPM, 0, 0);
    fc_ok(0, 0, 0, 0);
    fc_ok(0, INT64_MAX, INT64_MAX, 0);
    fc_ok(INT64_MAX, 0, INT64_MAX, 0);
    fc_ok(INT64_MAX, INT64_MAX, 0, 0);

    fc_refused(-1, 100 * PPM, 50000);
    fc_refused(10000, -1, 50000);
    fc_refused(10000, 100 * PPM, -1);
    fc_refused(INT64_MIN, 100 * PPM, 50000);
    fc_refused(10000, INT64_MIN, 50000);
    fc_refused(10000, 100 * PPM, INT64_MIN);
    fc_refused(-10000, -100 * PPM, 50000); /* two negatives do not make a positive */
    fc_refused(0, -1, 0);                  /* refused even when the product would be 0 */

    /* a refusal leaves *out untouched */
    int64_t out = 4242;
    assert_false(jf_friend_consumption(-1, PPM, PPM, &out));
    assert_i64(out, 4242);
}

static void test_friend_consumption_int64_edges(void **state)
{
    (void)state;
    /* amount near INT64_MAX with a small rate */
    fc_ok(INT64_MAX, 1, 1, INT64_MAX / 1000000000000LL); /* 9223372 */
    fc_ok(INT64_MAX, PPM, 1, INT64_MAX / PPM);           /* 9223372036854 */
    fc_ok(INT64_MAX, 100 * PPM, 1, INT64_MAX / 10000);   /* x 100 x 0.0001% */
    fc_ok(INT64_MAX, 100 * PPM, 100, INT64_MAX / 100);   /* x 100 x 0.01% = x 1% */
    fc_ok(INT64_MAX - 1, 100 * PPM, 100, (INT64_MAX - 1) / 100);
    /* x 100 x 1% = x 1: exactly INT64_MAX, the largest result */
    fc_ok(INT64_MAX, 100 * PPM, 10000, INT64_MAX);
    fc_ok(INT64_MAX, PPM, PPM, INT64_MAX);
    /* one ppm more is refused */
    fc_refused(INT64_MAX, 100 * PPM, 10001);
    fc_refused(INT64_MAX, PPM, PPM + 1);
    fc_refused(INT64_MAX, PPM + 1, PPM);
    /* x 100 x 1.25%: INT64_MAX x 1.25 does not fit; half of it does:
     * 4611686018427387903 x 1.25 = 5764607523034234878.75 -> 5764607523034234878 */
    fc_refused(INT64_MAX, 100 * PPM, 12500);
    fc_ok(4611686018427387903LL, 100 * PPM, 12500, 5764607523034234878LL);
    /* x 100 x 5% = x 5: the largest amount is floor(INT64_MAX / 5) = 1844674407370955161
     * (x 5 = 9223372036854775805); one fen more gives 9223372036854775810 > INT64_MAX */
    fc_ok(1844674407370955161LL, 100 * PPM, 50000, 9223372036854775805LL);
    fc_refused(1844674407370955162LL, 100 * PPM, 50000);
    /* x 2.5 with a fraction: 3689348814741910323 x 2.5 = 9223372036854775807.5 -> INT64_MAX */
    fc_ok(3689348814741910323LL, 100 * PPM, 25000, INT64_MAX);
    fc_refused(3689348814741910324LL, 100 * PPM, 25000); /* 9223372036854775810 */

    /* The largest triple products whose result still fits: amount x multiplier x rate =
     * INT64_MAX x 10^12 (about 2^103), the 128-bit product amount x multiplier as large as it
     * gets with a fitting result, wherever the factors sit. */
    fc_ok(INT64_MAX, 1000000000000LL, 1, INT64_MAX);
    fc_ok(INT64_MAX, 1, 1000000000000LL, INT64_MAX);
    fc_ok(1, INT64_MAX, 1000000000000LL, INT64_MAX);
    fc_ok(1, 1000000000000LL, INT64_MAX, INT64_MAX);
    fc_ok(1000000000000LL, INT64_MAX, 1, INT64_MAX);
    fc_ok(1000000000000LL, 1, INT64_MAX, INT64_MAX);
    fc_ok(1000000, INT64_MAX, 1000000, INT64_MAX);
    fc_refused(INT64_MAX, 1000000000001LL, 1);
    fc_refused(INT64_MAX, 1, 1000000000001LL);
    fc_refused(1, INT64_MAX, 1000000000001LL);
    /* amount x multiplier far beyond 64 bits, the rate small: (2^62) x (2^40) x 1 / 10^12 =
     * 2^102 / 10^12 = 5070602400912917605986812821504 / 10^12 = 5070602400912917605 (fits) */
    fc_ok((int64_t)1 << 62, (int64_t)1 << 40, 1, 5070602400912917605LL);
    /* 2^62 x 2^41 x 1 / 10^12 = 10141204801825835211 > INT64_MAX */
    fc_refused((int64_t)1 << 62, (int64_t)1 << 41, 1);
    /* 10^9 x 10^9 x 10^3 / 10^12 = 10^9 */
    fc_ok(1000000000, 1000000000, 1000, 1000000000);

    /* Triple products beyond 2^127 and 2^128 (about 2^189 at most): their result is always above
     * INT64_MAX (a fitting result needs a product below 2^63 x 10^12 < 2^103), so each must be
     * refused, never wrapped. */
    fc_refused(INT64_MAX, INT64_MAX, 1);
    fc_refused(INT64_MAX, INT64_MAX, 2);
    fc_refused(INT64_MAX, INT64_MAX, PPM);
    fc_refused(INT64_MAX, INT64_MAX, INT64_MAX);
    fc_refused(INT64_MAX, 1000000000000LL, 1000000000000LL); /* the documented input bounds */
    fc_refused((int64_t)1 << 62, (int64_t)1 << 62, (int64_t)1 << 4); /* exactly 2^128 */
    fc_refused((int64_t)1 << 62, (int64_t)1 << 62, (int64_t)1 << 3); /* exactly 2^127 */
}

/* ---- exact references ----------------------------------------------------------------------- */

/* 256-bit unsigned integers as eight 32-bit limbs, least significant first. */
#define BL 8

static void big_set(uint32_t a[BL], uint64_t v)
{
    memset(a, 0, sizeof(uint32_t) * BL);
    a[0] = (uint32_t)v;
    a[1] = (uint32_t)(v >> 32);
}

/* c = a x b (schoolbook); the product of three 63-bit numbers needs at most 189 bits. */
static void big_mul(const uint32_t a[BL], const uint32_t b[BL], uint32_t c[BL])
{
    uint32_t r[2 * BL];
    memset(r, 0, sizeof r);
    for (int i = 0; i < BL; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < BL; j++) {
            uint64_t t = (uint64_t)a[i] * b[j] + r[i + j] + carry;
            r[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        r[i + BL] = (uint32_t)carry;
    }
    for (int i = BL; i < 2 * BL; i++) {
        assert_int_equal(r[i], 0);
    }
    memcpy(c, r, sizeof(uint32_t) * BL);
}

/* a = floor(a / d), d < 2^32 (long division, most significant limb first) */
static void big_div_small(uint32_t a[BL], uint32_t d)
{
    uint64_t rem = 0;
    for (int i = BL - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | a[i];
        a[i] = (uint32_t)(cur / d);
        rem = cur % d;
    }
}

/* floor(amount x mul x rate / 10^12) by limbs: true and *out when it fits int64. */
static bool ref_big(int64_t amount, int64_t mul, int64_t rate, int64_t *out)
{
    uint32_t a[BL], m[BL], r[BL], t[BL], p[BL];
    big_set(a, (uint64_t)amount);
    big_set(m, (uint64_t)mul);
    big_set(r, (uint64_t)rate);
    big_mul(a, m, t);
    big_mul(t, r, p);
    big_div_small(p, 1000000u); /* floor(floor(x / 10^6) / 10^6) = floor(x / 10^12) */
    big_div_small(p, 1000000u);
    for (int i = 2; i < BL; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    if (p[1] >= 0x80000000u) {
        return false;
    }
    *out = (int64_t)(((uint64_t)p[1] << 32) | p[0]);
    return true;
}

/* The same with unsigned __int128 when amount x mul x rate fits 128 bits; *fits tells. */
static bool ref_128(int64_t amount, int64_t mul, int64_t rate, int64_t *out, bool *fits)
{
    unsigned __int128 am = (unsigned __int128)amount * (uint64_t)mul; /* < 2^126 */
    *fits = rate == 0 || am <= ~(unsigned __int128)0 / (uint64_t)rate;
    if (!*fits) {
        return false;
    }
    unsigned __int128 q = am * (uint64_t)rate / 1000000000000ULL;
    if (q > (unsigned __int128)INT64_MAX) {
        return false;
    }
    *out = (int64_t)q;
    return true;
}

/* A random non-negative int64 of a random bit length (0..63), so that small, medium and huge
 * operands all come up. */
static int64_t rand_operand(uint64_t *s)
{
    unsigned bits = (unsigned)(jt_rand(s) % 64);
    uint64_t v = (jt_rand(s) << 32) ^ jt_rand(s);
    v &= bits == 0 ? 0 : (((uint64_t)1 << bits) - 1);
    return (int64_t)v;
}

/* Realistic rules values: percentages and multipliers in ppm. */
static int64_t rand_ppm(uint64_t *s)
{
    static const int64_t common[] = {0,       1,        12500,     25000,     50000,   100000,
                                     500000,  999999,   1000000,   1000001,   1500000, 2500000,
                                     3500000, 10000000, 100000000, 1000000000000LL};
    switch (jt_rand(s) % 3) {
    case 0:
        return common[jt_rand(s) % (sizeof common / sizeof common[0])];
    case 1:
        return (int64_t)(jt_rand(s) % 2000001); /* 0% .. 200% */
    default:
        return rand_operand(s);
    }
}

/* Many seeded random inputs against both references. */
static void test_friend_consumption_random_vs_exact(void **state)
{
    (void)state;
    uint64_t s = 20261125;
    int64_t n128 = 0, nbig = 0, nfit = 0;
    for (int it = 0; it < 400000; it++) {
        int64_t a, m, r;
        switch (it % 4) {
        case 0: /* all random bit lengths */
            a = rand_operand(&s);
            m = rand_operand(&s);
            r = rand_operand(&s);
            break;
        case 1: /* realistic: amounts up to 10^12 fen, rules values */
            a = (int64_t)(jt_rand(&s) % 1000000000001ULL);
            m = rand_ppm(&s);
            r = rand_ppm(&s);
            break;
        case 2: /* huge amount, rules values */
            a = INT64_MAX - (int64_t)(jt_rand(&s) % 1000000);
            if (jt_rand(&s) % 2) {
                a = (int64_t)(jt_rand(&s) % (uint64_t)(INT64_MAX / 1000)) * 1000;
            }
            m = rand_ppm(&s);
            r = rand_ppm(&s);
            break;
        default: /* near the fitting boundary: the product about 2^103 */
            a = rand_operand(&s);
            m = rand_operand(&s);
            r = rand_operand(&s);
            {
                /* scale r so that the bit lengths add up to 100..106 */
                int la = a == 0 ? 0 : 64 - __builtin_clzll((uint64_t)a);
                int lm = m == 0 ? 0 : 64 - __builtin_clzll((uint64_t)m);
                int want = 100 + (int)(jt_rand(&s) % 7) - la - lm;
                if (want > 0 && want < 63) {
                    r = (int64_t)(((uint64_t)1 << (want - 1)) | (jt_rand(&s) &
                                   (((uint64_t)1 << (want - 1)) - 1)));
                }
            }
            break;
        }

        int64_t got = -7;
        bool ok = jf_friend_consumption(a, m, r, &got);

        int64_t eb = -9;
        bool okb = ref_big(a, m, r, &eb);
        nbig++;
        bool fits;
        int64_t e128 = -8;
        bool ok128 = ref_128(a, m, r, &e128, &fits);
        if (fits) {
            n128++;
            /* the two references agree wherever both apply */
            if (ok128 != okb || (ok128 && e128 != eb)) {
                print_error("references disagree at %lld x %lld x %lld\n", (long long)a,
                            (long long)m, (long long)r);
                fail();
            }
        }
        nfit += okb;
        if (m > RATE_BOUND || r > RATE_BOUND) {
            okb = false; /* the contract bounds the multiplier and the rate */
        }
        if (ok != okb || (ok && got != eb)) {
            print_error("jf_friend_consumption(%lld, %lld, %lld): %s %lld, expected %s %lld "
                        "(iteration %d)\n",
                        (long long)a, (long long)m, (long long)r, ok ? "ok" : "refused",
                        (long long)got, okb ? "ok" : "refused", (long long)eb, it);
            fail();
        }
    }
    /* every kind of case came up in numbers */
    assert_true(n128 > 100000);
    assert_true(nbig - n128 > 10000); /* products beyond 2^128 */
    assert_true(nfit > 100000);
    assert_true(nbig - nfit > 50000); /* refusals */
}

/* The references themselves, on values checked by hand. */
static void test_exact_references(void **state)
{
    (void)state;
    int64_t v = 0;
    bool fits = false;
    assert_true(ref_big(333, 100 * PPM, 12500, &v));
    assert_i64(v, 416);
    assert_true(ref_128(333, 100 * PPM, 12500, &v, &fits));
    assert_true(fits);
    assert_i64(v, 416);
    assert_true(ref_big(INT64_MAX, 1000000000000LL, 1, &v));
    assert_i64(v, INT64_MAX);
    assert_false(ref_big(INT64_MAX, 1000000000001LL, 1, &v));
    assert_true(ref_big((int64_t)1 << 62, (int64_t)1 << 40, 1, &v));
    assert_i64(v, 5070602400912917605LL);
    assert_false(ref_big((int64_t)1 << 62, 1000000LL << 43, (int64_t)1 << 23, &v));
    assert_false(ref_128((int64_t)1 << 62, 1000000LL << 43, (int64_t)1 << 23, &v, &fits));
    assert_false(fits);
}

/* Multipliers and rates beyond JF_RATE_PPM_MAX are refused: without that bound the split
 * product floor(amount x multiplier / 10^6) x rate could pass 2^128 and wrap:
 *   amount = 2^62, multiplier = 10^6 x 2^43, rate = 2^23 gives 2^128, which would wrap to 0. */
static void test_friend_consumption_bounds(void **state)
{
    (void)state;
    fc_refused((int64_t)1 << 62, 1000000LL << 43, (int64_t)1 << 23);
    fc_refused((int64_t)1 << 62, (1000000LL << 43) + 1, (int64_t)1 << 23);
    fc_refused(1, 1000000000001LL, 1);
    fc_refused(1, 1, 1000000000001LL);
}

/* ---- jf_dividend_day ------------------------------------------------------------------------ */

struct div_run {
    int64_t units[16], paid[16], spent[16];
    struct jf_dividend d;
    bool ok;
};

static void div_run(struct div_run *w, int64_t pool, int64_t unit, int64_t spu, int64_t n,
                    const int64_t *balance)
{
    assert_true(n <= 16);
    memset(w, GARBAGE, sizeof *w);
    w->ok = jf_dividend_day(pool, unit, spu, n, balance, w->units, w->paid, w->spent, &w->d);
}

static void expect_d(const struct jf_dividend *d, int64_t total_units, int64_t per_unit,
                     int64_t paid, int64_t remainder, int64_t spent)
{
    assert_i64(d->total_units, total_units);
    assert_i64(d->per_unit, per_unit);
    assert_i64(d->paid, paid);
    assert_i64(d->remainder, remainder);
    assert_i64(d->spent, spent);
}

static void expect_arr(const int64_t *got, const int64_t *want, int64_t n)
{
    for (int64_t i = 0; i < n; i++) {
        if (got[i] != want[i]) {
            print_error("[%lld] is %lld, expected %lld\n", (long long)i, (long long)got[i],
                        (long long)want[i]);
            fail();
        }
    }
}

/* Only whole units count; per_unit is a floor; the remainder stays with the platform. */
static void test_dividend_whole_units(void **state)
{
    (void)state;
    struct div_run w;
    /* unit 10,000: 19,999 is 1 unit, 9,999 none, 30,000 three, 0 and -5 none */
    static const int64_t bal[] = {19999, 10000, 9999, 0, -5, 30000};
    div_run(&w, 1003, 10000, 0, 6, bal);
    assert_true(w.ok);
    /* 5 units; 1003 / 5 = 200 (0.6 dropped); paid 1000; 3 kept */
    expect_d(&w.d, 5, 200, 1000, 3, 0);
    expect_arr(w.units, (const int64_t[]){1, 1, 0, 0, 0, 3}, 6);
    expect_arr(w.paid, (const int64_t[]){200, 200, 0, 0, 0, 600}, 6);
    expect_arr(w.spent, (const int64_t[]){0, 0, 0, 0, 0, 0}, 6);

    /* the default unit (10,000.00 contribution = 1,000,000 minor): 19,999.99 is 1 unit.
     * Pool 1,000.00 (100000 fen), units 1 + 2 + 0 = 3: per_unit 33333, paid 99999, 1 kept */
    static const int64_t bal2[] = {1999999, 2000000, 999999};
    div_run(&w, 100000, UNIT, 0, 3, bal2);
    assert_true(w.ok);
    expect_d(&w.d, 3, 33333, 99999, 1, 0);
    expect_arr(w.units, (const int64_t[]){1, 2, 0}, 3);
    expect_arr(w.paid, (const int64_t[]){33333, 66666, 0}, 3);

    /* a pool that divides exactly leaves nothing */
    div_run(&w, 300, UNIT, 0, 3, bal2);
    assert_true(w.ok);
    expect_d(&w.d, 3, 100, 300, 0, 0);

    /* unit 1: every minor unit counts */
    static const int64_t bal3[] = {7, 3};
    div_run(&w, 25, 1, 0, 2, bal3);
    assert_true(w.ok);
    expect_d(&w.d, 10, 2, 20, 5, 0);
    expect_arr(w.paid, (const int64_t[]){14, 6}, 2);

    /* negative and zero balances only: no units at all */
    static const int64_t bal4[] = {0, -1, INT64_MIN, -UNIT * 5};
    div_run(&w, 500, UNIT, 7, 4, bal4);
    assert_true(w.ok);
    expect_d(&w.d, 0, 0, 0, 500, 0);
    expect_arr(w.units, (const int64_t[]){0, 0, 0, 0}, 4);
    expect_arr(w.paid, (const int64_t[]){0, 0, 0, 0}, 4);
    expect_arr(w.spent, (const int64_t[]){0, 0, 0, 0}, 4);
}

/* No units, no pool, no members. */
static void test_dividend_nothing_to_pay(void **state)
{
    (void)state;
    struct div_run w;
    /* zero units: per_unit 0, nothing paid, nothing spent, the whole pool kept */
    static const int64_t bal[] = {999999, 1, 0};
    div_run(&w, 1000000000000LL, UNIT, 100, 3, bal);
    assert_true(w.ok);
    expect_d(&w.d, 0, 0, 0, 1000000000000LL, 0);
    expect_arr(w.units, (const int64_t[]){0, 0, 0}, 3);
    expect_arr(w.paid, (const int64_t[]){0, 0, 0}, 3);
    expect_arr(w.spent, (const int64_t[]){0, 0, 0}, 3);

    /* zero pool: units exist, per_unit 0; spent_per_unit consumes nothing as nothing is paid */
    static const int64_t bal2[] = {3000000, 1000000};
    div_run(&w, 0, UNIT, 100, 2, bal2);
    assert_true(w.ok);
    expect_d(&w.d, 4, 0, 0, 0, 0);
    expect_arr(w.units, (const int64_t[]){3, 1}, 2);
    expect_arr(w.paid, (const int64_t[]){0, 0}, 2);
    expect_arr(w.spent, (const int64_t[]){0, 0}, 2);

    /* a pool smaller than the units: per_unit 0, all kept, nothing spent */
    div_run(&w, 3, UNIT, 100, 2, bal2);
    assert_true(w.ok);
    expect_d(&w.d, 4, 0, 0, 3, 0);
    expect_arr(w.spent, (const int64_t[]){0, 0}, 2);

    /* no members at all (balance may be NULL then) */
    struct jf_dividend d;
    memset(&d, GARBAGE, sizeof d);
    assert_true(jf_dividend_day(777, UNIT, 5, 0, NULL, NULL, NULL, NULL, &d));
    expect_d(&d, 0, 0, 0, 777, 0);
    memset(&d, GARBAGE, sizeof d);
    assert_true(jf_dividend_day(0, UNIT, 0, 0, NULL, NULL, NULL, NULL, &d));
    expect_d(&d, 0, 0, 0, 0, 0);
}

/* spent_per_unit consumes contribution per unit paid, never below zero. */
static void test_dividend_spent_per_unit(void **state)
{
    (void)state;
    struct div_run w;
    /* unit 100, 30 per unit: units {2, 1, 0, 0}, pool 10 -> per_unit 3, paid {6, 3}, 1 kept;
     * spent {60, 30, 0, 0} */
    static const int64_t bal[] = {250, 100, 99, -1};
    div_run(&w, 10, 100, 30, 4, bal);
    assert_true(w.ok);
    expect_d(&w.d, 3, 3, 9, 1, 90);
    expect_arr(w.units, (const int64_t[]){2, 1, 0, 0}, 4);
    expect_arr(w.paid, (const int64_t[]){6, 3, 0, 0}, 4);
    expect_arr(w.spent, (const int64_t[]){60, 30, 0, 0}, 4);

    /* spent_per_unit equal to the unit: the counted part of each balance is used up */
    div_run(&w, 10, 100, 100, 4, bal);
    assert_true(w.ok);
    expect_d(&w.d, 3, 3, 9, 1, 300);
    expect_arr(w.spent, (const int64_t[]){200, 100, 0, 0}, 4);

    /* more per unit than the balance holds: units x spent_per_unit capped at the balance
     * (250 < 2 x 200 = 400 -> 250; 100 < 1 x 200 -> 100) */
    div_run(&w, 10, 100, 200, 4, bal);
    assert_true(w.ok);
    expect_d(&w.d, 3, 3, 9, 1, 350);
    expect_arr(w.spent, (const int64_t[]){250, 100, 0, 0}, 4);

    /* units x spent_per_unit overflowing int64 is capped at the balance too */
    div_run(&w, 10, 100, INT64_MAX, 4, bal);
    assert_true(w.ok);
    expect_d(&w.d, 3, 3, 9, 1, 350);
    expect_arr(w.spent, (const int64_t[]){250, 100, 0, 0}, 4);

    /* the default rules spend nothing */
    assert_i64(RULES.contribution.spent_per_unit, 0);
    assert_i64(RULES.contribution.unit, UNIT);
    div_run(&w, 10, RULES.contribution.unit, RULES.contribution.spent_per_unit, 2,
            (const int64_t[]){5000000, 5000000});
    assert_true(w.ok);
    expect_d(&w.d, 10, 1, 10, 0, 0);
    expect_arr(w.spent, (const int64_t[]){0, 0}, 2);

    /* a member without units spends nothing even when others are paid */
    div_run(&w, 1000, UNIT, 50, 2, (const int64_t[]){999999, 1000000});
    assert_true(w.ok);
    expect_d(&w.d, 1, 1000, 1000, 0, 50);
    expect_arr(w.spent, (const int64_t[]){0, 50}, 2);
}

/* Any output array may be NULL; the totals are the same. */
static void test_dividend_null_outputs(void **state)
{
    (void)state;
    static const int64_t bal[] = {250, 100, 99, -1, 1000};
    struct div_run w;
    div_run(&w, 47, 100, 30, 5, bal);
    assert_true(w.ok);
    /* units {2, 1, 0, 0, 10} = 13; 47 / 13 = 3, paid 39, kept 8; spent {60, 30, 0, 0, 300} */
    expect_d(&w.d, 13, 3, 39, 8, 390);
    expect_arr(w.units, (const int64_t[]){2, 1, 0, 0, 10}, 5);
    expect_arr(w.paid, (const int64_t[]){6, 3, 0, 0, 30}, 5);
    expect_arr(w.spent, (const int64_t[]){60, 30, 0, 0, 300}, 5);

    for (int mask = 0; mask < 8; mask++) {
        int64_t units[5], paid[5], spent[5];
        memset(units, GARBAGE, sizeof units);
        memset(paid, GARBAGE, sizeof paid);
        memset(spent, GARBAGE, sizeof spent);
        struct jf_dividend d;
        memset(&d, GARBAGE, sizeof d);
        assert_true(jf_dividend_day(47, 100, 30, 5, bal, (mask & 1) ? units : NULL,
                                    (mask & 2) ? paid : NULL, (mask & 4) ? spent : NULL, &d));
        expect_d(&d, 13, 3, 39, 8, 390);
        if (mask & 1) {
            expect_arr(units, w.units, 5);
        }
        if (mask & 2) {
            expect_arr(paid, w.paid, 5);
        }
        if (mask & 4) {
            expect_arr(spent, w.spent, 5);
        }
    }
}

/* The int64 edge the project requires: a day's income of 10^12 fen over 10^7 units. */
#define TEN7 10000000LL
#define TEN12 1000000000000LL

static void test_dividend_ten7_members(void **state)
{
    (void)state;
    /* 10^7 members with exactly one unit each (one more member added afterwards) */
    int64_t *bal = malloc(sizeof *bal * (size_t)(TEN7 + 1));
    int64_t *paid = malloc(sizeof *paid * (size_t)(TEN7 + 1));
    assert_non_null(bal);
    assert_non_null(paid);
    for (int64_t i = 0; i < TEN7; i++) {
        bal[i] = UNIT + (i % 3 == 0 ? UNIT - 1 : 0); /* 1,000,000 or 1,999,999: one unit */
    }
    bal[TEN7] = UNIT;

    struct jf_dividend d;
    memset(&d, GARBAGE, sizeof d);
    memset(paid, GARBAGE, sizeof *paid * (size_t)(TEN7 + 1));
    assert_true(jf_dividend_day(TEN12, UNIT, 0, TEN7, bal, NULL, paid, NULL, &d));
    expect_d(&d, TEN7, 100000, TEN12, 0, 0);
    for (int64_t i = 0; i < TEN7; i++) {
        if (paid[i] != 100000) {
            print_error("member %lld paid %lld\n", (long long)i, (long long)paid[i]);
            fail();
        }
    }

    /* spent_per_unit = the unit: every counted unit consumed, 10^7 x 10^6 = 10^13 */
    memset(&d, GARBAGE, sizeof d);
    assert_true(jf_dividend_day(TEN12, UNIT, UNIT, TEN7, bal, NULL, NULL, NULL, &d));
    expect_d(&d, TEN7, 100000, TEN12, 0, TEN7 * UNIT);

    /* 10^7 + 1 units: per_unit = floor(10^12 / 10000001) = 99999 (10000001 x 99999 =
     * 999,990,099,999; x 100000 would be 1,000,000,100,000 > 10^12); remainder 9,900,001 */
    memset(&d, GARBAGE, sizeof d);
    memset(paid, GARBAGE, sizeof *paid * (size_t)(TEN7 + 1));
    assert_true(jf_dividend_day(TEN12, UNIT, 0, TEN7 + 1, bal, NULL, paid, NULL, &d));
    expect_d(&d, TEN7 + 1, 99999, 999990099999LL, 9900001, 0);
    assert_i64(paid[0], 99999);
    assert_i64(paid[TEN7], 99999);

    free(bal);
    free(paid);
}

static void test_dividend_ten7_units_few_members(void **state)
{
    (void)state;
    struct div_run w;
    /* one member with 10^7 units (10^13 minor = 100,000,000,000.00 contribution) */
    div_run(&w, TEN12, UNIT, 0, 1, (const int64_t[]){TEN7 * UNIT});
    assert_true(w.ok);
    expect_d(&w.d, TEN7, 100000, TEN12, 0, 0);
    assert_i64(w.paid[0], TEN12);

    /* ten members with 10^6 units each, one of them with 999,999 minor units more */
    int64_t bal[10];
    for (int i = 0; i < 10; i++) {
        bal[i] = 1000000 * UNIT;
    }
    bal[4] += UNIT - 1;
    div_run(&w, TEN12, UNIT, 0, 10, bal);
    assert_true(w.ok);
    expect_d(&w.d, TEN7, 100000, TEN12, 0, 0);
    for (int i = 0; i < 10; i++) {
        assert_i64(w.units[i], 1000000);
        assert_i64(w.paid[i], 100000000000LL);
    }

    /* 10^7 + 1 units over two members: 10^7 and 1 */
    div_run(&w, TEN12, UNIT, 0, 2, (const int64_t[]){TEN7 * UNIT, UNIT});
    assert_true(w.ok);
    expect_d(&w.d, TEN7 + 1, 99999, 999990099999LL, 9900001, 0);
    expect_arr(w.paid, (const int64_t[]){999990000000LL, 99999}, 2);

    /* 10^7 - 1 units: per_unit = floor(10^12 / 9999999) = 100000 (9999999 x 100000 =
     * 999,999,900,000; x 100001 = 1,000,009,899,999 > 10^12); remainder 100,000 */
    div_run(&w, TEN12, UNIT, 0, 2, (const int64_t[]){(TEN7 - 2) * UNIT, UNIT});
    assert_true(w.ok);
    expect_d(&w.d, TEN7 - 1, 100000, 999999900000LL, 100000, 0);

    /* the largest values: a pool of INT64_MAX over one unit, and over INT64_MAX units */
    div_run(&w, INT64_MAX, 1, 0, 1, (const int64_t[]){1});
    assert_true(w.ok);
    expect_d(&w.d, 1, INT64_MAX, INT64_MAX, 0, 0);
    div_run(&w, INT64_MAX, 1, 0, 1, (const int64_t[]){INT64_MAX});
    assert_true(w.ok);
    expect_d(&w.d, INT64_MAX, 1, INT64_MAX, 0, 0);
    div_run(&w, INT64_MAX, 1, 1, 2, (const int64_t[]){INT64_MAX - 1, 1});
    assert_true(w.ok);
    expect_d(&w.d, INT64_MAX, 1, INT64_MAX, 0, INT64_MAX);
    div_run(&w, INT64_MAX - 1, 1, 1, 2, (const int64_t[]){INT64_MAX - 1, 1});
    assert_true(w.ok);
    expect_d(&w.d, INT64_MAX, 0, 0, INT64_MAX - 1, 0);
}

/* Totals that do not fit int64 are refused. */
static void test_dividend_overflow(void **state)
{
    (void)state;
    struct div_run w;
    /* total units INT64_MAX + 1 */
    div_run(&w, TEN12, 1, 0, 2, (const int64_t[]){INT64_MAX, 1});
    assert_false(w.ok);
    div_run(&w, TEN12, 1, 0, 2, (const int64_t[]){INT64_MAX, INT64_MAX});
    assert_false(w.ok);
    /* the overflow shows up late in a longer list */
    int64_t bal[16];
    for (int i = 0; i < 16; i++) {
        bal[i] = INT64_MAX / 15; /* 15 of them fit, the 16th does not */
    }
    div_run(&w, TEN12, 1, 0, 15, bal);
    assert_true(w.ok);
    assert_i64(w.d.total_units, (INT64_MAX / 15) * 15);
    div_run(&w, TEN12, 1, 0, 16, bal);
    assert_false(w.ok);
    /* the total spent overflows: two members each spending INT64_MAX */
    div_run(&w, 2, INT64_MAX, INT64_MAX, 2, (const int64_t[]){INT64_MAX, INT64_MAX});
    assert_false(w.ok);
    /* ... while one of them fits */
    div_run(&w, 2, INT64_MAX, INT64_MAX, 1, (const int64_t[]){INT64_MAX});
    assert_true(w.ok);
    expect_d(&w.d, 1, 2, 2, 0, INT64_MAX);
}

/* Random members checked against the definition, with a few invariants. */
static void test_dividend_random(void **state)
{
    (void)state;
    uint64_t s = 77;
    for (int it = 0; it < 3000; it++) {
        int64_t n = (int64_t)(jt_rand(&s) % 17);
        int64_t unit = 1 + (int64_t)(jt_rand(&s) % 1000);
        int64_t spu = (jt_rand(&s) % 3 == 0) ? 0 : (int64_t)(jt_rand(&s) % 3000);
        int64_t pool = (int64_t)(jt_rand(&s) % 100000);
        int64_t bal[16];
        for (int64_t i = 0; i < n; i++) {
            bal[i] = (int64_t)(jt_rand(&s) % 20000) - 2000;
        }
        struct div_run w;
        div_run(&w, pool, unit, spu, n, bal);
        assert_true(w.ok);
        int64_t tu = 0;
        for (int64_t i = 0; i < n; i++) {
            tu += bal[i] > 0 ? bal[i] / unit : 0;
        }
        int64_t pu = tu > 0 ? pool / tu : 0;
        int64_t paid = 0, spent = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t u = bal[i] > 0 ? bal[i] / unit : 0;
            int64_t sp = pu > 0 ? u * spu : 0;
            if (sp > (bal[i] > 0 ? bal[i] : 0)) {
                sp = bal[i] > 0 ? bal[i] : 0;
            }
            assert_i64(w.units[i], u);
            assert_i64(w.paid[i], u * pu);
            assert_i64(w.spent[i], sp);
            assert_true(w.spent[i] >= 0);
            paid += u * pu;
            spent += sp;
        }
        expect_d(&w.d, tu, pu, paid, pool - paid, spent);
        assert_true(w.d.remainder >= 0);
        assert_true(tu == 0 || w.d.remainder < tu); /* less than one more per unit */
    }
}

/* Programmer errors abort (JF_ASSERT): unit <= 0, negative pool, spent_per_unit or n. */
struct div_args {
    int64_t pool, unit, spu, n;
};

static void run_dividend(void *arg)
{
    const struct div_args *a = arg;
    static const int64_t bal[] = {100};
    struct jf_dividend d;
    (void)jf_dividend_day(a->pool, a->unit, a->spu, a->n, bal, NULL, NULL, NULL, &d);
}

static void test_dividend_asserts(void **state)
{
    (void)state;
    struct div_args unit0 = {10, 0, 0, 1}, unitneg = {10, -1, 0, 1}, poolneg = {-1, 10, 0, 1},
                    spuneg = {10, 10, -1, 1}, nneg = {10, 10, 0, -1}, ok = {10, 10, 0, 1};
    assert_true(jt_aborts(run_dividend, &unit0));
    assert_true(jt_aborts(run_dividend, &unitneg));
    assert_true(jt_aborts(run_dividend, &poolneg));
    assert_true(jt_aborts(run_dividend, &spuneg));
    assert_true(jt_aborts(run_dividend, &nneg));
    assert_false(jt_aborts(run_dividend, &ok));
}

/* ---- jf_signin_reward ----------------------------------------------------------------------- */

static void test_signin_default_streak(void **state)
{
    (void)state;
    const struct jf_rules *r = &RULES;
    assert_int_equal(r->signin.n, 7);
    /* contribution 100 a day (10000 minor), day 7 of a streak 500 (50000) */
    for (int64_t n = 1; n <= 6; n++) {
        assert_i64(jf_signin_reward(r, n), 10000);
    }
    assert_i64(jf_signin_reward(r, 7), 50000);
    assert_i64(jf_signin_reward(r, 8), 10000); /* the cycle starts again */
    assert_i64(jf_signin_reward(r, 13), 10000);
    assert_i64(jf_signin_reward(r, 14), 50000);
    assert_i64(jf_signin_reward(r, 15), 10000);
    assert_i64(jf_signin_reward(r, 21), 50000);
    assert_i64(jf_signin_reward(r, 700), 50000);
    assert_i64(jf_signin_reward(r, 701), 10000);
    /* 2^63 - 1 = 0 (mod 7), so day INT64_MAX is the 7th of its cycle */
    assert_i64(jf_signin_reward(r, INT64_MAX), 50000);
    assert_i64(jf_signin_reward(r, INT64_MAX - 1), 10000);

    /* a week of sign-ins: 6 x 100 + 500 = 1,100.00 contribution */
    int64_t week = 0;
    for (int64_t n = 1; n <= 7; n++) {
        week += jf_signin_reward(r, n);
    }
    assert_i64(week, 110000);
}

static void test_signin_custom_streaks(void **state)
{
    (void)state;
    /* one element: every day the same */
    const struct jf_rules *r = rules_ok(&VAR, "{\"signin\":{\"streak\":[300]}}");
    assert_int_equal(r->signin.n, 1);
    assert_i64(jf_signin_reward(r, 1), 300);
    assert_i64(jf_signin_reward(r, 2), 300);
    assert_i64(jf_signin_reward(r, 1000), 300);
    assert_i64(jf_signin_reward(r, INT64_MAX), 300);

    /* a rising streak of three */
    r = rules_ok(&VAR, "{\"signin\":{\"streak\":[100, 200, 0]}}");
    assert_int_equal(r->signin.n, 3);
    assert_i64(jf_signin_reward(r, 1), 100);
    assert_i64(jf_signin_reward(r, 2), 200);
    assert_i64(jf_signin_reward(r, 3), 0);
    assert_i64(jf_signin_reward(r, 4), 100);
    assert_i64(jf_signin_reward(r, 6), 0);
    /* 2^63 - 1 = 1 (mod 3): day INT64_MAX is the 1st of its cycle */
    assert_i64(jf_signin_reward(r, INT64_MAX), 100);
}

static void run_signin_day0(void *arg)
{
    (void)arg;
    (void)jf_signin_reward(&RULES, 0);
}

static void run_signin_day1(void *arg)
{
    (void)arg;
    (void)jf_signin_reward(&RULES, 1);
}

static void test_signin_day_zero_asserted(void **state)
{
    (void)state;
    assert_true(jt_aborts(run_signin_day0, NULL)); /* n >= 1 is a programmer's promise */
    assert_false(jt_aborts(run_signin_day1, NULL));
}

/* ---- jf_task_capped ------------------------------------------------------------------------- */

static void test_task_capped(void **state)
{
    (void)state;
    /* no cap */
    assert_i64(jf_task_capped(500, -1, 0), 500);
    assert_i64(jf_task_capped(500, -1, 1000000), 500);
    assert_i64(jf_task_capped(INT64_MAX, -1, INT64_MAX), INT64_MAX);
    assert_i64(jf_task_capped(500, INT64_MIN, 0), 500); /* any negative cap: none */
    /* room left: cap 1000, 300 earned, 700 room */
    assert_i64(jf_task_capped(500, 1000, 300), 500);
    assert_i64(jf_task_capped(699, 1000, 300), 699);
    assert_i64(jf_task_capped(700, 1000, 300), 700); /* exactly fills the cap */
    assert_i64(jf_task_capped(701, 1000, 300), 700); /* cut to the room */
    assert_i64(jf_task_capped(5000, 1000, 0), 1000);
    assert_i64(jf_task_capped(0, 1000, 300), 0);
    /* exactly at the cap, and over it (a cap lowered during the day) */
    assert_i64(jf_task_capped(500, 1000, 1000), 0);
    assert_i64(jf_task_capped(1, 1000, 1000), 0);
    assert_i64(jf_task_capped(500, 1000, 1500), 0);
    /* cap 0: nothing, ever */
    assert_i64(jf_task_capped(500, 0, 0), 0);
    assert_i64(jf_task_capped(1, 0, 0), 0);
    assert_i64(jf_task_capped(0, 0, 0), 0);
    /* large values */
    assert_i64(jf_task_capped(INT64_MAX, INT64_MAX, 0), INT64_MAX);
    assert_i64(jf_task_capped(INT64_MAX, INT64_MAX, 1), INT64_MAX - 1);
    assert_i64(jf_task_capped(INT64_MAX, INT64_MAX, INT64_MAX), 0);

    /* a day of three share tasks against a cap of 25,00 (2500) from the rules */
    const struct jf_rules *r = rules_ok(&VAR, "{\"contribution\":{\"task_caps\":{\"share\":2500}}}");
    int share = jf_task_kind_from_name("share");
    int video = jf_task_kind_from_name("video");
    assert_true(share >= 0 && video >= 0);
    int64_t cap = r->contribution.task_caps[share];
    assert_i64(cap, 2500);
    assert_i64(r->contribution.task_caps[video], -1); /* not listed: no cap */
    int64_t today = 0, got;
    got = jf_task_capped(1000, cap, today);
    assert_i64(got, 1000);
    today += got;
    got = jf_task_capped(1000, cap, today);
    assert_i64(got, 1000);
    today += got;
    got = jf_task_capped(1000, cap, today);
    assert_i64(got, 500);
    today += got;
    assert_i64(today, 2500);
    assert_i64(jf_task_capped(1000, cap, today), 0);
    assert_i64(jf_task_capped(1000, r->contribution.task_caps[video], 123456), 1000);
    /* the default rules cap nothing */
    for (int k = 0; k < JF_TASK_KINDS; k++) {
        assert_i64(RULES.contribution.task_caps[k], -1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_friend_consumption_spec_example),
        cmocka_unit_test(test_friend_consumption_one_floor),
        cmocka_unit_test(test_friend_consumption_zero_and_negative),
        cmocka_unit_test(test_friend_consumption_int64_edges),
        cmocka_unit_test(test_exact_references),
        cmocka_unit_test(test_friend_consumption_random_vs_exact),
        cmocka_unit_test(test_friend_consumption_bounds),
        cmocka_unit_test(test_dividend_whole_units),
        cmocka_unit_test(test_dividend_nothing_to_pay),
        cmocka_unit_test(test_dividend_spent_per_unit),
        cmocka_unit_test(test_dividend_null_outputs),
        cmocka_unit_test(test_dividend_ten7_members),
        cmocka_unit_test(test_dividend_ten7_units_few_members),
        cmocka_unit_test(test_dividend_overflow),
        cmocka_unit_test(test_dividend_random),
        cmocka_unit_test(test_dividend_asserts),
        cmocka_unit_test(test_signin_default_streak),
        cmocka_unit_test(test_signin_custom_streaks),
        cmocka_unit_test(test_signin_day_zero_asserted),
        cmocka_unit_test(test_task_capped),
    };
    return cmocka_run_group_tests(tests, load_default_rules, NULL);
}
