/* The experiment runner (runner.h): points grouped by network in a fixed order, each network
 * built once with every pending point's seeds checked on it before the first runs, its points
 * run at once by the pool (pool.c) and handed in run order to the sink by the background writer
 * while others run. A cancel request stops between runs; what finished is in the sink. Under
 * MPI the points go through rank 0's coordinator (mpi_coord.c) instead of the loop here. */
#include "run/runner_internal.h"
#include "rtcascade/events.h"

#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rc_run_options_t rc_run_default_options(void)
{
    rc_run_options_t o = {.threads = 0, .schedule = RC_SCHEDULE_DYNAMIC, .chunk = 16};
    return o;
}

void rc_run_report_clear(rc_run_report_t *report)
{
    if (report == NULL)
        return;
    free(report->rank_runs);
    free(report->rank_seconds);
    memset(report, 0, sizeof *report);
}

void rc_run_report_print(const rc_run_report_t *rep, FILE *f, double total, double open_close)
{
    double io = rep->seconds_wait + rep->seconds_networks + open_close;
    fprintf(f,
            "timing: total %.3f s; networks built %.3f s; runs %.3f s; results file %.3f s "
            "(%.2f%% of total: waiting for point writes %.3f s, networks %.3f s, "
            "create/open/close %.3f s); point writes in the background %.3f s\n",
            total, rep->seconds_build, rep->seconds_runs, io, total > 0 ? 100.0 * io / total : 0.0,
            rep->seconds_wait, rep->seconds_networks, open_close, rep->seconds_write);
    if (rep->fused_points > 0 && rep->fused_visits > 0)
        fprintf(f,
                "fused kernel on %llu of %llu points: %.2f runs served per read of a node's "
                "followers (auto picks fused from 6; below about 4 per_run is faster: "
                "docs/configuration.md)\n",
                (unsigned long long)rep->fused_points, (unsigned long long)rep->points_run,
                (double)rep->fused_adoptions / (double)rep->fused_visits);
    if (rep->ranks > 1) {
        fprintf(f, "mpi: %d ranks, blocks of %llu runs; runs (engine seconds) per rank:",
                rep->ranks, (unsigned long long)rep->block);
        for (int r = 0; r < rep->ranks; r++)
            fprintf(f, " %d: %llu (%.2f s)", r, (unsigned long long)rep->rank_runs[r],
                    rep->rank_seconds[r]);
        fprintf(f, "\n");
    }
}

double rc_run_now(void)
{
    return omp_get_wtime();
}

void rc_run_status(const rc_runner_t *r, const char *fmt, ...)
{
    if (r->hooks->status == NULL)
        return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r->hooks->status(r->hooks->ctx, buf);
}

int rc_run_cancelled(const rc_runner_t *r)
{
    return r->hooks->cancel != NULL && r->hooks->cancel(r->hooks->ctx);
}

/* The cancel hook, as the engine polls it between runs. */
static int poll_cancel(void *ctx)
{
    return rc_run_cancelled(ctx);
}

/* Points in the order they run: grouped by network (first use first), by index inside a
 * group, so each network is built once and held alone. The order is fixed by the config, so
 * files are identical whatever the thread count, and a resumed run appends in the same order. */
static size_t *run_order(const rc_experiment_t *ex)
{
    size_t *order = malloc((ex->n_points + 1) * sizeof *order);
    size_t *start = calloc(ex->n_networks + 1, sizeof *start);
    if (order == NULL || start == NULL) {
        free(order);
        free(start);
        return NULL;
    }
    for (size_t p = 0; p < ex->n_points; p++)
        start[ex->points[p].network_id + 1]++;
    for (size_t id = 0; id < ex->n_networks; id++)
        start[id + 1] += start[id];
    for (size_t p = 0; p < ex->n_points; p++)
        order[start[ex->points[p].network_id]++] = p;
    free(start);
    return order;
}

/* Checks the points order[from..to) not done against the built network -- seeds or audience
 * (more seeds or audience members than nodes, ids not in the graph, a community out of range)
 * and the model's own checks that need the graph -- before any of them runs. */
static rc_status_t check_seeds(const rc_runner_t *r, size_t from, size_t to, const rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    rc_seed_plan_t *plan = NULL;
    for (size_t i = from; i < to && status == RC_OK; i++) {
        const rc_point_t *pt = &r->ex->points[r->order[i]];
        if (r->done0[pt->index])
            continue;
        if (pt->model->check_graph != NULL)
            status = pt->model->check_graph(pt->params, g);
        if (status != RC_OK)
            break;
        if (pt->has_audience) {
            status = rc_audience_check(&pt->audience, g);
        } else {
            status = rc_seeds_resolve(&pt->seeds, g, &plan);
            rc_seed_plan_free(plan);
            plan = NULL;
        }
    }
    return status;
}

rc_status_t rc_run_open_network(rc_runner_t *r, size_t from, size_t to, rc_graph_t **g)
{
    rc_status_t status = RC_OK;
    const rc_point_t *first = &r->ex->points[r->order[from]];
    *g = NULL;
    /* Loading a network may read an HDF5 cache: the writer must be idle (HDF5 is not
     * thread-safe). A write error surfaces here at the latest. */
    if (r->sink != NULL && r->sink->exclusive_io)
        RC_TRY(rc_writer_drain(&r->writer));
    double t = rc_run_now();
    RC_TRY(rc_network_load(&r->ex->networks[first->network_id], r->ex->base_dir, g));
    r->report->seconds_build += rc_run_now() - t;
    RC_TRY(check_seeds(r, from, to, *g));
cleanup:
    return status;
}

rc_status_t rc_run_record_network(rc_runner_t *r, size_t id, const rc_graph_t *g)
{
    rc_status_t status = RC_OK;
    double t = rc_run_now();
    rc_hooks_write_begin(r->hooks);
    status = r->sink->ops->network(r->sink->ctx, id, g);
    rc_hooks_write_end(r->hooks);
    r->report->seconds_networks += rc_run_now() - t;
    if (status == RC_OK && !r->writer.started)
        status = rc_writer_start(&r->writer, r->sink, r->hooks);
    return status;
}

rc_status_t rc_run_block(const rc_runner_t *r, const rc_point_t *pt, const rc_graph_t *g,
                         uint64_t first, uint64_t count, rc_mc_results_t **out)
{
    rc_mc_options_t opt = rc_run_point_options(pt, &r->opt);
    opt.first_run = first;
    opt.point_runs = r->ex->runs;
    opt.kernel_memo = &r->kernel_memo[pt->index];
    if (r->cancel_runs) {
        opt.cancel = poll_cancel;
        opt.cancel_ctx = (void *)r;
    }
    /* Greedy seed sequences are shared between points with the same model. */
    opt.greedy_cache = r->greedy;
    return rc_mc_run(g, pt->model, pt->params, pt->has_audience ? NULL : &pt->seeds, count,
                     r->ex->seed, pt->index, &opt, out);
}

rc_status_t rc_run_save_point(rc_runner_t *r, rc_mc_results_t **res, void *prep)
{
    const rc_point_t *pt = &r->ex->points[(*res)->point];
    if (r->hooks->point_done != NULL)
        r->hooks->point_done(r->hooks->ctx, pt, *res);
    r->report->points_run++;
    if ((*res)->kernel == RC_KERNEL_FUSED) {
        r->report->fused_points++;
        r->report->fused_adoptions += (*res)->total_adoptions;
        r->report->fused_visits += (*res)->fused_visits;
    }
    return rc_writer_submit(&r->writer, res, prep);
}

/* The size guard of a point's events: counts rows, stops the point past max. */
static rc_status_t guard_record(void *ctx, uint64_t run, const rc_cascade_t *c)
{
    rc_run_events_t *e = ctx;
    uint64_t count;
#pragma omp atomic capture
    count = e->count += c->size;
    if (count > e->max) {
#pragma omp atomic write
        e->over = 1;
        return rc_error(RC_ERR_CONFIG, "more than %llu events", (unsigned long long)e->max);
    }
    return e->inner.record(e->inner.ctx, run, c);
}

rc_status_t rc_run_events_begin(rc_run_events_t *e, const rc_point_t *pt, uint64_t runs)
{
    memset(e, 0, sizeof *e);
    if (pt->events_max_rows == 0)
        return RC_OK;
    rc_status_t st = rc_events_new(0, runs, &e->ev);
    if (st != RC_OK)
        return st;
    e->max = pt->events_max_rows;
    e->inner = rc_events_recorder(e->ev);
    e->rec = (rc_mc_recorder_t){guard_record, e};
    return RC_OK;
}

rc_status_t rc_run_events_end(rc_run_events_t *e, const rc_point_t *pt, const rc_graph_t *g,
                              rc_status_t status, rc_mc_results_t *res)
{
    if (e->ev == NULL)
        return status;
    if (status != RC_OK && e->over)
        return rc_error(RC_ERR_CONFIG,
                        "point %llu (scenario %s): its runs hold more than %llu adoptions, the "
                        "size guard of its events (events.max_rows); raise max_rows, lower "
                        "runs, or drop events:",
                        (unsigned long long)pt->index, pt->scenario, (unsigned long long)e->max);
    if (status != RC_OK)
        return status;
    status = rc_events_finish(e->ev);
    if (status == RC_OK)
        status = rc_events_name_nodes(e->ev, g);
    if (status != RC_OK)
        return status;
    res->events = e->ev;
    e->ev = NULL;
    return RC_OK;
}

void rc_run_events_free(rc_run_events_t *e)
{
    rc_events_free(e->ev);
    e->ev = NULL;
}

/* Runs the points order[from..to) that share one network: builds it, checks every pending
 * point's seeds on it, then runs them all at once in the pool (pool.c), which hands them to the
 * sink in run order and stops between runs when the cancel hook asks. */
static rc_status_t run_network(rc_runner_t *r, size_t from, size_t to)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    rc_graph_t *g = NULL;
    size_t pending = 0;
    for (size_t i = from; i < to; i++)
        pending += !r->done0[r->order[i]];
    if (pending == 0)
        goto cleanup;
    rc_run_status(r, "building network %zu of %zu", ex->points[r->order[from]].network_id + 1,
                  ex->n_networks);
    RC_TRY(rc_run_open_network(r, from, to, &g));
    if ((r->interrupted = rc_run_cancelled(r)) != 0)
        goto cleanup;
    RC_TRY(rc_run_record_network(r, ex->points[r->order[from]].network_id, g));
    RC_TRY(rc_run_pool(r, from, to, g));
cleanup:
    rc_graph_free(g);
    return status;
}

/* One process: each network once, with its points, in run order. */
static rc_status_t run_local(rc_runner_t *r)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    size_t from = 0;
    while (from < ex->n_points && !r->interrupted) {
        size_t to = from + 1, id = ex->points[r->order[from]].network_id;
        while (to < ex->n_points && ex->points[r->order[to]].network_id == id)
            to++;
        RC_TRY(run_network(r, from, to));
        r->interrupted |= rc_run_cancelled(r);
        from = to;
    }
cleanup:
    return status;
}

/* Starts OpenMP's thread pool with asynchronous signals blocked, so that its threads (which
 * OpenMP keeps for later parallel regions) never take a signal meant for the caller's program:
 * a program's handlers run on its own threads only. */
void rc_run_quiet_threads(int threads)
{
    sigset_t set, old;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    pthread_sigmask(SIG_BLOCK, &set, &old);
#pragma omp parallel num_threads(threads > 0 ? threads : omp_get_max_threads())
    {
        (void)0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Sets up the call: options, hooks, report, order, the points done earlier, the greedy cache. */
static rc_status_t runner_init(rc_runner_t *r, const rc_experiment_t *ex,
                               const rc_run_options_t *opt, rc_sink_t *sink,
                               const rc_run_hooks_t *hooks, rc_run_report_t *report)
{
    static const rc_run_hooks_t no_hooks = {0};
    memset(r, 0, sizeof *r);
    r->ex = ex;
    r->opt = opt != NULL ? *opt : rc_run_default_options();
    r->sink = sink;
    r->hooks = hooks != NULL ? hooks : &no_hooks;
    r->report = report;
    memset(report, 0, sizeof *report);
    report->points_total = ex->n_points;
    if (r->opt.threads < 0)
        return rc_error(RC_ERR_ARGUMENT, "threads: expected a number >= 0, got %d",
                        r->opt.threads);
    r->order = run_order(ex);
    r->done0 = calloc(ex->n_points + 1, 1);
    r->greedy = rc_greedy_cache_new();
    r->kernel_memo = calloc(ex->n_points + 1, sizeof *r->kernel_memo); /* 0: RC_KERNEL_AUTO */
    if (r->order == NULL || r->done0 == NULL || r->greedy == NULL || r->kernel_memo == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory starting the runner");
    for (size_t p = 0; sink != NULL && sink->ops->point_done != NULL && p < ex->n_points; p++) {
        r->done0[p] = (unsigned char)(sink->ops->point_done(sink->ctx, p) != 0);
        report->points_earlier += r->done0[p];
    }
    return RC_OK;
}

rc_status_t rc_run_experiment(const rc_experiment_t *ex, const rc_run_options_t *opt,
                              rc_sink_t *sink, const rc_run_hooks_t *hooks,
                              rc_run_report_t *report)
{
    rc_status_t status = RC_OK;
    rc_run_report_t own;
    rc_runner_t r;
    double t0 = rc_run_now();
    /* Threads for network builds apply to this thread only, and are put back at the end. */
    const int old_threads = omp_get_max_threads();
    RC_TRY(runner_init(&r, ex, opt, sink, hooks, report != NULL ? report : &own));
    if (r.opt.threads > 0)
        omp_set_num_threads(r.opt.threads);
    rc_run_quiet_threads(r.opt.threads);
    if (rc_run_mpi_size() > 1) {
        for (size_t p = 0; p < ex->n_points; p++)
            if (ex->points[p].events_max_rows > 0)
                RC_FAIL(RC_ERR_CONFIG,
                        "events: point %zu asks for the events of its runs, which are not "
                        "gathered from several MPI ranks; run it as one process",
                        p);
        status = sink != NULL ? rc_run_mpi_coordinate(&r) : rc_run_mpi_work(&r);
    } else {
        if (sink == NULL)
            RC_FAIL(RC_ERR_ARGUMENT, "rc_run_experiment: no sink to write the results to");
        r.cancel_runs = 1;
        status = run_local(&r);
    }
    /* Every point handed over reaches the sink before we return, error or not. */
    rc_status_t wst = rc_writer_stop(&r.writer);
    if (status == RC_OK)
        status = wst;
    RC_TRY(status);
    uint64_t done = r.report->points_earlier + r.report->points_run;
    r.report->interrupted = r.interrupted && done < ex->n_points;
    if (r.report->interrupted)
        RC_FAIL(RC_ERR_INTERRUPTED, "interrupted: %llu of %zu points are complete",
                (unsigned long long)done, ex->n_points);
cleanup:
    if (r.report != NULL) {
        r.report->seconds_total = rc_run_now() - t0;
        r.report->seconds_wait = r.writer.wait_seconds;
        r.report->seconds_write = r.writer.write_seconds;
    }
    if (r.opt.threads > 0)
        omp_set_num_threads(old_threads);
    rc_greedy_cache_free(r.greedy);
    free(r.kernel_memo);
    free(r.order);
    free(r.done0);
    if (report == NULL)
        rc_run_report_clear(&own);
    return status;
}
