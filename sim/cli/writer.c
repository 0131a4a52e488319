/* The background writer of `rtcascade run` (see writer.h): a bounded ring of finished points
 * guarded by one mutex and one condition variable. The thread holds off SIGINT/SIGTERM for its
 * whole life and marks each write with rc_signals_hold/release, so that even a second Ctrl-C
 * takes effect only between writes. */
#include "cli/writer.h"
#include "cli/progress.h"
#include "cli/signals.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static void *writer_main(void *arg)
{
    rc_writer_t *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count == 0 && !w->quit)
            pthread_cond_wait(&w->cv, &w->mu);
        if (w->count == 0)
            break; /* quit, and nothing left to write */
        rc_mc_results_t *job = w->queue[w->head];
        int skip = w->status != RC_OK;
        pthread_mutex_unlock(&w->mu);

        rc_status_t st = RC_OK;
        double t = rc_progress_now();
        if (!skip) {
            rc_signals_hold();
            st = rc_results_write_point(w->file, job);
            rc_signals_release();
        }
        double dt = rc_progress_now() - t;

        pthread_mutex_lock(&w->mu);
        w->write_seconds += dt;
        if (st != RC_OK && w->status == RC_OK) {
            w->status = st;
            snprintf(w->message, sizeof w->message, "%s", rc_error_message());
        }
        w->queued_runs -= job->runs;
        w->queue[w->head] = NULL;
        w->head = (w->head + 1) % RC_WRITER_QUEUE;
        w->count--;
        rc_mc_results_free(job);
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

rc_status_t rc_writer_start(rc_writer_t *w, rc_results_t *file)
{
    memset(w, 0, sizeof *w);
    w->file = file;
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return rc_error(RC_ERR_INTERNAL, "cannot create the results writer's lock");
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        return rc_error(RC_ERR_INTERNAL, "cannot create the results writer's condition");
    }
    /* The thread inherits a mask with the stop signals blocked: they go to the main thread. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    int rc = pthread_create(&w->thread, NULL, writer_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        return rc_error(RC_ERR_NOMEM, "cannot start the results writer thread: %s", strerror(rc));
    }
    w->started = 1;
    return RC_OK;
}

/* With the mutex held: waits until the queue is empty (drain) or has room for `runs` more
 * runs, then returns the first write error. */
static rc_status_t wait_while(rc_writer_t *w, int drain, uint64_t runs)
{
    double t = rc_progress_now();
    for (;;) {
        int wait = drain ? w->count > 0
                         : w->count == RC_WRITER_QUEUE ||
                               (w->count > 0 && w->queued_runs + runs > RC_WRITER_QUEUE_RUNS);
        if (!wait || w->status != RC_OK)
            break;
        pthread_cond_wait(&w->cv, &w->mu);
    }
    w->wait_seconds += rc_progress_now() - t;
    if (w->status != RC_OK)
        return rc_error(w->status, "%s", w->message);
    return RC_OK;
}

rc_status_t rc_writer_submit(rc_writer_t *w, rc_mc_results_t **res)
{
    pthread_mutex_lock(&w->mu);
    rc_status_t status = wait_while(w, 0, (*res)->runs);
    if (status == RC_OK) {
        w->queue[(w->head + w->count) % RC_WRITER_QUEUE] = *res;
        w->count++;
        w->queued_runs += (*res)->runs;
        *res = NULL;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return status;
}

rc_status_t rc_writer_drain(rc_writer_t *w)
{
    if (!w->started)
        return RC_OK;
    pthread_mutex_lock(&w->mu);
    rc_status_t status = wait_while(w, 1, 0);
    /* After an error the thread may still be finishing (and dropping) queued points. */
    while (w->count > 0)
        pthread_cond_wait(&w->cv, &w->mu);
    pthread_mutex_unlock(&w->mu);
    return status;
}

rc_status_t rc_writer_stop(rc_writer_t *w)
{
    if (!w->started)
        return RC_OK;
    rc_status_t status = rc_writer_drain(w);
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    w->started = 0;
    return status;
}
