/* Keyed RNG streams: known-answer values, key sensitivity, GSL interop, and rough uniformity. */
#include "rc_test.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_randist.h>

/* The fused kernel's counter words: known answers (pinned, so a change of the construction, and
 * with it of every fused result, cannot pass unnoticed), uniform 4-bit cells, and bit-sliced
 * Bernoulli trials whose every lane has the right frequency and depends on its own bits only. */
static void test_counter_words(void)
{
    const uint64_t k = rc_ctr_key(1, 2, 3);
    CHECK_EQ_U64(k, 0x7fa6875a3c91dd04ULL);
    CHECK_EQ_U64(rc_ctr_u64(k, 0), 0x3367b445309db76bULL);
    CHECK_EQ_U64(rc_ctr_u64(k, 1), 0x2d49bd3535e7a617ULL);
    CHECK_EQ_U64(rc_ctr_u64(k, 2), 0x030fd530af1e964aULL);
    CHECK_EQ_U64(rc_ctr_q32(0.3), 1288490188u);
    CHECK_EQ_U64(rc_ctr_bernoulli(rc_ctr_u64(k, 7), ~0ULL, rc_ctr_q32(0.3)),
                 0x5e43c30357a4f409ULL);
    CHECK_EQ_U64(rc_ctr_bernoulli(123, 0xffULL, (uint64_t)1 << 32), 0xffULL);
    CHECK_EQ_U64(rc_ctr_bernoulli(123, 0xffULL, 0), 0);

    /* Top 4 bits of 160,000 consecutive counters: chi-square over 16 cells below its
     * 1 - 1e-4 quantile with 15 degrees of freedom (44.3). */
    enum { N = 160000 };
    double cell[16] = {0};
    for (uint64_t i = 0; i < N; i++)
        cell[rc_ctr_u64(k, i) >> 60]++;
    double chi2 = 0;
    for (int c = 0; c < 16; c++)
        chi2 += (cell[c] - N / 16.0) * (cell[c] - N / 16.0) / (N / 16.0);
    CHECK(chi2 < 44.3);

    /* Bernoulli(0.3) lanes over 20,000 counters: every lane's frequency within 5 SE, and a
     * lane's bit the same whether it is asked alone or with all the others. */
    enum { M = 20000 };
    const uint64_t q = rc_ctr_q32(0.3);
    double ones[64] = {0};
    int alone_same = 1;
    for (uint64_t i = 0; i < M; i++) {
        const uint64_t base = rc_ctr_u64(k, 1000000 + i);
        const uint64_t all = rc_ctr_bernoulli(base, ~0ULL, q);
        for (int j = 0; j < 64; j++) {
            ones[j] += (double)((all >> j) & 1u);
            if (j % 9 == 0)
                alone_same &= rc_ctr_bernoulli(base, (uint64_t)1 << j, q) ==
                              (all & ((uint64_t)1 << j));
        }
    }
    const double p = (double)q / 4294967296.0;
    for (int j = 0; j < 64; j++)
        CHECK_NEAR(ones[j] / M, p, 5 * sqrt(p * (1 - p) / M));
    CHECK(alone_same);
}

int main(void)
{
    gsl_rng *r = rc_rng_alloc();
    gsl_rng *s = rc_rng_alloc();
    CHECK(r != NULL && s != NULL);
    CHECK(strcmp(gsl_rng_name(r), RC_RNG_NAME) == 0);

    /* Same key, same stream; any change of key component, another stream. */
    rc_rng_seed(r, 42, 1, 2);
    rc_rng_seed(s, 42, 1, 2);
    uint64_t first = rc_rng_u64(r);
    CHECK(first == rc_rng_u64(s));
    rc_rng_seed(s, 42, 2, 1);
    CHECK(first != rc_rng_u64(s));
    rc_rng_seed(s, 43, 1, 2);
    CHECK(first != rc_rng_u64(s));
    rc_rng_seed(s, 42, 1, 3);
    CHECK(first != rc_rng_u64(s));

    /* Known answer of xoshiro256++ itself: state {1, 2, 3, 4} gives 41943041, 58720359,
     * 3588806011781223 (reference implementation by Blackman & Vigna). */
    rc_xoshiro_state_t *st = r->state;
    st->s[0] = 1, st->s[1] = 2, st->s[2] = 3, st->s[3] = 4;
    CHECK_EQ_U64(rc_rng_u64(r), 41943041ULL);
    CHECK_EQ_U64(rc_rng_u64(r), 58720359ULL);
    CHECK_EQ_U64(rc_rng_u64(r), 3588806011781223ULL);

    /* Known answer: the 1000th output of stream (1, 0, 0) is pinned so that a change of the
     * generator or its seeding (which would change every published result) cannot go unnoticed. */
    rc_rng_seed(r, 1, 0, 0);
    uint64_t x = 0;
    for (int i = 0; i < 1000; i++)
        x = rc_rng_u64(r);
    CHECK_EQ_U64(x, 0x586c5173bf77c090ULL);

    /* GSL's distributions run on it; the mean of 10^6 uniforms is within 5 SE of 1/2. */
    rc_rng_seed(r, 7, 0, 0);
    double sum = 0;
    const int N = 1000000;
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(r);
        CHECK(u >= 0.0 && u < 1.0);
        sum += u;
    }
    CHECK_NEAR(sum / N, 0.5, 5.0 * sqrt(1.0 / 12.0 / N));
    double psum = 0;
    for (int i = 0; i < N; i++)
        psum += gsl_ran_poisson(r, 3.0);
    CHECK_NEAR(psum / N, 3.0, 5.0 * sqrt(3.0 / N));

    /* rc_rng_below is uniform on [0, n): counts of 10 cells within 5 SE. */
    uint64_t cells[10] = {0};
    for (int i = 0; i < N; i++)
        cells[rc_rng_below(r, 10)]++;
    for (int c = 0; c < 10; c++)
        CHECK_NEAR(cells[c], N / 10.0, 5.0 * sqrt(N * 0.1 * 0.9));
    CHECK(rc_rng_uniform_pos(r) > 0.0);

    gsl_rng_free(r);
    gsl_rng_free(s);
    test_counter_words();
    return rc_test_report("test_rng");
}
