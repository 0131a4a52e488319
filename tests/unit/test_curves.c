/* Curves of a point (curves.h) on hand-made results: the CCDF of sizes exactly at the documented
 * sizes 1, 2, 3, 4, 6, 7, 10, 13, ... and at the largest size (on and off that grid, and the
 * edge cases of no runs, nobody adopting, one size); generation means that sum to the mean
 * size; time CDFs on known times, with NaN runs counted in the denominator only, the log vs
 * linear spacing rule at its factor-20 boundary, and no curve for untimed points. Finally a
 * real Monte Carlo point, whose generation means must sum to its mean size. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/curves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RUNS 16

/* A hand-made point: per-run sizes (and times when t50 is not NULL), nothing else. */
typedef struct hand {
    rc_mc_results_t res;
    uint32_t size[MAX_RUNS];
    double t50[MAX_RUNS], t90[MAX_RUNS], fin[MAX_RUNS];
    uint64_t gen_total[8];
} hand_t;

static void hand_init(hand_t *h, uint64_t point, const uint32_t *size, size_t runs)
{
    memset(h, 0, sizeof *h);
    memcpy(h->size, size, runs * sizeof *size);
    h->res.point = point;
    h->res.runs = runs;
    h->res.size = h->size;
}

static void hand_times(hand_t *h, const double *t50, const double *t90, const double *fin)
{
    size_t n = (size_t)h->res.runs;
    memcpy(h->t50, t50, n * sizeof *t50);
    memcpy(h->t90, t90, n * sizeof *t90);
    memcpy(h->fin, fin, n * sizeof *fin);
    h->res.timed = 1;
    h->res.t50 = h->t50;
    h->res.t90 = h->t90;
    h->res.final_time = h->fin;
}

static void test_ccdf_grid(void)
{
    static const uint32_t sizes[10] = {34, 1, 2, 100, 3, 5, 1, 8, 21, 13}; /* any order */
    static const uint64_t want_s[] = {1, 2, 3, 4, 6, 7, 10, 13, 18, 24, 32, 42, 56, 75, 100};
    /* runs of size >= s, out of 10 */
    static const int want_n[] = {10, 8, 7, 6, 5, 5, 4, 4, 3, 2, 2, 1, 1, 1, 1};
    const size_t n = sizeof want_s / sizeof want_s[0];
    hand_t h;
    rc_point_curves_t c;
    hand_init(&h, 7, sizes, 10);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK_EQ_U64(c.point, 7);
    CHECK_EQ_U64(c.size_ccdf.len, n);
    for (size_t i = 0; i < n && i < c.size_ccdf.len; i++) {
        CHECK_EQ_U64(c.size_ccdf.size[i], want_s[i]);
        CHECK(c.size_ccdf.ccdf[i] == (double)want_n[i] / 10.0);
    }
    CHECK_EQ_U64(c.time.len, 0); /* untimed */
    CHECK(c.time.t == NULL);
    CHECK_EQ_U64(c.gen_len, 0);
    CHECK(c.generations == NULL);
    rc_curves_free(&c);
    CHECK(c.size_ccdf.size == NULL && c.size_ccdf.len == 0);
    rc_curves_free(&c); /* twice, and NULL, are harmless */
    rc_curves_free(NULL);
}

static void test_ccdf_edges(void)
{
    rc_point_curves_t c;
    hand_t h;
    /* largest size off the grid: the last grid size below it, then the size itself */
    static const uint32_t off[4] = {50, 1, 41, 3};
    hand_init(&h, 0, off, 4);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK_EQ_U64(c.size_ccdf.len, 13);
    if (c.size_ccdf.len == 13) {
        CHECK_EQ_U64(c.size_ccdf.size[11], 42);
        CHECK(c.size_ccdf.ccdf[11] == 1.0 / 4.0);
        CHECK_EQ_U64(c.size_ccdf.size[12], 50);
        CHECK(c.size_ccdf.ccdf[12] == 1.0 / 4.0);
        CHECK_EQ_U64(c.size_ccdf.size[3], 4);
        CHECK(c.size_ccdf.ccdf[3] == 2.0 / 4.0);
    }
    rc_curves_free(&c);
    /* every run of size 1: the single size 1 */
    static const uint32_t ones[3] = {1, 1, 1};
    hand_init(&h, 0, ones, 3);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.size_ccdf.len == 1 && c.size_ccdf.size[0] == 1 && c.size_ccdf.ccdf[0] == 1.0);
    rc_curves_free(&c);
    /* nobody adopted (an audience nobody reshared from): P(size >= 1) = 0 */
    static const uint32_t zeros[2] = {0, 0};
    hand_init(&h, 0, zeros, 2);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.size_ccdf.len == 1 && c.size_ccdf.size[0] == 1 && c.size_ccdf.ccdf[0] == 0.0);
    rc_curves_free(&c);
    /* no runs: no CCDF, and generation means are NaN */
    hand_init(&h, 0, zeros, 0);
    h.res.gen_len = 1;
    h.res.gen_total = h.gen_total;
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.size_ccdf.len == 0 && c.size_ccdf.size == NULL && c.size_ccdf.ccdf == NULL);
    CHECK(c.gen_len == 1 && isnan(c.generations[0]));
    rc_curves_free(&c);
}

static void test_generations(void)
{
    /* 4 runs of sizes 1, 2, 4, 5 (12 adoptions): generation totals 4, 4, 3, 1 */
    static const uint32_t sizes[4] = {1, 2, 4, 5};
    static const uint64_t totals[4] = {4, 4, 3, 1};
    hand_t h;
    rc_point_curves_t c;
    hand_init(&h, 2, sizes, 4);
    memcpy(h.gen_total, totals, sizeof totals);
    h.res.gen_total = h.gen_total;
    h.res.gen_len = 4;
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK_EQ_U64(c.gen_len, 4);
    double sum = 0;
    for (uint32_t g = 0; g < c.gen_len; g++) {
        CHECK(c.generations[g] == (double)totals[g] / 4.0);
        sum += c.generations[g];
    }
    CHECK(sum == 12.0 / 4.0); /* the mean size */
    rc_curves_free(&c);
}

/* The expected times of the curves, by the rule of curves.h. */
static double want_t(int b, double tmin, double tmax)
{
    if (b == 0)
        return 0.0;
    if (b == RC_CURVES_TIME_BINS)
        return tmax;
    if (tmax / tmin >= 20.0)
        return tmin * pow(tmax / tmin, (double)(b - 1) / (RC_CURVES_TIME_BINS - 1));
    return tmax * b / RC_CURVES_TIME_BINS;
}

static int count_le(const double *x, size_t n, double t)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += x[i] <= t; /* NaN compares false */
    return k;
}

static void test_time_log(void)
{
    /* 5 runs, one of which never spread in time (NaN): tmin = 1, tmax = 100, log-spaced */
    static const uint32_t sizes[5] = {3, 4, 1, 6, 20};
    const double t50[5] = {1, 2, NAN, 0.5 * 8, 8};
    const double t90[5] = {1.5, 3, NAN, 7, 60};
    const double fin[5] = {2, 4, NAN, 8, 100};
    hand_t h;
    rc_point_curves_t c;
    hand_init(&h, 0, sizes, 5);
    hand_times(&h, t50, t90, fin);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK_EQ_U64(c.time.len, RC_CURVES_TIME_BINS + 1);
    for (int b = 0; b <= RC_CURVES_TIME_BINS && c.time.len; b++) {
        double t = c.time.t[b];
        CHECK(t == want_t(b, 1.0, 100.0));
        CHECK(b == 0 || t > c.time.t[b - 1]);
        CHECK(c.time.cdf_t50[b] == count_le(t50, 5, t) / 5.0);
        CHECK(c.time.cdf_t90[b] == count_le(t90, 5, t) / 5.0);
        CHECK(c.time.cdf_final[b] == count_le(fin, 5, t) / 5.0);
    }
    if (c.time.len) {
        CHECK(c.time.t[1] == 1.0); /* tmin itself */
        CHECK(c.time.cdf_t50[0] == 0.0 && c.time.cdf_final[0] == 0.0);
        CHECK(c.time.cdf_t50[1] == 1.0 / 5.0);
        /* the NaN run never counts: 4 of 5 at the end */
        CHECK(c.time.cdf_t50[RC_CURVES_TIME_BINS] == 4.0 / 5.0);
        CHECK(c.time.cdf_final[RC_CURVES_TIME_BINS] == 4.0 / 5.0);
    }
    rc_curves_free(&c);
}

/* tmin = first positive t50, tmax = largest finite final time; ratio decides the spacing. */
static void time_spacing(double tmin, double tmax, int want_log)
{
    static const uint32_t sizes[3] = {2, 2, 2};
    const double t50[3] = {0.0, tmin, INFINITY};
    const double t90[3] = {0.0, tmin, tmax};
    const double fin[3] = {0.0, tmax, INFINITY};
    hand_t h;
    rc_point_curves_t c;
    hand_init(&h, 0, sizes, 3);
    hand_times(&h, t50, t90, fin);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK_EQ_U64(c.time.len, RC_CURVES_TIME_BINS + 1);
    if (c.time.len) {
        double lin = tmax * 1 / RC_CURVES_TIME_BINS;
        CHECK(c.time.t[1] == (want_log ? tmin : lin));
        CHECK(c.time.t[RC_CURVES_TIME_BINS] == tmax);
        CHECK(c.time.t[RC_CURVES_TIME_BINS / 2] ==
              (want_log ? tmin * pow(tmax / tmin, (double)(RC_CURVES_TIME_BINS / 2 - 1) /
                                                      (RC_CURVES_TIME_BINS - 1))
                        : tmax * (RC_CURVES_TIME_BINS / 2) / RC_CURVES_TIME_BINS));
        /* a zero time counts from t = 0; infinity never does */
        CHECK(c.time.cdf_final[0] == 1.0 / 3.0);
        CHECK(c.time.cdf_t50[RC_CURVES_TIME_BINS] == 2.0 / 3.0);
        CHECK(c.time.cdf_final[RC_CURVES_TIME_BINS] == 2.0 / 3.0);
        CHECK(c.time.cdf_t90[RC_CURVES_TIME_BINS] == 3.0 / 3.0);
    }
    rc_curves_free(&c);
}

static void test_time_rules(void)
{
    time_spacing(1.0, 20.0, 1);  /* a factor 20 exactly: logarithmic */
    time_spacing(1.0, 19.9, 0);  /* just under: linear */
    time_spacing(0.5, 200.0, 1); /* far over */
    time_spacing(3.0, 3.0, 0);   /* all at one time */

    static const uint32_t sizes[2] = {2, 2};
    hand_t h;
    rc_point_curves_t c;
    /* no positive t50 (or one after tmax): tmin = tmax, so linear */
    const double zero[2] = {0.0, 0.0}, fin[2] = {5.0, 10.0}, late[2] = {NAN, 50.0};
    hand_init(&h, 0, sizes, 2);
    hand_times(&h, zero, fin, fin);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.time.len == RC_CURVES_TIME_BINS + 1 && c.time.t[1] == 10.0 / RC_CURVES_TIME_BINS);
    rc_curves_free(&c);
    hand_times(&h, late, fin, fin);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.time.len == RC_CURVES_TIME_BINS + 1 && c.time.t[1] == 10.0 / RC_CURVES_TIME_BINS);
    rc_curves_free(&c);
    /* nothing spread in time (all final times 0 or NaN): no curve */
    const double none[2] = {0.0, NAN};
    hand_times(&h, none, none, none);
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.time.len == 0 && c.time.t == NULL && c.time.cdf_final == NULL);
    rc_curves_free(&c);
    /* timed flag without the arrays, or the arrays without the flag: no curve */
    hand_times(&h, zero, fin, fin);
    h.res.t90 = NULL;
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.time.len == 0);
    rc_curves_free(&c);
    hand_times(&h, zero, fin, fin);
    h.res.timed = 0;
    CHECK_OK(rc_curves_compute(&h.res, &c));
    CHECK(c.time.len == 0);
    rc_curves_free(&c);
}

/* A real point: generation means sum to the mean size (up to rounding of the divisions). */
static void test_engine_point(void)
{
    rc_graph_t *g = fx_random(2000, 8000, 5);
    const rc_model_t *m = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_mc_results_t *res = NULL;
    rc_point_curves_t c;
    fx_model("{name: independent_cascade, p: 0.2}", &m, &params);
    CHECK_OK(fx_seeds("{strategy: random, count: 2}", &seeds));
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 500, 3, 1, NULL, &res));
    if (res != NULL) {
        CHECK_OK(rc_curves_compute(res, &c));
        double sum = 0, size = 0;
        for (uint32_t k = 0; k < c.gen_len; k++)
            sum += c.generations[k];
        for (uint64_t i = 0; i < res->runs; i++)
            size += res->size[i];
        CHECK(c.gen_len == res->gen_len && c.gen_len > 1);
        CHECK_NEAR(sum, size / (double)res->runs, 1e-9 * size);
        CHECK(c.size_ccdf.len > 1 && c.size_ccdf.ccdf[0] == 1.0); /* 2 seeds: size >= 1 */
        rc_curves_free(&c);
    }
    rc_mc_results_free(res);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

int main(void)
{
    test_ccdf_grid();
    test_ccdf_edges();
    test_generations();
    test_time_log();
    test_time_rules();
    test_engine_point();
    return rc_test_report("test_curves");
}
