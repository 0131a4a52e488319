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

/* ---- Counter-based words (the fused kernel) ----
 *
 * The fused kernel runs 64 runs at once and cannot keep a stream per run, so its random numbers
 * are pure functions of where they are used: rc_ctr_key hashes a (master, a, b) key (a domain
 * tag is folded into the master) and rc_ctr_u64 mixes a key with a counter, two keyed rounds of
 * the SplitMix64 finaliser, so any word is computed in O(1), in any order, on any thread. */

/* A key for rc_ctr_u64 from (master, a, b): chained hashing as in rc_rng_seed, with other
 * constants, so that no key equals a run stream's state. */
static inline uint64_t rc_ctr_key(uint64_t master, uint64_t a, uint64_t b)
{
    uint64_t h = rc_mix64(master ^ 0x6a09e667f3bcc909ULL);
    h = rc_mix64(h ^ a);
    return rc_mix64(h ^ (b + 0xbb67ae8584caa73bULL));
}

/* The word at counter c of key: rc_mix64(rc_mix64(c ^ key) + key). */
static inline uint64_t rc_ctr_u64(uint64_t key, uint64_t c)
{
    return rc_mix64(rc_mix64(c ^ key) + key);
}

/* Bit-sliced Bernoulli trials: for each lane j set in `lanes`, bit j of the result is 1 with
 * probability q / 2^32 exactly (q in [0, 2^32]), and lanes not set are 0. The words
 * w_i = rc_mix64(base + i * 0x9e3779b97f4a7c15) (i = 0, 1, ...) give lane j the uniform
 * U_j = 0.b_0 b_1 b_2 ... in binary, b_i = bit j of w_i, and the lane's bit is [U_j < q / 2^32],
 * decided digit by digit from the most significant: where q's digit is 1 a lane with digit 0 is
 * decided below (1), where it is 0 a lane with digit 1 is decided above (0); lanes still equal
 * after q's last 1 digit are not below. The loop stops once every lane asked for is decided, so
 * it reads about log2(lanes) + 2 words, and 2 for a single lane; a lane's bit depends only on
 * bit j of the words, never on which other lanes were asked for. */
static inline uint64_t rc_ctr_bernoulli(uint64_t base, uint64_t lanes, uint64_t q)
{
    if (q >= ((uint64_t)1 << 32))
        return lanes;
    if (q == 0)
        return 0;
    const int digits = 32 - __builtin_ctzll(q); /* up to q's last 1 digit */
    uint64_t undecided = lanes, below = 0;
    for (int i = 0; i < digits && undecided != 0; i++) {
        const uint64_t w = rc_mix64(base + (uint64_t)i * 0x9e3779b97f4a7c15ULL);
        if ((q >> (31 - i)) & 1u) {
            below |= undecided & ~w;
            undecided &= w;
        } else {
            undecided &= ~w;
        }
    }
    return below;
}

/* q / 2^32 nearest below a probability x (1 and above give 2^32, 0 and below or NaN give 0). */
static inline uint64_t rc_ctr_q32(double x)
{
    if (!(x > 0.0))
        return 0;
    if (x >= 1.0)
        return (uint64_t)1 << 32;
    return (uint64_t)(x * 4294967296.0);
}

/* Uniform integer in [0, n) for 64-bit n >= 1. */
static inline uint64_t rc_rng_below64(gsl_rng *r, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)rc_rng_u64(r) * n) >> 64);
}

#endif
