/*
 * contribution.h — the arithmetic of contribution value and daily dividends (贡献值, 红包分红).
 *
 * Pure functions over int64 minor units; 128-bit intermediates; every overflow reported.
 */
#ifndef JF_CONTRIBUTION_H
#define JF_CONTRIBUTION_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

/* Friend consumption reward: floor(amount x multiplier x rate), one floor of the exact product
 * (amount in fen, multiplier and rate in ppm, each at most JF_RATE_PPM_MAX; the result in minor
 * contribution units). false on overflow, negative input, or a rate beyond the bound. Example: 10000 fen x "100" x "5%" = 50000 (500.00 contribution). */
bool jf_friend_consumption(int64_t amount, int64_t multiplier_ppm, int64_t rate_ppm,
                           int64_t *out);

/* The dividend of a day. Input: the day's pool (fen) and each member's contribution balance.
 * units[i] = floor(balance[i] / unit) (whole units only); per_unit = floor(pool / total units)
 * (0 when there are no units); paid[i] = units[i] x per_unit; spent[i] =
 * min(balance[i], units[i] x spent_per_unit). The remainder pool - total paid stays with the
 * platform. Any output array may be NULL. Returns false on overflow. */
struct jf_dividend {
    int64_t total_units;
    int64_t per_unit;
    int64_t paid;      /* sum of paid[i] */
    int64_t remainder; /* pool - paid */
    int64_t spent;     /* sum of spent[i] */
};
bool jf_dividend_day(int64_t pool, int64_t unit, int64_t spent_per_unit, int64_t n,
                     const int64_t *balance, int64_t *units, int64_t *paid, int64_t *spent,
                     struct jf_dividend *out);

/* The sign-in reward of day n (n >= 1) of an unbroken streak: streak[(n - 1) mod length]. */
int64_t jf_signin_reward(const struct jf_rules *r, int64_t n);

/* The part of `amount` of a task that still fits under the day's cap (cap < 0: no cap), given
 * what the member already earned from tasks of that kind that day. */
int64_t jf_task_capped(int64_t amount, int64_t cap, int64_t today);

#endif
