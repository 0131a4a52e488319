/* Per-run metrics of a cascade tree: retweets, reach, depth, breadth per generation, structural
 * virality in O(size) from subtree sizes, and for timed models the final time and the times to
 * 50% and 90% of the final size. Definitions are those of DESIGN.md and docs/models.md. */
#include "rtcascade/engine.h"

#include <math.h>
#include <stdlib.h>

const char *const rc_metric_names[RC_N_METRICS] = {
    "retweets", "reach", "depth", "max_breadth", "virality", "final_time", "t50", "t90",
};

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Structural virality: the sum over tree edges of s * (N - s), s the size of the subtree below
 * the edge, is the sum of distances over all unordered pairs (each pair's path crosses exactly
 * the edges that separate it), so the mean is that sum / C(N, 2). Several seeds are children of
 * a virtual root (the post), which is then one more node; so are an author's resharers however
 * many there are. */
static double virality(const rc_cascade_t *c, uint32_t *sub)
{
    const uint32_t size = c->size;
    const int rooted = c->rooted || c->n_seeds > 1;
    const uint64_t nn = (uint64_t)size + (rooted ? 1 : 0);
    if (nn < 2)
        return 0.0;
    for (uint32_t i = 0; i < size; i++)
        sub[i] = 1;
    /* Children come after their parents, so one backward sweep completes every subtree. */
    for (uint32_t i = size; i-- > c->n_seeds;)
        sub[c->parent[i]] += sub[i];
    unsigned __int128 total = 0;
    for (uint32_t i = rooted ? 0 : 1; i < size; i++)
        total += (unsigned __int128)sub[i] * (nn - sub[i]);
    return (double)total / ((double)nn * (double)(nn - 1) / 2.0);
}

rc_status_t rc_metrics_compute(const rc_cascade_t *c, const rc_graph_t *g,
                               uint64_t global_threshold, uint32_t *sub, uint32_t *gen_count,
                               double *tscratch, rc_run_metrics_t *m)
{
    const uint32_t size = c->size, ns = c->n_seeds;
    if (ns > size)
        return rc_error(RC_ERR_INTERNAL, "cascade has %u seeds but only %u adopters", ns, size);
    /* A rooted cascade's seeds reshared the author's post: they are retweets, generation 1. */
    const uint32_t shift = c->rooted ? 1 : 0;
    m->size = size;
    m->retweets = c->rooted ? size : size - ns;
    m->reach = c->reach;
    m->capped = c->capped != 0;
    m->global = global_threshold > 0 && size >= global_threshold;

    /* One pass: the tree's order, the deepest generation and the adopters' out-edges (those the
     * model did not hand over already). */
    uint32_t depth = 0;
    const uint32_t known = c->degrees_read < size ? c->degrees_read : size;
    uint64_t edges = c->out_degrees;
    for (uint32_t i = 0; i < size; i++) {
        uint32_t p = c->parent[i];
        if (i < ns ? p != RC_NO_PARENT : p >= i)
            return rc_error(RC_ERR_INTERNAL, "cascade adopter %u (node %u) has parent index %u: "
                            "seeds must come first and parents before their children", i,
                            c->node[i], p);
        if (c->generation[i] > depth)
            depth = c->generation[i];
        /* adopters outside the graph (RC_NO_NODE stand-ins) examined no edge */
        if (g != NULL && i >= known && c->node[i] < g->n)
            edges += rc_graph_out_degree(g, c->node[i]);
    }
    m->edges = g != NULL ? edges : 0;
    if (size > 0)
        depth += shift;
    m->depth = depth;
    for (uint32_t k = 0; k <= depth; k++)
        gen_count[k] = 0;
    for (uint32_t i = 0; i < size; i++)
        gen_count[c->generation[i] + shift]++;
    m->max_breadth = 0;
    for (uint32_t k = 1; k <= depth; k++)
        if (gen_count[k] > m->max_breadth)
            m->max_breadth = gen_count[k];
    if (size == 0)
        gen_count[0] = 0;

    m->virality = virality(c, sub);

    m->final_time = m->t50 = m->t90 = NAN;
    if (c->time != NULL && size > 0) {
        const double *t = c->time;
        int sorted = 1;
        for (uint32_t i = 1; i < size && sorted; i++)
            sorted = t[i] >= t[i - 1];
        if (!sorted) {
            for (uint32_t i = 0; i < size; i++)
                tscratch[i] = t[i];
            qsort(tscratch, size, sizeof *tscratch, double_cmp);
            t = tscratch;
        }
        /* The k-th adoption in time order with k = ceil(f * size), seeds included. */
        uint64_t k50 = ((uint64_t)size + 1) / 2, k90 = (9 * (uint64_t)size + 9) / 10;
        m->final_time = t[size - 1];
        m->t50 = t[k50 - 1];
        m->t90 = t[k90 - 1];
    }
    return RC_OK;
}
