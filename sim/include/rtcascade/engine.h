/* Monte Carlo engine: many independent cascades of one model on one graph at one sweep point,
 * run in parallel with OpenMP, each from its own random stream keyed by (master seed, point,
 * run), so every per-run result is bit-for-bit the same whatever the thread count or schedule.
 *
 * Pieces: seed selection (seeds.c), per-run metrics of a cascade (metrics.c) and the driver
 * rc_mc_run (engine.c), which returns per-run metric arrays in run order and their summary. */
#ifndef RTCASCADE_ENGINE_H
#define RTCASCADE_ENGINE_H

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
    RC_SEEDS_COMMUNITY = 3,     /* `count` distinct nodes of community `community`, per run */
    RC_SEEDS_TOP_FRACTION = 4,  /* `count` distinct nodes drawn per run from the top `fraction`
                                   of nodes by followers (ties: lower index) */
    /* Influence maximisation (greedy.c): fixed seeds found once per point. */
    RC_SEEDS_DEGREE_DISCOUNT = 5, /* DegreeDiscountIC (Chen et al. 2009) with probability `p` */
    RC_SEEDS_GREEDY = 6,        /* Kempe et al. (2003) greedy with CELF, by Monte Carlo of the
                                   point's model (`greedy_runs`, `greedy_candidates`) */
    RC_SEEDS_HIGH_DEGREE = 7,   /* the same as top_followers (the papers' name) */
    RC_SEEDS_BY_FOLLOWERS = 8   /* `count` distinct nodes drawn per run, each next one with
                                   probability proportional to followers + `offset` */
} rc_seed_strategy_t;

/* The `seeds:` map as parsed, before a graph is known. */
typedef struct rc_seed_spec {
    rc_seed_strategy_t strategy;
    uint32_t count;     /* seeds per run (list: the list's length) */
    uint64_t *nodes;    /* list: account ids as given (owned), else NULL */
    uint32_t community; /* community strategy: which community */
    double fraction;    /* top_fraction: share of nodes in the top set, in (0, 1] */
    double p;           /* degree_discount: the IC probability of its discount */
    uint32_t greedy_runs;       /* greedy: Monte Carlo runs per marginal-gain estimate */
    uint32_t greedy_candidates; /* greedy: only the this many top nodes by followers; 0 = all */
    double offset;      /* by_followers: weight = followers + offset, offset >= 0 (default 1) */
    char where[160];    /* "file:line:col" of the map, for errors found once the graph is known */
} rc_seed_spec_t;

/* Names of the strategies, NULL-terminated, in enum order. */
extern const char *const rc_seed_strategy_names[];

/* The default spec: one random seed (where = "seeds"). Nothing to free. */
void rc_seeds_default(rc_seed_spec_t *spec);
/* Frees what a spec owns (its node list); safe on a zeroed or cleared spec. */
void rc_seeds_clear(rc_seed_spec_t *spec);

/* A seed spec resolved against a graph: fixed seeds found once, pools for random draws. */
typedef struct rc_seed_plan {
    rc_seed_strategy_t strategy;
    uint32_t count;       /* seeds per run */
    uint32_t *fixed;      /* list / top_followers: the seeds (count), else NULL */
    uint32_t *pool;       /* community: its members in ascending order; top_fraction: the
                             top set, most followers first; else NULL */
    uint32_t pool_size;   /* community or top set size, or n for random */
    void *alias;          /* by_followers: alias table (gsl_ran_discrete_t) of followers +
                             offset over all nodes, else NULL */
} rc_seed_plan_t;

/* Resolves spec against g: checks ids, counts and communities (errors name the seeds: map).
 * O(n) for top_followers and list, O(n) for community; top_fraction: the top set is the
 * ceil(fraction n) nodes with most followers (ties: lower index), O(n + max degree + set log
 * set). Free with rc_seed_plan_free. */
rc_status_t rc_seeds_resolve(const rc_seed_spec_t *spec, const rc_graph_t *g,
                             rc_seed_plan_t **out);
void rc_seed_plan_free(rc_seed_plan_t *plan);

/* Writes the run's plan->count seeds (distinct) into out, drawing from r when the strategy is
 * random, community or top_fraction (a uniform subset of the pool by Floyd's algorithm:
 * exactly count draws, O(count) time; for count > 1 it marks draws with ws stamps, whose epoch
 * it bumps) or by_followers
 * (successive sampling by rejection from the alias table: each next seed with probability
 * proportional to followers + offset among those not yet drawn; expected O(count) draws, the
 * bound checked when resolved). Cannot fail. */
void rc_seeds_draw(const rc_seed_plan_t *plan, gsl_rng *r, rc_workspace_t *ws, uint32_t *out);

/* ---- Audience scenarios (audience.c) ---- */

/* An author outside the network posts; `size` accounts picked from the network follow it and
 * are all shown the post; each reshares with probability `engagement`, and those resharers are
 * the cascade's seeds (the model's own rules apply beyond that first hop). */
typedef enum rc_audience_pick {
    RC_AUDIENCE_RANDOM = 0,        /* `size` distinct accounts, uniformly */
    RC_AUDIENCE_TOP_FOLLOWERS = 1, /* the `size` accounts with most followers (ties: lower index) */
    RC_AUDIENCE_TOP_FOLLOWERS_IN_COMMUNITY = 2, /* the same within community `community` */
    RC_AUDIENCE_COMMUNITY = 3,     /* `size` distinct accounts of community `community`, uniformly */
    RC_AUDIENCE_PREFERENTIAL = 4   /* without replacement, each next one with probability
                                      proportional to followers + 1 (successive sampling) */
} rc_audience_pick_t;

/* Names of the picks, NULL-terminated, in enum order. */
extern const char *const rc_audience_pick_names[];

/* Point slot of the fixed-audience stream rc_rng_seed(master, RC_AUDIENCE_STREAM, author key):
 * far above any point index, so it never collides with a run's stream (master, point, run). */
#define RC_AUDIENCE_STREAM (UINT64_MAX - 1)

/* The `audience:` map as parsed, before a graph is known. */
typedef struct rc_audience_spec {
    rc_audience_pick_t pick;
    uint32_t size;      /* followers of the author, >= 1 (when fraction is 0) */
    double fraction;    /* > 0: the author is followed by this fraction of the accounts (of the
                           community, for the community picks), rounded up, at least 1;
                           1 = all of them (`size: all`); 0: `size` counts them */
    double engagement;  /* probability in [0, 1] that one of them reshares */
    uint32_t community; /* community picks: which community (default 0) */
    int redraw;         /* 1: a new audience in every run (random picks); 0: one per point */
    char where[160];    /* "file:line:col: path" of the map, for errors found with the graph */
} rc_audience_spec_t;

/* Checks spec against g without drawing: size at most the nodes (or the community's members),
 * the community exists. RC_ERR_CONFIG naming the audience: map. O(n) for community picks. */
rc_status_t rc_audience_check(const rc_audience_spec_t *spec, const rc_graph_t *g);

/* The audience's size on g: spec->size, or its fraction of the accounts (of the community for
 * the community picks), rounded up. RC_ERR_CONFIG as rc_audience_check. */
rc_status_t rc_audience_size(const rc_audience_spec_t *spec, const rc_graph_t *g, uint32_t *size);

/* An audience resolved against a graph for one sweep point. */
typedef struct rc_audience {
    rc_audience_spec_t spec;
    uint32_t n;           /* nodes of the graph */
    uint32_t size;        /* members */
    int redraw;           /* 1 when every run draws its own members (spec.redraw with a random
                             pick; top-k picks are the same every time) */
    uint32_t *members;    /* the point's members (size entries); NULL when redraw */
    uint64_t *bits;       /* (n + 63) / 64 words, bit v set for each member; NULL when redraw */
    double inv_log_q;     /* 1 / log(1 - engagement), for geometric skips */
    /* Private to audience.c: what per-run draws need. */
    const rc_graph_t *g;
    uint32_t *pool;       /* community picks: the community's members, ascending */
    uint32_t pool_size;   /* community size, or n */
    void *alias;          /* preferential redraw: an alias table (gsl_ran_discrete_t) when
                             rejection sampling is cheap, NULL for a full key pass per run */
} rc_audience_t;

/* The key of the fixed-audience stream: (size, community, pick) packed, so that points with the
 * same audience definition get the same audience whatever their engagement or model. */
static inline uint64_t rc_audience_author_key(const rc_audience_spec_t *spec)
{
    return ((uint64_t)spec->size << 32) ^ ((uint64_t)spec->community << 3) ^ (uint64_t)spec->pick;
}

/* Resolves spec against g: checks it (rc_audience_check), its size from a fraction when it
 * has one (a->spec then holds the resolved size), then, unless it is redrawn per run,
 * draws the members once from the stream rc_rng_seed(master_seed, RC_AUDIENCE_STREAM,
 * rc_audience_author_key(spec)) and builds their bitmap (`point` is kept for the API). Costs: random O(size); community O(n + size);
 * top picks O(n + max degree + size log size); preferential O(n log size) (Efraimidis-Spirakis
 * keys). g must outlive *out. Free with rc_audience_free. */
rc_status_t rc_audience_resolve(const rc_audience_spec_t *spec, const rc_graph_t *g,
                                uint64_t master_seed, uint64_t point, rc_audience_t **out);
void rc_audience_free(rc_audience_t *a);

/* Per-thread buffer for audiences redrawn in every run. */
typedef struct rc_audience_buf {
    uint32_t *members; /* the last draw's members (size entries) */
    uint64_t *bits;    /* their bitmap (n bits); cleared member by member before the next draw */
    uint32_t count;    /* members whose bits are set */
    void *heap;        /* preferential without an alias table: key heap scratch */
} rc_audience_buf_t;

/* A buffer for draws of audience a (O(n / 8) bytes, once per thread). NULL-safe free. */
rc_status_t rc_audience_buf_alloc(const rc_audience_t *a, rc_audience_buf_t **out);
void rc_audience_buf_free(rc_audience_buf_t *b);

/* Draws a new audience of a->size members into b from r: random and community by Floyd's
 * algorithm in O(size); preferential by rejection from an alias table in expected O(size) when
 * the chosen accounts cannot hold more than half of the total weight, otherwise by
 * Efraimidis-Spirakis keys in O(n log size); top picks copy the fixed members. Cannot fail. */
void rc_audience_draw(const rc_audience_t *a, gsl_rng *r, rc_audience_buf_t *b);

/* The first hop of a run: each of the a->size accounts in `members` reshares independently with
 * probability a->spec.engagement. Writes the resharers to out (room for a->size) in member
 * order and returns how many. Geometric skips over the array: O(resharers + 1) draws, however
 * large the audience. Cannot fail. */
uint32_t rc_audience_first_hop(const rc_audience_t *a, const uint32_t *members, gsl_rng *r,
                               uint32_t *out);

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
    uint32_t size;        /* adopters, seeds included (audience: the resharers) */
    uint32_t retweets;    /* size - seeds (audience: every resharer; the author is not one) */
    uint64_t reach;       /* distinct users shown the post */
    uint32_t depth;       /* max generation (audience: from the author, a first-hop reshare is 1) */
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
 * A rooted cascade (audience) always has that root, the author: its seeds are generation 1,
 * gen_count[0] = 0, every adopter is a retweet, and depth and virality include the author.
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

/* How the runs of a point are computed (`engine.kernel`). */
typedef enum rc_kernel {
    RC_KERNEL_AUTO = 0,    /* chosen from the config and the graph (rc_mc_kernel_choose,
                              rc_mc_kernel_pilot), never from timing */
    RC_KERNEL_PER_RUN = 1, /* one run at a time, from its xoshiro256++ stream: the reference */
    RC_KERNEL_FUSED = 2    /* 64 runs at a time, one bit per run per node, coins and thresholds
                              from counter-based words keyed by (seed, point, run, edge or node) */
} rc_kernel_t;

/* Names of the kernels ("auto", "per_run", "fused"), NULL-terminated, in enum order. */
extern const char *const rc_kernel_names[];

/* The kernel called name; RC_ERR_CONFIG naming the valid ones otherwise. */
rc_status_t rc_kernel_parse(const char *name, rc_kernel_t *out);

/* The `engine:` section of a config, as data (rc_engine_params, filled by the io layer). */
typedef struct rc_engine_spec {
    int kernel; /* rc_kernel_t */
} rc_engine_spec_t;

/* Its keys: kernel (auto | per_run | fused, default auto). */
extern const rc_param_t rc_engine_params[];

/* Greedy seed sequences kept between calls (greedy.h). */
typedef struct rc_greedy_cache rc_greedy_cache_t;

/* Someone who wants every run's cascade tree (who adopted, through whom, in which generation, at
 * what time), not only its metrics: the Python API's events, a results file's events. */
typedef struct rc_mc_recorder {
    /* Called once per run, right after the run's metrics, on the thread that ran it: calls for
     * different runs may overlap, so it must be safe across runs. `run` is the run's number in
     * the point (first_run + its index in the call). The cascade's arrays belong to the thread's
     * workspace and are valid during the call only. A status other than RC_OK (with its
     * message) fails the run, and so the call, like an error of the model. */
    rc_status_t (*record)(void *ctx, uint64_t run, const rc_cascade_t *cascade);
    void *ctx;
} rc_mc_recorder_t;

typedef struct rc_mc_options {
    double global_fraction; /* a run is global when size >= global_fraction * n; default 0.05 */
    uint32_t max_size;      /* stop a run at this many adopters and flag it capped; 0 = no cap */
    int threads;            /* OpenMP threads; 0 = OpenMP's default (OMP_NUM_THREADS) */
    rc_schedule_t schedule; /* OpenMP schedule of the run loop */
    uint32_t chunk;         /* runs per scheduling chunk; 0 = 16 */
    const rc_audience_spec_t *audience; /* an audience scenario instead of seeds; NULL = seeds */
    uint64_t first_run;     /* the call runs the point's runs [first_run, first_run + runs): its
                               run i draws from stream first_run + i and lands at index i, so
                               blocks of one point (e.g. on MPI ranks) merge into exactly the
                               one-call result; default 0 */
    int (*cancel)(void *ctx); /* polled (from any of the call's threads) before each run with
                               cancel_ctx; non-zero abandons the call's remaining runs and
                               rc_mc_run returns RC_ERR_INTERRUPTED (e.g. on Ctrl-C); NULL
                               (default) = never */
    void *cancel_ctx;
    const char *model_key;  /* text naming the model and its parameters (e.g. the model: map as
                               YAML): the key of greedy seed sequences in greedy_cache */
    rc_greedy_cache_t *greedy_cache; /* where greedy sequences are kept across calls; NULL
                               (default) = computed afresh in every call */
    const rc_mc_recorder_t *recorder; /* told every run's cascade (events.h collects them);
                               NULL (default) = none. Never changes a result */
    rc_kernel_t kernel;     /* engine.kernel; default RC_KERNEL_AUTO */
    uint64_t point_runs;    /* all runs of the point, when the call runs a block of them
                               (first_run, runs): auto's pilot asks the point's size; 0
                               (default) = the call's runs */
    rc_kernel_t *kernel_memo; /* auto: where the kernel auto chose for this point is kept
                               (RC_KERNEL_AUTO until chosen), so that a point run in blocks
                               runs its pilot once; NULL (default) = none */
} rc_mc_options_t;

/* The defaults listed above. */
rc_mc_options_t rc_mc_default_options(void);

typedef struct rc_metric_summary {
    uint64_t count; /* runs with a value (all runs; 0 for time metrics of untimed models) */
    double mean, sd, se; /* sample mean, standard deviation (n-1), standard error sd/sqrt(n) */
    double min, q05, q25, median, q75, q95, max; /* quantiles: linear interpolation (type 7) */
} rc_metric_summary_t;

struct rc_events; /* events.h */

/* Per-run results in run order (struct of arrays) and their summary. */
typedef struct rc_mc_results {
    uint64_t runs;         /* number of runs */
    uint64_t point;        /* sweep point index */
    uint32_t seeds;        /* seeds per run (0 in an audience scenario: resharers vary) */
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
    uint32_t audience;     /* audience size in an audience scenario, 0 with seeds */
    rc_metric_summary_t reach_per_member; /* audience: summary of reach / audience per run
                                             (count 0 and NaN with seeds) */
    int kernel;            /* rc_kernel_t that computed the runs: per_run or fused */
    /* Growth N(t) (timed models; NULL otherwise): 3 * RC_GROWTH_TIMES words (curves.h): the sum
     * over runs of N(t_k), the adopters by time t_k, then the sum of N(t_k)^2 as its low and its
     * high 64-bit words. Integer sums, so they do not depend on the thread count. */
    uint64_t *growth;
    struct rc_events *events; /* every run's cascade tree when the point asked for it
                                 (events.h), else NULL; freed with the results */
    uint64_t fused_visits; /* fused kernel: reads of a node's followers, each for every run in
                              which it adopted in one generation (total_adoptions /
                              fused_visits: runs served per read); 0 for per_run. A diagnostic:
                              it depends on how runs were split into blocks, and is not
                              written to files */
} rc_mc_results_t;

void rc_mc_results_free(rc_mc_results_t *res);

/* Runs `runs` cascades of `model` (with parsed `params`) on g at sweep point `point`. Run r
 * draws seeds and then the cascade from the stream rc_rng_seed(master_seed, point, r) only.
 * With opt->audience, `seeds` is ignored (may be NULL): the audience is resolved once here
 * (rc_audience_resolve) and run r draws its first hop (after its own audience when redrawn)
 * from its stream; the resharers are the model's seeds in a rooted cascade.
 * prepare() is called once here; each thread allocates one workspace and reuses it. The engine
 * bumps the workspace epoch before each run (models may bump it again). On error nothing is
 * returned and the message names the first failing run. opt may be NULL (defaults).
 * With opt->first_run = f, the call is the block [f, f + runs) of the point's runs (stream
 * keys f + i, results at index i); rc_mc_blocks_merge (mc_blocks.h) joins such blocks. */
rc_status_t rc_mc_run(const rc_graph_t *g, const rc_model_t *model, const void *params,
                      const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                      uint64_t point, const rc_mc_options_t *opt, rc_mc_results_t **out);

/* Points with fewer runs than this stay per_run under auto: its pilot (64 runs) would cost
 * them more than fused could save. */
#define RC_AUTO_MIN_RUNS 1024
/* auto picks fused when its pilot's runs share a read of a node's followers at least this many
 * times (docs/benchmarks.md: from 6, fused was 1.06x to 2.3x per_run on five network families;
 * at 3.5 or fewer it was slower). */
#define RC_AUTO_RUNS_PER_READ 6.0

/* The kernel that runs a point: o->kernel, never chosen from timing, so that a config gives the
 * same file anywhere. Fused runs when asked for and the model has a fused kernel for these
 * parameters on g, the audience (if any) is fixed and o->max_size (when set) is at least
 * max_seeds; RC_ERR_CONFIG otherwise, naming why. RC_KERNEL_AUTO gives per_run, or stays
 * RC_KERNEL_AUTO when a pilot is to decide (rc_mc_point_begin runs it): the model's fused
 * kernel may pay (fused_auto), it could run the point, and the point (o->point_runs, else
 * `runs`) has RC_AUTO_MIN_RUNS runs or more. `shared` is the model's prepare() result;
 * `redraw`: an audience redrawn in every run. */
rc_status_t rc_mc_kernel_choose(const rc_model_t *model, const void *params, const void *shared,
                                const rc_graph_t *g, uint32_t max_seeds, int redraw,
                                uint64_t runs, const rc_mc_options_t *o, rc_kernel_t *out);

/* Fills summary, p_global etc. of res from its per-run arrays (done by rc_mc_run; exposed for
 * results assembled otherwise, e.g. merged from MPI ranks). Deterministic: sums in run order. */
rc_status_t rc_mc_summarize(rc_mc_results_t *res);

#endif
