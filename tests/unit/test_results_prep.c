/* Points prepared away from the writer (results_prep.c): rc_fletcher32 equals HDF5's own
 * Fletcher-32 on buffers of every small length and a large one; a point prepared with whole
 * chunks writes /runs chunks that HDF5 reads back, checksums checked, as the same rows HDF5's
 * own pipeline writes (the same file written both ways: direct chunks, and rows through
 * H5Dwrite), its planes made straight from the point's arrays equal to HDF5's shuffle of its
 * rows (timed or not, with an audience or not); a point whose runs do not fill whole chunks is
 * prepared without chunks and written through the pipeline. A prepared point's journal records
 * give back every per-run value, from its runs record (the /runs chunks) when it has chunks and
 * from its point record otherwise, times included; a runs record with a changed byte, cut short
 * or made for other chunks is refused; a record claiming more bytes than its payload holds is
 * cut by the scan. */
#include "io/results_codec.h"
#include "io/results_file.h"
#include "io/results_journal.h"
#include "io/results_prep.h"
#include "rc_test.h"
#include "rtcascade/experiment.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/results.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* HDF5's own, exported by the library though not in its public headers. */
extern uint32_t H5_checksum_fletcher32(const void *data, size_t len);

static void check_fletcher(void)
{
    unsigned char buf[5000];
    uint64_t x = 88172645463325252ULL;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
    for (size_t len = 0; len < 800; len++)
        CHECK_EQ_U64(rc_fletcher32(buf, len), H5_checksum_fletcher32(buf, len));
    CHECK_EQ_U64(rc_fletcher32(buf, sizeof buf), H5_checksum_fletcher32(buf, sizeof buf));
    memset(buf, 0xff, sizeof buf); /* sums at their largest */
    CHECK_EQ_U64(rc_fletcher32(buf, sizeof buf), H5_checksum_fletcher32(buf, sizeof buf));
}

/* Point p of `runs` runs (timed or not) with made-up values spread over every byte of each
 * column, summarized. */
static rc_mc_results_t *fake_point(uint64_t p, uint64_t runs, int timed)
{
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_results_alloc(runs, timed, &res));
    for (uint64_t i = 0; res != NULL && i < runs; i++) {
        res->size[i] = (uint32_t)(i * 2654435761u >> 7);
        res->retweets[i] = (uint32_t)(i * 40503u);
        res->reach[i] = i * 0x9E3779B97F4A7C15ULL;
        res->depth[i] = (uint32_t)(i % 7);
        res->max_breadth[i] = (uint32_t)(i * 31 % 1000);
        res->virality[i] = (double)i / 3.0;
        res->global[i] = (uint8_t)(i % 2);
        res->capped[i] = (uint8_t)(i % 5 == 0);
        if (timed) {
            res->final_time[i] = (double)i * 1.5;
            res->t50[i] = (double)i * 0.5;
            res->t90[i] = (double)i * 0.9;
        }
    }
    if (res != NULL) {
        res->point = p;
        res->global_threshold = 1;
        CHECK_OK(rc_mc_summarize(res));
    }
    return res;
}

/* The bytes of /runs's chunk holding row `row`, as stored (filters applied). */
static unsigned char *stored_chunk(const char *path, uint64_t row, size_t *len)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), d = H5Dopen2(f, "runs", H5P_DEFAULT);
    hsize_t off[1] = {row}, size = 0;
    uint32_t mask = 1;
    unsigned char *buf = NULL;
    CHECK(H5Dget_chunk_storage_size(d, off, &size) >= 0 && size > 0);
    buf = malloc(size ? size : 1);
    CHECK(H5Dread_chunk(d, H5P_DEFAULT, off, &mask, buf) >= 0);
    CHECK_EQ_U64(mask, 0);
    *len = (size_t)size;
    H5Dclose(d);
    H5Fclose(f);
    return buf;
}

/* 1 when /runs of files a and b holds `rows` rows, the same in both (read through HDF5, every
 * chunk inflated and its checksum checked). */
static int same_rows(const char *a, const char *b, uint64_t rows)
{
    unsigned char *data[2] = {NULL, NULL};
    size_t bytes[2] = {0, 0};
    const char *paths[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        hid_t f = H5Fopen(paths[k], H5F_ACC_RDONLY, H5P_DEFAULT);
        hid_t d = f >= 0 ? H5Dopen2(f, "runs", H5P_DEFAULT) : -1;
        hid_t type = d >= 0 ? H5Dget_type(d) : -1, space = d >= 0 ? H5Dget_space(d) : -1;
        if (type >= 0 && space >= 0 && (uint64_t)H5Sget_simple_extent_npoints(space) == rows) {
            bytes[k] = (size_t)rows * H5Tget_size(type);
            data[k] = malloc(bytes[k]);
            if (data[k] != NULL && H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data[k]) < 0) {
                free(data[k]);
                data[k] = NULL;
            }
        }
        H5Sclose(space);
        H5Tclose(type);
        H5Dclose(d);
        H5Fclose(f);
    }
    int same = data[0] && data[1] && bytes[0] == bytes[1] && memcmp(data[0], data[1], bytes[0]) == 0;
    free(data[0]);
    free(data[1]);
    return same;
}

/* Writes the experiment's two points to path, prepared (direct chunks) or not (the pipeline). */
static void write_file(const rc_experiment_t *ex, const char *path, int prepared, int chunked)
{
    rc_results_t *r = NULL;
    char jpath[512];
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    unlink(path);
    unlink(jpath);
    CHECK_OK(rc_results_create(path, ex, NULL, 1, &r));
    for (uint64_t p = 0; p < ex->n_points && r != NULL; p++) {
        rc_mc_results_t *res = fake_point(p, ex->runs, 0);
        if (prepared) {
            rc_results_prep_t *prep = NULL;
            CHECK_OK(rc_results_prepare_point(r, res, &prep));
            CHECK(prep != NULL && (prep->chunk_rows > 0) == chunked);
            CHECK_OK(rc_results_write_prepared(r, res, prep));
        } else {
            CHECK_OK(rc_results_write_point(r, res));
        }
        rc_mc_results_free(res);
    }
    CHECK_OK(rc_results_close(r));
}

static void check_chunks(const char *dir)
{
    rc_experiment_t *ex = NULL;
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/direct.h5", dir);
    snprintf(b, sizeof b, "%s/pipeline.h5", dir);
    /* 1000 runs: chunks of 1000 rows, one per point */
    CHECK_OK(rc_experiment_load_string("seed: 1\nruns: 1000\nmodel: {name: independent_cascade}\n"
                                       "network: {generator: star, nodes: 10}\n"
                                       "sweep: {model.p: [0.1, 0.2]}\n",
                                       "prep.yaml", NULL, NULL, 0, &ex));
    write_file(ex, a, 1, 1);
    /* the same rows through H5Dwrite: rc_results_write_point prepares too, so the pipeline is
     * reached by hiding the chunks (a prepared point without them) */
    rc_results_t *r = NULL;
    unlink(b);
    snprintf(b + strlen(b), sizeof b - strlen(b), "%s", ".journal");
    unlink(b);
    b[strlen(b) - 8] = '\0';
    CHECK_OK(rc_results_create(b, ex, NULL, 1, &r));
    for (uint64_t p = 0; p < ex->n_points && r != NULL; p++) {
        rc_mc_results_t *res = fake_point(p, ex->runs, 0);
        rc_results_prep_t *prep = NULL;
        CHECK_OK(rc_results_prepare_point(r, res, &prep));
        prep->chunk_rows = 0; /* its chunks are freed with it */
        CHECK_OK(rc_results_write_prepared(r, res, prep));
        rc_mc_results_free(res);
    }
    CHECK_OK(rc_results_close(r));
    for (uint64_t row = 0; row < 2000; row += 1000) {
        size_t la = 0, lb = 0;
        unsigned char *ca = stored_chunk(a, row, &la), *cb = stored_chunk(b, row, &lb);
        CHECK(ca != NULL && cb != NULL && la > 0 && lb > 0);
        free(ca);
        free(cb);
    }
    CHECK(same_rows(a, b, 2000));
    rc_experiment_free(ex);
    /* 70,001 runs have no divisor between 4,096 and 65,536: no chunks are prepared */
    CHECK_OK(rc_experiment_load_string("seed: 1\nruns: 70001\nmodel: {name: independent_cascade}\n"
                                       "network: {generator: star, nodes: 10}\n",
                                       "prep.yaml", NULL, NULL, 0, &ex));
    write_file(ex, a, 1, 0);
    rc_experiment_free(ex);
}

/* 1 when every per-run value of a equals b's (times too when a is timed). */
static int same_runs(const rc_mc_results_t *a, const rc_mc_results_t *b)
{
    const size_t n = (size_t)a->runs;
    int same = a->runs == b->runs && b->size && b->retweets && b->reach && b->depth &&
               b->max_breadth && b->virality && b->global && b->capped &&
               memcmp(a->size, b->size, n * sizeof *a->size) == 0 &&
               memcmp(a->retweets, b->retweets, n * sizeof *a->retweets) == 0 &&
               memcmp(a->reach, b->reach, n * sizeof *a->reach) == 0 &&
               memcmp(a->depth, b->depth, n * sizeof *a->depth) == 0 &&
               memcmp(a->max_breadth, b->max_breadth, n * sizeof *a->max_breadth) == 0 &&
               memcmp(a->virality, b->virality, n * sizeof *a->virality) == 0 &&
               memcmp(a->global, b->global, n * sizeof *a->global) == 0 &&
               memcmp(a->capped, b->capped, n * sizeof *a->capped) == 0;
    if (same && a->timed)
        same = b->timed && b->final_time && b->t50 && b->t90 &&
               memcmp(a->final_time, b->final_time, n * sizeof *a->final_time) == 0 &&
               memcmp(a->t50, b->t50, n * sizeof *a->t50) == 0 &&
               memcmp(a->t90, b->t90, n * sizeof *a->t90) == 0;
    return same;
}

/* Point 0 of `yaml`'s experiment (timed or not) prepared, its records put in a journal, read
 * back and decoded: the same per-run values, from a runs record exactly when `chunked`; then
 * the runs record damaged in three ways, each refused. */
static void check_journal_point(const char *dir, const char *yaml, int timed, int chunked)
{
    rc_experiment_t *ex = NULL;
    rc_results_t *r = NULL;
    rc_journal_t *j = NULL;
    rc_jrec_t *recs = NULL;
    size_t n_recs = 0;
    char path[512], jpath[600];
    snprintf(path, sizeof path, "%s/journal.h5", dir);
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    unlink(path);
    unlink(jpath);
    snprintf(jpath, sizeof jpath, "%s/scratch.journal", dir);
    CHECK_OK(rc_experiment_load_string(yaml, "prep.yaml", NULL, NULL, 0, &ex));
    CHECK_OK(rc_results_create(path, ex, NULL, 1, &r));
    rc_mc_results_t *res = fake_point(0, ex->runs, timed);
    rc_results_prep_t *prep = NULL;
    CHECK_OK(rc_results_prepare_point(r, res, &prep));
    CHECK(prep != NULL && (prep->chunk_rows > 0) == chunked);
    unlink(jpath);
    CHECK_OK(rc_journal_open(jpath, path, 1, &j));
    CHECK_OK(rc_journal_reset(j));
    if (prep != NULL)
        CHECK_OK(rc_journal_append_record(j, prep->jrec, prep->jrec_len));
    CHECK_OK(rc_journal_scan(j, &recs, &n_recs));
    CHECK_EQ_U64(n_recs, chunked ? 2 : 1);
    if (n_recs == (chunked ? 2u : 1u)) {
        const rc_jrec_t *pt = &recs[n_recs - 1], *rr = chunked ? &recs[0] : NULL;
        void *data = NULL, *runs = NULL;
        int apart = -1;
        rc_mc_results_t *back = NULL;
        CHECK_EQ_U64(pt->type, RC_JREC_POINT);
        CHECK_OK(rc_journal_load(j, pt, &data));
        CHECK_OK(rc_jpoint_decode(data, (size_t)pt->raw_len, path, jpath, &back, &apart));
        CHECK_EQ_U64((uint64_t)apart, (uint64_t)chunked);
        if (rr != NULL && back != NULL) {
            CHECK_EQ_U64(rr->type, RC_JREC_RUNS);
            CHECK_EQ_U64(rr->key, 0);
            CHECK_EQ_U64(rr->comp_len, rr->raw_len); /* stored as it is */
            CHECK_OK(rc_journal_load(j, rr, &runs));
            CHECK(back->size == NULL);
            CHECK_OK(rc_runs_from_record(r, runs, (size_t)rr->raw_len, back, NULL));
        }
        CHECK(back != NULL && same_runs(res, back));
        CHECK(back != NULL && back->timed == timed);
        rc_mc_results_free(back);
        if (rr != NULL && runs != NULL) {
            /* a changed byte in the first chunk, the record cut short, a record of other
             * chunks: each refused in one line */
            unsigned char *bad = malloc((size_t)rr->raw_len);
            const size_t cases[3][2] = {{40, (size_t)rr->raw_len}, {0, (size_t)rr->raw_len - 1},
                                        {0, (size_t)rr->raw_len}};
            for (int c = 0; c < 3 && bad != NULL; c++) {
                memcpy(bad, runs, (size_t)rr->raw_len);
                if (c == 0)
                    bad[cases[c][0]] ^= 0x10;
                if (c == 2)
                    bad[0] ^= 1; /* rows per chunk */
                back = NULL;
                CHECK_OK(rc_jpoint_decode(data, (size_t)pt->raw_len, path, jpath, &back, &apart));
                CHECK(back != NULL &&
                      rc_runs_from_record(r, bad, cases[c][1], back, NULL) == RC_ERR_INPUT);
                CHECK(strstr(rc_error_message(), "runs record of the journal") != NULL);
                rc_mc_results_free(back);
            }
            free(bad);
        }
        free(data);
        free(runs);
    }
    free(recs);
    CHECK_OK(rc_journal_close(j, 1));
    rc_results_prep_free(prep);
    rc_mc_results_free(res);
    CHECK_OK(rc_results_close(r));
    rc_experiment_free(ex);
}

/* rc_runs_planes equals HDF5's shuffle of rc_runs_rows' packed rows, for points timed or not,
 * with an audience or not, over whole and partial ranges of runs. */
static void check_planes(const char *dir)
{
    rc_experiment_t *ex = NULL;
    rc_results_t *r = NULL;
    char path[512], jpath[600];
    snprintf(path, sizeof path, "%s/planes.h5", dir);
    snprintf(jpath, sizeof jpath, "%s.journal", path);
    unlink(path);
    unlink(jpath);
    CHECK_OK(rc_experiment_load_string("seed: 1\nruns: 300\nmodel: {name: independent_cascade}\n"
                                       "network: {generator: star, nodes: 10}\n",
                                       "prep.yaml", NULL, NULL, 0, &ex));
    CHECK_OK(rc_results_create(path, ex, NULL, 1, &r));
    if (r == NULL) {
        rc_experiment_free(ex);
        return;
    }
    const rc_table_t *t = &r->lay.runs;
    rc_table_t packed = *t; /* the same columns at their file offsets */
    rc_col_t *cols = malloc(t->n * sizeof *cols);
    for (size_t c = 0; c < t->n; c++) {
        cols[c] = t->cols[c];
        cols[c].moff = cols[c].foff;
    }
    packed.cols = cols;
    packed.packed = 1;
    packed.msize = t->fsize;
    const size_t size = t->fsize, n = 300;
    unsigned char *rows = malloc(n * size), *want = malloc(n * size), *got = malloc(n * size);
    uint64_t *scratch = malloc(n * sizeof *scratch);
    for (int timed = 0; timed < 2; timed++) {
        for (uint32_t audience = 0; audience < 2; audience++) {
            rc_mc_results_t *res = fake_point(12345678901ULL, n, timed);
            if (res == NULL)
                continue;
            res->audience = audience ? 250 : 0;
            static const uint64_t ranges[3][2] = {{0, 300}, {7, 100}, {299, 1}};
            for (int k = 0; k < 3; k++) {
                const uint64_t first = ranges[k][0], count = ranges[k][1];
                rc_runs_rows(&packed, res, first, count, rows);
                for (size_t j = 0; j < size; j++) /* HDF5's shuffle */
                    for (size_t i = 0; i < count; i++)
                        want[j * count + i] = rows[i * size + j];
                memset(got, 0xA5, n * size);
                rc_runs_planes(t, res, first, count, scratch, got);
                CHECK(memcmp(want, got, count * size) == 0);
            }
            rc_mc_results_free(res);
        }
    }
    free(rows);
    free(want);
    free(got);
    free(scratch);
    free(cols);
    CHECK_OK(rc_results_close(r));
    rc_experiment_free(ex);
}

/* A record whose header claims more bytes than its payload can inflate to (its CRC right) is
 * damage: the scan stops before it, and nothing is allocated for it. */
static void check_journal_lengths(const char *dir)
{
    char jpath[600];
    snprintf(jpath, sizeof jpath, "%s/lengths.journal", dir);
    for (int stored = 0; stored < 2; stored++) {
        rc_journal_t *j = NULL;
        rc_jrec_t *recs = NULL;
        size_t n_recs = 0, len = 0;
        unsigned char *rec = NULL;
        const char payload[] = "a payload of some bytes";
        unlink(jpath);
        CHECK_OK(rc_journal_open(jpath, "lengths.h5", 1, &j));
        CHECK_OK(rc_journal_reset(j));
        CHECK_OK(rc_journal_record(stored ? RC_JREC_RUNS : RC_JREC_RESUMED, 0, payload,
                                   sizeof payload, &rec, &len));
        if (rec != NULL) {
            /* raw_len (offset 16) far beyond the payload, the CRC made right again */
            uint64_t raw = stored ? sizeof payload + 1 : (uint64_t)1 << 39;
            memcpy(rec + 16, &raw, 8);
            uint32_t crc = (uint32_t)crc32(crc32(0, Z_NULL, 0), rec + 4, (uInt)(len - 8));
            memcpy(rec + len - 4, &crc, 4);
            CHECK_OK(rc_journal_append_record(j, rec, len));
        }
        CHECK_OK(rc_journal_scan(j, &recs, &n_recs));
        CHECK_EQ_U64(n_recs, 0);
        free(recs);
        free(rec);
        CHECK_OK(rc_journal_close(j, 1));
    }
}

static void check_journal(const char *dir)
{
    static const char *whole = "seed: 1\nruns: 1000\nmodel: {name: independent_cascade}\n"
                               "network: {generator: star, nodes: 10}\n";
    static const char *partial = "seed: 1\nruns: 70001\nmodel: {name: independent_cascade}\n"
                                 "network: {generator: star, nodes: 10}\n";
    static const char *many = "seed: 1\nruns: 200000\nmodel: {name: independent_cascade}\n"
                              "network: {generator: star, nodes: 10}\n";
    for (int timed = 0; timed < 2; timed++) {
        check_journal_point(dir, whole, timed, 1);
        check_journal_point(dir, partial, timed, 0);
    }
    check_journal_point(dir, many, 0, 1); /* 200,000 runs: chunks of 50,000 rows */
}

int main(void)
{
    check_fletcher();
    char dir[] = "/tmp/rc_test_prep_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    check_chunks(dir);
    check_planes(dir);
    check_journal(dir);
    check_journal_lengths(dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return rc_test_report("test_results_prep");
}
