/* Observed retweet cascades: the data the fitting layer (fit.h) works on.
 *
 * A cascade is an original post at time 0 followed by its reshares, each event carrying a mark
 * (the poster's follower count as given). Events live in flat arrays, cascade c owning
 * [offset[c], offset[c+1]). Each cascade has an observation time T_c: it was watched over
 * [0, T_c], so every event has time <= T_c and the likelihood's compensator runs up to T_c. */
#ifndef RTCASCADE_CASCADES_H
#define RTCASCADE_CASCADES_H

#include "rtcascade/error.h"

#include <stddef.h>

typedef struct rc_cascades {
    size_t n;         /* number of cascades, >= 1 */
    size_t n_events;  /* events in all cascades, offset[n] */
    size_t *offset;   /* n + 1 offsets: cascade c owns events [offset[c], offset[c+1]) */
    double *time;     /* seconds since the original post: 0 for the first event, sorted */
    double *mark;     /* the poster's follower count, finite and >= 0 (1 when unmarked) */
    double *obs_time; /* T_c per cascade: >= its last event time; INFINITY = complete */
    const char **id;  /* original cascade id as written in the file ("0", "1", ... made up
                       * when there was none); points into id_pool */
    char *id_pool;    /* storage of the ids, each '\0'-terminated */
    size_t n_dropped; /* events left out when built: after T_c, or past max_events */
} rc_cascades_t;

/* Number of events of cascade c. */
static inline size_t rc_cascades_size(const rc_cascades_t *cs, size_t c)
{
    return cs->offset[c + 1] - cs->offset[c];
}

/* How rc_cascades_read finds its columns and windows. Start from
 * rc_cascades_read_defaults() and change fields. */
typedef struct rc_cascades_read_options {
    const char *cascade_column;  /* column naming the cascade of each row; NULL: the whole file
                                  * is one cascade (e.g. seismic_tweet.csv). Default "cascade" */
    const char *time_column;     /* event time in seconds since the original post. Default
                                  * "time_s"; required */
    const char *mark_column;     /* follower count of the poster; NULL: unmarked (every mark 1).
                                  * Default "followers" */
    double obs_time;             /* one observation time T for every cascade, > 0, INFINITY
                                  * allowed (complete cascades); 0 = not given (default) */
    const char *obs_time_column; /* or a column holding each cascade's T_c (same value on all
                                  * rows of a cascade); NULL = none (default) */
    size_t max_events;           /* keep at most this many events per cascade (0 = all, the
                                  * default); a capped cascade's T_c becomes the time of its
                                  * last kept event */
} rc_cascades_read_options_t;

/* The defaults: columns "cascade", "time_s", "followers"; T_c = the cascade's last event time;
 * no cap. Cannot fail. */
rc_cascades_read_options_t rc_cascades_read_defaults(void);

/* Reads cascades from a CSV file, plain or gzip (told apart by content, not by name), with a
 * header line naming the columns; opt NULL means rc_cascades_read_defaults(). Rows of a cascade
 * must be contiguous and sorted by time, its first row (the original post) at time 0; times
 * finite and >= 0, marks finite and >= 0. Observation time: opt->obs_time when > 0, else the
 * opt->obs_time_column value, else the cascade's last event time; events after T_c are left
 * out (counted in n_dropped). Bad input fails with RC_ERR_INPUT and "path:line: expected ...";
 * an unreadable file with RC_ERR_IO; bad options with RC_ERR_CONFIG. On success *out is the
 * caller's (rc_cascades_free); on failure *out is NULL. */
rc_status_t rc_cascades_read(const char *path, const rc_cascades_read_options_t *opt,
                             rc_cascades_t **out);

/* Builds cascades from arrays (tests, the Python API): n cascades, offset[n+1] with offset[0]
 * = 0, time[offset[n]]; mark NULL = unmarked (all 1); obs_time NULL = each cascade's last event
 * time, else per cascade (INFINITY allowed; events after it are left out); ids NULL = "0",
 * "1", ... The same rules as the reader apply; violations fail with RC_ERR_INPUT naming the
 * cascade and event ("cascade 2 (id 'x'), event 3: expected ..."), including a cascade with no
 * events. The input arrays are copied. */
rc_status_t rc_cascades_from_arrays(size_t n, const size_t *offset, const double *time,
                                    const double *mark, const double *obs_time,
                                    const char *const *ids, rc_cascades_t **out);

/* The cascades idx[0..k-1] of `in`, in that order; an index may repeat (bootstrap resamples).
 * Fails with RC_ERR_CONFIG when k = 0 or an index is out of range. */
rc_status_t rc_cascades_subset(const rc_cascades_t *in, const size_t *idx, size_t k,
                               rc_cascades_t **out);

/* The same cascades observed only up to time t (per cascade t_each[c] when t_each is not NULL):
 * T_c becomes min(T_c, t) and later events are left out. t >= 0 (the original post is always
 * kept); fails with RC_ERR_CONFIG otherwise. */
rc_status_t rc_cascades_censor(const rc_cascades_t *in, double t, const double *t_each,
                               rc_cascades_t **out);

/* Frees everything (NULL is harmless). */
void rc_cascades_free(rc_cascades_t *cs);

#endif
