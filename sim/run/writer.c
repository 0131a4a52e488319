/* The runner's background writer (see writer.h): a bounded ring of finished points guarded by
 * one mutex and one condition variable. The thread blocks asynchronous signals for its whole
 * life and brackets each write with the caller's write_begin/write_end hooks, so that a program
 * holding signals there sees even a second Ctrl-C take effect only between writes. */
#include "run/writer.h"

#include <omp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

void rc_hooks_write_begin(const rc_run_hooks_t *hooks)
{
    if (hooks != NULL && hooks->write_begin != NULL)
        hooks->write_begin(hooks->ctx);
}

void rc_hooks_write_end(const rc_run_hooks_t *hooks)
{
    if (hooks != NULL && hooks->write_end != NULL)
        hooks->write_end(hooks->ctx);
}

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
        void *prep = w->prep[w->head];
        w->prep[w->head] = NULL;
        int skip = w->status != RC_OK;
        pthread_mutex_unlock(&w->mu);

        rc_status_t st = RC_OK;
        double t = omp_get_wtime();
        if (skip && prep != NULL) {
            w->sink->ops->discard(w->sink->ctx, prep);
        } else if (!skip) {
            rc_hooks_write_begin(w->hooks);
            if (prep != NULL)
                st = w->sink->ops->point_prepared(w->sink->ctx, &job, prep);
            else
                st = w->sink->ops->point(w->sink->ctx, &job);
            rc_hooks_write_end(w->hooks);
        }
        double dt = omp_get_wtime() - t;

        pthread_mutex_lock(&w->mu);
        w->write_seconds += dt;
        if (st != RC_OK && w->status == RC_OK) {
            w->status = st;
            snprintf(w->message, sizeof w->message, "%s", rc_error_message());
        }
        w->queued_runs -= w->queue[w->head]->runs;
        if (job == NULL)
            w->queue[w->head] = NULL; /* the sink kept it */
        rc_mc_results_free(w->queue[w->head]);
        w->queue[w->head] = NULL;
        w->head = (w->head + 1) % RC_WRITER_QUEUE;
        w->count--;
        pthread_cond_broadcast(&w->cv);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

rc_status_t rc_writer_start(rc_writer_t *w, rc_sink_t *sink, const rc_run_hooks_t *hooks)
{
    memset(w, 0, sizeof *w);
    w->sink = sink;
    w->hooks = hooks;
    if (pthread_mutex_init(&w->mu, NULL) != 0)
        return rc_error(RC_ERR_INTERNAL, "cannot create the results writer's lock");
    if (pthread_cond_init(&w->cv, NULL) != 0) {
        pthread_mutex_destroy(&w->mu);
        return rc_error(RC_ERR_INTERNAL, "cannot create the results writer's condition");
    }
    /* The thread inherits a mask with the asynchronous signals blocked: they go to the caller's
     * threads, whose program decides what they mean. */
    sigset_t set, old;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
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
    double t = omp_get_wtime();
    for (;;) {
        int wait = drain ? w->count > 0
                         : w->count == RC_WRITER_QUEUE ||
                               (w->count > 0 && w->queued_runs + runs > RC_WRITER_QUEUE_RUNS);
        if (!wait || w->status != RC_OK)
            break;
        pthread_cond_wait(&w->cv, &w->mu);
    }
    w->wait_seconds += omp_get_wtime() - t;
    if (w->status != RC_OK)
        return rc_error(w->status, "%s", w->message);
    return RC_OK;
}

rc_status_t rc_writer_submit(rc_writer_t *w, rc_mc_results_t **res, void *prep)
{
    pthread_mutex_lock(&w->mu);
    rc_status_t status = wait_while(w, 0, (*res)->runs);
    if (status != RC_OK && prep != NULL)
        w->sink->ops->discard(w->sink->ctx, prep);
    if (status == RC_OK) {
        w->prep[(w->head + w->count) % RC_WRITER_QUEUE] = prep;
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
