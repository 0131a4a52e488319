/* Monte Carlo engine: many independent cascades of one model on one graph at one sweep point,
 * run in parallel with OpenMP, each from its own random stream keyed by (master seed, point,
 * run), so every per-run result is bit-for-bit the same whatever the thread count or schedule.
 *
 * Pieces: seed selection (seeds.c), per-run metrics of a cascade (metrics.c) and the driver
 * rc_mc_run (engine.c), which returns per-run metric arrays in run order and their summary. */
#ifndef RTCASCADE_ENGINE_H
#define RTCASCADE_ENGINE_H

#include "rtcascade/config.h"
#include "rtcascade/error.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Seeds (seeds.c) ---- */

typedef enum rc_seed_strategy {
    RC_SEEDS_RANDOM = 0,        /* `count` distinct nodes drawn afresh in every run */
    RC_SEEDS_LIST = 1,          /* the given accounts (original ids, else node indices) */
    RC_SEEDS_TOP_FOLLOWERS = 2, /* the `count` nodes with most followers (ties: lower index) */
    RC_SEEDS_COMMUNITY = 3      /* `count` distinct nodes of community `community`, per run */
} rc_seed_strategy_t;

/* The `seeds:` map as parsed, before a graph is known. */
typedef struct rc_seed_spec {
    rc_seed_strategy_t strategy;
    uint32_t count;     /* seeds per run (list: the list's length) */
    uint64_t *nodes;    /* list: account ids as given (owned), else NULL */
    uint32_t community; /* community strategy: which community */
    char where[160];    /* "file:line:col" of the map, for errors found once the graph is known */
} rc_seed_spec_t;

/* Names of the strategies, NULL-terminated, in enum order. */
extern const char *const rc_seed_strategy_names[];

/* Parses `seeds: {strategy: random|list|top_followers|community, count: k, nodes: [...],
 * community: c}`. map may be NULL (one random seed). Free with rc_seeds_clear. */
rc_status_t rc_seeds_parse(const rc_cfg_t *map, rc_seed_spec_t *spec);
/* Frees what rc_seeds_parse allocated; safe on a zeroed or cleared spec. */
void rc_seeds_clear(rc_seed_spec_t *spec);

/* A seed spec resolved against a graph: fixed seeds found once, pools for random draws. */
typedef struct rc_seed_plan {
    rc_seed_strategy_t strategy;
    uint32_t count;       /* seeds per run */
    uint32_t *fixed;      /* list / top_followers: the seeds (count), else NULL */
    uint32_t *pool;       /* community: its members in ascending order, else NULL */
    uint32_t pool_size;   /* community size, or n for random */
} rc_seed_plan_t;

/* Resolves spec against g: checks ids, counts and communities (errors name the seeds: map).
 * O(n) for top_followers and list, O(n) for community. Free with rc_seed_plan_free. */
rc_status_t rc_seeds_resolve(const rc_seed_spec_t *spec, const rc_graph_t *g,
                             rc_seed_plan_t **out);
void rc_seed_plan_free(rc_seed_plan_t *plan);

/* Writes the run's plan->count seeds (distinct) into out, drawing from r when the strategy is
 * random or community (Floyd's algorithm: exactly count draws, O(count) time, using ws stamps,
 * whose epoch it bumps). Cannot fail. */
void rc_seeds_draw(const rc_seed_plan_t *plan, gsl_rng *r, rc_workspace_t *ws, uint32_t *out);

/* ---- Per-run metrics (metrics.c) ---- */

typedef enum rc_metric {
    RC_METRIC_RETWEETS = 0, /* adopters minus seeds */
    RC_METRIC_REACH,        /* distinct users shown the post */
    RC_METRIC_DEPTH,        /* largest generation (longest reshare chain) */
    RC_METRIC_MAX_BREADTH,  /* most reshares in one generation >= 1 */
    RC_METRIC_VIRALITY,     /* structural virality (Goel et al. 2016) */
    RC_METRIC_FINAL_TIME,   /* timed models: time of the last adoption */
    RC_METRIC_T50,          /* timed models: time at which half the final size had adopted */
    RC_METRIC_T90,          /* timed models: ... 90% ... */
    RC_N_METRICS
} rc_metric_t;

/* Column names of the metrics ("retweets", "reach", ...), in enum order. */
extern const char *const rc_metric_names[RC_N_METRICS];

typedef struct rc_run_metrics {
    uint32_t size;        /* adopters, seeds included */
    uint32_t retweets;    /* size - seeds */
    uint64_t reach;       /* distinct users shown the post */
    uint32_t depth;       /* max generation */
    uint32_t max_breadth; /* most adopters in one generation >= 1 (0 when nobody reshared) */
    double virality;      /* mean distance over all pairs of nodes of the cascade tree */
    double final_time;    /* NAN for untimed models */
    double t50;           /* NAN for untimed models */
    double t90;           /* NAN for untimed models */
    uint64_t edges;       /* out-edges of all adopters: the trials a run examined (work) */
    int global;           /* 1 when size >= the global threshold */
    int capped;           /* 1 when the run stopped at the size cap */
} rc_run_metrics_t;

/* Metrics of one cascade. Parents must precede their children in c->node (every model appends
 * adopters as they adopt); RC_ERR_INTERNAL otherwise. Scratch (caller's, not read): sub and
 * gen_count with room for c->size + 1 entries; gen_count[0..depth] receives the adoptions per
 * generation. tscratch (room for c->size) is used only when a timed cascade's times are not in
 * order. With several seeds, structural virality is taken over the forest joined by a virtual
 * root (the post itself) counted as a node; with one seed it is the tree's own (Goel et al.).
 * global_threshold: a run is global when size >= it (0 = never). g may be NULL (edges = 0). */
rc_status_t rc_metrics_compute(const rc_cascade_t *c, const rc_graph_t *g,
                               uint64_t global_threshold, uint32_t *sub, uint32_t *gen_count,
                               double *tscratch, rc_run_metrics_t *m);

/* ---- The Monte Carlo driver (engine.c) ---- */

typedef enum rc_schedule {
    RC_SCHEDULE_DYNAMIC = 0, /* default: balances runs of very different sizes */
    RC_SCHEDULE_STATIC = 1,
    RC_SCHEDULE_GUIDED = 2
} rc_schedule_t;

typedef struct rc_mc_options {
    double global_fraction; /* a run is global when size >= global_fraction * n; default 0.05 */
    uint32_t max_size;      /* stop a run at this many adopters and flag it capped; 0 = no cap */
    int threads;            /* OpenMP threads; 0 = OpenMP's default (OMP_NUM_THREADS) */
    rc_schedule_t schedule; /* OpenMP schedule of the run loop */
    uint32_t chunk;         /* runs per scheduling chunk; 0 = 16 */
} rc_mc_options_t;

/* The defaults listed above. */
rc_mc_options_t rc_mc_default_options(void);

typedef struct rc_metric_summary {
    uint64_t count; /* runs with a value (all runs; 0 for time metrics of untimed models) */
    double mean, sd, se; /* sample mean, standard deviation (n-1), standard error sd/sqrt(n) */
    double min, q05, q25, median, q75, q95, max; /* quantiles: linear interpolation (type 7) */
} rc_metric_summary_t;

/* Per-run results in run order (struct of arrays) and their summary. */
typedef struct rc_mc_results {
    uint64_t runs;         /* number of runs */
    uint64_t point;        /* sweep point index */
    uint32_t seeds;        /* seeds per run */
    int timed;             /* 1 when the time metrics are filled */
    uint64_t global_threshold; /* size at and above which a run counts as global */
    uint32_t *size;        /* adopters per run, seeds included */
    uint32_t *retweets;
    uint64_t *reach;
    uint32_t *depth;
    uint32_t *max_breadth;
    double *virality;
    double *final_time;    /* NULL for untimed models */
    double *t50;           /* NULL for untimed models */
    double *t90;           /* NULL for untimed models */
    uint64_t *edges;       /* out-edges of each run's adopters */
    uint8_t *global;
    uint8_t *capped;
    uint64_t *gen_total;   /* gen_total[g]: adoptions in generation g summed over all runs */
    uint32_t gen_len;      /* generations with an entry (max depth + 1) */
    rc_metric_summary_t summary[RC_N_METRICS];
    double p_global;       /* fraction of global runs */
    double p_global_se;    /* its binomial standard error */
    double p_capped;       /* fraction of capped runs */
    double mean_size_global; /* mean size of global runs (NAN when none) */
    double seconds;        /* wall time of the run loop (not deterministic, not for files) */
    uint64_t total_edges;  /* sum of edges over runs */
    uint64_t total_adoptions; /* sum of size over runs */
} rc_mc_results_t;

void rc_mc_results_free(rc_mc_results_t *res);

/* Runs `runs` cascades of `model` (with parsed `params`) on g at sweep point `point`. Run r
 * draws seeds and then the cascade from the stream rc_rng_seed(master_seed, point, r) only.
 * prepare() is called once here; each thread allocates one workspace and reuses it. The engine
 * bumps the workspace epoch before each run (models may bump it again). On error nothing is
 * returned and the message names the first failing run. opt may be NULL (defaults). */
rc_status_t rc_mc_run(const rc_graph_t *g, const rc_model_t *model, const void *params,
                      const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                      uint64_t point, const rc_mc_options_t *opt, rc_mc_results_t **out);

/* Fills summary, p_global etc. of res from its per-run arrays (done by rc_mc_run; exposed for
 * results assembled otherwise, e.g. merged from MPI ranks). Deterministic: sums in run order. */
rc_status_t rc_mc_summarize(rc_mc_results_t *res);

#endif
