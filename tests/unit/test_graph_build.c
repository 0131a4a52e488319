/* rc_graph_build on hand-made edge lists: both CSR directions, sorting, self-loop and duplicate
 * removal (first weight kept), undirected doubling, and the edge list being consumed. */
#include "rc_test.h"
#include "rtcascade/graph.h"

#include <omp.h>
#include <stdlib.h>

static rc_graph_t *build(uint32_t n, const uint32_t (*e)[2], size_t len, const float *w,
                         int undirected, rc_build_report_t *rep)
{
    rc_edges_t edges;
    rc_graph_t *g = NULL;
    CHECK_OK(rc_edges_init(&edges, 4, w != NULL));
    for (size_t i = 0; i < len; i++)
        CHECK_OK(rc_edges_push(&edges, e[i][0], e[i][1], w ? w[i] : 0.0f));
    CHECK_OK(rc_graph_build(n, &edges, undirected, &g, rep));
    CHECK(edges.src == NULL && edges.len == 0);
    return g;
}

/* Every out-edge u->v appears as in-edge of v from u, lists sorted and free of repeats. */
static void check_consistent(const rc_graph_t *g)
{
    CHECK_EQ_U64(g->out_off[g->n], g->m);
    CHECK_EQ_U64(g->in_off[g->n], g->m);
    for (uint32_t u = 0; u < g->n; u++) {
        for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++) {
            uint32_t v = g->out_nbr[e];
            CHECK(v != u);
            if (e > g->out_off[u])
                CHECK(g->out_nbr[e - 1] < v);
            int found = 0;
            for (uint64_t f = g->in_off[v]; f < g->in_off[v + 1]; f++) {
                if (g->in_nbr[f] == u) {
                    found = 1;
                    if (g->out_w)
                        CHECK(g->in_w[f] == g->out_w[e]);
                }
            }
            CHECK(found);
        }
    }
}

int main(void)
{
    static const uint32_t e1[][2] = {{0, 2}, {0, 1}, {1, 2}, {2, 2}, {0, 1}, {3, 0}, {0, 2}};
    static const float w1[] = {0.5f, 0.25f, 1.0f, 9.0f, 0.75f, 2.0f, 0.125f};
    rc_build_report_t rep;

    rc_graph_t *g = build(4, e1, 7, NULL, 0, &rep);
    CHECK_EQ_U64(g->n, 4);
    CHECK_EQ_U64(g->m, 4);
    CHECK_EQ_U64(rep.input_edges, 7);
    CHECK_EQ_U64(rep.self_loops, 1);
    CHECK_EQ_U64(rep.duplicates, 2);
    CHECK_EQ_U64(rc_graph_out_degree(g, 0), 2);
    CHECK_EQ_U64(g->out_nbr[g->out_off[0]], 1);
    CHECK_EQ_U64(g->out_nbr[g->out_off[0] + 1], 2);
    CHECK_EQ_U64(rc_graph_in_degree(g, 2), 2);
    CHECK_EQ_U64(rc_graph_in_degree(g, 3), 0);
    CHECK(g->out_w == NULL && g->in_w == NULL);
    check_consistent(g);
    rc_graph_free(g);

    g = build(4, e1, 7, w1, 0, &rep);
    CHECK_EQ_U64(g->m, 4);
    CHECK(g->out_w[g->out_off[0]] == 0.25f);     /* 0->1: first of 0.25, 0.75 */
    CHECK(g->out_w[g->out_off[0] + 1] == 0.5f);  /* 0->2: first of 0.5, 0.125 */
    check_consistent(g);
    rc_graph_free(g);

    g = build(4, e1, 7, NULL, 1, &rep);
    CHECK_EQ_U64(g->m, 8); /* {0,1},{0,2},{1,2},{0,3} both ways */
    CHECK(g->undirected);
    for (uint32_t u = 0; u < g->n; u++)
        CHECK_EQ_U64(rc_graph_out_degree(g, u), rc_graph_in_degree(g, u));
    check_consistent(g);
    rc_graph_free(g);

    /* A long list exercises the quicksort path. */
    rc_edges_t edges;
    CHECK_OK(rc_edges_init(&edges, 0, 0));
    for (uint32_t i = 0; i < 5000; i++)
        CHECK_OK(rc_edges_push(&edges, 7, (i * 7919u) % 1000u, 0));
    CHECK_OK(rc_graph_build(1000, &edges, 0, &g, &rep));
    CHECK_EQ_U64(g->m, 999); /* every node but 7 itself */
    CHECK_EQ_U64(rep.self_loops, 5);
    CHECK_EQ_U64(rep.duplicates, 5000 - 5 - 999);
    check_consistent(g);
    rc_graph_free(g);

    /* Statistics: reciprocity counts edges whose reverse exists; isolated nodes; histograms. */
    static const uint32_t e2[][2] = {{0, 1}, {1, 0}, {0, 2}, {2, 3}};
    g = build(5, e2, 4, NULL, 0, &rep);
    rc_graph_stats_t st;
    CHECK_OK(rc_graph_compute_stats(g, &st));
    CHECK_NEAR(st.reciprocity, 0.5, 1e-12); /* 0->1 and 1->0 of 4 edges */
    CHECK_EQ_U64(st.isolated, 1);           /* node 4 */
    CHECK_EQ_U64(st.max_out_degree, 2);
    CHECK_EQ_U64(st.max_in_degree, 1);
    CHECK_NEAR(st.mean_degree, 0.8, 1e-12);
    uint64_t *hist = NULL, hlen = 0;
    CHECK_OK(rc_graph_degree_histogram(g, 1, &hist, &hlen));
    CHECK_EQ_U64(hlen, 3);
    CHECK(hist[0] == 2 && hist[1] == 2 && hist[2] == 1);
    free(hist);
    rc_graph_free(g);

    /* The build does not depend on the thread count (each thread owns a node range). */
    rc_graph_t *g1 = NULL, *g2 = NULL;
    for (int t = 1; t <= 2; t++) {
        omp_set_num_threads(t);
        CHECK_OK(rc_edges_init(&edges, 0, 1));
        for (uint32_t i = 0; i < 20000; i++)
            CHECK_OK(rc_edges_push(&edges, (i * 2654435761u) % 997u, (i * 40503u) % 991u,
                                   (float)i));
        CHECK_OK(rc_graph_build(1000, &edges, t == 2, t == 1 ? &g1 : &g2, NULL));
    }
    omp_set_num_threads(2);
    rc_graph_t *g3 = NULL;
    CHECK_OK(rc_edges_init(&edges, 0, 1));
    for (uint32_t i = 0; i < 20000; i++)
        CHECK_OK(rc_edges_push(&edges, (i * 2654435761u) % 997u, (i * 40503u) % 991u, (float)i));
    CHECK_OK(rc_graph_build(1000, &edges, 0, &g3, NULL));
    CHECK_EQ_U64(g1->m, g3->m);
    CHECK(memcmp(g1->out_off, g3->out_off, 1001 * sizeof *g1->out_off) == 0);
    CHECK(memcmp(g1->out_nbr, g3->out_nbr, g1->m * sizeof *g1->out_nbr) == 0);
    CHECK(memcmp(g1->in_nbr, g3->in_nbr, g1->m * sizeof *g1->in_nbr) == 0);
    CHECK(memcmp(g1->out_w, g3->out_w, g1->m * sizeof *g1->out_w) == 0);
    CHECK(memcmp(g1->in_w, g3->in_w, g1->m * sizeof *g1->in_w) == 0);
    check_consistent(g1);
    check_consistent(g2);
    rc_graph_free(g1);
    rc_graph_free(g2);
    rc_graph_free(g3);

    /* Out-of-range node ids are refused, and the list is still freed. */
    CHECK_OK(rc_edges_init(&edges, 0, 0));
    CHECK_OK(rc_edges_push(&edges, 0, 5, 0));
    CHECK_FAILS(rc_graph_build(3, &edges, 0, &g, NULL), RC_ERR_INTERNAL, "outside [0, 3)");
    CHECK(g == NULL && edges.src == NULL);

    /* Memory checks name what would not fit. */
    setenv("RC_MEMORY_LIMIT", "1M", 1);
    CHECK_FAILS(rc_memory_check(2u << 20, "the test graph"), RC_ERR_NOMEM,
                "the test graph needs 2.0 MiB but only 1.0 MiB is available (RC_MEMORY_LIMIT)");
    CHECK_OK(rc_memory_check(1000, "a small thing"));
    setenv("RC_MEMORY_LIMIT", "lots", 1);
    CHECK_FAILS(rc_memory_check(1, "x"), RC_ERR_ARGUMENT, "RC_MEMORY_LIMIT");
    unsetenv("RC_MEMORY_LIMIT");
    return rc_test_report("test_graph_build");
}
