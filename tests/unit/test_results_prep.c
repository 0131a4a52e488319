/* Points prepared away from the writer (results_prep.c): rc_fletcher32 equals HDF5's own
 * Fletcher-32 on buffers of every small length and a large one; a point prepared with whole
 * chunks writes /runs chunks that are byte for byte what HDF5's pipeline writes for the same
 * rows (the same file written both ways: direct chunks, and rows through H5Dwrite), and that
 * HDF5 reads back with their checksums checked; a point whose runs do not fill whole chunks is
 * prepared without chunks and written through the pipeline. */
#include "io/results_prep.h"
#include "rc_test.h"
#include "rtcascade/experiment.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/results.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Point p of `runs` runs with made-up values. */
static rc_mc_results_t *fake_point(uint64_t p, uint64_t runs)
{
    rc_mc_results_t *res = NULL;
    CHECK_OK(rc_mc_results_alloc(runs, 0, &res));
    for (uint64_t i = 0; res != NULL && i < runs; i++) {
        res->size[i] = res->retweets[i] + 1;
        res->retweets[i] = (uint32_t)(i * 7 % 13);
        res->reach[i] = i * i;
        res->depth[i] = (uint32_t)(i % 5);
        res->virality[i] = (double)i / 3.0;
        res->global[i] = (uint8_t)(i % 2);
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
        rc_mc_results_t *res = fake_point(p, ex->runs);
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
        rc_mc_results_t *res = fake_point(p, ex->runs);
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
        CHECK(la == lb && ca != NULL && cb != NULL && memcmp(ca, cb, la) == 0);
        free(ca);
        free(cb);
    }
    rc_experiment_free(ex);
    /* 70,001 runs have no divisor between 4,096 and 65,536: no chunks are prepared */
    CHECK_OK(rc_experiment_load_string("seed: 1\nruns: 70001\nmodel: {name: independent_cascade}\n"
                                       "network: {generator: star, nodes: 10}\n",
                                       "prep.yaml", NULL, NULL, 0, &ex));
    write_file(ex, a, 1, 0);
    rc_experiment_free(ex);
}

int main(void)
{
    check_fletcher();
    char dir[] = "/tmp/rc_test_prep_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    check_chunks(dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return rc_test_report("test_results_prep");
}
