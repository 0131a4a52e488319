/* Events of a point's runs (events.h): a recorder that copies each run's cascade tree into a
 * block of its own (threads never share one), and the join of those blocks in run order. */
#include "rtcascade/events.h"
#include "rtcascade/memory.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One run's copy: the header, then times (when timed), marks (when marked), nodes, parents,
 * generations. */
typedef struct run_block {
    uint32_t size;
    int timed;
    int rooted;
    int marked;
    double pad_; /* keeps the arrays after the header aligned for doubles */
} run_block_t;

rc_status_t rc_events_new(uint64_t first_run, uint64_t runs, rc_events_t **out)
{
    *out = NULL;
    if (runs == 0 || runs > SIZE_MAX / sizeof(void *) - 1)
        return rc_error(RC_ERR_ARGUMENT, "events: expected 1 or more runs, got %llu",
                        (unsigned long long)runs);
    rc_events_t *ev = calloc(1, sizeof *ev);
    if (ev == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the events");
    ev->pending = calloc((size_t)runs, sizeof *ev->pending);
    if (ev->pending == NULL) {
        free(ev);
        return rc_error(RC_ERR_NOMEM, "out of memory for the events of %llu runs",
                        (unsigned long long)runs);
    }
    ev->first_run = first_run;
    ev->runs = runs;
    *out = ev;
    return RC_OK;
}

static rc_status_t record(void *ctx, uint64_t run, const rc_cascade_t *c)
{
    rc_events_t *ev = ctx;
    if (run < ev->first_run || run - ev->first_run >= ev->runs)
        return rc_error(RC_ERR_ARGUMENT, "events: run %llu is not one of runs %llu..%llu",
                        (unsigned long long)run, (unsigned long long)ev->first_run,
                        (unsigned long long)(ev->first_run + ev->runs - 1));
    const uint64_t i = run - ev->first_run;
    if (ev->pending[i] != NULL)
        return rc_error(RC_ERR_ARGUMENT, "events: run %llu recorded twice",
                        (unsigned long long)run);
    const int timed = c->time != NULL, marked = c->mark != NULL;
    const size_t n = c->size, doubles = (size_t)timed + (size_t)marked;
    run_block_t *b = malloc(sizeof *b + n * (3 * sizeof(uint32_t) + doubles * sizeof(double)));
    if (b == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the events of run %llu (%zu adopters)",
                        (unsigned long long)run, n);
    b->size = c->size;
    b->timed = timed;
    b->rooted = c->rooted;
    b->marked = marked;
    double *t = (double *)(b + 1);
    uint32_t *node = (uint32_t *)(t + doubles * n);
    if (timed)
        memcpy(t, c->time, n * sizeof *t);
    if (marked)
        memcpy(t + (timed ? n : 0), c->mark, n * sizeof *t);
    memcpy(node, c->node, n * sizeof *node);
    memcpy(node + n, c->parent, n * sizeof *node);
    memcpy(node + 2 * n, c->generation, n * sizeof *node);
    ev->pending[i] = b;
    return RC_OK;
}

rc_mc_recorder_t rc_events_recorder(rc_events_t *ev)
{
    rc_mc_recorder_t r = {record, ev};
    return r;
}

/* Drops the joined arrays (before a new join, or on failure). */
static void clear_arrays(rc_events_t *ev)
{
    free(ev->offset);
    free(ev->node);
    free(ev->parent);
    free(ev->generation);
    free(ev->time);
    free(ev->mark);
    free(ev->node_id);
    ev->offset = NULL;
    ev->node = ev->parent = ev->generation = NULL;
    ev->time = ev->mark = NULL;
    ev->node_id = NULL;
    ev->count = 0;
}

rc_status_t rc_events_finish(rc_events_t *ev)
{
    rc_status_t status = RC_OK;
    clear_arrays(ev);
    uint64_t count = 0;
    int marked = 0;
    for (uint64_t i = 0; i < ev->runs; i++) {
        const run_block_t *b = ev->pending[i];
        if (b == NULL)
            RC_FAIL(RC_ERR_ARGUMENT, "events: run %llu was not recorded",
                    (unsigned long long)(ev->first_run + i));
        count += b->size;
        ev->timed = b->timed;
        ev->rooted = b->rooted;
        marked |= b->marked;
    }
    const size_t doubles = (size_t)ev->timed + (size_t)marked;
    RC_TRY(
        rc_memory_check(count * (3 * sizeof(uint32_t) + doubles * sizeof(double)), "the events"));
    const size_t len = count ? (size_t)count : 1;
    ev->offset = malloc(((size_t)ev->runs + 1) * sizeof *ev->offset);
    ev->node = malloc(len * sizeof *ev->node);
    ev->parent = malloc(len * sizeof *ev->parent);
    ev->generation = malloc(len * sizeof *ev->generation);
    if (ev->timed)
        ev->time = malloc(len * sizeof *ev->time);
    if (marked)
        ev->mark = malloc(len * sizeof *ev->mark);
    if (ev->offset == NULL || ev->node == NULL || ev->parent == NULL || ev->generation == NULL ||
        (ev->timed && ev->time == NULL) || (marked && ev->mark == NULL))
        RC_FAIL(RC_ERR_NOMEM, "out of memory for %llu events", (unsigned long long)count);
    uint64_t at = 0;
    for (uint64_t i = 0; i < ev->runs; i++) {
        run_block_t *b = ev->pending[i];
        const size_t n = b->size;
        const double *t = (const double *)(b + 1);
        const uint32_t *node = (const uint32_t *)(t + ((size_t)b->timed + b->marked) * n);
        ev->offset[i] = at;
        if (ev->timed)
            memcpy(ev->time + at, t, n * sizeof *t);
        for (size_t k = 0; marked && k < n; k++) /* a run of a model without marks: NaN */
            ev->mark[at + k] = b->marked ? t[(b->timed ? n : 0) + k] : NAN;
        memcpy(ev->node + at, node, n * sizeof *node);
        memcpy(ev->parent + at, node + n, n * sizeof *node);
        /* An audience's first hop is generation 1, as the run's depth counts it. */
        for (size_t k = 0; k < n; k++)
            ev->generation[at + k] = node[2 * n + k] + (b->rooted ? 1u : 0u);
        at += n;
        free(b);
        ev->pending[i] = NULL;
    }
    ev->offset[ev->runs] = at;
    ev->count = count;
cleanup:
    if (status != RC_OK)
        clear_arrays(ev);
    return status;
}

rc_status_t rc_events_name_nodes(rc_events_t *ev, const rc_graph_t *g)
{
    free(ev->node_id);
    ev->node_id = malloc((ev->count ? (size_t)ev->count : 1) * sizeof *ev->node_id);
    if (ev->node_id == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for the ids of %llu events",
                        (unsigned long long)ev->count);
    for (uint64_t i = 0; i < ev->count; i++) {
        uint32_t v = ev->node[i];
        ev->node_id[i] = v >= g->n ? UINT64_MAX : g->orig_id != NULL ? g->orig_id[v] : v;
    }
    return RC_OK;
}

void rc_events_free(rc_events_t *ev)
{
    if (ev == NULL)
        return;
    for (uint64_t i = 0; ev->pending != NULL && i < ev->runs; i++)
        free(ev->pending[i]);
    free(ev->pending);
    clear_arrays(ev);
    free(ev);
}
