/* Exact clustering (rc_clustering_with, RC_CLUSTERING_EXACT) against brute force on small random
 * follower graphs: every triple of nodes checked on the undirected view's adjacency matrix, for
 * the transitivity (3 x triangles / connected triples) and the mean local coefficient, on 1 and
 * 2 threads, with reciprocal follows, hubs (a star inside a random graph), a graph with no
 * triangle and one spanning several blocks of the loops whose last node keeps every neighbour.
 * The counts are integers, so the two must agree to rounding. */
#include "rc_test.h"
#include "graph/clustering.h"
#include "rtcascade/graph.h"
#include "rtcascade/rng.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>

/* A graph of n nodes: each ordered pair followed with probability p (by a fixed stream), plus
 * node 0 following everyone when star is set, and then (leaf) node n - 1 left with node 0 as its
 * only neighbour, following it back; adj (n x n) gets the undirected view. */
static rc_graph_t *random_graph(uint32_t n, double p, int star, int leaf, uint64_t seed,
                                unsigned char *adj)
{
    rc_edges_t edges;
    rc_graph_t *g = NULL;
    rc_build_report_t rep;
    CHECK_OK(rc_edges_init(&edges, 64, 0));
    for (uint32_t u = 0; u < n; u++)
        for (uint32_t v = 0; v < n; v++) {
            const double x = (double)(rc_ctr_u64(seed, (uint64_t)u * n + v) >> 11) * 0x1p-53;
            if (u == v || !(x < p || (star && u == 0) || (leaf && u == n - 1 && v == 0)))
                continue;
            if (leaf && (u == n - 1 || v == n - 1) && u != 0 && v != 0)
                continue;
            CHECK_OK(rc_edges_push(&edges, u, v, 0.0f));
            adj[(size_t)u * n + v] = adj[(size_t)v * n + u] = 1;
        }
    CHECK_OK(rc_graph_build(n, &edges, 0, &g, &rep));
    return g;
}

/* Brute force: triangles through each node from every pair of its neighbours. */
static void brute(uint32_t n, const unsigned char *adj, double *trans, double *local)
{
    double closed = 0.0, triples = 0.0, sum_local = 0.0;
    uint64_t centres = 0;
    uint32_t *nb = malloc((size_t)n * sizeof *nb);
    CHECK(nb != NULL);
    for (uint32_t v = 0; v < n; v++) {
        uint32_t d = 0;
        double t = 0.0;
        for (uint32_t u = 0; u < n; u++)
            if (adj[(size_t)v * n + u])
                nb[d++] = u;
        for (uint32_t a = 0; a < d; a++)
            for (uint32_t b = a + 1; b < d; b++)
                t += adj[(size_t)nb[a] * n + nb[b]];
        const double pairs = (double)d * (d - 1.0) / 2.0;
        closed += t;
        triples += pairs;
        if (d >= 2) {
            sum_local += t / pairs;
            centres++;
        }
    }
    free(nb);
    *trans = triples > 0 ? closed / triples : NAN;
    *local = centres > 0 ? sum_local / (double)centres : NAN;
}

static void check_graph(uint32_t n, double p, int star, int leaf, uint64_t seed)
{
    unsigned char *adj = calloc((size_t)n * n, 1);
    CHECK(adj != NULL);
    rc_graph_t *g = random_graph(n, p, star, leaf, seed, adj);
    double trans, local;
    brute(n, adj, &trans, &local);
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        rc_clustering_t c;
        CHECK_OK(rc_clustering_with(g, RC_CLUSTERING_EXACT, 0, &c));
        CHECK(c.samples == 0 && c.transitivity_se == 0.0 && c.local_se == 0.0);
        if (isnan(trans)) {
            CHECK(isnan(c.transitivity) && isnan(c.local));
        } else {
            CHECK_NEAR(c.transitivity, trans, 1e-12);
            CHECK_NEAR(c.local, local, 1e-12);
        }
    }
    rc_graph_free(g);
    free(adj);
}

int main(void)
{
    check_graph(150, 0.05, 0, 0, 1);  /* sparse: few triangles */
    check_graph(120, 0.2, 0, 0, 2);   /* dense: many, and many reciprocal follows */
    check_graph(200, 0.02, 1, 0, 3);  /* a hub following everyone */
    check_graph(60, 0.5, 1, 0, 4);
    check_graph(40, 0.0, 1, 0, 5);    /* a star alone: no triangle, transitivity 0 */
    check_graph(3, 1.0, 0, 0, 6);     /* one triangle */
    /* Several blocks of nodes for the threads (lists read ahead across them); the last node's
     * only neighbour, the hub, is above it and follows it back: its list fills its slot, and
     * the second copy of the hub is read after that. */
    check_graph(3000, 0.004, 1, 1, 7);
    return rc_test_report("test_clustering");
}
