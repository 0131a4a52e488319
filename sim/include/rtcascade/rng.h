/* Random streams keyed by (master seed, a, b).
 *
 * Every Monte Carlo run, and every block of work in a generator, draws from its own stream whose
 * state is a hash of (master seed, a, b) — for runs (point, run) — never from a per-thread or
 * global generator, so results do not depend on thread count or schedule. The generator is
 * xoshiro256++ registered as a gsl_rng_type ("rc_xoshiro256pp"), so all gsl_ran_* distributions
 * work on it; rc_rng_u64/rc_rng_uniform are inline fast paths for hot loops. */
#ifndef RTCASCADE_RNG_H
#define RTCASCADE_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

#define RC_RNG_NAME "rc_xoshiro256pp"

/* GSL type table of the project's generator (gsl_rng_get returns the high 32 bits). */
extern const gsl_rng_type *rc_rng_xoshiro256pp;

/* Allocates a generator of the project's type; NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *rc_rng_alloc(void);

/* Re-keys r (of type rc_rng_xoshiro256pp) to the stream (master, a, b). Cannot fail; O(1). */
void rc_rng_seed(gsl_rng *r, uint64_t master, uint64_t a, uint64_t b);

/* SplitMix64 finaliser: a cheap, well-mixed hash of x. */
static inline uint64_t rc_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

typedef struct rc_xoshiro_state {
    uint64_t s[4];
} rc_xoshiro_state_t;

static inline uint64_t rc_rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits of r (which must be of type rc_rng_xoshiro256pp). */
static inline uint64_t rc_rng_u64(gsl_rng *r)
{
    uint64_t *s = ((rc_xoshiro_state_t *)r->state)->s;
    const uint64_t result = rc_rotl64(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rc_rotl64(s[3], 45);
    return result;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double rc_rng_uniform(gsl_rng *r)
{
    return (double)(rc_rng_u64(r) >> 11) * 0x1.0p-53;
}

/* Uniform double in (0, 1): never 0, so log() of it is finite. */
static inline double rc_rng_uniform_pos(gsl_rng *r)
{
    return ((double)(rc_rng_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

/* Uniform integer in [0, n) for n >= 1, by Lemire's multiply-shift (bias below 2^-32 for
 * n < 2^32, which is negligible for Monte Carlo use). */
static inline uint32_t rc_rng_below(gsl_rng *r, uint32_t n)
{
    return (uint32_t)(((rc_rng_u64(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform integer in [0, n) for 64-bit n >= 1. */
static inline uint64_t rc_rng_below64(gsl_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rc_rng_u64(r) * n) >> 64);
}

#endif
