/* The observed-cascades container: building from arrays with the same rules as the CSV reader,
 * subsets (held-out sets, bootstrap resamples) and censoring at an earlier observation time.
 * Every constructor copies; a set never shares memory with another. */
#include "cascades_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rc_status_t rc_cascades_alloc(size_t n, size_t n_events, size_t id_bytes, rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *cs = calloc(1, sizeof *cs);
    *out = NULL;
    RC_ALLOC_CHECK(cs, "the cascades");
    cs->n = n;
    cs->n_events = n_events;
    cs->offset = calloc(n + 1, sizeof *cs->offset);
    cs->time = malloc((n_events ? n_events : 1) * sizeof *cs->time);
    cs->mark = malloc((n_events ? n_events : 1) * sizeof *cs->mark);
    cs->obs_time = calloc(n ? n : 1, sizeof *cs->obs_time);
    cs->id = calloc(n ? n : 1, sizeof *cs->id);
    cs->id_pool = calloc(id_bytes ? id_bytes : 1, 1);
    if (!cs->offset || !cs->time || !cs->mark || !cs->obs_time || !cs->id || !cs->id_pool)
        RC_FAIL(RC_ERR_NOMEM, "out of memory allocating %zu cascades of %zu events", n, n_events);
    *out = cs;
    cs = NULL;
cleanup:
    rc_cascades_free(cs);
    return status;
}

void rc_cascades_index_ids(rc_cascades_t *cs)
{
    const char *p = cs->id_pool;
    for (size_t c = 0; c < cs->n; c++) {
        cs->id[c] = p;
        p += strlen(p) + 1;
    }
}

void rc_cascades_free(rc_cascades_t *cs)
{
    if (cs == NULL)
        return;
    free(cs->offset);
    free(cs->time);
    free(cs->mark);
    free(cs->obs_time);
    free(cs->id);
    free(cs->id_pool);
    free(cs);
}

/* The id of cascade c for a message: ids[c], or its index when there are no ids. */
static const char *shown_id(const char *const *ids, size_t c, char *buf, size_t len)
{
    if (ids)
        return ids[c];
    snprintf(buf, len, "%zu", c);
    return buf;
}

/* Checks cascade c of the input arrays against the reader's rules and counts the events kept
 * (time <= T_c). */
static rc_status_t check_cascade(size_t c, const size_t *offset, const double *time,
                                 const double *mark, double T, const char *const *ids, size_t *kept)
{
    rc_status_t status = RC_OK;
    char buf[32];
    const char *id = shown_id(ids, c, buf, sizeof buf);
    size_t a = offset[c], b = offset[c + 1];
    if (b < a)
        RC_FAIL(RC_ERR_INPUT,
                "cascade %zu (id '%s'): expected offsets that do not decrease, got "
                "%zu after %zu",
                c, id, b, a);
    if (b == a)
        RC_FAIL(RC_ERR_INPUT,
                "cascade %zu (id '%s'): expected at least one event (the original "
                "post), got none",
                c, id);
    if (time[a] != 0.0)
        RC_FAIL(RC_ERR_INPUT,
                "cascade %zu (id '%s'), event 0: expected the original post at time "
                "0, got %g (shift the cascade's times so that its first event is at 0)",
                c, id, time[a]);
    *kept = 0;
    for (size_t e = a; e < b; e++) {
        if (!isfinite(time[e]))
            RC_FAIL(RC_ERR_INPUT,
                    "cascade %zu (id '%s'), event %zu: expected a finite time, got "
                    "%g",
                    c, id, e - a, time[e]);
        if (e > a && time[e] < time[e - 1])
            RC_FAIL(RC_ERR_INPUT,
                    "cascade %zu (id '%s'), event %zu: expected times sorted "
                    "within a cascade, got %g after %g",
                    c, id, e - a, time[e], time[e - 1]);
        if (mark && !(isfinite(mark[e]) && mark[e] >= 0.0))
            RC_FAIL(RC_ERR_INPUT,
                    "cascade %zu (id '%s'), event %zu: expected a finite mark >= 0, "
                    "got %g",
                    c, id, e - a, mark[e]);
    }
    if (!(T >= 0.0))
        RC_FAIL(RC_ERR_INPUT, "cascade %zu (id '%s'): expected an observation time >= 0, got %g", c,
                id, T);
    for (size_t e = a; e < b && time[e] <= T; e++)
        (*kept)++;
cleanup:
    return status;
}

rc_status_t rc_cascades_from_arrays(size_t n, const size_t *offset, const double *time,
                                    const double *mark, const double *obs_time,
                                    const char *const *ids, rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *cs = NULL;
    size_t *kept = NULL;
    size_t total = 0, id_bytes = 0;
    char buf[32];

    *out = NULL;
    if (n == 0 || offset == NULL || time == NULL)
        RC_FAIL(RC_ERR_INPUT, "cascades from arrays: expected at least one cascade with its "
                              "offsets and times");
    if (offset[0] != 0)
        RC_FAIL(RC_ERR_INPUT, "cascades from arrays: expected offset[0] = 0, got %zu", offset[0]);
    kept = malloc(n * sizeof *kept);
    RC_ALLOC_CHECK(kept, "the cascade sizes");
    for (size_t c = 0; c < n; c++) {
        double T = obs_time ? obs_time[c] : time[offset[c + 1] > offset[c] ? offset[c + 1] - 1 : 0];
        RC_TRY(check_cascade(c, offset, time, mark, T, ids, &kept[c]));
        total += kept[c];
        id_bytes += strlen(shown_id(ids, c, buf, sizeof buf)) + 1;
    }
    RC_TRY(rc_cascades_alloc(n, total, id_bytes, &cs));
    char *p = cs->id_pool;
    for (size_t c = 0; c < n; c++) {
        size_t a = offset[c], o = cs->offset[c];
        cs->obs_time[c] = obs_time ? obs_time[c] : time[offset[c + 1] - 1];
        for (size_t k = 0; k < kept[c]; k++) {
            cs->time[o + k] = time[a + k];
            cs->mark[o + k] = mark ? mark[a + k] : 1.0;
        }
        cs->offset[c + 1] = o + kept[c];
        cs->n_dropped += (offset[c + 1] - a) - kept[c];
        const char *id = shown_id(ids, c, buf, sizeof buf);
        size_t len = strlen(id) + 1;
        memcpy(p, id, len);
        p += len;
    }
    rc_cascades_index_ids(cs);
    *out = cs;
    cs = NULL;
cleanup:
    free(kept);
    rc_cascades_free(cs);
    return status;
}

rc_status_t rc_cascades_subset(const rc_cascades_t *in, const size_t *idx, size_t k,
                               rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *cs = NULL;
    size_t total = 0, id_bytes = 0;

    *out = NULL;
    if (k == 0)
        RC_FAIL(RC_ERR_CONFIG, "cascade subset: expected at least one index");
    for (size_t j = 0; j < k; j++) {
        if (idx[j] >= in->n)
            RC_FAIL(RC_ERR_CONFIG, "cascade subset: index %zu is out of range (%zu cascades)",
                    idx[j], in->n);
        total += rc_cascades_size(in, idx[j]);
        id_bytes += strlen(in->id[idx[j]]) + 1;
    }
    RC_TRY(rc_cascades_alloc(k, total, id_bytes, &cs));
    char *p = cs->id_pool;
    for (size_t j = 0; j < k; j++) {
        size_t c = idx[j], a = in->offset[c], m = rc_cascades_size(in, c), o = cs->offset[j];
        memcpy(cs->time + o, in->time + a, m * sizeof *cs->time);
        memcpy(cs->mark + o, in->mark + a, m * sizeof *cs->mark);
        cs->offset[j + 1] = o + m;
        cs->obs_time[j] = in->obs_time[c];
        size_t len = strlen(in->id[c]) + 1;
        memcpy(p, in->id[c], len);
        p += len;
    }
    rc_cascades_index_ids(cs);
    *out = cs;
    cs = NULL;
cleanup:
    rc_cascades_free(cs);
    return status;
}

rc_status_t rc_cascades_censor(const rc_cascades_t *in, double t, const double *t_each,
                               rc_cascades_t **out)
{
    rc_status_t status = RC_OK;
    rc_cascades_t *cs = NULL;
    size_t total = 0, id_bytes = 0;

    *out = NULL;
    for (size_t c = 0; c < in->n; c++) {
        double tc = t_each ? t_each[c] : t;
        if (!(tc >= 0.0))
            RC_FAIL(RC_ERR_CONFIG, "censoring cascade %zu (id '%s'): expected a time >= 0, got %g",
                    c, in->id[c], tc);
        for (size_t e = in->offset[c]; e < in->offset[c + 1] && in->time[e] <= tc; e++)
            total++;
        id_bytes += strlen(in->id[c]) + 1;
    }
    RC_TRY(rc_cascades_alloc(in->n, total, id_bytes, &cs));
    memcpy(cs->id_pool, in->id_pool, id_bytes);
    rc_cascades_index_ids(cs);
    cs->n_dropped = in->n_dropped;
    for (size_t c = 0; c < in->n; c++) {
        double tc = t_each ? t_each[c] : t;
        size_t o = cs->offset[c], m = 0;
        for (size_t e = in->offset[c]; e < in->offset[c + 1] && in->time[e] <= tc; e++, m++) {
            cs->time[o + m] = in->time[e];
            cs->mark[o + m] = in->mark[e];
        }
        cs->offset[c + 1] = o + m;
        cs->obs_time[c] = tc < in->obs_time[c] ? tc : in->obs_time[c];
        cs->n_dropped += rc_cascades_size(in, c) - m;
    }
    *out = cs;
    cs = NULL;
cleanup:
    rc_cascades_free(cs);
    return status;
}
