/*
 * rng.h — a small seeded generator (splitmix64) for simulations, benchmarks and tests: the same
 * seed gives the same numbers on every machine. Not for secrets.
 */
#ifndef JF_RNG_H
#define JF_RNG_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t jf_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A number in [0, n), n > 0 (the modulo's bias is below n / 2^64: nothing a simulation sees). */
static inline uint64_t jf_rng_below(uint64_t *state, uint64_t n)
{
    return jf_rng_next(state) % n;
}

/* True with probability rate_ppm / 1,000,000 (0: never; 1,000,000 or more: always). */
static inline bool jf_rng_chance(uint64_t *state, int64_t rate_ppm)
{
    return rate_ppm > 0 && (int64_t)jf_rng_below(state, 1000000) < rate_ppm;
}

#endif
