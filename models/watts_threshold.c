/* Watts threshold model (Watts 2002, "A simple model of global cascades on random networks"):
 * a follower reshares once the FRACTION of its followees who reshared reaches its threshold phi,
 * fixed or drawn (normal truncated to [0, 1], or uniform) the first time it is shown the post.
 * Nodes with no followees are never shown anything, so only seeds among them adopt; Watts'
 * "vulnerable" nodes (phi <= 1/k) are simply those one resharing followee tips. */
#include "rtcascade/model.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

typedef enum wt_phi {
    WT_FIXED = 0,   /* phi for everyone */
    WT_NORMAL = 1,  /* Normal(mean, sd) truncated to [0, 1] */
    WT_UNIFORM = 2  /* uniform on [low, high] */
} wt_phi_t;

typedef enum wt_truncation {
    WT_REDRAW = 0, /* draw again until inside [0, 1] (the truncated normal proper) */
    WT_CLIP = 1    /* move draws outside onto 0 or 1 (atoms at the ends) */
} wt_truncation_t;

static const char *const wt_truncation_names[] = {"redraw", "clip", NULL};

/* How thresholds are drawn (the phi_distribution key). */
typedef struct wt_dist {
    int dist;               /* wt_phi_t: how thresholds are set */
    double mean, sd;        /* normal */
    double low, high;       /* uniform */
    int trunc;              /* wt_truncation_t, normal: what to do with draws outside [0, 1] */
} wt_dist_t;

typedef struct wt_params {
    double phi;             /* fixed threshold */
    wt_dist_t d;            /* per-node thresholds, or WT_FIXED */
} wt_params_t;

/* slot[v] of a node that has reshared; other shown nodes count down the followees they need. */
#define WT_ADOPTED 0xffffffffU
/* Redrawing needs a fair chance of landing in [0, 1]; below this, refuse the distribution. */
#define WT_MIN_INSIDE_MASS 1e-3

static const rc_param_t wt_normal_keys[] = {
    {.name = "mean", .type = RC_PARAM_REAL, .offset = offsetof(wt_dist_t, mean),
     .flags = RC_PARAM_REQUIRED, .lo = -1e6, .hi = 1e6, .doc = "mean"},
    {.name = "sd", .type = RC_PARAM_REAL, .offset = offsetof(wt_dist_t, sd),
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = 1e6, .doc = "sd"},
    {.name = "truncation", .type = RC_PARAM_CHOICE, .offset = offsetof(wt_dist_t, trunc),
     .def = WT_REDRAW, .choices = wt_truncation_names, .doc = "truncation"},
    {0},
};
static const rc_param_t wt_uniform_keys[] = {
    {.name = "low", .type = RC_PARAM_REAL, .offset = offsetof(wt_dist_t, low),
     .flags = RC_PARAM_REQUIRED, .lo = 0.0, .hi = 1.0, .doc = "low"},
    {.name = "high", .type = RC_PARAM_REAL, .offset = offsetof(wt_dist_t, high),
     .flags = RC_PARAM_REQUIRED, .lo = 0.0, .hi = 1.0, .doc = "high"},
    {0},
};
static const rc_param_variant_t wt_dist_variants[] = {
    {"normal", WT_NORMAL, wt_normal_keys,
     "normal truncated to [0, 1]: redraw = resample until inside; clip = values outside become "
     "0 or 1"},
    {"uniform", WT_UNIFORM, wt_uniform_keys, "uniform on [low, high], 0 <= low <= high <= 1"},
    {NULL, 0, NULL, NULL},
};

/* Checks of a drawn threshold distribution: a normal must put some mass in [0, 1] when draws
 * outside are redrawn, and a uniform's bounds must be in order. */
static rc_status_t wt_dist_finish(void *nested, const char **key)
{
    const wt_dist_t *d = nested;
    *key = NULL;
    if (d->dist == WT_NORMAL) {
        double inside = gsl_cdf_gaussian_P(1.0 - d->mean, d->sd) -
                        gsl_cdf_gaussian_P(0.0 - d->mean, d->sd);
        if (d->trunc == WT_REDRAW && inside < WT_MIN_INSIDE_MASS)
            return rc_error(RC_ERR_CONFIG, "Normal(%g, %g) puts only %.2g of its mass in [0, 1]; "
                            "redrawing would take too long (move the mean into [0, 1] or use "
                            "truncation: clip)", d->mean, d->sd, inside);
    } else if (d->dist == WT_UNIFORM && d->low > d->high) {
        return rc_error(RC_ERR_CONFIG, "low (%g) must not exceed high (%g)", d->low, d->high);
    }
    return RC_OK;
}

static const wt_dist_t wt_fixed = {.dist = WT_FIXED};

static const rc_param_t wt_params[] = {
    {.name = "phi", .type = RC_PARAM_REAL, .offset = offsetof(wt_params_t, phi), .def = 0.18,
     .lo = 0.0, .hi = 1.0,
     .doc = "fixed threshold: the fraction of followees who must have reshared (Watts' phi*)"},
    {.name = "phi_distribution", .type = RC_PARAM_VARIANT, .offset = offsetof(wt_params_t, d),
     .nested = &(const rc_param_nested_t){
         .tag = "type", .variants = wt_dist_variants, .kind_offset = offsetof(wt_dist_t, dist),
         .size = sizeof(wt_dist_t), .absent = &wt_fixed, .tag_default = -1,
         .scalar_number = -1, .finish = wt_dist_finish,
         .example = "a map like {type: normal, mean: 0.18, sd: 0.05}"},
     .def_text = "none (fixed phi)",
     .doc = "per-node thresholds instead of phi, drawn when the node is first shown the post, "
            "each run"},
    {0},
};

static rc_status_t wt_validate(void *params, uint64_t given, const char **key)
{
    (void)params;
    *key = NULL;
    if ((given & 1u) && (given & 2u)) {
        *key = "phi_distribution";
        return rc_error(RC_ERR_CONFIG, "give either phi (fixed) or phi_distribution, not both");
    }
    return RC_OK;
}

/* A node's threshold, drawn when it is first shown the post. */
static inline double wt_draw_phi(const wt_params_t *p, gsl_rng *r)
{
    switch (p->d.dist) {
    case WT_FIXED:
        return p->phi;
    case WT_UNIFORM:
        return p->d.low + (p->d.high - p->d.low) * rc_rng_uniform(r);
    case WT_NORMAL:
        for (;;) {
            double x = p->d.mean + gsl_ran_gaussian_ziggurat(r, p->d.sd);
            if (x >= 0.0 && x <= 1.0)
                return x;
            if (p->d.trunc == WT_CLIP)
                return x < 0.0 ? 0.0 : 1.0;
        }
    }
    return p->phi;
}

/* Adopted followees a node with k >= 1 followees and threshold phi in [0, 1] needs: the
 * smallest c >= 1 with c / k >= phi, tested by the same division as the definition so that the
 * boundary (3/10 against 0.3) is exact. */
static inline uint32_t wt_needed(double phi, uint64_t k)
{
    double x = ceil(phi * (double)k);
    uint64_t c = x < 1.0 ? 1 : (uint64_t)x;
    if (c > k)
        c = k;
    while (c > 1 && (double)(c - 1) / (double)k >= phi)
        c--;
    while (c < k && !((double)c / (double)k >= phi))
        c++;
    return (uint32_t)c;
}

static rc_status_t wt_run(const rc_run_ctx_t *ctx, const uint32_t *seeds, uint32_t n_seeds,
                          gsl_rng *r, rc_workspace_t *ws, rc_cascade_t *out)
{
    const rc_graph_t *g = ctx->graph;
    const wt_params_t *p = ctx->params;
    const uint32_t epoch = ws->epoch;
    uint32_t *restrict stamp = ws->stamp;
    uint32_t *restrict slot = ws->slot;
    uint32_t *restrict adopted = ws->adopted;
    uint32_t *restrict parent = ws->parent;
    uint32_t *restrict gen = ws->generation;
    const uint64_t *restrict off = g->out_off;
    const uint32_t *restrict nbr = g->out_nbr;
    const uint64_t *restrict in_off = g->in_off;
    const uint32_t cap = ctx->max_size ? ctx->max_size : UINT32_MAX;
    /* An audience was shown the post by its author, who is outside the graph: it counts in
     * reach from the start and is no one's followee, so it is in no fraction's numerator or
     * denominator. */
    const uint64_t *aud = ctx->audience_bits;
    uint64_t reach = ctx->audience_size;
    int capped = 0;
    uint32_t size = rc_place_seeds(ws, seeds, n_seeds, cap, WT_ADOPTED, aud, &reach, &capped);
    const uint32_t seeds_kept = size;

    /* slot[v] counts down the followees v still needs: set when v is first shown the post from
     * its threshold and in-degree, so each later exposure costs one decrement and the in-degree
     * is read once per node, not once per edge. After the cap, the loop only walks followers so
     * that reach is complete. */
    for (uint32_t head = 0; head < size; head++) {
        const uint32_t u = adopted[head];
        for (uint64_t e = off[u]; e < off[u + 1]; e++) {
            const uint32_t v = nbr[e];
            if (stamp[v] != epoch) {
                stamp[v] = epoch;
                slot[v] = wt_needed(wt_draw_phi(p, r), in_off[v + 1] - in_off[v]);
                reach += 1u ^ rc_audience_has(aud, v);
            } else if (slot[v] == WT_ADOPTED) {
                continue;
            }
            if (--slot[v] != 0)
                continue;
            if (size >= cap) {
                capped = 1;
                slot[v] = WT_ADOPTED; /* settled: nobody adopts past the cap */
                continue;
            }
            slot[v] = WT_ADOPTED;
            adopted[size] = v;
            parent[size] = head;
            gen[size] = gen[head] + 1;
            size++;
        }
    }

    rc_cascade_finish(out, ws, size, seeds_kept, 0, reach, capped, aud != NULL);
    return RC_OK;
}

const rc_model_t rc_model_watts_threshold = {
    .name = "watts_threshold",
    .summary = "a follower reshares once the fraction of its followees who reshared reaches its "
               "threshold phi (Watts 2002)",
    .params = wt_params,
    .params_size = sizeof(wt_params_t),
    .timed = 0,
    .validate = wt_validate,
    .prepare = NULL,
    .free_shared = NULL,
    .state_size = NULL,
    .run = wt_run,
};
