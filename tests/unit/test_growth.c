/* The growth curve N(t) of timed points (curves.h): the fixed grid and its bins at and beside
 * the grid times; hand-made runs whose N(t_k), mean, sd and band are known; the trimming of
 * the grid to where something happens; merging sums (with the carry into the high word); and
 * real points of continuous_cascade (seeds, and an audience) whose curve must equal N(t)
 * counted from every run's recorded adoption times, whatever the thread count. */
#include "engine_fixtures.h"
#include "rc_test.h"
#include "rtcascade/curves.h"
#include "rtcascade/events.h"
#include "rtcascade/specs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define G RC_GROWTH_TIMES

static void test_grid(void)
{
    CHECK(rc_growth_time(0) == 0.0);
    CHECK_NEAR(rc_growth_time(1), 1e-3, 1e-18);
    CHECK_NEAR(rc_growth_time(9), 1e-2, 1e-17);
    CHECK_NEAR(rc_growth_time(G - 1), 1e9, 1e-3);
    CHECK_EQ_U64(rc_growth_bin(0.0), 0);
    CHECK_EQ_U64(rc_growth_bin(-1.0), 0);
    CHECK_EQ_U64(rc_growth_bin(1e-9), 1);
    for (size_t k = 1; k < G; k++) {
        double t = rc_growth_time(k);
        CHECK_EQ_U64(rc_growth_bin(t), k);                 /* t <= t_k: in k */
        CHECK_EQ_U64(rc_growth_bin(nextafter(t, 0.0)), k); /* just below */
        if (k + 1 < G)
            CHECK_EQ_U64(rc_growth_bin(nextafter(t, INFINITY)), k + 1); /* just above */
    }
    CHECK_EQ_U64(rc_growth_bin(2e9), G);
    CHECK_EQ_U64(rc_growth_bin(INFINITY), G);
    CHECK_EQ_U64(rc_growth_bin(NAN), G);
}

/* Three runs: {0, 0.5, 0.5, 20}, {0}, {0, 3, 3e10 (past the grid)}. */
static void test_hand_runs(void)
{
    static const double r0[] = {0.0, 0.5, 0.5, 20.0}, r1[] = {0.0}, r2[] = {0.0, 3.0, 3e10};
    uint64_t *acc = calloc(3 * G, sizeof *acc);
    uint32_t *hist = calloc(G + 1, sizeof *hist);
    rc_growth_add_run(acc, hist, r0, 4);
    rc_growth_add_run(acc, hist, r1, 1);
    rc_growth_add_run(acc, hist, r2, 3);
    for (size_t k = 0; k <= G; k++)
        CHECK(hist[k] == 0);
    /* by hand at t = 0, 1 (k = 25), 10 (k = 33), 100 (k = 41) */
    const size_t ks[] = {0, 25, 33, 41};
    const double n0[] = {1, 3, 3, 4}, n2[] = {1, 1, 2, 2};
    for (size_t i = 0; i < 4; i++) {
        size_t k = ks[i];
        double s = n0[i] + 1 + n2[i], q = n0[i] * n0[i] + 1 + n2[i] * n2[i];
        CHECK_EQ_U64(acc[k], (uint64_t)s);
        CHECK_EQ_U64(acc[G + k], (uint64_t)q);
        CHECK_EQ_U64(acc[2 * G + k], 0);
    }
    rc_mc_results_t res;
    uint32_t size[3] = {4, 1, 3};
    memset(&res, 0, sizeof res);
    res.size = size;
    res.runs = 3;
    res.timed = 1;
    res.growth = acc;
    rc_point_curves_t c;
    CHECK_OK(rc_curves_compute(&res, &c));
    /* trimmed: t_0, then from the grid time before 0.5 to the first at or after 20 */
    size_t first = rc_growth_bin(0.5), last = rc_growth_bin(20.0);
    CHECK_EQ_U64(c.growth.len, 1 + last - (first - 1) + 1);
    if (c.growth.len > 2) {
        CHECK(c.growth.t[0] == 0.0);
        CHECK(c.growth.t[1] == rc_growth_time(first - 1));
        CHECK(c.growth.t[c.growth.len - 1] == rc_growth_time(last));
        CHECK_NEAR(c.growth.mean[0], 1.0, 0);
        CHECK_NEAR(c.growth.sd[0], 0.0, 0);
        /* at the end: N = 4, 1, 2 */
        double m = 7.0 / 3.0,
               sd = sqrt(((4 - m) * (4 - m) + (1 - m) * (1 - m) + (2 - m) * (2 - m)) / 2);
        size_t e = c.growth.len - 1;
        CHECK_NEAR(c.growth.mean[e], m, 1e-15);
        CHECK_NEAR(c.growth.sd[e], sd, 1e-14);
        CHECK_NEAR(c.growth.high[e] - c.growth.mean[e], 1.959963984540054 * sd / sqrt(3.0), 1e-14);
        CHECK_NEAR(c.growth.mean[e] - c.growth.low[e], 1.959963984540054 * sd / sqrt(3.0), 1e-14);
    }
    rc_curves_free(&c);
    /* untimed, or no sums: no curve */
    res.timed = 0;
    CHECK_OK(rc_curves_compute(&res, &c));
    CHECK_EQ_U64(c.growth.len, 0);
    rc_curves_free(&c);
    free(acc);
    free(hist);
}

/* The sum of squares is 128 bits: merging carries into the high word. */
static void test_merge_carry(void)
{
    uint64_t *a = calloc(3 * G, sizeof *a), *b = calloc(3 * G, sizeof *b);
    a[G + 5] = UINT64_MAX - 1;
    a[2 * G + 5] = 7;
    b[G + 5] = 3;
    b[2 * G + 5] = 1;
    b[5] = 9;
    rc_growth_merge(a, b);
    CHECK_EQ_U64(a[5], 9);
    CHECK_EQ_U64(a[G + 5], 1);
    CHECK_EQ_U64(a[2 * G + 5], 9);
    free(a);
    free(b);
}

/* The curve of a real point against N(t_k) counted from its recorded events. */
static void check_point(const rc_graph_t *g, const char *model, const char *aud_yaml, int threads)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_audience_spec_t aud;
    rc_events_t *ev = NULL;
    rc_mc_results_t *res = NULL;
    const uint64_t runs = 400;
    fx_model(model, &m, &params);
    CHECK_OK(fx_seeds("{strategy: random, count: 2}", &seeds));
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = threads;
    if (aud_yaml != NULL) {
        rc_cfg_t *root = NULL;
        CHECK_OK(rc_cfg_parse_string(aud_yaml, "<test>", &root));
        CHECK_OK(rc_audience_parse(root, &aud));
        rc_cfg_free(root);
        opt.audience = &aud;
    }
    CHECK_OK(rc_events_new(0, runs, &ev));
    rc_mc_recorder_t rec = rc_events_recorder(ev);
    opt.recorder = &rec;
    CHECK_OK(rc_mc_run(g, m, params, &seeds, runs, 11, 2, &opt, &res));
    CHECK_OK(rc_events_finish(ev));
    rc_point_curves_t c;
    memset(&c, 0, sizeof c);
    if (res != NULL) {
        CHECK(res->growth != NULL);
        CHECK_OK(rc_curves_compute(res, &c));
    }
    CHECK(c.growth.len > 3);
    for (size_t i = 0; i < c.growth.len && ev->time != NULL; i++) {
        double s = 0, q = 0;
        for (uint64_t r = 0; r < runs; r++) {
            double n = 0;
            for (uint64_t e = ev->offset[r]; e < ev->offset[r + 1]; e++)
                n += ev->time[e] <= c.growth.t[i];
            s += n;
            q += n * n;
        }
        double mean = s / runs, sd = sqrt((q - s * s / runs) / (runs - 1));
        CHECK_NEAR(c.growth.mean[i], mean, 1e-12 * (1 + mean));
        CHECK_NEAR(c.growth.sd[i], sd, 1e-9 * (1 + sd));
    }
    /* everything is in by the last row: its mean is the mean size */
    if (c.growth.len > 0 && res != NULL)
        CHECK_NEAR(c.growth.mean[c.growth.len - 1],
                   res->summary[RC_METRIC_RETWEETS].mean + (aud_yaml ? 0 : 2), 1e-9);
    rc_curves_free(&c);
    rc_mc_results_free(res);
    rc_events_free(ev);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
}

/* Two thread counts give the same sums, bit for bit. */
static void test_threads(const rc_graph_t *g)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_mc_results_t *a = NULL, *b = NULL;
    fx_model("{name: continuous_cascade, p: 0.25, delay: {distribution: lognormal, mu: 2, "
             "sigma: 3}}",
             &m, &params);
    CHECK_OK(fx_seeds("{strategy: random, count: 1}", &seeds));
    rc_mc_options_t o1 = rc_mc_default_options(), o2 = rc_mc_default_options();
    o1.threads = 1;
    o2.threads = 3;
    o2.chunk = 1;
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 300, 5, 0, &o1, &a));
    CHECK_OK(rc_mc_run(g, m, params, &seeds, 300, 5, 0, &o2, &b));
    if (a != NULL && b != NULL)
        CHECK(memcmp(a->growth, b->growth, 3 * G * sizeof *a->growth) == 0);
    rc_mc_results_free(a);
    rc_mc_results_free(b);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
}

int main(void)
{
    test_grid();
    test_hand_runs();
    test_merge_carry();
    rc_graph_t *g = fx_random(3000, 15000, 9);
    check_point(g,
                "{name: continuous_cascade, p: 0.2, delay: {distribution: exponential, rate: 0.5}}",
                NULL, 1);
    check_point(g,
                "{name: continuous_cascade, p: 0.15, delay: {distribution: lognormal, mu: 1, "
                "sigma: 2}}",
                "{size: 300, pick: random, engagement: 0.05}", 2);
    test_threads(g);
    rc_graph_free(g);
    return rc_test_report("test_growth");
}
