/* Infectiousness decay (`infectiousness: {decay: ...}`, SEISMIC's p(t)) in the timed models,
 * through the engine, against closed forms: a follower of a seed reshares with probability
 * p E[g(T)] over the delay T; the first hop of an audience likewise; a Hawkes process with
 * exponential delays and an exponential decay has generation-k means mu^k prod_j (rt / (rt + j))
 * (rt = rate x tau), finite even when mu > 1; the keys' errors. Tolerances: 5 standard errors of
 * the estimated quantity from the number of runs. */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <gsl/gsl_integration.h>
#include <math.h>

#define TOL_SE 5.0

/* Runs `runs` cascades of model_yaml on g from seeds_yaml (or an audience), 2 threads. */
static rc_mc_results_t *run(const rc_graph_t *g, const char *model_yaml, const char *seeds_yaml,
                            const char *audience_yaml, uint64_t runs)
{
    const rc_model_t *m = NULL;
    void *params = NULL;
    rc_seed_spec_t seeds;
    rc_audience_spec_t aud;
    rc_mc_results_t *res = NULL;
    fx_model(model_yaml, &m, &params);
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = 2;
    rc_status_t st = RC_OK;
    if (audience_yaml != NULL) {
        rc_cfg_t *root = NULL;
        st = rc_cfg_parse_string(audience_yaml, "<test>", &root);
        if (st == RC_OK)
            st = rc_audience_parse(root, &aud);
        rc_cfg_free(root);
        opt.audience = &aud;
        rc_seeds_default(&seeds);
    } else {
        st = fx_seeds(seeds_yaml, &seeds);
    }
    if (st == RC_OK)
        st = rc_mc_run(g, m, params, &seeds, runs, 77, 0, &opt, &res);
    if (st != RC_OK)
        fprintf(stderr, "%s: %s\n", model_yaml, rc_error_message());
    CHECK(st == RC_OK);
    rc_seeds_clear(&seeds);
    rc_model_params_free(m, params);
    return res;
}

/* E[(1 + T/t0)^-a] for T ~ Exponential(rate), by quadrature (independent of the model's code). */
typedef struct pl_arg {
    double rate, t0, a;
} pl_arg_t;

static double pl_integrand(double t, void *arg)
{
    const pl_arg_t *p = arg;
    return p->rate * exp(-p->rate * t) * pow(1.0 + t / p->t0, -p->a);
}

static double pl_mean_factor(double rate, double t0, double a)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(1000);
    pl_arg_t arg = {rate, t0, a};
    gsl_function f = {pl_integrand, &arg};
    double v = NAN, err = 0.0;
    gsl_integration_qagiu(&f, 0.0, 0.0, 1e-12, 1000, w, &v, &err);
    gsl_integration_workspace_free(w);
    return v;
}

/* Retweets of one run ~ Binomial(k, q): the run mean against k q. */
static void check_binomial(const char *what, const rc_mc_results_t *res, double k, double q)
{
    if (res == NULL)
        return;
    double mean = res->summary[RC_METRIC_RETWEETS].mean;
    double se = sqrt(k * q * (1.0 - q) / (double)res->runs);
    printf("%s: mean retweets %.3f, expected %.3f +- %.3f\n", what, mean, k * q, se);
    CHECK_NEAR(mean, k * q, TOL_SE * se);
}

/* The star's centre posts; each of its k followers reshares with probability p g(T). */
static void test_star(void)
{
    const uint32_t n = 2001;
    rc_graph_t *g = fx_star(n);
    const double rate = 0.01, tau = 200.0, t0 = 50.0, a = 1.5;
    /* none given explicitly: every follower reshares (p = 1) */
    rc_mc_results_t *res = run(g, "{name: continuous_cascade, p: 1, infectiousness: none}",
                               "{strategy: list, "
                               "nodes: [0]}",
                               NULL, 20);
    if (res != NULL)
        CHECK(res->summary[RC_METRIC_RETWEETS].min == n - 1.0);
    rc_mc_results_free(res);
    res = run(g,
              "{name: continuous_cascade, p: 1, delay: {distribution: exponential, rate: 0.01}, "
              "infectiousness: {decay: exponential, tau: 200}}",
              "{strategy: list, nodes: [0]}", NULL, 400);
    check_binomial("exponential decay, p = 1", res, n - 1.0, rate * tau / (1.0 + rate * tau));
    /* kept reshares come sooner: their delays are Exponential(rate + 1/tau), so the last of
     * ~1333 is near H_1333 / (rate + 1/tau) */
    if (res != NULL)
        CHECK(res->summary[RC_METRIC_FINAL_TIME].mean < 1.2 * 7.8 / (rate + 1.0 / tau));
    rc_mc_results_free(res);
    res = run(g,
              "{name: continuous_cascade, p: 0.4, delay: {distribution: exponential, rate: "
              "0.01}, infectiousness: {decay: power_law, t0: 50, exponent: 1.5}}",
              "{strategy: list, nodes: [0]}", NULL, 400);
    check_binomial("power-law decay, p = 0.4", res, n - 1.0, 0.4 * pl_mean_factor(rate, t0, a));
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* An author outside the network: each member's first-hop reshare at its delay T is kept with
 * g(T), so with engagement 1 and no onward spread, retweets ~ Binomial(size, E[g(T)]). */
static void test_audience_first_hop(void)
{
    rc_graph_t *g = fx_graph(500, 0, NULL, NULL);
    const double rate = 0.5, tau = 3.0;
    rc_mc_results_t *res = run(g,
                               "{name: continuous_cascade, p: 0.5, delay: {distribution: "
                               "exponential, rate: 0.5}, infectiousness: {decay: exponential, "
                               "tau: 3}}",
                               NULL, "{size: 500, pick: random, engagement: 1}", 400);
    check_binomial("audience first hop", res, 500.0, rate * tau / (1.0 + rate * tau));
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* Hawkes, one seed with d = 1, mu = kappa children on average before the decay, delays
 * Exponential(rate), g(t) = exp(-t/tau). A generation-k event sits at S_k = T_1 + ... + T_k and
 * is kept with g(S_1) ... g(S_k) = exp(-sum_j (k - j + 1) T_j / tau), so its mean count is
 * mu^k prod_{j=1..k} rt / (rt + j), rt = rate tau; P(size 1) = exp(-mu rt / (1 + rt)). With
 * rt = 1 and mu = 1.5 (supercritical without the decay) the mean size is (e^1.5 - 1) / 1.5. */
static void test_hawkes(void)
{
    rc_graph_t *g = fx_graph(1000, 0, NULL, NULL);
    const double mu = 1.5, rt = 1.0;
    const uint64_t runs = 40000;
    rc_mc_results_t *res = run(g,
                               "{name: hawkes, kappa: 1.5, beta: 0, followers: {distribution: "
                               "constant, value: 1}, seed_followers: draw, delay: {distribution: "
                               "exponential, rate: 0.01}, infectiousness: {decay: exponential, "
                               "tau: 100}}",
                               "{strategy: list, nodes: [0]}", NULL, runs);
    if (res != NULL) {
        double mean = 0.0, term = 1.0;
        for (int k = 0; k < 200; k++) {
            mean += term;
            term *= mu * rt / (rt + k + 1.0);
        }
        CHECK_NEAR(mean, (exp(1.5) - 1.0) / 1.5, 1e-12);
        double ones = 0.0;
        for (uint64_t r = 0; r < res->runs; r++)
            ones += res->size[r] == 1;
        double p1 = exp(-mu * rt / (1.0 + rt));
        const rc_metric_summary_t *s = &res->summary[RC_METRIC_RETWEETS];
        printf("hawkes with decay: mean size %.4f (theory %.4f), P(size 1) %.4f (theory %.4f), "
               "capped %.4f\n",
               s->mean + 1.0, mean, ones / (double)runs, p1, res->p_capped);
        CHECK_NEAR(s->mean + 1.0, mean, TOL_SE * s->sd / sqrt((double)runs));
        CHECK_NEAR(ones / (double)runs, p1, TOL_SE * sqrt(p1 * (1 - p1) / (double)runs));
        CHECK(res->p_capped == 0.0);
        /* the first generation: mu rt / (1 + rt) on average */
        double gen1 = (double)res->gen_total[1] / (double)runs;
        CHECK_NEAR(gen1, mu * rt / (1.0 + rt), TOL_SE * sqrt(mu * rt / (1.0 + rt) / runs));
    }
    rc_mc_results_free(res);
    rc_graph_free(g);
}

/* Bad keys name the key and what was expected. */
static void test_errors(void)
{
    static const struct {
        const char *yaml, *text;
    } cases[] = {
        {"{name: hawkes, infectiousness: {decay: exponential}}", "tau"},
        {"{name: hawkes, infectiousness: {decay: exponential, tau: 0}}", "tau"},
        {"{name: continuous_cascade, infectiousness: {decay: power_law, t0: 10}}", "exponent"},
        {"{name: continuous_cascade, infectiousness: {decay: linear, tau: 3}}", "infectiousness"},
        {"{name: continuous_cascade, infectiousness: {decay: exponential, tau: 3, t0: 4}}", "t0"},
        {"{name: independent_cascade, infectiousness: none}", "infectiousness"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rc_cfg_t *root = NULL;
        const rc_model_t *m = NULL;
        void *params = NULL;
        rc_status_t st = rc_cfg_parse_string(cases[i].yaml, "<test>", &root);
        if (st == RC_OK)
            st = rc_model_parse(root, &m, &params);
        int ok = st == RC_ERR_CONFIG && strstr(rc_error_message(), cases[i].text) != NULL;
        if (!ok)
            fprintf(stderr, "%s: status %d, message '%s'\n", cases[i].yaml, (int)st,
                    st == RC_OK ? "" : rc_error_message());
        CHECK(ok);
        if (st == RC_OK)
            rc_model_params_free(m, params);
        rc_cfg_free(root);
    }
}

int main(void)
{
    test_star();
    test_audience_first_hop();
    test_hawkes();
    test_errors();
    return rc_test_report("test_decay");
}
