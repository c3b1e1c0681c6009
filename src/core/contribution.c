/*
 * contribution.c — contribution and dividend arithmetic (see contribution.h).
 */
#include "contribution.h"

#include "amount.h"
#include "jf_assert.h"
#include "limits.h"

bool jf_friend_consumption(int64_t amount, int64_t multiplier_ppm, int64_t rate_ppm,
                           int64_t *out)
{
    if (amount < 0 || multiplier_ppm < 0 || rate_ppm < 0 || multiplier_ppm > JF_RATE_PPM_MAX ||
        rate_ppm > JF_RATE_PPM_MAX) {
        return false; /* beyond the bounds the split below relies on */
    }
    /* amount x multiplier x rate / 10^12 with one floor: amount <= 2^63, multiplier and rate
     * <= 10^12 each, so amount x multiplier fits 128 bits; the second product is split */
    unsigned __int128 p = (unsigned __int128)amount * (unsigned __int128)multiplier_ppm;
    unsigned __int128 q1 = p / 1000000u, r1 = p % 1000000u;
    /* floor(p x rate / 10^12) = floor((q1 x 10^6 + r1) x rate / 10^12)
     *                        = q1 x rate / 10^6 ... computed exactly below */
    unsigned __int128 hi = q1 * (unsigned __int128)rate_ppm; /* q1 < 2^63 x 10^6 / 10^6 */
    unsigned __int128 lo = r1 * (unsigned __int128)rate_ppm; /* < 10^6 x 10^12 */
    unsigned __int128 v = hi / 1000000u;
    unsigned __int128 rem = (hi % 1000000u) * 1000000u + lo; /* < 2 x 10^18 */
    v += rem / 1000000000000ull;
    if (v > (unsigned __int128)INT64_MAX) {
        return false;
    }
    *out = (int64_t)v;
    return true;
}

bool jf_dividend_day(int64_t pool, int64_t unit, int64_t spent_per_unit, int64_t n,
                     const int64_t *balance, int64_t *units, int64_t *paid, int64_t *spent,
                     struct jf_dividend *out)
{
    JF_ASSERT(unit > 0 && pool >= 0 && spent_per_unit >= 0 && n >= 0);
    *out = (struct jf_dividend){0};
    for (int64_t i = 0; i < n; i++) {
        int64_t u = balance[i] > 0 ? balance[i] / unit : 0;
        if (units != NULL) {
            units[i] = u;
        }
        if (!jf_add(out->total_units, u, &out->total_units)) {
            return false;
        }
    }
    out->per_unit = out->total_units > 0 ? pool / out->total_units : 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t u = balance[i] > 0 ? balance[i] / unit : 0;
        int64_t p = u * out->per_unit; /* <= pool: no overflow */
        int64_t s = 0;
        if (out->per_unit > 0 && !jf_mul(u, spent_per_unit, &s)) {
            s = INT64_MAX;
        }
        if (s > balance[i]) {
            s = balance[i] > 0 ? balance[i] : 0;
        }
        if (out->per_unit == 0) {
            s = 0; /* nothing paid, nothing spent */
        }
        if (paid != NULL) {
            paid[i] = p;
        }
        if (spent != NULL) {
            spent[i] = s;
        }
        out->paid += p;
        if (!jf_add(out->spent, s, &out->spent)) {
            return false;
        }
    }
    out->remainder = pool - out->paid;
    return true;
}

int64_t jf_signin_reward(const struct jf_rules *r, int64_t n)
{
    JF_ASSERT(n >= 1 && r->signin.n >= 1);
    return r->signin.streak[(n - 1) % r->signin.n];
}

int64_t jf_task_capped(int64_t amount, int64_t cap, int64_t today)
{
    if (cap < 0) {
        return amount;
    }
    int64_t room = cap - today;
    if (room <= 0) {
        return 0;
    }
    return amount < room ? amount : room;
}
