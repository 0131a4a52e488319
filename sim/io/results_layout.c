/* The layout of a results file: the columns of every table, derived from the experiment alone
 * (swept keys become columns named after them, numbers as float64, others as fixed-width
 * strings), and the skeleton written when a file is made. Rows are filled by results_append.c;
 * the format is docs/results-format.md. */
#include "io/results_layout.h"

#include "io/results_append.h"
#include "io/results_file.h"
#include "io/results_fs.h"
#include "rtcascade/rng.h"
#include "rtcascade/version.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RC_RUNS_CHUNK_MAX 65536u /* most /runs rows per chunk (about 5 MB raw) */
#define RC_SMALL_CHUNK 256u      /* rows per chunk of the small appended tables */

static const char *const rc_stat_names[] = {"mean", "sd",     "se",  "min", "q05",
                                            "q25",  "median", "q75", "q95", "max"};
_Static_assert(sizeof rc_stat_names / sizeof rc_stat_names[0] == RC_N_STATS,
               "one name per statistic of /summary");

/* Whether s reads whole as a finite number: a swept key whose values all do is a float64
 * column, any other a string column. */
static int rc_is_number(const char *s)
{
    char *end = NULL;
    if (s == NULL || *s == '\0')
        return 0;
    errno = 0;
    double v = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(v);
}

/* Fixed columns of /points and /summary that a swept key must not take the name of. */
static const char *const rc_reserved_cols[] = {"point", "scenario", "network",
                                               "runs",  "status",   "kernel", NULL};

void rc_layout_free(rc_layout_t *l, size_t n_swept)
{
    rc_table_free(&l->points);
    rc_table_free(&l->runs);
    rc_table_free(&l->summary);
    rc_table_free(&l->gen);
    rc_table_free(&l->ccdf);
    rc_table_free(&l->time);
    rc_table_free(&l->nets);
    rc_table_free(&l->growth);
    rc_table_free(&l->events);
    if (l->swept_cols != NULL)
        for (size_t k = 0; k < n_swept; k++)
            free(l->swept_cols[k]);
    free(l->swept_cols);
    free(l->numeric);
    free(l->swept_width);
    rc_flat_free(&l->flat);
    memset(l, 0, sizeof *l);
}

/* Largest divisor of runs that is at most RC_RUNS_CHUNK_MAX, so that each point fills whole
 * chunks: a compressed chunk rewritten by a later append would be moved and its old space lost
 * (HDF5 1.10 forgets free space when the file closes). Falls back to partial chunks when runs
 * has no usable divisor. */
static uint64_t rc_runs_chunk(uint64_t runs)
{
    if (runs <= RC_RUNS_CHUNK_MAX)
        return runs ? runs : 1;
    for (uint64_t d = RC_RUNS_CHUNK_MAX; d >= 4096; d--)
        if (runs % d == 0)
            return d;
    return RC_RUNS_CHUNK_MAX;
}

/* The swept columns: each key's name (renamed when it would hide a fixed column), whether every
 * value is a number, and the width of the string columns; and the scenario column's width. */
static rc_status_t rc_layout_swept(const rc_experiment_t *ex, rc_layout_t *l)
{
    rc_status_t status = RC_OK;
    const size_t ns = ex->n_swept;
    l->numeric = calloc(ns + 1, sizeof *l->numeric);
    l->swept_cols = calloc(ns + 1, sizeof *l->swept_cols);
    l->swept_width = calloc(ns + 1, sizeof *l->swept_width);
    RC_ALLOC_CHECK(l->numeric, "the results layout");
    RC_ALLOC_CHECK(l->swept_cols, "the results layout");
    RC_ALLOC_CHECK(l->swept_width, "the results layout");
    l->scen_width = 1;
    for (size_t p = 0; p < ex->n_points; p++) {
        size_t w = strlen(ex->points[p].scenario ? ex->points[p].scenario : "");
        if (w > l->scen_width)
            l->scen_width = w;
    }
    for (size_t k = 0; k < ns; k++) {
        int numeric = 1;
        size_t width = 1;
        for (size_t p = 0; p < ex->n_points; p++) {
            const char *v = ex->points[p].values ? ex->points[p].values[k] : NULL;
            numeric = numeric && rc_is_number(v);
            if (v != NULL && strlen(v) > width)
                width = strlen(v);
        }
        l->numeric[k] = numeric;
        l->swept_width[k] = width;
        /* a swept key cannot hide a fixed column: "runs" swept becomes "swept:runs" */
        int clash = 0;
        for (size_t i = 0; rc_reserved_cols[i]; i++)
            clash |= strcmp(ex->swept_keys[k], rc_reserved_cols[i]) == 0;
        for (int m = 0; m < RC_N_METRICS; m++)
            clash |=
                strncmp(ex->swept_keys[k], rc_metric_names[m], strlen(rc_metric_names[m])) == 0 &&
                ex->swept_keys[k][strlen(rc_metric_names[m])] == '_';
        clash |= strncmp(ex->swept_keys[k], "p_", 2) == 0 ||
                 strcmp(ex->swept_keys[k], "mean_size_global") == 0;
        l->swept_cols[k] =
            clash ? rc_rfs_strcat3("swept:", ex->swept_keys[k], "") : strdup(ex->swept_keys[k]);
        RC_ALLOC_CHECK(l->swept_cols[k], "the results layout");
    }
    RC_TRY(rc_flat_build(ex, l->numeric, &l->flat));
cleanup:
    return status;
}

/* Columns of /points, /runs and /summary. Allocation failures show in each table's `failed`. */
static void rc_layout_point_tables(rc_layout_t *l, size_t ns)
{
    rc_table_t *t = &l->points;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "scenario", RC_COL_STR, l->scen_width);
    for (size_t k = 0; k < ns; k++) {
        rc_table_add(t, l->swept_cols[k], l->numeric[k] ? RC_COL_F64 : RC_COL_STR,
                     l->swept_width[k]);
        rc_flat_add_columns(&l->flat, k, t);
    }
    rc_table_add(t, "network", RC_COL_U64, 0);
    rc_table_add(t, "runs", RC_COL_U64, 0);
    rc_table_add(t, "status", RC_COL_U8, 0);

    t = &l->runs;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "run", RC_COL_U64, 0);
    rc_table_add(t, "size", RC_COL_U32, 0);
    rc_table_add(t, "retweets", RC_COL_U32, 0);
    rc_table_add(t, "reach", RC_COL_U64, 0);
    rc_table_add(t, "depth", RC_COL_U32, 0);
    rc_table_add(t, "max_breadth", RC_COL_U32, 0);
    rc_table_add(t, "virality", RC_COL_F64, 0);
    rc_table_add(t, "final_time", RC_COL_F64, 0);
    rc_table_add(t, "t50", RC_COL_F64, 0);
    rc_table_add(t, "t90", RC_COL_F64, 0);
    rc_table_add(t, "global", RC_COL_U8, 0);
    rc_table_add(t, "capped", RC_COL_U8, 0);
    rc_table_add(t, "reach_per_member", RC_COL_F64, 0);

    t = &l->summary;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "scenario", RC_COL_STR, l->scen_width);
    for (size_t k = 0; k < ns; k++) {
        rc_table_add(t, l->swept_cols[k], l->numeric[k] ? RC_COL_F64 : RC_COL_STR,
                     l->swept_width[k]);
        rc_flat_add_columns(&l->flat, k, t);
    }
    rc_table_add(t, "runs", RC_COL_U64, 0);
    for (int m = 0; m < RC_N_METRICS; m++)
        for (size_t s = 0; s < RC_N_STATS; s++) {
            char name[64];
            snprintf(name, sizeof name, "%s_%s", rc_metric_names[m], rc_stat_names[s]);
            rc_table_add(t, name, RC_COL_F64, 0);
        }
    for (size_t s = 0; s < RC_N_STATS; s++) {
        char name[64];
        snprintf(name, sizeof name, "reach_per_member_%s", rc_stat_names[s]);
        rc_table_add(t, name, RC_COL_F64, 0);
    }
    rc_table_add(t, "p_global", RC_COL_F64, 0);
    rc_table_add(t, "p_global_se", RC_COL_F64, 0);
    rc_table_add(t, "p_capped", RC_COL_F64, 0);
    rc_table_add(t, "mean_size_global", RC_COL_F64, 0);
    rc_table_add(t, "kernel", RC_COL_STR, 8); /* which kernel ran the point: per_run, fused */
}

/* Columns of /curves/generations, /curves/size_ccdf, /curves/time and /networks/stats. */
static void rc_layout_other_tables(rc_layout_t *l)
{
    rc_table_t *t = &l->gen;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "generation", RC_COL_U32, 0);
    rc_table_add(t, "adoptions_mean", RC_COL_F64, 0);

    t = &l->ccdf;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "size", RC_COL_U64, 0);
    rc_table_add(t, "ccdf", RC_COL_F64, 0);

    t = &l->time;
    rc_table_add(t, "point", RC_COL_U64, 0);
    rc_table_add(t, "t", RC_COL_F64, 0);
    rc_table_add(t, "cdf_t50", RC_COL_F64, 0);
    rc_table_add(t, "cdf_t90", RC_COL_F64, 0);
    rc_table_add(t, "cdf_final_time", RC_COL_F64, 0);

    t = &l->nets;
    rc_table_add(t, "network", RC_COL_U64, 0);
    rc_table_add(t, "description", RC_COL_STR, l->desc_width);
    rc_table_add(t, "spec", RC_COL_STR, l->spec_width);
    rc_table_add(t, "nodes", RC_COL_U64, 0);
    rc_table_add(t, "edges", RC_COL_U64, 0);
    rc_table_add(t, "mean_degree", RC_COL_F64, 0);
    rc_table_add(t, "max_out_degree", RC_COL_U64, 0);
    rc_table_add(t, "max_in_degree", RC_COL_U64, 0);
    rc_table_add(t, "isolated", RC_COL_U64, 0);
    rc_table_add(t, "reciprocity", RC_COL_F64, 0);
    rc_table_add(t, "out_tail_exponent", RC_COL_F64, 0);
    rc_table_add(t, "out_tail_xmin", RC_COL_U64, 0);
    rc_table_add(t, "in_tail_exponent", RC_COL_F64, 0);
    rc_table_add(t, "in_tail_xmin", RC_COL_U64, 0);
    rc_table_add(t, "communities", RC_COL_U64, 0);
    rc_table_add(t, "intra_fraction", RC_COL_F64, 0);
    rc_table_add(t, "undirected", RC_COL_U8, 0);
    rc_table_add(t, "transitivity", RC_COL_F64, 0);
    rc_table_add(t, "transitivity_se", RC_COL_F64, 0);
    rc_table_add(t, "clustering", RC_COL_F64, 0);
    rc_table_add(t, "clustering_se", RC_COL_F64, 0);
}

rc_status_t rc_layout_init(const rc_experiment_t *ex, rc_layout_t *l)
{
    rc_status_t status = RC_OK;
    const size_t ns = ex->n_swept;
    memset(l, 0, sizeof *l);
    RC_TRY(rc_layout_swept(ex, l));
    /* every table is packed in memory as on disk (writes are plain copies) */
    l->points.packed = l->runs.packed = l->summary.packed = 1;
    l->gen.packed = l->ccdf.packed = l->time.packed = l->nets.packed = 1;
    /* /networks/stats strings: a spec is known now; a description is made when the network is
     * built, from its spec (a file's path, joined to the config's folder, and counts), so this
     * bounds it (a longer one would be cut) */
    l->spec_width = l->desc_width = 1;
    int has_file = 0;
    for (size_t i = 0; i < ex->n_networks; i++) {
        size_t w = strlen(ex->networks[i].text ? ex->networks[i].text : "");
        if (w > l->spec_width)
            l->spec_width = w;
        has_file |= ex->networks[i].path != NULL;
    }
    /* the config's folder counts only where a description names a file, so that the same
     * experiment of generated networks gives the same file from wherever its config lives */
    l->desc_width = l->spec_width + 512 +
                    (has_file && ex->base_dir ? strlen(ex->base_dir) : 0);
    rc_layout_point_tables(l, ns);
    rc_layout_other_tables(l);
    rc_outputs_layout(l, ex);
    if (l->points.failed || l->runs.failed || l->summary.failed || l->gen.failed ||
        l->ccdf.failed || l->time.failed || l->nets.failed || l->growth.failed || l->events.failed)
        RC_FAIL(RC_ERR_NOMEM, "out of memory allocating the results layout");
    RC_TRY(rc_table_prepare(&l->points));
    RC_TRY(rc_table_prepare(&l->runs));
    RC_TRY(rc_table_prepare(&l->summary));
    RC_TRY(rc_table_prepare(&l->gen));
    RC_TRY(rc_table_prepare(&l->ccdf));
    RC_TRY(rc_table_prepare(&l->time));
    RC_TRY(rc_table_prepare(&l->nets));
    RC_TRY(rc_table_prepare(&l->growth));
    RC_TRY(rc_table_prepare(&l->events));
    l->runs_chunk = rc_runs_chunk(ex->runs);
cleanup:
    if (status != RC_OK)
        rc_layout_free(l, ns);
    return status;
}

size_t rc_layout_point_cols(const rc_layout_t *l, const rc_experiment_t *ex, const rc_table_t *t,
                            void *row, uint64_t p)
{
    const rc_point_t *pt = &ex->points[p];
    rc_row_u64(t, row, 0, p);
    rc_row_str(t, row, 1, pt->scenario);
    size_t col = 2;
    for (size_t k = 0; k < ex->n_swept; k++) {
        const char *v = pt->values ? pt->values[k] : "";
        if (l->numeric[k])
            rc_row_f64(t, row, col, strtod(v, NULL));
        else
            rc_row_str(t, row, col, v);
        col = rc_flat_write(&l->flat, k, t, row, p, col + 1);
    }
    return col;
}

/* ---- the skeleton ---- */

rc_status_t rc_layout_write_skeleton(hid_t file, const rc_results_t *r, const char *resumed)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    const char *path = r->path;
    hid_t grp = -1;
    unsigned char *rows = NULL;
    const rc_table_t *pt = &r->lay.points;

    RC_TRY(rc_h5_attr_str(file, "format", RC_RESULTS_FORMAT, path));
    RC_TRY(rc_rh5_attr_i32(file, "format_version", RC_RESULTS_FORMAT_VERSION, path));
    RC_TRY(rc_h5_attr_str(file, "software_version", RC_VERSION_STRING, path));
    RC_TRY(rc_h5_attr_str(file, "git_commit", RC_GIT_COMMIT, path));
    RC_TRY(rc_h5_attr_str(file, "created", r->created, path));
    RC_TRY(rc_h5_attr_str(file, "command_line", r->command_line, path));
    RC_TRY(rc_h5_attr_str(file, "config", r->config_text, path));
    RC_TRY(rc_h5_attr_str(file, "config_path", r->config_path, path));
    RC_TRY(rc_h5_attr_str(file, "resolved_config", r->resolved, path));
    RC_TRY(rc_h5_attr_str(file, "name", ex->name, path));
    RC_TRY(rc_rh5_attr_u64(file, "seed", ex->seed, path));
    RC_TRY(rc_h5_attr_str(file, "rng", RC_RNG_NAME, path));
    RC_TRY(rc_rh5_attr_u64(file, "runs_per_point", ex->runs, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_points", ex->n_points, path));
    RC_TRY(rc_rh5_attr_u64(file, "n_networks", ex->n_networks, path));
    RC_TRY(rc_rh5_attr_strs(file, "swept_keys", ex->swept_keys, ex->n_swept, path));
    RC_TRY(rc_rh5_attr_strs(file, "scenarios", ex->scenarios, ex->n_scenarios, path));
    RC_TRY(rc_h5_attr_str(file, "sweep_mode", ex->zip ? "zip" : "grid", path));
    RC_TRY(rc_rh5_attr_strs(file, "scenario_sweeps", ex->sweep_plans, ex->n_scenarios, path));
    RC_TRY(rc_rh5_attr_u64(file, "points_done", 0, path));
    RC_TRY(rc_h5_attr_str(file, "resumed", resumed, path));

    size_t stride = rc_table_stride(pt);
    rows = calloc(ex->n_points ? ex->n_points : 1, stride);
    RC_ALLOC_CHECK(rows, "the /points table");
    for (uint64_t p = 0; p < ex->n_points; p++) {
        void *row = rows + p * stride;
        size_t col = rc_layout_point_cols(&r->lay, ex, pt, row, p);
        rc_row_u64(pt, row, col++, ex->points[p].network_id);
        rc_row_u64(pt, row, col++, ex->runs);
        rc_row_u8(pt, row, col, 0);
    }
    /* chunks of about 64 KiB: flipping a status rewrites (in place) one chunk */
    uint64_t points_chunk = 65536 / (pt->fsize ? pt->fsize : 1);
    if (points_chunk < 1)
        points_chunk = 1;
    if (points_chunk > ex->n_points)
        points_chunk = ex->n_points ? ex->n_points : 1;
    RC_TRY(rc_table_create(file, "points", pt, rows, ex->n_points, points_chunk, 0, path));
    RC_TRY(rc_table_create(file, "runs", &r->lay.runs, NULL, 0, r->lay.runs_chunk, 1, path));
    /* small experiments get small chunks (a chunk is stored whole even when it holds one row) */
    uint64_t np = ex->n_points ? ex->n_points : 1;
    uint64_t sum_chunk = np < RC_SMALL_CHUNK / 4 ? np : RC_SMALL_CHUNK / 4;
    uint64_t curve_chunk = 32 * np < 4 * RC_SMALL_CHUNK ? 32 * np : 4 * RC_SMALL_CHUNK;
    if (curve_chunk < RC_SMALL_CHUNK / 4)
        curve_chunk = RC_SMALL_CHUNK / 4;
    RC_TRY(rc_table_create(file, "summary", &r->lay.summary, NULL, 0, sum_chunk, 0, path));
    grp = H5Gcreate2(file, "curves", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /curves", path);
    RC_TRY(rc_table_create(grp, "generations", &r->lay.gen, NULL, 0, curve_chunk, 0, path));
    RC_TRY(rc_table_create(grp, "size_ccdf", &r->lay.ccdf, NULL, 0, curve_chunk, 0, path));
    RC_TRY(rc_table_create(grp, "time", &r->lay.time, NULL, 0, curve_chunk, 0, path));
    RC_TRY(rc_outputs_skeleton(file, grp, r, curve_chunk));
    status = rc_h5_end(grp, status, path, "/curves");
    grp = -1;
    RC_TRY(status);
    grp = H5Gcreate2(file, "networks", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /networks", path);
    /* rows of about 16 KiB a chunk: a row holds two long strings */
    uint64_t nets_chunk = 16384 / (r->lay.nets.fsize ? r->lay.nets.fsize : 1);
    if (nets_chunk > ex->n_networks)
        nets_chunk = ex->n_networks;
    RC_TRY(rc_table_create(grp, "stats", &r->lay.nets, NULL, 0, nets_chunk ? nets_chunk : 1, 0,
                           path));
cleanup:
    status = rc_h5_end(grp, status, path, "/networks");
    free(rows);
    return status;
}

uint64_t rc_layout_skeleton_bytes(const rc_results_t *r)
{
    return (uint64_t)r->ex->n_points * (r->lay.points.msize + 16) + strlen(r->resolved) +
           strlen(r->config_text) + strlen(r->command_line) + ((uint64_t)1 << 20);
}
