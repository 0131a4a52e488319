/* Progress of an experiment in words (run layer), for programs that show it while the runner
 * works (its status and point_done hooks call these): points done / total, runs per second,
 * ETA and what is running now, on stderr. On a terminal a bar redrawn in place at most 4 times
 * a second; otherwise (a batch job's log) a plain line every 10 seconds (RC_PROGRESS_INTERVAL
 * seconds when set), so a log shows the job's pace while it runs. */
#ifndef RTCASCADE_PROGRESS_H
#define RTCASCADE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef enum rc_progress_mode {
    RC_PROGRESS_AUTO = 0, /* a bar on a terminal, lines otherwise */
    RC_PROGRESS_BAR,
    RC_PROGRESS_LINES,
    RC_PROGRESS_NONE
} rc_progress_mode_t;

typedef struct rc_progress {
    int enabled;         /* 0: every call does nothing */
    int lines;           /* 1: plain lines (no redrawing) */
    double interval;     /* seconds between draws */
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

/* Starts the progress in `mode` (AUTO: a bar when stderr is a terminal, else lines). */
void rc_progress_init(rc_progress_t *p, rc_progress_mode_t mode, size_t total_points,
                      size_t done_points, uint64_t runs_per_point);

/* Sets what is running now (printf-style) and draws when the last draw is older than the
 * interval. */
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
