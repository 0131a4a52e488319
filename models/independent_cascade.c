/* Independent cascade (Kempe, Kleinberg & Tardos 2003): each new adopter gets one chance to make
 * each follower reshare. The edge probability is a constant p, the edge weight, 1/in-degree of the
 * follower (weighted cascade) or one of {0.1, 0.01, 0.001} per edge (trivalency), times an
 * optional per-follower engagement factor. Reach (distinct users shown the post) is counted in the
 * same pass, with the workspace stamps. */
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

typedef enum ic_probability {
    IC_CONSTANT = 0,         /* p on every edge */
    IC_WEIGHTS = 1,          /* the edge weight, which must lie in [0, 1] */
    IC_WEIGHTED_CASCADE = 2, /* 1 / in-degree of the follower */
    IC_TRIVALENCY = 3        /* uniform from {0.1, 0.01, 0.001}, fixed per edge for the point */
} ic_probability_t;

typedef enum ic_engagement {
    IC_ENG_CONSTANT = 0, /* every follower has the same factor `value` */
    IC_ENG_UNIFORM = 1,  /* uniform on [low, high] */
    IC_ENG_BETA = 2      /* Beta(a, b) */
} ic_engagement_t;

static const char *const ic_probability_names[] = {"constant", "weights", "weighted_cascade",
                                                   "trivalency", NULL};
static const char *const ic_engagement_names[] = {"constant", "uniform", "beta", NULL};

typedef struct ic_params {
    ic_probability_t probability; /* where edge probabilities come from */
    double p;                     /* constant edge probability */
    ic_engagement_t engagement;   /* distribution of the per-node factor */
    double eng_value;             /* constant factor (1 = no engagement effect) */
    double eng_low, eng_high;     /* uniform bounds */
    double eng_a, eng_b;          /* beta shapes */
    uint64_t seed;                /* stream of the per-point draws (trivalency, engagement) */
} ic_params_t;

/* Per-point data from prepare(), read-only while runs go. */
typedef struct ic_shared {
    const float *edge_p; /* per out-edge probability aligned with out_nbr, or NULL */
    float *owned_p;      /* edge_p when prepare() made it (trivalency) */
    float *engagement;   /* per-node factor, or NULL when it is 1 everywhere */
    double eng_max;      /* largest factor (1 without engagement) */
    double p_max;        /* constant path: p * eng_max, the thinning envelope */
    double inv_log_q;    /* constant path: 1 / log(1 - p_max) for geometric skips */
} ic_shared_t;

static const rc_param_doc_t ic_docs[] = {
    {"p", "0.1", "edge probability with probability: constant, in [0, 1]"},
    {"probability", "constant",
     "where edge probabilities come from: constant (p), weights (the network's edge weights, in "
     "[0, 1]), weighted_cascade (1/in-degree of the follower), trivalency (0.1, 0.01 or 0.001 "
     "per edge, drawn once per point)"},
    {"engagement", "1",
     "per-follower factor in [0, 1] multiplying the edge probability: a number, or {distribution: "
     "constant|uniform|beta, value:, low:, high:, a:, b:} drawn once per point"},
    {"seed", "1", "stream for the once-per-point draws (trivalency, engagement); not per run"},
    {NULL, NULL, NULL},
};

static rc_status_t ic_parse_engagement(const rc_cfg_t *node, ic_params_t *p)
{
    rc_status_t status = RC_OK;
    if (rc_cfg_kind(node) == RC_CFG_SCALAR) {
        p->engagement = IC_ENG_CONSTANT;
        RC_TRY(rc_cfg_as_double(node, 0.0, 1.0, &p->eng_value));
        goto cleanup;
    }
    static const char *const keys[] = {"distribution", "value", "low", "high", "a", "b", NULL};
    RC_TRY(rc_cfg_check_keys(node, keys));
    int dist = 0;
    RC_TRY(rc_cfg_choice(node, "distribution", ic_engagement_names, IC_ENG_CONSTANT, &dist));
    p->engagement = (ic_engagement_t)dist;
    RC_TRY(rc_cfg_double(node, "value", 1.0, 0.0, 1.0, &p->eng_value));
    RC_TRY(rc_cfg_double(node, "low", 0.0, 0.0, 1.0, &p->eng_low));
    RC_TRY(rc_cfg_double(node, "high", 1.0, 0.0, 1.0, &p->eng_high));
    RC_TRY(rc_cfg_double(node, "a", 1.0, 1e-9, 1e9, &p->eng_a));
    RC_TRY(rc_cfg_double(node, "b", 1.0, 1e-9, 1e9, &p->eng_b));
    if (p->engagement == IC_ENG_UNIFORM && p->eng_low > p->eng_high)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: low (%g) must not exceed high (%g)", rc_cfg_where(node),
                rc_cfg_path(node), p->eng_low, p->eng_high);
cleanup:
    return status;
}

static rc_status_t ic_parse(const rc_cfg_t *map, void **out)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"name", "p", "probability", "engagement", "seed", NULL};
    ic_params_t *p = calloc(1, sizeof *p);
    RC_ALLOC_CHECK(p, "independent cascade parameters");
    RC_TRY(rc_cfg_check_keys(map, keys));
    int prob = 0;
    RC_TRY(rc_cfg_choice(map, "probability", ic_probability_names, IC_CONSTANT, &prob));
    p->probability = (ic_probability_t)prob;
    RC_TRY(rc_cfg_double(map, "p", 0.1, 0.0, 1.0, &p->p));
    if (p->probability != IC_CONSTANT && rc_cfg_get(map, "p") != NULL)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.p applies only with probability: constant (got "
                "probability: %s)", rc_cfg_where(rc_cfg_get(map, "p")), rc_cfg_path(map),
                ic_probability_names[prob]);
    p->engagement = IC_ENG_CONSTANT;
    p->eng_value = 1.0;
    const rc_cfg_t *eng = rc_cfg_get(map, "engagement");
    if (eng != NULL)
        RC_TRY(ic_parse_engagement(eng, p));
    RC_TRY(rc_cfg_uint64(map, "seed", 1, 0, UINT64_MAX, &p->seed));
    *out = p;
    p = NULL;
cleanup:
    free(p);
    return status;
}

static void ic_free_params(void *params)
{
    free(params);
}

static void ic_free_shared(void *shared)
{
    ic_shared_t *s = shared;
    if (s == NULL)
        return;
    free(s->owned_p);
    free(s->engagement);
    free(s);
}

/* Stream ids of the per-point draws, apart from run streams (which use (point, run)). */
#define IC_STREAM_TRIVALENCY 0x7472697661ULL
#define IC_STREAM_ENGAGEMENT 0x656e676167ULL

static rc_status_t ic_prepare(const void *params, const rc_graph_t *g, void **out)
{
    rc_status_t status = RC_OK;
    const ic_params_t *p = params;
    gsl_rng *r = NULL;
    ic_shared_t *s = calloc(1, sizeof *s);
    RC_ALLOC_CHECK(s, "independent cascade point data");
    r = rc_rng_alloc();
    RC_ALLOC_CHECK(r, "a random generator");

    if (p->probability == IC_WEIGHTS) {
        if (g->out_w == NULL)
            RC_FAIL(RC_ERR_CONFIG, "model.probability: weights needs a network with edge "
                    "weights (load one with weighted: true)");
        for (uint32_t u = 0; u < g->n; u++)
            for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
                if (!(g->out_w[e] >= 0.0f && g->out_w[e] <= 1.0f))
                    RC_FAIL(RC_ERR_CONFIG, "model.probability: weights: the weight %g of edge "
                            "%u -> %u is not a probability in [0, 1]", (double)g->out_w[e], u,
                            g->out_nbr[e]);
        s->edge_p = g->out_w;
    } else if (p->probability == IC_TRIVALENCY) {
        static const float values[3] = {0.1f, 0.01f, 0.001f};
        s->owned_p = malloc((g->m ? g->m : 1) * sizeof *s->owned_p);
        RC_ALLOC_CHECK(s->owned_p, "trivalency edge probabilities");
        rc_rng_seed(r, p->seed, IC_STREAM_TRIVALENCY, 0);
        for (uint64_t e = 0; e < g->m; e++)
            s->owned_p[e] = values[rc_rng_below(r, 3)];
        s->edge_p = s->owned_p;
    }

    s->eng_max = 1.0;
    if (p->engagement != IC_ENG_CONSTANT || p->eng_value != 1.0) {
        s->engagement = malloc(((size_t)g->n + 1) * sizeof *s->engagement);
        RC_ALLOC_CHECK(s->engagement, "per-node engagement factors");
        rc_rng_seed(r, p->seed, IC_STREAM_ENGAGEMENT, 0);
        s->eng_max = 0.0;
        for (uint32_t v = 0; v < g->n; v++) {
            double x = p->eng_value;
            if (p->engagement == IC_ENG_UNIFORM)
                x = p->eng_low + (p->eng_high - p->eng_low) * rc_rng_uniform(r);
            else if (p->engagement == IC_ENG_BETA)
                x = gsl_ran_beta(r, p->eng_a, p->eng_b);
            s->engagement[v] = (float)x;
            if ((double)s->engagement[v] > s->eng_max)
                s->eng_max = s->engagement[v];
        }
    }
    s->p_max = p->probability == IC_CONSTANT ? p->p * s->eng_max : 0.0;
    s->inv_log_q = (s->p_max > 0.0 && s->p_max < 1.0) ? 1.0 / log1p(-s->p_max) : 0.0;
    *out = s;
    s = NULL;
cleanup:
    gsl_rng_free(r);
    ic_free_shared(s);
    return status;
}

/* Geometric gap to the next success of Bernoulli(q) trials: floor(log U / log(1 - q)), as a
 * double so that astronomically long gaps cannot overflow. */
static inline double ic_gap(gsl_rng *r, const ic_shared_t *s)
{
    if (s->p_max >= 1.0)
        return 0.0;
    return floor(log(rc_rng_uniform_pos(r)) * s->inv_log_q);
}

/* How far ahead in the adopter queue an adopter's offsets, follower list and followers' stamps
 * are prefetched: all are random accesses into arrays far larger than the caches. (A per-thread
 * bitset for `shown`, small enough to stay in cache, measured slower than this.) */
#define IC_PREFETCH_OFF 16
#define IC_PREFETCH_NBR 8
#define IC_PREFETCH_STAMP 3

#if defined(__GNUC__)
#define IC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define IC_ALWAYS_INLINE inline
#endif

/* Runs one cascade. The adopter list is the BFS queue: generations are processed in order, so
 * an adopter's parent is the first earlier adopter whose trial on it succeeded.
 *
 * Node states live in the stamps alone: `shown` (exposed this run) and `adopted` are two fresh
 * epochs, so marking an exposure is a branch-free load-compare-store. Branches on whether a
 * follower was already shown would mispredict often and serialise the cache misses that
 * dominate the run; without them the misses of one follower list overlap.
 *
 * `aud` is the audience bitmap (members are counted in reach already) or NULL. ic_run inlines
 * this twice, once with a literal NULL, so runs without an audience pay nothing for the test. */
static IC_ALWAYS_INLINE rc_status_t ic_cascade(const rc_run_ctx_t *ctx, const uint32_t *seeds,
                                               uint32_t n_seeds, gsl_rng *r, rc_workspace_t *ws,
                                               rc_cascade_t *out, const uint64_t *aud)
{
    const rc_graph_t *g = ctx->graph;
    const ic_params_t *p = ctx->params;
    const ic_shared_t *s = ctx->shared;
    const uint32_t shown = ws->epoch;
    rc_workspace_next_run(ws); /* a second fresh epoch (a wrap clears stamps, harmless here) */
    const uint32_t adopted_mark = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict adopted = ws->adopted;
    uint32_t *restrict parent = ws->parent;
    uint32_t *restrict gen = ws->generation;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    const float *restrict eng = s->engagement;
    const uint32_t cap = ctx->max_size ? ctx->max_size : UINT32_MAX;
    uint32_t size = 0, reach = ctx->audience_size;
    int capped = 0;

    for (uint32_t i = 0; i < n_seeds; i++) {
        uint32_t v = seeds[i];
        if (stamp[v] == adopted_mark)
            continue; /* a repeated seed adopts once */
        reach += (uint32_t)(stamp[v] != shown) & (1u ^ rc_audience_has(aud, v));
        stamp[v] = adopted_mark;
        adopted[size] = v;
        parent[size] = RC_NO_PARENT;
        gen[size] = 0;
        size++;
    }
    const uint32_t seeds_kept = size;

/* Marks v as shown the post, counting it in reach the first time (unless it is in the
 * audience, counted from the start); keeps an adopted mark. */
#define IC_EXPOSE(v)                                                                               \
    do {                                                                                           \
        const uint32_t st_ = stamp[v];                                                             \
        const uint32_t seen_ = (uint32_t)(st_ == shown) | (uint32_t)(st_ == adopted_mark);         \
        const uint32_t keep_ = 0u - seen_; /* all ones when already shown or adopted */            \
        reach += (1u - seen_) & (1u ^ rc_audience_has(aud, v));                                    \
        stamp[v] = (st_ & keep_) | (shown & ~keep_);                                               \
    } while (0)
/* v reshares after adopter `head`, unless it already has. */
#define IC_ADOPT(v)                                                                                \
    do {                                                                                           \
        if (stamp[v] != adopted_mark) {                                                            \
            stamp[v] = adopted_mark;                                                               \
            adopted[size] = v;                                                                     \
            parent[size] = head;                                                                   \
            gen[size] = gen[head] + 1;                                                             \
            if (++size >= cap) {                                                                   \
                capped = 1;                                                                        \
                goto done;                                                                         \
            }                                                                                      \
        }                                                                                          \
    } while (0)
#define IC_PREFETCH()                                                                              \
    do {                                                                                           \
        if (head + IC_PREFETCH_OFF < size)                                                         \
            __builtin_prefetch(&off[adopted[head + IC_PREFETCH_OFF]]);                             \
        if (head + IC_PREFETCH_NBR < size)                                                         \
            __builtin_prefetch(&nbr[off[adopted[head + IC_PREFETCH_NBR]]]);                        \
        if (head + IC_PREFETCH_STAMP < size) {                                                     \
            const uint32_t w_ = adopted[head + IC_PREFETCH_STAMP];                                 \
            for (uint64_t k_ = off[w_]; k_ < off[w_ + 1]; k_++)                                    \
                __builtin_prefetch(&stamp[nbr[k_]], 1);                                            \
        }                                                                                          \
    } while (0)

    if (p->probability == IC_CONSTANT) {
        /* Uniform probability: jump straight to the next successful trial (thinned by the
         * engagement factor when there is one) and only mark exposures in between. */
        const int draw = s->p_max > 0.0;
        const double inv_eng_max = s->eng_max > 0.0 ? 1.0 / s->eng_max : 0.0;
        for (uint32_t head = 0; head < size; head++) {
            IC_PREFETCH();
            const uint32_t u = adopted[head];
            const uint32_t *nb = nbr + off[u];
            const uint64_t d = off[u + 1] - off[u];
            uint64_t i = 0;
            while (i < d) {
                double gap = draw ? ic_gap(r, s) : (double)d;
                uint64_t next = gap >= (double)(d - i) ? d : i + (uint64_t)gap;
                for (; i < next; i++)
                    IC_EXPOSE(nb[i]);
                if (next >= d)
                    break;
                uint32_t v = nb[next];
                IC_EXPOSE(v);
                i = next + 1;
                if (eng != NULL && !(rc_rng_uniform(r) < eng[v] * inv_eng_max))
                    continue;
                IC_ADOPT(v);
            }
        }
    } else {
        const float *restrict ep = s->edge_p;
        const uint64_t *restrict in_off = g->in_off;
        for (uint32_t head = 0; head < size; head++) {
            IC_PREFETCH();
            const uint32_t u = adopted[head];
            for (uint64_t e = off[u]; e < off[u + 1]; e++) {
                uint32_t v = nbr[e];
                IC_EXPOSE(v);
                if (stamp[v] == adopted_mark)
                    continue; /* already reshared: the trial cannot change anything */
                double q = ep != NULL ? (double)ep[e] : 1.0 / (double)(in_off[v + 1] - in_off[v]);
                if (eng != NULL)
                    q *= eng[v];
                if (rc_rng_uniform(r) < q)
                    IC_ADOPT(v);
            }
        }
    }
#undef IC_EXPOSE
#undef IC_ADOPT
#undef IC_PREFETCH

done:
    rc_cascade_finish(out, ws, size, seeds_kept, 0, reach, capped, aud != NULL);
    return RC_OK;
}

static rc_status_t ic_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    if (ctx->audience_bits != NULL)
        return ic_cascade(ctx, seeds, n_seeds, r, ws, out, ctx->audience_bits);
    return ic_cascade(ctx, seeds, n_seeds, r, ws, out, NULL);
}

const rc_model_t rc_model_independent_cascade = {
    .name = "independent_cascade",
    .summary = "each new resharer gets one chance to make each follower reshare (Kempe et al. "
               "2003)",
    .params = ic_docs,
    .timed = 0,
    .parse = ic_parse,
    .free_params = ic_free_params,
    .prepare = ic_prepare,
    .free_shared = ic_free_shared,
    .state_size = NULL,
    .run = ic_run,
};
