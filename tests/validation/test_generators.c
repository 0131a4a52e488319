/* The random graph generators against theory at modest size (1e4-1e5 nodes), with fixed seeds
 * and tolerances derived from the sample sizes (5 standard errors unless said otherwise), plus
 * reproducibility: the same seed gives identical CSR arrays, another seed a different graph, and
 * one thread the same graph as two.
 *
 * Tolerances used below:
 * - a frequency f estimated from N independent trials has SE sqrt(f(1-f)/N);
 * - the sample variance of N iid values has SE sqrt((mu4 - sigma^4)/N); for the near-Poisson
 *   degrees here mu4 - sigma^4 ~ sigma^2 + 2 sigma^4 (exact for Poisson);
 * - the discrete power-law MLE on a fixed x_min, alpha = 1 + k / sum ln(x/(x_min - 1/2)), has SE
 *   (alpha - 1)/sqrt(k) for k tail points (Clauset, Shalizi & Newman 2009, eq. 3.7);
 * - a count of occupied cells (distinct edges) is a sum of negatively associated indicators, so
 *   its variance is at most the sum of their variances. */
#include "rc_test.h"
#include "graph/gen_common.h"
#include "rtcascade/graph.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <omp.h>
#include <stdlib.h>

/* ---- helpers ---- */

static int same_graph(const rc_graph_t *a, const rc_graph_t *b)
{
    if (a == NULL || b == NULL || a->n != b->n || a->m != b->m)
        return 0;
    size_t off = ((size_t)a->n + 1) * sizeof(uint64_t), nbr = a->m * sizeof(uint32_t);
    if (memcmp(a->out_off, b->out_off, off) || memcmp(a->in_off, b->in_off, off) ||
        memcmp(a->out_nbr, b->out_nbr, nbr) || memcmp(a->in_nbr, b->in_nbr, nbr))
        return 0;
    if ((a->community == NULL) != (b->community == NULL))
        return 0;
    if (a->community && memcmp(a->community, b->community, a->n * sizeof(uint32_t)))
        return 0;
    return 1;
}

/* Builds with `make` under the given seed and thread count. */
typedef rc_status_t (*maker_t)(uint64_t seed, rc_graph_t **g);

/* Same seed twice -> identical; 1 thread vs 2 -> identical; another seed -> different. */
static void check_reproducible(const char *what, maker_t make)
{
    rc_graph_t *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    omp_set_num_threads(2);
    CHECK_OK(make(11, &a));
    CHECK_OK(make(11, &b));
    omp_set_num_threads(1);
    CHECK_OK(make(11, &c));
    omp_set_num_threads(2);
    CHECK_OK(make(12, &d));
    int same = same_graph(a, b), threads = same_graph(a, c), other = !same_graph(a, d);
    if (!same || !threads || !other)
        fprintf(stderr, "%s: same seed %d, 1 vs 2 threads %d, other seed differs %d\n", what, same,
                threads, other);
    CHECK(same);
    CHECK(threads);
    CHECK(other);
    rc_graph_free(a);
    rc_graph_free(b);
    rc_graph_free(c);
    rc_graph_free(d);
}

static uint64_t deg(const rc_graph_t *g, int out, uint32_t u)
{
    return out ? rc_graph_out_degree(g, u) : rc_graph_in_degree(g, u);
}

/* Discrete power-law MLE on a fixed x_min; *k gets the number of tail points. */
static double fit_alpha(const rc_graph_t *g, int out, uint64_t xmin, uint64_t *k)
{
    double s = 0.0;
    uint64_t count = 0;
    for (uint32_t u = 0; u < g->n; u++) {
        uint64_t x = deg(g, out, u);
        if (x >= xmin) {
            s += log((double)x / ((double)xmin - 0.5));
            count++;
        }
    }
    *k = count;
    return count ? 1.0 + (double)count / s : NAN;
}

static void check_alpha(const char *what, const rc_graph_t *g, int out, uint64_t xmin,
                        double expected)
{
    uint64_t k = 0;
    double alpha = fit_alpha(g, out, xmin, &k);
    double se = (expected - 1.0) / sqrt((double)k);
    printf("  %s: alpha %.3f (x_min %llu, %llu tail points), expected %.3f +- %.3f\n", what, alpha,
           (unsigned long long)xmin, (unsigned long long)k, expected, se);
    CHECK(k >= 400);
    CHECK_NEAR(alpha, expected, 5.0 * se);
}

/* Sample mean and variance of the out- or in-degrees. */
static void degree_moments(const rc_graph_t *g, int out, double *mean, double *var)
{
    double s = 0.0, s2 = 0.0;
    for (uint32_t u = 0; u < g->n; u++) {
        double x = (double)deg(g, out, u);
        s += x;
        s2 += x * x;
    }
    *mean = s / g->n;
    *var = s2 / g->n - *mean * *mean;
}

static int symmetric(const rc_graph_t *g)
{
    if (g->out_off[g->n] != g->in_off[g->n])
        return 0;
    return memcmp(g->out_off, g->in_off, ((size_t)g->n + 1) * sizeof(uint64_t)) == 0 &&
           memcmp(g->out_nbr, g->in_nbr, g->m * sizeof(uint32_t)) == 0;
}

/* ---- Expected-degree weights ---- */

/* The power-law weights hit the requested mean exactly, respect the floor and the cap, and have
 * the requested tail: the largest uncapped weight over the smallest unfloored one is
 * ((n - 1/2) / (1/2))^(1/(gamma - 1)). */
static void test_weights(void)
{
    printf("weights\n");
    const uint32_t n = 100000;
    const double cases[][4] = {/* gamma, mean, lo, hi */
                               {2.3, 10, 0, 99999},   {2.3, 20, 5, 1000}, {3.5, 8, 4, 50},
                               {2.1, 10, 9.5, 99999}, {0, 7, 0, 99999},   {2.5, 10, 10, 99999},
                               {2.5, 10, 0, 10}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double *w = malloc(n * sizeof *w);
        if (w == NULL) {
            CHECK(0);
            return;
        }
        const double gamma = cases[c][0], mean = cases[c][1], lo = cases[c][2], hi = cases[c][3];
        rc_gen_powerlaw_quantiles(w, n, gamma);
        rc_gen_scale_to_mean(w, n, mean, lo, hi);
        double sum = 0.0, wmin = INFINITY, wmax = 0.0;
        for (uint32_t i = 0; i < n; i++) {
            sum += w[i];
            wmin = fmin(wmin, w[i]);
            wmax = fmax(wmax, w[i]);
        }
        CHECK_NEAR(sum / n, mean, 1e-9 * mean);
        CHECK(wmin >= lo && wmax <= hi);
        if (gamma == 0.0 || lo == mean || hi == mean) {
            CHECK_NEAR(wmax - wmin, 0.0, 1e-12);
        } else if (lo == 0.0 && hi == n - 1.0 && wmax < hi) {
            double ratio = pow((n - 0.5) / 0.5, 1.0 / (gamma - 1.0));
            CHECK_NEAR(wmax / wmin, ratio, 1e-9 * ratio);
        }
        free(w);
    }
}

/* ---- Erdos-Renyi ---- */

/* Degree of a node in G(n, m): hypergeometric, m draws from `pairs` of which n-1 are its own.
 * Checks the frequency of each degree within 5 SE and the sample variance. */
static void check_hypergeometric_degrees(const rc_graph_t *g, int out, uint64_t pairs, uint64_t m)
{
    const uint32_t n = g->n;
    const unsigned int own = n - 1, rest = (unsigned int)(pairs - own);
    const double p = (double)own / (double)pairs;
    const double mu = (double)m * p;
    const double var = mu * (1.0 - p) * (double)(pairs - m) / (double)(pairs - 1);
    uint64_t hist[64] = {0};
    for (uint32_t u = 0; u < n; u++) {
        uint64_t d = deg(g, out, u);
        hist[d < 63 ? d : 63]++;
    }
    int bad = 0;
    for (unsigned int d = 0; d < 63; d++) {
        double pd = gsl_ran_hypergeometric_pdf(d, own, rest, (unsigned int)m);
        if (pd < 1e-4)
            continue;
        double f = (double)hist[d] / n, se = sqrt(pd * (1.0 - pd) / n);
        if (fabs(f - pd) > 5.0 * se) {
            fprintf(stderr, "  degree %u: frequency %.5f, expected %.5f +- %.5f\n", d, f, pd, se);
            bad = 1;
        }
    }
    CHECK(!bad);
    double mean, v;
    degree_moments(g, out, &mean, &v);
    CHECK_NEAR(mean, mu, 1e-9);
    CHECK_NEAR(v, var, 5.0 * sqrt((var + 2.0 * var * var) / n));
}

static rc_status_t make_er(uint64_t seed, rc_graph_t **g)
{
    return rc_gen_erdos_renyi(100000, 3000000, 0, seed, g);
}

static void test_erdos_renyi(void)
{
    rc_graph_t *g = NULL;
    const uint32_t n = 20000;
    printf("erdos_renyi\n");
    CHECK_OK(rc_gen_erdos_renyi(n, 200000, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 200000);
        CHECK(!g->undirected);
        check_hypergeometric_degrees(g, 1, (uint64_t)n * (n - 1), 200000);
        check_hypergeometric_degrees(g, 0, (uint64_t)n * (n - 1), 200000);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_erdos_renyi(n, 100000, 1, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 200000);
        CHECK(g->undirected && symmetric(g));
        check_hypergeometric_degrees(g, 1, (uint64_t)n * (n - 1) / 2, 100000);
        rc_graph_free(g);
    }
    /* Dense: drawn as the complement. */
    CHECK_OK(rc_gen_erdos_renyi(60, 3000, 0, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 3000);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_erdos_renyi(60, 1500, 1, 1, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 3000);
        CHECK(symmetric(g));
        rc_graph_free(g);
    }

    /* Uniformity over seeds: each of the 30 ordered pairs of 6 nodes is present in a fraction
     * m/30 of the graphs, for a sparse m (direct sampling) and a dense one (complement). */
    const int trials = 3000;
    const uint64_t ms[2] = {5, 20};
    for (int t = 0; t < 2; t++) {
        uint64_t count[6][6] = {{0}};
        for (int s = 0; s < trials; s++) {
            CHECK_OK(rc_gen_erdos_renyi(6, ms[t], 0, 1000 + (uint64_t)s, &g));
            if (g == NULL)
                continue;
            for (uint32_t u = 0; u < 6; u++) {
                for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                    count[u][g->out_nbr[e]]++;
            }
            rc_graph_free(g);
        }
        const double p = (double)ms[t] / 30.0, se = sqrt(p * (1.0 - p) / trials);
        double worst = 0.0;
        for (int u = 0; u < 6; u++) {
            for (int v = 0; v < 6; v++) {
                if (u == v) {
                    CHECK_EQ_U64(count[u][v], 0);
                    continue;
                }
                double dev = fabs((double)count[u][v] / trials - p);
                if (dev > worst)
                    worst = dev;
            }
        }
        printf("  G(6, %llu) over %d seeds: largest pair deviation %.4f (5 SE = %.4f)\n",
               (unsigned long long)ms[t], trials, worst, 5.0 * se);
        CHECK(worst <= 5.0 * se);
    }
    check_reproducible("erdos_renyi", make_er);
}

/* ---- Chung-Lu ---- */

/* The normalised weights the generator uses (the library's own weight helpers; the sampler is
 * what is under test). */
static double *cl_weights(uint32_t n, double gamma, double mean, double lo, double hi)
{
    double *w = malloc(n * sizeof *w);
    if (w == NULL)
        return NULL;
    rc_gen_powerlaw_quantiles(w, n, gamma);
    rc_gen_scale_to_mean(w, n, mean, lo, hi);
    double total = 0.0;
    for (uint32_t i = 0; i < n; i++)
        total += w[i];
    for (uint32_t i = 0; i < n; i++)
        w[i] /= total;
    return w;
}

/* Exact first and second moments for a Chung-Lu graph with rank-correlated weights: the M
 * edges are iid pairs (i, j) with probability a_i b_j, so pair (i, j) is present with
 * probability P_ij = 1 - (1 - a_i b_j)^M (undirected: pairs {i, j} with 2 a_i a_j).
 * E[m] = sum P_ij; E[sum out_i^2] <= sum_i [(sum_j P_ij)^2 + sum_j P_ij (1 - P_ij)] (negative
 * association), the gap being at most the binomial-vs-Poisson deficit sum_i M a_i^2. */
static void check_chung_lu_exact(uint32_t n, double mean, double g_out, double g_in,
                                 double max_degree, int undirected)
{
    rc_graph_t *g = NULL;
    rc_chung_lu_params_t p = {.nodes = n,
                              .mean_degree = mean,
                              .out_exponent = g_out,
                              .in_exponent = g_in,
                              .max_degree = max_degree,
                              .correlated = 1};
    CHECK_OK(rc_gen_chung_lu(&p, undirected, 5, &g));
    double hi = max_degree > 0 ? max_degree : n - 1.0;
    double *a = cl_weights(n, g_out, mean, 0.0, hi);
    double *b =
        undirected ? cl_weights(n, g_out, mean, 0.0, hi) : cl_weights(n, g_in, mean, 0.0, hi);
    if (g == NULL || a == NULL || b == NULL) {
        CHECK(0);
        goto done;
    }
    const double M = (double)llround(n * mean * (undirected ? 0.5 : 1.0));
    double em = 0.0, vm = 0.0, s2 = 0.0, v2 = 0.0, deficit = 0.0, obs2 = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        double lam = 0.0, var = 0.0;
        for (uint32_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            double q = undirected ? 2.0 * a[i] * a[j] : a[i] * b[j];
            double pij = -expm1(M * log1p(-q));
            lam += pij;
            var += pij * (1.0 - pij);
        }
        em += lam;
        vm += var;
        s2 += lam * lam + var;
        v2 += 4 * lam * lam * lam + 6 * lam * lam + lam;
        deficit += M * a[i] * a[i] * (undirected ? 4.0 : 1.0);
        double d = (double)rc_graph_out_degree(g, i);
        obs2 += d * d;
    }
    /* Undirected: the sums above count every pair from both ends, as g->m does. */
    printf("  chung_lu n=%u mean=%g exponents %g/%g max=%g%s: edges %llu expected %.1f +- %.1f;"
           " sum out^2 %.4g expected %.4g (-%.3g) +- %.3g\n",
           n, mean, g_out, g_in, max_degree, undirected ? " undirected" : "",
           (unsigned long long)g->m, em, sqrt(undirected ? 2.0 * vm : vm), obs2, s2, deficit,
           sqrt(v2));
    /* Undirected, g->m counts each pair twice: its variance is up to 4 sum_{i<j} = 2 vm. */
    const double sd_m = sqrt(undirected ? 2.0 * vm : vm);
    CHECK_NEAR((double)g->m, em, 5.0 * sd_m + 1.0);
    CHECK(obs2 <= s2 + 5.0 * sqrt(v2));
    CHECK(obs2 >= s2 - deficit - 5.0 * sqrt(v2));
    if (undirected)
        CHECK(symmetric(g));
done:
    free(a);
    free(b);
    rc_graph_free(g);
}

static rc_status_t make_cl(uint64_t seed, rc_graph_t **g)
{
    rc_chung_lu_params_t p = {
        .nodes = 200000, .mean_degree = 10, .out_exponent = 2.3, .in_exponent = 2.8};
    return rc_gen_chung_lu(&p, 0, seed, g);
}

static void test_chung_lu(void)
{
    printf("chung_lu\n");
    check_chung_lu_exact(4000, 8, 2.5, 3.0, 0, 0);
    check_chung_lu_exact(4000, 8, 3.5, 3.5, 100, 0);
    check_chung_lu_exact(4000, 8, 2.5, 0, 0, 1);
    check_chung_lu_exact(4000, 8, 0, 0, 0, 0);

    /* Tails at n = 1e5, in- and out-weights independent. */
    rc_graph_t *g = NULL;
    const uint32_t n = 100000;
    rc_chung_lu_params_t p = {
        .nodes = n, .mean_degree = 10, .out_exponent = 2.3, .in_exponent = 2.8};
    CHECK_OK(rc_gen_chung_lu(&p, 0, 3, &g));
    if (g != NULL) {
        printf("  edges %llu of %u drawn\n", (unsigned long long)g->m, n * 10);
        CHECK(g->m <= (uint64_t)n * 10 && g->m >= (uint64_t)n * 9);
        check_alpha("out-degree tail", g, 1, 50, 2.3);
        check_alpha("in-degree tail", g, 0, 50, 2.8);
        /* Uncorrelated: the 100 nodes with the largest out-weights have an ordinary mean
         * in-degree (SE from the in-degree spread). */
        double mean, var, top = 0.0;
        degree_moments(g, 0, &mean, &var);
        for (uint32_t u = 0; u < 100; u++)
            top += (double)rc_graph_in_degree(g, u) / 100.0;
        printf("  mean in-degree of the top 100 by out-weight %.2f, overall %.2f +- %.2f\n", top,
               mean, sqrt(var / 100.0));
        CHECK_NEAR(top, mean, 5.0 * sqrt(var / 100.0));
        rc_graph_free(g);
    }
    p.correlated = 1;
    CHECK_OK(rc_gen_chung_lu(&p, 0, 3, &g));
    if (g != NULL) {
        /* Correlated: node 0 tops both out- and in-weights, so it has more followees than any
         * node but a handful. */
        uint64_t above = 0;
        for (uint32_t u = 1; u < n; u++)
            above += rc_graph_in_degree(g, u) > rc_graph_in_degree(g, 0);
        CHECK(above < 5);
        rc_graph_free(g);
    }
    check_reproducible("chung_lu", make_cl);
}

/* ---- Price ---- */

/* Limit distribution of follower counts in Price's model with c links per node and
 * attractiveness a: p_q = B(q + a, 2 + a/c) / B(a, 1 + a/c) (Newman 2010, eq. 14.43). */
static double price_pq(uint64_t q, double a, double c)
{
    return exp(gsl_sf_lnbeta((double)q + a, 2.0 + a / c) - gsl_sf_lnbeta(a, 1.0 + a / c));
}

static rc_status_t make_price(uint64_t seed, rc_graph_t **g)
{
    return rc_gen_price(50000, 3, 1.5, 0, seed, g);
}

static void test_price(void)
{
    printf("preferential\n");
    const uint32_t n = 100000, c = 4;
    const double a = 2.0; /* tail exponent 2 + a/c = 2.5 */
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_price(n, c, a, 0, 1, &g));
    if (g == NULL)
        return;
    CHECK_EQ_U64(g->m, (uint64_t)c * (c + 1) / 2 + (uint64_t)(n - 1 - c) * c);
    uint64_t bad = 0;
    for (uint32_t t = 0; t < n; t++)
        bad += rc_graph_in_degree(g, t) != (t < c ? t : c);
    CHECK_EQ_U64(bad, 0);
    /* Small follower counts against the limit law. */
    for (uint64_t q = 0; q < 6; q++) {
        uint64_t count = 0;
        for (uint32_t u = 0; u < n; u++)
            count += rc_graph_out_degree(g, u) == q;
        double f = (double)count / n, pq = price_pq(q, a, c), se = sqrt(pq * (1 - pq) / n);
        printf("  P(followers = %llu) = %.5f, expected %.5f +- %.5f\n", (unsigned long long)q, f,
               pq, se);
        CHECK_NEAR(f, pq, 5.0 * se);
    }
    /* Tail: compare the MLE with its value under the exact law, 1 + 1/E[ln(q/(x_min-1/2))]. */
    const uint64_t xmin = 20;
    double mass = 0.0, lsum = 0.0;
    for (uint64_t q = xmin; q < 100000000; q = q < 100000 ? q + 1 : q + q / 1000) {
        uint64_t step = q < 100000 ? 1 : q / 1000;
        double pq = price_pq(q, a, c) * (double)step;
        mass += pq;
        lsum += pq * log((double)q / ((double)xmin - 0.5));
    }
    check_alpha("follower tail", g, 1, xmin, 1.0 + mass / lsum);
    rc_graph_free(g);

    CHECK_OK(rc_gen_price(2000, 3, 1.0, 1, 1, &g));
    if (g != NULL) {
        CHECK(symmetric(g));
        CHECK_EQ_U64(g->m, 2 * (6 + 3 * (2000 - 4)));
        rc_graph_free(g);
    }
    check_reproducible("preferential", make_price);
}

/* ---- Watts-Strogatz ---- */

static int ring_dist(uint32_t u, uint32_t v, uint32_t n)
{
    uint32_t d = u > v ? u - v : v - u;
    return (int)(d < n - d ? d : n - d);
}

static rc_status_t make_ws(uint64_t seed, rc_graph_t **g)
{
    return rc_gen_watts_strogatz(200000, 5, 0.2, 0, seed, g);
}

static void test_watts_strogatz(void)
{
    printf("watts_strogatz\n");
    rc_graph_t *g = NULL;
    const uint32_t n = 1000, k = 3;
    for (int und = 0; und < 2; und++) {
        CHECK_OK(rc_gen_watts_strogatz(n, k, 0.0, und, 1, &g));
        if (g == NULL)
            continue;
        /* beta = 0: exactly the ring, both directions. */
        CHECK_EQ_U64(g->m, 2 * (uint64_t)n * k);
        uint64_t bad = 0;
        for (uint32_t u = 0; u < n; u++) {
            bad += rc_graph_out_degree(g, u) != 2 * k || rc_graph_in_degree(g, u) != 2 * k;
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                bad += ring_dist(u, g->out_nbr[e], n) > (int)k;
        }
        CHECK_EQ_U64(bad, 0);
        CHECK(symmetric(g));
        rc_graph_free(g);
    }

    /* Directed, beta = 0.1: every node keeps 2k followers; each link is off the lattice with
     * probability beta, less the chance O(2k/n) of landing back on a lattice slot. */
    const uint32_t n2 = 10000, k2 = 5;
    const double beta = 0.1;
    CHECK_OK(rc_gen_watts_strogatz(n2, k2, beta, 0, 2, &g));
    if (g != NULL) {
        const double links = 2.0 * n2 * k2;
        uint64_t bad = 0, off = 0;
        for (uint32_t u = 0; u < n2; u++) {
            bad += rc_graph_out_degree(g, u) != 2 * k2;
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                off += ring_dist(u, g->out_nbr[e], n2) > (int)k2;
        }
        CHECK_EQ_U64(bad, 0);
        double se = sqrt(links * beta * (1 - beta));
        printf("  directed: %llu of %.0f links rewired, expected %.0f +- %.0f\n",
               (unsigned long long)off, links, links * beta, se);
        CHECK_NEAR((double)off, links * beta, 5.0 * se + links * beta * 2.0 * k2 / n2);
        rc_graph_free(g);
    }
    /* Undirected, beta = 0.1: the number of links never changes, and a node's degree is
     * k (its own links) + Bin(k, 1 - beta) (lattice links from behind that stayed) + about
     * Poisson(k beta) (links rewired onto it): variance k beta (2 - beta). */
    CHECK_OK(rc_gen_watts_strogatz(n2, k2, beta, 1, 2, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 2 * (uint64_t)n2 * k2);
        CHECK(symmetric(g));
        double mean, var, expect = k2 * beta * (2 - beta);
        degree_moments(g, 1, &mean, &var);
        double se = sqrt((expect + 2 * expect * expect) / n2);
        printf("  undirected: degree variance %.4f, expected %.4f +- %.4f\n", var, expect, se);
        CHECK_NEAR(mean, 2.0 * k2, 1e-12);
        CHECK_NEAR(var, expect, 5.0 * se);
        rc_graph_free(g);
    }
    CHECK_OK(rc_gen_watts_strogatz(n2, k2, 1.0, 1, 3, &g));
    if (g != NULL) {
        CHECK_EQ_U64(g->m, 2 * (uint64_t)n2 * k2);
        rc_graph_free(g);
    }
    check_reproducible("watts_strogatz", make_ws);
}

/* ---- DCSBM ---- */

/* Expected self-loops and duplicate edges inside the communities, estimating each theta by the
 * node's mean realised degree: within community c, M_c edges fall on pair (i, j) as Poisson
 * with mean l_ij = M_c t_i t_j / T_c^2; losses ~ sum l_ii + sum l_ij^2 / 2. Realised degrees
 * over-estimate t^2 by the Poisson variance, so this errs on the large side. */
static double dcsbm_loss(const rc_graph_t *g, double mixing, uint64_t m_drawn)
{
    double loss = 0.0;
    double *t = calloc(g->n_communities, sizeof *t), *t2 = calloc(g->n_communities, sizeof *t2);
    if (t == NULL || t2 == NULL) {
        free(t);
        free(t2);
        return INFINITY;
    }
    double total = 0.0;
    for (uint32_t u = 0; u < g->n; u++) {
        double d = 0.5 * (double)(rc_graph_out_degree(g, u) + rc_graph_in_degree(g, u));
        t[g->community[u]] += d;
        t2[g->community[u]] += d * d;
        total += d;
    }
    for (uint32_t c = 0; c < g->n_communities; c++) {
        double mc = (1.0 - mixing) * (double)m_drawn * t[c] / total, r = t2[c] / (t[c] * t[c]);
        loss += mc * r + 0.5 * mc * mc * r * r;
    }
    free(t);
    free(t2);
    return loss;
}

static rc_status_t make_sbm(uint64_t seed, rc_graph_t **g)
{
    rc_dcsbm_params_t p = {.nodes = 250000,
                           .communities = 100,
                           .mean_degree = 10,
                           .mixing = 0.2,
                           .exponent = 2.3,
                           .size_exponent = 2.5};
    return rc_gen_dcsbm(&p, 0, seed, g);
}

static void test_dcsbm(void)
{
    printf("dcsbm\n");
    rc_graph_t *g = NULL;
    const uint32_t n = 100000, C = 10;
    const double mixing = 0.25;
    rc_dcsbm_params_t p = {.nodes = n,
                           .communities = C,
                           .mean_degree = 10,
                           .mixing = mixing,
                           .exponent = 2.5,
                           .max_degree = 300};
    CHECK_OK(rc_gen_dcsbm(&p, 0, 4, &g));
    if (g != NULL) {
        const uint64_t drawn = (uint64_t)n * 10;
        CHECK(g->community != NULL && g->n_communities == C);
        uint64_t bad = 0;
        for (uint32_t u = 0; u < n; u++)
            bad += g->community[u] != u / (n / C);
        CHECK_EQ_U64(bad, 0);
        uint64_t intra = 0;
        for (uint32_t u = 0; u < n; u++) {
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                intra += g->community[u] == g->community[g->out_nbr[e]];
        }
        /* Drawn edges are inside a community with probability 1 - mixing (binomial); the
         * losses, nearly all inside, shift the realised fraction by at most loss/m. */
        double loss = dcsbm_loss(g, mixing, drawn);
        double f = (double)intra / g->m, se = sqrt(mixing * (1 - mixing) / drawn);
        printf("  intra fraction %.5f, expected %.5f +- %.5f (losses ~%.0f of %llu)\n", f,
               1 - mixing, se, loss, (unsigned long long)drawn);
        CHECK_NEAR(f, 1 - mixing, 5.0 * se + loss / g->m);
        CHECK((double)g->m <= (double)drawn &&
              (double)g->m >= drawn - 2.0 * loss - 5.0 * sqrt(loss));
        rc_graph_free(g);
    }
    /* Tail of a heavy-tailed, uncapped DCSBM. The communities are kept large: where a hub's
     * theta nears its community's total, its intra draws turn into self-loops and repeats and
     * the realised tail steepens (with 100 communities of 1000 nodes here, alpha ~ 2.5). */
    p.max_degree = 0;
    p.exponent = 2.3;
    p.communities = 4;
    CHECK_OK(rc_gen_dcsbm(&p, 0, 5, &g));
    if (g != NULL) {
        check_alpha("follower tail", g, 1, 50, 2.3);
        check_alpha("followee tail", g, 0, 50, 2.3);
        rc_graph_free(g);
    }
    /* Independent followee propensities: the follower tail keeps `exponent`, the followee tail
     * takes `in_exponent`, and the two are uncorrelated (a hub does not follow many). */
    p.in_exponent = 3.0;
    CHECK_OK(rc_gen_dcsbm(&p, 0, 5, &g));
    if (g != NULL) {
        check_alpha("follower tail (in_exponent 3)", g, 1, 50, 2.3);
        check_alpha("followee tail (in_exponent 3)", g, 0, 50, 3.0);
        double so = 0, si = 0, soo = 0, sii = 0, soi = 0;
        for (uint32_t u = 0; u < n; u++) {
            double o = (double)rc_graph_out_degree(g, u), i = (double)rc_graph_in_degree(g, u);
            so += o, si += i, soo += o * o, sii += i * i, soi += o * i;
        }
        double cov = soi / n - (so / n) * (si / n);
        double corr = cov / sqrt((soo / n - (so / n) * (so / n)) * (sii / n - (si / n) * (si / n)));
        printf("  in/out degree correlation %.4f\n", corr);
        CHECK(fabs(corr) < 0.05); /* independent draws; the same propensity gives ~0.9 */
        rc_graph_free(g);
    }
    p.in_exponent = 0;
    /* Power-law community sizes: sum n, at least 1, non-increasing, and the largest-to-smallest
     * ratio of the size quantiles ((C - 1/2) / (1/2))^(1/(tau - 1)) up to rounding. */
    p.communities = 50;
    p.size_exponent = 2.5;
    CHECK_OK(rc_gen_dcsbm(&p, 0, 6, &g));
    if (g != NULL) {
        uint64_t size[50] = {0};
        for (uint32_t u = 0; u < n; u++)
            size[g->community[u]]++;
        uint64_t bad = 0;
        for (int c = 0; c < 50; c++)
            bad += size[c] < 1 || (c > 0 && size[c] > size[c - 1]);
        CHECK_EQ_U64(bad, 0);
        double ratio = pow(99.0, 1.0 / 1.5);
        CHECK_NEAR((double)size[0] / (double)size[49], ratio, 0.05 * ratio);
        rc_graph_free(g);
    }
    p.size_exponent = 0;
    CHECK_OK(rc_gen_dcsbm(&p, 1, 7, &g));
    if (g != NULL) {
        CHECK(symmetric(g));
        CHECK(g->m <= (uint64_t)n * 10);
        rc_graph_free(g);
    }
    check_reproducible("dcsbm", make_sbm);
}

int main(void)
{
    test_weights();
    test_erdos_renyi();
    test_chung_lu();
    test_price();
    test_watts_strogatz();
    test_dcsbm();
    return rc_test_report("test_generators");
}
