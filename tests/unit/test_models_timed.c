/* Timed models: the delay kernels' samplers against independently written CDFs and means, the
 * continuous-time cascade on paths and small graphs (sums of delays, p = 0, horizons, earliest
 * exposure wins), and the Hawkes process against branching-process theory (mean size
 * 1/(1 - n*), the cap for n* > 1, first-generation delays, network marks on a star). */
#include "model_fixture.h"
#include "../../models/timed.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_gamma.h>

#define TOL_SE 5.0

/* ---- Delay kernels ---- */

/* A one-parameter table holding the delay kernel, as a model's table does. */
typedef struct delay_holder {
    rc_delay_t delay;
} delay_holder_t;
static const rc_delay_t default_delay = {RC_DELAY_EXPONENTIAL, 1.0, 0.0, 0.0};
static const rc_param_t delay_table[] = {
    RC_DELAY_PARAM(delay_holder_t, delay, &default_delay, "a delay"), {0}};

static int parse_delay(const char *yaml, rc_delay_t *d)
{
    rc_cfg_t *cfg = NULL;
    delay_holder_t h;
    rc_status_t st = rc_cfg_parse_string(yaml, "<t>", &cfg);
    if (st == RC_OK)
        st = rc_params_fill(delay_table, cfg, NULL, &h, NULL);
    if (st == RC_OK)
        *d = h.delay;
    rc_cfg_free(cfg);
    CHECK(st == RC_OK);
    if (st != RC_OK)
        fprintf(stderr, "%s: %s\n", yaml, rc_error_message());
    return st == RC_OK ? 0 : -1;
}

/* The SEISMIC kernel as written in the paper, unnormalised: 1 up to s0, then (s/s0)^-(1+theta). */
static double seismic_phi(double s, void *arg)
{
    const double *a = arg;
    return s <= a[0] ? 1.0 : pow(s / a[0], -(1.0 + a[1]));
}

static double seismic_s_phi(double s, void *arg)
{
    return s * seismic_phi(s, arg);
}

/* Independent CDF (and mean) of each kernel: closed forms from GSL, numerical integration of the
 * unnormalised SEISMIC kernel. */
static double indep_cdf(const rc_delay_t *d, double s, double *mean)
{
    static gsl_integration_workspace *iw = NULL;
    if (iw == NULL)
        iw = gsl_integration_workspace_alloc(1000);
    double err;
    switch (d->kind) {
    case RC_DELAY_EXPONENTIAL:
        *mean = 1.0 / d->a;
        return gsl_cdf_exponential_P(s, 1.0 / d->a);
    case RC_DELAY_LOGNORMAL:
        *mean = exp(d->a + d->b * d->b / 2.0);
        return gsl_cdf_lognormal_P(s, d->a, d->b);
    case RC_DELAY_WEIBULL:
        *mean = d->b * gsl_sf_gamma(1.0 + 1.0 / d->a);
        return gsl_cdf_weibull_P(s, d->b, d->a);
    case RC_DELAY_POWER_LAW: {
        double arg[2] = {d->a, d->b};
        gsl_function f = {seismic_phi, arg}, fs = {seismic_s_phi, arg};
        double tail = 0.0, part = 0.0, stail = INFINITY;
        gsl_integration_qagiu(&f, d->a, 0, 1e-10, 1000, iw, &tail, &err);
        double total = d->a + tail;
        if (s > d->a)
            gsl_integration_qags(&f, d->a, s, 0, 1e-10, 1000, iw, &part, &err);
        if (d->b > 1.0) {
            gsl_integration_qagiu(&fs, d->a, 0, 1e-10, 1000, iw, &stail, &err);
            stail += d->a * d->a / 2.0;
        }
        *mean = stail / total;
        return (fmin(s, d->a) + part) / total;
    }
    case RC_DELAY_LOMAX: /* S + c is Pareto (type I) with shape theta and scale c */
        *mean = d->b > 1.0 ? d->a * d->b / (d->b - 1.0) - d->a : INFINITY;
        return gsl_cdf_pareto_P(s + d->a, d->b, d->a);
    }
    return NAN;
}

static void check_kernel(const char *yaml, const double *points, int n_points)
{
    rc_delay_t d;
    if (parse_delay(yaml, &d) != 0)
        return;
    gsl_rng *r = rc_rng_alloc();
    rc_rng_seed(r, FX_MASTER_SEED, 99, (uint64_t)d.kind);
    enum { N = 200000 };
    static double x[N];
    double sum = 0.0, sum2 = 0.0;
    for (int i = 0; i < N; i++) {
        x[i] = rc_delay_sample(&d, r);
        sum += x[i];
        sum2 += x[i] * x[i];
    }
    for (int k = 0; k < n_points; k++) {
        double mean_unused;
        double F = indep_cdf(&d, points[k], &mean_unused);
        CHECK_NEAR(rc_delay_cdf(&d, points[k]), F, 1e-7);
        int below = 0;
        for (int i = 0; i < N; i++)
            below += x[i] <= points[k];
        double emp = (double)below / N;
        double tol = TOL_SE * sqrt(F * (1.0 - F) / N) + 1e-12;
        printf("  %s: F(%g) = %.5f, empirical %.5f (5 SE %.5f)\n", yaml, points[k], F, emp, tol);
        CHECK_NEAR(emp, F, tol);
    }
    /* Survival inversion and CDF agree everywhere, far tail included. */
    const double ws[] = {1.0, 0.999, 0.9, 0.5, 0.1, 1e-3, 1e-9};
    for (size_t k = 0; k < sizeof ws / sizeof ws[0]; k++) {
        double s = rc_delay_from_survival(&d, ws[k]);
        CHECK(s >= 0.0);
        CHECK_NEAR(1.0 - rc_delay_cdf(&d, s), ws[k], 1e-9 + 1e-6 * ws[k]);
    }
    double mean;
    indep_cdf(&d, 1.0, &mean);
    if (isinf(mean))
        CHECK(isinf(rc_delay_mean(&d)));
    else
        CHECK_NEAR(rc_delay_mean(&d), mean, 1e-6 * mean);
    if (isfinite(mean) && !((d.kind == RC_DELAY_POWER_LAW || d.kind == RC_DELAY_LOMAX) &&
                            d.b <= 2.0)) {
        double m = sum / N, sd = sqrt(sum2 / N - m * m);
        CHECK_NEAR(m, mean, TOL_SE * sd / sqrt((double)N));
    }
    gsl_rng_free(r);
}

static void test_kernels(void)
{
    const double pe[] = {0.05, 0.3, 0.7, 2.0};
    check_kernel("delay: {distribution: exponential, rate: 2}", pe, 4);
    const double pl[] = {1.0, 2.5, 4.0, 10.0};
    check_kernel("delay: {distribution: lognormal, mu: 1, sigma: 0.5}", pl, 4);
    const double pw[] = {0.5, 1.5, 3.0, 6.0};
    check_kernel("delay: {distribution: weibull, shape: 1.5, scale: 2}", pw, 4);
    const double pp[] = {3.0, 10.0, 20.0, 100.0};
    check_kernel("delay: {distribution: power_law, s0: 10, theta: 3.5}", pp, 4);
    const double ps[] = {60.0, 300.0, 3600.0, 86400.0};
    check_kernel("delay: {distribution: power_law, s0: 300, theta: 0.242}", ps, 4);
    /* evently's power law (s + c)^-(1+theta) as a density: light and heavy tails */
    const double px[] = {1.0, 30.0, 100.0, 1000.0};
    check_kernel("delay: {distribution: lomax, c: 30, theta: 3.5}", px, 4);
    const double pa[] = {60.0, 345.0, 3600.0, 86400.0};
    check_kernel("delay: {distribution: lomax, c: 345, theta: 0.644}", pa, 4);
    rc_delay_t d;
    if (parse_delay("delay: {distribution: lomax, c: 345, theta: 0.644}", &d) == 0) {
        CHECK(isinf(rc_delay_mean(&d)));
        /* the median is c (2^(1/theta) - 1) */
        CHECK_NEAR(rc_delay_from_survival(&d, 0.5), 345.0 * (pow(2.0, 1.0 / 0.644) - 1.0), 1e-9);
        char buf[64];
        CHECK(strcmp(rc_delay_describe(&d, buf, sizeof buf), "lomax(c=345, theta=0.644)") == 0);
    }
    if (parse_delay("delay: {distribution: power_law, s0: 300, theta: 0.242}", &d) == 0) {
        CHECK(isinf(rc_delay_mean(&d)));
        CHECK_NEAR(d.flat_mass, 0.242 / 1.242, 1e-15);
        char buf[64];
        CHECK(strcmp(rc_delay_describe(&d, buf, sizeof buf), "power_law(s0=300, theta=0.242)") ==
              0);
    }
}

static void model_parse_fails(const char *yaml, const char *text)
{
    rc_cfg_t *cfg = NULL;
    const rc_model_t *m = NULL;
    void *params = NULL;
    CHECK_OK(rc_cfg_parse_string(yaml, "<t>", &cfg));
    CHECK_FAILS(rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params), RC_ERR_CONFIG, text);
    rc_cfg_free(cfg);
}

static void test_parse_errors(void)
{
    model_parse_fails("model: {name: continuous_cascade, delay: {distribution: gamma, k: 2}}",
                      "model.delay.distribution");
    model_parse_fails("model: {name: continuous_cascade, delay: {distribution: exponential}}",
                      "missing required key 'model.delay.rate'");
    model_parse_fails("model: {name: continuous_cascade, delay: {distribution: exponential, rate: "
                      "0}}",
                      "expected a number > 0");
    model_parse_fails("model: {name: continuous_cascade, delay: {distribution: lognormal, mu: 1, "
                      "sigma: 1, rate: 2}}",
                      "unknown key 'rate'");
    model_parse_fails("model: {name: continuous_cascade, delay: exponential}", "expected a map");
    model_parse_fails("model: {name: continuous_cascade, p: 1.2}", "model.p");
    model_parse_fails("model: {name: continuous_cascade, horizon: 0}", "model.horizon");
    model_parse_fails("model: {name: hawkes, kappa: 0}", "model.kappa: expected a number > 0");
    model_parse_fails("model: {name: hawkes, followers: graph}", "expected 'network'");
    model_parse_fails("model: {name: hawkes, followers: network, seed_followers: draw}",
                      "seed_followers");
    model_parse_fails("model: {name: hawkes, followers: {distribution: power_law, exponent: 1.4, "
                      "min: 1}}",
                      "E[d^beta] is infinite");
    model_parse_fails("model: {name: hawkes, followers: {distribution: power_law, exponent: 2, "
                      "min: 5, max: 5}}",
                      "model.followers.max");
    model_parse_fails("model: {name: hawkes, followers: {distribution: lognormal, mu: 1}}",
                      "missing required key 'model.followers.sigma'");
    model_parse_fails("model: {name: hawkes, max_size: 0}", "model.max_size");
    model_parse_fails("model: {name: hawkes, kapa: 0.1}", "did you mean 'kappa'");
}

/* ---- Continuous-time cascade ---- */

static rc_graph_t *path_graph(uint32_t n)
{
    uint32_t src[64], dst[64];
    for (uint32_t i = 0; i + 1 < n; i++) {
        src[i] = i;
        dst[i] = i + 1;
    }
    return fx_graph(n, src, dst, NULL, n - 1, 0);
}

static rc_graph_t *star_graph(uint32_t leaves, uint32_t n)
{
    uint32_t *src = malloc(leaves * sizeof *src), *dst = malloc(leaves * sizeof *dst);
    for (uint32_t i = 0; i < leaves; i++) {
        src[i] = 0;
        dst[i] = i + 1;
    }
    rc_graph_t *g = fx_graph(n, src, dst, NULL, leaves, 0);
    free(src);
    free(dst);
    return g;
}

/* p = 1 on a path: node k adopts at the sum of k delays, mean k / rate. */
static void test_cc_path_sums(void)
{
    enum { K = 6 };
    const uint64_t runs = 20000;
    const double rate = 0.5;
    rc_graph_t *g = path_graph(K);
    fixture_t f;
    if (g == NULL ||
        fx_open(&f, g, "model: {name: continuous_cascade, p: 1, delay: {distribution: "
                       "exponential, rate: 0.5}}", 0) != 0)
        return;
    const uint32_t seed0[] = {0};
    double sum[K] = {0};
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        if (c.size != K || c.time == NULL) {
            CHECK(c.size == K && c.time != NULL);
            break;
        }
        if (run < 100)
            fx_check_tree(g, &c, 1);
        for (uint32_t i = 0; i < K; i++)
            sum[c.node[i]] += c.time[i];
        CHECK(c.reach == K);
    }
    for (uint32_t k = 1; k < K; k++) {
        double tol = TOL_SE * sqrt((double)k) / rate / sqrt((double)runs);
        CHECK_NEAR(sum[k] / (double)runs, k / rate, tol);
    }
    /* The cap: 3 adopters, flagged; the full size is not flagged. */
    rc_cascade_t c;
    f.ctx.max_size = 3;
    CHECK_OK(fx_run(&f, 1, seed0, 1, &c));
    CHECK_EQ_U64(c.size, 3);
    CHECK(c.capped == 1);
    f.ctx.max_size = K;
    CHECK_OK(fx_run(&f, 1, seed0, 1, &c));
    CHECK_EQ_U64(c.size, K);
    CHECK(c.capped == 0);
    fx_close(&f);
    rc_graph_free(g);
}

/* p = 0: only the seed, but all its followers were shown the post. p = 0.3 on a star: each
 * leaf reshares with probability 0.3 (checks the geometric skipping). */
static void test_cc_probabilities(void)
{
    enum { L = 200 };
    rc_graph_t *g = star_graph(L, L + 1);
    fixture_t f;
    const uint32_t seed0[] = {0};
    rc_cascade_t c;
    if (g == NULL || fx_open(&f, g, "model: {name: continuous_cascade, p: 0}", 0) != 0)
        return;
    for (uint64_t run = 0; run < 20; run++) {
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        CHECK_EQ_U64(c.size, 1);
        CHECK_EQ_U64(c.reach, L + 1);
    }
    fx_close(&f);
    if (fx_open(&f, g, "model: {name: continuous_cascade, p: 0.3}", 0) != 0)
        return;
    const uint64_t runs = 2000;
    double adopted = 0.0;
    double per_leaf[L + 1] = {0};
    for (uint64_t run = 0; run < runs; run++) {
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        if (run < 50)
            fx_check_tree(g, &c, 1);
        adopted += c.size - 1;
        for (uint32_t i = 1; i < c.size; i++)
            per_leaf[c.node[i]] += 1.0;
    }
    double trials = (double)runs * L;
    CHECK_NEAR(adopted / trials, 0.3, TOL_SE * sqrt(0.21 / trials));
    /* No leaf is favoured: first and last leaf alike. */
    CHECK_NEAR(per_leaf[1] / (double)runs, 0.3, TOL_SE * sqrt(0.21 / (double)runs));
    CHECK_NEAR(per_leaf[L] / (double)runs, 0.3, TOL_SE * sqrt(0.21 / (double)runs));
    fx_close(&f);
    rc_graph_free(g);
}

/* Horizon: on a p = 1 path with rate 1, node k adopts by H with P(Poisson(H) >= k). */
static void test_cc_horizon(void)
{
    enum { K = 8 };
    const double H = 3.0;
    const uint64_t runs = 20000;
    rc_graph_t *g = path_graph(K);
    fixture_t f;
    if (g == NULL ||
        fx_open(&f, g, "model: {name: continuous_cascade, p: 1, horizon: 3, delay: "
                       "{distribution: exponential, rate: 1}}", 0) != 0)
        return;
    const uint32_t seed0[] = {0};
    double reached[K] = {0};
    double latest = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        for (uint32_t i = 0; i < c.size; i++) {
            reached[c.node[i]] += 1.0;
            latest = fmax(latest, c.time[i]);
        }
    }
    CHECK(latest <= H);
    for (uint32_t k = 1; k < K; k++) {
        double p = 1.0 - gsl_cdf_poisson_P(k - 1, H);
        CHECK_NEAR(reached[k] / (double)runs, p, TOL_SE * sqrt(p * (1 - p) / (double)runs));
    }
    fx_close(&f);
    rc_graph_free(g);
}

/* Diamond 0 -> {1, 2} -> 3 with p = 1, rate 1: node 3 adopts at its earliest exposure,
 * min of two independent Gamma(2, 1) sums, whose survival is (1 + t)^2 e^-2t: mean 5/4,
 * second moment 9/4. */
static void test_cc_earliest(void)
{
    const uint32_t src[] = {0, 0, 1, 2}, dst[] = {1, 2, 3, 3};
    rc_graph_t *g = fx_graph(4, src, dst, NULL, 4, 0);
    fixture_t f;
    if (g == NULL ||
        fx_open(&f, g, "model: {name: continuous_cascade, p: 1, delay: {distribution: "
                       "exponential, rate: 1}}", 0) != 0)
        return;
    const uint64_t runs = 40000;
    const uint32_t seed0[] = {0};
    double sum = 0.0;
    int parent1 = 0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        CHECK_EQ_U64(c.size, 4);
        if (run < 100)
            fx_check_tree(g, &c, 1);
        /* Adopters come in time order, so node 3 may precede the branch it did not come by. */
        uint32_t i3 = 0;
        while (i3 < c.size && c.node[i3] != 3)
            i3++;
        if (i3 == c.size) {
            CHECK(i3 < c.size);
            break;
        }
        sum += c.time[i3];
        parent1 += c.node[c.parent[i3]] == 1;
    }
    double sd = sqrt(9.0 / 4.0 - 25.0 / 16.0);
    CHECK_NEAR(sum / (double)runs, 1.25, TOL_SE * sd / sqrt((double)runs));
    CHECK_NEAR(parent1 / (double)runs, 0.5, TOL_SE * 0.5 / sqrt((double)runs));
    fx_close(&f);
    rc_graph_free(g);
}

/* ---- Hawkes ---- */

static const char *const hk_pl_followers =
    "followers: {distribution: power_law, exponent: 2.5, min: 1, max: 1000}";

/* E[d^s] of the power law above, in closed form here: int d^(s-2.5) / int d^-2.5 on [1, 1000]. */
static double pl_moment(double s)
{
    double q = s - 1.5;
    double num = fabs(q) < 1e-12 ? log(1000.0) : (pow(1000.0, q) - 1.0) / q;
    double den = (pow(1000.0, -1.5) - 1.0) / -1.5;
    return num / den;
}

static double hk_ratio(const char *yaml, const rc_graph_t *g)
{
    rc_cfg_t *cfg = NULL;
    const rc_model_t *m = NULL;
    void *params = NULL;
    double nstar = NAN;
    if (rc_cfg_parse_string(yaml, "<t>", &cfg) == RC_OK &&
        rc_model_parse(rc_cfg_get(cfg, "model"), &m, &params) == RC_OK) {
        nstar = rc_hawkes_branching_ratio(params, g);
        rc_model_params_free(m, params);
    } else {
        fprintf(stderr, "%s: %s\n", yaml, rc_error_message());
    }
    rc_cfg_free(cfg);
    return nstar;
}

static void test_hawkes_ratio(void)
{
    char yaml[256];
    snprintf(yaml, sizeof yaml, "model: {name: hawkes, kappa: 1, beta: 0.5, %s}", hk_pl_followers);
    CHECK_NEAR(hk_ratio(yaml, NULL), pl_moment(0.5), 1e-9);
    snprintf(yaml, sizeof yaml, "model: {name: hawkes, kappa: 2, beta: 1.5, %s}", hk_pl_followers);
    CHECK_NEAR(hk_ratio(yaml, NULL), 2.0 * pl_moment(1.5), 1e-9);
    CHECK_NEAR(hk_ratio("model: {name: hawkes, kappa: 0.1, beta: 0.7, followers: {distribution: "
                        "lognormal, mu: 2, sigma: 1.5}}", NULL),
               0.1 * exp(0.7 * 2 + 0.49 * 2.25 / 2), 1e-12);
    /* Defaults: lognormal(4.6, 1.8), beta 0.5, kappa 0.05. */
    CHECK_NEAR(hk_ratio("model: {name: hawkes}", NULL), 0.05 * exp(2.3 + 0.25 * 3.24 / 2), 1e-12);
    /* No max: exponent 3, beta 1: E[d] = 2 min. */
    CHECK_NEAR(hk_ratio("model: {name: hawkes, kappa: 1, beta: 1, followers: {distribution: "
                        "power_law, exponent: 3, min: 4}}", NULL),
               8.0, 1e-12);
    /* Network marks on a complete graph of 5: every follower has 4 followers. */
    uint32_t src[20], dst[20];
    size_t m = 0;
    for (uint32_t u = 0; u < 5; u++)
        for (uint32_t v = 0; v < 5; v++)
            if (u != v) {
                src[m] = u;
                dst[m] = v;
                m++;
            }
    rc_graph_t *g = fx_graph(5, src, dst, NULL, m, 0);
    if (g != NULL)
        CHECK_NEAR(hk_ratio("model: {name: hawkes, kappa: 0.1, beta: 0.5, followers: network}", g),
                   0.2, 1e-12);
    rc_graph_free(g);
}

/* Subcritical, seeds drawn like everyone: total size has mean 1/(1 - n*) and variance
 * sigma^2/(1 - n*)^3, sigma^2 = n* + kappa^2 Var(d^beta) (mixed Poisson offspring). The first
 * generation's times are pure kernel delays. A seed with its graph out-degree D instead has
 * mean size 1 + kappa D^beta / (1 - n*). */
static void test_hawkes_subcritical(void)
{
    const uint32_t n = 100000;
    rc_graph_t *g = star_graph(99, n);
    if (g == NULL)
        return;
    const double nstar = 0.5, kappa = nstar / pl_moment(0.5);
    const double var_off = nstar + kappa * kappa * (pl_moment(1.0) - pow(pl_moment(0.5), 2));
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "model: {name: hawkes, kappa: %.17g, beta: 0.5, %s, seed_followers: draw}", kappa,
             hk_pl_followers);
    fixture_t f;
    if (fx_open(&f, g, yaml, 0) != 0)
        return;
    CHECK_NEAR(rc_hawkes_branching_ratio(f.params, g), nstar, 1e-12);
    const uint64_t runs = 20000;
    const uint32_t seed5[] = {5};
    double sum = 0.0;
    rc_delay_t kernel = {RC_DELAY_POWER_LAW, 300.0, 0.242, 0.242 / 1.242};
    const double pts[] = {100.0, 300.0, 3000.0, 1e5};
    double below[4] = {0}, first = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed5, 1, &c));
        if (run < 200)
            fx_check_tree(g, &c, 0);
        CHECK(c.capped == 0);
        sum += c.size;
        for (uint32_t i = 1; i < c.size; i++) {
            if (c.generation[i] != 1)
                continue;
            first += 1.0;
            for (int k = 0; k < 4; k++)
                below[k] += c.time[i] <= pts[k];
        }
    }
    double mean = sum / (double)runs;
    double tol = TOL_SE * sqrt(var_off / pow(1.0 - nstar, 3) / (double)runs);
    printf("  hawkes n* = %.3f: mean size %.4f, theory %.4f (5 SE %.4f)\n", nstar, mean,
           1.0 / (1.0 - nstar), tol);
    CHECK_NEAR(mean, 1.0 / (1.0 - nstar), tol);
    CHECK_NEAR(first / (double)runs, nstar, TOL_SE * sqrt(var_off / (double)runs));
    for (int k = 0; k < 4; k++) {
        double F = rc_delay_cdf(&kernel, pts[k]);
        CHECK_NEAR(below[k] / first, F, TOL_SE * sqrt(F * (1 - F) / first));
    }
    fx_close(&f);

    /* Seed 0 of the star has D = 99 followers in the graph (the default seed_followers). */
    snprintf(yaml, sizeof yaml, "model: {name: hawkes, kappa: %.17g, beta: 0.5, %s}", kappa,
             hk_pl_followers);
    if (fx_open(&f, g, yaml, 0) != 0)
        return;
    const uint32_t seed0[] = {0};
    const double mu0 = kappa * sqrt(99.0);
    const double var_t = var_off / pow(1.0 - nstar, 3), mean_t = 1.0 / (1.0 - nstar);
    sum = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        sum += c.size;
    }
    CHECK_NEAR(sum / (double)runs, 1.0 + mu0 * mean_t,
               TOL_SE * sqrt(mu0 * (var_t + mean_t * mean_t) / (double)runs));
    fx_close(&f);
    rc_graph_free(g);
}

/* Supercritical (n* = 1.5): runs that survive stop at the cap, flagged; the others are small.
 * A horizon keeps every time within it. */
static void test_hawkes_cap_horizon(void)
{
    rc_graph_t *g = star_graph(1, 20000);
    if (g == NULL)
        return;
    const double kappa = 1.5 / pl_moment(0.5);
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "model: {name: hawkes, kappa: %.17g, beta: 0.5, %s, seed_followers: draw, "
             "max_size: 500}",
             kappa, hk_pl_followers);
    fixture_t f;
    if (fx_open(&f, g, yaml, 0) != 0)
        return;
    const uint32_t seed0[] = {0};
    int capped = 0, consistent = 1;
    const int runs = 400;
    for (int run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, (uint64_t)run, seed0, 1, &c));
        if (run < 20)
            fx_check_tree(g, &c, 0);
        if (c.capped)
            capped++;
        consistent &= c.capped ? c.size == 500 : c.size < 500;
    }
    printf("  hawkes n* = 1.5, cap 500: %d of %d runs capped\n", capped, runs);
    CHECK(consistent);
    CHECK(capped > runs / 5);
    /* The engine's cap (smaller) wins over max_size. */
    f.ctx.max_size = 100;
    int seen = 0;
    for (int run = 0; run < 50; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, (uint64_t)run, seed0, 1, &c));
        CHECK(c.size <= 100);
        seen += c.capped && c.size == 100;
    }
    CHECK(seen > 0);
    fx_close(&f);

    /* Horizon of 10 minutes: times stay inside and generation 1 averages n* F(600). */
    snprintf(yaml, sizeof yaml,
             "model: {name: hawkes, kappa: %.17g, beta: 0.5, %s, seed_followers: draw, horizon: "
             "600}",
             0.9 / pl_moment(0.5), hk_pl_followers);
    if (fx_open(&f, g, yaml, 0) != 0)
        return;
    rc_delay_t kernel = {RC_DELAY_POWER_LAW, 300.0, 0.242, 0.242 / 1.242};
    double first = 0.0, first2 = 0.0, latest = 0.0;
    const uint64_t hruns = 20000;
    for (uint64_t run = 0; run < hruns; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        double k1 = 0.0;
        for (uint32_t i = 0; i < c.size; i++) {
            latest = fmax(latest, c.time[i]);
            k1 += c.generation[i] == 1;
        }
        first += k1;
        first2 += k1 * k1;
    }
    CHECK(latest <= 600.0);
    double m1 = first / (double)hruns, sd1 = sqrt(first2 / (double)hruns - m1 * m1);
    CHECK_NEAR(m1, 0.9 * rc_delay_cdf(&kernel, 600.0), TOL_SE * sd1 / sqrt((double)hruns));
    fx_close(&f);
    rc_graph_free(g);
}

/* Network marks on a star 0 -> 1..L: the seed causes Poisson(kappa L^beta) reshare attempts by
 * uniformly random leaves, repeats skipped, so E[size - 1] = L (1 - exp(-mu / L)); leaves have
 * no followers and cause nothing. */
static void test_hawkes_network(void)
{
    enum { L = 50 };
    rc_graph_t *g = star_graph(L, L + 1);
    fixture_t f;
    if (g == NULL || fx_open(&f, g, "model: {name: hawkes, kappa: 0.5, beta: 1, followers: "
                                    "network, delay: {distribution: exponential, rate: 1}}",
                             0) != 0)
        return;
    CHECK_NEAR(rc_hawkes_branching_ratio(f.params, g), 0.0, 1e-15);
    const double mu = 0.5 * L;
    const uint64_t runs = 20000;
    const uint32_t seed0[] = {0};
    double sum = 0.0, sum2 = 0.0;
    for (uint64_t run = 0; run < runs; run++) {
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, seed0, 1, &c));
        if (run < 200)
            fx_check_tree(g, &c, 1);
        CHECK_EQ_U64(c.reach, L + 1);
        double k = c.size - 1;
        sum += k;
        sum2 += k * k;
    }
    double mean = sum / (double)runs, sd = sqrt(sum2 / (double)runs - mean * mean);
    CHECK_NEAR(mean, L * (1.0 - exp(-mu / L)), TOL_SE * sd / sqrt((double)runs));
    fx_close(&f);
    rc_graph_free(g);
}

int main(void)
{
    gsl_set_error_handler_off(); /* integration reports through its status, checked by value */
    test_kernels();
    test_parse_errors();
    test_cc_path_sums();
    test_cc_probabilities();
    test_cc_horizon();
    test_cc_earliest();
    test_hawkes_ratio();
    test_hawkes_subcritical();
    test_hawkes_cap_horizon();
    test_hawkes_network();
    return rc_test_report("test_models_timed");
}
