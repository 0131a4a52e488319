/* Price's preferential attachment (Price 1976; Newman 2010, sec. 14.1) on a follower graph.
 * Node t arrives, picks `links` distinct earlier nodes with probability proportional to
 * (their followers + attractiveness) and follows them: edges target -> t. Follower counts then
 * have a power-law tail of exponent 2 + attractiveness/links. Sequential by nature; O(1) per edge
 * by the urn trick (the source of a uniformly random earlier edge is a node drawn in proportion
 * to its followers). */
#include "graph/gen_common.h"

#include <math.h>
#include <stdlib.h>

rc_status_t rc_gen_price(uint32_t n, uint32_t links, double attractiveness, int undirected,
                         uint64_t seed, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t edges = {0};
    rc_graph_t *g = NULL;
    *out = NULL;

    if (n < 1 || n > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "preferential: nodes must be between 1 and %u (got %u)",
                RC_MAX_NODES, n);
    if (links < 1)
        RC_FAIL(RC_ERR_CONFIG, "preferential: links must be >= 1 (got %u)", links);
    if (!isfinite(attractiveness) || !(attractiveness > 0.0))
        RC_FAIL(RC_ERR_CONFIG,
                "preferential: attractiveness must be > 0, or a node without followers could "
                "never gain one (got %g)",
                attractiveness);

    /* Node t follows min(t, links) earlier nodes. */
    const uint64_t l = links;
    const uint64_t m =
        n <= l ? (uint64_t)n * (n - 1) / 2 : l * (l + 1) / 2 + (uint64_t)(n - 1 - l) * l;
    {
        uint64_t graph = rc_graph_memory_bytes(n, undirected ? 2 * m : m, 0, 0, 0);
        RC_TRY(rc_memory_check(graph + graph / 2, "preferential graph"));
    }
    RC_TRY(rc_edges_init(&edges, m, 0)); /* filled edge by edge */

    rc_gen_stream_t s;
    rc_gen_stream_open(&s, seed, RC_GEN_TAG_PRICE, 0);
    uint64_t e = 0;
    for (uint32_t t = 1; t < n; t++) {
        const uint64_t before = e; /* choices see the graph as it was when t arrived */
        if (t <= links) {
            for (uint32_t u = 0; u < t; u++, e++) {
                edges.src[e] = u;
                edges.dst[e] = t;
            }
            continue;
        }
        /* Total weight: each earlier edge stands for one follower of its source, each earlier
         * node for `attractiveness`. */
        const double p_edge = (double)before / ((double)before + attractiveness * (double)t);
        for (uint32_t j = 0; j < links; j++) {
            uint32_t u;
            int again;
            do {
                if (rc_rng_uniform(&s.r) < p_edge)
                    u = edges.src[rc_rng_below64(&s.r, before)];
                else
                    u = rc_rng_below(&s.r, t);
                again = 0;
                for (uint64_t k = before; k < e; k++) {
                    if (edges.src[k] == u) {
                        again = 1;
                        break;
                    }
                }
            } while (again);
            edges.src[e] = u;
            edges.dst[e] = t;
            e++;
        }
    }
    edges.len = e;
    if (e != m)
        RC_FAIL(RC_ERR_INTERNAL, "preferential: made %llu edges instead of %llu",
                (unsigned long long)e, (unsigned long long)m);

    RC_TRY(rc_graph_build(n, &edges, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(
        g, "preferential nodes=%u links=%u attractiveness=%g undirected=%d seed=%llu", n, links,
        attractiveness, undirected ? 1 : 0, (unsigned long long)seed));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&edges);
    rc_graph_free(g);
    return status;
}
