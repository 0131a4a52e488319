/* Preparing a finished point for the results file (results_prep.h, results.h): everything a
 * point's write costs in CPU -- the journal records, the /runs rows, and their shuffle, deflate
 * and Fletcher-32 -- done by the thread that finished the point, so that the one writer thread
 * is left with the file system and HDF5's bookkeeping. The chunks are what HDF5's pipeline for
 * /runs reads (shuffle, deflate, Fletcher-32, in that order: results_h5util.c), deflated by
 * rc_deflate_planes (results_deflate.h); --resume writes the journal's copy of them as they
 * are, so a resumed file holds the same chunks as an uninterrupted one. */
#include "io/results_prep.h"

#include "io/results_codec.h"
#include "io/results_deflate.h"
#include "io/results_file.h"
#include "io/results_journal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

uint32_t rc_fletcher32(const unsigned char *data, size_t len)
{
    size_t words = len / 2;
    uint32_t sum1 = 0, sum2 = 0;
    while (words > 0) {
        size_t t = words > 360 ? 360 : words;
        words -= t;
        do {
            sum1 += (uint32_t)((data[0] << 8) | data[1]);
            data += 2;
            sum2 += sum1;
        } while (--t);
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    if (len % 2) {
        sum1 += (uint32_t)(*data << 8);
        sum2 += sum1;
        sum1 = (sum1 & 0xffff) + (sum1 >> 16);
        sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >> 16);
    return (sum2 << 16) | sum1;
}

void rc_runs_rows(const rc_table_t *t, const rc_mc_results_t *res, uint64_t first,
                  uint64_t count, unsigned char *rows)
{
    const size_t stride = rc_table_stride(t);
    const uint64_t p = res->point;
    for (uint64_t k = 0; k < count; k++) {
        const uint64_t i = first + k;
        void *row = rows + k * stride;
        rc_row_u64(t, row, RC_R_POINT, p);
        rc_row_u64(t, row, RC_R_RUN, i);
        rc_row_u32(t, row, RC_R_SIZE, res->size[i]);
        rc_row_u32(t, row, RC_R_RETWEETS, res->retweets[i]);
        rc_row_u64(t, row, RC_R_REACH, res->reach[i]);
        rc_row_u32(t, row, RC_R_DEPTH, res->depth[i]);
        rc_row_u32(t, row, RC_R_MAX_BREADTH, res->max_breadth[i]);
        rc_row_f64(t, row, RC_R_VIRALITY, res->virality[i]);
        rc_row_f64(t, row, RC_R_FINAL_TIME,
                   res->timed && res->final_time ? res->final_time[i] : NAN);
        rc_row_f64(t, row, RC_R_T50, res->timed && res->t50 ? res->t50[i] : NAN);
        rc_row_f64(t, row, RC_R_T90, res->timed && res->t90 ? res->t90[i] : NAN);
        rc_row_u8(t, row, RC_R_GLOBAL, res->global[i]);
        rc_row_u8(t, row, RC_R_CAPPED, res->capped[i]);
        rc_row_f64(t, row, RC_R_REACH_PER_MEMBER,
                   res->audience ? (double)res->reach[i] / (double)res->audience : NAN);
    }
}

/* Bytes of a column's values into its planes: byte b of value i (w bytes, in the machine's
 * order as the packed rows hold it) to dst[b * n + i]. */
static void scatter(unsigned char *dst, size_t n, const void *values, size_t w)
{
    const unsigned char *v = values;
    for (size_t i = 0; i < n; i++, v += w)
        for (size_t b = 0; b < w; b++)
            dst[b * n + i] = v[b];
}

/* The w planes of a column holding one value in every row. */
static void fill_planes(unsigned char *dst, size_t n, const void *value, size_t w)
{
    const unsigned char *v = value;
    for (size_t b = 0; b < w; b++)
        memset(dst + b * n, v[b], n);
}

void rc_runs_planes(const rc_table_t *t, const rc_mc_results_t *res, uint64_t first,
                    uint64_t count, uint64_t *scratch, unsigned char *planes)
{
    const size_t n = (size_t)count;
    const uint64_t p = res->point;
    const double nan = NAN;
#define RC_PLANES(col) (planes + t->cols[(col)].foff * n)
    fill_planes(RC_PLANES(RC_R_POINT), n, &p, sizeof p);
    for (size_t i = 0; i < n; i++)
        scratch[i] = first + i;
    scatter(RC_PLANES(RC_R_RUN), n, scratch, sizeof *scratch);
    scatter(RC_PLANES(RC_R_SIZE), n, res->size + first, sizeof *res->size);
    scatter(RC_PLANES(RC_R_RETWEETS), n, res->retweets + first, sizeof *res->retweets);
    scatter(RC_PLANES(RC_R_REACH), n, res->reach + first, sizeof *res->reach);
    scatter(RC_PLANES(RC_R_DEPTH), n, res->depth + first, sizeof *res->depth);
    scatter(RC_PLANES(RC_R_MAX_BREADTH), n, res->max_breadth + first, sizeof *res->max_breadth);
    scatter(RC_PLANES(RC_R_VIRALITY), n, res->virality + first, sizeof *res->virality);
    const double *times[3] = {res->final_time, res->t50, res->t90};
    const int cols[3] = {RC_R_FINAL_TIME, RC_R_T50, RC_R_T90};
    for (int k = 0; k < 3; k++) {
        if (res->timed && times[k] != NULL)
            scatter(RC_PLANES(cols[k]), n, times[k] + first, sizeof nan);
        else
            fill_planes(RC_PLANES(cols[k]), n, &nan, sizeof nan);
    }
    scatter(RC_PLANES(RC_R_GLOBAL), n, res->global + first, sizeof *res->global);
    scatter(RC_PLANES(RC_R_CAPPED), n, res->capped + first, sizeof *res->capped);
    if (res->audience) {
        double *share = (double *)scratch;
        for (size_t i = 0; i < n; i++)
            share[i] = (double)res->reach[first + i] / (double)res->audience;
        scatter(RC_PLANES(RC_R_REACH_PER_MEMBER), n, share, sizeof *share);
    } else {
        fill_planes(RC_PLANES(RC_R_REACH_PER_MEMBER), n, &nan, sizeof nan);
    }
#undef RC_PLANES
}

/* One chunk of `rows` rows, already shuffled (scratch: its size planes of rows bytes), through
 * deflate and Fletcher-32, what HDF5's filters read, into *out: deflated by rc_deflate_planes
 * (zlib level 1 when that does not fit a compressBound buffer, so the filter is never
 * skipped). */
static rc_status_t filter_chunk(const unsigned char *scratch, size_t rows, size_t size,
                                unsigned char **out, size_t *out_len)
{
    rc_status_t status = RC_OK;
    const size_t nbytes = rows * size;
    uLongf comp = compressBound((uLong)nbytes);
    unsigned char *buf = malloc((size_t)comp + 4);
    RC_ALLOC_CHECK(buf, "a /runs chunk");
    const size_t planes = rc_deflate_planes(scratch, size, rows, buf, (size_t)comp);
    if (planes > 0)
        comp = (uLongf)planes;
    else if (compress2(buf, &comp, scratch, (uLong)nbytes, 1) != Z_OK)
        RC_FAIL(RC_ERR_NOMEM, "cannot compress a /runs chunk of %zu bytes", nbytes);
    uint32_t sum = rc_fletcher32(buf, comp);
    memcpy(buf + comp, &sum, 4); /* in the machine's order, as HDF5 stores it */
    *out = buf;
    *out_len = (size_t)comp + 4;
    buf = NULL;
cleanup:
    free(buf);
    return status;
}

/* The /runs chunks of res: its rows packed (the file's layout), then filtered chunk by chunk. */
static rc_status_t make_chunks(const rc_results_t *r, const rc_mc_results_t *res,
                               rc_results_prep_t *p)
{
    rc_status_t status = RC_OK;
    const rc_table_t *t = &r->lay.runs;
    const uint64_t rows = r->lay.runs_chunk, runs = res->runs;
    const size_t size = t->fsize;
    unsigned char *planes = NULL;
    uint64_t *scratch = NULL;
    p->n_chunks = (size_t)(runs / rows);
    p->chunk = calloc(p->n_chunks, sizeof *p->chunk);
    p->chunk_len = calloc(p->n_chunks, sizeof *p->chunk_len);
    planes = malloc(rows * size);
    scratch = malloc(rows * sizeof *scratch);
    RC_ALLOC_CHECK(p->chunk, "the /runs chunks");
    RC_ALLOC_CHECK(p->chunk_len, "the /runs chunks");
    RC_ALLOC_CHECK(planes, "a /runs chunk");
    RC_ALLOC_CHECK(scratch, "a /runs chunk");
    for (size_t k = 0; k < p->n_chunks; k++) {
        rc_runs_planes(t, res, k * rows, rows, scratch, planes);
        RC_TRY(filter_chunk(planes, rows, size, &p->chunk[k], &p->chunk_len[k]));
    }
    p->chunk_rows = rows;
cleanup:
    free(planes);
    free(scratch);
    return status;
}

void rc_results_prep_free(rc_results_prep_t *p)
{
    if (p == NULL)
        return;
    for (size_t k = 0; p->chunk != NULL && k < p->n_chunks; k++)
        free(p->chunk[k]);
    free(p->chunk);
    free(p->chunk_len);
    free(p->jrec);
    free(p);
}

/* The point's RC_JREC_RUNS payload: its chunks as made ("chunk_rows row_bytes n_chunks", then
 * each chunk's length and bytes), so that the journal keeps the per-run values without
 * compressing them a second time. */
static void runs_payload(const rc_results_t *r, const rc_results_prep_t *p, rc_jbuf_t *b)
{
    rc_jbuf_u64(b, p->chunk_rows);
    rc_jbuf_u64(b, r->lay.runs.fsize);
    rc_jbuf_u64(b, p->n_chunks);
    for (size_t k = 0; k < p->n_chunks; k++) {
        rc_jbuf_u64(b, p->chunk_len[k]);
        rc_jbuf_put(b, p->chunk[k], p->chunk_len[k]);
    }
}

rc_status_t rc_results_prepare_point(const rc_results_t *r, const rc_mc_results_t *res,
                                     rc_results_prep_t **out)
{
    rc_status_t status = RC_OK;
    rc_jbuf_t b = {0}, runs = {0};
    unsigned char *rec = NULL;
    size_t rec_len = 0;
    rc_results_prep_t *p = calloc(1, sizeof *p);
    *out = NULL;
    RC_ALLOC_CHECK(p, "a point ready to write");
    p->point = res->point;
    /* Whole chunks per point only: a point's first row is then a chunk's first row. */
    if (r->lay.runs_chunk > 0 && res->runs % r->lay.runs_chunk == 0)
        RC_TRY(make_chunks(r, res, p));
    const int apart = p->chunk_rows > 0;
    rc_jpoint_encode(&b, res, apart);
    RC_TRY(rc_jbuf_check(&b));
    RC_TRY(rc_journal_record(RC_JREC_POINT, res->point, b.data, b.len, &p->jrec, &p->jrec_len));
    if (apart) {
        /* the runs record, then the point record: one append, so a point record in the journal
         * always follows its whole runs record */
        runs_payload(r, p, &runs);
        RC_TRY(rc_jbuf_check(&runs));
        RC_TRY(rc_journal_record(RC_JREC_RUNS, res->point, runs.data, runs.len, &rec, &rec_len));
        /* the (small) point record appended to the runs record, not the chunks copied again */
        unsigned char *both = realloc(rec, rec_len + p->jrec_len);
        RC_ALLOC_CHECK(both, "a journal record");
        rec = both;
        memcpy(rec + rec_len, p->jrec, p->jrec_len);
        free(p->jrec);
        p->jrec = rec;
        p->jrec_len += rec_len;
        rec = NULL;
    }
    *out = p;
    p = NULL;
cleanup:
    rc_jbuf_free(&b);
    rc_jbuf_free(&runs);
    free(rec);
    rc_results_prep_free(p);
    return status;
}

/* HDF5's unshuffle: planes of n bytes back into n elements of `size` bytes. */
static void unshuffle(const unsigned char *src, size_t n, size_t size, unsigned char *dst)
{
    for (size_t j = 0; j < size; j++) {
        const unsigned char *s = src + j * n;
        unsigned char *d = dst + j;
        for (size_t i = 0; i < n; i++, d += size)
            *d = s[i];
    }
}

void rc_runs_view_clear(rc_results_prep_t *view)
{
    free(view->chunk);
    free(view->chunk_len);
    memset(view, 0, sizeof *view);
}

#define RC_RUNS_ARRAY(field)                                                                       \
    do {                                                                                           \
        res->field = malloc((size_t)n * sizeof *res->field);                                       \
        RC_ALLOC_CHECK(res->field, "a journal record");                                            \
    } while (0)

/* Column c of a packed row into *v (sizeof *v bytes: the column's width). */
#define RC_RUNS_GET(v, row, c) memcpy((v), (row) + t->cols[(c)].foff, sizeof *(v))

rc_status_t rc_runs_from_record(const rc_results_t *r, const void *data, size_t len,
                                rc_mc_results_t *res, rc_results_prep_t *view)
{
    rc_status_t status = RC_OK;
    rc_jreader_t rd = {data, len, 0, 0};
    const rc_table_t *t = &r->lay.runs;
    unsigned char *raw = NULL, *plane = NULL;
    const uint64_t rows = rc_jread_u64(&rd), size = rc_jread_u64(&rd);
    const uint64_t n_chunks = rc_jread_u64(&rd), n = res->runs;
    int stale = 0; /* a chunk fails its sum (fuzzing builds only: it is refused otherwise) */
    if (view != NULL)
        memset(view, 0, sizeof *view); /* zero on every return but success */
    /* the layout the chunks were made for, whole chunks of this point's runs */
    if (rd.failed || rows == 0 || rows != r->lay.runs_chunk || size != t->fsize || n == 0 ||
        n % rows != 0 || n_chunks != n / rows)
        goto malformed;
    RC_RUNS_ARRAY(size);
    RC_RUNS_ARRAY(retweets);
    RC_RUNS_ARRAY(reach);
    RC_RUNS_ARRAY(depth);
    RC_RUNS_ARRAY(max_breadth);
    RC_RUNS_ARRAY(virality);
    RC_RUNS_ARRAY(global);
    RC_RUNS_ARRAY(capped);
    if (res->timed) {
        RC_RUNS_ARRAY(final_time);
        RC_RUNS_ARRAY(t50);
        RC_RUNS_ARRAY(t90);
    }
    const size_t nbytes = (size_t)(rows * size);
    raw = malloc(nbytes);
    plane = malloc(nbytes);
    RC_ALLOC_CHECK(raw, "a /runs chunk");
    RC_ALLOC_CHECK(plane, "a /runs chunk");
    if (view != NULL) {
        view->point = res->point;
        view->chunk = calloc((size_t)n_chunks, sizeof *view->chunk);
        view->chunk_len = calloc((size_t)n_chunks, sizeof *view->chunk_len);
        RC_ALLOC_CHECK(view->chunk, "the /runs chunks");
        RC_ALLOC_CHECK(view->chunk_len, "the /runs chunks");
        view->n_chunks = (size_t)n_chunks;
        view->chunk_rows = rows;
    }
    for (uint64_t k = 0; k < n_chunks; k++) {
        const uint64_t clen = rc_jread_u64(&rd);
        if (rd.failed || clen < 4 || clen > rd.len - rd.pos)
            goto malformed;
        const unsigned char *chunk = rd.data + rd.pos;
        rd.pos += (size_t)clen;
        if (view != NULL) {
            view->chunk[k] = (unsigned char *)(uintptr_t)chunk; /* read only: written as is */
            view->chunk_len[k] = (size_t)clen;
        }
        uint32_t sum;
        memcpy(&sum, chunk + clen - 4, 4);
        uLongf got = (uLongf)nbytes;
        if (sum != rc_fletcher32(chunk, (size_t)clen - 4)) {
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
            stale = 1; /* as the journal's CRC, not checked: decoded, but never written as is */
#else
            goto malformed;
#endif
        }
        if (uncompress(plane, &got, chunk, (uLong)(clen - 4)) != Z_OK || got != nbytes)
            goto malformed;
        unshuffle(plane, (size_t)rows, (size_t)size, raw);
        for (uint64_t j = 0; j < rows; j++) {
            const unsigned char *row = raw + j * size;
            const uint64_t i = k * rows + j;
            RC_RUNS_GET(&res->size[i], row, RC_R_SIZE);
            RC_RUNS_GET(&res->retweets[i], row, RC_R_RETWEETS);
            RC_RUNS_GET(&res->reach[i], row, RC_R_REACH);
            RC_RUNS_GET(&res->depth[i], row, RC_R_DEPTH);
            RC_RUNS_GET(&res->max_breadth[i], row, RC_R_MAX_BREADTH);
            RC_RUNS_GET(&res->virality[i], row, RC_R_VIRALITY);
            RC_RUNS_GET(&res->global[i], row, RC_R_GLOBAL);
            RC_RUNS_GET(&res->capped[i], row, RC_R_CAPPED);
            if (res->timed) {
                RC_RUNS_GET(&res->final_time[i], row, RC_R_FINAL_TIME);
                RC_RUNS_GET(&res->t50[i], row, RC_R_T50);
                RC_RUNS_GET(&res->t90[i], row, RC_R_T90);
            }
        }
    }
    if (rd.pos != rd.len)
        goto malformed;
    if (stale && view != NULL)
        rc_runs_view_clear(view); /* the rows are written through HDF5's filters instead */
    goto cleanup;
malformed:
    status = rc_error(RC_ERR_INPUT, "%s: a runs record of the journal %s is malformed", r->path,
                      r->jpath);
cleanup:
    if (status != RC_OK && view != NULL)
        rc_runs_view_clear(view);
    free(raw);
    free(plane);
    return status;
}

/* 1 when dset is chunked by `rows` with exactly the filters shuffle, deflate level 1 and
 * Fletcher-32, in that order: what the prepared chunks are. */
static int pipeline_fits(hid_t dset, uint64_t rows)
{
    hid_t dcpl = H5Dget_create_plist(dset);
    if (dcpl < 0)
        return 0;
    static const H5Z_filter_t want[3] = {H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE,
                                         H5Z_FILTER_FLETCHER32};
    hsize_t chunk[1] = {0};
    int ok = H5Pget_layout(dcpl) == H5D_CHUNKED && H5Pget_chunk(dcpl, 1, chunk) == 1 &&
             chunk[0] == rows && H5Pget_nfilters(dcpl) == 3;
    for (unsigned i = 0; ok && i < 3; i++) {
        unsigned flags = 0, cd[4] = {0}, config = 0;
        size_t ncd = 4;
        char name[32];
        H5Z_filter_t f = H5Pget_filter2(dcpl, i, &flags, &ncd, cd, sizeof name, name, &config);
        ok = f == want[i] && (f != H5Z_FILTER_DEFLATE || (ncd >= 1 && cd[0] == 1));
    }
    H5Pclose(dcpl);
    return ok;
}

rc_status_t rc_runs_write_chunks(hid_t dset, uint64_t start, const rc_results_prep_t *prep,
                                 const char *path, int *done)
{
    *done = 0;
    if (prep == NULL || prep->chunk_rows == 0 || start % prep->chunk_rows != 0 ||
        !pipeline_fits(dset, prep->chunk_rows))
        return RC_OK;
    hsize_t dims[1] = {(hsize_t)(start + prep->n_chunks * prep->chunk_rows)};
    if (H5Dset_extent(dset, dims) < 0)
        return rc_error(RC_ERR_IO, "%s: cannot extend /runs", path);
    for (size_t k = 0; k < prep->n_chunks; k++) {
        hsize_t offset[1] = {(hsize_t)(start + k * prep->chunk_rows)};
        if (H5Dwrite_chunk(dset, H5P_DEFAULT, 0, offset, prep->chunk_len[k], prep->chunk[k]) <
            0)
            return rc_error(RC_ERR_IO, "%s: cannot append to /runs", path);
    }
    *done = 1;
    return RC_OK;
}
