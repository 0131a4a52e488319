/* Reciprocity and triadic closure of the DCSBM generator, and the transitivity statistic that
 * measures clustering, at modest size with fixed seeds. Tolerances are 5 standard errors of the
 * quantity from the sample sizes:
 * - reciprocity: R reverses are added, R ~ Binomial(X, q) over the X one-way edges, so the
 *   mutual share (M0 + 2R) / (E + R) has sd about (2E - M0) / (E + R)^2 sd(R) <= 2 sqrt(q m) / m;
 * - the share of edges inside communities, as in test_generators (binomial, plus the edges lost
 *   to repeats, which are nearly all inside);
 * - the sampled transitivity against the exact one: binomial over the sampled wedges.
 * The exact transitivity is checked against a brute-force count over an adjacency bitmap. */
#include "rc_test.h"
#include "graph/clustering.h"
#include "rtcascade/graph.h"

#include <omp.h>
#include <stdlib.h>

static int same_graph(const rc_graph_t *a, const rc_graph_t *b)
{
    if (a == NULL || b == NULL || a->n != b->n || a->m != b->m)
        return 0;
    size_t off = ((size_t)a->n + 1) * sizeof(uint64_t), nbr = a->m * sizeof(uint32_t);
    return !memcmp(a->out_off, b->out_off, off) && !memcmp(a->in_off, b->in_off, off) &&
           !memcmp(a->out_nbr, b->out_nbr, nbr) && !memcmp(a->in_nbr, b->in_nbr, nbr);
}

static rc_graph_t *sbm(uint32_t n, uint32_t C, double mean, double rho, double closure,
                       uint64_t seed)
{
    rc_dcsbm_params_t p = {.nodes = n,
                           .communities = C,
                           .mean_degree = mean,
                           .mixing = 0.2,
                           .exponent = 2.5,
                           .in_exponent = 3.0,
                           .min_degree = 3,
                           .max_degree = 300,
                           .reciprocity = rho,
                           .closure = closure};
    rc_graph_t *g = NULL;
    CHECK_OK(rc_gen_dcsbm(&p, 0, seed, &g));
    return g;
}

static rc_graph_t *from_pairs(uint32_t n, const uint32_t (*e)[2], size_t m)
{
    rc_edges_t edges;
    rc_graph_t *g = NULL;
    CHECK_OK(rc_edges_init(&edges, m + 1, 0));
    for (size_t i = 0; i < m; i++)
        CHECK_OK(rc_edges_push(&edges, e[i][0], e[i][1], 0.0f));
    CHECK_OK(rc_graph_build(n, &edges, 0, &g, NULL));
    return g;
}

static rc_clustering_t clus(const rc_graph_t *g, int mode, uint64_t samples)
{
    rc_clustering_t c = {NAN, 0, NAN, 0, 0};
    CHECK_OK(rc_clustering_with(g, mode, samples, &c));
    return c;
}

/* Exact values by hand: a triangle with one mutual edge and a pendant, a star, a path. */
static void test_small(void)
{
    printf("transitivity on small graphs\n");
    /* 0 -> 1, 1 -> 0, 1 -> 2, 2 -> 0, 2 -> 3: one triangle; degrees 2, 2, 3, 1: 1 + 1 + 3 = 5
     * connected triples, so 3 / 5 */
    static const uint32_t tri[][2] = {{0, 1}, {1, 0}, {1, 2}, {2, 0}, {2, 3}};
    rc_graph_t *g = from_pairs(4, tri, 5);
    rc_clustering_t c = clus(g, RC_CLUSTERING_AUTO, 0);
    CHECK_NEAR(c.transitivity, 0.6, 1e-15);
    /* local: nodes 0 and 1 have 1 of 1 path closed, node 2 1 of 3; node 3 has one neighbour */
    CHECK_NEAR(c.local, (1.0 + 1.0 + 1.0 / 3.0) / 3.0, 1e-15);
    rc_graph_stats_t st;
    CHECK_OK(rc_graph_compute_stats(g, &st));
    CHECK(st.transitivity == c.transitivity && st.transitivity_se == 0.0 &&
          st.clustering == c.local && st.clustering_samples == 0);
    rc_graph_free(g);
    static const uint32_t star[][2] = {{0, 1}, {0, 2}, {3, 0}, {0, 4}};
    g = from_pairs(5, star, 4);
    c = clus(g, RC_CLUSTERING_AUTO, 0);
    CHECK(c.transitivity == 0.0 && c.local == 0.0);
    rc_graph_free(g);
    static const uint32_t pair[][2] = {{0, 1}, {1, 0}};
    g = from_pairs(3, pair, 2);
    c = clus(g, RC_CLUSTERING_AUTO, 0);
    CHECK(isnan(c.transitivity) && isnan(c.local)); /* no connected triple */
    rc_graph_free(g);
}

/* Brute force: triangles over an n x n adjacency bitmap of the undirected view; *local gets the
 * mean local coefficient. */
static double brute_transitivity(const rc_graph_t *g, double *local)
{
    const uint32_t n = g->n, words = (n + 63) / 64;
    uint64_t *adj = calloc((size_t)n * words, sizeof *adj);
    for (uint32_t u = 0; u < n; u++)
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
            uint32_t v = g->out_nbr[e];
            adj[(size_t)u * words + v / 64] |= (uint64_t)1 << (v % 64);
            adj[(size_t)v * words + u / 64] |= (uint64_t)1 << (u % 64);
        }
    double triangles = 0.0, triples = 0.0, sum_local = 0.0, centres = 0.0;
    for (uint32_t u = 0; u < n; u++) {
        double d = 0.0, at_u = 0.0;
        for (uint32_t k = 0; k < words; k++)
            d += __builtin_popcountll(adj[(size_t)u * words + k]);
        triples += d * (d - 1) / 2;
        for (uint32_t v = 0; v < n; v++) /* pairs of u's neighbours that are linked, twice */
            if (adj[(size_t)u * words + v / 64] >> (v % 64) & 1)
                for (uint32_t k = 0; k < words; k++)
                    at_u += __builtin_popcountll(adj[(size_t)u * words + k] &
                                                 adj[(size_t)v * words + k]);
        if (d >= 2) {
            sum_local += at_u / (d * (d - 1));
            centres += 1.0;
        }
        for (uint32_t v = u + 1; v < n; v++) {
            if (!(adj[(size_t)u * words + v / 64] >> (v % 64) & 1))
                continue;
            for (uint32_t k = 0; k < words; k++) /* common neighbours, each triangle 3 times */
                triangles +=
                    __builtin_popcountll(adj[(size_t)u * words + k] & adj[(size_t)v * words + k]);
        }
    }
    free(adj);
    *local = sum_local / centres;
    return triangles / triples; /* = 3 x (3 x triangles / 3) / triples */
}

static void test_exact_and_sampled(void)
{
    printf("transitivity: exact against brute force, sampled against exact\n");
    rc_graph_t *g = sbm(3000, 3, 8, 0.2, 0.4, 9);
    rc_clustering_t ex = clus(g, RC_CLUSTERING_EXACT, 0);
    double local = 0.0, brute = brute_transitivity(g, &local);
    printf("  exact %.6f and %.6f, brute force %.6f and %.6f\n", ex.transitivity, ex.local, brute,
           local);
    CHECK_NEAR(ex.transitivity, brute, 1e-12);
    CHECK_NEAR(ex.local, local, 1e-12);
    rc_graph_free(g);
    g = sbm(60000, 6, 10, 0.22, 0.3, 10);
    const uint64_t k = (uint64_t)1 << 20;
    ex = clus(g, RC_CLUSTERING_EXACT, 0);
    rc_clustering_t est = clus(g, RC_CLUSTERING_SAMPLED, k);
    printf("  exact %.5f and %.5f, sampled %.5f +- %.5f and %.5f +- %.5f\n", ex.transitivity,
           ex.local, est.transitivity, est.transitivity_se, est.local, est.local_se);
    CHECK(est.samples == k && est.transitivity_se > 0.0 && est.local_se > 0.0);
    CHECK_NEAR(est.transitivity, ex.transitivity,
               5.0 * sqrt(ex.transitivity * (1 - ex.transitivity) / (double)k));
    /* the mean local coefficient: a node's sampled path is closed with probability C_v, so the
     * share is a mean of Bernoulli(C_v) over uniform nodes: variance at most c (1 - c) / k */
    CHECK_NEAR(est.local, ex.local, 5.0 * sqrt(ex.local * (1 - ex.local) / (double)k));
    /* the same estimates on 1 and 2 threads */
    omp_set_num_threads(1);
    rc_clustering_t one = clus(g, RC_CLUSTERING_SAMPLED, k / 4);
    omp_set_num_threads(2);
    rc_clustering_t two = clus(g, RC_CLUSTERING_SAMPLED, k / 4);
    CHECK(one.transitivity == two.transitivity && one.local == two.local);
    rc_graph_free(g);
}

static double mutual_share(const rc_graph_t *g)
{
    rc_graph_stats_t st;
    CHECK_OK(rc_graph_compute_stats(g, &st));
    return st.reciprocity;
}

/* The share of mutual edges hits the target; the mean degree stays about the same. */
static void test_reciprocity(void)
{
    printf("dcsbm reciprocity\n");
    const uint32_t n = 200000;
    rc_graph_t *g0 = sbm(n, 20, 10, 0.0, 0.0, 4);
    const double base = mutual_share(g0);
    printf("  none asked: %.5f, %llu edges\n", base, (unsigned long long)g0->m);
    CHECK(base < 0.01);
    static const double targets[] = {0.22, 0.31, 0.6, 1.0};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        const double rho = targets[i], q = rho / (2.0 - rho);
        rc_graph_t *g = sbm(n, 20, 10, rho, 0.0, 4);
        const double got = mutual_share(g), tol = 5.0 * 2.0 * sqrt(q * (1 - q) * g->m) / g->m;
        printf("  target %.2f: %.5f +- %.5f, %llu edges\n", rho, got, tol / 5.0,
               (unsigned long long)g->m);
        CHECK_NEAR(got, rho, tol + 1e-12);
        /* m / (1 + r) one-way edges and their reverses: the edge count of the graph without
         * reciprocity, up to the repeats each loses (about 2% here) */
        CHECK_NEAR((double)g->m / (double)g0->m, 1.0, 0.02);
        rc_graph_free(g);
    }
    rc_graph_free(g0);
}

/* Closure keeps mixing (up to the closure edges lost as repeats), and every closure edge that
 * stays closes a path: the share of edges whose ends have a common neighbour is at least the
 * closure edges drawn minus all the edges lost; the mean local clustering grows with closure. */
static void test_closure(void)
{
    printf("dcsbm closure\n");
    const uint32_t n = 100000, C = 10;
    const double mixing = 0.2;
    double prev = -1.0;
    static const double cs[] = {0.0, 0.15, 0.3, 0.5};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        rc_graph_t *g = sbm(n, C, 10, 0.0, cs[i], 5);
        const uint64_t drawn = (uint64_t)n * 10, lost = drawn - g->m;
        uint64_t intra = 0, closed = 0;
        char *mark = calloc(n, 1);
        for (uint32_t u = 0; u < n; u++) {
            /* mark u's undirected neighbours, then test each follower v's */
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                mark[g->out_nbr[e]] = 1;
            for (uint64_t e = g->in_off[u]; e < g->in_off[u + 1]; e++)
                mark[g->in_nbr[e]] = 1;
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
                const uint32_t v = g->out_nbr[e];
                intra += g->community[u] == g->community[v];
                int common = 0;
                for (uint64_t f = g->out_off[v]; f < g->out_off[v + 1] && !common; f++)
                    common = mark[g->out_nbr[f]] && g->out_nbr[f] != u;
                for (uint64_t f = g->in_off[v]; f < g->in_off[v + 1] && !common; f++)
                    common = mark[g->in_nbr[f]] && g->in_nbr[f] != u;
                closed += common;
            }
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                mark[g->out_nbr[e]] = 0;
            for (uint64_t e = g->in_off[u]; e < g->in_off[u + 1]; e++)
                mark[g->in_nbr[e]] = 0;
        }
        free(mark);
        const double f = (double)intra / g->m, se = sqrt(mixing * (1 - mixing) / drawn);
        const rc_clustering_t cl = clus(g, RC_CLUSTERING_EXACT, 0);
        const double t = cl.local;
        const double floor_closed = (cs[i] * drawn - (double)lost) / g->m;
        printf("  closure %.2f: intra %.4f (1 - mixing %.2f, %llu lost), edges in a triangle "
               "%.4f (at least %.4f), transitivity %.4f, mean local clustering %.4f\n",
               cs[i], f, 1 - mixing, (unsigned long long)lost, (double)closed / g->m, floor_closed,
               cl.transitivity, t);
        CHECK_NEAR(f, 1 - mixing, 5.0 * se + (double)lost / g->m);
        CHECK((double)closed / g->m >= floor_closed);
        CHECK(t > prev);
        prev = t;
        rc_graph_free(g);
    }
}

/* Same seed, same graph; 1 thread as 2; another seed another graph. */
static void test_reproducible(void)
{
    printf("dcsbm with reciprocity and closure: reproducible\n");
    omp_set_num_threads(2);
    rc_graph_t *a = sbm(150000, 30, 8, 0.22, 0.3, 11), *b = sbm(150000, 30, 8, 0.22, 0.3, 11);
    omp_set_num_threads(1);
    rc_graph_t *c = sbm(150000, 30, 8, 0.22, 0.3, 11);
    omp_set_num_threads(2);
    rc_graph_t *d = sbm(150000, 30, 8, 0.22, 0.3, 12);
    CHECK(same_graph(a, b));
    CHECK(same_graph(a, c));
    CHECK(!same_graph(a, d));
    rc_graph_free(a);
    rc_graph_free(b);
    rc_graph_free(c);
    rc_graph_free(d);
}

static void test_errors(void)
{
    rc_dcsbm_params_t p = {
        .nodes = 1000, .communities = 4, .mean_degree = 5, .mixing = 0.8, .closure = 0.3};
    rc_graph_t *g = NULL;
    CHECK_FAILS(rc_gen_dcsbm(&p, 0, 1, &g), RC_ERR_CONFIG, "mixing must be at most 1 - closure");
    p.mixing = 0.2;
    CHECK_FAILS(rc_gen_dcsbm(&p, 1, 1, &g), RC_ERR_CONFIG, "directed");
    p.closure = 1.0;
    CHECK_FAILS(rc_gen_dcsbm(&p, 0, 1, &g), RC_ERR_CONFIG, "closure must be in [0, 1)");
    p.closure = 0.0;
    p.reciprocity = 1.5;
    CHECK_FAILS(rc_gen_dcsbm(&p, 0, 1, &g), RC_ERR_CONFIG, "reciprocity must be in [0, 1]");
}

int main(void)
{
    omp_set_num_threads(2);
    test_small();
    test_exact_and_sampled();
    test_reciprocity();
    test_closure();
    test_reproducible();
    test_errors();
    return rc_test_report("test_dcsbm_structure");
}
