/* Background writer for `rtcascade run`: appends finished points to the results file on a
 * thread of its own while the engine computes the next points, so the file's per-point cost
 * (HDF5 open/append/close, journal fsync) overlaps the runs instead of adding to them. Points
 * are written in the order they were handed over. A short queue lets a burst of quick points
 * get ahead of the writer; it is bounded (RC_WRITER_QUEUE points, RC_WRITER_QUEUE_RUNS runs),
 * and a backlog only forms while points are quicker to run than to write, so what a kill -9
 * can catch unwritten is a few quick points. */
#ifndef RC_CLI_WRITER_H
#define RC_CLI_WRITER_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/results.h"

#include <pthread.h>
#include <stdint.h>

#define RC_WRITER_QUEUE 16                /* points waiting at most */
#define RC_WRITER_QUEUE_RUNS (1ULL << 22) /* runs waiting at most (about 300 MB of results) */

typedef struct rc_writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started;                             /* 1 while the thread runs */
    rc_results_t *file;                      /* used only by the thread while it runs */
    rc_mc_results_t *queue[RC_WRITER_QUEUE]; /* ring of points to write; owned */
    unsigned head, count;                    /* first waiting point, points waiting */
    uint64_t queued_runs;                    /* runs of the waiting points */
    int quit;                                /* asks the thread to finish */
    rc_status_t status;                      /* first failed write (later points are dropped) */
    char message[1024];                      /* its message (rc_error messages are per thread) */
    double write_seconds;                    /* time the thread spent writing */
    double wait_seconds;                     /* time the caller spent waiting for the thread */
} rc_writer_t;

/* Starts the thread for `file`; until rc_writer_stop nobody else may call rc_results_* on it,
 * nor any other HDF5 function (the library is not thread-safe), except between
 * rc_writer_drain and the next rc_writer_submit. */
rc_status_t rc_writer_start(rc_writer_t *w, rc_results_t *file);

/* Queues *res (ownership passes; *res becomes NULL), first waiting for room. Returns the error
 * of an earlier write, if any (then *res stays with the caller). */
rc_status_t rc_writer_submit(rc_writer_t *w, rc_mc_results_t **res);

/* Waits until every queued point is written; returns the first write error. */
rc_status_t rc_writer_drain(rc_writer_t *w);

/* Drains, then ends the thread. Safe on a writer never started. Returns the first error. */
rc_status_t rc_writer_stop(rc_writer_t *w);

#endif
