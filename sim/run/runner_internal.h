/* What the runner's single-process and MPI parts share (private to sim/run). */
#ifndef RC_RUN_INTERNAL_H
#define RC_RUN_INTERNAL_H

#include "rtcascade/graph_h5.h"
#include "rtcascade/events.h"
#include "rtcascade/greedy.h"
#include "rtcascade/runner.h"
#include "run/writer.h"

#include <stddef.h>
#include <stdint.h>

/* One call of rc_run_experiment. */
typedef struct rc_runner {
    const rc_experiment_t *ex;
    rc_run_options_t opt;
    rc_sink_t *sink;              /* NULL on MPI ranks other than 0 */
    const rc_run_hooks_t *hooks;  /* never NULL (an empty table when the caller gave none) */
    rc_run_report_t *report;      /* never NULL */
    rc_greedy_cache_t *greedy;    /* greedy sequences shared by the points of this call */
    rc_kernel_t *kernel_memo;     /* per point: auto's choice once its pilot ran (AUTO before),
                                     so that a point run in blocks (MPI) pilots once a rank */
    size_t *order;                /* run order: point indices grouped by network */
    unsigned char *done0;         /* per point: complete in the sink before this call */
    rc_writer_t writer;           /* hands points to the sink in the background */
    int interrupted;              /* the cancel hook said stop */
    int cancel_runs;              /* 1: the cancel hook is polled between runs too */
} rc_runner_t;

/* Seconds on a monotonic clock. */
double rc_run_now(void);

/* Says what runs now through the status hook (printf-style). */
void rc_run_status(const rc_runner_t *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* 1 when the cancel hook says stop. */
int rc_run_cancelled(const rc_runner_t *r);

/* Builds or loads network `id` (the writer idle first when the sink's IO is exclusive) and
 * checks the seeds or audience of every point order[from..to) not done on it. */
rc_status_t rc_run_open_network(rc_runner_t *r, size_t from, size_t to, rc_graph_t **g);

/* Records network `id` in the sink (the writer must be idle) and starts the writer. */
rc_status_t rc_run_record_network(rc_runner_t *r, size_t id, const rc_graph_t *g);

/* Starts OpenMP's thread pool (threads, 0 = the default) with asynchronous signals blocked, so
 * that its threads never take a signal meant for the program. */
void rc_run_quiet_threads(int threads);

/* The engine options of point pt run with options o (point.c): its global fraction, size cap,
 * audience and model key, o's threads and schedule; the rest default. */
rc_mc_options_t rc_run_point_options(const rc_point_t *pt, const rc_run_options_t *o);

/* The runs [first, first + count) of point pt on g. */
rc_status_t rc_run_block(const rc_runner_t *r, const rc_point_t *pt, const rc_graph_t *g,
                         uint64_t first, uint64_t count, rc_mc_results_t **out);

/* Runs the points order[from..to) not done earlier, which share network g, all at once on the
 * call's threads (pool.c), and hands each to the writer in run order. RC_OK with r->interrupted
 * set when the cancel hook stopped it (the points finished before the first unfinished one are
 * handed over), or the first failure (a point's, by run order, or the writer's). */
rc_status_t rc_run_pool(rc_runner_t *r, size_t from, size_t to, const rc_graph_t *g);

/* Hands a finished point to the writer (which takes it, with prep: what the sink's prepare()
 * made for it, or NULL) and tells the point_done hook. */
rc_status_t rc_run_save_point(rc_runner_t *r, rc_mc_results_t **res, void *prep);

/* The events of a point that asks for them (`events:`): every run's cascade, stopped past
 * events.max_rows adoptions. begin makes the collector when pt asks (rec is then the recorder
 * for the point's options; ev NULL otherwise); end, given the point's outcome, names the size
 * guard when it stopped the point, or finishes the events into res->events; free drops what is
 * left. */
typedef struct rc_run_events {
    rc_events_t *ev;
    rc_mc_recorder_t inner, rec;
    uint64_t max, count;
    int over;
} rc_run_events_t;
rc_status_t rc_run_events_begin(rc_run_events_t *e, const rc_point_t *pt, uint64_t runs);
rc_status_t rc_run_events_end(rc_run_events_t *e, const rc_point_t *pt, const rc_graph_t *g,
                              rc_status_t status, rc_mc_results_t *res);
void rc_run_events_free(rc_run_events_t *e);

/* MPI (mpi_*.c; stubs without MPI): the number of ranks; rank 0's coordination of the points
 * not done; another rank's work loop. */
int rc_run_mpi_size(void);
rc_status_t rc_run_mpi_coordinate(rc_runner_t *r);
rc_status_t rc_run_mpi_work(rc_runner_t *r);

#endif
