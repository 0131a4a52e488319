/* rc_graph_from_arrays: isolated nodes kept (the node count is given), edges and weights as
 * rc_graph_build makes them (self-loops and repeats dropped, first weight kept), original ids
 * and communities copied (so seed lists and community seeds work on them), the caller's arrays
 * left alone, and every bad entry refused with a message naming it. */
#include "engine_fixtures.h"
#include "rc_test.h"

#include <math.h>
#include <string.h>

static void test_isolated_ids_communities(void)
{
    /* 6 nodes, node 5 isolated; a self-loop and a repeat (weight 0.9 dropped for 0.5). */
    uint32_t src[] = {0, 0, 1, 2, 0, 3};
    uint32_t dst[] = {1, 2, 2, 2, 1, 4};
    float w[] = {0.5f, 0.25f, 1.0f, 3.0f, 0.9f, 0.0f};
    uint32_t comm[] = {0, 0, 1, 1, 2, 4};
    uint64_t ids[] = {100, 7, 55, 1u << 31, 42, 9000000000ULL};
    rc_graph_arrays_t a = {.n = 6, .m = 6, .src = src, .dst = dst, .weight = w,
                           .community = comm, .orig_id = ids};
    rc_graph_t *g = NULL;
    rc_build_report_t rep;
    CHECK_OK(rc_graph_from_arrays(&a, &g, &rep));
    CHECK_EQ_U64(g->n, 6);
    CHECK_EQ_U64(g->m, 4);
    CHECK_EQ_U64(rep.self_loops, 1);
    CHECK_EQ_U64(rep.duplicates, 1);
    CHECK(rc_graph_out_degree(g, 5) == 0 && rc_graph_in_degree(g, 5) == 0);
    CHECK(g->out_nbr[g->out_off[0]] == 1 && g->out_w[g->out_off[0]] == 0.5f);
    CHECK(g->orig_id != ids && g->orig_id[5] == 9000000000ULL && g->orig_id[3] == 1u << 31);
    CHECK(g->community != comm && g->community[4] == 2 && g->n_communities == 5);
    CHECK(strcmp(g->description, "arrays nodes=6 edges=6") == 0);
    CHECK(src[3] == 2 && w[4] == 0.9f); /* the caller's arrays are untouched */

    /* Seeds named by original id, and a community's members, on this graph. */
    rc_seed_spec_t spec;
    rc_seed_plan_t *plan = NULL;
    CHECK_OK(fx_seeds("{strategy: list, nodes: [9000000000, 100]}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->fixed[0] == 5 && plan->fixed[1] == 0);
    rc_seed_plan_free(plan);
    rc_seeds_clear(&spec);
    CHECK_OK(fx_seeds("{strategy: community, community: 1, count: 2}", &spec));
    CHECK_OK(rc_seeds_resolve(&spec, g, &plan));
    CHECK(plan->pool_size == 2 && plan->pool[0] == 2 && plan->pool[1] == 3);
    rc_seed_plan_free(plan);
    rc_graph_free(g);

    /* No edges at all, undirected doubling, a description of the caller's. */
    rc_graph_arrays_t empty = {.n = 3, .description = "three strangers"};
    CHECK_OK(rc_graph_from_arrays(&empty, &g, NULL));
    CHECK(g->n == 3 && g->m == 0 && strcmp(g->description, "three strangers") == 0);
    rc_graph_free(g);
    rc_graph_arrays_t und = {.n = 3, .m = 2, .src = src, .dst = dst, .undirected = 1};
    CHECK_OK(rc_graph_from_arrays(&und, &g, NULL));
    CHECK(g->m == 4 && g->undirected && rc_graph_out_degree(g, 1) == 1);
    rc_graph_free(g);
}

static void test_refusals(void)
{
    uint32_t src[] = {0, 1}, dst[] = {1, 3};
    float w[] = {0.5f, -1.0f};
    uint64_t ids[] = {5, 6, 5};
    uint32_t comm[] = {0, UINT32_MAX, 1};
    rc_graph_t *g = NULL;
    rc_graph_arrays_t a = {.n = 3, .m = 2, .src = src, .dst = dst};
    CHECK_FAILS(rc_graph_from_arrays(&a, &g, NULL), RC_ERR_ARGUMENT,
                "edge 1 (1 -> 3) names a node outside 0..2 (num_nodes = 3)");
    a.n = 4;
    a.weight = w;
    CHECK_FAILS(rc_graph_from_arrays(&a, &g, NULL), RC_ERR_ARGUMENT,
                "edge 1 (1 -> 3): expected a finite weight >= 0, got -1");
    w[1] = NAN;
    CHECK_FAILS(rc_graph_from_arrays(&a, &g, NULL), RC_ERR_ARGUMENT, "finite weight");
    rc_graph_arrays_t b = {.n = 3, .m = 1, .src = src, .dst = dst, .orig_id = ids};
    CHECK_FAILS(rc_graph_from_arrays(&b, &g, NULL), RC_ERR_ARGUMENT,
                "original id 5 names two nodes");
    b.orig_id = NULL;
    b.community = comm;
    CHECK_FAILS(rc_graph_from_arrays(&b, &g, NULL), RC_ERR_ARGUMENT,
                "node 1: community 4294967295 is out of range");
    rc_graph_arrays_t none = {.n = 0};
    CHECK_FAILS(rc_graph_from_arrays(&none, &g, NULL), RC_ERR_ARGUMENT, "num_nodes: expected 1");
    rc_graph_arrays_t nodst = {.n = 2, .m = 1, .src = src};
    CHECK_FAILS(rc_graph_from_arrays(&nodst, &g, NULL), RC_ERR_ARGUMENT, "no source or target");
    CHECK(g == NULL);
}

int main(void)
{
    test_isolated_ids_communities();
    test_refusals();
    return rc_test_report("test_graph_arrays");
}
