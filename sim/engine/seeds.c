/* Seed selection: who posts (or first reshares) the item in each run. Fixed strategies (an
 * explicit list, the top accounts by followers) are resolved once per graph; random ones are
 * drawn in every run from the run's own stream, so seeds too are reproducible per run. */
#include "rtcascade/engine.h"
#include "rtcascade/greedy.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_randist.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_seed_strategy_names[] = {"random", "list", "top_followers", "community",
                                              "top_fraction", "degree_discount", "greedy",
                                              "high_degree", "by_followers", NULL};

void rc_seeds_clear(rc_seed_spec_t *spec)
{
    if (spec == NULL)
        return;
    free(spec->nodes);
    spec->nodes = NULL;
}

void rc_seeds_default(rc_seed_spec_t *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->strategy = RC_SEEDS_RANDOM;
    spec->count = 1;
    spec->p = 0.01;
    spec->greedy_runs = RC_GREEDY_DEFAULT_RUNS;
    spec->offset = 1.0;
    snprintf(spec->where, sizeof spec->where, "seeds");
}

void rc_seed_plan_free(rc_seed_plan_t *plan)
{
    if (plan == NULL)
        return;
    free(plan->fixed);
    free(plan->pool);
    if (plan->alias != NULL)
        gsl_ran_discrete_free(plan->alias);
    free(plan);
}

typedef struct id_pos {
    uint64_t id;  /* account id as given */
    uint32_t pos; /* its position in the list */
} id_pos_t;

static int id_pos_cmp(const void *a, const void *b)
{
    const id_pos_t *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int degree_desc_cmp(const void *a, const void *b)
{
    const id_pos_t *x = a, *y = b;
    if (x->id != y->id)
        return x->id > y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* List seeds: one pass over the nodes with a binary search in the sorted list, O(n log k). */
static rc_status_t resolve_list(const rc_seed_spec_t *spec, const rc_graph_t *g, uint32_t *fixed)
{
    rc_status_t status = RC_OK;
    uint32_t k = spec->count;
    id_pos_t *sorted = malloc((size_t)k * sizeof *sorted);
    RC_ALLOC_CHECK(sorted, "the sorted seed list");
    for (uint32_t i = 0; i < k; i++) {
        sorted[i].id = spec->nodes[i];
        sorted[i].pos = i;
        fixed[i] = RC_NO_NODE;
    }
    qsort(sorted, k, sizeof *sorted, id_pos_cmp);
    for (uint32_t i = 1; i < k; i++)
        if (sorted[i].id == sorted[i - 1].id)
            RC_FAIL(RC_ERR_CONFIG, "%s.nodes: account %" PRIu64 " is listed twice", spec->where,
                    sorted[i].id);
    if (g->orig_id == NULL) {
        for (uint32_t i = 0; i < k; i++) {
            if (spec->nodes[i] >= g->n)
                RC_FAIL(RC_ERR_CONFIG, "%s.nodes: node %" PRIu64 " does not exist (the network "
                        "has nodes 0..%u and no original ids)", spec->where, spec->nodes[i],
                        g->n - 1);
            fixed[i] = (uint32_t)spec->nodes[i];
        }
        goto cleanup;
    }
    for (uint32_t v = 0; v < g->n; v++) {
        id_pos_t key = {g->orig_id[v], 0};
        id_pos_t *hit = bsearch(&key, sorted, k, sizeof *sorted, id_pos_cmp);
        if (hit != NULL)
            fixed[hit->pos] = v;
    }
    for (uint32_t i = 0; i < k; i++)
        if (fixed[i] == RC_NO_NODE)
            RC_FAIL(RC_ERR_CONFIG, "%s.nodes: no account with id %" PRIu64 " in the network",
                    spec->where, spec->nodes[i]);
cleanup:
    free(sorted);
    return status;
}

/* Top-k by out-degree in O(n + max degree): a degree histogram gives the cut-off degree, then
 * one pass collects the nodes above it and the lowest-index ones at it. */
static rc_status_t resolve_top(const rc_graph_t *g, uint32_t k, uint32_t *fixed)
{
    rc_status_t status = RC_OK;
    uint64_t maxd = 0;
    uint32_t *hist = NULL;
    id_pos_t *pairs = NULL; /* (degree, node) */
    for (uint32_t v = 0; v < g->n; v++) {
        uint64_t d = rc_graph_out_degree(g, v);
        if (d > maxd)
            maxd = d;
    }
    hist = calloc(maxd + 1, sizeof *hist);
    RC_ALLOC_CHECK(hist, "a degree histogram");
    for (uint32_t v = 0; v < g->n; v++)
        hist[rc_graph_out_degree(g, v)]++;
    uint64_t cut = maxd, above = 0; /* above: nodes with degree > cut */
    while (above + hist[cut] < k) {
        above += hist[cut];
        cut--; /* cannot pass 0: k <= n = sum of hist */
    }
    uint32_t at_cut = (uint32_t)(k - above), got = 0;
    for (uint32_t v = 0; v < g->n; v++) {
        uint64_t d = rc_graph_out_degree(g, v);
        if (d > cut || (d == cut && at_cut > 0)) {
            if (d == cut)
                at_cut--;
            fixed[got++] = v;
        }
    }
    /* Most followers first, ties by index. */
    pairs = malloc((size_t)got * sizeof *pairs);
    RC_ALLOC_CHECK(pairs, "the top seeds");
    for (uint32_t i = 0; i < got; i++) {
        pairs[i].id = rc_graph_out_degree(g, fixed[i]);
        pairs[i].pos = fixed[i];
    }
    qsort(pairs, got, sizeof *pairs, degree_desc_cmp);
    for (uint32_t i = 0; i < got; i++)
        fixed[i] = pairs[i].pos;
cleanup:
    free(hist);
    free(pairs);
    return status;
}

/* Seeds drawn in proportion to followers + offset (a "seeds weighted by follower count" model
 * of who posts: a random account, more likely a popular one). Each run draws its `count`
 * distinct seeds by rejection from one alias table: a draw of an account already chosen is
 * drawn again, which conditioned on acceptance is proportional to the weights left (successive
 * sampling). The expected number of draws per run is at most count W / (W - w_top), w_top the
 * weight of the count - 1 heaviest accounts and W the total; the strategy is refused when that
 * is above RC_SEEDS_MAX_REJECTION times count (or infinite: too few accounts with weight). */
#define RC_SEEDS_MAX_REJECTION 100.0
static rc_status_t resolve_by_followers(const rc_seed_spec_t *spec, const rc_graph_t *g,
                                        rc_seed_plan_t *plan)
{
    rc_status_t status = RC_OK;
    double *w = NULL;
    uint32_t *top = NULL;
    w = malloc(((size_t)g->n + 1) * sizeof *w);
    RC_ALLOC_CHECK(w, "the seeds' weights");
    double total = 0.0, heavy = 0.0;
    for (uint32_t v = 0; v < g->n; v++) {
        w[v] = (double)rc_graph_out_degree(g, v) + spec->offset;
        total += w[v];
    }
    if (spec->count > 1) {
        top = malloc((size_t)spec->count * sizeof *top);
        RC_ALLOC_CHECK(top, "the seeds' weights");
        RC_TRY(resolve_top(g, spec->count - 1, top));
        for (uint32_t i = 0; i + 1 < spec->count; i++)
            heavy += w[top[i]];
    }
    if (!(total > 0.0) || !(total - heavy > total / RC_SEEDS_MAX_REJECTION))
        RC_FAIL(RC_ERR_CONFIG, "%s: strategy: by_followers with count %u: the %u most-followed "
                "accounts hold %.4g of the total weight %.4g (followers + offset %g), so drawing "
                "%u distinct seeds in proportion to it is %s; lower count, raise offset or use "
                "top_followers", spec->where, spec->count, spec->count - 1, heavy, total,
                spec->offset, spec->count,
                total - heavy > 0.0 ? "too slow by rejection" : "impossible");
    plan->alias = gsl_ran_discrete_preproc(g->n, w);
    RC_ALLOC_CHECK(plan->alias, "the seeds' alias table");
cleanup:
    free(w);
    free(top);
    return status;
}

rc_status_t rc_seeds_resolve(const rc_seed_spec_t *spec, const rc_graph_t *g,
                             rc_seed_plan_t **out)
{
    rc_status_t status = RC_OK;
    *out = NULL;
    rc_seed_plan_t *plan = calloc(1, sizeof *plan);
    RC_ALLOC_CHECK(plan, "a seed plan");
    plan->strategy = spec->strategy;
    plan->count = spec->count;
    plan->pool_size = g->n;
    if (spec->count > g->n)
        RC_FAIL(RC_ERR_CONFIG, "%s.count: %u seeds asked for but the network has only %u nodes",
                spec->where, spec->count, g->n);
    switch (spec->strategy) {
    case RC_SEEDS_RANDOM:
        break;
    case RC_SEEDS_LIST:
        plan->fixed = malloc((size_t)spec->count * sizeof *plan->fixed);
        RC_ALLOC_CHECK(plan->fixed, "the seed list");
        RC_TRY(resolve_list(spec, g, plan->fixed));
        break;
    case RC_SEEDS_TOP_FOLLOWERS:
    case RC_SEEDS_HIGH_DEGREE:
        plan->fixed = malloc((size_t)spec->count * sizeof *plan->fixed);
        RC_ALLOC_CHECK(plan->fixed, "the seed list");
        RC_TRY(resolve_top(g, spec->count, plan->fixed));
        break;
    case RC_SEEDS_DEGREE_DISCOUNT:
    case RC_SEEDS_GREEDY: /* greedy: placeholders, filled by rc_mc_run with the model */
        plan->fixed = malloc((size_t)spec->count * sizeof *plan->fixed);
        RC_ALLOC_CHECK(plan->fixed, "the seed list");
        RC_TRY(rc_seeds_resolve_influence(spec, g, plan->fixed));
        break;
    case RC_SEEDS_COMMUNITY: {
        if (g->community == NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s.strategy: community needs a network with communities "
                    "(e.g. generator: dcsbm)", spec->where);
        if (spec->community >= g->n_communities)
            RC_FAIL(RC_ERR_CONFIG, "%s.community: %u does not exist (the network has "
                    "communities 0..%u)", spec->where, spec->community, g->n_communities - 1);
        uint32_t members = 0;
        for (uint32_t v = 0; v < g->n; v++)
            members += g->community[v] == spec->community;
        if (members < spec->count)
            RC_FAIL(RC_ERR_CONFIG, "%s.count: %u seeds asked for but community %u has only %u "
                    "members", spec->where, spec->count, spec->community, members);
        plan->pool = malloc(((size_t)members + 1) * sizeof *plan->pool);
        RC_ALLOC_CHECK(plan->pool, "the community's member list");
        plan->pool_size = 0;
        for (uint32_t v = 0; v < g->n; v++)
            if (g->community[v] == spec->community)
                plan->pool[plan->pool_size++] = v;
        break;
    }
    case RC_SEEDS_BY_FOLLOWERS:
        RC_TRY(resolve_by_followers(spec, g, plan));
        break;
    case RC_SEEDS_TOP_FRACTION: {
        /* ceil(fraction n); the relative nudge keeps e.g. 0.1 x 1000 at 100 whatever the
         * rounding of the product. */
        double want = ceil(spec->fraction * (double)g->n * (1.0 - 1e-12));
        uint32_t m = want < 1.0 ? 1 : want > (double)g->n ? g->n : (uint32_t)want;
        if (m < spec->count)
            RC_FAIL(RC_ERR_CONFIG, "%s.count: %u seeds asked for but the top %g of the network "
                    "holds only %u nodes", spec->where, spec->count, spec->fraction, m);
        plan->pool = malloc((size_t)m * sizeof *plan->pool);
        RC_ALLOC_CHECK(plan->pool, "the top nodes");
        RC_TRY(resolve_top(g, m, plan->pool));
        plan->pool_size = m;
        break;
    }
    }
    *out = plan;
    plan = NULL;
cleanup:
    rc_seed_plan_free(plan);
    return status;
}

void rc_seeds_draw(const rc_seed_plan_t *plan, gsl_rng *r, rc_workspace_t *ws, uint32_t *out)
{
    const uint32_t k = plan->count, n = plan->pool_size;
    if (plan->fixed != NULL) {
        memcpy(out, plan->fixed, (size_t)k * sizeof *out);
        return;
    }
    if (plan->alias != NULL) { /* by_followers: successive sampling, stamps mark the drawn */
        rc_workspace_next_run(ws);
        const uint32_t epoch = ws->epoch;
        uint32_t *stamp = ws->stamp;
        uint32_t got = 0;
        while (got < k) {
            uint32_t v = (uint32_t)gsl_ran_discrete(r, plan->alias);
            if (stamp[v] == epoch)
                continue;
            stamp[v] = epoch;
            out[got++] = v;
        }
        return;
    }
    if (k == 1) { /* Floyd's algorithm for k = 1: its one draw, nothing to mark */
        uint32_t t = rc_rng_below(r, n);
        out[0] = plan->pool != NULL ? plan->pool[t] : t;
        return;
    }
    rc_workspace_next_run(ws);
    const uint32_t epoch = ws->epoch;
    uint32_t *stamp = ws->stamp;
    uint32_t got = 0;
    /* Floyd's algorithm: a uniform k-subset of [0, n) in exactly k draws. Stamps mark the
     * chosen indices (pool positions for a community). */
    for (uint32_t j = n - k; j < n; j++) {
        uint32_t t = rc_rng_below(r, j + 1);
        if (stamp[t] == epoch)
            t = j;
        stamp[t] = epoch;
        out[got++] = t;
    }
    if (plan->pool != NULL)
        for (uint32_t i = 0; i < k; i++)
            out[i] = plan->pool[out[i]];
}
