/* Audience scenarios: an author outside the network whose followers are picked from it (at
 * random, the most followed, within one community, or in proportion to their own followers),
 * drawn once per point from a stream of its own or afresh in every run, and the first hop of a
 * run: who among them reshares, found by geometric skips so that a celebrity's million
 * followers cost as many steps as they have resharers. */
#include "rtcascade/engine.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_audience_pick_names[] = {
    "random", "top_followers", "top_followers_in_community", "community", "preferential", NULL};

static int pick_is_community(rc_audience_pick_t p)
{
    return p == RC_AUDIENCE_TOP_FOLLOWERS_IN_COMMUNITY || p == RC_AUDIENCE_COMMUNITY;
}

static int pick_is_top(rc_audience_pick_t p)
{
    return p == RC_AUDIENCE_TOP_FOLLOWERS || p == RC_AUDIENCE_TOP_FOLLOWERS_IN_COMMUNITY;
}

/* Members of spec's community (NULL when the pick is not a community one); errors when the
 * network has no communities or not that one. */
static rc_status_t community_size(const rc_audience_spec_t *spec, const rc_graph_t *g,
                                  uint32_t *members)
{
    rc_status_t status = RC_OK;
    if (g->community == NULL)
        RC_FAIL(RC_ERR_CONFIG,
                "%s.pick: %s needs a network with communities (e.g. generator: "
                "dcsbm)",
                spec->where, rc_audience_pick_names[spec->pick]);
    if (spec->community >= g->n_communities)
        RC_FAIL(RC_ERR_CONFIG,
                "%s.community: %u does not exist (the network has communities "
                "0..%u)",
                spec->where, spec->community, g->n_communities - 1);
    uint32_t count = 0;
    for (uint32_t v = 0; v < g->n; v++)
        count += g->community[v] == spec->community;
    *members = count;
cleanup:
    return status;
}

rc_status_t rc_audience_size(const rc_audience_spec_t *spec, const rc_graph_t *g, uint32_t *size)
{
    rc_status_t status = RC_OK;
    uint32_t pool = g->n;
    if (pick_is_community(spec->pick))
        RC_TRY(community_size(spec, g, &pool));
    if (spec->fraction > 0.0) {
        double k = ceil(spec->fraction * (double)pool - 1e-9);
        *size = k < 1.0 ? 1u : (uint32_t)(k > (double)pool ? pool : k);
        if (pool == 0)
            RC_FAIL(RC_ERR_CONFIG, "%s.size: community %u has no members", spec->where,
                    spec->community);
        goto cleanup;
    }
    *size = spec->size;
    if (spec->size > g->n)
        RC_FAIL(RC_ERR_CONFIG,
                "%s.size: an audience of %u asked for but the network has only %u "
                "nodes",
                spec->where, spec->size, g->n);
    if (spec->size > pool)
        RC_FAIL(RC_ERR_CONFIG,
                "%s.size: an audience of %u asked for but community %u has "
                "only %u members",
                spec->where, spec->size, spec->community, pool);
cleanup:
    return status;
}

rc_status_t rc_audience_check(const rc_audience_spec_t *spec, const rc_graph_t *g)
{
    uint32_t size;
    return rc_audience_size(spec, g, &size);
}

static inline void bit_set(uint64_t *bits, uint32_t v)
{
    bits[v >> 6] |= (uint64_t)1 << (v & 63);
}

static inline void bit_clear(uint64_t *bits, uint32_t v)
{
    bits[v >> 6] &= ~((uint64_t)1 << (v & 63));
}

static size_t bit_words(uint32_t n)
{
    return ((size_t)n + 63) / 64 + 1;
}

/* Followers of v, the weight base of top and preferential picks. */
static inline uint64_t followers(const rc_graph_t *g, uint32_t v)
{
    return g->out_off[v + 1] - g->out_off[v];
}

typedef struct deg_node {
    uint64_t degree;
    uint32_t node;
} deg_node_t;

static int deg_node_cmp(const void *a, const void *b)
{
    const deg_node_t *x = a, *y = b;
    if (x->degree != y->degree)
        return x->degree > y->degree ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

/* The k candidates with most followers (ties: lower index), most followed first. Candidates are
 * pool[0..len) (ascending), or all nodes when pool is NULL. A degree histogram finds the
 * cut-off in O(len + max degree); only the k chosen are sorted. */
static rc_status_t top_k(const rc_graph_t *g, const uint32_t *pool, uint32_t len, uint32_t k,
                         uint32_t *out)
{
    rc_status_t status = RC_OK;
    uint32_t *hist = NULL;
    deg_node_t *pairs = NULL;
    uint64_t maxd = 0;
    for (uint32_t i = 0; i < len; i++) {
        uint64_t d = followers(g, pool ? pool[i] : i);
        if (d > maxd)
            maxd = d;
    }
    hist = calloc(maxd + 1, sizeof *hist);
    RC_ALLOC_CHECK(hist, "a follower-count histogram");
    for (uint32_t i = 0; i < len; i++)
        hist[followers(g, pool ? pool[i] : i)]++;
    uint64_t cut = maxd, above = 0;
    while (above + hist[cut] < k) {
        above += hist[cut];
        cut--; /* cannot pass 0: k <= len = the histogram's total */
    }
    uint32_t at_cut = (uint32_t)(k - above), got = 0;
    pairs = malloc(((size_t)k + 1) * sizeof *pairs);
    RC_ALLOC_CHECK(pairs, "the audience");
    for (uint32_t i = 0; i < len && got < k; i++) {
        uint32_t v = pool ? pool[i] : i;
        uint64_t d = followers(g, v);
        if (d > cut || (d == cut && at_cut > 0)) {
            if (d == cut)
                at_cut--;
            pairs[got].degree = d;
            pairs[got].node = v;
            got++;
        }
    }
    qsort(pairs, got, sizeof *pairs, deg_node_cmp);
    for (uint32_t i = 0; i < got; i++)
        out[i] = pairs[i].node;
cleanup:
    free(hist);
    free(pairs);
    return status;
}

/* Floyd's algorithm: k distinct positions of [0, len) in exactly k draws, as nodes (pool[pos],
 * or pos itself when pool is NULL). The bitmap marks chosen nodes; distinct positions are
 * distinct nodes, so it doubles as the membership test. */
static void draw_floyd(const uint32_t *pool, uint32_t len, uint32_t k, gsl_rng *r, uint32_t *out,
                       uint64_t *bits)
{
    uint32_t got = 0;
    for (uint32_t j = len - k; j < len; j++) {
        uint32_t t = rc_rng_below(r, j + 1);
        uint32_t v = pool ? pool[t] : t;
        if (rc_audience_has(bits, v))
            v = pool ? pool[j] : j;
        bit_set(bits, v);
        out[got++] = v;
    }
}

typedef struct es_key {
    double key;
    uint32_t node;
} es_key_t;

static void heap_sift_down(es_key_t *h, uint32_t len, uint32_t i)
{
    es_key_t x = h[i];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= len)
            break;
        if (c + 1 < len && h[c + 1].key < h[c].key)
            c++;
        if (!(h[c].key < x.key))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* Efraimidis-Spirakis: node v gets key log(U_v) / w_v with w_v = followers + 1; the k largest
 * keys are a sample without replacement in which each next member is drawn with probability
 * proportional to its weight among those left (successive sampling). A min-heap of the k best
 * so far: O(n log k), one draw per node. */
static void draw_es(const rc_graph_t *g, uint32_t k, gsl_rng *r, es_key_t *heap, uint32_t *out,
                    uint64_t *bits)
{
    uint32_t len = 0;
    if (k == 0)
        return;
    for (uint32_t v = 0; v < g->n; v++) {
        double key = log(rc_rng_uniform_pos(r)) / (double)(followers(g, v) + 1);
        if (len < k) {
            /* Sift up. */
            uint32_t i = len++;
            while (i > 0 && key < heap[(i - 1) / 2].key) {
                heap[i] = heap[(i - 1) / 2];
                i = (i - 1) / 2;
            }
            heap[i].key = key;
            heap[i].node = v;
        } else if (key > heap[0].key) {
            heap[0].key = key;
            heap[0].node = v;
            heap_sift_down(heap, len, 0);
        }
    }
    for (uint32_t i = 0; i < len; i++) {
        out[i] = heap[i].node;
        bit_set(bits, heap[i].node);
    }
}

/* Successive sampling by rejection: draw from the alias table (probability proportional to
 * followers + 1) and reject those already chosen. Conditioned on not being chosen, a draw is
 * proportional to the weights left, so this is exactly the Efraimidis-Spirakis distribution. */
static void draw_alias(const gsl_ran_discrete_t *table, uint32_t k, gsl_rng *r, uint32_t *out,
                       uint64_t *bits)
{
    uint32_t got = 0;
    while (got < k) {
        uint32_t v = (uint32_t)gsl_ran_discrete(r, table);
        if (rc_audience_has(bits, v))
            continue;
        bit_set(bits, v);
        out[got++] = v;
    }
}

void rc_audience_free(rc_audience_t *a)
{
    if (a == NULL)
        return;
    free(a->members);
    free(a->bits);
    free(a->pool);
    if (a->alias != NULL)
        gsl_ran_discrete_free(a->alias);
    free(a);
}

/* Preferential redraws: an alias table when the `size` heaviest accounts hold at most half of
 * the total weight W = m + n, since then every draw is accepted with probability >= 1/2 and a
 * draw costs expected O(size); otherwise (NULL) a full key pass per run. */
static rc_status_t maybe_alias(rc_audience_t *a)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = a->g;
    uint32_t *top = NULL;
    double *w = NULL;
    top = malloc(((size_t)a->size + 1) * sizeof *top);
    RC_ALLOC_CHECK(top, "the audience");
    RC_TRY(top_k(g, NULL, g->n, a->size, top));
    double heavy = 0.0, total = (double)g->m + (double)g->n;
    for (uint32_t i = 0; i < a->size; i++)
        heavy += (double)(followers(g, top[i]) + 1);
    if (heavy > 0.5 * total)
        goto cleanup;
    w = malloc(((size_t)g->n + 1) * sizeof *w);
    RC_ALLOC_CHECK(w, "preferential audience weights");
    for (uint32_t v = 0; v < g->n; v++)
        w[v] = (double)(followers(g, v) + 1);
    a->alias = gsl_ran_discrete_preproc(g->n, w);
    RC_ALLOC_CHECK(a->alias, "a preferential audience's alias table");
cleanup:
    free(top);
    free(w);
    return status;
}

rc_status_t rc_audience_resolve(const rc_audience_spec_t *spec, const rc_graph_t *g,
                                uint64_t master_seed, uint64_t point, rc_audience_t **out)
{
    rc_status_t status = RC_OK;
    rc_audience_t *a = NULL;
    rc_audience_buf_t *buf = NULL;
    gsl_rng *r = NULL;
    *out = NULL;
    uint32_t size = 0;
    RC_TRY(rc_audience_size(spec, g, &size));
    a = calloc(1, sizeof *a);
    RC_ALLOC_CHECK(a, "an audience");
    a->spec = *spec;
    a->spec.size = size;
    spec = &a->spec; /* the resolved size from here on (and in the author's key) */
    a->n = g->n;
    a->size = spec->size;
    a->g = g;
    a->inv_log_q =
        spec->engagement > 0.0 && spec->engagement < 1.0 ? 1.0 / log1p(-spec->engagement) : 0.0;
    a->redraw = spec->redraw && !pick_is_top(spec->pick);
    a->pool_size = g->n;
    if (pick_is_community(spec->pick)) {
        uint32_t len = 0;
        RC_TRY(community_size(spec, g, &len));
        a->pool = malloc(((size_t)len + 1) * sizeof *a->pool);
        RC_ALLOC_CHECK(a->pool, "the community's member list");
        a->pool_size = 0;
        for (uint32_t v = 0; v < g->n; v++)
            if (g->community[v] == spec->community)
                a->pool[a->pool_size++] = v;
    }
    if (a->redraw) {
        if (spec->pick == RC_AUDIENCE_PREFERENTIAL)
            RC_TRY(maybe_alias(a));
        goto done;
    }
    if (pick_is_top(spec->pick)) {
        a->members = malloc(((size_t)a->size + 1) * sizeof *a->members);
        RC_ALLOC_CHECK(a->members, "the audience");
        RC_TRY(top_k(g, a->pool, a->pool_size, a->size, a->members));
        a->bits = calloc(bit_words(g->n), sizeof *a->bits);
        RC_ALLOC_CHECK(a->bits, "the audience bitmap");
        for (uint32_t i = 0; i < a->size; i++)
            bit_set(a->bits, a->members[i]);
        goto done;
    }
    /* Random picks: the per-run machinery on the author's own stream. It is keyed by what
     * defines the author (pick, size, community), not by the point, so every point with the
     * same audience definition -- an engagement sweep, or scenarios that differ only in the
     * model -- compares the same author's followers (common random numbers), and curves that
     * cross do so because of the parameter, not because of a luckier audience draw. */
    r = rc_rng_alloc();
    RC_ALLOC_CHECK(r, "a random generator");
    (void)point;
    rc_rng_seed(r, master_seed, RC_AUDIENCE_STREAM, rc_audience_author_key(spec));
    RC_TRY(rc_audience_buf_alloc(a, &buf));
    rc_audience_draw(a, r, buf);
    a->members = buf->members;
    a->bits = buf->bits;
    buf->members = NULL;
    buf->bits = NULL;
done:
    *out = a;
    a = NULL;
cleanup:
    gsl_rng_free(r);
    rc_audience_buf_free(buf);
    rc_audience_free(a);
    return status;
}

void rc_audience_buf_free(rc_audience_buf_t *b)
{
    if (b == NULL)
        return;
    free(b->members);
    free(b->bits);
    free(b->heap);
    free(b);
}

rc_status_t rc_audience_buf_alloc(const rc_audience_t *a, rc_audience_buf_t **out)
{
    rc_status_t status = RC_OK;
    *out = NULL;
    rc_audience_buf_t *b = calloc(1, sizeof *b);
    RC_ALLOC_CHECK(b, "an audience buffer");
    b->members = malloc(((size_t)a->size + 1) * sizeof *b->members);
    RC_ALLOC_CHECK(b->members, "an audience buffer");
    b->bits = calloc(bit_words(a->n), sizeof *b->bits);
    RC_ALLOC_CHECK(b->bits, "an audience bitmap");
    if (a->spec.pick == RC_AUDIENCE_PREFERENTIAL && a->alias == NULL) {
        b->heap = malloc(((size_t)a->size + 1) * sizeof(es_key_t));
        RC_ALLOC_CHECK(b->heap, "preferential audience keys");
    }
    *out = b;
    b = NULL;
cleanup:
    rc_audience_buf_free(b);
    return status;
}

void rc_audience_draw(const rc_audience_t *a, gsl_rng *r, rc_audience_buf_t *b)
{
    for (uint32_t i = 0; i < b->count; i++)
        bit_clear(b->bits, b->members[i]);
    b->count = 0;
    const uint32_t k = a->size;
    switch (a->spec.pick) {
    case RC_AUDIENCE_RANDOM:
    case RC_AUDIENCE_COMMUNITY:
        draw_floyd(a->pool, a->pool_size, k, r, b->members, b->bits);
        break;
    case RC_AUDIENCE_PREFERENTIAL:
        if (a->alias != NULL)
            draw_alias(a->alias, k, r, b->members, b->bits);
        else
            draw_es(a->g, k, r, b->heap, b->members, b->bits);
        break;
    case RC_AUDIENCE_TOP_FOLLOWERS:
    case RC_AUDIENCE_TOP_FOLLOWERS_IN_COMMUNITY:
        /* Fixed members (never redrawn by the engine); copied for callers that ask anyway. */
        memcpy(b->members, a->members, (size_t)k * sizeof *b->members);
        for (uint32_t i = 0; i < k; i++)
            bit_set(b->bits, b->members[i]);
        break;
    }
    b->count = k;
}

uint32_t rc_audience_first_hop(const rc_audience_t *a, const uint32_t *members, gsl_rng *r,
                               uint32_t *out)
{
    const double e = a->spec.engagement;
    const uint32_t size = a->size;
    if (!(e > 0.0))
        return 0;
    if (e >= 1.0) {
        memcpy(out, members, (size_t)size * sizeof *out);
        return size;
    }
    /* Gaps between resharers are geometric: floor(log U / log(1 - e)) non-resharers each. A
     * double index cannot overflow however tiny e is (an infinite gap ends the loop). */
    uint32_t got = 0;
    double i = floor(log(rc_rng_uniform_pos(r)) * a->inv_log_q);
    while (i < (double)size) {
        out[got++] = members[(uint32_t)i];
        i += 1.0 + floor(log(rc_rng_uniform_pos(r)) * a->inv_log_q);
    }
    return got;
}
