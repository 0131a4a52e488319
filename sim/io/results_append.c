/* Appending to an open results file: a finished point (its /runs, /summary and /curves rows,
 * then its /points status), a network (degree histograms, then its /networks/stats row), and
 * the journal's records that the file is missing. The order of each append is what lets resume
 * tell a finished point or network from an interrupted one. */
#include "io/results_append.h"

#include "io/results_codec.h"
#include "io/results_file.h"
#include "io/results_internal.h"
#include "io/results_prep.h"
#include "rtcascade/curves.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- a point ---- */

/* Sets /points[p].status = 1 in place (a one-member memory type writes just that field). */
static rc_status_t rc_flip_status(hid_t file, uint64_t p, const char *path)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1, fspace = -1, mspace = -1, mtype = -1;
    uint8_t one = 1;
    hsize_t start[1] = {(hsize_t)p}, count[1] = {1};
    dset = H5Dopen2(file, "points", H5P_DEFAULT);
    fspace = dset >= 0 ? H5Dget_space(dset) : -1;
    mspace = H5Screate_simple(1, count, NULL);
    mtype = H5Tcreate(H5T_COMPOUND, 1);
    if (fspace < 0 || mspace < 0 || mtype < 0 ||
        H5Tinsert(mtype, "status", 0, H5T_NATIVE_UINT8) < 0 ||
        H5Sselect_hyperslab(fspace, H5S_SELECT_SET, start, NULL, count, NULL) < 0 ||
        H5Dwrite(dset, mtype, mspace, fspace, H5P_DEFAULT, &one) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot mark point %llu done in /points", path,
                (unsigned long long)p);
cleanup:
    rc_h5_close(mtype);
    rc_h5_close(mspace);
    rc_h5_close(fspace);
    return rc_h5_end(dset, status, path, "/points");
}

/* Appends the point's rows of /runs, one per run, in run order: prep's ready chunks when the
 * dataset takes them, else rows through HDF5's filters. */
static rc_status_t rc_append_runs(hid_t file, const rc_results_t *r, const rc_mc_results_t *res,
                                  const rc_results_prep_t *prep)
{
    rc_status_t status = RC_OK;
    const rc_table_t *t = &r->lay.runs;
    unsigned char *rows = NULL;
    hid_t dset = -1, space = -1;
    if (prep != NULL && prep->chunk_rows > 0) {
        hsize_t dims[1] = {0};
        int done = 0;
        dset = H5Dopen2(file, "runs", H5P_DEFAULT);
        space = dset >= 0 ? H5Dget_space(dset) : -1;
        if (space < 0 || H5Sget_simple_extent_dims(space, dims, NULL) != 1)
            RC_FAIL(RC_ERR_IO, "%s: cannot open /runs", r->path);
        RC_TRY(rc_runs_write_chunks(dset, (uint64_t)dims[0], prep, r->path, &done));
        if (done)
            goto cleanup;
    }
    rows = calloc(res->runs ? res->runs : 1, rc_table_stride(t));
    RC_ALLOC_CHECK(rows, "the /runs rows");
    rc_runs_rows(t, res, 0, res->runs, rows);
    RC_TRY(rc_table_append(file, "runs", t, rows, res->runs, r->path));
cleanup:
    rc_h5_close(space);
    if (dset >= 0)
        status = rc_h5_end(dset, status, r->path, "/runs");
    free(rows);
    return status;
}

/* Writes the ten statistics of s from column *col on (NaN when no run had a value). */
static void rc_summary_stats(const rc_table_t *t, void *row, size_t *col,
                             const rc_metric_summary_t *s)
{
    const double v[RC_N_STATS] = {s->mean, s->sd,     s->se,  s->min, s->q05,
                                  s->q25,  s->median, s->q75, s->q95, s->max};
    for (size_t k = 0; k < RC_N_STATS; k++)
        rc_row_f64(t, row, (*col)++, s->count ? v[k] : NAN);
}

/* Appends the point's /summary row. */
static rc_status_t rc_append_summary(hid_t file, const rc_results_t *r, const rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    const rc_table_t *t = &r->lay.summary;
    unsigned char *row = calloc(1, rc_table_stride(t));
    RC_ALLOC_CHECK(row, "the /summary row");
    size_t col = rc_layout_point_cols(&r->lay, r->ex, t, row, res->point);
    rc_row_u64(t, row, col++, res->runs);
    for (int m = 0; m < RC_N_METRICS; m++)
        rc_summary_stats(t, row, &col, &res->summary[m]);
    rc_summary_stats(t, row, &col, &res->reach_per_member);
    rc_row_f64(t, row, col++, res->p_global);
    rc_row_f64(t, row, col++, res->p_global_se);
    rc_row_f64(t, row, col++, res->p_capped);
    rc_row_f64(t, row, col++, res->mean_size_global);
    rc_row_str(t, row, col, res->kernel == RC_KERNEL_FUSED ? "fused" : "per_run");
    RC_TRY(rc_table_append(file, "summary", t, row, 1, r->path));
cleanup:
    free(row);
    return status;
}

/* Appends the rows of /curves/generations, /curves/size_ccdf and /curves/time for res: one row
 * per entry of its curves (rtcascade/curves.h), keyed by the point. */
static rc_status_t rc_append_curves(hid_t file, const rc_results_t *r, const rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    const char *path = r->path;
    const rc_layout_t *l = &r->lay;
    const uint64_t p = res->point;
    rc_point_curves_t c;
    unsigned char *rows = NULL;
    hid_t grp = -1;
    memset(&c, 0, sizeof c);
    grp = H5Gopen2(file, "curves", H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open /curves", path);
    RC_TRY(rc_curves_compute(res, &c));

    const rc_table_t *t = &l->gen;
    size_t stride = rc_table_stride(t);
    rows = calloc(c.gen_len ? c.gen_len : 1, stride);
    RC_ALLOC_CHECK(rows, "the /curves/generations rows");
    for (uint32_t g = 0; g < c.gen_len; g++) {
        void *row = rows + (size_t)g * stride;
        rc_row_u64(t, row, 0, p);
        rc_row_u32(t, row, 1, g);
        rc_row_f64(t, row, 2, c.generations[g]);
    }
    RC_TRY(rc_table_append(grp, "generations", t, rows, c.gen_len, path));
    free(rows);

    t = &l->ccdf;
    stride = rc_table_stride(t);
    rows = calloc(c.size_ccdf.len ? c.size_ccdf.len : 1, stride);
    RC_ALLOC_CHECK(rows, "the size distribution");
    for (size_t i = 0; i < c.size_ccdf.len; i++) {
        void *row = rows + i * stride;
        rc_row_u64(t, row, 0, p);
        rc_row_u64(t, row, 1, c.size_ccdf.size[i]);
        rc_row_f64(t, row, 2, c.size_ccdf.ccdf[i]);
    }
    RC_TRY(rc_table_append(grp, "size_ccdf", t, rows, c.size_ccdf.len, path));
    free(rows);

    t = &l->time;
    stride = rc_table_stride(t);
    rows = calloc(c.time.len ? c.time.len : 1, stride);
    RC_ALLOC_CHECK(rows, "the time curves");
    for (size_t i = 0; i < c.time.len; i++) {
        void *row = rows + i * stride;
        rc_row_u64(t, row, 0, p);
        rc_row_f64(t, row, 1, c.time.t[i]);
        rc_row_f64(t, row, 2, c.time.cdf_t50[i]);
        rc_row_f64(t, row, 3, c.time.cdf_t90[i]);
        rc_row_f64(t, row, 4, c.time.cdf_final[i]);
    }
    RC_TRY(rc_table_append(grp, "time", t, rows, c.time.len, path));
    RC_TRY(rc_append_growth(grp, r, p, &c.growth));
cleanup:
    status = rc_h5_end(grp, status, path, "/curves");
    rc_curves_free(&c);
    free(rows);
    return status;
}

rc_status_t rc_append_point(hid_t file, const rc_results_t *r, const rc_mc_results_t *res,
                            const rc_results_prep_t *prep)
{
    rc_status_t status = RC_OK;
    RC_TRY(rc_append_runs(file, r, res, prep));
    RC_TRY(rc_append_summary(file, r, res));
    RC_TRY(rc_append_curves(file, r, res));
    RC_TRY(rc_append_events(file, r, res));
    RC_TRY(rc_flip_status(file, res->point, r->path));
    RC_TRY(rc_rh5_attr_set_u64(file, "points_done", r->n_done + 1, r->path));
cleanup:
    return status;
}

/* ---- a network ---- */

/* A 1-D u64 dataset `name` under loc holding data[0..n): chunked, deflated and checksummed
 * unless empty. */
static rc_status_t rc_write_u64_array(hid_t loc, const char *name, const uint64_t *data, uint64_t n,
                                      const char *path)
{
    rc_status_t status = RC_OK;
    hid_t space = -1, dcpl = -1, dset = -1;
    hsize_t dims[1] = {(hsize_t)n};
    space = H5Screate_simple(1, dims, NULL);
    dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (space < 0 || dcpl < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create %s", path, name);
    if (n > 0) {
        hsize_t chunk[1] = {(hsize_t)(n < 65536 ? n : 65536)};
        if (H5Pset_chunk(dcpl, 1, chunk) < 0 || H5Pset_shuffle(dcpl) < 0 ||
            H5Pset_deflate(dcpl, 1) < 0 || H5Pset_fletcher32(dcpl) < 0)
            RC_FAIL(RC_ERR_IO, "%s: cannot create %s", path, name);
    }
    dset = H5Dcreate2(loc, name, H5T_STD_U64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dset < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create %s", path, name);
    if (n > 0 && H5Dwrite(dset, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write %s", path, name);
cleanup:
    status = rc_h5_end(dset, status, path, name);
    rc_h5_close(dcpl);
    rc_h5_close(space);
    return status;
}

/* Histograms first, then the row, so that a row implies its histograms (what resume checks). */
rc_status_t rc_append_network(hid_t file, const rc_results_t *r, const rc_net_rec_t *n)
{
    rc_status_t status = RC_OK;
    const char *path = r->path;
    const rc_table_t *t = &r->lay.nets;
    hid_t nets = -1, grp = -1;
    unsigned char *row = NULL;
    char name[32];
    snprintf(name, sizeof name, "%llu", (unsigned long long)n->id);
    nets = H5Gopen2(file, "networks", H5P_DEFAULT);
    if (nets < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot open /networks", path);
    htri_t exists = H5Lexists(nets, name, H5P_DEFAULT);
    if (exists < 0 || (exists > 0 && H5Ldelete(nets, name, H5P_DEFAULT) < 0))
        RC_FAIL(RC_ERR_IO, "%s: cannot replace /networks/%s", path, name);
    grp = H5Gcreate2(nets, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (grp < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create /networks/%s", path, name);
    RC_TRY(rc_write_u64_array(grp, "out_degree_hist", n->hist[0], n->hist_len[0], path));
    RC_TRY(rc_write_u64_array(grp, "in_degree_hist", n->hist[1], n->hist_len[1], path));

    row = calloc(1, rc_table_stride(t));
    RC_ALLOC_CHECK(row, "a /networks/stats row");
    const rc_graph_stats_t *s = &n->st;
    size_t c = 0;
    rc_row_u64(t, row, c++, n->id);
    rc_row_str(t, row, c++, n->description);
    rc_row_str(t, row, c++, n->spec);
    rc_row_u64(t, row, c++, s->nodes);
    rc_row_u64(t, row, c++, s->edges);
    rc_row_f64(t, row, c++, s->mean_degree);
    rc_row_u64(t, row, c++, s->max_out_degree);
    rc_row_u64(t, row, c++, s->max_in_degree);
    rc_row_u64(t, row, c++, s->isolated);
    rc_row_f64(t, row, c++, s->reciprocity);
    rc_row_f64(t, row, c++, s->out_tail_exponent);
    rc_row_u64(t, row, c++, s->out_tail_xmin);
    rc_row_f64(t, row, c++, s->in_tail_exponent);
    rc_row_u64(t, row, c++, s->in_tail_xmin);
    rc_row_u64(t, row, c++, s->communities);
    rc_row_f64(t, row, c++, s->intra_fraction);
    rc_row_u8(t, row, c++, (uint8_t)(n->undirected != 0));
    rc_row_f64(t, row, c++, s->transitivity);
    rc_row_f64(t, row, c++, s->transitivity_se);
    rc_row_f64(t, row, c++, s->clustering);
    rc_row_f64(t, row, c, s->clustering_se);
    RC_TRY(rc_table_append(nets, "stats", t, row, 1, path));
cleanup:
    free(row);
    status = rc_h5_end(grp, status, path, "a /networks group");
    status = rc_h5_end(nets, status, path, "/networks");
    return status;
}

/* ---- the journal ---- */

rc_status_t rc_append_replay(rc_results_t *r, hid_t file, const rc_jrec_t *recs, size_t n,
                             int networks, int points)
{
    rc_status_t status = RC_OK;
    void *data = NULL;
    rc_mc_results_t *res = NULL;
    rc_net_rec_t net;
    memset(&net, 0, sizeof net);
    for (size_t i = 0; i < n; i++) {
        const rc_jrec_t *rec = &recs[i];
        if (rec->type == RC_JREC_NETWORK && networks && rec->key < r->ex->n_networks &&
            !r->net_done[rec->key]) {
            RC_TRY(rc_journal_load(r->journal, rec, &data));
            RC_TRY(rc_jnet_decode(data, (size_t)rec->raw_len, r->path, r->jpath, &net));
            if (net.id != rec->key)
                RC_FAIL(RC_ERR_INPUT, "%s: the journal %s is inconsistent", r->path, r->jpath);
            RC_TRY(rc_append_network(file, r, &net));
            r->net_done[rec->key] = 1;
            rc_net_rec_clear(&net);
        } else if (rec->type == RC_JREC_POINT && points && rec->key < r->ex->n_points &&
                   !r->done[rec->key]) {
            int apart = 0;
            RC_TRY(rc_journal_load(r->journal, rec, &data));
            RC_TRY(rc_jpoint_decode(data, (size_t)rec->raw_len, r->path, r->jpath, &res, &apart));
            if (res->point != rec->key || res->runs != r->ex->runs)
                RC_FAIL(RC_ERR_INPUT, "%s: the journal %s is inconsistent", r->path, r->jpath);
            if (apart) { /* its runs are in the record just before it (one append) */
                const rc_jrec_t *runs = i > 0 ? &recs[i - 1] : NULL;
                if (runs == NULL || runs->type != RC_JREC_RUNS || runs->key != rec->key)
                    RC_FAIL(RC_ERR_INPUT, "%s: the journal %s is inconsistent", r->path,
                            r->jpath);
                free(data);
                data = NULL;
                RC_TRY(rc_journal_load(r->journal, runs, &data));
                rc_results_prep_t view;
                RC_TRY(rc_runs_from_record(r, data, (size_t)runs->raw_len, res, &view));
                /* its chunks written as they are: the same bytes as an uninterrupted run's */
                status = rc_append_point(file, r, res, &view);
                rc_runs_view_clear(&view);
                RC_TRY(status);
            } else {
                RC_TRY(rc_append_point(file, r, res, NULL));
            }
            r->done[rec->key] = 1;
            r->n_done++;
            rc_mc_results_free(res);
            res = NULL;
        }
        free(data);
        data = NULL;
    }
cleanup:
    free(data);
    rc_mc_results_free(res);
    rc_net_rec_clear(&net);
    return status;
}
