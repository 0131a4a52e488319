/* The Monte Carlo driver: runs the cascades of one sweep point in parallel with OpenMP. Each run
 * is a pure function of (graph, model, parameters, master seed, point, run index): its stream is
 * keyed by those, its results go to index [run], and per-point totals are sums of integers or are
 * taken in run order afterwards, so every output is the same for any thread count or schedule. */
#include "engine/engine_internal.h"
#include "rtcascade/engine.h"
#include "rtcascade/curves.h"
#include "rtcascade/events.h"
#include "rtcascade/greedy.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/mc_point.h"
#include "rtcascade/rng.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
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
    free(res->growth);
    rc_events_free(res->events);
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
        if (t->growth != NULL)
            rc_growth_merge(pt->res->growth, t->growth);
        pt->res->fused_visits += t->fused_visits;
    }
}

rc_status_t rc_mc_thread_init(const mc_point_t *pt, mc_thread_t *t, int fused,
                             rc_workspace_t *keep)
{
    memset(t, 0, sizeof *t);
    t->ctx = pt->ctx;
    t->ws = keep;
    t->r = rc_rng_alloc();
    t->seed_buf = malloc(((size_t)pt->max_seeds + 1) * sizeof *t->seed_buf);
    if (t->r == NULL || t->seed_buf == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory allocating a thread's generator");
    if (pt->res->growth != NULL) {
        t->growth = calloc(3 * RC_GROWTH_TIMES, sizeof *t->growth);
        t->growth_hist = calloc(RC_GROWTH_TIMES + 1, sizeof *t->growth_hist);
        if (t->growth == NULL || t->growth_hist == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for a thread's growth curve");
    }
    rc_status_t st = RC_OK;
    if (keep != NULL && keep->model_state != NULL)
        memset(keep->model_state, 0, keep->model_state_size);
    if (keep == NULL)
        st = rc_model_workspace(pt->model, pt->ctx.params, pt->g, &t->ws);
    if (st == RC_OK && pt->aud != NULL && pt->aud->redraw) {
        st = rc_audience_buf_alloc(pt->aud, &t->abuf);
        if (st == RC_OK)
            t->ctx.audience_bits = t->abuf->bits;
    }
    if (st == RC_OK && fused)
        st = rc_fused_ws_alloc(pt->g->n, &t->fw);
    if (st == RC_OK && !fused && pt->aud == NULL) /* seeds drawn ahead (ahead.c) */
        for (int k = 0; k <= RC_AHEAD; k++) {
            t->ahead_r[k] = rc_rng_alloc();
            t->ahead_seeds[k] = malloc(((size_t)pt->max_seeds + 1) * sizeof *t->ahead_seeds[k]);
            if (t->ahead_r[k] == NULL || t->ahead_seeds[k] == NULL)
                return rc_error(RC_ERR_NOMEM, "out of memory allocating a thread's generators");
        }
    return st;
}

void rc_mc_thread_free(mc_thread_t *t)
{
    free(t->gen_acc);
    free(t->growth);
    free(t->growth_hist);
    free(t->seed_buf);
    free(t->group_seeds);
    rc_fused_ws_free(t->fw);
    rc_audience_buf_free(t->abuf);
    if (t->r != NULL)
        gsl_rng_free(t->r);
    for (int k = 0; k <= RC_AHEAD; k++) {
        if (t->ahead_r[k] != NULL)
            gsl_rng_free(t->ahead_r[k]);
        free(t->ahead_seeds[k]);
    }
    rc_workspace_free(t->ws);
}

uint32_t rc_mc_draw_seeds_into(const mc_point_t *pt, mc_thread_t *t, gsl_rng *r, uint32_t *seeds,
                               uint64_t run)
{
    rc_rng_seed(r, pt->master, pt->point, pt->first_run + run);
    if (pt->aud != NULL) {
        const uint32_t *members = pt->aud->members;
        if (t->abuf != NULL) {
            rc_audience_draw(pt->aud, r, t->abuf);
            members = t->abuf->members;
        }
        return rc_audience_first_hop(pt->aud, members, r, seeds);
    }
    rc_seeds_draw(pt->plan, r, t->ws, seeds);
    return pt->plan->count;
}

uint32_t rc_mc_draw_seeds(const mc_point_t *pt, mc_thread_t *t, uint64_t run)
{
    return rc_mc_draw_seeds_into(pt, t, t->r, t->seed_buf, run);
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
    if (t->growth != NULL && c->time != NULL)
        rc_growth_add_run(t->growth, t->growth_hist, c->time, c->size);
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
rc_status_t rc_mc_cascade_one(const mc_point_t *pt, mc_thread_t *t, uint64_t run,
                              rc_cascade_t *c)
{
    const uint32_t n_seeds = rc_mc_draw_seeds(pt, t, run);
    rc_workspace_next_run(t->ws);
    return pt->model->run(&t->ctx, t->seed_buf, n_seeds, t->r, t->ws, c);
}

rc_status_t rc_mc_run_one(const mc_point_t *pt, mc_thread_t *t, uint64_t run)
{
    rc_cascade_t c;
    rc_status_t st = rc_mc_cascade_one(pt, t, run, &c);
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

/* Every run of the call on `threads` threads, scheduled as asked (applied to this loop only,
 * never to the caller's OpenMP settings). */
static void run_loop(const mc_point_t *pt, mc_loop_t *loop, uint64_t runs, int threads,
                     rc_schedule_t schedule, int chunk)
{
    const int64_t n = (int64_t)runs;
#pragma omp parallel num_threads(threads)
    {
        mc_thread_t t;
        rc_status_t st = rc_mc_thread_init(pt, &t, 0, NULL);
        if (st != RC_OK)
            rc_mc_record_failure(&loop->fail, UINT64_MAX, st, &loop->stop);
        switch (schedule) {
        case RC_SCHEDULE_STATIC:
#pragma omp for schedule(static, chunk)
            for (int64_t i = 0; i < n; i++)
                rc_mc_run_range(pt, &t, loop, (uint64_t)i, (uint64_t)i + 1);
            break;
        case RC_SCHEDULE_GUIDED:
#pragma omp for schedule(guided, chunk)
            for (int64_t i = 0; i < n; i++)
                rc_mc_run_range(pt, &t, loop, (uint64_t)i, (uint64_t)i + 1);
            break;
        case RC_SCHEDULE_DYNAMIC:
        default: {
            /* schedule(dynamic, chunk), each chunk's runs in order with seeds drawn ahead */
            const int64_t c = chunk > 0 ? chunk : 1, chunks = (n + c - 1) / c;
#pragma omp for schedule(dynamic, 1)
            for (int64_t k = 0; k < chunks; k++)
                rc_mc_run_range(pt, &t, loop, (uint64_t)(k * c),
                                (uint64_t)(k * c + c < n ? k * c + c : n));
            break;
        }
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

/* A point resolved for runs (mc_point.h): what rc_mc_run and runs in blocks share. */
struct rc_mc_point {
    mc_point_t pt;          /* read by every run; pt.res receives them */
    mc_loop_t loop;         /* first failure, stop, cancel */
    rc_mc_options_t o;
    uint64_t runs;
    rc_seed_plan_t *plan;
    rc_audience_t *aud;
    void *shared;           /* the model's prepare() data */
    omp_lock_t lock;        /* blocks merging their adoptions per generation and seconds */
    int locked;             /* the lock exists */
    uint64_t serial;        /* tells a worker a new point from a freed one at the same address */
    rc_kernel_t kernel;     /* which kernel runs the point's runs (engine.kernel, decided once) */
};

/* Serial numbers of points: identities only (nothing computed depends on them). */
static atomic_uint_fast64_t point_serials;

void rc_mc_point_free(rc_mc_point_t *p)
{
    if (p == NULL)
        return;
    if (p->shared != NULL && p->pt.model->free_shared != NULL)
        p->pt.model->free_shared(p->shared);
    rc_seed_plan_free(p->plan);
    rc_audience_free(p->aud);
    rc_mc_results_free(p->pt.res);
    if (p->locked)
        omp_destroy_lock(&p->lock);
    free(p);
}

/* auto's choice for a point its pilot decides: the one kept in o.kernel_memo, else the pilot's
 * (then kept there). */
static rc_status_t choose_by_pilot(rc_mc_point_t *p)
{
    rc_kernel_t k = p->o.kernel_memo != NULL ? *p->o.kernel_memo : RC_KERNEL_AUTO;
    if (k == RC_KERNEL_AUTO) {
        rc_status_t st = rc_mc_kernel_pilot(&p->pt, &p->loop, &k, &p->pt.kept);
        if (st == RC_ERR_INTERRUPTED) /* worded as a stop in the runs (rc_mc_point_finish) */
            return rc_error(st, "point %llu: stopped before its %llu runs were done (in auto's "
                            "pilot)", (unsigned long long)p->pt.point,
                            (unsigned long long)p->runs);
        if (st != RC_OK)
            return st;
        if (p->o.kernel_memo != NULL)
            *p->o.kernel_memo = k;
    }
    p->kernel = k;
    p->pt.res->kernel = k;
    return RC_OK;
}

rc_status_t rc_mc_point_begin(const rc_graph_t *g, const rc_model_t *model, const void *params,
                              const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                              uint64_t point, const rc_mc_options_t *opt, rc_mc_point_t **out)
{
    rc_status_t status = RC_OK;
    rc_mc_point_t *p = calloc(1, sizeof *p);
    *out = NULL;
    RC_ALLOC_CHECK(p, "a point's runs");
    p->pt.model = model; /* for rc_mc_point_free */
    p->o = opt != NULL ? *opt : rc_mc_default_options();
    const rc_mc_options_t *o = &p->o;
    p->runs = runs;
    RC_TRY(check_options(o, runs));
    if (o->audience != NULL)
        RC_TRY(rc_audience_resolve(o->audience, g, master_seed, point, &p->aud));
    else
        RC_TRY(rc_seeds_resolve(seeds, g, &p->plan));
    if (model->check_graph != NULL)
        RC_TRY(model->check_graph(params, g));
    if (model->prepare != NULL)
        RC_TRY(model->prepare(params, g, &p->shared));
    /* Greedy seeds need the model: found once here, then fixed for every run. */
    if (p->plan != NULL && p->plan->strategy == RC_SEEDS_GREEDY)
        RC_TRY(rc_seeds_greedy(seeds, g, model, params, p->shared, master_seed, o,
                               p->plan->fixed));
    const uint32_t max_seeds = p->aud != NULL ? p->aud->size : p->plan->count;
    RC_TRY(rc_mc_kernel_choose(model, params, p->shared, g, max_seeds,
                               p->aud != NULL && p->aud->redraw, runs, o, &p->kernel));
    rc_mc_results_t *res = NULL;
    RC_TRY(rc_mc_results_alloc(runs, model->timed, &res));
    res->kernel = p->kernel;
    if (model->timed) {
        res->growth = calloc(3 * RC_GROWTH_TIMES, sizeof *res->growth);
        if (res->growth == NULL) {
            rc_mc_results_free(res);
            RC_FAIL(RC_ERR_NOMEM, "out of memory allocating the growth curve");
        }
    }
    const rc_audience_t *aud = p->aud;
    res->point = point;
    res->seeds = aud != NULL ? 0 : p->plan->count;
    res->audience = aud != NULL ? aud->size : 0;
    /* ceil(fraction * n), at least 1 so that an empty run is never global. */
    res->global_threshold = (uint64_t)ceil(o->global_fraction * (double)g->n);
    if (res->global_threshold == 0)
        res->global_threshold = 1;
    p->pt = (mc_point_t){
        .g = g, .model = model, .plan = p->plan, .aud = aud, .res = res,
        .ctx = {.graph = g, .params = params, .shared = p->shared, .max_size = o->max_size,
                .audience_bits = aud != NULL ? aud->bits : NULL,
                .audience_size = aud != NULL ? aud->size : 0},
        .master = master_seed, .point = point, .first_run = o->first_run,
        /* Seeds per run at most: the plan's count, or every audience member resharing. */
        .max_seeds = max_seeds,
        .recorder = o->recorder};
    p->loop = (mc_loop_t){.fail = {.status = RC_OK, .run = UINT64_MAX, .message = ""},
                          .cancel = o->cancel, .cancel_ctx = o->cancel_ctx};
    if (p->kernel == RC_KERNEL_AUTO) /* a pilot decides (kernel.c), once per point */
        RC_TRY(choose_by_pilot(p));
    omp_init_lock(&p->lock);
    p->locked = 1;
    p->serial = (uint64_t)atomic_fetch_add_explicit(&point_serials, 1, memory_order_relaxed) + 1;
    *out = p;
    p = NULL;
cleanup:
    rc_mc_point_free(p);
    return status;
}

rc_status_t rc_mc_point_finish(rc_mc_point_t *p, rc_mc_results_t **out)
{
    rc_status_t status = RC_OK;
    const uint64_t point = p->pt.point, runs = p->runs;
    *out = NULL;
    if (p->loop.cancelled && p->loop.fail.status == RC_OK)
        RC_FAIL(RC_ERR_INTERRUPTED, "point %llu: stopped before its %llu runs were done",
                (unsigned long long)point, (unsigned long long)runs);
    if (p->loop.fail.status != RC_OK) {
        if (p->loop.fail.run != UINT64_MAX)
            RC_FAIL(p->loop.fail.status, "run %llu of point %llu: %s",
                    (unsigned long long)(p->o.first_run + p->loop.fail.run),
                    (unsigned long long)point, p->loop.fail.message);
        RC_FAIL(p->loop.fail.status, "%s", p->loop.fail.message);
    }
    RC_TRY(rc_mc_summarize(p->pt.res));
    *out = p->pt.res;
    p->pt.res = NULL;
cleanup:
    rc_mc_point_free(p);
    return status;
}

rc_status_t rc_mc_run(const rc_graph_t *g, const rc_model_t *model, const void *params,
                      const rc_seed_spec_t *seeds, uint64_t runs, uint64_t master_seed,
                      uint64_t point, const rc_mc_options_t *opt, rc_mc_results_t **out)
{
    rc_mc_point_t *p = NULL;
    *out = NULL;
    rc_status_t status = rc_mc_point_begin(g, model, params, seeds, runs, master_seed, point,
                                           opt, &p);
    if (status != RC_OK)
        return status;
    const int threads = p->o.threads > 0 ? p->o.threads : omp_get_max_threads();
    double t0 = omp_get_wtime();
    if (p->kernel == RC_KERNEL_FUSED)
        rc_mc_fused_loop(&p->pt, &p->loop, runs, threads, p->o.chunk ? (int)p->o.chunk : 16);
    else
        run_loop(&p->pt, &p->loop, runs, threads, p->o.schedule,
                 p->o.chunk ? (int)p->o.chunk : 16);
    p->pt.res->seconds = omp_get_wtime() - t0;
    return rc_mc_point_finish(p, out);
}

/* ---- Runs in blocks from any thread (mc_point.h) ---- */

struct rc_mc_worker {
    uint64_t serial;        /* the point whose scratch t holds; 0 before the first block */
    mc_thread_t t;
};

rc_mc_worker_t *rc_mc_worker_new(void)
{
    rc_mc_worker_t *w = calloc(1, sizeof *w);
    if (w == NULL)
        rc_error(RC_ERR_NOMEM, "out of memory for a worker's scratch");
    return w;
}

void rc_mc_worker_free(rc_mc_worker_t *w)
{
    if (w == NULL)
        return;
    rc_mc_thread_free(&w->t);
    free(w);
}

/* 1 when ws (made for an earlier point) serves pt as rc_model_workspace's would: the same
 * nodes, room for the model's capacity, and at least its state. */
static int workspace_fits(const rc_workspace_t *ws, const mc_point_t *pt)
{
    const rc_model_t *m = pt->model;
    const void *params = pt->ctx.params;
    uint32_t cap = m->capacity != NULL ? m->capacity(params, pt->g) : 0;
    size_t state = m->state_size != NULL ? m->state_size(params, pt->g) : 0;
    if (cap < pt->g->n)
        cap = pt->g->n;
    return ws->n == pt->g->n && ws->capacity >= cap && ws->model_state_size >= state &&
           (state == 0 || ws->model_state != NULL);
}

/* Gives w the scratch of point p, keeping its workspace when it fits. */
static rc_status_t worker_bind(rc_mc_worker_t *w, const rc_mc_point_t *p)
{
    if (w->serial == p->serial)
        return RC_OK;
    rc_workspace_t *keep = w->t.ws;
    if (keep != NULL && !workspace_fits(keep, &p->pt)) {
        rc_workspace_free(keep);
        keep = NULL;
    }
    w->t.ws = NULL;
    rc_mc_thread_free(&w->t);
    w->serial = 0;
    rc_status_t st = rc_mc_thread_init(&p->pt, &w->t, p->kernel == RC_KERNEL_FUSED, keep);
    if (st == RC_OK)
        w->serial = p->serial;
    return st;
}

rc_status_t rc_mc_point_run(rc_mc_point_t *p, rc_mc_worker_t *w, uint64_t first, uint64_t count)
{
    if (first > p->runs || count > p->runs - first)
        return rc_error(RC_ERR_INTERNAL, "runs %llu..%llu of point %llu: past its %llu runs",
                        (unsigned long long)first, (unsigned long long)(first + count),
                        (unsigned long long)p->pt.point, (unsigned long long)p->runs);
    rc_status_t st = worker_bind(w, p);
    if (st != RC_OK) {
        rc_mc_record_failure(&p->loop.fail, UINT64_MAX, st, &p->loop.stop);
        return st;
    }
    double t0 = omp_get_wtime();
    if (p->kernel == RC_KERNEL_FUSED)
        rc_mc_fused_block(&p->pt, &w->t, &p->loop, first, first + count);
    else
        rc_mc_run_range(&p->pt, &w->t, &p->loop, first, first + count);
    double dt = omp_get_wtime() - t0;
    omp_set_lock(&p->lock);
    st = add_gen_counts(&p->pt.res->gen_total, &p->pt.res->gen_len, w->t.gen_acc, w->t.gen_len);
    p->pt.res->seconds += dt;
    p->pt.res->fused_visits += w->t.fused_visits;
    if (w->t.growth != NULL)
        rc_growth_merge(p->pt.res->growth, w->t.growth);
    omp_unset_lock(&p->lock);
    w->t.fused_visits = 0;
    if (w->t.gen_acc != NULL)
        memset(w->t.gen_acc, 0, (size_t)w->t.gen_len * sizeof *w->t.gen_acc);
    if (w->t.growth != NULL)
        memset(w->t.growth, 0, 3 * RC_GROWTH_TIMES * sizeof *w->t.growth);
    if (st != RC_OK)
        rc_mc_record_failure(&p->loop.fail, UINT64_MAX, st, &p->loop.stop);
    int stop, cancelled;
#pragma omp atomic read
    stop = p->loop.stop;
#pragma omp atomic read
    cancelled = p->loop.cancelled;
    if (!stop)
        return RC_OK;
    if (cancelled)
        return RC_ERR_INTERRUPTED;
#pragma omp critical(rc_mc_failure)
    st = p->loop.fail.status;
    return st != RC_OK ? st : RC_ERR_INTERNAL;
}
