/* The progress of an experiment on stderr (progress.h): a bar of points, runs per second and ETA from this
 * process's own pace, and the current scenario. On a terminal drawn with \r and cut to its width
 * so it never wraps, rate-limited to 4 Hz; in a log, one plain line every 10 seconds. */
#include "rtcascade/progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define REDRAW_INTERVAL 0.25 /* seconds: at most 4 redraws a second */
#define LINE_INTERVAL 10.0   /* seconds between plain lines */
#define BAR_WIDTH 20

double rc_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* "1h02m", "3m05s", "12s": short enough for the line. */
static void format_duration(double s, char *buf, size_t size)
{
    if (!(s >= 0) || s > 99.0 * 86400) {
        snprintf(buf, size, "?");
        return;
    }
    unsigned long t = (unsigned long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%luh%02lum", t / 3600, (t % 3600) / 60);
    else if (t >= 60)
        snprintf(buf, size, "%lum%02lus", t / 60, t % 60);
    else
        snprintf(buf, size, "%lus", t);
}

static void format_rate(double r, char *buf, size_t size)
{
    if (r >= 1e6)
        snprintf(buf, size, "%.1fM", r / 1e6);
    else if (r >= 1e4)
        snprintf(buf, size, "%.0fk", r / 1e3);
    else
        snprintf(buf, size, "%.0f", r);
}

static void draw(rc_progress_t *p, double now)
{
    char line[512], rate[32] = "-", eta[32] = "?";
    size_t filled = p->total_points ? BAR_WIDTH * p->done_points / p->total_points : BAR_WIDTH;
    char bar[BAR_WIDTH + 1];
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    double elapsed = now - p->t_start;
    if (p->session_runs > 0 && elapsed > 0) {
        double r = (double)p->session_runs / elapsed;
        format_rate(r, rate, sizeof rate);
        double left = (double)(p->total_points - p->done_points) * (double)p->runs_per_point;
        format_duration(left / r, eta, sizeof eta);
    }
    if (p->lines) {
        fprintf(stderr, "rtcascade: %zu/%zu points, %llu runs this session, %s runs/s, ETA %s: %s\n",
                p->done_points, p->total_points, (unsigned long long)p->session_runs, rate, eta,
                p->what);
        fflush(stderr);
        p->t_last_draw = now;
        return;
    }
    int len = snprintf(line, sizeof line, "[%s] %zu/%zu points  %s runs/s  ETA %s  %s", bar,
                       p->done_points, p->total_points, rate, eta, p->what);
    int width = terminal_width() - 1;
    if (len > width)
        line[width] = '\0';
    /* \033[K erases what a longer previous line left behind. */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    p->drawn = 1;
    p->t_last_draw = now;
}

void rc_progress_init(rc_progress_t *p, rc_progress_mode_t mode, size_t total_points,
                      size_t done_points, uint64_t runs_per_point)
{
    memset(p, 0, sizeof *p);
    if (mode == RC_PROGRESS_AUTO)
        mode = isatty(STDERR_FILENO) ? RC_PROGRESS_BAR : RC_PROGRESS_LINES;
    p->enabled = mode != RC_PROGRESS_NONE;
    p->lines = mode == RC_PROGRESS_LINES;
    p->interval = p->lines ? LINE_INTERVAL : REDRAW_INTERVAL;
    const char *env = getenv("RC_PROGRESS_INTERVAL");
    if (p->lines && env != NULL && atof(env) > 0)
        p->interval = atof(env);
    p->total_points = total_points;
    p->done_points = done_points;
    p->runs_per_point = runs_per_point;
    p->t_start = rc_progress_now();
    p->t_last_draw = p->lines ? p->t_start : -1e9; /* a first line after one interval */
}

void rc_progress_status(rc_progress_t *p, const char *fmt, ...)
{
    if (!p->enabled)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
    double now = rc_progress_now();
    if (now - p->t_last_draw >= p->interval)
        draw(p, now);
}

void rc_progress_point_done(rc_progress_t *p, uint64_t runs)
{
    p->done_points++;
    p->session_runs += runs;
    if (!p->enabled)
        return;
    double now = rc_progress_now();
    if (now - p->t_last_draw >= p->interval || (!p->lines && p->done_points == p->total_points))
        draw(p, now);
}

void rc_progress_clear(rc_progress_t *p)
{
    if (!p->enabled || !p->drawn || p->lines)
        return;
    fprintf(stderr, "\r\033[K");
    fflush(stderr);
    p->drawn = 0;
    p->t_last_draw = -1e9;
}
