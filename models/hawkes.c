/* Marked self-exciting (Hawkes) reshare process in the spirit of SEISMIC (Zhao et al. 2015) and
 * marked-Hawkes popularity models: a reshare by a user with d followers causes Poisson(kappa d^beta)
 * further reshares, at delays from the memory kernel. Follower counts (the marks) come from a
 * distribution (an empirical one: numbers from the config or a data file), or from the network:
 * a reshare is then by a random follower of the user it came from. The seeds' counts may come
 * from a distribution of their own (original posters are not typical resharers). With a finite
 * population N (HawkesN), each reshare happens only with probability 1 - N_t/N, N_t the events
 * so far. With an infectiousness decay (SEISMIC's p(t)) a candidate event at time t is kept with
 * probability g(t), so the intensity is g(t) times the process's own, as in SEISMIC's
 * p(t) sum_i d_i phi(t - t_i). A hard size cap stops supercritical runs (branching ratio n* > 1)
 * and flags them.
 *
 * The evently models fitted by `rtcascade fit` are this process: kappa = K (kernel mass), the
 * kernel normalised to a delay density (exponential or lomax), marks empirical. */
#include "rtcascade/heap.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"
#include "timed.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum hk_marks {
    HK_POWER_LAW = 0, /* density ~ d^-exponent on [min, max] (max may be infinite) */
    HK_LOGNORMAL = 1, /* log d ~ Normal(mu, sigma) */
    HK_NETWORK = 2,   /* a random follower of the parent in the graph; d = its out-degree */
    HK_EMPIRICAL = 3, /* one of a list of numbers, uniformly */
    HK_CONSTANT = 4,  /* always the same d */
    HK_SEED_GRAPH = 5, /* seeds only: their out-degree in the graph */
    HK_SEED_DRAW = 6   /* seeds only: drawn from the followers distribution */
} hk_marks_t;

/* Where follower counts come from (the followers and seed_followers keys). */
typedef struct hk_marks_spec {
    int kind;            /* hk_marks_t */
    double exponent;     /* power law: density exponent */
    double d_min, d_max; /* power law: support (d_max = INFINITY for none) */
    double mu, sigma;    /* lognormal */
    double q, c1;        /* power law sampler: q = 1 - exponent, c1 = (d_max/d_min)^q - 1 */
    rc_param_column_t data; /* empirical: the numbers (owned; released with the parameters) */
    double value;        /* constant */
} hk_marks_spec_t;

typedef struct hk_params {
    double kappa;        /* reshares per (follower count)^beta */
    double n_star;       /* branching_factor: when given, kappa = n_star / E[d^beta] */
    double beta;         /* exponent of the follower count, >= 0 */
    rc_delay_t delay;    /* memory kernel */
    hk_marks_spec_t f;   /* follower counts */
    hk_marks_spec_t seed; /* the seeds' follower counts: HK_SEED_GRAPH, HK_SEED_DRAW or own */
    double population;   /* HawkesN's N; INFINITY = none */
    uint32_t max_size;   /* hard cap on reshares (seeds included) */
    int max_size_given;  /* max_size was written in the config (not the default) */
    double horizon;      /* reshares later than this are dropped; INFINITY = none */
    rc_decay_t decay;    /* infectiousness decay with the time since the post (kappa at t = 0) */
} hk_params_t;

/* SEISMIC's fitted kernel for Twitter (Zhao et al. 2015): flat for 5 minutes, theta = 0.242. */
static const rc_delay_t hk_default_delay = {RC_DELAY_POWER_LAW, 300.0, 0.242, 0.242 / 1.242};
/* Poisson means above this are clamped (a billion direct reshares is past any cap). */
#define HK_MAX_MEAN 1e9

static const rc_param_t hk_power_law_keys[] = {
    {.name = "exponent", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, exponent),
     .flags = RC_PARAM_REQUIRED, .lo = -100.0, .hi = 100.0, .doc = "exponent"},
    {.name = "min", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, d_min),
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = INFINITY, .doc = "min"},
    {.name = "max", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, d_max),
     .def = INFINITY, .lo = 0.0, .hi = INFINITY, .def_text = "none", .doc = "max"},
    {0},
};
static const rc_param_t hk_lognormal_keys[] = {
    {.name = "mu", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, mu),
     .flags = RC_PARAM_REQUIRED, .lo = -700.0, .hi = 700.0, .doc = "mu"},
    {.name = "sigma", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, sigma),
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = INFINITY, .doc = "sigma"},
    {0},
};
static const rc_param_t hk_empirical_keys[] = {
    {.name = "values", .type = RC_PARAM_COLUMN, .offset = offsetof(hk_marks_spec_t, data),
     .flags = RC_PARAM_REQUIRED, .lo = 0.0, .hi = 1e15, .doc = "values"},
    {0},
};
static const rc_param_t hk_constant_keys[] = {
    {.name = "value", .type = RC_PARAM_REAL, .offset = offsetof(hk_marks_spec_t, value),
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = 1e15, .doc = "value"},
    {0},
};
static const rc_param_t hk_no_keys[] = {{0}};
#define HK_DISTRIBUTIONS                                                                           \
    {"power_law", HK_POWER_LAW, hk_power_law_keys, "density ~ d^-exponent on [min, max]"},        \
        {"lognormal", HK_LOGNORMAL, hk_lognormal_keys, "log d ~ Normal(mu, sigma)"},              \
        {"empirical", HK_EMPIRICAL, hk_empirical_keys,                                            \
         "one of the numbers of `values`, uniformly (e.g. follower counts in observed "           \
         "cascades: {path: cascades.csv, column: followers, group: cascade, rows: rest} for the " \
         "resharers, rows: first for the original posters)"},                                     \
    {                                                                                              \
        "constant", HK_CONSTANT, hk_constant_keys, "always d = value"                             \
    }
static const rc_param_variant_t hk_marks_variants[] = {
    HK_DISTRIBUTIONS,
    {"network", HK_NETWORK, hk_no_keys,
     "written `followers: network`: a reshare is by a uniformly random follower of the parent "
     "in the graph, d = its out-degree (a follower who already reshared is skipped)"},
    {NULL, 0, NULL, NULL},
};
static const rc_param_variant_t hk_seed_variants[] = {
    {"graph", HK_SEED_GRAPH, hk_no_keys, "written `seed_followers: graph`: the seeds' out-degree"},
    {"draw", HK_SEED_DRAW, hk_no_keys,
     "written `seed_followers: draw`: drawn from the followers distribution"},
    HK_DISTRIBUTIONS,
    {NULL, 0, NULL, NULL},
};
#undef HK_DISTRIBUTIONS

/* Checks of a power law's support and its sampler's constants. */
static rc_status_t hk_marks_finish(void *nested, const char **key)
{
    hk_marks_spec_t *m = nested;
    *key = NULL;
    if (m->kind != HK_POWER_LAW)
        return RC_OK;
    if (!(m->d_max > m->d_min)) {
        *key = "max";
        return rc_error(RC_ERR_CONFIG, "expected a number > min (%g), got %g", m->d_min,
                        m->d_max);
    }
    if (isinf(m->d_max) && m->exponent <= 1.0) {
        *key = "exponent";
        return rc_error(RC_ERR_CONFIG, "without max, a power law needs an exponent > 1 to be a "
                        "distribution, got %g", m->exponent);
    }
    m->q = 1.0 - m->exponent;
    m->c1 = isinf(m->d_max) ? -1.0 : expm1(m->q * log(m->d_max / m->d_min));
    return RC_OK;
}

/* SEISMIC-like default: log-normal follower counts with a median of e^4.6 ~ 100. */
static const hk_marks_spec_t hk_default_marks = {.kind = HK_LOGNORMAL, .mu = 4.6, .sigma = 1.8};
static const hk_marks_spec_t hk_default_seed = {.kind = HK_SEED_GRAPH};

static const rc_param_t hk_params[] = {
    {.name = "kappa", .type = RC_PARAM_REAL, .offset = offsetof(hk_params_t, kappa),
     .flags = RC_PARAM_ABOVE, .def = 0.05, .lo = 0.0, .hi = INFINITY,
     .doc = "reshares caused per (follower count)^beta; branching ratio n* = kappa E[d^beta]: "
            "subcritical below 1 (the defaults give n* = 0.75)"},
    {.name = "branching_factor", .type = RC_PARAM_REAL, .offset = offsetof(hk_params_t, n_star),
     .flags = RC_PARAM_ABOVE, .def = 0.0, .lo = 0.0, .hi = INFINITY,
     .def_text = "none (kappa is used)",
     .doc = "the branching ratio n* instead of kappa: kappa = n* / E[d^beta] over the followers "
            "distribution (not with followers: network)"},
    {.name = "beta", .type = RC_PARAM_REAL, .offset = offsetof(hk_params_t, beta), .def = 0.5,
     .lo = 0.0, .hi = 10.0,
     .doc = "exponent of the follower count d in the Poisson(kappa d^beta) reshares a reshare "
            "causes"},
    RC_DELAY_PARAM(hk_params_t, delay, &hk_default_delay,
                   "memory kernel, as for continuous_cascade; the default is SEISMIC's fit to "
                   "Twitter"),
    {.name = "followers", .type = RC_PARAM_VARIANT, .offset = offsetof(hk_params_t, f),
     .nested = &(const rc_param_nested_t){
         .tag = "distribution", .variants = hk_marks_variants,
         .kind_offset = offsetof(hk_marks_spec_t, kind), .size = sizeof(hk_marks_spec_t),
         .absent = &hk_default_marks, .tag_default = -1, .scalar_number = -1,
         .finish = hk_marks_finish,
         .example = "'network' or a map like {distribution: lognormal, mu: 4.6, sigma: 1.8}"},
     .doc = "follower count d of each resharer. With a distribution, reach = seeds + the sum "
            "of d over all resharers (potential impressions, repeats counted); with network, "
            "the distinct users shown the post"},
    {.name = "seed_followers", .type = RC_PARAM_VARIANT, .offset = offsetof(hk_params_t, seed),
     .nested = &(const rc_param_nested_t){
         .tag = "distribution", .variants = hk_seed_variants,
         .kind_offset = offsetof(hk_marks_spec_t, kind), .size = sizeof(hk_marks_spec_t),
         .absent = &hk_default_seed, .tag_default = -1, .scalar_number = -1,
         .finish = hk_marks_finish,
         .example = "'graph', 'draw' or a map like {distribution: lognormal, mu: 6, sigma: 2}"},
     .def_text = "graph",
     .doc = "the seeds' d: graph (their out-degree in the network), draw (from followers) or "
            "a distribution of their own (original posters differ from resharers)"},
    {.name = "population", .type = RC_PARAM_REAL, .offset = offsetof(hk_params_t, population),
     .def = INFINITY, .lo = 1.0, .hi = INFINITY, .def_text = "none (infinite)",
     .doc = "HawkesN's N (Rizoiu et al. 2018): each reshare happens only with probability "
            "1 - N_t/N, N_t the reshares so far (seeds included), so a cascade never exceeds N"},
    {.name = "max_size", .type = RC_PARAM_UINT32, .offset = offsetof(hk_params_t, max_size),
     .def = 1000000, .lo = 1, .hi = RC_MAX_NODES,
     .doc = "hard cap on reshares (seeds included); a run that reaches it is flagged capped. "
            "With followers: network a cascade also stops at the network's accounts, and a "
            "max_size above them is refused"},
    {.name = "horizon", .type = RC_PARAM_REAL, .offset = offsetof(hk_params_t, horizon),
     .flags = RC_PARAM_ABOVE, .def = INFINITY, .lo = 0.0, .hi = INFINITY, .unit = "s",
     .def_text = "none (infinite)", .doc = "observation window: later reshares are dropped"},
    RC_DECAY_PARAM(hk_params_t, decay),
    {0},
};

/* E[d^s] of a follower distribution (not network marks), with d = 0 counting 0 as in runs. */
static double hk_moment(const hk_marks_spec_t *f, double s)
{
    if (f->kind == HK_LOGNORMAL)
        return exp(s * f->mu + 0.5 * s * s * f->sigma * f->sigma);
    if (f->kind == HK_CONSTANT)
        return pow(f->value, s);
    if (f->kind == HK_EMPIRICAL) {
        double sum = 0.0;
        for (size_t i = 0; i < f->data.n; i++)
            sum += f->data.values[i] > 0.0 ? pow(f->data.values[i], s) : 0.0;
        return f->data.n > 0 ? sum / (double)f->data.n : NAN;
    }
    /* I(q) = int_min^max x^(q-1) dx; E[d^s] = I(q + s) / I(q) with q = 1 - exponent. */
    const double a = f->d_min, L = log(f->d_max / f->d_min);
    double num, den;
    const double qs[2] = {f->q + s, f->q};
    double *outs[2] = {&num, &den};
    for (int k = 0; k < 2; k++) {
        double q = qs[k];
        if (isinf(f->d_max))
            *outs[k] = q < 0.0 ? -pow(a, q) / q : INFINITY;
        else if (fabs(q) * L < 1e-12)
            *outs[k] = pow(a, q) * L;
        else
            *outs[k] = pow(a, q) * expm1(q * L) / q;
    }
    return num / den;
}

/* Bit of parameter `name` in the `given` mask of validate. */
static uint64_t hk_given_bit(const char *name)
{
    return (uint64_t)1 << (rc_params_find(hk_params, name) - hk_params);
}

static rc_status_t hk_validate(void *params, uint64_t given, const char **key)
{
    hk_params_t *p = params;
    *key = NULL;
    p->max_size_given = (given & hk_given_bit("max_size")) != 0;
    const hk_marks_spec_t *dists[2] = {&p->f, &p->seed};
    for (int i = 0; i < 2; i++)
        if (dists[i]->kind == HK_POWER_LAW && isinf(dists[i]->d_max) &&
            dists[i]->exponent <= 1.0 + p->beta) {
            *key = i == 0 ? "followers" : "seed_followers";
            return rc_error(RC_ERR_CONFIG, "E[d^beta] is infinite for a power law with exponent "
                            "%g <= 1 + beta (%g) and no max; give max or a larger exponent",
                            dists[i]->exponent, 1.0 + p->beta);
        }
    if (p->seed.kind == HK_SEED_DRAW && p->f.kind == HK_NETWORK) {
        *key = "seed_followers";
        return rc_error(RC_ERR_CONFIG, "draw needs a followers distribution; with followers: "
                        "network the seeds' out-degrees are used");
    }
    if (given & hk_given_bit("branching_factor")) {
        *key = "branching_factor";
        if (given & hk_given_bit("kappa"))
            return rc_error(RC_ERR_CONFIG, "give kappa or branching_factor, not both");
        if (p->f.kind == HK_NETWORK)
            return rc_error(RC_ERR_CONFIG, "needs a followers distribution (with followers: "
                            "network, n* depends on the graph: give kappa)");
        double m = hk_moment(&p->f, p->beta);
        if (!(m > 0.0 && isfinite(m)))
            return rc_error(RC_ERR_CONFIG, "E[d^beta] of the followers distribution is %g, so "
                            "no kappa gives n* = %g", m, p->n_star);
        p->kappa = p->n_star / m;
        *key = NULL;
    }
    return RC_OK;
}

double rc_hawkes_branching_ratio(const void *params, const rc_graph_t *g)
{
    const hk_params_t *p = params;
    if (p == NULL)
        return NAN;
    if (p->f.kind != HK_NETWORK)
        return p->kappa * hk_moment(&p->f, p->beta);
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

/* Entries of the per-adopter arrays: max_size, and with network marks at most the network's
 * nodes (a cascade of distinct accounts). With follower distributions the resharers are not the
 * network's accounts, so a cascade may hold more of them than the network has nodes: the
 * engine sizes the workspace for it (the capacity hook). */
static uint32_t hk_capacity(const hk_params_t *p, const rc_graph_t *g)
{
    if (p->f.kind == HK_NETWORK && g->n < p->max_size)
        return g->n;
    return p->max_size;
}

static uint32_t hk_capacity_hook(const void *params, const rc_graph_t *g)
{
    return hk_capacity(params, g);
}

/* With network marks a cascade cannot exceed the network's accounts: a max_size above them,
 * written in the config, asks for something that cannot happen, and is refused. */
static rc_status_t hk_check_graph(const void *params, const rc_graph_t *g)
{
    const hk_params_t *p = params;
    if (p->f.kind == HK_NETWORK && p->max_size_given && p->max_size > g->n)
        return rc_error(RC_ERR_CONFIG, "model.max_size: %u is more than the network's %u "
                        "accounts, which with followers: network bound every cascade; lower it "
                        "or leave it out", p->max_size, g->n);
    return RC_OK;
}

/* Per adopter: survival value of its last scheduled child's delay, its follower count (the
 * cascade's marks) and the children still to schedule. */
static size_t hk_state_size(const void *params, const rc_graph_t *g)
{
    return (size_t)hk_capacity(params, g) * (2 * sizeof(double) + sizeof(uint32_t));
}

/* A follower count drawn from distribution f (not network marks). */
static inline double hk_draw_followers(const hk_marks_spec_t *f, gsl_rng *r)
{
    if (f->kind == HK_LOGNORMAL)
        return exp(f->mu + gsl_ran_gaussian_ziggurat(r, f->sigma));
    if (f->kind == HK_EMPIRICAL)
        return f->data.values[rc_rng_below64(r, f->data.n)];
    if (f->kind == HK_CONSTANT)
        return f->value;
    double u = rc_rng_uniform(r);
    if (fabs(f->q) < 1e-12)
        return f->d_min * exp(u * log(f->d_max / f->d_min));
    return f->d_min * pow(1.0 + u * f->c1, 1.0 / f->q);
}

/* The seeds' follower count: out-degree of v, a draw from followers, or from their own. */
static inline double hk_seed_followers(const hk_params_t *p, const rc_graph_t *g, uint32_t v,
                                       gsl_rng *r)
{
    if (p->seed.kind == HK_SEED_GRAPH)
        return (double)rc_graph_out_degree(g, v);
    return hk_draw_followers(p->seed.kind == HK_SEED_DRAW ? &p->f : &p->seed, r);
}

/* The working set of one run. */
typedef struct hk_run {
    const hk_params_t *p;
    gsl_rng *r;
    rc_heap_t *heap;
    double *w;        /* per adopter: survival of its last scheduled child's delay */
    uint32_t *rem;    /* per adopter: children still to schedule */
    double *time;     /* per adopter: reshare time */
    double *mark;     /* per adopter: follower count d */
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

/* The run's working set in ws's model state (the doubles first, so all arrays stay aligned). */
static rc_status_t hk_state(const hk_params_t *p, const rc_graph_t *g, gsl_rng *r,
                            rc_workspace_t *ws, hk_run_t *k)
{
    const uint32_t capacity = hk_capacity(p, g);
    if (ws->model_state == NULL || ws->model_state_size < hk_state_size(p, g))
        return rc_error(RC_ERR_INTERNAL, "hawkes: the workspace has %zu bytes of model state, "
                        "%zu needed", ws->model_state_size, hk_state_size(p, g));
    *k = (hk_run_t){.p = p, .r = r, .heap = ws->heap, .time = ws->time};
    k->w = ws->model_state;
    k->mark = k->w + capacity;
    k->rem = (uint32_t *)(k->mark + capacity);
    return RC_OK;
}

/* HawkesN: a candidate event happens with probability 1 - N_t/N, N_t = `size` events so far
 * (events are taken in time order), which thins the intensity exactly. */
static inline int hk_kept(const hk_params_t *p, gsl_rng *r, uint32_t size)
{
    return rc_rng_uniform(r) * p->population < p->population - (double)size;
}

static rc_status_t hk_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    rc_status_t status = RC_OK;
    const rc_graph_t *g = ctx->graph;
    const hk_params_t *p = ctx->params;
    const int network = p->f.kind == HK_NETWORK;
    const uint32_t epoch = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict slot = ws->slot;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    uint32_t cap = hk_capacity(p, g);
    if (ctx->max_size != 0 && ctx->max_size < cap)
        cap = ctx->max_size;
    hk_run_t k = {0};
    RC_TRY(hk_state(p, g, r, ws, &k));
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
            if (!(t0 <= p->horizon) || !rc_decay_keep(&p->decay, t0, r))
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
        double d = hk_seed_followers(p, g, v, r);
        k.mark[size] = d;
        if (network)
            HK_SHOW_FOLLOWERS(v);
        else
            impressions += d;
        RC_TRY(hk_start(&k, size, d));
        size++;
    }
    const uint32_t seeds_kept = size;

    /* With follower distributions a reshare is by someone outside the graph: node[] then holds
     * the adopter's own index as a stand-in id while that is below n, else RC_NO_NODE (no
     * per-node array is read for them). */
    const int finite_n = isfinite(p->population);
    rc_event_t ev;
    while (rc_heap_pop(k.heap, &ev)) {
        const uint32_t i = ev.parent;
        uint32_t child = size < g->n ? size : RC_NO_NODE;
        if ((finite_n && !hk_kept(p, r, size)) || !rc_decay_keep(&p->decay, ev.time, r)) {
            RC_TRY(hk_schedule(&k, i));
            continue;
        }
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
            d = hk_draw_followers(&p->f, r);
            impressions += d;
        }
        k.mark[size] = d;
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
    out->mark = k.mark;
cleanup:
    return status;
}

const rc_model_t rc_model_hawkes = {
    .name = "hawkes",
    .summary = "marked self-exciting process (SEISMIC-style): a reshare by a user with d "
               "followers causes Poisson(kappa d^beta) more after kernel delays",
    .params = hk_params,
    .params_size = sizeof(hk_params_t),
    .timed = 1,
    .validate = hk_validate,
    .check_graph = hk_check_graph,
    .prepare = NULL,
    .free_shared = NULL,
    .state_size = hk_state_size,
    .capacity = hk_capacity_hook,
    .run = hk_run,
};
