/* Marked self-exciting (Hawkes) reshare process in the spirit of SEISMIC (Zhao et al. 2015) and
 * marked-Hawkes popularity models: a reshare by a user with d followers causes Poisson(kappa d^beta)
 * further reshares, at delays from the memory kernel. Follower counts (the marks) come from a
 * distribution, or from the network: a reshare is then by a random follower of the user it came
 * from. A hard size cap stops supercritical runs (branching ratio n* > 1) and flags them. */
#include "rtcascade/heap.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"
#include "timed.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum hk_marks {
    HK_POWER_LAW = 0, /* density ~ d^-exponent on [min, max] (max may be infinite) */
    HK_LOGNORMAL = 1, /* log d ~ Normal(mu, sigma) */
    HK_NETWORK = 2    /* a random follower of the parent in the graph; d = its out-degree */
} hk_marks_t;

static const char *const hk_mark_names[] = {"power_law", "lognormal", NULL};
static const char *const hk_seed_names[] = {"graph", "draw", NULL};

typedef struct hk_params {
    double kappa;        /* reshares per (follower count)^beta */
    double beta;         /* exponent of the follower count, >= 0 */
    rc_delay_t delay;    /* memory kernel */
    hk_marks_t marks;    /* where follower counts come from */
    double exponent;     /* power law: density exponent */
    double d_min, d_max; /* power law: support (d_max = INFINITY for none) */
    double q, c1;        /* power law sampler: q = 1 - exponent, c1 = (d_max/d_min)^q - 1 */
    double mu, sigma;    /* lognormal */
    int seed_draw;       /* 1: seeds' follower counts are drawn too; 0: their out-degree */
    uint32_t max_size;   /* hard cap on reshares (seeds included) */
    double horizon;      /* reshares later than this are dropped; INFINITY = none */
} hk_params_t;

/* SEISMIC's fitted kernel for Twitter (Zhao et al. 2015): flat for 5 minutes, theta = 0.242. */
static const rc_delay_t hk_default_delay = {RC_DELAY_POWER_LAW, 300.0, 0.242, 0.242 / 1.242};
/* Poisson means above this are clamped (a billion direct reshares is past any cap). */
#define HK_MAX_MEAN 1e9

static const rc_param_doc_t hk_docs[] = {
    {"kappa", "0.05", "reshares caused per (follower count)^beta, > 0; branching ratio n* = kappa "
                      "E[d^beta]: subcritical below 1 (the defaults give n* = 0.75)"},
    {"beta", "0.5", "exponent >= 0 of the follower count d in the Poisson(kappa d^beta) reshares "
                    "a reshare causes"},
    {"delay", "{distribution: power_law, s0: 300, theta: 0.242}",
     "memory kernel in seconds, as for continuous_cascade (exponential, lognormal, weibull, "
     "power_law); the default is SEISMIC's fit to Twitter"},
    {"followers", "{distribution: lognormal, mu: 4.6, sigma: 1.8}",
     "follower count d of each resharer: {distribution: power_law, exponent: a, min: > 0, max: "
     "(optional, default none)} (density ~ d^-a, real-valued) | {distribution: lognormal, mu, "
     "sigma > 0} | network (a reshare is by a uniformly random follower of the parent in the "
     "graph, d = its out-degree; a follower who already reshared is skipped). With a "
     "distribution, reach = seeds + the sum of d over all resharers (potential impressions, "
     "repeats counted); with network, the distinct users shown the post"},
    {"seed_followers", "graph",
     "the seeds' d: graph (their out-degree in the network) or draw (from followers)"},
    {"max_size", "1000000",
     "hard cap on reshares (seeds included), >= 1, and at most the network's node count (the "
     "per-thread workspace holds one entry per node); a run that reaches it is flagged capped"},
    {"horizon", "none (infinite)", "observation window in seconds (> 0): later reshares are dropped"},
    {NULL, NULL, NULL},
};

/* A number > 0 at key (default def when absent). */
static rc_status_t hk_positive(const rc_cfg_t *map, const char *key, double def, double *out)
{
    rc_status_t status = RC_OK;
    RC_TRY(rc_cfg_double(map, key, def, 0.0, DBL_MAX, out));
    if (*out <= 0.0)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.%s: expected a number > 0, got %g",
                rc_cfg_where(rc_cfg_get(map, key)), rc_cfg_path(map), key, *out);
cleanup:
    return status;
}

static rc_status_t hk_parse_followers(const rc_cfg_t *node, hk_params_t *p)
{
    rc_status_t status = RC_OK;
    static const char *const pl_keys[] = {"distribution", "exponent", "min", "max", NULL};
    static const char *const ln_keys[] = {"distribution", "mu", "sigma", NULL};
    if (rc_cfg_kind(node) == RC_CFG_SCALAR) {
        const char *text = rc_cfg_text(node);
        if (text == NULL || strcmp(text, "network") != 0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected 'network' or a map like {distribution: "
                    "lognormal, mu: 4.6, sigma: 1.8}, got '%s'", rc_cfg_where(node),
                    rc_cfg_path(node), text ? text : "");
        p->marks = HK_NETWORK;
        goto cleanup;
    }
    if (rc_cfg_kind(node) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected 'network' or a map like {distribution: "
                "lognormal, mu: 4.6, sigma: 1.8}", rc_cfg_where(node), rc_cfg_path(node));
    RC_TRY(rc_cfg_require(node, "distribution"));
    int kind = 0;
    RC_TRY(rc_cfg_choice(node, "distribution", hk_mark_names, 0, &kind));
    p->marks = (hk_marks_t)kind;
    if (p->marks == HK_POWER_LAW) {
        RC_TRY(rc_cfg_check_keys(node, pl_keys));
        RC_TRY(rc_cfg_require(node, "exponent"));
        RC_TRY(rc_cfg_require(node, "min"));
        RC_TRY(rc_cfg_double(node, "exponent", 2.0, -100.0, 100.0, &p->exponent));
        RC_TRY(hk_positive(node, "min", 1.0, &p->d_min));
        RC_TRY(rc_cfg_double(node, "max", INFINITY, 0.0, DBL_MAX, &p->d_max));
        if (!(p->d_max > p->d_min))
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.max: expected a number > min (%g), got %g",
                    rc_cfg_where(rc_cfg_get(node, "max")), rc_cfg_path(node), p->d_min,
                    p->d_max);
        if (isinf(p->d_max) && p->exponent <= 1.0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.exponent: without max, a power law needs an exponent "
                    "> 1 to be a distribution, got %g", rc_cfg_where(rc_cfg_get(node, "exponent")),
                    rc_cfg_path(node), p->exponent);
        p->q = 1.0 - p->exponent;
        p->c1 = isinf(p->d_max) ? -1.0 : expm1(p->q * log(p->d_max / p->d_min));
    } else {
        RC_TRY(rc_cfg_check_keys(node, ln_keys));
        RC_TRY(rc_cfg_require(node, "mu"));
        RC_TRY(rc_cfg_require(node, "sigma"));
        RC_TRY(rc_cfg_double(node, "mu", 0.0, -700.0, 700.0, &p->mu));
        RC_TRY(hk_positive(node, "sigma", 1.0, &p->sigma));
    }
cleanup:
    return status;
}

/* E[d^s] of the follower distribution (not for network marks). */
static double hk_moment(const hk_params_t *p, double s)
{
    if (p->marks == HK_LOGNORMAL)
        return exp(s * p->mu + 0.5 * s * s * p->sigma * p->sigma);
    /* I(q) = int_min^max x^(q-1) dx; E[d^s] = I(q + s) / I(q) with q = 1 - exponent. */
    const double a = p->d_min, L = log(p->d_max / p->d_min);
    double num, den;
    const double qs[2] = {p->q + s, p->q};
    double *outs[2] = {&num, &den};
    for (int k = 0; k < 2; k++) {
        double q = qs[k];
        if (isinf(p->d_max))
            *outs[k] = q < 0.0 ? -pow(a, q) / q : INFINITY;
        else if (fabs(q) * L < 1e-12)
            *outs[k] = pow(a, q) * L;
        else
            *outs[k] = pow(a, q) * expm1(q * L) / q;
    }
    return num / den;
}

static rc_status_t hk_parse(const rc_cfg_t *map, void **out)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"name",           "kappa",    "beta",    "delay", "followers",
                                       "seed_followers", "max_size", "horizon", NULL};
    hk_params_t *p = calloc(1, sizeof *p);
    RC_ALLOC_CHECK(p, "Hawkes parameters");
    RC_TRY(rc_cfg_check_keys(map, keys));
    RC_TRY(hk_positive(map, "kappa", 0.05, &p->kappa));
    RC_TRY(rc_cfg_double(map, "beta", 0.5, 0.0, 10.0, &p->beta));
    RC_TRY(rc_delay_parse(map, "delay", &hk_default_delay, &p->delay));
    p->marks = HK_LOGNORMAL;
    p->mu = 4.6;
    p->sigma = 1.8;
    const rc_cfg_t *fol = rc_cfg_get(map, "followers");
    if (fol != NULL)
        RC_TRY(hk_parse_followers(fol, p));
    if (p->marks == HK_POWER_LAW && isinf(p->d_max) && p->exponent <= 1.0 + p->beta)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.followers: E[d^beta] is infinite for a power law with "
                "exponent %g <= 1 + beta (%g) and no max; give max or a larger exponent",
                rc_cfg_where(fol), rc_cfg_path(map), p->exponent, 1.0 + p->beta);
    int seed = 0;
    RC_TRY(rc_cfg_choice(map, "seed_followers", hk_seed_names, 0, &seed));
    p->seed_draw = seed == 1;
    if (p->seed_draw && p->marks == HK_NETWORK)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.seed_followers: draw needs a followers distribution; "
                "with followers: network the seeds' out-degrees are used",
                rc_cfg_where(rc_cfg_get(map, "seed_followers")), rc_cfg_path(map));
    RC_TRY(rc_cfg_uint32(map, "max_size", 1000000, 1, RC_MAX_NODES, &p->max_size));
    RC_TRY(hk_positive(map, "horizon", INFINITY, &p->horizon));
    *out = p;
    p = NULL;
cleanup:
    free(p);
    return status;
}

static void hk_free_params(void *params)
{
    free(params);
}

double rc_hawkes_branching_ratio(const void *params, const rc_graph_t *g)
{
    const hk_params_t *p = params;
    if (p == NULL)
        return NAN;
    if (p->marks != HK_NETWORK)
        return p->kappa * hk_moment(p, p->beta);
    if (g == NULL)
        return NAN;
    if (g->m == 0)
        return 0.0;
    /* Over edges u -> v: the follower v has out-degree d_v and is the target of in-degree(v)
     * edges. A node without followers causes nothing (0^0 counts as 0 here, as in runs). */
    double sum = 0.0;
    for (uint32_t v = 0; v < g->n; v++) {
        uint64_t d = rc_graph_out_degree(g, v);
        if (d > 0)
            sum += (double)rc_graph_in_degree(g, v) * pow((double)d, p->beta);
    }
    return p->kappa * sum / (double)g->m;
}

/* Entries of the per-adopter arrays. The cascade lives in the workspace, whose arrays (and the
 * engine's metric scratch) hold one entry per graph node, so even with follower distributions a
 * cascade stops at the network's size. */
static uint32_t hk_capacity(const hk_params_t *p, const rc_graph_t *g)
{
    return g->n < p->max_size ? g->n : p->max_size;
}

/* Per adopter: survival value of its last scheduled child's delay and the children still to
 * schedule. */
static size_t hk_state_size(const void *params, const rc_graph_t *g)
{
    return (size_t)hk_capacity(params, g) * (sizeof(double) + sizeof(uint32_t));
}

static inline double hk_draw_followers(const hk_params_t *p, gsl_rng *r)
{
    if (p->marks == HK_LOGNORMAL)
        return exp(p->mu + gsl_ran_gaussian_ziggurat(r, p->sigma));
    double u = rc_rng_uniform(r);
    if (fabs(p->q) < 1e-12)
        return p->d_min * exp(u * log(p->d_max / p->d_min));
    return p->d_min * pow(1.0 + u * p->c1, 1.0 / p->q);
}

/* The working set of one run. */
typedef struct hk_run {
    const hk_params_t *p;
    gsl_rng *r;
    rc_heap_t *heap;
    double *w;        /* per adopter: survival of its last scheduled child's delay */
    uint32_t *rem;    /* per adopter: children still to schedule */
    double *time;     /* per adopter: reshare time */
} hk_run_t;

/* Pushes adopter i's next child, if any. A child's delays are drawn in increasing order (the
 * largest of k uniform survivals is U^(1/k), the next one below it the same on [0, previous]),
 * so each adopter holds at most one event in the heap however many children it has, and the
 * first delay past the horizon drops all the rest. */
static rc_status_t hk_schedule(hk_run_t *k, uint32_t i)
{
    if (k->rem[i] == 0)
        return RC_OK;
    k->w[i] *= pow(rc_rng_uniform_pos(k->r), 1.0 / (double)k->rem[i]);
    k->rem[i]--;
    double t = k->time[i] + rc_delay_from_survival(&k->p->delay, k->w[i]);
    if (!(t <= k->p->horizon)) { /* also drops delays that overflowed to infinity */
        k->rem[i] = 0;
        return RC_OK;
    }
    return rc_heap_push(k->heap, t, RC_NO_NODE, i);
}

/* Draws how many reshares adopter i (with d followers) causes and schedules the first. */
static rc_status_t hk_start(hk_run_t *k, uint32_t i, double d)
{
    double mean = d > 0.0 ? k->p->kappa * pow(d, k->p->beta) : 0.0;
    if (mean > HK_MAX_MEAN)
        mean = HK_MAX_MEAN;
    k->rem[i] = mean > 0.0 ? gsl_ran_poisson(k->r, mean) : 0;
    k->w[i] = 1.0;
    return hk_schedule(k, i);
}

static rc_status_t hk_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = ctx->graph;
    const hk_params_t *p = ctx->params;
    const int network = p->marks == HK_NETWORK;
    const uint32_t capacity = hk_capacity(p, g);
    const uint32_t epoch = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict slot = ws->slot;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    uint32_t cap = capacity;
    if (ctx->max_size != 0 && ctx->max_size < cap)
        cap = ctx->max_size;
    if (ws->model_state == NULL || ws->model_state_size < hk_state_size(p, g))
        return rc_error(RC_ERR_INTERNAL, "hawkes: the workspace has %zu bytes of model state, "
                        "%zu needed", ws->model_state_size, hk_state_size(p, g));

    /* Model state: the doubles first, so both arrays stay aligned. */
    hk_run_t k = {.p = p, .r = r, .heap = ws->heap, .time = ws->time};
    k.w = ws->model_state;
    k.rem = (uint32_t *)(k.w + capacity);
    uint32_t *restrict node = ws->adopted;
    uint32_t *restrict parent = ws->parent;
    uint32_t *restrict gen = ws->generation;

    /* Audience members were shown the post by its author and count in reach from the start;
     * the author's Poisson offspring are replaced by the resharers the engine drew from them. */
    const uint64_t *aud = ctx->audience_bits;
    uint32_t size = 0;
    uint64_t reach = ctx->audience_size;
    double impressions = 0.0; /* follower-distribution reach: the sum of d over adopters */
    int capped = 0;

/* Network marks: shows the post to u's followers (for reach; stamp/slot as in the other models:
 * slot == RC_NO_PARENT is shown, otherwise the index in the adopter list). */
#define HK_SHOW_FOLLOWERS(u)                                                                       \
    do {                                                                                           \
        for (uint64_t e_ = off[u]; e_ < off[(u) + 1]; e_++) {                                      \
            uint32_t f_ = nbr[e_];                                                                 \
            if (stamp[f_] != epoch) {                                                              \
                stamp[f_] = epoch;                                                                 \
                slot[f_] = RC_NO_PARENT;                                                           \
                reach += 1u ^ rc_audience_has(aud, f_);                                            \
            }                                                                                      \
        }                                                                                          \
    } while (0)

    rc_heap_clear(k.heap);
    for (uint32_t s = 0; s < n_seeds; s++) {
        uint32_t v = seeds[s];
        if (stamp[v] == epoch && slot[v] != RC_NO_PARENT)
            continue; /* a repeated seed adopts once */
        double t0 = 0.0;
        if (aud != NULL) {
            /* A first-hop resharer reshares the author's post (time 0) after a delay from the
             * memory kernel, and not at all past the horizon. */
            t0 = rc_delay_sample(&p->delay, r);
            if (!(t0 <= p->horizon))
                continue;
        }
        if (size >= cap) {
            capped = 1;
            break;
        }
        if (stamp[v] != epoch) {
            stamp[v] = epoch;
            reach += 1u ^ rc_audience_has(aud, v);
        }
        slot[v] = size;
        node[size] = v;
        parent[size] = RC_NO_PARENT;
        gen[size] = 0;
        k.time[size] = t0;
        double d = p->seed_draw ? hk_draw_followers(p, r) : (double)rc_graph_out_degree(g, v);
        if (network)
            HK_SHOW_FOLLOWERS(v);
        else
            impressions += d;
        RC_TRY(hk_start(&k, size, d));
        size++;
    }
    const uint32_t seeds_kept = size;

    /* With follower distributions a reshare is by someone outside the graph: node[] then holds
     * the adopter's own index as a stand-in id (in [0, n), so per-node lookups stay safe). */
    rc_event_t ev;
    while (rc_heap_pop(k.heap, &ev)) {
        const uint32_t i = ev.parent;
        uint32_t child = size;
        if (network) {
            const uint32_t u = node[i];
            child = nbr[off[u] + rc_rng_below64(r, off[u + 1] - off[u])];
            if (slot[child] != RC_NO_PARENT) {
                RC_TRY(hk_schedule(&k, i)); /* already reshared: this one comes to nothing */
                continue;
            }
        }
        if (size >= cap) {
            capped = 1;
            break;
        }
        double d;
        if (network) {
            slot[child] = size;
            HK_SHOW_FOLLOWERS(child);
            d = (double)rc_graph_out_degree(g, child);
        } else {
            d = hk_draw_followers(p, r);
            impressions += d;
        }
        node[size] = child;
        parent[size] = i;
        gen[size] = gen[i] + 1;
        k.time[size] = ev.time;
        RC_TRY(hk_start(&k, size, d));
        size++;
        RC_TRY(hk_schedule(&k, i));
    }
#undef HK_SHOW_FOLLOWERS

    if (!network)
        reach = (aud != NULL ? ctx->audience_size : seeds_kept) + (uint64_t)llround(impressions);
    rc_cascade_finish(out, ws, size, seeds_kept, 1, reach, capped, aud != NULL);
cleanup:
    return status;
}

const rc_model_t rc_model_hawkes = {
    .name = "hawkes",
    .summary = "marked self-exciting process (SEISMIC-style): a reshare by a user with d "
               "followers causes Poisson(kappa d^beta) more after kernel delays",
    .params = hk_docs,
    .timed = 1,
    .parse = hk_parse,
    .free_params = hk_free_params,
    .prepare = NULL,
    .free_shared = NULL,
    .state_size = hk_state_size,
    .run = hk_run,
};
