/* xoshiro256++ (Blackman & Vigna 2019) as a GSL generator type, seeded by hashing a
 * (master, a, b) key with SplitMix64 so that any stream can be opened in O(1). */
#include "rtcascade/rng.h"

#include <string.h>

static void xoshiro_set(void *vstate, unsigned long seed)
{
    rc_xoshiro_state_t *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++) {
        x += 0x9e3779b97f4a7c15ULL;
        st->s[i] = rc_mix64(x);
    }
}

static unsigned long xoshiro_get(void *vstate)
{
    gsl_rng r = {.type = NULL, .state = vstate};
    return (unsigned long)(rc_rng_u64(&r) >> 32);
}

static double xoshiro_get_double(void *vstate)
{
    gsl_rng r = {.type = NULL, .state = vstate};
    return rc_rng_uniform(&r);
}

static const gsl_rng_type xoshiro_type = {
    RC_RNG_NAME, 0xffffffffUL, 0, sizeof(rc_xoshiro_state_t),
    xoshiro_set, xoshiro_get,     xoshiro_get_double,
};

const gsl_rng_type *rc_rng_xoshiro256pp = &xoshiro_type;

gsl_rng *rc_rng_alloc(void)
{
    return gsl_rng_alloc(rc_rng_xoshiro256pp);
}

void rc_rng_seed(gsl_rng *r, uint64_t master, uint64_t a, uint64_t b)
{
    rc_xoshiro_state_t *st = r->state;
    /* Chained hashing keeps (m, a, b) and permutations of it on unrelated streams. */
    uint64_t h = rc_mix64(master ^ 0x5bd1e9955bd1e995ULL);
    h = rc_mix64(h ^ a);
    h = rc_mix64(h ^ (b + 0x2545f4914f6cdd1dULL));
    for (int i = 0; i < 4; i++) {
        h += 0x9e3779b97f4a7c15ULL;
        st->s[i] = rc_mix64(h);
    }
    if ((st->s[0] | st->s[1] | st->s[2] | st->s[3]) == 0)
        st->s[0] = 1; /* the all-zero state is the one xoshiro cannot leave */
}
