/* HDF5 graph cache: save/load round trips that must reproduce every array bit for bit (weights,
 * original ids, communities, a graph large enough to be chunked) and the graph's statistics, the
 * spec check, and clear errors for missing, foreign and damaged files; a failed save leaves
 * nothing behind. Statistics kept in a file are what the graph gives when computed, files
 * without them (or of another statistics version) load and compute them, and statistics that do
 * not describe the graph are refused. The test uses HDF5 directly only to change files on
 * purpose. */
#include "rc_test.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"
#include "rtcascade/graph.h"

#include <hdf5.h>

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int k = 0;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* No "<path>.tmp.*" file is left in tmpdir. */
static int no_tmp_files(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q '\\.tmp\\.'", tmpdir);
    return system(cmd) != 0;
}

static int arrays_equal(const void *a, const void *b, size_t bytes)
{
    if (a == NULL || b == NULL)
        return a == b;
    return memcmp(a, b, bytes) == 0;
}

static void check_same(const rc_graph_t *a, const rc_graph_t *b)
{
    CHECK_EQ_U64(b->n, a->n);
    CHECK_EQ_U64(b->m, a->m);
    CHECK_EQ_U64(b->undirected, a->undirected);
    CHECK_EQ_U64(b->n_communities, a->n_communities);
    if (a->n != b->n || a->m != b->m)
        return;
    size_t n1 = ((size_t)a->n + 1) * 8, m4 = a->m * 4;
    CHECK(arrays_equal(a->out_off, b->out_off, n1));
    CHECK(arrays_equal(a->in_off, b->in_off, n1));
    CHECK(arrays_equal(a->out_nbr, b->out_nbr, m4));
    CHECK(arrays_equal(a->in_nbr, b->in_nbr, m4));
    CHECK(arrays_equal(a->out_w, b->out_w, m4));
    CHECK(arrays_equal(a->in_w, b->in_w, m4));
    CHECK(arrays_equal(a->community, b->community, a->n * 4));
    CHECK(arrays_equal(a->orig_id, b->orig_id, a->n * 8));
    CHECK(strcmp(a->description ? a->description : "", b->description ? b->description : "") == 0);
}

/* Statistics field by field, bit for bit (NaN equal to NaN). */
static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void check_same_stats(const rc_graph_stats_t *a, const rc_graph_stats_t *b)
{
    CHECK(a->nodes == b->nodes && a->edges == b->edges && a->isolated == b->isolated);
    CHECK(a->max_out_degree == b->max_out_degree && a->max_in_degree == b->max_in_degree);
    CHECK(a->out_tail_xmin == b->out_tail_xmin && a->in_tail_xmin == b->in_tail_xmin);
    CHECK(a->communities == b->communities && a->clustering_samples == b->clustering_samples);
    CHECK(same_double(a->mean_degree, b->mean_degree) &&
          same_double(a->reciprocity, b->reciprocity));
    CHECK(same_double(a->out_tail_exponent, b->out_tail_exponent) &&
          same_double(a->in_tail_exponent, b->in_tail_exponent));
    CHECK(same_double(a->intra_fraction, b->intra_fraction));
    CHECK(same_double(a->transitivity, b->transitivity) &&
          same_double(a->transitivity_se, b->transitivity_se));
    CHECK(same_double(a->clustering, b->clustering) &&
          same_double(a->clustering_se, b->clustering_se));
}

/* back (loaded) holds the statistics g gives when computed. */
static void check_kept_stats(const rc_graph_t *g, const rc_graph_t *back)
{
    CHECK(back->stats != NULL);
    if (back->stats == NULL || g->stats != NULL)
        return;
    rc_graph_stats_t want, got;
    CHECK_OK(rc_graph_compute_stats(g, &want));
    check_same_stats(&want, back->stats);
    CHECK_OK(rc_graph_compute_stats(back, &got)); /* the kept ones */
    check_same_stats(&want, &got);
}

static rc_graph_t *roundtrip(const rc_graph_t *g, const char *name, const char *spec)
{
    rc_graph_t *back = NULL;
    CHECK_OK(rc_graph_save_h5(g, tmp_path(name), spec));
    CHECK_OK(rc_graph_load_h5(tmp_path(name), spec, &back));
    if (back) {
        check_same(g, back);
        check_kept_stats(g, back);
    }
    CHECK(no_tmp_files());
    return back;
}

/* A small undirected graph with three communities, built by hand. */
static rc_graph_t *community_graph(void)
{
    static const uint32_t e[][2] = {{0, 1}, {1, 2}, {2, 0}, {3, 4}, {4, 5}, {5, 3}, {2, 3}};
    rc_edges_t edges;
    rc_graph_t *g = NULL;
    CHECK_OK(rc_edges_init(&edges, 8, 0));
    for (size_t i = 0; i < sizeof e / sizeof e[0]; i++)
        CHECK_OK(rc_edges_push(&edges, e[i][0], e[i][1], 0.0f));
    CHECK_OK(rc_graph_build(7, &edges, 1, &g, NULL)); /* node 6 isolated */
    if (!g)
        return NULL;
    g->community = malloc(7 * sizeof *g->community);
    g->description = strdup("hand-made communities");
    CHECK(g->community && g->description);
    for (uint32_t u = 0; u < 7; u++)
        g->community[u] = u / 3;
    g->n_communities = 3;
    return g;
}

/* 300,000 nodes with 4 followers each: 1.2M edges, over the 1M-element chunk size. */
static rc_graph_t *chunked_graph(void)
{
    const uint32_t n = 300000;
    rc_edges_t edges;
    rc_graph_t *g = NULL;
    rc_status_t s = rc_edges_init(&edges, 4 * (uint64_t)n, 1);
    for (uint32_t u = 0; u < n && s == RC_OK; u++)
        for (uint32_t k = 1; k <= 4 && s == RC_OK; k++)
            s = rc_edges_push(&edges, u, (uint32_t)((u + k * 7919u) % n), (float)k / 8);
    CHECK_OK(s);
    CHECK_OK(rc_graph_build(n, &edges, 0, &g, NULL));
    return g;
}

/* Reads /graph/<name> (uint64) of a saved file. */
static uint64_t *read_u64(const char *path, const char *name, hsize_t *len)
{
    uint64_t *buf = NULL;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, name, H5P_DEFAULT) : -1;
    hid_t s = d >= 0 ? H5Dget_space(d) : -1;
    if (s >= 0 && H5Sget_simple_extent_dims(s, len, NULL) == 1) {
        buf = malloc((*len + 1) * sizeof *buf);
        if (buf && H5Dread(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
            free(buf);
            buf = NULL;
        }
    }
    if (s >= 0)
        H5Sclose(s);
    if (d >= 0)
        H5Dclose(d);
    if (f >= 0)
        H5Fclose(f);
    return buf;
}

static void test_roundtrips(void)
{
    /* loaded: weights and original ids */
    rc_graph_t *g = NULL;
    rc_load_options_t opt = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_AUTO,
        .weighted = 1, .undirected = 0};
    CHECK_OK(rc_graph_load_edgelist(RC_TEST_DATA "/loader_weighted.csv", &opt, &g, NULL));
    if (g) {
        rc_graph_t *back = roundtrip(g, "weighted.h5", "generator: file");
        CHECK(back && back->out_w && back->orig_id && !back->community);
        rc_graph_free(back);

        /* degree histograms: out-degrees 2,1,1,0 and in-degrees 1,1,2,0 */
        hsize_t len = 0;
        uint64_t *h = read_u64(tmp_path("weighted.h5"), "/graph/out_degree_hist", &len);
        CHECK(h && len == 3 && h[0] == 1 && h[1] == 2 && h[2] == 1);
        free(h);
        h = read_u64(tmp_path("weighted.h5"), "/graph/in_degree_hist", &len);
        CHECK(h && len == 3 && h[0] == 1 && h[1] == 2 && h[2] == 1);
        free(h);

        /* the spec must match when one is asked for; NULL accepts any cache */
        rc_graph_t *other = NULL;
        CHECK_FAILS(rc_graph_load_h5(tmp_path("weighted.h5"), "generator: star", &other),
                    RC_ERR_INPUT, "weighted.h5: cache was built from a different network spec");
        CHECK(other == NULL);
        CHECK_OK(rc_graph_load_h5(tmp_path("weighted.h5"), NULL, &other));
        rc_graph_free(other);

        /* saved without a spec: any requested spec is a mismatch */
        CHECK_OK(rc_graph_save_h5(g, tmp_path("nospec.h5"), NULL));
        CHECK_FAILS(rc_graph_load_h5(tmp_path("nospec.h5"), "generator: file", &other),
                    RC_ERR_INPUT, "different network spec");
        rc_graph_free(g);
    }

    g = community_graph();
    if (g) {
        rc_graph_t *back = roundtrip(g, "communities.h5", NULL);
        CHECK(back && back->undirected && back->community && !back->orig_id && !back->out_w);
        rc_graph_free(back);
        rc_graph_free(g);
    }

    g = chunked_graph();
    if (g) {
        CHECK(g->m == 1200000);
        rc_graph_t *back = roundtrip(g, "chunked.h5", "chunked");
        rc_graph_free(back);
        /* chunks are sized so that the last one is not padded: the arrays take 24.0 MB */
        struct stat sb;
        CHECK(stat(tmp_path("chunked.h5"), &sb) == 0 && sb.st_size < 24100000);
        /* overwriting an existing cache works (rename replaces it) */
        CHECK_OK(rc_graph_save_h5(g, tmp_path("chunked.h5"), "chunked again"));
        CHECK_OK(rc_graph_load_h5(tmp_path("chunked.h5"), "chunked again", &back));
        rc_graph_free(back);
        rc_graph_free(g);
    }
}

/* A copy of a good cache at tmp_path("damaged.h5"), changed by fn(its /graph group). */
static const char *changed_copy(const char *good, void (*fn)(hid_t grp))
{
    char cmd[600];
    static char bad[256];
    snprintf(bad, sizeof bad, "%s", tmp_path("damaged.h5"));
    snprintf(cmd, sizeof cmd, "cp %s %s", good, bad);
    CHECK(system(cmd) == 0);
    hid_t f = H5Fopen(bad, H5F_ACC_RDWR, H5P_DEFAULT);
    hid_t grp = f >= 0 ? H5Gopen2(f, "graph", H5P_DEFAULT) : -1;
    CHECK(grp >= 0);
    if (grp >= 0) {
        fn(grp);
        H5Gclose(grp);
    }
    if (f >= 0)
        H5Fclose(f);
    return bad;
}

/* Damages a copy of a good cache with fn, then expects the load to fail with `text`. */
static void expect_damaged(const char *good, void (*fn)(hid_t grp), rc_status_t code,
                           const char *text)
{
    const char *bad = changed_copy(good, fn);
    rc_graph_t *g = NULL;
    CHECK_FAILS(rc_graph_load_h5(bad, NULL, &g), code, text);
    CHECK(g == NULL);
}

static void short_out_nbr(hid_t grp)
{
    uint32_t v[10] = {0};
    hsize_t dims[1] = {10};
    H5Ldelete(grp, "out_nbr", H5P_DEFAULT);
    hid_t s = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(grp, "out_nbr", H5T_STD_U32LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(d >= 0 && H5Dwrite(d, H5T_NATIVE_UINT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
    H5Sclose(s);
}

static void bad_neighbour(hid_t grp)
{
    hid_t d = H5Dopen2(grp, "in_nbr", H5P_DEFAULT);
    hid_t fs = H5Dget_space(d);
    hsize_t start[1] = {1}, count[1] = {1};
    hid_t ms = H5Screate_simple(1, count, NULL);
    uint32_t v = 99;
    H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL);
    CHECK(H5Dwrite(d, H5T_NATIVE_UINT32, ms, fs, H5P_DEFAULT, &v) >= 0);
    H5Sclose(ms);
    H5Sclose(fs);
    H5Dclose(d);
}

static void wrong_format(hid_t grp)
{
    H5Adelete(grp, "format");
}

static void float_offsets(hid_t grp)
{
    double v[8] = {0};
    hsize_t dims[1] = {8};
    H5Ldelete(grp, "in_off", H5P_DEFAULT);
    hid_t s = H5Screate_simple(1, dims, NULL);
    hid_t d = H5Dcreate2(grp, "in_off", H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(d >= 0 && H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
    H5Sclose(s);
}

/* Writes the scalar attribute /graph/stats.name (type t) as value. */
static void set_stats_attr(hid_t grp, const char *name, hid_t t, const void *value)
{
    hid_t sg = H5Gopen2(grp, "stats", H5P_DEFAULT);
    hid_t a = sg >= 0 ? H5Aopen(sg, name, H5P_DEFAULT) : -1;
    CHECK(a >= 0 && H5Awrite(a, t, value) >= 0);
    if (a >= 0)
        H5Aclose(a);
    if (sg >= 0)
        H5Gclose(sg);
}

static void stats_of_other_graph(hid_t grp)
{
    const uint32_t nodes = 8;
    set_stats_attr(grp, "nodes", H5T_NATIVE_UINT32, &nodes);
}

static void stats_too_many_isolated(hid_t grp)
{
    const uint32_t isolated = 9;
    set_stats_attr(grp, "isolated", H5T_NATIVE_UINT32, &isolated);
}

static void stats_of_other_version(hid_t grp)
{
    const int32_t version = 99;
    set_stats_attr(grp, "version", H5T_NATIVE_INT32, &version);
}

static void stats_removed(hid_t grp)
{
    CHECK(H5Ldelete(grp, "stats", H5P_DEFAULT) >= 0);
}

static void stats_text(hid_t grp)
{
    hid_t sg = H5Gopen2(grp, "stats", H5P_DEFAULT);
    CHECK(sg >= 0 && H5Adelete(sg, "reciprocity") >= 0);
    if (sg >= 0) {
        hid_t t = H5Tcopy(H5T_C_S1), s = H5Screate(H5S_SCALAR);
        H5Tset_size(t, 4);
        hid_t a = H5Acreate2(sg, "reciprocity", t, s, H5P_DEFAULT, H5P_DEFAULT);
        CHECK(a >= 0 && H5Awrite(a, t, "high") >= 0);
        H5Aclose(a);
        H5Sclose(s);
        H5Tclose(t);
        H5Gclose(sg);
    }
}

/* Statistics kept with a graph: used when they describe it, computed again when the file has none
 * (saved before they were kept) or of another method version, refused when they describe
 * another graph or are not numbers. */
static void test_kept_stats(void)
{
    char good[256], want[512];
    snprintf(good, sizeof good, "%s", tmp_path("communities.h5"));
    rc_graph_t *g = community_graph();
    CHECK(g != NULL);
    if (g == NULL)
        return;
    rc_graph_stats_t st;
    CHECK_OK(rc_graph_compute_stats(g, &st));
    for (int k = 0; k < 2; k++) {
        rc_graph_t *back = NULL;
        CHECK_OK(rc_graph_load_h5(changed_copy(good, k ? stats_removed : stats_of_other_version),
                                  NULL, &back));
        CHECK(back != NULL && back->stats == NULL);
        if (back != NULL) {
            check_same(g, back);
            rc_graph_stats_t again;
            CHECK_OK(rc_graph_compute_stats(back, &again));
            check_same_stats(&st, &again);
        }
        rc_graph_free(back);
    }
    snprintf(want, sizeof want, "%s: /graph/stats does not describe the graph it is saved with "
             "(8 nodes, 14 edges, 3 communities there; 7, 14, 3 here)", tmp_path("damaged.h5"));
    expect_damaged(good, stats_of_other_graph, RC_ERR_INPUT, want);
    expect_damaged(good, stats_too_many_isolated, RC_ERR_INPUT, "(9 isolated nodes, largest "
                   "degrees");
    expect_damaged(good, stats_text, RC_ERR_INPUT, "attribute /graph/stats.reciprocity is not a "
                   "number");

    /* attached statistics are what the graph reports, and what a save keeps */
    st.transitivity = 0.5;
    CHECK_OK(rc_graph_attach_stats(g, &st));
    rc_graph_stats_t got;
    CHECK_OK(rc_graph_compute_stats(g, &got));
    CHECK(got.transitivity == 0.5);
    rc_graph_t *back = roundtrip(g, "attached.h5", NULL);
    CHECK(back != NULL && back->stats != NULL && back->stats->transitivity == 0.5);
    rc_graph_free(back);
    rc_graph_free(g);
}

static void test_errors(void)
{
    rc_graph_t *g = NULL;
    CHECK_FAILS(rc_graph_load_h5(tmp_path("missing.h5"), NULL, &g), RC_ERR_IO,
                "missing.h5: cannot open: No such file or directory");
    CHECK_FAILS(rc_graph_load_h5(RC_TEST_DATA "/loader_small.edges", NULL, &g), RC_ERR_INPUT,
                "loader_small.edges: not an rtcascade graph cache");
    CHECK(g == NULL);

    /* an HDF5 file that is not a cache (a results file, say) */
    hid_t f = H5Fcreate(tmp_path("other.h5"), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f >= 0);
    if (f >= 0)
        H5Fclose(f);
    CHECK_FAILS(rc_graph_load_h5(tmp_path("other.h5"), NULL, &g), RC_ERR_INPUT,
                "other.h5: not an rtcascade graph cache");

    /* damaged caches (community graph: n = 7, m = 14) */
    char good[256], want[512];
    snprintf(good, sizeof good, "%s", tmp_path("communities.h5"));
    snprintf(want, sizeof want, "%s: /graph/out_nbr has 10 elements, expected 14",
             tmp_path("damaged.h5"));
    expect_damaged(good, short_out_nbr, RC_ERR_INPUT, want);
    expect_damaged(good, bad_neighbour, RC_ERR_INPUT, "/graph/in_nbr[1] = 99 is not a valid");
    expect_damaged(good, wrong_format, RC_ERR_INPUT, "damaged.h5: not an rtcascade graph cache");
    expect_damaged(good, float_offsets, RC_ERR_INPUT, "/graph/in_off has the wrong element type");

    /* a cache cut short (a copy interrupted, say) */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "head -c 3000 %s > %s", good, tmp_path("cut.h5"));
    CHECK(system(cmd) == 0);
    CHECK_FAILS(rc_graph_load_h5(tmp_path("cut.h5"), NULL, &g), RC_ERR_INPUT,
                "cut.h5: not an rtcascade graph cache");
    CHECK(g == NULL);
}

static void test_failed_saves(void)
{
    rc_graph_t *g = community_graph();
    if (!g)
        return;
    CHECK_FAILS(rc_graph_save_h5(g, "/nonexistent-dir/graph.h5", NULL), RC_ERR_IO,
                "/nonexistent-dir/graph.h5: cannot create: No such file or directory");
    CHECK(!exists("/nonexistent-dir/graph.h5"));

    /* a cache that cannot fit (a file size limit stands in for a full disk) is refused before
     * anything is written: no temporary file remains and the cache already there is untouched */
    rc_graph_t *big = chunked_graph();
    char path[256];
    snprintf(path, sizeof path, "%s", tmp_path("kept.h5"));
    CHECK_OK(rc_graph_save_h5(g, path, "old"));
    struct rlimit old, lim;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    CHECK(getrlimit(RLIMIT_FSIZE, &old) == 0);
    lim = old;
    lim.rlim_cur = 256 * 1024;
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    rc_status_t s = big ? rc_graph_save_h5(big, path, "new") : RC_ERR_IO;
    CHECK(setrlimit(RLIMIT_FSIZE, &old) == 0);
    signal(SIGXFSZ, prev);
    CHECK(s == RC_ERR_IO && strstr(rc_error_message(), "kept.h5: cannot write: needs up to"));
    CHECK(no_tmp_files());
    rc_graph_t *back = NULL;
    CHECK_OK(rc_graph_load_h5(path, "old", &back));
    if (back)
        check_same(g, back);
    rc_graph_free(back);
    rc_graph_free(big);
    rc_graph_free(g);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rc_test_graph_h5_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_roundtrips();
    test_errors();
    test_kept_stats();
    test_failed_saves();

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return rc_test_report("test_graph_h5");
}
