/* The fit layer's pieces of a calibration (calibrate.h) on hand-made cases: size bins (exact
 * sizes, then log-spaced ones, the open last bin); the binned log-likelihood with its smoothing,
 * by hand; the KS distance of sizes by hand; the observed growth curve and the growth
 * distances; the search on functions with a known minimum (1-D inside and at an end of the
 * box, a flat stretch, 2-D on log and linear scales, a start point); and profile intervals of
 * quadratics, where they are known exactly. */
#include "rc_test.h"
#include "rtcascade/calibrate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Cascades of the given sizes, every event at t = 0 except the k-th at time k * dt. */
static rc_cascades_t *cascades(const size_t *size, size_t n, double dt)
{
    size_t total = 0, *off = malloc((n + 1) * sizeof *off);
    for (size_t c = 0; c < n; c++)
        total += size[c];
    double *t = malloc(total * sizeof *t);
    off[0] = 0;
    for (size_t c = 0; c < n; c++) {
        off[c + 1] = off[c] + size[c];
        for (size_t e = 0; e < size[c]; e++)
            t[off[c] + e] = (double)e * dt;
    }
    rc_cascades_t *cs = NULL;
    double *obs = malloc(n * sizeof *obs);
    for (size_t c = 0; c < n; c++)
        obs[c] = INFINITY;
    CHECK_OK(rc_cascades_from_arrays(n, off, t, NULL, obs, NULL, &cs));
    free(off);
    free(t);
    free(obs);
    return cs;
}

static void test_bins_and_loglik(void)
{
    static const size_t sizes[] = {1, 1, 1, 2, 3, 12, 40};
    rc_cascades_t *cs = cascades(sizes, 7, 1.0);
    rc_calib_objective_options_t o = rc_calib_objective_defaults();
    o.exact_sizes = 3;
    o.bins_per_decade = 2; /* 10^(k/2): 3, 10, 32, 100 */
    rc_calib_data_t d;
    CHECK_OK(rc_calib_data_make(cs, NULL, 0, &o, &d));
    static const uint64_t edges[] = {1, 2, 3, 10, 32, 100};
    CHECK_EQ_U64(d.n_bins, 6);
    for (size_t b = 0; b < 6 && b < d.n_bins; b++)
        CHECK_EQ_U64(d.edge[b], edges[b]);
    CHECK(d.edge[d.n_bins] == UINT64_MAX);
    static const uint64_t count[] = {3, 1, 1, 1, 1, 0};
    for (size_t b = 0; b < 6 && b < d.n_bins; b++)
        CHECK_EQ_U64(d.count[b], count[b]);
    /* simulated: 1, 1, 2, 5, 200 -> bins 0, 0, 1, 3(no: 5 is in [3,10) = bin 2), 5 */
    static const uint64_t sim[] = {1, 1, 2, 5, 200};
    const double a = 0.5, den = 5 + a * 6;
    double want = 3 * log((2 + a) / (den * 1)) + log((1 + a) / (den * 1)) +
                  log((1 + a) / (den * 7)) + log((0 + a) / (den * 22)) + log((0 + a) / (den * 68));
    CHECK_NEAR(rc_calib_size_loglik(&d, a, sim, 5), want, 1e-12);
    o.objective = RC_CALIB_SIZE_LOGLIK;
    CHECK_NEAR(rc_calib_objective(&d, &o, sim, 5, NULL), -want, 1e-12);
    /* KS: F_obs at 1, 2, 3, 5, 12, 40, 200 = 3/7, 4/7, 5/7, 5/7, 6/7, 1, 1; F_sim = 2/5, 3/5,
     * 3/5, 4/5, 4/5, 4/5, 1: largest gap 1/5 at 40 */
    o.objective = RC_CALIB_KS_SIZE;
    CHECK_NEAR(rc_calib_objective(&d, &o, sim, 5, NULL), 1.0 / 5.0, 1e-12);
    CHECK_NEAR(rc_calib_objective(&d, &o, d.size, d.n, NULL), 0.0, 0);
    CHECK(isinf(rc_calib_objective(&d, &o, sim, 0, NULL)));
    rc_calib_data_clear(&d);
    /* a resample: the indices given, with repeats */
    static const size_t idx[] = {6, 6, 0};
    CHECK_OK(rc_calib_data_make(cs, idx, 3, &o, &d));
    CHECK(d.n == 3 && d.size[0] == 1 && d.size[1] == 40 && d.size[2] == 40);
    rc_calib_data_clear(&d);
    rc_cascades_free(cs);
}

static void test_growth(void)
{
    static const size_t sizes[] = {1, 3}; /* events at 0; and at 0, 10, 20 */
    rc_cascades_t *cs = cascades(sizes, 2, 10.0);
    rc_calib_objective_options_t o = rc_calib_objective_defaults();
    rc_calib_data_t d;
    CHECK_OK(rc_calib_data_make(cs, NULL, 0, &o, &d));
    CHECK_NEAR(d.growth[0], 1.0, 0);
    CHECK_NEAR(d.growth[rc_growth_bin(10.0)], 1.5, 0);
    CHECK_NEAR(d.growth[rc_growth_bin(20.0)], 2.0, 0);
    CHECK_EQ_U64(d.growth_last, rc_growth_bin(20.0));
    double sim[RC_GROWTH_TIMES];
    memcpy(sim, d.growth, sizeof sim);
    o.objective = RC_CALIB_L2_LOG_GROWTH;
    uint64_t s1 = 1;
    CHECK_NEAR(rc_calib_objective(&d, &o, &s1, 1, sim), 0.0, 0);
    o.objective = RC_CALIB_KS_GROWTH;
    CHECK_NEAR(rc_calib_objective(&d, &o, &s1, 1, sim), 0.0, 0);
    for (size_t k = 0; k < RC_GROWTH_TIMES; k++)
        sim[k] = 2.0 * d.growth[k]; /* twice as large: log 2 everywhere, the same shape */
    o.objective = RC_CALIB_L2_LOG_GROWTH;
    CHECK_NEAR(rc_calib_objective(&d, &o, &s1, 1, sim), log(2.0) * log(2.0), 1e-12);
    o.objective = RC_CALIB_KS_GROWTH;
    CHECK_NEAR(rc_calib_objective(&d, &o, &s1, 1, sim), 0.0, 1e-12);
    CHECK(isinf(rc_calib_objective(&d, &o, &s1, 1, NULL)));
    rc_calib_data_clear(&d);
    rc_cascades_free(cs);
}

/* Test objectives: a quadratic in (log) x with its minimum at c[i], scale a; and counts. */
typedef struct quad {
    double c[2], a;
    int log;
    int calls;
    int flat; /* 1: a flat bottom, at least 0.01 */
    int dim;  /* 1 or 2 */
} quad_t;

static double quad_fn(const double *x, void *ctx, rc_status_t *status)
{
    quad_t *q = ctx;
    double f = 0.0;
    *status = RC_OK;
    q->calls++;
    for (int i = 0; i < q->dim; i++) {
        double u = q->log ? log(x[i]) - log(q->c[i]) : x[i] - q->c[i];
        f += q->a * u * u;
    }
    return q->flat && f < 0.01 ? 0.01 : f;
}

static double fail_fn(const double *x, void *ctx, rc_status_t *status)
{
    (void)ctx;
    *status = x[0] > 0.5 ? rc_error(RC_ERR_CONFIG, "no good above 0.5") : RC_OK;
    return x[0];
}

static void test_search_1d(void)
{
    rc_calib_box_t box = {.dim = 1, .lo = {0.001}, .hi = {1.0}, .log = {1}};
    rc_calib_search_t opt = rc_calib_search_defaults();
    rc_calib_found_t f;
    quad_t q = {.c = {0.037, 0.0}, .a = 3.0, .log = 1, .dim = 1};
    CHECK_OK(rc_calib_minimize(&box, quad_fn, &q, &opt, NULL, &f));
    CHECK(f.converged && f.at_bound[0] == 0);
    CHECK_NEAR(log(f.x[0]), log(0.037), 1e-3 * log(1000.0));
    CHECK(q.calls < 40);
    /* the profile of a * u^2 rises by r at u = +-sqrt(r / a) */
    double lo, hi;
    int ol, oh;
    CHECK_OK(rc_calib_profile(&box, quad_fn, &q, &opt, &f, 0, 1.92, &lo, &hi, &ol, &oh));
    CHECK(!ol && !oh);
    CHECK_NEAR(log(lo), log(0.037) - sqrt(1.92 / 3.0), 5e-3);
    CHECK_NEAR(log(hi), log(0.037) + sqrt(1.92 / 3.0), 5e-3);
    /* reaching an end of the box: open */
    CHECK_OK(rc_calib_profile(&box, quad_fn, &q, &opt, &f, 0, 100.0, &lo, &hi, &ol, &oh));
    CHECK(ol && oh && lo == 0.001 && hi == 1.0);
    /* a minimum beyond the box: its end, flagged */
    quad_t out = {.c = {5.0, 0.0}, .a = 1.0, .log = 0, .dim = 1};
    rc_calib_box_t lin = {.dim = 1, .lo = {0.0}, .hi = {1.0}, .log = {0}};
    CHECK_OK(rc_calib_minimize(&lin, quad_fn, &out, &opt, NULL, &f));
    CHECK(f.at_bound[0] == 1 && f.x[0] == 1.0);
    /* a flat bottom on [0.4, 0.6] (a step function's): any point of it */
    quad_t flat = {.c = {0.5, 0.0}, .a = 1.0, .log = 0, .flat = 1, .dim = 1};
    CHECK_OK(rc_calib_minimize(&lin, quad_fn, &flat, &opt, NULL, &f));
    CHECK(f.x[0] >= 0.4 - 1e-12 && f.x[0] <= 0.6 + 1e-12);
    CHECK(f.f == 0.01);
    /* the objective's failure ends the search with its status and message */
    CHECK_FAILS(rc_calib_minimize(&lin, fail_fn, NULL, &opt, NULL, &f), RC_ERR_CONFIG,
                "no good above 0.5");
    /* a local search from a start point */
    opt.local = 1;
    double start = 0.9;
    q.calls = 0;
    CHECK_OK(rc_calib_minimize(&box, quad_fn, &q, &opt, &start, &f));
    CHECK_NEAR(log(f.x[0]), log(0.037), 1e-2);
    /* bad boxes */
    rc_calib_box_t bad = {.dim = 1, .lo = {0.0}, .hi = {1.0}, .log = {1}};
    CHECK_FAILS(rc_calib_minimize(&bad, quad_fn, &q, &opt, NULL, &f), RC_ERR_ARGUMENT, "range");
}

static void test_search_2d(void)
{
    rc_calib_box_t box = {.dim = 2, .lo = {0.01, -5.0}, .hi = {10.0, 5.0}, .log = {1, 0}};
    rc_calib_search_t opt = rc_calib_search_defaults();
    opt.max_iter = 400;
    opt.tol = 1e-5;
    rc_calib_found_t f;
    /* a * (log x0 - log 0.5)^2 + a * (x1 - 1.5)^2 (quad_fn's log applies to both: use two) */
    quad_t q = {.c = {0.5, 1.5}, .a = 2.0, .log = 0, .dim = 2};
    rc_calib_box_t linbox = {.dim = 2, .lo = {0.0, -5.0}, .hi = {10.0, 5.0}, .log = {0, 0}};
    CHECK_OK(rc_calib_minimize(&linbox, quad_fn, &q, &opt, NULL, &f));
    CHECK_NEAR(f.x[0], 0.5, 1e-3);
    CHECK_NEAR(f.x[1], 1.5, 1e-3);
    CHECK(f.converged);
    /* the profile of a separable quadratic: the same interval as in 1-D */
    double lo, hi;
    int ol, oh;
    CHECK_OK(rc_calib_profile(&linbox, quad_fn, &q, &opt, &f, 1, 2.0, &lo, &hi, &ol, &oh));
    CHECK_NEAR(lo, 1.5 - 1.0, 2e-2);
    CHECK_NEAR(hi, 1.5 + 1.0, 2e-2);
    (void)box;
}

/* A quadratic with deterministic jitter (a step function's noise, sd about 0.3): the surface's
 * vertex near the true minimum, its interval near the noiseless one, widened a little. */
static double jagged_fn(const double *x, void *ctx, rc_status_t *status)
{
    quad_t *q = ctx;
    double f = quad_fn(x, ctx, status);
    double u = q->log ? log(x[0]) : x[0];
    return f + 0.5 * sin(1e4 * u) * cos(3e3 * (q->dim > 1 ? x[1] : 0.0));
}

static void test_surface(void)
{
    rc_calib_box_t box = {.dim = 1, .lo = {0.001}, .hi = {1.0}, .log = {1}};
    rc_calib_search_t opt = rc_calib_search_defaults();
    rc_calib_found_t f;
    rc_calib_surface_t sf;
    quad_t q = {.c = {0.05, 0.0}, .a = 200.0, .log = 1, .dim = 1};
    CHECK_OK(rc_calib_minimize(&box, jagged_fn, &q, &opt, NULL, &f));
    CHECK_OK(rc_calib_surface(&box, jagged_fn, &q, &f, 1.92, 1.96, &sf));
    CHECK(sf.ok && sf.points == 9);
    CHECK(sf.noise > 0.1 && sf.noise < 1.0);
    CHECK_NEAR(log(sf.x[0]), log(0.05), 0.02);
    /* the noiseless half-width sqrt(1.92 / 200) = 0.098 on log x, within the noise's effect */
    double half = 0.5 * (log(sf.high[0]) - log(sf.low[0]));
    CHECK_NEAR(half, sqrt(1.92 / 200.0), 0.005);
    CHECK(sf.vertex_sd[0] > 0 && sf.vertex_sd[0] < 0.01);
    CHECK(!sf.open_low[0] && !sf.open_high[0]);
    /* 2-D, separable: each interval as in 1-D */
    rc_calib_box_t b2 = {.dim = 2, .lo = {-5.0, -5.0}, .hi = {5.0, 5.0}, .log = {0, 0}};
    quad_t q2 = {.c = {1.0, -2.0}, .a = 50.0, .log = 0, .dim = 2};
    opt.max_iter = 400;
    opt.tol = 1e-5;
    CHECK_OK(rc_calib_minimize(&b2, quad_fn, &q2, &opt, NULL, &f));
    CHECK_OK(rc_calib_surface(&b2, quad_fn, &q2, &f, 2.0, 1.96, &sf));
    CHECK(sf.ok && sf.points == 25);
    CHECK_NEAR(sf.x[0], 1.0, 1e-6);
    CHECK_NEAR(sf.x[1], -2.0, 1e-6);
    CHECK_NEAR(sf.high[1] - sf.x[1], sqrt(2.0 / 50.0), 1e-6);
    CHECK_NEAR(sf.x[0] - sf.low[0], sqrt(2.0 / 50.0), 1e-6);
    /* no curvature: a linear objective has no minimum inside */
    quad_t lin = {.c = {0.0, 0.0}, .a = 0.0, .log = 0, .dim = 1};
    rc_calib_box_t b1 = {.dim = 1, .lo = {0.0}, .hi = {1.0}, .log = {0}};
    f.x[0] = 0.5;
    f.f = 0.0;
    CHECK_OK(rc_calib_surface(&b1, quad_fn, &lin, &f, 2.0, 1.96, &sf));
    CHECK(!sf.ok);
}

int main(void)
{
    test_bins_and_loglik();
    test_growth();
    test_search_1d();
    test_search_2d();
    test_surface();
    return rc_test_report("test_calibrate");
}
