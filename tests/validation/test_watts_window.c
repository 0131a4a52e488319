/* Watts (2002) cascade window: on undirected Poisson (Erdos-Renyi) graphs with fixed threshold
 * phi = 0.18, global cascades from a single random seed occur when the mean degree z lies inside
 * the window where sum_k k(k-1) rho_k p_k > z (rho_k = P(phi <= 1/k), p_k Poisson), and do not
 * occur outside it. The window's edges are computed here from the Poisson p_k. */
#include "model_fixture.h"

#define N_NODES 10000u
#define RUNS 400
#define PHI 0.18
#define GLOBAL_FRACTION 0.1 /* a cascade is global when it reaches 10% of the nodes */

/* sum_k k(k-1) rho_k p_k - z for Poisson(z) degrees and fixed phi (rho_k = 1 for k <= 1/phi). */
static double window_function(double z)
{
    double pk = exp(-z), sum = 0.0; /* pk = P(k) for k = 0 */
    for (int k = 1; k <= 200; k++) {
        pk *= z / k;
        if (1.0 / k >= PHI)
            sum += (double)k * (k - 1) * pk;
    }
    return sum - z;
}

/* Probability that one random seed triggers a global cascade: the seed's edges lead into the
 * percolating cluster of vulnerable nodes. u = P(an edge does not), the smallest root of
 * u = sum_k q_k [(1 - rho_k) + rho_k u^(k-1)] with q_k = k p_k / z, and the frequency is
 * 1 - sum_k p_k u^k (Watts 2002, generating functions of the vulnerable cluster). */
static double analytic_frequency(double z)
{
    double u = 0.0;
    for (int it = 0; it < 5000; it++) {
        double pk = exp(-z), next = 0.0;
        for (int k = 1; k <= 200; k++) {
            pk *= z / k;
            double qk = k * pk / z;
            next += 1.0 / k >= PHI ? qk * pow(u, k - 1) : qk;
        }
        u = next;
    }
    double pk = exp(-z), none = pk;
    for (int k = 1; k <= 200; k++) {
        pk *= z / k;
        none += pk * pow(u, k);
    }
    return 1.0 - none;
}

/* Root of window_function between lo and hi (opposite signs), by bisection. */
static double window_edge(double lo, double hi)
{
    double flo = window_function(lo);
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi), fm = window_function(mid);
        if ((fm > 0) == (flo > 0)) {
            lo = mid;
            flo = fm;
        } else {
            hi = mid;
        }
    }
    return 0.5 * (lo + hi);
}

/* Fraction of RUNS single-seed cascades that reach GLOBAL_FRACTION of an ER graph of mean
 * degree z; *mean_global receives their mean relative size (0 when none). */
static double global_frequency(double z, double *mean_global)
{
    rc_graph_t *g = NULL;
    const uint64_t pairs = (uint64_t)llround(z * N_NODES / 2.0);
    *mean_global = 0.0;
    CHECK_OK(rc_gen_erdos_renyi(N_NODES, pairs, 1, 1000 + (uint64_t)(10 * z), &g));
    if (g == NULL)
        return NAN;
    fixture_t f;
    char yaml[128];
    snprintf(yaml, sizeof yaml, "model: {name: watts_threshold, phi: %g}", PHI);
    if (fx_open(&f, g, yaml, 0) != 0) {
        rc_graph_free(g);
        return NAN;
    }
    gsl_rng *pick = rc_rng_alloc();
    int global = 0;
    double sizes = 0.0;
    for (uint64_t run = 0; run < RUNS; run++) {
        rc_rng_seed(pick, FX_MASTER_SEED, 1, run);
        uint32_t seed = rc_rng_below(pick, N_NODES);
        rc_cascade_t c;
        CHECK_OK(fx_run(&f, run, &seed, 1, &c));
        if (run < 5)
            fx_check_tree(g, &c, 1);
        if (c.size >= GLOBAL_FRACTION * N_NODES) {
            global++;
            sizes += (double)c.size / N_NODES;
        }
    }
    if (global > 0)
        *mean_global = sizes / global;
    gsl_rng_free(pick);
    fx_close(&f);
    rc_graph_free(g);
    return (double)global / RUNS;
}

int main(void)
{
    /* The window for phi = 0.18: vulnerable degrees k <= 5; it opens just above z = 1 and
     * closes near z = 5.8. */
    CHECK(window_function(1.0) < 0.0 && window_function(1.5) > 0.0);
    CHECK(window_function(5.0) > 0.0 && window_function(8.0) < 0.0);
    const double lower = window_edge(1.0, 1.5), upper = window_edge(5.0, 8.0);
    printf("analytic cascade window for phi = %g: %.3f < z < %.3f\n", PHI, lower, upper);
    CHECK(lower > 1.0 && lower < 1.2);
    CHECK(upper > 5.0 && upper < 7.0);

    const double inside[] = {3.0, 4.0};
    const double outside[] = {0.5, 10.0, 12.0};
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        double z = inside[i], mean_size;
        CHECK(z > lower + 1.0 && z < upper - 1.0);
        double freq = global_frequency(z, &mean_size);
        printf("z = %4.1f (inside):  %3.0f%% of %d runs global, mean global size %.3f n\n", z,
               100 * freq, RUNS, mean_size);
        /* Clearly above zero, and near the generating-function prediction (5 SE, plus 0.03 for
         * the finite graph). */
        double expect = analytic_frequency(z);
        double tol = 5.0 * sqrt(expect * (1.0 - expect) / RUNS) + 0.03;
        printf("         analytic frequency %.3f (tolerance %.3f)\n", expect, tol);
        CHECK(freq >= 0.1);
        CHECK_NEAR(freq, expect, tol);
        CHECK(mean_size > 0.5);
    }
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        double z = outside[i], mean_size;
        CHECK(z < lower - 0.5 || z > upper + 3.0);
        double freq = global_frequency(z, &mean_size);
        printf("z = %4.1f (outside): %3.0f%% of %d runs global (analytic %.2g)\n", z, 100 * freq,
               RUNS, analytic_frequency(z));
        CHECK(freq == 0.0);
    }
    return rc_test_report("test_watts_window");
}
