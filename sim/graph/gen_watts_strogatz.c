/* Watts-Strogatz small world (Watts & Strogatz 1998): a ring where each node is linked to its k
 * nearest neighbours on each side, each link rewired with probability beta to a uniformly random
 * node, avoiding self-loops and duplicates. Undirected, it is the original model (sequential,
 * lap by lap as in the paper); directed, every node's 2k follower links are rewired independently,
 * which parallelises over node blocks. */
#include "graph/gen_common.h"

#include <math.h>
#include <stdlib.h>

#define WS_BLOCK_NODES ((uint64_t)1 << 16)

static int contains(const uint32_t *a, uint32_t len, uint32_t x)
{
    for (uint32_t i = 0; i < len; i++) {
        if (a[i] == x)
            return 1;
    }
    return 0;
}

/* Directed: node i's followers are dst[2k i .. 2k i + 2k), initially i+1..i+k, i-1..i-k. Each is
 * replaced with probability beta by a uniform node that is neither i nor already a follower. */
static void directed_ring(uint32_t n, uint32_t k, double beta, uint64_t seed, uint32_t *src,
                          uint32_t *dst)
{
    const uint32_t d = 2 * k;
    const int can_rewire = beta > 0.0 && (uint64_t)d < (uint64_t)n - 1;
    const long long nb = (long long)((n + WS_BLOCK_NODES - 1) / WS_BLOCK_NODES);
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nb; b++) {
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, RC_GEN_TAG_WS, (uint64_t)b);
        uint64_t lo = (uint64_t)b * WS_BLOCK_NODES;
        uint64_t hi = lo + WS_BLOCK_NODES < n ? lo + WS_BLOCK_NODES : n;
        for (uint64_t i = lo; i < hi; i++) {
            uint32_t *f = dst + i * d;
            for (uint32_t j = 1; j <= k; j++) {
                f[j - 1] = (uint32_t)((i + j) % n);
                f[k + j - 1] = (uint32_t)((i + n - j) % n);
            }
            for (uint32_t j = 0; j < d; j++)
                src[i * d + j] = (uint32_t)i;
            if (!can_rewire)
                continue;
            for (uint32_t j = 0; j < d; j++) {
                if (!(rc_rng_uniform(&s.r) < beta))
                    continue;
                uint32_t w;
                do
                    w = rc_rng_below(&s.r, n);
                while (w == i || contains(f, d, w));
                f[j] = w;
            }
        }
    }
}

/* Undirected: the link {i, i+j} is slot dst[k i + j - 1], owned by i, so {a, b} exists exactly
 * when b is in a's slots or a in b's: no hash set is needed. */
static rc_status_t undirected_ring(uint32_t n, uint32_t k, double beta, uint64_t seed,
                                   uint32_t *src, uint32_t *dst)
{
    rc_status_t status = RC_OK;
    uint32_t *deg = NULL;
    for (uint64_t i = 0; i < n; i++) {
        for (uint32_t j = 1; j <= k; j++) {
            src[i * k + j - 1] = (uint32_t)i;
            dst[i * k + j - 1] = (uint32_t)((i + j) % n);
        }
    }
    if (!(beta > 0.0) || k == 0)
        return RC_OK;
    deg = malloc((size_t)n * sizeof *deg);
    RC_ALLOC_CHECK(deg, "watts_strogatz degrees");
    for (uint32_t i = 0; i < n; i++)
        deg[i] = 2 * k;
    rc_gen_stream_t s;
    rc_gen_stream_open(&s, seed, RC_GEN_TAG_WS + 1, 0);
    for (uint32_t j = 1; j <= k; j++) {
        for (uint64_t i = 0; i < n; i++) {
            if (!(rc_rng_uniform(&s.r) < beta))
                continue;
            if (deg[i] >= n - 1)
                continue; /* linked to everyone: nowhere to go */
            uint32_t *slot = dst + i * k + j - 1;
            uint32_t w;
            for (;;) {
                w = rc_rng_below(&s.r, n);
                if (w != i && !contains(dst + i * k, k, w) &&
                    !contains(dst + (uint64_t)w * k, k, (uint32_t)i))
                    break;
            }
            deg[*slot]--;
            deg[w]++;
            *slot = w;
        }
    }
cleanup:
    free(deg);
    return status;
}

rc_status_t rc_gen_watts_strogatz(uint32_t n, uint32_t k, double beta, int undirected,
                                  uint64_t seed, rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    rc_edges_t edges = {0};
    rc_graph_t *g = NULL;
    *out = NULL;

    if (n < 1 || n > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "watts_strogatz: nodes must be between 1 and %u (got %u)",
                RC_MAX_NODES, n);
    if (2 * (uint64_t)k >= n && k > 0)
        RC_FAIL(RC_ERR_CONFIG,
                "watts_strogatz: k (neighbours on each side) must be < nodes/2 = %g (got %u)",
                n / 2.0, k);
    if (!(beta >= 0.0 && beta <= 1.0))
        RC_FAIL(RC_ERR_CONFIG, "watts_strogatz: beta must be in [0, 1] (got %g)", beta);

    const uint64_t m = (uint64_t)n * k * (undirected ? 1 : 2);
    {
        uint64_t graph = rc_graph_memory_bytes(n, 2 * (uint64_t)n * k, 0, 0, 0);
        RC_TRY(rc_memory_check(graph + graph / 2, "watts_strogatz graph"));
    }
    RC_TRY(rc_gen_edges_alloc(&edges, m));
    if (undirected)
        RC_TRY(undirected_ring(n, k, beta, seed, edges.src, edges.dst));
    else
        directed_ring(n, k, beta, seed, edges.src, edges.dst);

    RC_TRY(rc_graph_build(n, &edges, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(g, "watts_strogatz nodes=%u k=%u beta=%g undirected=%d seed=%llu", n, k,
                           beta, undirected ? 1 : 0, (unsigned long long)seed));
    *out = g;
    g = NULL;
cleanup:
    rc_edges_free(&edges);
    rc_graph_free(g);
    return status;
}
