/* Independent cascade (Kempe, Kleinberg & Tardos 2003): each new adopter gets one chance to make
 * each follower reshare. The edge probability is a constant p, the edge weight, 1/in-degree of the
 * follower (weighted cascade) or one of {0.1, 0.01, 0.001} per edge (trivalency), times an
 * optional per-follower engagement factor. Reach (distinct users shown the post) is counted in the
 * same pass, with the workspace stamps. The fused kernel (ic_run_fused) runs 64 runs at once, each
 * edge's coins for all of them drawn together from counter words (rng.h's rc_ctr_bernoulli). */
#include "fused.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
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

/* The per-follower engagement factor (the engagement key). */
typedef struct ic_engagement_spec {
    int kind;                     /* ic_engagement_t: distribution of the factor */
    double value;                 /* constant factor (1 = no engagement effect) */
    double low, high;             /* uniform bounds */
    double a, b;                  /* beta shapes */
} ic_engagement_spec_t;

typedef struct ic_params {
    double p;                     /* constant edge probability */
    int probability;              /* ic_probability_t: where edge probabilities come from */
    ic_engagement_spec_t eng;     /* per-follower factor */
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

#define IC_FACTOR(key, field, def_value, lo_value, hi_value)                                      \
    {.name = key, .type = RC_PARAM_REAL, .offset = offsetof(ic_engagement_spec_t, field),           \
     .def = def_value, .lo = lo_value, .hi = hi_value, .doc = key}
static const rc_param_t ic_constant_keys[] = {IC_FACTOR("value", value, 1.0, 0.0, 1.0), {0}};
static const rc_param_t ic_uniform_keys[] = {IC_FACTOR("low", low, 0.0, 0.0, 1.0),
                                             IC_FACTOR("high", high, 1.0, 0.0, 1.0), {0}};
static const rc_param_t ic_beta_keys[] = {IC_FACTOR("a", a, 1.0, 1e-9, 1e9),
                                          IC_FACTOR("b", b, 1.0, 1e-9, 1e9), {0}};
#undef IC_FACTOR
static const rc_param_variant_t ic_engagement_variants[] = {
    {"constant", IC_ENG_CONSTANT, ic_constant_keys, "the same factor for every follower"},
    {"uniform", IC_ENG_UNIFORM, ic_uniform_keys, "uniform on [low, high]"},
    {"beta", IC_ENG_BETA, ic_beta_keys, "Beta(a, b)"},
    {NULL, 0, NULL, NULL},
};

static rc_status_t ic_engagement_finish(void *nested, const char **key)
{
    const ic_engagement_spec_t *e = nested;
    *key = NULL;
    if (e->kind == IC_ENG_UNIFORM && e->low > e->high)
        return rc_error(RC_ERR_CONFIG, "low (%g) must not exceed high (%g)", e->low, e->high);
    return RC_OK;
}

static const ic_engagement_spec_t ic_no_engagement = {.kind = IC_ENG_CONSTANT, .value = 1.0};

static const rc_param_t ic_params[] = {
    {.name = "p", .type = RC_PARAM_REAL, .offset = offsetof(ic_params_t, p), .def = 0.1,
     .lo = 0.0, .hi = 1.0, .doc = "edge probability (with probability: constant)"},
    {.name = "probability", .type = RC_PARAM_CHOICE, .offset = offsetof(ic_params_t, probability),
     .def = IC_CONSTANT, .choices = ic_probability_names,
     .doc = "where edge probabilities come from: constant (p), weights (the network's edge "
            "weights, in [0, 1]), weighted_cascade (1/in-degree of the follower), trivalency "
            "(0.1, 0.01 or 0.001 per edge, drawn once per point)"},
    {.name = "engagement", .type = RC_PARAM_VARIANT, .offset = offsetof(ic_params_t, eng),
     .nested = &(const rc_param_nested_t){
         .tag = "distribution", .variants = ic_engagement_variants,
         .kind_offset = offsetof(ic_engagement_spec_t, kind),
         .size = sizeof(ic_engagement_spec_t), .absent = &ic_no_engagement, .tag_default = 0,
         .scalar_number = 0, .finish = ic_engagement_finish,
         .example = "a number in [0, 1] or a map like {distribution: beta, a: 2, b: 5}"},
     .def_text = "1",
     .doc = "per-follower factor in [0, 1] multiplying the edge probability, drawn once per "
            "point: a number (the same for all), or a distribution"},
    {.name = "seed", .type = RC_PARAM_UINT64, .offset = offsetof(ic_params_t, seed), .def = 1,
     .lo = 0, .hi = 18446744073709551615.0,
     .doc = "stream for the once-per-point draws (trivalency, engagement); not per run"},
    {0},
};

static rc_status_t ic_validate(void *params, uint64_t given, const char **key)
{
    const ic_params_t *p = params;
    *key = NULL;
    if (p->probability != IC_CONSTANT && (given & 1u)) {
        *key = "p";
        return rc_error(RC_ERR_CONFIG, "applies only with probability: constant (got "
                        "probability: %s)", ic_probability_names[p->probability]);
    }
    return RC_OK;
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
    if (p->eng.kind != IC_ENG_CONSTANT || p->eng.value != 1.0) {
        s->engagement = malloc(((size_t)g->n + 1) * sizeof *s->engagement);
        RC_ALLOC_CHECK(s->engagement, "per-node engagement factors");
        rc_rng_seed(r, p->seed, IC_STREAM_ENGAGEMENT, 0);
        s->eng_max = 0.0;
        for (uint32_t v = 0; v < g->n; v++) {
            double x = p->eng.value;
            if (p->eng.kind == IC_ENG_UNIFORM)
                x = p->eng.low + (p->eng.high - p->eng.low) * rc_rng_uniform(r);
            else if (p->eng.kind == IC_ENG_BETA)
                x = gsl_ran_beta(r, p->eng.a, p->eng.b);
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
 * bitset for `shown`, small enough to stay in cache, measured slower than this.) An adopter
 * appended less than IC_PREFETCH_NBR places ahead of the one being read, which the look-ahead
 * passes over (the child of a seed in a small cascade), has its follower list requested as it
 * adopts; one appended less than IC_PREFETCH_OFF ahead, its offsets. Lists are requested by
 * both their lines (rc_graph_prefetch_followers): one that straddles a line boundary missed at
 * its end when the stamps' look-ahead read it. */
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
    uint64_t out_degrees = 0; /* of the adopters read, handed to the metrics when all were */
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
            if (size - head < IC_PREFETCH_NBR) /* too close for the look-ahead */                 \
                rc_graph_prefetch_followers(g, v);                                                 \
            else if (size - head < IC_PREFETCH_OFF)                                                \
                __builtin_prefetch(&off[v]);                                                       \
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
            rc_graph_prefetch_followers(g, adopted[head + IC_PREFETCH_NBR]);                       \
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
            out_degrees += d;
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
            out_degrees += off[u + 1] - off[u];
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
    out->degrees_read = capped ? 0 : size; /* a capped run's last adopters were never read */
    out->out_degrees = capped ? 0 : out_degrees;
    return RC_OK;
}

static rc_status_t ic_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    if (ctx->audience_bits != NULL)
        return ic_cascade(ctx, seeds, n_seeds, r, ws, out, ctx->audience_bits);
    return ic_cascade(ctx, seeds, n_seeds, r, ws, out, NULL);
}

/* ---- The fused kernel ---- */

/* Domain of the coins' counter words: key (master ^ this, point, group), counter = edge. */
#define IC_COIN_DOMAIN 0x636f696e73ULL

/* Edge e (u -> v)'s probability as q / 2^32: the per-run kernel's probability, to 2^-32. */
static inline uint64_t ic_q32(const ic_params_t *p, const ic_shared_t *s, const rc_graph_t *g,
                              uint64_t e, uint32_t v)
{
    double q;
    if (p->probability == IC_CONSTANT)
        q = p->p;
    else if (s->edge_p != NULL)
        q = (double)s->edge_p[e];
    else
        q = 1.0 / (double)(g->in_off[v + 1] - g->in_off[v]);
    if (s->engagement != NULL)
        q *= s->engagement[v];
    return rc_ctr_q32(q);
}

/* One pass: each entry's node u reads its followers once for the lanes L where it adopted
 * last pass; follower v is shown the post in L, and in the lanes of L where it has not adopted
 * yet the coins of edge (u, v) are drawn (run 64 g + j's coin is bit j of rc_ctr_bernoulli on
 * the word of key (master, point, g) at counter e: a function of the run and the edge only).
 * Lanes where v has adopted earlier in this pass are drawn too: the cascade's rebuild needs
 * every taken edge to find which one the per-run kernel would have met first. */
static rc_status_t ic_pass(const rc_run_ctx_t *ctx, rc_fused_ws_t *fw, uint64_t key)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = ctx->graph;
    const ic_params_t *p = ctx->params;
    const ic_shared_t *s = ctx->shared;
    const int uniform = p->probability == IC_CONSTANT && s->engagement == NULL;
    const uint64_t q_const = rc_ctr_q32(p->p);
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    for (uint64_t k = fw->pass_first; k < fw->n_entries; k++) {
        if (k + 4 < fw->n_entries)
            __builtin_prefetch(&off[fw->entries[k + 4].node]);
        if (k + 2 < fw->n_entries)
            __builtin_prefetch(&nbr[off[fw->entries[k + 2].node]]);
        if (k + 1 < fw->n_entries) { /* the next entry's followers' states */
            const uint32_t w = fw->entries[k + 1].node;
            for (uint64_t x = off[w]; x < off[w + 1]; x++)
                __builtin_prefetch(&fw->node[nbr[x]], 1);
        }
        fz_entry_t *en = &fw->entries[k];
        const uint64_t lanes = en->lanes & fw->live;
        const uint32_t u = en->node;
        const uint64_t b = off[u], d = off[u + 1] - b;
        RC_TRY(fz_reserve_claims(fw, d));
        en->begin = fw->n_claims;
        for (uint64_t i = 0; i < d && lanes != 0; i++) {
            const uint32_t v = nbr[b + i];
            fz_node_t *nd = fz_touch(fw, v);
            nd->exposed |= lanes;
            const uint64_t rel = lanes & ~nd->adopted;
            if (rel == 0)
                continue;
            const uint64_t q = uniform ? q_const : ic_q32(p, s, g, b + i, v);
            const uint64_t took = rc_ctr_bernoulli(rc_ctr_u64(key, b + i), rel, q);
            if (took == 0)
                continue;
            fz_adopt(fw, nd, v, took);
            fz_claim(fw, v, nd, took);
        }
        en->end = fw->n_claims;
    }
cleanup:
    return status;
}

static rc_status_t ic_run_fused(const rc_run_ctx_t *ctx, const rc_fused_group_t *grp,
                                rc_fused_ws_t *fw, rc_workspace_t *ws, rc_fused_emit_t emit,
                                void *emit_ctx)
{
    rc_status_t status = RC_OK;
    const uint64_t key = rc_ctr_key(grp->master ^ IC_COIN_DOMAIN, grp->point, grp->group);
    RC_TRY(fz_begin(fw, grp));
    int more = fw->n_entries > 0;
    while (more) {
        RC_TRY(ic_pass(ctx, fw, key));
        RC_TRY(fz_pass_end(fw, ctx->max_size, &more));
    }
    fz_count_reach(fw, ctx->audience_bits);
    for (uint64_t x = grp->lanes; x != 0; x &= x - 1)
        RC_TRY(fz_emit_lane(fw, ctx, grp, (unsigned)__builtin_ctzll(x), FZ_FIRST, ws, emit,
                            emit_ctx));
cleanup:
    return status;
}

const rc_model_t rc_model_independent_cascade = {
    .name = "independent_cascade",
    .summary = "each new resharer gets one chance to make each follower reshare (Kempe et al. "
               "2003)",
    .params = ic_params,
    .params_size = sizeof(ic_params_t),
    .timed = 0,
    .validate = ic_validate,
    .prepare = ic_prepare,
    .free_shared = ic_free_shared,
    .state_size = NULL,
    .run = ic_run,
    .fused_check = NULL, /* every probability kind runs fused */
    .run_fused = ic_run_fused,
    .fused_auto = 1,
};
