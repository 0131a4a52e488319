/* Small exact graphs for tests and examples: star, path, complete graph and a two-level ego
 * network, built through rc_graph_build like every other graph so they exercise the same CSR. */
#include "graph/gen_common.h"

#include <stdlib.h>

static rc_status_t check_nodes(const char *who, uint64_t n)
{
    if (n < 1 || n > RC_MAX_NODES)
        return rc_error(RC_ERR_CONFIG, "%s: nodes must be between 1 and %u (got %llu)", who,
                        RC_MAX_NODES, (unsigned long long)n);
    return RC_OK;
}

rc_status_t rc_gen_star(uint32_t n, int undirected, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    *out = NULL;
    RC_TRY(check_nodes("star", n));
    RC_TRY(rc_gen_edges_alloc(&e, n - 1));
    for (uint32_t i = 1; i < n; i++) {
        e.src[i - 1] = 0;
        e.dst[i - 1] = i;
    }
    RC_TRY(rc_graph_build(n, &e, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(g, "star nodes=%u undirected=%d", n, undirected ? 1 : 0));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&e);
    rc_graph_free(g);
    return status;
}

rc_status_t rc_gen_path(uint32_t n, int undirected, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    *out = NULL;
    RC_TRY(check_nodes("path", n));
    RC_TRY(rc_gen_edges_alloc(&e, n - 1));
    for (uint32_t i = 0; i + 1 < n; i++) {
        e.src[i] = i;
        e.dst[i] = i + 1;
    }
    RC_TRY(rc_graph_build(n, &e, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(g, "path nodes=%u undirected=%d", n, undirected ? 1 : 0));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&e);
    rc_graph_free(g);
    return status;
}

rc_status_t rc_gen_complete(uint32_t n, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    *out = NULL;
    RC_TRY(check_nodes("complete", n));
    const uint64_t pairs = (uint64_t)n * (n - 1) / 2;
    {
        uint64_t graph = rc_graph_memory_bytes(n, 2 * pairs, 0, 0, 0);
        RC_TRY(rc_memory_check(graph + graph / 2, "complete graph"));
    }
    /* Each pair once, built undirected: both directions, and g->undirected says so. */
    RC_TRY(rc_gen_edges_alloc(&e, pairs));
    uint64_t k = 0;
    for (uint32_t u = 0; u < n; u++) {
        for (uint32_t v = u + 1; v < n; v++, k++) {
            e.src[k] = u;
            e.dst[k] = v;
        }
    }
    RC_TRY(rc_graph_build(n, &e, 1, &g, NULL));
    RC_TRY(rc_gen_describe(g, "complete nodes=%u", n));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&e);
    rc_graph_free(g);
    return status;
}

rc_status_t rc_gen_ego(uint32_t k, uint32_t sub, int undirected, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t e = {0};
    rc_graph_t *g = NULL;
    *out = NULL;
    const uint64_t n64 = (uint64_t)k * (1 + (uint64_t)sub) + 1;
    if (n64 > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "ego: k*(1+sub)+1 = %llu nodes is more than %u",
                (unsigned long long)n64, RC_MAX_NODES);
    const uint32_t n = (uint32_t)n64;
    RC_TRY(rc_gen_edges_alloc(&e, n - 1));
    /* Node 0 is the ego, 1..k its followers, and k+1+(i-1)*sub+j (j < sub) the followers of i. */
    uint64_t x = 0;
    for (uint32_t i = 1; i <= k; i++, x++) {
        e.src[x] = 0;
        e.dst[x] = i;
    }
    for (uint32_t i = 1; i <= k; i++) {
        for (uint32_t j = 0; j < sub; j++, x++) {
            e.src[x] = i;
            e.dst[x] = k + 1 + (i - 1) * sub + j;
        }
    }
    RC_TRY(rc_graph_build(n, &e, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(g, "ego k=%u sub=%u undirected=%d", k, sub, undirected ? 1 : 0));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&e);
    rc_graph_free(g);
    return status;
}
