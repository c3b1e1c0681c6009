/*
 * rng.h — a small seeded generator (splitmix64) for simulations, benchmarks and tests: the same
 * seed gives the same numbers on every machine. Not for secrets.
 */
#ifndef JF_RNG_H
#define JF_RNG_H

#include <stdint.h>

static inline uint64_t jf_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
