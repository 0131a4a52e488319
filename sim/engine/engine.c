/* The Monte Carlo driver: runs the cascades of one sweep point in parallel with OpenMP. Each run
 * is a pure function of (graph, model, parameters, master seed, point, run index): its stream is
 * keyed by those, its results go to index [run], and per-point totals are sums of integers or are
 * taken in run order afterwards, so every output is the same for any thread count or schedule. */
#include "engine/engine_internal.h"
#include "rtcascade/engine.h"
#include "rtcascade/greedy.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/rng.h"

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
        .recorder = NULL,
        .kernel = RC_KERNEL_AUTO,
        .point_runs = 0,
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

void rc_mc_record_failure(mc_failure_t *f, uint64_t run, rc_status_t st, int *stop)
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

void rc_mc_thread_merge(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop)
{
#pragma omp critical(rc_mc_merge)
    {
        if (t->gen_acc != NULL) {
            rc_status_t mst = add_gen_counts(&pt->res->gen_total, &pt->res->gen_len, t->gen_acc,
                                             t->gen_len);
            if (mst != RC_OK) {
                loop->fail.status = mst;
                snprintf(loop->fail.message, sizeof loop->fail.message, "%s",
                         rc_error_message());
            }
        }
    }
}

rc_status_t rc_mc_thread_init(const mc_point_t *pt, mc_thread_t *t, int fused)
{
    memset(t, 0, sizeof *t);
    t->ctx = pt->ctx;
    t->r = rc_rng_alloc();
    t->seed_buf = malloc(((size_t)pt->max_seeds + 1) * sizeof *t->seed_buf);
    if (t->r == NULL || t->seed_buf == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory allocating a thread's generator");
    rc_status_t st = rc_model_workspace(pt->model, pt->ctx.params, pt->g, &t->ws);
    if (st == RC_OK && pt->aud != NULL && pt->aud->redraw) {
        st = rc_audience_buf_alloc(pt->aud, &t->abuf);
        if (st == RC_OK)
            t->ctx.audience_bits = t->abuf->bits;
    }
    if (st == RC_OK && fused)
        st = rc_fused_ws_alloc(pt->g->n, &t->fw);
    return st;
}

void rc_mc_thread_free(mc_thread_t *t)
{
    free(t->gen_acc);
    free(t->seed_buf);
    free(t->group_seeds);
    rc_fused_ws_free(t->fw);
    rc_audience_buf_free(t->abuf);
    if (t->r != NULL)
        gsl_rng_free(t->r);
    rc_workspace_free(t->ws);
}

uint32_t rc_mc_draw_seeds(const mc_point_t *pt, mc_thread_t *t, uint64_t run)
{
    rc_rng_seed(t->r, pt->master, pt->point, pt->first_run + run);
    if (pt->aud != NULL) {
        const uint32_t *members = pt->aud->members;
        if (t->abuf != NULL) {
            rc_audience_draw(pt->aud, t->r, t->abuf);
            members = t->abuf->members;
        }
        return rc_audience_first_hop(pt->aud, members, t->r, t->seed_buf);
    }
    rc_seeds_draw(pt->plan, t->r, t->ws, t->seed_buf);
    return pt->plan->count;
}

rc_status_t rc_mc_finish_run(const mc_point_t *pt, mc_thread_t *t, uint64_t run,
                             const rc_cascade_t *c)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = pt->res;
    rc_run_metrics_t m;
    RC_TRY(rc_metrics_compute(c, pt->g, res->global_threshold, t->ws->queue, t->ws->slot,
                              t->ws->value, &m));
    if (pt->recorder != NULL) /* reads the cascade only: the metrics' scratch is not in it */
        RC_TRY(pt->recorder->record(pt->recorder->ctx, pt->first_run + run, c));
    if (m.depth + 1 > t->gen_len) {
        uint64_t *acc = realloc(t->gen_acc, ((size_t)m.depth + 1) * sizeof *acc);
        RC_ALLOC_CHECK(acc, "adoptions per generation");
        memset(acc + t->gen_len, 0, ((size_t)m.depth + 1 - t->gen_len) * sizeof *acc);
        t->gen_acc = acc;
        t->gen_len = m.depth + 1;
    }
    for (uint32_t k = 0; k <= m.depth; k++)
        t->gen_acc[k] += t->ws->slot[k];
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
cleanup:
    return status;
}

/* Run `run` of the call: its seeds or first hop, the cascade, then rc_mc_finish_run. Everything
 * it draws comes from the stream (master, point, first_run + run). */
static rc_status_t run_one(const mc_point_t *pt, mc_thread_t *t, uint64_t run)
{
    const uint32_t n_seeds = rc_mc_draw_seeds(pt, t, run);
    rc_workspace_next_run(t->ws);
    rc_cascade_t c;
    rc_status_t st = pt->model->run(&t->ctx, t->seed_buf, n_seeds, t->r, t->ws, &c);
    return st != RC_OK ? st : rc_mc_finish_run(pt, t, run, &c);
}

int rc_mc_should_stop(mc_loop_t *loop)
{
    int halt;
#pragma omp atomic read
    halt = loop->stop;
    if (halt)
        return 1;
    if (loop->cancel != NULL && loop->cancel(loop->cancel_ctx)) {
#pragma omp atomic write
        loop->stop = 1;
#pragma omp atomic write
        loop->cancelled = 1;
        return 1;
    }
    return 0;
}

/* The body of the run loop for run i (skipped once the loop is stopped). */
static void loop_body(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, int64_t i)
{
    if (rc_mc_should_stop(loop))
        return;
    rc_status_t st = run_one(pt, t, (uint64_t)i);
    if (st != RC_OK)
        rc_mc_record_failure(&loop->fail, (uint64_t)i, st, &loop->stop);
}

/* Every run of the call on `threads` threads, scheduled as asked (applied to this loop only,
 * never to the caller's OpenMP settings). */
static void run_loop(const mc_point_t *pt, mc_loop_t *loop, uint64_t runs, int threads,
                     rc_schedule_t schedule, int chunk)
{
    const int64_t n = (int64_t)runs;
#pragma omp parallel num_threads(threads)
    {
        mc_thread_t t;
        rc_status_t st = rc_mc_thread_init(pt, &t, 0);
        if (st != RC_OK)
            rc_mc_record_failure(&loop->fail, UINT64_MAX, st, &loop->stop);
        switch (schedule) {
        case RC_SCHEDULE_STATIC:
#pragma omp for schedule(static, chunk)
            for (int64_t i = 0; i < n; i++)
                loop_body(pt, &t, loop, i);
            break;
        case RC_SCHEDULE_GUIDED:
#pragma omp for schedule(guided, chunk)
            for (int64_t i = 0; i < n; i++)
                loop_body(pt, &t, loop, i);
            break;
        case RC_SCHEDULE_DYNAMIC:
        default:
#pragma omp for schedule(dynamic, chunk)
            for (int64_t i = 0; i < n; i++)
                loop_body(pt, &t, loop, i);
            break;
        }
        rc_mc_thread_merge(pt, &t, loop);
        rc_mc_thread_free(&t);
    }
}

/* Checks the options of a call. */
static rc_status_t check_options(const rc_mc_options_t *o, uint64_t runs)
{
    if (runs == 0 || runs > (uint64_t)INT64_MAX)
        return rc_error(RC_ERR_CONFIG, "runs: expected an integer >= 1, got %llu",
                        (unsigned long long)runs);
    if (!(o->global_fraction >= 0.0 && o->global_fraction <= 1.0))
        return rc_error(RC_ERR_CONFIG, "global_fraction: expected a number in [0, 1], got %g",
                        o->global_fraction);
    if (o->threads < 0)
        return rc_error(RC_ERR_ARGUMENT, "threads: expected a number >= 0, got %d", o->threads);
    /* Run stream keys stay below RC_AUDIENCE_STREAM, the point's own stream. */
    if (o->first_run > (uint64_t)INT64_MAX - runs)
        return rc_error(RC_ERR_ARGUMENT, "first_run: %llu + %llu runs is past the last run index",
                        (unsigned long long)o->first_run, (unsigned long long)runs);
    return RC_OK;
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
    *out = NULL;

    const rc_mc_options_t o = opt != NULL ? *opt : rc_mc_default_options();
    RC_TRY(check_options(&o, runs));
    if (o.audience != NULL)
        RC_TRY(rc_audience_resolve(o.audience, g, master_seed, point, &aud));
    else
        RC_TRY(rc_seeds_resolve(seeds, g, &plan));
    if (model->check_graph != NULL)
        RC_TRY(model->check_graph(params, g));
    if (model->prepare != NULL)
        RC_TRY(model->prepare(params, g, &shared));
    /* Greedy seeds need the model: found once here, then fixed for every run. */
    if (plan != NULL && plan->strategy == RC_SEEDS_GREEDY)
        RC_TRY(rc_seeds_greedy(seeds, g, model, params, shared, master_seed, &o, plan->fixed));
    const uint32_t max_seeds = aud != NULL ? aud->size : plan->count;
    rc_kernel_t kernel = RC_KERNEL_PER_RUN;
    RC_TRY(rc_mc_kernel_choose(model, params, shared, g, max_seeds,
                               aud != NULL && aud->redraw, &o, runs, &kernel, NULL));
    RC_TRY(rc_mc_results_alloc(runs, model->timed, &res));
    res->kernel = kernel;
    res->point = point;
    res->seeds = aud != NULL ? 0 : plan->count;
    res->audience = aud != NULL ? aud->size : 0;
    /* ceil(fraction * n), at least 1 so that an empty run is never global. */
    res->global_threshold = (uint64_t)ceil(o.global_fraction * (double)g->n);
    if (res->global_threshold == 0)
        res->global_threshold = 1;
    const mc_point_t pt = {
        .g = g, .model = model, .plan = plan, .aud = aud, .res = res,
        .ctx = {.graph = g, .params = params, .shared = shared, .max_size = o.max_size,
                .audience_bits = aud != NULL ? aud->bits : NULL,
                .audience_size = aud != NULL ? aud->size : 0},
        .master = master_seed, .point = point, .first_run = o.first_run,
        /* Seeds per run at most: the plan's count, or every audience member resharing. */
        .max_seeds = max_seeds,
        .recorder = o.recorder};
    mc_loop_t loop = {.fail = {.status = RC_OK, .run = UINT64_MAX, .message = ""},
                      .cancel = o.cancel, .cancel_ctx = o.cancel_ctx};
    const int threads = o.threads > 0 ? o.threads : omp_get_max_threads();
    double t0 = omp_get_wtime();
    if (kernel == RC_KERNEL_FUSED)
        rc_mc_fused_loop(&pt, &loop, runs, threads, o.chunk ? (int)o.chunk : 16);
    else
        run_loop(&pt, &loop, runs, threads, o.schedule, o.chunk ? (int)o.chunk : 16);
    res->seconds = omp_get_wtime() - t0;

    if (loop.cancelled && loop.fail.status == RC_OK)
        RC_FAIL(RC_ERR_INTERRUPTED, "point %llu: stopped before its %llu runs were done",
                (unsigned long long)point, (unsigned long long)runs);
    if (loop.fail.status != RC_OK) {
        if (loop.fail.run != UINT64_MAX)
            RC_FAIL(loop.fail.status, "run %llu of point %llu: %s",
                    (unsigned long long)(o.first_run + loop.fail.run),
                    (unsigned long long)point, loop.fail.message);
        RC_FAIL(loop.fail.status, "%s", loop.fail.message);
    }
    RC_TRY(rc_mc_summarize(res));
    *out = res;
    res = NULL;
cleanup:
    if (shared != NULL && model->free_shared != NULL)
        model->free_shared(shared);
    rc_seed_plan_free(plan);
    rc_audience_free(aud);
    rc_mc_results_free(res);
    return status;
}
