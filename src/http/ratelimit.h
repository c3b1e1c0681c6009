/*
 * ratelimit.h — fixed-window counters in memory, by key (a phone, an address): at most `max`
 * hits per `window_s` seconds. A bounded table (JF_RATE_SLOTS): when full, the oldest window is
 * reused, so memory never grows with the number of callers. Thread-safe.
 */
#ifndef JF_RATELIMIT_H
#define JF_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define JF_RATE_SLOTS 4096

struct jf_ratelimit;

struct jf_ratelimit *jf_ratelimit_new(int max, int64_t window_s);
void jf_ratelimit_free(struct jf_ratelimit *rl);
/* Counts a hit of `key` at `now`; false when the key is over its limit (the hit still counts). */
bool jf_ratelimit_hit(struct jf_ratelimit *rl, const char *key, int64_t now);

#endif
