/* Degree-corrected stochastic block model (Karrer & Newman 2011) with heavy-tailed degrees: the
 * follower network of the main study, accounts in circles. Community c holds the nodes
 * [off_c, off_{c+1}); node propensities theta are iid power-law draws scaled to the mean degree.
 * Each drawn edge picks its source in proportion to theta (a community in proportion to its
 * total theta, then a node within it); with probability 1 - mixing its target is drawn in
 * proportion to theta inside the source's community, else from another community chosen the same
 * way. Expected in- and out-degree of a node are both about its theta, except where theta nears
 * the community's total: such hubs lose many draws as self-loops and repeats (see graph.h).
 *
 * Two options bring it closer to Twitter's follow graph. `closure`: that share of the one-way
 * edges closes a two-step path a -> b -> w of the others inside a circle (w follows b, who
 * follows a; w then follows a too: triadic closure, which makes triangles). `reciprocity`: once
 * the one-way edges are drawn and their repeats dropped, each edge whose reverse is missing gets
 * it with the probability that makes the expected share of mutual edges the target. Both keep
 * mean_degree and mixing the final graph's. */
#include "graph/gen_common.h"

#include <math.h>
#include <stdlib.h>

typedef struct size_rank {
    double frac;
    uint32_t c;
} size_rank_t;

static int by_fraction(const void *a, const void *b)
{
    const size_rank_t *x = a, *y = b;
    if (x->frac != y->frac)
        return x->frac > y->frac ? -1 : 1;
    return x->c < y->c ? -1 : (x->c > y->c);
}

/* Community offsets off[0..C]: equal sizes (the first n mod C one larger), or sizes following
 * the deterministic power-law quantiles of exponent tau, each at least 1, rounded by largest
 * remainder so that they sum to n. */
static rc_status_t community_sizes(uint32_t n, uint32_t C, double tau, uint64_t *off)
{
    rc_status_t status = RC_OK;
    double *r = NULL;
    size_rank_t *rank = NULL;
    off[0] = 0;
    if (tau == 0.0) {
        for (uint32_t c = 0; c < C; c++)
            off[c + 1] = off[c] + n / C + (c < n % C ? 1 : 0);
        return RC_OK;
    }
    r = malloc((size_t)C * sizeof *r);
    rank = malloc((size_t)C * sizeof *rank);
    RC_ALLOC_CHECK(r, "dcsbm community sizes");
    RC_ALLOC_CHECK(rank, "dcsbm community sizes");
    /* Size quantiles of a Pareto law of exponent tau; unlike degrees they need no finite mean. */
    const double a = 1.0 / (tau - 1.0);
    long double total = 0.0L;
    for (uint32_t c = 0; c < C; c++) {
        r[c] = pow(((double)c + 0.5) / (double)C, -a);
        total += r[c];
    }
    const double spare = (double)(n - C);
    uint64_t given = 0;
    for (uint32_t c = 0; c < C; c++) {
        double share = spare * (double)(r[c] / total);
        double whole = floor(share);
        rank[c].frac = share - whole;
        rank[c].c = c;
        r[c] = 1.0 + whole;
        given += (uint64_t)r[c];
    }
    qsort(rank, C, sizeof *rank, by_fraction);
    for (uint64_t i = 0; given < n; i++, given++)
        r[rank[i % C].c] += 1.0;
    for (uint32_t c = 0; c < C; c++)
        off[c + 1] = off[c] + (uint64_t)r[c];
    if (off[C] != n)
        RC_FAIL(RC_ERR_INTERNAL, "dcsbm: community sizes add up to %llu, not %u",
                (unsigned long long)off[C], n);
cleanup:
    free(r);
    free(rank);
    return status;
}

/* Edges drawn per batch: all random numbers of a batch are drawn first and the node tables'
 * slots prefetched, so that the batch's cache misses overlap. */
#define SBM_BATCH 32

/* Fills `count` edges: a source community ~ total theta, with probability `mixing` a different
 * target community ~ total phi (by rejection), the source ~ theta and the target ~ phi within
 * their communities (phi is theta itself unless in_exponent is set). */
static void draw_block(const rc_alias_slot_t *calias, const rc_alias_slot_t *calias_in, uint32_t C,
                       const uint64_t *off, const rc_alias_slot_t *local,
                       const rc_alias_slot_t *local_in, double mixing, gsl_rng *r, uint64_t count,
                       uint32_t *src, uint32_t *dst)
{
    const rc_alias_slot_t *table[2] = {local, local_in};
    uint64_t x[2][SBM_BATCH];
    uint32_t base[2][SBM_BATCH], size[2][SBM_BATCH];
    for (uint64_t e0 = 0; e0 < count; e0 += SBM_BATCH) {
        const uint32_t k = count - e0 < SBM_BATCH ? (uint32_t)(count - e0) : SBM_BATCH;
        for (uint32_t j = 0; j < k; j++) {
            uint32_t cu = rc_alias_draw(calias, C, r), cv = cu;
            if (mixing > 0.0 && rc_rng_uniform(r) < mixing) {
                do
                    cv = rc_alias_draw(calias_in, C, r);
                while (cv == cu);
            }
            const uint32_t c[2] = {cu, cv};
            for (int t = 0; t < 2; t++) {
                base[t][j] = (uint32_t)off[c[t]];
                size[t][j] = (uint32_t)(off[c[t] + 1] - off[c[t]]);
                x[t][j] = rc_rng_u64(r);
                __builtin_prefetch(table[t] + base[t][j] + rc_alias_slot_of(x[t][j], size[t][j]));
            }
        }
        for (uint32_t j = 0; j < k; j++) {
            src[e0 + j] = base[0][j] + rc_alias_pick(local + base[0][j], size[0][j], x[0][j]);
            dst[e0 + j] = base[1][j] + rc_alias_pick(local_in + base[1][j], size[1][j], x[1][j]);
        }
    }
}

/* Per-community totals of w into cw, their alias table, and one alias table per community over
 * its nodes (laid out in node order). */
static rc_status_t build_tables(double *w, const uint64_t *off, uint32_t C, uint32_t n,
                                double *cw, rc_alias_slot_t *calias, rc_alias_slot_t *local,
                                uint32_t *scratch)
{
    (void)n;
    for (uint32_t c = 0; c < C; c++) {
        long double sum = 0.0L;
        for (uint64_t i = off[c]; i < off[c + 1]; i++)
            sum += w[i];
        cw[c] = (double)sum;
    }
    rc_status_t status = rc_alias_build(cw, C, calias, scratch);
    if (status != RC_OK)
        return status;
    int bad = 0;
#pragma omp parallel for schedule(dynamic, 16) reduction(| : bad)
    for (long long c = 0; c < (long long)C; c++) {
        uint64_t b = off[c];
        if (rc_alias_build(w + b, (uint32_t)(off[c + 1] - b), local + b, scratch + b) != RC_OK)
            bad = 1;
    }
    if (bad)
        return rc_error(RC_ERR_INTERNAL, "dcsbm: a community has no positive propensity");
    return RC_OK;
}

/* Every parameter check of the generator; *lo and *hi get the propensity bounds. */
static rc_status_t check_params(const rc_dcsbm_params_t *p, int undirected, double *lo,
                                double *hi)
{
    rc_status_t status = RC_OK;
    if (p->nodes < 1 || p->nodes > RC_MAX_NODES)
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: nodes must be between 1 and %u (got %u)", RC_MAX_NODES,
                p->nodes);
    if (p->communities < 1 || p->communities > p->nodes)
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: communities must be between 1 and nodes = %u (got %u)",
                p->nodes, p->communities);
    RC_TRY(rc_gen_check_degrees("dcsbm", p->nodes, p->mean_degree, p->min_degree, p->max_degree,
                                lo, hi));
    RC_TRY(rc_gen_check_exponent("dcsbm", "exponent", p->exponent));
    if (p->in_exponent != 0.0)
        RC_TRY(rc_gen_check_exponent("dcsbm", "in_exponent", p->in_exponent));
    if (!(p->mixing >= 0.0 && p->mixing <= 1.0))
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: mixing must be in [0, 1] (got %g)", p->mixing);
    if (p->mixing > 0.0 && p->communities == 1)
        RC_FAIL(RC_ERR_CONFIG,
                "dcsbm: mixing must be 0 with a single community: no edge can leave it (got %g)",
                p->mixing);
    if (!(p->size_exponent == 0.0 || (isfinite(p->size_exponent) && p->size_exponent > 1.0)))
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: size_exponent must be > 1, or 0 for equal sizes (got %g)",
                p->size_exponent);
    if (!(p->reciprocity >= 0.0 && p->reciprocity <= 1.0))
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: reciprocity must be in [0, 1] (got %g)", p->reciprocity);
    if (!(p->closure >= 0.0 && p->closure < 1.0))
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: closure must be in [0, 1) (got %g)", p->closure);
    if (undirected && (p->reciprocity > 0.0 || p->closure > 0.0))
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: reciprocity and closure apply to directed networks (an "
                "undirected one is all mutual); leave them out with undirected: true");
    if (p->mixing > 1.0 - p->closure)
        RC_FAIL(RC_ERR_CONFIG, "dcsbm: mixing must be at most 1 - closure = %g: closure edges "
                "stay inside the circles, so the others would need a between-circle share above "
                "1 (got mixing %g)", 1.0 - p->closure, p->mixing);
cleanup:
    return status;
}

/* n power-law propensities U^(-1/(exponent-1)) (all 1 for exponent 0) from block-keyed
 * streams of `tag`, scaled to average mean_degree within [lo, hi]. */
static void propensities(double *x, uint32_t n, double exponent, uint64_t seed, uint64_t tag,
                         double mean, double lo, double hi)
{
    const double a = exponent == 0.0 ? 0.0 : 1.0 / (exponent - 1.0);
    const long long nb = (long long)((n + RC_GEN_BLOCK - 1) / RC_GEN_BLOCK);
#pragma omp parallel for schedule(static)
    for (long long b = 0; b < nb; b++) {
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, tag, (uint64_t)b);
        uint64_t first = (uint64_t)b * RC_GEN_BLOCK;
        uint64_t end = first + RC_GEN_BLOCK < n ? first + RC_GEN_BLOCK : n;
        for (uint64_t i = first; i < end; i++)
            x[i] = a == 0.0 ? 1.0 : pow(rc_rng_uniform_pos(&s.r), -a);
    }
    rc_gen_scale_to_mean(x, n, mean, lo, hi);
}

/* Tries of a closure edge before it falls back to an ordinary edge inside the circle. */
#define SBM_CLOSE_TRIES 64

/* The base edges' out-lists (repeats and loops included), for closing paths through them. */
typedef struct base_csr {
    const uint32_t *src, *dst; /* the base edges */
    uint64_t m;                /* how many */
    uint64_t *off;             /* n + 1 offsets */
    uint32_t *nbr;             /* targets grouped by source */
} base_csr_t;

static rc_status_t base_csr_build(uint32_t n, const uint32_t *src, const uint32_t *dst,
                                  uint64_t m, base_csr_t *b)
{
    rc_status_t status = RC_OK;
    *b = (base_csr_t){.src = src, .dst = dst, .m = m};
    b->off = calloc((size_t)n + 1, sizeof *b->off);
    b->nbr = malloc((m ? m : 1) * sizeof *b->nbr);
    RC_ALLOC_CHECK(b->off, "dcsbm closure lists");
    RC_ALLOC_CHECK(b->nbr, "dcsbm closure lists");
    for (uint64_t e = 0; e < m; e++)
        b->off[src[e] + 1]++;
    for (uint32_t v = 0; v < n; v++)
        b->off[v + 1] += b->off[v]; /* off[v + 1]: the end of v's list */
    for (uint64_t e = 0; e < m; e++)
        b->nbr[--b->off[src[e] + 1]] = dst[e]; /* each end moves back to its list's start */
    for (uint32_t v = 0; v < n; v++)
        b->off[v] = b->off[v + 1];
    b->off[n] = m;
cleanup:
    return status;
}

/* Closure edges: a -> w closing a -> b -> w, with a -> b a uniformly random base edge and b -> w
 * one of b's base edges, w in a's community and w != a; after SBM_CLOSE_TRIES misses (a b
 * without followers, say) an ordinary edge inside a community drawn by total theta. */
static void draw_closure_block(const base_csr_t *b, const uint32_t *community,
                              const rc_alias_slot_t *calias, uint32_t C, const uint64_t *off,
                              const rc_alias_slot_t *local, const rc_alias_slot_t *local_in,
                              gsl_rng *r, uint64_t count, uint32_t *src, uint32_t *dst)
{
    for (uint64_t i = 0; i < count; i++) {
        int found = 0;
        for (int t = 0; t < SBM_CLOSE_TRIES && !found; t++) {
            const uint64_t e = rc_rng_below64(r, b->m);
            const uint32_t a = b->src[e], mid = b->dst[e];
            const uint64_t d = b->off[mid + 1] - b->off[mid];
            if (d == 0 || mid == a)
                continue;
            const uint32_t w = b->nbr[b->off[mid] + rc_rng_below64(r, d)];
            if (w == a || community[w] != community[a])
                continue;
            src[i] = a;
            dst[i] = w;
            found = 1;
        }
        if (!found) {
            const uint32_t c = rc_alias_draw(calias, C, r);
            const uint32_t base = (uint32_t)off[c], size = (uint32_t)(off[c + 1] - off[c]);
            src[i] = base + rc_alias_draw(local + base, size, r);
            dst[i] = base + rc_alias_draw(local_in + base, size, r);
        }
    }
}

/* The one-way edges: sampling tables from the propensities (theta for sources, phi for targets
 * when given; both freed here, before the draw, to keep the peak low), then mb base edges in
 * blocks from streams of their own, with the between-community share `mixing` raised to
 * mixing / (1 - closure) so that the final graph keeps `mixing`, then mc closure edges through
 * the base edges. Community first (tiny table, always in cache), then the node within it: two
 * table lookups per endpoint and no per-node community lookup in the hot loop. */
static rc_status_t draw_edges(const rc_dcsbm_params_t *p, uint64_t seed, const uint64_t *off,
                              const uint32_t *community, double **theta, double **phi,
                              uint64_t mb, uint64_t mc, rc_edges_t *edges)
{
    rc_status_t status = RC_OK;
    const uint32_t n = p->nodes, C = p->communities;
    const double mixing = p->closure > 0.0 ? p->mixing / (1.0 - p->closure) : p->mixing;
    uint32_t *scratch = NULL;
    double *cw = NULL;
    rc_alias_slot_t *calias = NULL, *local = NULL, *calias_in = NULL, *local_in = NULL;
    base_csr_t base = {0};
    cw = malloc((size_t)C * sizeof *cw);
    calias = malloc((size_t)C * sizeof *calias);
    scratch = malloc((size_t)n * sizeof *scratch);
    local = malloc((size_t)n * sizeof *local);
    RC_ALLOC_CHECK(cw, "dcsbm alias tables");
    RC_ALLOC_CHECK(calias, "dcsbm alias tables");
    RC_ALLOC_CHECK(scratch, "dcsbm alias tables");
    RC_ALLOC_CHECK(local, "dcsbm alias tables");
    RC_TRY(build_tables(*theta, off, C, n, cw, calias, local, scratch));
    calias_in = calias;
    local_in = local;
    if (*phi != NULL) {
        calias_in = malloc((size_t)C * sizeof *calias_in);
        local_in = malloc((size_t)n * sizeof *local_in);
        RC_ALLOC_CHECK(calias_in, "dcsbm alias tables");
        RC_ALLOC_CHECK(local_in, "dcsbm alias tables");
        RC_TRY(build_tables(*phi, off, C, n, cw, calias_in, local_in, scratch));
    }
    free(scratch);
    free(*theta);
    free(*phi);
    scratch = NULL;
    *theta = *phi = NULL;

    const long long nb = (long long)((mb + RC_GEN_BLOCK - 1) / RC_GEN_BLOCK);
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nb; b++) {
        rc_gen_stream_t s;
        rc_gen_stream_open(&s, seed, RC_GEN_TAG_SBM_EDGES, (uint64_t)b);
        uint64_t first = (uint64_t)b * RC_GEN_BLOCK;
        uint64_t end = first + RC_GEN_BLOCK < mb ? first + RC_GEN_BLOCK : mb;
        draw_block(calias, calias_in, C, off, local, local_in, mixing, &s.r, end - first,
                   edges->src + first, edges->dst + first);
    }
    if (mc > 0) {
        RC_TRY(base_csr_build(n, edges->src, edges->dst, mb, &base));
        const long long nc = (long long)((mc + RC_GEN_BLOCK - 1) / RC_GEN_BLOCK);
#pragma omp parallel for schedule(dynamic, 1)
        for (long long b = 0; b < nc; b++) {
            rc_gen_stream_t s;
            rc_gen_stream_open(&s, seed, RC_GEN_TAG_SBM_CLOSE, (uint64_t)b);
            uint64_t first = (uint64_t)b * RC_GEN_BLOCK;
            uint64_t end = first + RC_GEN_BLOCK < mc ? first + RC_GEN_BLOCK : mc;
            draw_closure_block(&base, community, calias, C, off, local, local_in, &s.r,
                               end - first, edges->src + mb + first, edges->dst + mb + first);
        }
    }
cleanup:
    if (calias_in != calias) {
        free(calias_in);
        free(local_in);
    }
    free(base.off);
    free(base.nbr);
    free(scratch);
    free(cw);
    free(calias);
    free(local);
    return status;
}

/* Mutual edges of g: v in both out(u) and in(u) (sorted lists), summed over u. */
static uint64_t count_mutual(const rc_graph_t *g)
{
    uint64_t mutual = 0;
#pragma omp parallel for schedule(dynamic, 4096) reduction(+ : mutual)
    for (long long u = 0; u < (long long)g->n; u++) {
        uint64_t i = g->out_off[u], j = g->in_off[u];
        const uint64_t ie = g->out_off[u + 1], je = g->in_off[u + 1];
        while (i < ie && j < je) {
            uint32_t a = g->out_nbr[i], b = g->in_nbr[j];
            mutual += a == b;
            i += a <= b;
            j += b <= a;
        }
    }
    return mutual;
}

/* Reverses of node block `b`'s one-way edges u -> v (v not also a followee of u), each with
 * probability q from the block's stream; written to out (when not NULL); returns how many. The
 * same stream gives the same choice in the counting and the writing pass. */
static uint64_t reverse_block(const rc_graph_t *g, uint64_t seed, uint64_t b, double q,
                              uint32_t *src, uint32_t *dst)
{
    rc_gen_stream_t s;
    rc_gen_stream_open(&s, seed, RC_GEN_TAG_SBM_RECIP, b);
    const uint64_t first = b * RC_GEN_BLOCK;
    const uint64_t end = first + RC_GEN_BLOCK < g->n ? first + RC_GEN_BLOCK : g->n;
    uint64_t k = 0;
    for (uint64_t u = first; u < end; u++) {
        uint64_t j = g->in_off[u];
        const uint64_t je = g->in_off[u + 1];
        for (uint64_t i = g->out_off[u]; i < g->out_off[u + 1]; i++) {
            const uint32_t v = g->out_nbr[i];
            while (j < je && g->in_nbr[j] < v)
                j++;
            if (j < je && g->in_nbr[j] == v)
                continue; /* already mutual */
            if (rc_rng_uniform(&s.r) < q) {
                if (src != NULL) {
                    src[k] = v;
                    dst[k] = (uint32_t)u;
                }
                k++;
            }
        }
    }
    return k;
}

/* The final edge list: g's edges and, for a target reciprocity rho, reverses of its one-way
 * edges. With E edges of which M0 are mutual already, reversing each of the X = E - M0 others
 * with probability q = (rho E - M0) / ((2 - rho) X) gives (M0 + 2 q X) / (E + q X) = rho mutual
 * edges in expectation (q = 0 when M0 already reaches rho E). g is freed. */
static rc_status_t add_reverses(rc_graph_t **g1, double rho, uint64_t seed, rc_edges_t *out)
{
    rc_status_t status = RC_OK;
    rc_graph_t *g = *g1;
    uint64_t *at = NULL;
    const uint64_t E = g->m, M0 = count_mutual(g), X = E - M0;
    double q = X > 0 ? (rho * (double)E - (double)M0) / ((2.0 - rho) * (double)X) : 0.0;
    q = q < 0.0 ? 0.0 : (q > 1.0 ? 1.0 : q);
    const long long nb = (long long)((g->n + RC_GEN_BLOCK - 1) / RC_GEN_BLOCK);
    at = calloc((size_t)nb + 1, sizeof *at);
    RC_ALLOC_CHECK(at, "dcsbm reciprocal edges");
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nb; b++)
        at[b + 1] = reverse_block(g, seed, (uint64_t)b, q, NULL, NULL);
    for (long long b = 0; b < nb; b++)
        at[b + 1] += at[b];
    RC_TRY(rc_edges_init(out, E + at[nb] + 1, 0));
    for (uint32_t u = 0; u < g->n; u++)
        for (uint64_t i = g->out_off[u]; i < g->out_off[u + 1]; i++) {
            out->src[i] = u;
            out->dst[i] = g->out_nbr[i];
        }
#pragma omp parallel for schedule(dynamic, 1)
    for (long long b = 0; b < nb; b++)
        reverse_block(g, seed, (uint64_t)b, q, out->src + E + at[b], out->dst + E + at[b]);
    out->len = E + at[nb];
cleanup:
    free(at);
    rc_graph_free(g);
    *g1 = NULL;
    return status;
}

/* Bytes at the peak: the largest of the sampling phase (edge list, propensities and tables;
 * with closure the base edges' lists), the build (1.5x the graph) and, with reciprocity, the
 * one-way graph together with the final edge list. */
static uint64_t peak_bytes(const rc_dcsbm_params_t *p, uint64_t m, uint64_t mb, int undirected)
{
    const uint64_t n = p->nodes;
    uint64_t graph = rc_graph_memory_bytes(p->nodes, undirected ? 2 * m : m, 0, 0, 1);
    uint64_t need = graph + graph / 2, sampling = 8 * m + 28 * n;
    if (p->closure > 0.0)
        sampling += 4 * mb + 8 * n;
    need = sampling > need ? sampling : need;
    if (p->reciprocity > 0.0 && 2 * graph > need)
        need = 2 * graph;
    return need;
}

/* Edge counts: m (round(n mean_degree), halved when undirected) in the end; m1 one-way edges,
 * the reverses adding r = rho / (2 - rho) of them (r m1 reverses make 2 r m1 of the
 * (1 + r) m1 edges mutual); of the one-way edges mc = round(closure m1) close paths and mb are
 * drawn by the block model. Without the options m1 = mb = m. */
static void edge_counts(const rc_dcsbm_params_t *p, int undirected, uint64_t *m, uint64_t *mb,
                        uint64_t *mc)
{
    *m = (uint64_t)llround((double)p->nodes * p->mean_degree * (undirected ? 0.5 : 1.0));
    const double r = p->reciprocity / (2.0 - p->reciprocity);
    const uint64_t m1 = p->reciprocity > 0.0 ? (uint64_t)llround((double)*m / (1.0 + r)) : *m;
    *mc = p->closure > 0.0 ? (uint64_t)llround((double)m1 * p->closure) : 0;
    *mb = m1 - *mc;
}

/* g->description: the parameters, with reciprocity and closure only when set (so that the
 * description of a graph made without them is what it always was). */
static rc_status_t describe(rc_graph_t *g, const rc_dcsbm_params_t *p, int undirected,
                            uint64_t seed)
{
    char extra[96] = "";
    if (p->reciprocity > 0.0 || p->closure > 0.0)
        snprintf(extra, sizeof extra, " reciprocity=%g closure=%g", p->reciprocity, p->closure);
    return rc_gen_describe(g,
                           "dcsbm nodes=%u communities=%u mean_degree=%g mixing=%g exponent=%g "
                           "in_exponent=%g min_degree=%g max_degree=%g size_exponent=%g%s "
                           "undirected=%d seed=%llu",
                           p->nodes, p->communities, p->mean_degree, p->mixing, p->exponent,
                           p->in_exponent, p->min_degree, p->max_degree, p->size_exponent, extra,
                           undirected ? 1 : 0, (unsigned long long)seed);
}

rc_status_t rc_gen_dcsbm(const rc_dcsbm_params_t *p, int undirected, uint64_t seed,
                         rc_graph_t **out)
{
    rc_status_t status = RC_OK;
    uint64_t *off = NULL;
    uint32_t *community = NULL;
    double *theta = NULL, *phi = NULL;
    rc_edges_t edges = {0};
    rc_graph_t *g = NULL;
    double lo = 0.0, hi = 0.0;
    uint64_t m = 0, mb = 0, mc = 0;
    *out = NULL;

    RC_TRY(check_params(p, undirected, &lo, &hi));
    const uint32_t n = p->nodes, C = p->communities;
    edge_counts(p, undirected, &m, &mb, &mc);
    RC_TRY(rc_memory_check(peak_bytes(p, m, mb, undirected), "dcsbm graph"));

    off = malloc(((size_t)C + 1) * sizeof *off);
    community = malloc((size_t)n * sizeof *community);
    theta = malloc((size_t)n * sizeof *theta);
    if (p->in_exponent != 0.0) {
        phi = malloc((size_t)n * sizeof *phi);
        RC_ALLOC_CHECK(phi, "dcsbm propensities");
    }
    RC_ALLOC_CHECK(off, "dcsbm communities");
    RC_ALLOC_CHECK(community, "dcsbm communities");
    RC_ALLOC_CHECK(theta, "dcsbm propensities");
    RC_TRY(community_sizes(n, C, p->size_exponent, off));
    for (uint32_t c = 0; c < C; c++) {
        for (uint64_t i = off[c]; i < off[c + 1]; i++)
            community[i] = c;
    }
    propensities(theta, n, p->exponent, seed, RC_GEN_TAG_SBM_THETA, p->mean_degree, lo, hi);
    /* Followee propensities, independent of the follower ones: Twitter's followee counts are
     * far less skewed than its follower counts, and its celebrities follow few. */
    if (phi != NULL)
        propensities(phi, n, p->in_exponent, seed, RC_GEN_TAG_SBM_PHI, p->mean_degree, lo, hi);

    RC_TRY(rc_gen_edges_alloc(&edges, mb + mc));
    if (mb + mc > 0)
        RC_TRY(draw_edges(p, seed, off, community, &theta, &phi, mb, mc, &edges));
    free(theta);
    theta = NULL;
    if (p->reciprocity > 0.0) {
        RC_TRY(rc_graph_build(n, &edges, 0, &g, NULL));
        RC_TRY(add_reverses(&g, p->reciprocity, seed, &edges));
    }

    RC_TRY(rc_graph_build(n, &edges, undirected, &g, NULL));
    g->community = community;
    g->n_communities = C;
    community = NULL;
    RC_TRY(describe(g, p, undirected, seed));
    *out = g;
    g = NULL;
cleanup:
    free(off);
    free(community);
    free(theta);
    free(phi);
    rc_edges_free(&edges);
    rc_graph_free(g);
    return status;
}
