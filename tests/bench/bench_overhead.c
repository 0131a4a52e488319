/* The per-run fixed cost of the engine (build/tests/rc_bench_overhead; docs/benchmarks.md): on a
 * directed Erdos-Renyi graph, times each piece of a run of the independent cascade in a loop of
 * its own -- opening the run's stream and drawing its seed, the workspace's epoch reset, the
 * cascade, its metrics -- then the whole engine loop (rc_mc_run, whose remainder is the per-run
 * record and the loop itself), the per-point statistics (rc_mc_summarize) and the curves
 * (rc_curves_compute), each in nanoseconds per run of this thread's CPU time, and prints one
 * JSON object. */
#include "rtcascade/curves.h"
#include "rtcascade/engine.h"
#include "rtcascade/graph.h"
#include "rtcascade/model.h"
#include "rtcascade/rng.h"
#include "rtcascade/specs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof *x, cmp_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

typedef struct bench {
    const rc_graph_t *g;
    const rc_model_t *model;
    void *params;
    void *shared;
    rc_seed_plan_t *plan;
    rc_workspace_t *ws;
    gsl_rng *r;
    uint64_t runs;
    const char *kernel;
} bench_t;

enum { P_SEED, P_EPOCH, P_CASCADE, P_METRICS, P_ENGINE, P_SUMMARY, P_CURVES, P_N };
static const char *const piece_names[P_N] = {"stream_and_seed", "epoch_reset", "cascade",
                                             "metrics", "engine_loop", "summary", "curves"};

enum { METRICS_REPS = 8 };

/* Runs the pieces up to `upto` (P_SEED..P_METRICS) for every run; CPU seconds. */
static double loop_pieces(bench_t *b, int upto, uint64_t *sink)
{
    uint32_t seed = 0;
    uint32_t *sub = malloc(((size_t)b->ws->capacity + 1) * sizeof *sub);
    uint32_t *gen = malloc(((size_t)b->ws->capacity + 1) * sizeof *gen);
    rc_run_ctx_t ctx = {.graph = b->g, .params = b->params, .shared = b->shared};
    double t0 = cpu_now();
    for (uint64_t run = 0; run < b->runs; run++) {
        rc_rng_seed(b->r, 1, 0, run);
        rc_seeds_draw(b->plan, b->r, b->ws, &seed);
        if (upto >= P_EPOCH)
            rc_workspace_next_run(b->ws);
        if (upto >= P_CASCADE) {
            rc_cascade_t c;
            b->model->run(&ctx, &seed, 1, b->r, b->ws, &c);
            /* Metrics are computed METRICS_REPS times, so that their cost stands out of the
             * noise of the loop's (the piece is divided by METRICS_REPS). */
            for (int k = 0; upto >= P_METRICS && k < METRICS_REPS; k++) {
                rc_run_metrics_t m;
                rc_metrics_compute(&c, b->g, 5000, sub, gen, b->ws->value, &m);
                *sink += m.reach + m.depth;
            }
            *sink += c.size;
        }
        *sink += seed;
    }
    double t = cpu_now() - t0;
    free(sub);
    free(gen);
    return t;
}

/* One measurement of every piece, in ns per run, into ns[P_N]. */
static int measure(bench_t *b, double *ns, uint64_t *sink)
{
    double cum[P_METRICS + 1];
    for (int p = P_SEED; p <= P_METRICS; p++)
        cum[p] = loop_pieces(b, p, sink);
    const double per = 1e9 / (double)b->runs;
    ns[P_SEED] = cum[P_SEED] * per;
    for (int p = P_EPOCH; p <= P_METRICS; p++)
        ns[p] = (cum[p] - cum[p - 1]) * per;
    ns[P_METRICS] /= METRICS_REPS;
    rc_mc_options_t opt = rc_mc_default_options();
    opt.threads = 1;
    if (b->kernel != NULL) {
        rc_kernel_t k;
        if (rc_kernel_parse(b->kernel, &k) != RC_OK)
            return -1;
        opt.kernel = k;
    }
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    rc_mc_results_t *res = NULL;
    double t0 = cpu_now();
    if (rc_mc_run(b->g, b->model, b->params, &spec, b->runs, 1, 0, &opt, &res) != RC_OK)
        return -1;
    double t_all = cpu_now() - t0;
    t0 = cpu_now();
    rc_mc_summarize(res);
    double t_sum = cpu_now() - t0;
    rc_point_curves_t curves;
    t0 = cpu_now();
    rc_curves_compute(res, &curves);
    double t_curves = cpu_now() - t0;
    /* rc_mc_run summarised once itself: the engine loop is its time without that. */
    ns[P_ENGINE] = (t_all - t_sum) * per;
    ns[P_SUMMARY] = t_sum * per;
    ns[P_CURVES] = t_curves * per;
    *sink += res->total_adoptions;
    rc_curves_free(&curves);
    rc_mc_results_free(res);
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t n = 100000;
    double degree = 10, p = 0.05;
    uint64_t runs = 200000;
    int repeat = 5;
    const char *kernel = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--nodes") == 0)
            n = (uint32_t)strtoul(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--degree") == 0)
            degree = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--p") == 0)
            p = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0)
            repeat = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--kernel") == 0)
            kernel = argv[i + 1];
        else {
            fprintf(stderr, "usage: rc_bench_overhead [--nodes N] [--degree Z] [--p P] "
                            "[--runs R] [--repeat K] [--kernel auto|per_run|fused]\n");
            return 2;
        }
    }
    bench_t b = {.runs = runs, .kernel = kernel};
    rc_graph_t *g = NULL;
    rc_cfg_t *cfg = NULL;
    int rc = 1;
    char yaml[128];
    snprintf(yaml, sizeof yaml, "{name: independent_cascade, p: %.17g}", p);
    rc_seed_spec_t spec = {.strategy = RC_SEEDS_RANDOM, .count = 1};
    if (rc_gen_erdos_renyi(n, (uint64_t)(degree * n), 0, 1, &g) != RC_OK ||
        rc_cfg_parse_string(yaml, "<bench>", &cfg) != RC_OK ||
        rc_model_parse(cfg, &b.model, &b.params) != RC_OK ||
        rc_seeds_resolve(&spec, g, &b.plan) != RC_OK ||
        (b.model->prepare != NULL && b.model->prepare(b.params, g, &b.shared) != RC_OK) ||
        rc_model_workspace(b.model, b.params, g, &b.ws) != RC_OK) {
        fprintf(stderr, "rc_bench_overhead: %s\n", rc_error_message());
        goto done;
    }
    b.g = g;
    b.r = rc_rng_alloc();
    double samples[P_N][64];
    uint64_t sink = 0;
    if (repeat > 64)
        repeat = 64;
    for (int k = 0; k < repeat; k++) {
        double ns[P_N];
        if (measure(&b, ns, &sink) != 0) {
            fprintf(stderr, "rc_bench_overhead: %s\n", rc_error_message());
            goto done;
        }
        for (int q = 0; q < P_N; q++)
            samples[q][k] = ns[q];
    }
    printf("{\"nodes\": %u, \"edges\": %llu, \"p\": %g, \"runs\": %llu, \"repeat\": %d, "
           "\"kernel\": \"%s\", \"check\": %llu",
           g->n, (unsigned long long)g->m, p, (unsigned long long)runs, repeat,
           kernel ? kernel : "auto", (unsigned long long)(sink % 1000));
    for (int q = 0; q < P_N; q++)
        printf(", \"%s_ns\": %.2f", piece_names[q], median(samples[q], repeat));
    printf("}\n");
    rc = 0;
done:
    if (b.shared != NULL && b.model->free_shared != NULL)
        b.model->free_shared(b.shared);
    if (b.r != NULL)
        gsl_rng_free(b.r);
    rc_workspace_free(b.ws);
    rc_seed_plan_free(b.plan);
    if (b.params != NULL)
        rc_model_params_free(b.model, b.params);
    rc_cfg_free(cfg);
    rc_graph_free(g);
    return rc;
}
