/* The progress line of `rtcascade run`: points done / total, runs per second, ETA and what is
 * running now, redrawn in place on stderr at most 4 times a second. Disabled (every call a
 * no-op) unless stderr is a terminal and --quiet was not given. */
#ifndef RC_CLI_PROGRESS_H
#define RC_CLI_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct rc_progress {
    int enabled;         /* 0: every call does nothing */
    size_t total_points; /* points of the experiment */
    size_t done_points;  /* points complete (earlier sessions' included) */
    uint64_t runs_per_point;
    uint64_t session_runs; /* runs finished by this process (for the rate) */
    double t_start;        /* monotonic seconds when this process started running points */
    double t_last_draw;    /* when the line was last drawn (rate limit) */
    char what[160];        /* what is running now ("building network 1/2", "a model.p=0.1") */
    int drawn;             /* 1 while a line is on the terminal */
} rc_progress_t;

/* Monotonic wall-clock seconds. Cannot fail. */
double rc_progress_now(void);

/* Starts the line; `want` is 0 for --quiet. Enabled only when want and stderr is a terminal. */
void rc_progress_init(rc_progress_t *p, int want, size_t total_points, size_t done_points,
                      uint64_t runs_per_point);

/* Sets what is running now (printf-style) and redraws if the last draw is older than 1/4 s. */
void rc_progress_status(rc_progress_t *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Counts one finished point of `runs` runs and redraws (rate-limited). */
void rc_progress_point_done(rc_progress_t *p, uint64_t runs);

/* Erases the line so that ordinary output can follow. */
void rc_progress_clear(rc_progress_t *p);

#endif
