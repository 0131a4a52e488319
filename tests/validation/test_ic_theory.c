/* Independent cascade against branching-process theory on directed Erdos-Renyi graphs.
 *
 * On a sparse random graph the cascade from one seed is locally a Galton-Watson tree whose
 * offspring are Poisson(mu), mu = z p (z = mean out-degree). Subcritical (mu = 0.5): the total
 * size is Borel(mu): P(k) = e^{-mu k} (mu k)^{k-1} / k!, mean 1/(1-mu) = 2, variance
 * mu/(1-mu)^3 = 4. Supercritical (mu = 1.5): the live-edge graph of a run is itself a directed
 * ER graph of mean degree mu. A seed's cascade is its out-set there; it is giant exactly when
 * the seed can reach the giant strongly connected component, which happens with the survival
 * probability of the forward (out-degree) branching process, S = 1 - e^{-mu S} = 0.5828; once
 * there, it reaches the whole giant out-set, whose fraction is the survival probability of the
 * backward (in-degree) process. In- and out-degrees are both Poisson(mu), so that fraction is
 * also S: P(global) = S and mean size of global runs / n = S (plus O(1) nodes, O(1/sqrt n)
 * graph-to-graph spread). Tolerances: 5 standard errors of the run count, plus for the
 * supercritical case 3/sqrt(n) for the fixed graph's own deviation from the ensemble. Both
 * kernels (engine.kernel per_run and fused) are held to the same theory. */
#include "rc_test.h"
#include "rtcascade/specs.h"
#include "rtcascade/engine.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"

#include <math.h>
#include <stdio.h>

static const rc_model_t *ic_model(const char *yaml, void **params)
{
    rc_cfg_t *root = NULL;
    const rc_model_t *m = NULL;
    if (rc_cfg_parse_string(yaml, "<test>", &root) != RC_OK ||
        rc_model_parse(root, &m, params) != RC_OK) {
        fprintf(stderr, "%s\n", rc_error_message());
        return NULL;
    }
    rc_cfg_free(root);
    return m;
}

static double borel_pmf(double mu, int k)
{
    return exp(-mu * k + (k - 1) * log(mu * k) - lgamma(k + 1.0));
}

static void test_subcritical(rc_kernel_t kernel)
{
    enum { RUNS = 100000 };
    const uint32_t n = 1000000;
    const double z = 2.0, mu = 0.5;
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_erdos_renyi(n, (uint64_t)(z * n), 0, 2024, &g));
    if (g == NULL)
        return;
    void *params = NULL;
    const rc_model_t *m = ic_model("{name: independent_cascade, p: 0.25}", &params);
    CHECK(m != NULL);
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    rc_mc_results_t *res = NULL;
    rc_mc_options_t o = rc_mc_default_options();
    o.kernel = kernel;
    CHECK_OK(rc_mc_run(g, m, params, &spec, RUNS, 7, 0, &o, &res));
    if (res == NULL)
        return;

    /* Exact Borel moments (the fourth gives the standard error of the sample variance). */
    double mean = 1 / (1 - mu), var = mu / pow(1 - mu, 3), m4 = 0;
    for (int k = 1; k < 2000; k++)
        m4 += borel_pmf(mu, k) * pow(k - mean, 4);
    double count[8] = {0};
    for (int i = 0; i < RUNS; i++)
        if (res->size[i] < 8)
            count[res->size[i]]++;
    for (int k = 1; k <= 6; k++) {
        double p = borel_pmf(mu, k);
        CHECK_NEAR(count[k] / RUNS, p, 5 * sqrt(p * (1 - p) / RUNS));
    }
    CHECK_NEAR(count[1] / RUNS, exp(-0.5), 5 * sqrt(exp(-0.5) * (1 - exp(-0.5)) / RUNS));
    const rc_metric_summary_t *s = &res->summary[RC_METRIC_RETWEETS];
    CHECK_NEAR(s->mean + 1, mean, 5 * sqrt(var / RUNS));
    CHECK_NEAR(s->sd * s->sd, var, 5 * sqrt((m4 - var * var) / RUNS));
    CHECK(res->p_global == 0);
    CHECK(res->kernel == (int)kernel);
    printf("%s: subcritical mu=0.5: P(1) %.4f (theory %.4f), mean size %.4f (2), variance %.3f (4), "
           "%.2f s\n", rc_kernel_names[kernel], count[1] / RUNS, exp(-0.5), s->mean + 1, s->sd * s->sd, res->seconds);
    rc_mc_results_free(res);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

static void test_supercritical(rc_kernel_t kernel)
{
    /* P(global) needs many runs but not their full size: those runs stop at the global
     * threshold (capped = global). The size of global runs needs few, uncapped runs. */
    enum { RUNS_P = 8000, RUNS_SIZE = 300 };
    const uint32_t n = 100000;
    const double z = 3.0, mu = 1.5;
    double S = 0.5;
    for (int i = 0; i < 200; i++)
        S = 1 - exp(-mu * S);
    CHECK_NEAR(S, 0.5828, 1e-4);
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_erdos_renyi(n, (uint64_t)(z * n), 0, 77, &g));
    if (g == NULL)
        return;
    void *params = NULL;
    const rc_model_t *m = ic_model("{name: independent_cascade, p: 0.5}", &params);
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    rc_mc_options_t opt = rc_mc_default_options();
    opt.kernel = kernel;
    opt.global_fraction = 0.05;
    opt.max_size = (uint32_t)(opt.global_fraction * n);
    rc_mc_results_t *res = NULL;
    const double quenched = 3 / sqrt((double)n);
    CHECK_OK(rc_mc_run(g, m, params, &spec, RUNS_P, 11, 0, &opt, &res));
    if (res == NULL)
        return;
    CHECK(res->p_capped == res->p_global);
    CHECK_NEAR(res->p_global, S, 5 * sqrt(S * (1 - S) / RUNS_P) + quenched);
    double p_global = res->p_global, t_p = res->seconds;
    rc_mc_results_free(res);

    opt.max_size = 0;
    CHECK_OK(rc_mc_run(g, m, params, &spec, RUNS_SIZE, 12, 0, &opt, &res));
    if (res == NULL)
        return;
    /* Spread of global sizes, for the standard error of their mean. */
    double sum2 = 0, k = 0, mean = res->mean_size_global / n;
    for (int i = 0; i < RUNS_SIZE; i++)
        if (res->global[i]) {
            double x = res->size[i] / (double)n - mean;
            sum2 += x * x;
            k++;
        }
    double se = k > 1 ? sqrt(sum2 / (k - 1) / k) : 1;
    CHECK(k > RUNS_SIZE / 3);
    CHECK_NEAR(mean, S, 5 * se + quenched);
    /* Nothing in between: non-global runs stay tiny (finite clusters of the dual process). */
    uint32_t largest_small = 0;
    for (int i = 0; i < RUNS_SIZE; i++)
        if (!res->global[i] && res->size[i] > largest_small)
            largest_small = res->size[i];
    CHECK(largest_small < 200);
    printf("%s: supercritical mu=1.5: P(global) %.4f, global size/n %.4f (theory S = %.4f), "
           "largest non-global %u, %.2f s + %.2f s\n", rc_kernel_names[kernel], p_global, mean, S, largest_small, t_p,
           res->seconds);
    rc_mc_results_free(res);
    rc_model_params_free(m, params);
    rc_graph_free(g);
}

int main(void)
{
    test_subcritical(RC_KERNEL_PER_RUN);
    test_subcritical(RC_KERNEL_FUSED);
    test_supercritical(RC_KERNEL_PER_RUN);
    test_supercritical(RC_KERNEL_FUSED);
    return rc_test_report("test_ic_theory");
}
