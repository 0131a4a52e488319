/* The Monte Carlo driver: runs the cascades of one sweep point in parallel with OpenMP. Each run
 * is a pure function of (graph, model, parameters, master seed, point, run index): its stream is
 * keyed by those, its results go to index [run], and per-point totals are sums of integers or are
 * taken in run order afterwards, so every output is the same for any thread count or schedule. */
#include "rtcascade/engine.h"
#include "rtcascade/greedy.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

rc_mc_options_t rc_mc_default_options(void)
{
    rc_mc_options_t o = {
        .global_fraction = 0.05,
        .max_size = 0,
        .threads = 0,
        .schedule = RC_SCHEDULE_DYNAMIC,
        .chunk = 16,
        .audience = NULL,
        .first_run = 0,
    };
    return o;
}

void rc_mc_results_free(rc_mc_results_t *res)
{
    if (res == NULL)
        return;
    free(res->size);
    free(res->retweets);
    free(res->reach);
    free(res->depth);
    free(res->max_breadth);
    free(res->virality);
    free(res->final_time);
    free(res->t50);
    free(res->t90);
    free(res->edges);
    free(res->global);
    free(res->capped);
    free(res->gen_total);
    free(res);
}

static rc_status_t results_alloc(uint64_t runs, int timed, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = calloc(1, sizeof *res);
    RC_ALLOC_CHECK(res, "Monte Carlo results");
    size_t n = (size_t)runs;
#define RC_ALLOC_ARRAY(field)                                                                      \
    do {                                                                                           \
        res->field = calloc(n, sizeof *res->field);                                                \
        RC_ALLOC_CHECK(res->field, "per-run " #field " values");                                   \
    } while (0)
    RC_ALLOC_ARRAY(size);
    RC_ALLOC_ARRAY(retweets);
    RC_ALLOC_ARRAY(reach);
    RC_ALLOC_ARRAY(depth);
    RC_ALLOC_ARRAY(max_breadth);
    RC_ALLOC_ARRAY(virality);
    RC_ALLOC_ARRAY(edges);
    RC_ALLOC_ARRAY(global);
    RC_ALLOC_ARRAY(capped);
    if (timed) {
        RC_ALLOC_ARRAY(final_time);
        RC_ALLOC_ARRAY(t50);
        RC_ALLOC_ARRAY(t90);
    }
#undef RC_ALLOC_ARRAY
    res->runs = runs;
    res->timed = timed;
    *out = res;
    res = NULL;
cleanup:
    rc_mc_results_free(res);
    return status;
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Mean, sd, se and quantiles of x[0..n) (in run order); buf has room for n doubles. */
static void summarize_values(const double *x, uint64_t n, double *buf, rc_metric_summary_t *s)
{
    s->count = n;
    if (n == 0) {
        s->mean = s->sd = s->se = s->min = s->q05 = s->q25 = NAN;
        s->median = s->q75 = s->q95 = s->max = NAN;
        return;
    }
    s->mean = gsl_stats_mean(x, 1, n);
    s->sd = n > 1 ? gsl_stats_sd_m(x, 1, n, s->mean) : 0.0;
    s->se = s->sd / sqrt((double)n);
    memcpy(buf, x, n * sizeof *buf);
    qsort(buf, n, sizeof *buf, double_cmp);
    s->min = buf[0];
    s->max = buf[n - 1];
    s->q05 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.05);
    s->q25 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.25);
    s->median = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.5);
    s->q75 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.75);
    s->q95 = gsl_stats_quantile_from_sorted_data(buf, 1, n, 0.95);
}

rc_status_t rc_mc_summarize(rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    const uint64_t n = res->runs;
    double *x = malloc((n ? n : 1) * sizeof *x);
    double *buf = malloc((n ? n : 1) * sizeof *buf);
    RC_ALLOC_CHECK(x, "summary scratch");
    RC_ALLOC_CHECK(buf, "summary scratch");
    for (int m = 0; m < RC_N_METRICS; m++) {
        uint64_t count = n;
        for (uint64_t i = 0; i < n; i++) {
            switch ((rc_metric_t)m) {
            case RC_METRIC_RETWEETS: x[i] = res->retweets[i]; break;
            case RC_METRIC_REACH: x[i] = (double)res->reach[i]; break;
            case RC_METRIC_DEPTH: x[i] = res->depth[i]; break;
            case RC_METRIC_MAX_BREADTH: x[i] = res->max_breadth[i]; break;
            case RC_METRIC_VIRALITY: x[i] = res->virality[i]; break;
            case RC_METRIC_FINAL_TIME: x[i] = res->timed ? res->final_time[i] : NAN; break;
            case RC_METRIC_T50: x[i] = res->timed ? res->t50[i] : NAN; break;
            case RC_METRIC_T90: x[i] = res->timed ? res->t90[i] : NAN; break;
            case RC_N_METRICS: break;
            }
        }
        if (m >= RC_METRIC_FINAL_TIME && !res->timed)
            count = 0;
        summarize_values(x, count, buf, &res->summary[m]);
    }
    /* Per audience member, from the per-run ratios (not the reach summary scaled), so that
     * every quantile is that of the ratio itself. */
    for (uint64_t i = 0; res->audience > 0 && i < n; i++)
        x[i] = (double)res->reach[i] / (double)res->audience;
    summarize_values(x, res->audience > 0 ? n : 0, buf, &res->reach_per_member);
    uint64_t global = 0, capped = 0, size_global = 0;
    res->total_edges = res->total_adoptions = 0;
    for (uint64_t i = 0; i < n; i++) {
        global += res->global[i];
        capped += res->capped[i];
        if (res->global[i])
            size_global += res->size[i];
        res->total_edges += res->edges[i];
        res->total_adoptions += res->size[i];
    }
    res->p_global = n ? (double)global / (double)n : NAN;
    res->p_global_se = n ? sqrt(res->p_global * (1.0 - res->p_global) / (double)n) : NAN;
    res->p_capped = n ? (double)capped / (double)n : NAN;
    res->mean_size_global = global ? (double)size_global / (double)global : NAN;
cleanup:
    free(x);
    free(buf);
    return status;
}

/* The first failure by run index wins, so the reported error does not depend on timing. */
typedef struct mc_failure {
    rc_status_t status;
    uint64_t run;       /* failing run, UINT64_MAX for a thread's setup */
    char message[1024];
} mc_failure_t;

static void record_failure(mc_failure_t *f, uint64_t run, rc_status_t st, int *stop)
{
#pragma omp critical(rc_mc_failure)
    {
        if (f->status == RC_OK || run < f->run) {
            f->status = st;
            f->run = run;
            snprintf(f->message, sizeof f->message, "%s", rc_error_message());
        }
    }
#pragma omp atomic write
    *stop = 1;
}

/* Adds a thread's per-generation counts into *total (growing it). */
static rc_status_t add_gen_counts(uint64_t **total, uint32_t *len, const uint64_t *add,
                                  uint32_t add_len)
{
    if (add_len > *len) {
        uint64_t *t = realloc(*total, (size_t)add_len * sizeof *t);
        if (t == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for adoptions per generation");
        memset(t + *len, 0, (size_t)(add_len - *len) * sizeof *t);
        *total = t;
        *len = add_len;
    }
    for (uint32_t k = 0; k < add_len; k++)
        (*total)[k] += add[k];
    return RC_OK;
}

static omp_sched_t omp_kind(rc_schedule_t s)
{
    switch (s) {
    case RC_SCHEDULE_STATIC: return omp_sched_static;
    case RC_SCHEDULE_GUIDED: return omp_sched_guided;
    case RC_SCHEDULE_DYNAMIC: break;
    }
    return omp_sched_dynamic;
}

rc_status_t rc_mc_run(const rc_graph_t *g, const rc_model_t *model, const void *params,
                      const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                      uint64_t point, const rc_mc_options_t *opt, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = NULL;
    rc_seed_plan_t *plan = NULL;
    rc_audience_t *aud = NULL;
    void *shared = NULL;
    mc_failure_t fail = {.status = RC_OK, .run = UINT64_MAX, .message = ""};
    int stop = 0;
    omp_sched_t old_kind;
    int old_chunk;
    omp_get_schedule(&old_kind, &old_chunk);
    *out = NULL;

    rc_mc_options_t o = opt != NULL ? *opt : rc_mc_default_options();
    if (runs == 0 || runs > (uint64_t)INT64_MAX)
        RC_FAIL(RC_ERR_CONFIG, "runs: expected an integer >= 1, got %llu",
                (unsigned long long)runs);
    if (!(o.global_fraction >= 0.0 && o.global_fraction <= 1.0))
        RC_FAIL(RC_ERR_CONFIG, "global_fraction: expected a number in [0, 1], got %g",
                o.global_fraction);
    if (o.threads < 0)
        RC_FAIL(RC_ERR_USAGE, "threads: expected a number >= 0, got %d", o.threads);
    /* Run stream keys stay below RC_AUDIENCE_STREAM, the point's own stream. */
    if (o.first_run > (uint64_t)INT64_MAX - runs)
        RC_FAIL(RC_ERR_USAGE, "first_run: %llu + %llu runs is past the last run index",
                (unsigned long long)o.first_run, (unsigned long long)runs);

    if (o.audience != NULL)
        RC_TRY(rc_audience_resolve(o.audience, g, master_seed, point, &aud));
    else
        RC_TRY(rc_seeds_resolve(seeds, g, &plan));
    if (model->prepare != NULL)
        RC_TRY(model->prepare(params, g, &shared));
    /* Greedy seeds need the model: found once here, then fixed for every run. */
    if (plan != NULL && plan->strategy == RC_SEEDS_GREEDY)
        RC_TRY(rc_seeds_greedy(seeds, g, model, params, shared, master_seed, &o, plan->fixed));
    RC_TRY(results_alloc(runs, model->timed, &res));
    res->point = point;
    res->seeds = aud != NULL ? 0 : plan->count;
    res->audience = aud != NULL ? aud->size : 0;
    /* Seeds per run at most: the plan's count, or every audience member resharing. */
    const uint32_t max_seeds = aud != NULL ? aud->size : plan->count;
    /* ceil(fraction * n), at least 1 so that an empty run is never global. */
    res->global_threshold = (uint64_t)ceil(o.global_fraction * (double)g->n);
    if (res->global_threshold == 0)
        res->global_threshold = 1;
    const size_t state_size = model->state_size ? model->state_size(params, g) : 0;
    const rc_run_ctx_t ctx = {.graph = g,
                              .params = params,
                              .shared = shared,
                              .max_size = o.max_size,
                              .audience_bits = aud != NULL ? aud->bits : NULL,
                              .audience_size = aud != NULL ? aud->size : 0};
    const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
    omp_set_schedule(omp_kind(o.schedule), o.chunk ? (int)o.chunk : 16);

    int cancelled = 0;
    double t0 = omp_get_wtime();
#pragma omp parallel num_threads(threads)
    {
        rc_workspace_t *ws = NULL;
        gsl_rng *r = rc_rng_alloc();
        uint32_t *seed_buf = malloc(((size_t)max_seeds + 1) * sizeof *seed_buf);
        uint64_t *gen_acc = NULL; /* this thread's adoptions per generation */
        uint32_t gen_len = 0;
        rc_audience_buf_t *abuf = NULL; /* this thread's audience when redrawn per run */
        rc_run_ctx_t tctx = ctx;
        rc_status_t st = RC_OK;
        if (r == NULL || seed_buf == NULL)
            st = rc_error(RC_ERR_NOMEM, "out of memory allocating a thread's generator");
        if (st == RC_OK)
            st = rc_workspace_alloc(g->n, state_size, &ws);
        if (st == RC_OK && aud != NULL && aud->redraw) {
            st = rc_audience_buf_alloc(aud, &abuf);
            if (st == RC_OK)
                tctx.audience_bits = abuf->bits;
        }
        if (st != RC_OK)
            record_failure(&fail, UINT64_MAX, st, &stop);

#pragma omp for schedule(runtime)
        for (int64_t i = 0; i < (int64_t)runs; i++) {
            int halt;
#pragma omp atomic read
            halt = stop;
            if (halt)
                continue;
            if (o.cancel != NULL && o.cancel()) {
#pragma omp atomic write
                stop = 1;
#pragma omp atomic write
                cancelled = 1;
                continue;
            }
            const uint64_t run = (uint64_t)i;
            rc_rng_seed(r, master_seed, point, o.first_run + run);
            uint32_t n_seeds;
            if (aud != NULL) {
                const uint32_t *members = aud->members;
                if (abuf != NULL) {
                    rc_audience_draw(aud, r, abuf);
                    members = abuf->members;
                }
                n_seeds = rc_audience_first_hop(aud, members, r, seed_buf);
            } else {
                rc_seeds_draw(plan, r, ws, seed_buf);
                n_seeds = plan->count;
            }
            rc_workspace_next_run(ws);
            rc_cascade_t c;
            rc_run_metrics_t m;
            st = model->run(&tctx, seed_buf, n_seeds, r, ws, &c);
            if (st == RC_OK)
                st = rc_metrics_compute(&c, g, res->global_threshold, ws->queue, ws->slot,
                                        ws->value, &m);
            if (st == RC_OK && m.depth + 1 > gen_len) {
                uint64_t *t = realloc(gen_acc, ((size_t)m.depth + 1) * sizeof *t);
                if (t == NULL) {
                    st = rc_error(RC_ERR_NOMEM, "out of memory for adoptions per generation");
                } else {
                    memset(t + gen_len, 0, ((size_t)m.depth + 1 - gen_len) * sizeof *t);
                    gen_acc = t;
                    gen_len = m.depth + 1;
                }
            }
            if (st != RC_OK) {
                record_failure(&fail, run, st, &stop);
                continue;
            }
            for (uint32_t k = 0; k <= m.depth; k++)
                gen_acc[k] += ws->slot[k];
            res->size[run] = m.size;
            res->retweets[run] = m.retweets;
            res->reach[run] = m.reach;
            res->depth[run] = m.depth;
            res->max_breadth[run] = m.max_breadth;
            res->virality[run] = m.virality;
            res->edges[run] = m.edges;
            res->global[run] = (uint8_t)m.global;
            res->capped[run] = (uint8_t)m.capped;
            if (res->timed) {
                res->final_time[run] = m.final_time;
                res->t50[run] = m.t50;
                res->t90[run] = m.t90;
            }
        }

#pragma omp critical(rc_mc_merge)
        {
            if (gen_acc != NULL) {
                rc_status_t mst = add_gen_counts(&res->gen_total, &res->gen_len, gen_acc,
                                                 gen_len);
                if (mst != RC_OK) {
                    fail.status = mst;
                    snprintf(fail.message, sizeof fail.message, "%s", rc_error_message());
                }
            }
        }
        free(gen_acc);
        free(seed_buf);
        rc_audience_buf_free(abuf);
        gsl_rng_free(r);
        rc_workspace_free(ws);
    }
    res->seconds = omp_get_wtime() - t0;

    if (cancelled && fail.status == RC_OK)
        RC_FAIL(RC_ERR_INTERRUPTED, "point %llu: stopped before its %llu runs were done",
                (unsigned long long)point, (unsigned long long)runs);
    if (fail.status != RC_OK) {
        if (fail.run != UINT64_MAX)
            RC_FAIL(fail.status, "run %llu of point %llu: %s",
                    (unsigned long long)(o.first_run + fail.run),
                    (unsigned long long)point, fail.message);
        RC_FAIL(fail.status, "%s", fail.message);
    }
    RC_TRY(rc_mc_summarize(res));
    *out = res;
    res = NULL;
cleanup:
    omp_set_schedule(old_kind, old_chunk);
    if (shared != NULL && model->free_shared != NULL)
        model->free_shared(shared);
    rc_seed_plan_free(plan);
    rc_audience_free(aud);
    rc_mc_results_free(res);
    return status;
}
