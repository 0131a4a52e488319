/* The runner's background writer (private to sim/run): hands finished points to the sink on a
 * thread of its own while the engine computes the next points, so the sink's per-point cost
 * (for the HDF5 file: open, append, close, journal fsync) overlaps the runs instead of adding
 * to them. Points are written in the order they were handed over. A short queue lets a burst of
 * quick points get ahead of the writer; it is bounded (RC_WRITER_QUEUE points,
 * RC_WRITER_QUEUE_RUNS runs), and a backlog only forms while points are quicker to run than to
 * write, so what a kill -9 can catch unwritten is a few quick points. */
#ifndef RC_RUN_WRITER_H
#define RC_RUN_WRITER_H

#include "rtcascade/runner.h"

#include <pthread.h>
#include <stdint.h>

#define RC_WRITER_QUEUE 16                /* points waiting at most */
#define RC_WRITER_QUEUE_RUNS (1ULL << 22) /* runs waiting at most (about 300 MB of results) */

typedef struct rc_writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started;                             /* 1 while the thread runs */
    rc_sink_t *sink;                         /* used only by the thread while it runs */
    const rc_run_hooks_t *hooks;             /* write_begin / write_end around each write */
    rc_mc_results_t *queue[RC_WRITER_QUEUE]; /* ring of points to write; owned */
    void *prep[RC_WRITER_QUEUE];             /* what the sink prepared for each, or NULL */
    unsigned head, count;                    /* first waiting point, points waiting */
    uint64_t queued_runs;                    /* runs of the waiting points */
    int quit;                                /* asks the thread to finish */
    rc_status_t status;                      /* first failed write (later points are dropped) */
    char message[1024];                      /* its message (rc_error messages are per thread) */
    double write_seconds;                    /* time the thread spent writing */
    double wait_seconds;                     /* time the caller spent waiting for the thread */
} rc_writer_t;

/* Starts the thread for sink; until rc_writer_stop nobody else may call the sink, nor (with an
 * exclusive_io sink) any other HDF5 function, except between rc_writer_drain and the next
 * rc_writer_submit. The thread blocks asynchronous signals (SIGINT, SIGTERM...), so they go to
 * the caller's threads. */
rc_status_t rc_writer_start(rc_writer_t *w, rc_sink_t *sink, const rc_run_hooks_t *hooks);

/* Queues *res (ownership passes; *res becomes NULL) with what the sink's prepare() made for it
 * (prep, NULL when nothing; always taken), first waiting for room. Returns the error of an
 * earlier write, if any (then *res stays with the caller, and prep is discarded). */
rc_status_t rc_writer_submit(rc_writer_t *w, rc_mc_results_t **res, void *prep);

/* Waits until every queued point is written; returns the first write error. */
rc_status_t rc_writer_drain(rc_writer_t *w);

/* Drains, then ends the thread. Safe on a writer never started. Returns the first error. */
rc_status_t rc_writer_stop(rc_writer_t *w);

/* Calls hooks->write_begin / write_end when set (hooks may be NULL). */
void rc_hooks_write_begin(const rc_run_hooks_t *hooks);
void rc_hooks_write_end(const rc_run_hooks_t *hooks);

#endif
