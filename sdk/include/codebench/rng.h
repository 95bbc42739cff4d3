/* codebench/rng.h: a small, fast, savable random generator (xoshiro256**, seeded by
 * splitmix64), header-only so every plugin and the core draw the same streams.
 * Seed it from host->seed(h, "stream-name"); the state is four words a plugin can save. */
#ifndef CODEBENCH_RNG_H
#define CODEBENCH_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct cb_rng {
    uint64_t s[4];
} cb_rng;

static inline uint64_t cb_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void cb_rng_seed(cb_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = cb_splitmix64(&seed);
}

static inline uint64_t cb_rng_u64(cb_rng *r)
{
    uint64_t *s = r->s;
    uint64_t x = s[1] * 5, result = ((x << 7) | (x >> 57)) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* uniform in [0, 1) with 53 random bits */
static inline double cb_rng_unit(cb_rng *r)
{
    return (double)(cb_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in [0, n), unbiased (Lemire's method) */
static inline uint64_t cb_rng_below(cb_rng *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    uint64_t x = cb_rng_u64(r);
    __uint128_t m = (__uint128_t)x * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t t = -n % n;
        while (lo < t) {
            x = cb_rng_u64(r);
            m = (__uint128_t)x * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* standard normal (Box-Muller; one draw per call, simple and savable) */
static inline double cb_rng_normal(cb_rng *r)
{
    double u1 = cb_rng_unit(r), u2 = cb_rng_unit(r);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

#endif /* CODEBENCH_RNG_H */
