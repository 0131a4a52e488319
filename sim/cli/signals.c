/* SIGINT/SIGTERM handling for `rtcascade run`: the first signal sets a flag (and says so on
 * stderr), the second restores the default action and re-raises, for a user who does not want
 * to wait for the current point. Results writes (on the main thread or the writer thread) are
 * marked held, so even the second signal takes effect only between writes. */
#include "cli/signals.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal = 0;
static volatile sig_atomic_t writing = 0;      /* a results write is in progress (any thread) */
static volatile sig_atomic_t kill_pending = 0; /* a second signal that waits for that write */
static _Thread_local sigset_t saved_mask;      /* the mask rc_signals_release puts back */
static struct sigaction old_int, old_term;
static int installed = 0;

static void on_signal(int sig)
{
    if (stop_signal != 0) {
        /* Second signal: the default action (terminate), once no write is in progress (the
         * writer thread re-raises it when its write is done). The results file holds every
         * point written so far, so `--resume` still works. */
        if (writing) {
            kill_pending = sig;
            return;
        }
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_signal = sig;
    static const char msg[] = "\nrtcascade: stopping after the current point "
                              "(send the signal again to stop at once)\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
}

static void set_mask(int how, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(how, &set, old);
}

void rc_signals_install(void)
{
    /* A signal goes to any thread that does not block it. The library starts its threads
     * (OpenMP's pool, the results writer) with signals blocked, so handlers run on the main
     * thread only, and holding the signals there (around results writes) really holds them. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    installed = 1;
}

void rc_signals_restore(void)
{
    if (!installed)
        return;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    installed = 0;
}

int rc_signals_stop_requested(void)
{
    return (int)stop_signal;
}

void rc_signals_hold(void)
{
    set_mask(SIG_BLOCK, &saved_mask);
    writing = 1;
}

void rc_signals_release(void)
{
    writing = 0;
    int pending = kill_pending;
    if (pending != 0) {
        /* A second signal came during the write: act on it now, process-wide. */
        signal(pending, SIG_DFL);
        kill(getpid(), pending);
    }
    pthread_sigmask(SIG_SETMASK, &saved_mask, NULL);
}
