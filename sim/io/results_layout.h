/* The tables of a results file (docs/results-format.md): their columns, derived from the
 * experiment alone so that a file rebuilt from the journal is identical to the first, and the
 * skeleton (root attributes, /points, empty appended tables) written when a file is made.
 * Private to sim/io/results_*.c. */
#ifndef RC_RESULTS_LAYOUT_H
#define RC_RESULTS_LAYOUT_H

#include "io/results_flat.h"
#include "io/results_internal.h"
#include "rtcascade/experiment.h"
#include "rtcascade/results.h"

#include <stddef.h>
#include <stdint.h>

/* Statistics of a metric in /summary, in column order: mean, sd, se, min, q05, q25, median, q75,
 * q95, max (the fields of rc_metric_summary_t). */
#define RC_N_STATS 10

/* Column order of /runs (fixed). */
enum {
    RC_R_POINT,
    RC_R_RUN,
    RC_R_SIZE,
    RC_R_RETWEETS,
    RC_R_REACH,
    RC_R_DEPTH,
    RC_R_MAX_BREADTH,
    RC_R_VIRALITY,
    RC_R_FINAL_TIME,
    RC_R_T50,
    RC_R_T90,
    RC_R_GLOBAL,
    RC_R_CAPPED,
    RC_R_REACH_PER_MEMBER
};

/* The tables of a file, derived from the experiment alone (so a rebuilt file is identical). */
typedef struct rc_layout {
    rc_table_t points, runs, summary, gen, ccdf, time, nets;
    rc_table_t growth, events; /* format 2: /curves/growth and /events (results_outputs.c) */
    int has_events;            /* some point asks for events: the file has /events */
    int *numeric;        /* per swept key: 1 when every value is a number (float64 column) */
    char **swept_cols;   /* column name of each swept key */
    size_t scen_width;   /* width of the scenario column */
    size_t *swept_width; /* width of each string swept column */
    uint64_t runs_chunk; /* rows per /runs chunk */
    size_t spec_width;   /* width of /networks/stats spec: the longest network spec */
    size_t desc_width;   /* width of /networks/stats description (longer ones are cut) */
    rc_flat_cols_t flat; /* swept map values, a column per leaf after their key's column */
} rc_layout_t;

/* Builds the tables of ex into *l (HDF5 types prepared). RC_ERR_NOMEM, or RC_ERR_IO when HDF5
 * cannot build a type; *l is then freed. Free with rc_layout_free. */
rc_status_t rc_layout_init(const rc_experiment_t *ex, rc_layout_t *l);
/* Frees what rc_layout_init built (n_swept: ex->n_swept) and zeroes *l; safe on a zeroed one. */
void rc_layout_free(rc_layout_t *l, size_t n_swept);

/* Writes point p's index, scenario and swept values into the leading columns of a /points or
 * /summary row of table t; returns the index of the next column. Cannot fail. */
size_t rc_layout_point_cols(const rc_layout_t *l, const rc_experiment_t *ex, const rc_table_t *t,
                            void *row, uint64_t p);

/* Writes the skeleton of r's file into the new, empty `file`: root attributes (provenance from
 * r; `resumed` as given), /points with every point pending, and empty /runs, /summary,
 * /curves/{generations,size_ccdf,time,growth}, /networks/stats and (when a point asks for
 * them) /events. RC_ERR_IO naming r->path. */
rc_status_t rc_layout_write_skeleton(hid_t file, const rc_results_t *r, const char *resumed);
/* Rough bytes of r's skeleton, for the room check made before writing it. Cannot fail. */
uint64_t rc_layout_skeleton_bytes(const rc_results_t *r);

#endif
