/* The points of one network, run at once (runner_internal.h: rc_run_pool). The work is blocks
 * of runs from any point that is ready: every thread takes the next block of the lowest point
 * with runs left, sets up the next point when fewer than two have runs left to hand out, and
 * summarizes a point when its last block comes back, so no per-point step (set-up, statistics,
 * handing to the writer) stops the other threads. Blocks shrink as the network's runs run out
 * (guided: what is left over four blocks per thread, between max(`chunk`, 64) and POOL_MAX_BLOCK
 * runs, in whole groups of the fused kernel), so the threads finish together. Points reach the sink in run order: the calling thread (OpenMP's
 * thread 0, which alone calls the hooks) hands over each finished point once those before it are
 * handed over. Results do not depend on who ran which block (mc_point.h). */
#include "run/runner_internal.h"

#include "rtcascade/mc_point.h"

#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_MAX_BLOCK 4096u          /* runs per block at most */
#define POOL_AHEAD 2u                 /* points with runs to hand out, set up ahead */
#define POOL_OPEN_RUNS (1ULL << 22)   /* runs held by points begun and not handed over */

enum pool_state { P_WAITING, P_SETUP, P_READY, P_FINISHING, P_DONE, P_FAILED };

typedef struct pool_point {
    const rc_point_t *pt;
    rc_mc_point_t *mc;      /* from set-up to finish */
    int state;
    uint64_t handed, done;  /* runs handed out, runs back */
    unsigned running;       /* blocks in progress */
    int stopped;            /* a block failed or was cancelled: nothing more is handed out */
    rc_mc_results_t *res;   /* P_DONE, until handed over */
    void *prep;             /* what the sink's prepare() made for res, or NULL */
    rc_run_events_t events; /* the point's events when it asks for them */
    rc_status_t status;     /* P_FAILED */
    char message[1024];
} pool_point_t;

typedef struct pool {
    rc_runner_t *r;
    const rc_graph_t *g;
    pool_point_t *pts;      /* the network's points not done earlier, in run order */
    size_t n;
    size_t begun;           /* points [0, begun) are set up or being set up */
    size_t delivered;       /* points [0, delivered) went to the writer */
    size_t fail_at;         /* lowest failed point (SIZE_MAX: none): later ones are dropped */
    uint64_t runs;          /* per point */
    uint64_t left;          /* runs not yet handed out, over the points */
    uint64_t min_block;
    size_t max_open;        /* points begun and not handed over, at most */
    int threads;
    int stop;               /* cancelled, or a write failed: nothing more starts */
    int cancelled;
    unsigned busy;          /* threads in a set-up, block, finish or hand-over */
    const rc_point_t *shown; /* the point last named to the status hook */
    rc_status_t wstatus;    /* a hand-over's failure (the writer's) */
    char wmessage[1024];
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* broadcast whenever a job ends */
} pool_t;

typedef enum job_kind { J_NONE, J_SETUP, J_BLOCK, J_FINISH } job_kind_t;

typedef struct job {
    job_kind_t kind;
    size_t i;               /* the point */
    uint64_t first, count;  /* J_BLOCK */
} job_t;

/* The cancel hook, as the engine polls it between runs. */
static int pool_cancel(void *ctx)
{
    return rc_run_cancelled(ctx);
}

static void fail_point(pool_t *P, size_t i, rc_status_t st)
{
    pool_point_t *p = &P->pts[i];
    p->state = P_FAILED;
    p->status = st;
    snprintf(p->message, sizeof p->message, "%s", rc_error_message());
    if (st == RC_ERR_INTERRUPTED)
        P->stop = P->cancelled = 1;
    else if (i < P->fail_at)
        P->fail_at = i;
}

/* With the lock held: the next job, or J_NONE. Blocks of the lowest point with runs left come
 * first unless fewer than POOL_AHEAD points have runs left, when the next point is set up. */
static job_t pick(pool_t *P)
{
    job_t j = {J_NONE, 0, 0, 0};
    if (P->stop)
        return j;
    size_t ahead = 0, take = SIZE_MAX;
    for (size_t i = P->delivered; i < P->begun && i <= P->fail_at; i++) {
        const pool_point_t *p = &P->pts[i];
        if (p->state == P_SETUP || (p->state == P_READY && !p->stopped && p->handed < P->runs)) {
            ahead++;
            if (take == SIZE_MAX && p->state == P_READY)
                take = i;
        }
    }
    int can_begin = P->begun < P->n && P->begun <= P->fail_at &&
                    P->begun - P->delivered < P->max_open;
    if (can_begin && (ahead < POOL_AHEAD || take == SIZE_MAX)) {
        j.kind = J_SETUP;
        j.i = P->begun++;
        P->pts[j.i].state = P_SETUP;
        return j;
    }
    if (take == SIZE_MAX)
        return j;
    pool_point_t *p = &P->pts[take];
    uint64_t b = P->left / (4 * (uint64_t)P->threads);
    b = b < P->min_block ? P->min_block : b > POOL_MAX_BLOCK ? POOL_MAX_BLOCK : b;
    /* whole groups of the fused kernel (runs 64g .. 64g + 63), which a block boundary would
     * otherwise make run twice, each time for its part of the lanes */
    if (b >= RC_LANES)
        b -= b % RC_LANES;
    if (b > P->runs - p->handed)
        b = P->runs - p->handed;
    j = (job_t){J_BLOCK, take, p->handed, b};
    p->handed += b;
    p->running++;
    P->left -= b;
    return j;
}

/* Sets up point i (without the lock). */
static rc_status_t setup(pool_t *P, size_t i, rc_mc_point_t **mc)
{
    const rc_runner_t *r = P->r;
    const rc_point_t *pt = P->pts[i].pt;
    rc_mc_options_t opt = rc_run_point_options(pt, &r->opt);
    opt.cancel = pool_cancel;
    opt.cancel_ctx = (void *)r;
    opt.greedy_cache = r->greedy; /* greedy sequences are shared by points with one model */
    if (rc_run_cancelled(r))
        return rc_error(RC_ERR_INTERRUPTED, "interrupted");
    rc_run_events_t *ev = &P->pts[i].events;
    rc_status_t st = rc_run_events_begin(ev, pt, P->runs);
    if (st != RC_OK)
        return st;
    if (ev->ev != NULL)
        opt.recorder = &ev->rec;
    return rc_mc_point_begin(P->g, pt->model, pt->params, pt->has_audience ? NULL : &pt->seeds,
                             P->runs, r->ex->seed, pt->index, &opt, mc);
}

/* Runs job j (without the lock) and records its outcome (with it); a block that ends its point
 * turns j into the point's J_FINISH, which the same thread does next. */
static void do_job(pool_t *P, job_t *j, rc_mc_worker_t *w)
{
    pool_point_t *p = &P->pts[j->i];
    rc_status_t st = RC_OK;
    rc_mc_point_t *mc = NULL;
    rc_mc_results_t *res = NULL;
    void *prep = NULL;
    const rc_sink_t *sink = P->r->sink;
    if (j->kind == J_SETUP) {
        st = setup(P, j->i, &mc);
    } else if (j->kind == J_BLOCK) {
        st = rc_mc_point_run(p->mc, w, j->first, j->count);
    } else {
        /* the statistics, then the sink's share of the write that needs no exclusive access,
         * here rather than on the writer's one thread */
        st = rc_mc_point_finish(p->mc, &res);
        st = rc_run_events_end(&p->events, p->pt, P->g, st, res);
        if (st == RC_OK && sink->ops->prepare != NULL)
            st = sink->ops->prepare(sink->ctx, res, &prep);
        if (st != RC_OK) {
            if (prep != NULL)
                sink->ops->discard(sink->ctx, prep);
            prep = NULL;
            rc_mc_results_free(res);
            res = NULL;
        }
    }
    pthread_mutex_lock(&P->mu);
    if (j->kind == J_SETUP) {
        if (st == RC_OK) {
            p->mc = mc;
            p->state = P_READY;
        } else {
            fail_point(P, j->i, st);
        }
        P->left -= st == RC_OK ? 0 : P->runs;
        j->kind = J_NONE;
    } else if (j->kind == J_BLOCK) {
        p->running--;
        p->done += j->count;
        if (st != RC_OK) {
            p->stopped = 1;
            P->left -= P->runs - p->handed;
            if (st == RC_ERR_INTERRUPTED)
                P->stop = P->cancelled = 1;
        }
        int over = p->done == P->runs || (p->stopped && p->done == p->handed);
        if (p->running == 0 && over && p->state == P_READY) {
            p->state = P_FINISHING;
            j->kind = J_FINISH;
        } else {
            j->kind = J_NONE;
        }
    } else {
        p->mc = NULL; /* freed by the finish */
        if (st == RC_OK) {
            p->res = res;
            p->prep = prep;
            p->state = P_DONE;
        } else {
            fail_point(P, j->i, st);
        }
        j->kind = J_NONE;
    }
    pthread_cond_broadcast(&P->cv);
    pthread_mutex_unlock(&P->mu);
}

/* Calling thread, lock held: hands the finished points at the head of the run order to the
 * writer (releasing the lock around each hand-over, which may wait for room). */
static void deliver(pool_t *P)
{
    while (P->delivered < P->begun && P->pts[P->delivered].state == P_DONE &&
           P->wstatus == RC_OK) {
        pool_point_t *p = &P->pts[P->delivered];
        rc_mc_results_t *res = p->res;
        void *prep = p->prep;
        p->res = NULL;
        p->prep = NULL;
        P->busy++;
        pthread_mutex_unlock(&P->mu);
        rc_status_t st = rc_run_save_point(P->r, &res, prep);
        char msg[sizeof P->wmessage];
        if (st != RC_OK)
            snprintf(msg, sizeof msg, "%s", rc_error_message());
        rc_mc_results_free(res); /* the writer's on success (NULL), ours after a failure */
        pthread_mutex_lock(&P->mu);
        P->busy--;
        P->delivered++;
        if (st != RC_OK) {
            P->wstatus = st;
            memcpy(P->wmessage, msg, sizeof msg);
            P->stop = 1;
        }
        pthread_cond_broadcast(&P->cv);
    }
}

/* Calling thread, lock held: the first point of the run order not handed over yet, when it is
 * set up and was not named yet (NULL otherwise): what the status hook is told runs now. */
static const rc_point_t *to_show(pool_t *P)
{
    if (P->r->hooks->status == NULL || P->delivered >= P->begun)
        return NULL;
    const pool_point_t *p = &P->pts[P->delivered];
    if (p->state < P_READY || p->pt == P->shown)
        return NULL;
    P->shown = p->pt;
    return p->pt;
}

/* Calling thread, without the lock: names pt to the status hook ("handpicked
 * audience.engagement=0.1"). */
static void show(const pool_t *P, const rc_point_t *pt)
{
    char what[200];
    size_t len = (size_t)snprintf(what, sizeof what, "%s", pt->scenario);
    for (size_t k = 0; k < P->r->ex->n_swept && len < sizeof what; k++)
        len += (size_t)snprintf(what + len, sizeof what - len, " %s=%s",
                                P->r->ex->swept_keys[k], pt->values[k]);
    rc_run_status(P->r, "%s", what);
}

/* One thread's loop: jobs until none is left and none can come (nobody busy). */
static void pool_thread(pool_t *P, int tid)
{
    rc_mc_worker_t *w = rc_mc_worker_new();
    pthread_mutex_lock(&P->mu);
    if (w == NULL && P->wstatus == RC_OK) {
        P->wstatus = RC_ERR_NOMEM;
        snprintf(P->wmessage, sizeof P->wmessage, "%s", rc_error_message());
        P->stop = 1;
    }
    for (;;) {
        if (tid == 0)
            deliver(P);
        job_t j = w != NULL ? pick(P) : (job_t){J_NONE, 0, 0, 0};
        if (j.kind == J_NONE) {
            int deliverable = P->delivered < P->begun && P->pts[P->delivered].state == P_DONE &&
                              P->wstatus == RC_OK;
            if (P->busy == 0 && !deliverable)
                break;
            if (!(tid == 0 && deliverable))
                pthread_cond_wait(&P->cv, &P->mu);
            continue;
        }
        const rc_point_t *shown = tid == 0 ? to_show(P) : NULL;
        P->busy++;
        pthread_mutex_unlock(&P->mu);
        if (shown != NULL)
            show(P, shown);
        while (j.kind != J_NONE)
            do_job(P, &j, w);
        pthread_mutex_lock(&P->mu);
        P->busy--;
        pthread_cond_broadcast(&P->cv);
    }
    pthread_mutex_unlock(&P->mu);
    rc_mc_worker_free(w);
}

/* The pool's outcome: a write error, else the first failed point's error, else RC_OK (with
 * r->interrupted set when cancelled). */
static rc_status_t outcome(pool_t *P)
{
    if (P->wstatus != RC_OK)
        return rc_error(P->wstatus, "%s", P->wmessage);
    if (P->fail_at != SIZE_MAX)
        return rc_error(P->pts[P->fail_at].status, "%s", P->pts[P->fail_at].message);
    if (P->cancelled)
        P->r->interrupted = 1;
    return RC_OK;
}

rc_status_t rc_run_pool(rc_runner_t *r, size_t from, size_t to, const rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    pool_t P;
    memset(&P, 0, sizeof P);
    P.r = r;
    P.g = g;
    P.fail_at = SIZE_MAX;
    P.runs = r->ex->runs;
    P.threads = r->opt.threads > 0 ? r->opt.threads : omp_get_max_threads();
    P.min_block = r->opt.chunk > RC_LANES ? r->opt.chunk : RC_LANES;
    P.pts = calloc(to - from + 1, sizeof *P.pts);
    RC_ALLOC_CHECK(P.pts, "the points in progress");
    for (size_t i = from; i < to; i++)
        if (!r->done0[r->order[i]])
            P.pts[P.n++].pt = &r->ex->points[r->order[i]];
    if (P.n == 0)
        goto cleanup;
    P.left = P.runs * P.n;
    /* Enough points open for every thread and the look-ahead, within about 2^22 runs of
     * results (at least two points, so a point's statistics overlap the next one's runs). */
    uint64_t by_runs = POOL_OPEN_RUNS / P.runs;
    P.max_open = (size_t)(by_runs < 2 ? 2 : by_runs);
    if (P.max_open > 2 * (size_t)P.threads + POOL_AHEAD)
        P.max_open = 2 * (size_t)P.threads + POOL_AHEAD;
    if (pthread_mutex_init(&P.mu, NULL) != 0)
        RC_FAIL(RC_ERR_INTERNAL, "cannot create the runner's lock");
    if (pthread_cond_init(&P.cv, NULL) != 0) {
        pthread_mutex_destroy(&P.mu);
        RC_FAIL(RC_ERR_INTERNAL, "cannot create the runner's condition");
    }
    double t0 = rc_run_now();
#pragma omp parallel num_threads(P.threads)
    pool_thread(&P, omp_get_thread_num());
    r->report->seconds_runs += rc_run_now() - t0;
    pthread_cond_destroy(&P.cv);
    pthread_mutex_destroy(&P.mu);
    status = outcome(&P);
cleanup:
    for (size_t i = 0; P.pts != NULL && i < P.n; i++) {
        rc_mc_point_free(P.pts[i].mc);
        rc_mc_results_free(P.pts[i].res);
        if (P.pts[i].prep != NULL)
            r->sink->ops->discard(r->sink->ctx, P.pts[i].prep);
        rc_run_events_free(&P.pts[i].events);
    }
    free(P.pts);
    return status;
}
