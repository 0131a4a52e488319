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
#include "rtcascade/memory.h"

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

/* v's neighbours in the undirected view: its followees and followers, a mutual pair once (a
 * branch-free merge of the two sorted lists counting the ids in both). */
static uint64_t undirected_degree(const rc_graph_t *g, uint32_t v)
{
    const uint32_t *a = g->out_nbr, *b = g->in_nbr;
    uint64_t i = g->out_off[v], j = g->in_off[v], both = 0;
    const uint64_t ie = g->out_off[v + 1], je = g->in_off[v + 1];
    while (i < ie && j < je) {
        const uint32_t x = a[i], y = b[j];
        both += x == y;
        i += x <= y;
        j += y <= x;
    }
    return (g->out_off[v + 1] - g->out_off[v]) + (je - g->in_off[v]) - both;
}

/* Exact: each undirected edge kept once, at its lower end by (degree, id): up(v) holds v's
 * neighbours above it, in a slot of deg[v] + 1 entries of one array (room for every neighbour
 * and for the branch-free fill's one write past the last kept, so that a slot's writes never
 * reach the next), made in one pass, in no particular order. A mutual pair would appear twice,
 * once from out(v) and once from in(v): out(v) is marked first (mark[u] = tag) and in(v) adds
 * only the unmarked. A triangle v < u < w is then counted once, as w in up(u) for u in up(v)
 * with w marked in up(v). Marks are one read of a small array per step; sorted lists merged
 * branched unpredictably at every step. */
static int higher(const uint64_t *deg, uint32_t v, uint32_t u)
{
    return deg[u] > deg[v] || (deg[u] == deg[v] && u > v);
}

/* up(v) into up[0..) from v's out- and in-lists, each neighbour written and kept when higher
 * (so up[] needs one entry more than the neighbours kept); mark: v's tag set on out(v) here.
 * Returns the length. */
static uint64_t fill_up(const rc_graph_t *g, const uint64_t *deg, uint32_t v, uint32_t *mark,
                        uint32_t *restrict up)
{
    const uint32_t tag = v + 1;
    uint64_t k = 0;
    for (uint64_t i = g->out_off[v]; i < g->out_off[v + 1]; i++) {
        const uint32_t u = g->out_nbr[i];
        mark[u] = tag;
        up[k] = u;
        k += (uint64_t)higher(deg, v, u);
    }
    for (uint64_t i = g->in_off[v]; i < g->in_off[v + 1]; i++) {
        const uint32_t u = g->in_nbr[i];
        up[k] = u;
        k += (uint64_t)(higher(deg, v, u) & (mark[u] != tag));
    }
    return k;
}

/* The triangle loop visits the pairs (v, u in up(v)) of a block of nodes in order; u's list is a
 * random read of an array larger than the caches, so two cursors run ahead over the same pairs:
 * the far one requests u's slot offset, the near one u's list itself. Most up-lists are shorter
 * than the distances, so the cursors cross from list to list. */
#define TR_BLOCK 256
#define TR_AHEAD_NEAR 8
#define TR_AHEAD_FAR 16

typedef struct tr_cursor {
    uint32_t v, k; /* the pair (v, up(v)[k]); v == end when past the block */
} tr_cursor_t;

static inline void tr_settle(const uint32_t *len, uint32_t end, tr_cursor_t *c)
{
    while (c->v < end && c->k >= len[c->v]) {
        c->v++;
        c->k = 0;
    }
}

static inline void tr_advance(const uint32_t *len, uint32_t end, tr_cursor_t *c)
{
    c->k++;
    tr_settle(len, end, c);
}

static rc_status_t exact(const rc_graph_t *g, const uint64_t *deg, rc_clustering_t *c)
{
    rc_status_t status = RC_OK;
    uint64_t *off = NULL, *tri = NULL;
    uint32_t *up = NULL, *len = NULL;
    const uint32_t n = g->n;
    off = malloc(((size_t)n + 1) * sizeof *off);
    len = calloc((size_t)n + 1, sizeof *len); /* empty where a thread short of memory left it */
    tri = calloc((size_t)n + 1, sizeof *tri); /* triangles through each node */
    RC_ALLOC_CHECK(off, "the transitivity's lists");
    RC_ALLOC_CHECK(len, "the transitivity's lists");
    RC_ALLOC_CHECK(tri, "the transitivity's lists");
    /* the lists, their offsets and lengths and the counts are read at random: huge pages */
    rc_memory_advise_huge(off, ((size_t)n + 1) * sizeof *off);
    rc_memory_advise_huge(len, ((size_t)n + 1) * sizeof *len);
    rc_memory_advise_huge(tri, ((size_t)n + 1) * sizeof *tri);
    off[0] = 0;
    for (uint32_t v = 0; v < n; v++)
        off[v + 1] = off[v] + deg[v] + 1;
    up = malloc((off[n] ? off[n] : 1) * sizeof *up);
    RC_ALLOC_CHECK(up, "the transitivity's lists");
    rc_memory_advise_huge(up, off[n] * sizeof *up);
    uint64_t triangles = 0;
    int no_mark = 0;
#pragma omp parallel reduction(+ : triangles)
    {
        uint32_t *mark = calloc((size_t)n + 1, sizeof *mark);
        uint64_t *bits = calloc((size_t)n / 64 + 1, sizeof *bits);
        const int ok = mark != NULL && bits != NULL;
        if (!ok) {
#pragma omp atomic write
            no_mark = 1;
        }
#pragma omp for schedule(dynamic, 1024)
        for (long long v = 0; v < (long long)n; v++)
            if (ok)
                len[v] = (uint32_t)fill_up(g, deg, (uint32_t)v, mark, up + off[v]);
        free(mark);
        /* (the loop's barrier: every list is complete before any is read) Then up(v) is marked
         * in a bitset of n bits, small enough for the first-level cache, and cleared after. */
#pragma omp for schedule(dynamic, 1)
        for (long long b = 0; b < (long long)(n / TR_BLOCK + 1); b++) {
            if (!ok)
                continue;
            const uint32_t v0 = (uint32_t)b * TR_BLOCK;
            const uint32_t v1 = n - v0 < TR_BLOCK ? n : v0 + TR_BLOCK;
            tr_cursor_t near = {v0, 0}, far = {v0, 0};
            tr_settle(len, v1, &near);
            tr_settle(len, v1, &far);
            for (int a = 0; a < TR_AHEAD_FAR; a++) {
                if (a < TR_AHEAD_NEAR)
                    tr_advance(len, v1, &near);
                tr_advance(len, v1, &far);
            }
            for (uint32_t v = v0; v < v1; v++) {
                const uint32_t *uv = up + off[v];
                const uint32_t lv = len[v];
                for (uint32_t k = 0; k < lv; k++)
                    bits[uv[k] >> 6] |= (uint64_t)1 << (uv[k] & 63);
                for (uint32_t k = 0; k < lv; k++) {
                    if (far.v < v1) {
                        __builtin_prefetch(&off[up[off[far.v] + far.k]]);
                        __builtin_prefetch(&len[up[off[far.v] + far.k]]);
                        tr_advance(len, v1, &far);
                    }
                    if (near.v < v1) {
                        /* both ends of the list: about ten entries straddle a line boundary
                         * more often than not */
                        const uint32_t x = up[off[near.v] + near.k];
                        __builtin_prefetch(&up[off[x]]);
                        __builtin_prefetch(&up[off[x] + len[x] - (len[x] > 0)]);
                        tr_advance(len, v1, &near);
                    }
                    const uint32_t u = uv[k];
                    const uint32_t *uu = up + off[u];
                    for (uint32_t j = 0, lu = len[u]; j < lu; j++) {
                        const uint32_t w = uu[j];
                        if (!(bits[w >> 6] >> (w & 63) & 1))
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
                for (uint32_t k = 0; k < lv; k++)
                    bits[uv[k] >> 6] = 0;
            }
        }
        free(bits);
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
    free(len);
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
        deg[v] = undirected_degree(g, (uint32_t)v);
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
