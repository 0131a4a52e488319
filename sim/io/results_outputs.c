/* The datasets of a results file added in format 2, to compare simulations with observed data:
 * /curves/growth (mean N(t) of timed points with its band, rtcascade/curves.h) and, when some
 * point's config asks for it (`events:`), /events (every adoption of that point's runs). Their
 * columns, their empty datasets in the skeleton, and a point's rows, all through the table
 * helpers of the other tables; results_layout.c and results_append.c call in here. */
#include "io/results_append.h"

#include "io/results_file.h"
#include "io/results_layout.h"
#include "rtcascade/events.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RC_EVENTS_CHUNK 65536u /* rows per /events chunk */
#define RC_EVENTS_NO_PARENT UINT64_MAX

void rc_outputs_layout(rc_layout_t *l, const rc_experiment_t *ex)
{
    rc_table_t *t = &l->growth;
    t->packed = 1;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "t", RC_COL_F64, 0);
    rc_table_add(t, "n_mean", RC_COL_F64, 0);
    rc_table_add(t, "n_sd", RC_COL_F64, 0);
    rc_table_add(t, "n_low", RC_COL_F64, 0);
    rc_table_add(t, "n_high", RC_COL_F64, 0);
    l->has_events = 0;
    for (size_t p = 0; p < ex->n_points; p++)
        l->has_events |= ex->points[p].events_max_rows > 0;
    t = &l->events;
    t->packed = 1;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "run", RC_COL_U64, 0);
    rc_table_add(t, "node", RC_COL_U64, 0);
    rc_table_add(t, "parent", RC_COL_U64, 0);
    rc_table_add(t, "generation", RC_COL_U32, 0);
    rc_table_add(t, "time", RC_COL_F64, 0);
    rc_table_add(t, "mark", RC_COL_F64, 0);
}

rc_status_t rc_outputs_skeleton(hid_t file, hid_t curves, const rc_results_t *r,
                                uint64_t curve_chunk)
{
    rc_status_t status = RC_OK;
    RC_TRY(rc_table_create(curves, "growth", &r->lay.growth, NULL, 0, curve_chunk, 0, r->path));
    if (r->lay.has_events)
        RC_TRY(
            rc_table_create(file, "events", &r->lay.events, NULL, 0, RC_EVENTS_CHUNK, 1, r->path));
cleanup:
    return status;
}

rc_status_t rc_append_growth(hid_t curves, const rc_results_t *r, uint64_t point,
                             const rc_growth_curve_t *c)
{
    rc_status_t status = RC_OK;
    const rc_table_t *t = &r->lay.growth;
    const size_t stride = rc_table_stride(t);
    unsigned char *rows = calloc(c->len ? c->len : 1, stride);
    RC_ALLOC_CHECK(rows, "the growth curve");
    for (size_t i = 0; i < c->len; i++) {
        void *row = rows + i * stride;
        rc_row_u64(t, row, 0, point);
        rc_row_f64(t, row, 1, c->t[i]);
        rc_row_f64(t, row, 2, c->mean[i]);
        rc_row_f64(t, row, 3, c->sd[i]);
        rc_row_f64(t, row, 4, c->low[i]);
        rc_row_f64(t, row, 5, c->high[i]);
    }
    RC_TRY(rc_table_append(curves, "growth", t, rows, c->len, r->path));
cleanup:
    free(rows);
    return status;
}

/* Rows of /events per append: a point's events go in pieces of this many rows. */
#define RC_EVENTS_PIECE 65536u

rc_status_t rc_append_events(hid_t file, const rc_results_t *r, const rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    const rc_events_t *ev = res->events;
    const rc_table_t *t = &r->lay.events;
    const size_t stride = rc_table_stride(t);
    unsigned char *rows = NULL;
    if (!r->lay.has_events || ev == NULL || ev->count == 0)
        return RC_OK;
    rows = calloc(RC_EVENTS_PIECE, stride);
    RC_ALLOC_CHECK(rows, "the /events rows");
    uint64_t run = 0, n = 0;
    for (uint64_t e = 0; e < ev->count; e++) {
        while (run + 1 < ev->runs && ev->offset[run + 1] <= e)
            run++;
        const uint64_t start = ev->offset[run];
        const uint32_t par = ev->parent[e];
        void *row = rows + n * stride;
        rc_row_u64(t, row, 0, res->point);
        rc_row_u64(t, row, 1, ev->first_run + run);
        rc_row_u64(t, row, 2, ev->node_id ? ev->node_id[e] : ev->node[e]);
        rc_row_u64(t, row, 3,
                   par == RC_NO_PARENT ? RC_EVENTS_NO_PARENT
                   : ev->node_id       ? ev->node_id[start + par]
                                       : ev->node[start + par]);
        rc_row_u32(t, row, 4, ev->generation[e]);
        rc_row_f64(t, row, 5, ev->time ? ev->time[e] : NAN);
        rc_row_f64(t, row, 6, ev->mark ? ev->mark[e] : NAN);
        if (++n == RC_EVENTS_PIECE || e + 1 == ev->count) {
            RC_TRY(rc_table_append(file, "events", t, rows, n, r->path));
            n = 0;
        }
    }
cleanup:
    free(rows);
    return status;
}
