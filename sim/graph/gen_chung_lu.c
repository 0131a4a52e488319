/* Chung-Lu graphs with power-law expected in- and out-degrees: the "power-law graph of mean
 * degree d" of the benchmarks. Exactly round(n d) edges are drawn with source ~ out-weight and
 * target ~ in-weight; nodes are cut into blocks of about 2^20 expected edges, each block's edge
 * count is an exact multinomial share and each block fills its slice from its own stream. */
#include "graph/gen_common.h"

#include <math.h>
#include <stdlib.h>

/* A block ends before a node that would take it past this many expected edges, or at this many
 * nodes; a single heavier node makes a block of its own. */
#define CL_BLOCK_NODES ((uint32_t)1 << 16)

/* Target draws made ahead of use, their table slots prefetched. */
#define CL_AHEAD 16

/* Cuts [0, n) into blocks of bounded expected edge count. Returns the count in *nb and the
 * bounds in (*starts)[0..nb] (caller frees). */
static rc_status_t cut_blocks(const double *w, uint32_t n, double edges_per_weight,
                              uint32_t **starts, size_t *nb)
{
    rc_status_t status = RC_OK;
    uint32_t *s = NULL;
    size_t count = 0;
    for (int pass = 0; pass < 2; pass++) {
        double acc = 0.0;
        uint32_t in_block = 0;
        count = 0;
        for (uint32_t i = 0; i < n; i++) {
            double e = w[i] * edges_per_weight;
            if (in_block > 0 && (acc + e > (double)RC_GEN_BLOCK || in_block >= CL_BLOCK_NODES)) {
                acc = 0.0;
                in_block = 0;
            }
            if (in_block == 0) {
                if (s != NULL)
                    s[count] = i;
                count++;
            }
            acc += e;
            in_block++;
        }
        if (pass == 0) {
            s = malloc((count + 1) * sizeof *s);
            RC_ALLOC_CHECK(s, "chung_lu block bounds");
        }
    }
    s[count] = n;
    *starts = s;
    *nb = count;
    s = NULL;
cleanup:
    free(s);
    return status;
}

/* Fills the `count` edges of one block: node u gets a Binomial share of what the block has left
 * in proportion to its weight, the last node the rest (stream `counts`); targets come from the
 * alias table of in-weights (stream `targets`). */
static void fill_block(const double *w_out, uint32_t first, uint32_t end, uint64_t count,
                       const rc_alias_slot_t *alias, uint32_t n, gsl_rng *counts, gsl_rng *targets,
                       uint32_t *src, uint32_t *dst)
{
    long double rest = 0.0L;
    for (uint32_t u = first; u < end; u++)
        rest += w_out[u];
    uint64_t left = count, e = 0;
    for (uint32_t u = first; u < end && left > 0; u++) {
        uint64_t c = (u + 1 == end || !(rest > 0.0L))
                         ? left
                         : rc_gen_binomial(counts, (double)(w_out[u] / rest), left);
        rest -= w_out[u];
        left -= c;
        for (uint64_t j = 0; j < c; j++)
            src[e++] = u;
    }
    /* The table is far bigger than the caches: draw CL_AHEAD numbers ahead and prefetch their
     * slots, so that many misses are in flight at once. */
    uint64_t ahead[CL_AHEAD];
    for (uint64_t j = 0; j < CL_AHEAD && j < count; j++) {
        ahead[j] = rc_rng_u64(targets);
        __builtin_prefetch(alias + rc_alias_slot_of(ahead[j], n));
    }
    for (uint64_t k = 0; k < count; k++) {
        uint64_t x = ahead[k % CL_AHEAD];
        if (k + CL_AHEAD < count) {
            uint64_t y = rc_rng_u64(targets);
            ahead[k % CL_AHEAD] = y;
            __builtin_prefetch(alias + rc_alias_slot_of(y, n));
        }
        dst[k] = rc_alias_pick(alias, n, x);
    }
}

/* The alias table of the targets' in-weights: the out-weights themselves when undirected,
 * otherwise power-law quantiles of in_exponent, shuffled unless correlated. */
static rc_status_t target_alias(const rc_chung_lu_params_t *p, int undirected, uint64_t seed,
                                const double *w_out, double lo, double hi,
                                rc_alias_slot_t **out)
{
    rc_status_t status = RC_OK;
    const uint32_t n = p->nodes;
    uint32_t *scratch = NULL;
    double *w_in = malloc((size_t)n * sizeof *w_in);
    rc_alias_slot_t *alias = NULL;
    RC_ALLOC_CHECK(w_in, "chung_lu weights");
    if (undirected) {
        for (uint32_t i = 0; i < n; i++)
            w_in[i] = w_out[i];
    } else {
        rc_gen_powerlaw_quantiles(w_in, n, p->in_exponent);
        rc_gen_scale_to_mean(w_in, n, p->mean_degree, lo, hi);
        if (!p->correlated) {
            /* Fisher-Yates: in-weight ranks independent of out-weight ranks. */
            rc_gen_stream_t s;
            rc_gen_stream_open(&s, seed, RC_GEN_TAG_CL_SHUFFLE, 0);
            for (uint32_t i = n - 1; i > 0; i--) {
                uint32_t j = rc_rng_below(&s.r, i + 1);
                double t = w_in[i];
                w_in[i] = w_in[j];
                w_in[j] = t;
            }
        }
    }
    alias = malloc((size_t)n * sizeof *alias);
    scratch = malloc((size_t)n * sizeof *scratch);
    RC_ALLOC_CHECK(alias, "the chung_lu alias table");
    RC_ALLOC_CHECK(scratch, "the chung_lu alias table");
    RC_TRY(rc_alias_build(w_in, n, alias, scratch));
    *out = alias;
    alias = NULL;
cleanup:
    free(w_in);
    free(scratch);
    free(alias);
    return status;
}

/* The m edges: a multinomial split of m over blocks of sources (by out-weight), then each block
 * filled from streams of its own, so the graph does not depend on the thread count. */
static rc_status_t draw_edges(const double *w_out, uint32_t n, uint64_t m,
                              const rc_alias_slot_t *alias, uint64_t seed, rc_edges_t *edges)
{
    rc_status_t status = RC_OK;
    uint32_t *starts = NULL;
    uint64_t *counts = NULL, *boff = NULL;
    double *bw = NULL;
    long double total = 0.0L;
    for (uint32_t i = 0; i < n; i++)
        total += w_out[i];
    size_t nb = 0;
    RC_TRY(cut_blocks(w_out, n, (double)((long double)m / total), &starts, &nb));
    bw = malloc(nb * sizeof *bw);
    counts = malloc(nb * sizeof *counts);
    boff = malloc((nb + 1) * sizeof *boff);
    RC_ALLOC_CHECK(bw, "chung_lu blocks");
    RC_ALLOC_CHECK(counts, "chung_lu blocks");
    RC_ALLOC_CHECK(boff, "chung_lu blocks");
    for (size_t b = 0; b < nb; b++) {
        long double sum = 0.0L;
        for (uint32_t u = starts[b]; u < starts[b + 1]; u++)
            sum += w_out[u];
        bw[b] = (double)sum;
    }
    {
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, RC_GEN_TAG_CL_SPLIT, 0);
        rc_gen_multinomial(&s.r, m, bw, nb, counts);
    }
    boff[0] = 0;
    for (size_t b = 0; b < nb; b++)
        boff[b + 1] = boff[b] + counts[b];
    const long long nbl = (long long)nb;
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nbl; b++) {
        rc_gen_stream_t sc, st;
        rc_gen_stream_open(&sc, seed, RC_GEN_TAG_CL_EDGES, (uint64_t)b);
        rc_gen_stream_open(&st, seed, RC_GEN_TAG_CL_TARGETS, (uint64_t)b);
        fill_block(w_out, starts[b], starts[b + 1], counts[b], alias, n, &sc.r, &st.r,
                   edges->src + boff[b], edges->dst + boff[b]);
    }
cleanup:
    free(bw);
    free(starts);
    free(counts);
    free(boff);
    return status;
}

rc_status_t rc_gen_chung_lu(const rc_chung_lu_params_t *p, int undirected, uint64_t seed,
                            rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    double *w_out = NULL;
    rc_alias_slot_t *alias = NULL;
    rc_edges_t edges = {0};
    rc_graph_t *g = NULL;
    double lo = 0.0, hi = 0.0;
    *out = NULL;

    if (p->nodes < 1)
        RC_FAIL(RC_ERR_CONFIG, "chung_lu: nodes must be >= 1 (got %u)", p->nodes);
    if (p->nodes > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "chung_lu: nodes must be <= %u (got %u)", RC_MAX_NODES, p->nodes);
    RC_TRY(rc_gen_check_degrees("chung_lu", p->nodes, p->mean_degree, p->min_degree, p->max_degree,
                                &lo, &hi));
    RC_TRY(rc_gen_check_exponent("chung_lu", "out_exponent", p->out_exponent));
    if (!undirected)
        RC_TRY(rc_gen_check_exponent("chung_lu", "in_exponent", p->in_exponent));

    const uint32_t n = p->nodes;
    /* Undirected: mean_degree counts neighbours, so half as many pairs, each stored both ways. */
    const uint64_t m = (uint64_t)llround((double)n * p->mean_degree * (undirected ? 0.5 : 1.0));
    const uint64_t directed = undirected ? 2 * m : m;
    {
        uint64_t graph = rc_graph_memory_bytes(n, directed, 0, 0, 0);
        uint64_t sampling = 8 * m + 32 * (uint64_t)n;
        RC_TRY(rc_memory_check(graph + graph / 2 > sampling ? graph + graph / 2 : sampling,
                               "chung_lu graph"));
    }

    w_out = malloc((size_t)n * sizeof *w_out);
    RC_ALLOC_CHECK(w_out, "chung_lu weights");
    rc_gen_powerlaw_quantiles(w_out, n, p->out_exponent);
    rc_gen_scale_to_mean(w_out, n, p->mean_degree, lo, hi);

    RC_TRY(rc_gen_edges_alloc(&edges, m));
    if (m > 0) {
        RC_TRY(target_alias(p, undirected, seed, w_out, lo, hi, &alias));
        RC_TRY(draw_edges(w_out, n, m, alias, seed, &edges));
    }
    free(w_out);
    free(alias);
    w_out = NULL;
    alias = NULL;

    RC_TRY(rc_graph_build(n, &edges, undirected, &g, NULL));
    RC_TRY(rc_gen_describe(g,
                           "chung_lu nodes=%u mean_degree=%g out_exponent=%g in_exponent=%g "
                           "min_degree=%g max_degree=%g correlated=%d undirected=%d seed=%llu",
                           n, p->mean_degree, p->out_exponent, p->in_exponent, p->min_degree,
                           p->max_degree, p->correlated ? 1 : 0, undirected ? 1 : 0,
                           (unsigned long long)seed));
    *out = g;
    g = NULL;
cleanup:
    free(w_out);
    free(alias);
    rc_edges_free(&edges);
    rc_graph_free(g);
    return status;
}
