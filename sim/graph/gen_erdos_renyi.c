/* Erdos-Renyi G(n, m) with exactly m distinct edges. Pairs are drawn as 64-bit keys u*n+v in
 * parallel blocks, radix-sorted and deduplicated, topped up until there are enough and trimmed
 * to exactly m by selection sampling. Past half of all possible edges the complement (the
 * missing edges) is drawn instead, so dense graphs cost O(n^2) = O(m) rather than forever. */
#include "graph/gen_common.h"
#include "rtcascade/memory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RADIX_BITS 11
#define RADIX_SIZE ((size_t)1 << RADIX_BITS)

/* LSD radix sort of the low `bits` bits of a[0..len) through tmp (same length). */
static rc_status_t radix_sort(uint64_t *a, uint64_t *tmp, uint64_t len, int bits)
{
    uint64_t *count = malloc(RADIX_SIZE * sizeof *count);
    if (count == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory sorting erdos_renyi edges");
    uint64_t *from = a, *to = tmp;
    for (int shift = 0; shift < bits; shift += RADIX_BITS) {
        memset(count, 0, RADIX_SIZE * sizeof *count);
        for (uint64_t i = 0; i < len; i++)
            count[(from[i] >> shift) & (RADIX_SIZE - 1)]++;
        uint64_t sum = 0;
        for (size_t d = 0; d < RADIX_SIZE; d++) {
            uint64_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (uint64_t i = 0; i < len; i++)
            to[count[(from[i] >> shift) & (RADIX_SIZE - 1)]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    if (from != a)
        memcpy(a, from, len * sizeof *a);
    free(count);
    return RC_OK;
}

/* Fills keys[0..count) with uniform keys u*n+v, u != v (u < v when undirected), from the
 * streams of round `round`, one per block of RC_GEN_BLOCK draws. */
static void draw_keys(uint64_t *keys, uint64_t count, uint32_t n, int undirected, uint64_t seed,
                      uint64_t round)
{
    const long long nb = (long long)((count + RC_GEN_BLOCK - 1) / RC_GEN_BLOCK);
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nb; b++) {
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, RC_GEN_TAG_ER + round, (uint64_t)b);
        uint64_t lo = (uint64_t)b * RC_GEN_BLOCK;
        uint64_t hi = lo + RC_GEN_BLOCK < count ? lo + RC_GEN_BLOCK : count;
        for (uint64_t i = lo; i < hi; i++) {
            uint32_t u, v;
            do {
                u = rc_rng_below(&s.r, n);
                v = rc_rng_below(&s.r, n);
            } while (u == v);
            if (undirected && u > v) {
                uint32_t t = u;
                u = v;
                v = t;
            }
            keys[i] = (uint64_t)u * n + v;
        }
    }
}

/* Draws exactly `target` distinct keys (target <= half of all pairs), sorted, into *out. The
 * distinct values of iid draws are, given their number, a uniform subset; a uniform subset of
 * those is again uniform, so the result is a uniform target-subset. */
static rc_status_t distinct_keys(uint32_t n, int undirected, uint64_t pairs, uint64_t target,
                                 uint64_t seed, uint64_t **out)
{
    rc_status_t status = RC_OK;
    uint64_t *keys = NULL, *tmp = NULL;
    uint64_t have = 0;
    int bits = 0;
    while (bits < 64 && (((uint64_t)1 << bits) - 1) < (uint64_t)n * n - 1)
        bits++;
    *out = NULL;
    for (uint64_t round = 0; have < target; round++) {
        /* Expected draws to go from `have` to `target` distinct keys, plus a margin of several
         * standard deviations so that one round almost always suffices. */
        double d = (double)pairs *
                   (log1p(-(double)have / (double)pairs) - log1p(-(double)target / (double)pairs));
        uint64_t draws = (uint64_t)ceil(d + 5.0 * sqrt(d) + 16.0);
        if (draws < target - have)
            draws = target - have;
        uint64_t len = have + draws;
        RC_TRY(rc_memory_check(16 * len, "erdos_renyi edge sampling"));
        uint64_t *k2 = realloc(keys, len * sizeof *keys);
        RC_ALLOC_CHECK(k2, "erdos_renyi edge keys");
        keys = k2;
        free(tmp);
        tmp = malloc(len * sizeof *tmp);
        RC_ALLOC_CHECK(tmp, "erdos_renyi edge keys");
        /* the radix passes scatter over both: huge pages where allowed (new pages only) */
        rc_memory_advise_huge(keys + have, draws * sizeof *keys);
        rc_memory_advise_huge(tmp, len * sizeof *tmp);
        draw_keys(keys + have, draws, n, undirected, seed, round);
        RC_TRY(radix_sort(keys, tmp, len, bits));
        have = 0;
        for (uint64_t i = 0; i < len; i++) {
            if (have == 0 || keys[i] != keys[have - 1])
                keys[have++] = keys[i];
        }
    }
    free(tmp);
    tmp = NULL;
    if (have > target) {
        /* Selection sampling (Knuth's Algorithm S): keeps exactly target, in order. */
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, RC_GEN_TAG_ER_SELECT, 0);
        uint64_t need = target, kept = 0;
        for (uint64_t i = 0; i < have && need > 0; i++) {
            if (rc_rng_below64(&s.r, have - i) < need) {
                keys[kept++] = keys[i];
                need--;
            }
        }
        have = kept;
    }
    *out = keys;
    keys = NULL;
cleanup:
    free(keys);
    free(tmp);
    return status;
}

rc_status_t rc_gen_erdos_renyi(uint32_t n, uint64_t m, int undirected, uint64_t seed,
                               rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    uint64_t *keys = NULL;
    rc_edges_t edges = {0};
    rc_graph_t *g = NULL;
    *out = NULL;

    if (n < 1 || n > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "erdos_renyi: nodes must be between 1 and %u (got %u)", RC_MAX_NODES,
                n);
    const uint64_t pairs = undirected ? (uint64_t)n * (n - 1) / 2 : (uint64_t)n * (n - 1);
    if (m > pairs)
        RC_FAIL(RC_ERR_CONFIG, "erdos_renyi: edges must be <= %s = %llu for %u nodes (got %llu)",
                undirected ? "nodes*(nodes-1)/2" : "nodes*(nodes-1)", (unsigned long long)pairs, n,
                (unsigned long long)m);
    {
        uint64_t graph = rc_graph_memory_bytes(n, undirected ? 2 * m : m, 0, 0, 0);
        RC_TRY(rc_memory_check(graph + graph / 2, "erdos_renyi graph"));
    }

    const int complement = m > pairs / 2;
    const uint64_t target = complement ? pairs - m : m;
    RC_TRY(distinct_keys(n, undirected, pairs, target, seed, &keys));

    RC_TRY(rc_gen_edges_alloc(&edges, m));
    if (!complement) {
        for (uint64_t i = 0; i < m; i++) {
            edges.src[i] = (uint32_t)(keys[i] / n);
            edges.dst[i] = (uint32_t)(keys[i] % n);
        }
    } else {
        /* Every pair in key order except the drawn non-edges. */
        uint64_t e = 0, k = 0;
        for (uint32_t u = 0; u < n; u++) {
            for (uint32_t v = undirected ? u + 1 : 0; v < n; v++) {
                if (v == u)
                    continue;
                if (k < target && keys[k] == (uint64_t)u * n + v) {
                    k++;
                    continue;
                }
                edges.src[e] = u;
                edges.dst[e] = v;
                e++;
            }
        }
        if (e != m)
            RC_FAIL(RC_ERR_INTERNAL, "erdos_renyi: made %llu edges instead of %llu",
                    (unsigned long long)e, (unsigned long long)m);
    }
    free(keys);
    keys = NULL;

    RC_TRY(rc_graph_build(n, &edges, undirected, &g, NULL));
    if (g->m != (undirected ? 2 * m : m))
        RC_FAIL(RC_ERR_INTERNAL, "erdos_renyi: the graph has %llu edges instead of %llu",
                (unsigned long long)g->m, (unsigned long long)(undirected ? 2 * m : m));
    RC_TRY(rc_gen_describe(g, "erdos_renyi nodes=%u edges=%llu undirected=%d seed=%llu", n,
                           (unsigned long long)m, undirected ? 1 : 0, (unsigned long long)seed));
    *out = g;
    g = NULL;
cleanup:
    free(keys);
    rc_edges_free(&edges);
    rc_graph_free(g);
    return status;
}
