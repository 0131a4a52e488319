/* Clustering of a follower graph, on its undirected view (u and v neighbours when either follows
 * the other): the global transitivity, 3 x triangles / connected triples (the share of two-step
 * paths v - u - w whose ends are neighbours too, dominated by the hubs' paths), and the mean
 * local clustering coefficient over the nodes with two neighbours or more (Watts & Strogatz
 * 1998; each such node's share of closed paths through it, weighted alike). Exact by counting
 * triangles on small and medium graphs; on large ones estimated from sampled paths (Seshadhri,
 * Pinar & Kolda 2013): a uniform path for the transitivity, a uniform node and then a uniform
 * path through it for the mean local coefficient, with binomial standard errors, from fixed
 * block-keyed streams so that the estimates are the same on any number of threads. */
#include "graph/clustering.h"
#include "graph/gen_common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Undirected edges (pairs) up to which triangles are counted exactly: O(m^1.5) at worst, well
 * under a second for heavy-tailed graphs of this size. */
#define TR_EXACT_MAX_PAIRS ((uint64_t)1 << 22)
/* Wedges sampled above it (standard error at most 0.5 / 1024 = 0.0005). */
#define TR_SAMPLES ((uint64_t)1 << 20)
#define TR_SAMPLE_BLOCK ((uint64_t)1 << 16)
#define TR_STREAM_SEED 0x7472616e73ULL /* "trans" */
#define TR_STREAM_TAG 0x54520001ULL

/* 1 when x is in the sorted list a[0..len). */
static int in_sorted(const uint32_t *a, uint64_t len, uint32_t x)
{
    uint64_t lo = 0, hi = len;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < len && a[lo] == x;
}

/* Neighbours of v in the undirected view: out(v) merged with in(v), repeats once, in id order;
 * each passed to visit(ctx, v, u). Returns how many. */
typedef void (*tr_visit_t)(void *ctx, uint32_t v, uint32_t u);
static uint64_t each_neighbour(const rc_graph_t *g, uint32_t v, tr_visit_t visit, void *ctx)
{
    uint64_t i = g->out_off[v], j = g->in_off[v], k = 0;
    const uint64_t ie = g->out_off[v + 1], je = g->in_off[v + 1];
    while (i < ie || j < je) {
        uint32_t u;
        if (j >= je || (i < ie && g->out_nbr[i] < g->in_nbr[j])) {
            u = g->out_nbr[i++];
        } else if (i >= ie || g->in_nbr[j] < g->out_nbr[i]) {
            u = g->in_nbr[j++];
        } else {
            u = g->out_nbr[i++];
            j++;
        }
        if (visit != NULL)
            visit(ctx, v, u);
        k++;
    }
    return k;
}

/* Exact: each undirected edge oriented towards the higher (degree, id), kept in id order; a
 * triangle is then counted once, as |up(v) ∩ up(u)| for u in up(v). */
typedef struct tr_orient {
    const uint64_t *deg; /* undirected degrees */
    uint64_t *fill;      /* next free slot of each node's list */
    uint32_t *up;        /* the oriented lists */
    uint64_t count;      /* pass 1: how many edges v keeps */
} tr_orient_t;

static int higher(const uint64_t *deg, uint32_t v, uint32_t u)
{
    return deg[u] > deg[v] || (deg[u] == deg[v] && u > v);
}

static void count_up(void *ctx, uint32_t v, uint32_t u)
{
    tr_orient_t *o = ctx;
    o->count += higher(o->deg, v, u);
}

static void fill_up(void *ctx, uint32_t v, uint32_t u)
{
    tr_orient_t *o = ctx;
    if (higher(o->deg, v, u))
        o->up[o->fill[v]++] = u;
}

static rc_status_t exact(const rc_graph_t *g, const uint64_t *deg, rc_clustering_t *c)
{
    rc_status_t status = RC_OK;
    uint64_t *off = NULL, *tri = NULL;
    uint32_t *up = NULL;
    const uint32_t n = g->n;
    off = calloc((size_t)n + 1, sizeof *off);
    RC_ALLOC_CHECK(off, "the transitivity's lists");
    for (uint32_t v = 0; v < n; v++) {
        tr_orient_t o = {.deg = deg};
        each_neighbour(g, v, count_up, &o);
        off[v + 1] = off[v] + o.count;
    }
    up = malloc((off[n] ? off[n] : 1) * sizeof *up);
    RC_ALLOC_CHECK(up, "the transitivity's lists");
    {
        uint64_t *fill = malloc(((size_t)n + 1) * sizeof *fill);
        RC_ALLOC_CHECK(fill, "the transitivity's lists");
        memcpy(fill, off, ((size_t)n + 1) * sizeof *fill);
        tr_orient_t o = {.deg = deg, .fill = fill, .up = up};
        for (uint32_t v = 0; v < n; v++)
            each_neighbour(g, v, fill_up, &o);
        free(fill);
    }
    tri = calloc((size_t)n + 1, sizeof *tri); /* triangles through each node */
    RC_ALLOC_CHECK(tri, "the transitivity's lists");
    uint64_t triangles = 0;
    int no_mark = 0;
    /* For each v: its up-list marked (mark[w] = v + 1), then each w in up(u), u in up(v), is a
     * triangle v < u < w when marked -- one random read of a small array per step, where
     * merging the two sorted lists branched unpredictably at every step (about 4x slower). */
#pragma omp parallel reduction(+ : triangles)
    {
        uint32_t *mark = calloc((size_t)n + 1, sizeof *mark);
        if (mark == NULL) {
#pragma omp atomic write
            no_mark = 1;
        }
#pragma omp for schedule(dynamic, 256)
        for (long long v = 0; v < (long long)n; v++) {
            if (mark == NULL)
                continue;
            const uint32_t tag = (uint32_t)v + 1;
            for (uint64_t k = off[v]; k < off[v + 1]; k++)
                mark[up[k]] = tag;
            for (uint64_t k = off[v]; k < off[v + 1]; k++) {
                const uint32_t u = up[k];
                for (uint64_t j = off[u]; j < off[u + 1]; j++) {
                    const uint32_t w = up[j];
                    if (mark[w] != tag)
                        continue;
                    triangles++;
#pragma omp atomic
                    tri[v]++;
#pragma omp atomic
                    tri[u]++;
#pragma omp atomic
                    tri[w]++;
                }
            }
        }
        free(mark);
    }
    if (no_mark)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for the transitivity's marks (%u nodes)", n);
    long double wedges = 0.0L, local = 0.0L;
    uint64_t centres = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (deg[v] < 2)
            continue;
        long double w = 0.5L * (long double)deg[v] * (long double)(deg[v] - 1);
        wedges += w;
        local += (long double)tri[v] / w;
        centres++;
    }
    c->transitivity = (double)(3.0L * (long double)triangles / wedges);
    c->local = (double)(local / (long double)centres);
cleanup:
    free(off);
    free(up);
    free(tri);
    return status;
}

/* A uniform undirected neighbour of v (degree > 0): an entry of out(v) or in(v), an in-entry
 * that is also an out-entry drawn again so that mutual neighbours count once. */
static uint32_t pick_neighbour(const rc_graph_t *g, uint32_t v, gsl_rng *r)
{
    const uint64_t dout = g->out_off[v + 1] - g->out_off[v];
    const uint64_t din = g->in_off[v + 1] - g->in_off[v];
    for (;;) {
        uint64_t i = rc_rng_below64(r, dout + din);
        if (i < dout)
            return g->out_nbr[g->out_off[v] + i];
        uint32_t u = g->in_nbr[g->in_off[v] + i - dout];
        if (!in_sorted(g->out_nbr + g->out_off[v], dout, u))
            return u;
    }
}

static int adjacent(const rc_graph_t *g, uint32_t a, uint32_t b)
{
    return in_sorted(g->out_nbr + g->out_off[a], g->out_off[a + 1] - g->out_off[a], b) ||
           in_sorted(g->in_nbr + g->in_off[a], g->in_off[a + 1] - g->in_off[a], b);
}

/* Closed paths among `len` sampled from stream block b: the centre from the alias table (by
 * C(d, 2): a uniform path) or uniformly from the list of nodes with two neighbours or more. */
static uint64_t sample_block(const rc_graph_t *g, const rc_alias_slot_t *table,
                             const uint32_t *centres, uint32_t n_centres, uint64_t tag, uint64_t b,
                             uint64_t len)
{
    rc_gen_stream_t s;
    rc_gen_stream_open(&s, TR_STREAM_SEED, tag, b);
    uint64_t closed = 0;
    for (uint64_t k = 0; k < len; k++) {
        const uint32_t v = table != NULL ? rc_alias_draw(table, g->n, &s.r)
                                         : centres[rc_rng_below(&s.r, n_centres)];
        const uint32_t a = pick_neighbour(g, v, &s.r);
        uint32_t c = a;
        while (c == a)
            c = pick_neighbour(g, v, &s.r);
        closed += (uint64_t)adjacent(g, a, c);
    }
    return closed;
}

/* The share of closed paths among `samples`, by centre law (table or centres), into *p, *se. */
static void sample_share(const rc_graph_t *g, const rc_alias_slot_t *table, const uint32_t *centres,
                         uint32_t n_centres, uint64_t tag, uint64_t samples, double *p, double *se)
{
    uint64_t closed = 0;
    const long long nb = (long long)((samples + TR_SAMPLE_BLOCK - 1) / TR_SAMPLE_BLOCK);
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : closed)
    for (long long b = 0; b < nb; b++) {
        const uint64_t first = (uint64_t)b * TR_SAMPLE_BLOCK;
        const uint64_t len = samples - first < TR_SAMPLE_BLOCK ? samples - first : TR_SAMPLE_BLOCK;
        closed += sample_block(g, table, centres, n_centres, tag, (uint64_t)b, len);
    }
    *p = (double)closed / (double)samples;
    *se = sqrt(*p * (1.0 - *p) / (double)samples);
}

static rc_status_t sampled(const rc_graph_t *g, const uint64_t *deg, uint64_t samples,
                           rc_clustering_t *c)
{
    rc_status_t status = RC_OK;
    const uint32_t n = g->n;
    double *w = malloc(((size_t)n + 1) * sizeof *w);
    rc_alias_slot_t *table = malloc(((size_t)n + 1) * sizeof *table);
    uint32_t *scratch = malloc(((size_t)n + 1) * sizeof *scratch);
    RC_ALLOC_CHECK(w, "the transitivity's samples");
    RC_ALLOC_CHECK(table, "the transitivity's samples");
    RC_ALLOC_CHECK(scratch, "the transitivity's samples");
    uint32_t n_centres = 0;
    for (uint32_t v = 0; v < n; v++) {
        w[v] = 0.5 * (double)deg[v] * (double)(deg[v] ? deg[v] - 1 : 0);
        if (deg[v] >= 2)
            scratch[n_centres++] = v;
    }
    sample_share(g, NULL, scratch, n_centres, TR_STREAM_TAG + 1, samples, &c->local, &c->local_se);
    RC_TRY(rc_alias_build(w, n, table, scratch));
    sample_share(g, table, NULL, 0, TR_STREAM_TAG, samples, &c->transitivity, &c->transitivity_se);
    c->samples = samples;
cleanup:
    free(w);
    free(table);
    free(scratch);
    return status;
}

rc_status_t rc_clustering_with(const rc_graph_t *g, int mode, uint64_t samples, rc_clustering_t *c)
{
    rc_status_t status = RC_OK;
    uint64_t *deg = NULL;
    *c = (rc_clustering_t){.transitivity = NAN, .local = NAN};
    if (g->n == 0)
        return RC_OK;
    deg = malloc((size_t)g->n * sizeof *deg);
    RC_ALLOC_CHECK(deg, "undirected degrees");
    uint64_t pairs = 0, centres = 0;
#pragma omp parallel for schedule(dynamic, 4096) reduction(+ : pairs, centres)
    for (long long v = 0; v < (long long)g->n; v++) {
        deg[v] = each_neighbour(g, (uint32_t)v, NULL, NULL);
        pairs += deg[v];
        centres += deg[v] >= 2;
    }
    pairs /= 2;
    if (centres == 0)
        goto cleanup; /* no connected triple: undefined */
    if (mode == RC_CLUSTERING_EXACT || (mode == RC_CLUSTERING_AUTO && pairs <= TR_EXACT_MAX_PAIRS))
        RC_TRY(exact(g, deg, c));
    else
        RC_TRY(sampled(g, deg, samples ? samples : TR_SAMPLES, c));
cleanup:
    free(deg);
    return status;
}

rc_status_t rc_graph_clustering(const rc_graph_t *g, rc_clustering_t *c)
{
    return rc_clustering_with(g, RC_CLUSTERING_AUTO, 0, c);
}
