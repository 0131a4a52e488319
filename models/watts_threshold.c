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

typedef struct wt_params {
    wt_phi_t dist;          /* how thresholds are set */
    double phi;             /* fixed threshold */
    double mean, sd;        /* normal */
    double low, high;       /* uniform */
    wt_truncation_t trunc;  /* normal: what to do with draws outside [0, 1] */
} wt_params_t;

/* slot[v] of a node that has reshared; other shown nodes count down the followees they need. */
#define WT_ADOPTED 0xffffffffU
/* Redrawing needs a fair chance of landing in [0, 1]; below this, refuse the distribution. */
#define WT_MIN_INSIDE_MASS 1e-3

static const rc_param_doc_t wt_docs[] = {
    {"phi", "0.18",
     "fixed threshold in [0, 1]: the fraction of followees who must have reshared (Watts' phi*)"},
    {"phi_distribution", "none (fixed phi)",
     "per-node thresholds instead of phi, drawn when the node is first shown the post, each run: "
     "{type: normal, mean: m, sd: s > 0, truncation: redraw|clip} (normal truncated to [0, 1]: "
     "redraw = resample until inside, the default; clip = values outside become 0 or 1) or "
     "{type: uniform, low: a, high: b} with 0 <= a <= b <= 1"},
    {NULL, NULL, NULL},
};

static rc_status_t wt_parse_distribution(const rc_cfg_t *node, wt_params_t *p)
{
    rc_status_t status = RC_OK;
    static const char *const normal_keys[] = {"type", "mean", "sd", "truncation", NULL};
    static const char *const uniform_keys[] = {"type", "low", "high", NULL};
    static const char *const type_names[] = {"normal", "uniform", NULL};
    if (rc_cfg_kind(node) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map like {type: normal, mean: 0.18, sd: 0.05}",
                rc_cfg_where(node), rc_cfg_path(node));
    RC_TRY(rc_cfg_require(node, "type"));
    int type = 0;
    RC_TRY(rc_cfg_choice(node, "type", type_names, 0, &type));
    if (type == 0) {
        p->dist = WT_NORMAL;
        RC_TRY(rc_cfg_check_keys(node, normal_keys));
        RC_TRY(rc_cfg_require(node, "mean"));
        RC_TRY(rc_cfg_require(node, "sd"));
        RC_TRY(rc_cfg_double(node, "mean", 0.18, -1e6, 1e6, &p->mean));
        RC_TRY(rc_cfg_double(node, "sd", 0.0, 0.0, 1e6, &p->sd));
        if (p->sd <= 0.0)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s.sd: expected a number > 0 (use phi: for a fixed "
                    "threshold), got %g", rc_cfg_where(rc_cfg_get(node, "sd")), rc_cfg_path(node),
                    p->sd);
        int t = 0;
        RC_TRY(rc_cfg_choice(node, "truncation", wt_truncation_names, WT_REDRAW, &t));
        p->trunc = (wt_truncation_t)t;
        double inside = gsl_cdf_gaussian_P(1.0 - p->mean, p->sd) -
                        gsl_cdf_gaussian_P(0.0 - p->mean, p->sd);
        if (p->trunc == WT_REDRAW && inside < WT_MIN_INSIDE_MASS)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: Normal(%g, %g) puts only %.2g of its mass in [0, 1]; "
                    "redrawing would take too long (move the mean into [0, 1] or use "
                    "truncation: clip)", rc_cfg_where(node), rc_cfg_path(node), p->mean, p->sd,
                    inside);
    } else {
        p->dist = WT_UNIFORM;
        RC_TRY(rc_cfg_check_keys(node, uniform_keys));
        RC_TRY(rc_cfg_require(node, "low"));
        RC_TRY(rc_cfg_require(node, "high"));
        RC_TRY(rc_cfg_double(node, "low", 0.0, 0.0, 1.0, &p->low));
        RC_TRY(rc_cfg_double(node, "high", 1.0, 0.0, 1.0, &p->high));
        if (p->low > p->high)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: low (%g) must not exceed high (%g)",
                    rc_cfg_where(node), rc_cfg_path(node), p->low, p->high);
    }
cleanup:
    return status;
}

static rc_status_t wt_parse(const rc_cfg_t *map, void **out)
{
    rc_status_t status = RC_OK;
    static const char *const keys[] = {"name", "phi", "phi_distribution", NULL};
    wt_params_t *p = calloc(1, sizeof *p);
    RC_ALLOC_CHECK(p, "Watts threshold parameters");
    RC_TRY(rc_cfg_check_keys(map, keys));
    RC_TRY(rc_cfg_double(map, "phi", 0.18, 0.0, 1.0, &p->phi));
    p->dist = WT_FIXED;
    const rc_cfg_t *dist = rc_cfg_get(map, "phi_distribution");
    if (dist != NULL) {
        if (rc_cfg_get(map, "phi") != NULL)
            RC_FAIL(RC_ERR_CONFIG, "%s: %s: give either phi (fixed) or phi_distribution, not both",
                    rc_cfg_where(dist), rc_cfg_path(map));
        RC_TRY(wt_parse_distribution(dist, p));
    }
    *out = p;
    p = NULL;
cleanup:
    free(p);
    return status;
}

static void wt_free_params(void *params)
{
    free(params);
}

/* A node's threshold, drawn when it is first shown the post. */
static inline double wt_draw_phi(const wt_params_t *p, gsl_rng *r)
{
    switch (p->dist) {
    case WT_FIXED:
        return p->phi;
    case WT_UNIFORM:
        return p->low + (p->high - p->low) * rc_rng_uniform(r);
    case WT_NORMAL:
        for (;;) {
            double x = p->mean + gsl_ran_gaussian_ziggurat(r, p->sd);
            if (x >= 0.0 && x <= 1.0)
                return x;
            if (p->trunc == WT_CLIP)
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
    .params = wt_docs,
    .timed = 0,
    .parse = wt_parse,
    .free_params = wt_free_params,
    .prepare = NULL,
    .free_shared = NULL,
    .state_size = NULL,
    .run = wt_run,
};
