/* rc_graph_load_edgelist: the shared real networks (counts against the published ones), the
 * follows/flows direction, gzip giving the same graph as plain text, CSV with a header and
 * weights, id remapping through table growth, and the exact message for every malformed input. */
#include "rc_test.h"
#include "rtcascade/graph.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", tmpdir, name);
    return buf;
}

static int has_edge(const rc_graph_t *g, uint32_t u, uint32_t v)
{
    for (uint64_t e = g->out_off[u]; e < g->out_off[u + 1]; e++)
        if (g->out_nbr[e] == v)
            return 1;
    return 0;
}

/* The dense index of original id `id`, or RC_NO_NODE. */
static uint32_t node_of(const rc_graph_t *g, uint64_t id)
{
    for (uint32_t u = 0; u < g->n; u++)
        if (g->orig_id[u] == id)
            return u;
    return RC_NO_NODE;
}

static int same_graph(const rc_graph_t *a, const rc_graph_t *b)
{
    if (a->n != b->n || a->m != b->m || a->undirected != b->undirected)
        return 0;
    size_t n1 = ((size_t)a->n + 1) * sizeof(uint64_t), m4 = a->m * sizeof(uint32_t);
    if (memcmp(a->out_off, b->out_off, n1) || memcmp(a->in_off, b->in_off, n1) ||
        memcmp(a->out_nbr, b->out_nbr, m4) || memcmp(a->in_nbr, b->in_nbr, m4) ||
        memcmp(a->orig_id, b->orig_id, a->n * sizeof(uint64_t)))
        return 0;
    if ((a->out_w == NULL) != (b->out_w == NULL))
        return 0;
    if (a->out_w && (memcmp(a->out_w, b->out_w, m4) || memcmp(a->in_w, b->in_w, m4)))
        return 0;
    return 1;
}

static rc_graph_t *load(const char *path, rc_direction_t dir, int weighted, int undirected,
                        rc_load_report_t *rep)
{
    rc_load_options_t opt = {.direction = dir, .format = RC_FORMAT_AUTO,
        .weighted = weighted, .undirected = undirected};
    rc_graph_t *g = NULL;
    CHECK_OK(rc_graph_load_edgelist(path, &opt, &g, rep));
    return g;
}

/* Gzips src into dst with zlib (so the test needs no gzip program). */
static void gzip_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    gzFile out = gzopen(dst, "wb6");
    CHECK(in != NULL && out != NULL);
    if (in && out) {
        char buf[65536];
        size_t r;
        while ((r = fread(buf, 1, sizeof buf, in)) > 0)
            CHECK(gzwrite(out, buf, (unsigned)r) == (int)r);
    }
    if (in)
        fclose(in);
    if (out)
        CHECK(gzclose(out) == Z_OK);
}

static void test_shared_careers(void)
{
    static const struct {
        const char *file;
        uint32_t nodes;
        uint64_t edges;
    } nets[] = {
        {"twitter_bofa_careers.edges", 13688, 68328},
        {"twitter_verizon_careers.edges", 9226, 59576},
        {"twitter_hershey_careers.edges", 3726, 23939},
    };
    for (size_t i = 0; i < sizeof nets / sizeof nets[0]; i++) {
        char path[512];
        rc_load_report_t rep;
        snprintf(path, sizeof path, "%s/%s", RC_SHARED_DATA, nets[i].file);
        rc_graph_t *g = load(path, RC_DIRECTION_FLOWS, 0, 0, &rep);
        if (!g)
            continue;
        CHECK_EQ_U64(g->n, nets[i].nodes);
        CHECK_EQ_U64(g->m, nets[i].edges);
        CHECK_EQ_U64(rep.edges_read, nets[i].edges);
        CHECK_EQ_U64(rep.lines, nets[i].edges + 2); /* two '#' header lines */
        CHECK_EQ_U64(rep.self_loops, 0);
        CHECK_EQ_U64(rep.duplicates, 0);
        CHECK(g->orig_id != NULL && g->out_w == NULL && !g->undirected);
        CHECK(g->description && strstr(g->description, "direction=flows"));
        rc_graph_free(g);
    }

    /* bofa: first line "10128 1117" flows 10128 -> 1117; ids numbered by first appearance */
    char path[512];
    snprintf(path, sizeof path, "%s/twitter_bofa_careers.edges", RC_SHARED_DATA);
    rc_graph_t *g = load(path, RC_DIRECTION_FLOWS, 0, 0, NULL);
    if (g) {
        CHECK_EQ_U64(g->orig_id[0], 10128);
        CHECK_EQ_U64(g->orig_id[1], 1117);
        CHECK_EQ_U64(g->orig_id[2], 12416);
        CHECK(has_edge(g, 0, 1) && has_edge(g, 2, 1) && !has_edge(g, 1, 0));

        /* the same file gzipped (by zlib) gives the identical graph */
        gzip_file(path, tmp_path("bofa.edges.gz"));
        rc_graph_t *gz = load(tmp_path("bofa.edges.gz"), RC_DIRECTION_FLOWS, 0, 0, NULL);
        CHECK(gz && same_graph(g, gz));
        rc_graph_free(gz);

        /* a truncated gzip stream and a damaged one are input errors naming the file */
        FILE *f = fopen(tmp_path("bofa.edges.gz"), "rb");
        static unsigned char zbuf[1 << 20];
        size_t zlen = f ? fread(zbuf, 1, sizeof zbuf, f) : 0;
        if (f)
            fclose(f);
        CHECK(zlen > 1000 && zlen < sizeof zbuf);
        f = fopen(tmp_path("trunc.edges.gz"), "wb");
        CHECK(f && fwrite(zbuf, 1, zlen / 2, f) == zlen / 2);
        if (f)
            fclose(f);
        rc_graph_t *bad = NULL;
        CHECK_FAILS(rc_graph_load_edgelist(tmp_path("trunc.edges.gz"), NULL, &bad, NULL),
                    RC_ERR_INPUT, "trunc.edges.gz: corrupt or truncated gzip data");
        CHECK(bad == NULL);
        for (size_t k = zlen / 3; k < zlen / 3 + 64; k++)
            zbuf[k] ^= 0x5a;
        f = fopen(tmp_path("damaged.edges.gz"), "wb");
        CHECK(f && fwrite(zbuf, 1, zlen, f) == zlen);
        if (f)
            fclose(f);
        rc_status_t s = rc_graph_load_edgelist(tmp_path("damaged.edges.gz"), NULL, &bad, NULL);
        /* flipped bytes either break the deflate stream or the CRC, or (rarely) make a bad line */
        CHECK(s == RC_ERR_INPUT && strstr(rc_error_message(), "damaged.edges.gz"));
        CHECK(bad == NULL);
        rc_graph_free(g);
    }

    /* undirected: reciprocal pairs collapse (hershey has 9,022 reciprocated directed edges) */
    snprintf(path, sizeof path, "%s/twitter_hershey_careers.edges", RC_SHARED_DATA);
    rc_load_report_t rep;
    g = load(path, RC_DIRECTION_FLOWS, 0, 1, &rep);
    if (g) {
        CHECK(g->undirected);
        CHECK_EQ_U64(g->m, 2 * 19428);
        CHECK_EQ_U64(rep.duplicates, 9022);
        CHECK(strstr(g->description, "undirected=true"));
        rc_graph_free(g);
    }
}

static void test_ego_follows(void)
{
    char path[512];
    rc_load_report_t rep;
    snprintf(path, sizeof path, "%s/twitter_ego_12831.edges", RC_SHARED_DATA);
    rc_graph_t *fol = load(path, RC_DIRECTION_FOLLOWS, 0, 0, &rep);
    rc_graph_t *flo = load(path, RC_DIRECTION_FLOWS, 0, 0, NULL);
    if (!fol || !flo) {
        rc_graph_free(fol);
        rc_graph_free(flo);
        return;
    }
    CHECK_EQ_U64(fol->n, 236);
    CHECK_EQ_U64(rep.lines, 2478); /* the last line has no newline and still counts */
    CHECK_EQ_U64(rep.edges_read, 2478);
    CHECK_EQ_U64(rep.self_loops, 1);
    CHECK_EQ_U64(rep.duplicates, 0);
    CHECK_EQ_U64(fol->m, 2477);
    CHECK(strstr(fol->description, "direction=follows"));

    /* first line "398874773 652193": 398874773 follows 652193, so 652193 -> 398874773 */
    uint32_t a = node_of(fol, 398874773), b = node_of(fol, 652193);
    CHECK(a == 0 && b == 1);
    CHECK(has_edge(fol, b, a) && !has_edge(fol, a, b));
    CHECK(has_edge(flo, a, b) && !has_edge(flo, b, a));
    /* last line "8479062 14367669" (no trailing newline) was read */
    a = node_of(fol, 8479062);
    b = node_of(fol, 14367669);
    CHECK(a != RC_NO_NODE && b != RC_NO_NODE && has_edge(fol, b, a));

    /* same numbering either way, and follows is exactly flows transposed */
    size_t n1 = ((size_t)fol->n + 1) * sizeof(uint64_t), m4 = fol->m * sizeof(uint32_t);
    CHECK(memcmp(fol->orig_id, flo->orig_id, fol->n * sizeof(uint64_t)) == 0);
    CHECK(memcmp(fol->out_off, flo->in_off, n1) == 0);
    CHECK(memcmp(fol->in_off, flo->out_off, n1) == 0);
    CHECK(memcmp(fol->out_nbr, flo->in_nbr, m4) == 0);
    CHECK(memcmp(fol->in_nbr, flo->out_nbr, m4) == 0);
    rc_graph_free(fol);
    rc_graph_free(flo);
}

static void test_small_snap(void)
{
    rc_load_report_t rep;
    rc_graph_t *g = load(RC_TEST_DATA "/loader_small.edges", RC_DIRECTION_FLOWS, 0, 0, &rep);
    rc_graph_t *gz = load(RC_TEST_DATA "/loader_small.edges.gz", RC_DIRECTION_FLOWS, 0, 0, NULL);
    if (g) {
        static const uint64_t ids[] = {100, 200, 300, 400, 500};
        static const uint64_t out_off[] = {0, 2, 3, 4, 4, 5};
        static const uint32_t out_nbr[] = {1, 2, 2, 0, 0};
        static const uint64_t in_off[] = {0, 2, 3, 5, 5, 5};
        static const uint32_t in_nbr[] = {2, 4, 0, 0, 1};
        CHECK_EQ_U64(g->n, 5);
        CHECK_EQ_U64(g->m, 5);
        CHECK_EQ_U64(rep.lines, 12);
        CHECK_EQ_U64(rep.edges_read, 7);
        CHECK_EQ_U64(rep.self_loops, 1);
        CHECK_EQ_U64(rep.duplicates, 1);
        CHECK(memcmp(g->orig_id, ids, sizeof ids) == 0);
        CHECK(memcmp(g->out_off, out_off, sizeof out_off) == 0);
        CHECK(memcmp(g->out_nbr, out_nbr, sizeof out_nbr) == 0);
        CHECK(memcmp(g->in_off, in_off, sizeof in_off) == 0);
        CHECK(memcmp(g->in_nbr, in_nbr, sizeof in_nbr) == 0);
        CHECK(strstr(g->description, "format=snap"));
    }
    CHECK(g && gz && same_graph(g, gz));
    rc_graph_free(g);
    rc_graph_free(gz);

    /* the largest id there is is an id; one more overflows */
    rc_graph_t *bad = NULL;
    CHECK_FAILS(rc_graph_load_edgelist(RC_TEST_DATA "/loader_overflow.edges", NULL, &bad, NULL),
                RC_ERR_INPUT,
                RC_TEST_DATA "/loader_overflow.edges:3: id 99999999999999999999 overflows 64 bits");
    CHECK(bad == NULL);
}

static void test_csv_weighted(void)
{
    rc_load_report_t rep;
    rc_graph_t *g = load(RC_TEST_DATA "/loader_weighted.csv", RC_DIRECTION_FLOWS, 1, 0, &rep);
    if (!g)
        return;
    static const uint64_t ids[] = {10, 20, 30, 40};
    static const uint64_t out_off[] = {0, 2, 3, 4, 4};
    static const uint32_t out_nbr[] = {1, 2, 2, 0};
    static const float out_w[] = {0.5f, 2.0f, 1.5f, 0.25f}; /* duplicate 10,20,9 dropped */
    static const uint64_t in_off[] = {0, 1, 2, 4, 4};
    static const uint32_t in_nbr[] = {2, 0, 0, 1};
    static const float in_w[] = {0.25f, 0.5f, 2.0f, 1.5f};
    CHECK_EQ_U64(g->n, 4);
    CHECK_EQ_U64(g->m, 4);
    CHECK_EQ_U64(rep.lines, 7);
    CHECK_EQ_U64(rep.edges_read, 6);
    CHECK_EQ_U64(rep.self_loops, 1);
    CHECK_EQ_U64(rep.duplicates, 1);
    CHECK(g->out_w && g->in_w);
    CHECK(memcmp(g->orig_id, ids, sizeof ids) == 0);
    CHECK(memcmp(g->out_off, out_off, sizeof out_off) == 0);
    CHECK(memcmp(g->out_nbr, out_nbr, sizeof out_nbr) == 0);
    CHECK(memcmp(g->in_off, in_off, sizeof in_off) == 0);
    CHECK(memcmp(g->in_nbr, in_nbr, sizeof in_nbr) == 0);
    if (g->out_w) {
        CHECK(memcmp(g->out_w, out_w, sizeof out_w) == 0);
        CHECK(memcmp(g->in_w, in_w, sizeof in_w) == 0);
    }
    CHECK(strstr(g->description, "format=csv weighted=true"));
    rc_graph_free(g);

    /* the same file read unweighted: three columns are one too many */
    rc_graph_t *bad = NULL;
    CHECK_FAILS(rc_graph_load_edgelist(RC_TEST_DATA "/loader_weighted.csv", NULL, &bad, NULL),
                RC_ERR_INPUT,
                RC_TEST_DATA "/loader_weighted.csv:2: expected 2 columns (source,target), got 3");
    CHECK(bad == NULL);

    /* a SNAP-format weighted list, and weights given as NaN or inf are refused */
    FILE *f = fopen(tmp_path("w.edges"), "w");
    CHECK(f != NULL);
    if (f) {
        fputs("1 2 0.5\n2 1 1e-3\n", f);
        fclose(f);
    }
    g = load(tmp_path("w.edges"), RC_DIRECTION_FOLLOWS, 1, 0, NULL);
    if (g) {
        CHECK(g->n == 2 && g->m == 2 && g->out_w);
        CHECK(g->out_w[0] == 1e-3f && g->out_w[1] == 0.5f); /* follows: 2->1 is 0.5 */
        rc_graph_free(g);
    }
    f = fopen(tmp_path("nan.csv"), "w");
    if (f) {
        fputs("1,2,nan\n", f);
        fclose(f);
    }
    /* quoted CSV fields and a quoted header; the format forced on a name without .csv */
    f = fopen(tmp_path("quoted.txt"), "w");
    if (f) {
        fputs("\"from\", \"to\"\n\"7\",\"9\"\n 9 , 7 \n", f);
        fclose(f);
    }
    rc_load_options_t copt = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_CSV,
        .weighted = 0, .undirected = 0};
    CHECK_OK(rc_graph_load_edgelist(tmp_path("quoted.txt"), &copt, &g, NULL));
    if (g) {
        CHECK(g->n == 2 && g->m == 2 && g->orig_id[0] == 7 && g->orig_id[1] == 9);
        rc_graph_free(g);
        g = NULL;
    }
    rc_load_options_t wopt = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_AUTO,
        .weighted = 1, .undirected = 0};
    char want[512];
    snprintf(want, sizeof want, "%s:1: expected a finite number as weight, got 'nan'",
             tmp_path("nan.csv"));
    CHECK_FAILS(rc_graph_load_edgelist(tmp_path("nan.csv"), &wopt, &bad, NULL), RC_ERR_INPUT, want);
}

/* Every malformed fixture fails with exactly this message and status. */
static void test_malformed(void)
{
    static const struct {
        const char *file;
        int weighted;
        const char *message; /* after "PATH" */
    } cases[] = {
        {"loader_bad_token.edges", 0, ":3: expected an unsigned integer node id, got 'abc'"},
        {"loader_missing_column.edges", 0, ":2: expected 2 columns (source target), got 1"},
        {"loader_extra_column.edges", 0, ":2: expected 2 columns (source target), got 3"},
        {"loader_overflow.edges", 0, ":3: id 99999999999999999999 overflows 64 bits"},
        {"loader_empty.edges", 0, ": no edges found"},
        {"loader_comments.edges", 0, ": no edges found"},
        {"loader_bad_weight.csv", 1, ":3: expected a finite number as weight, got 'x'"},
        {"loader_negative_weight.csv", 1, ":1: expected a non-negative weight, got '-0.5'"},
        {"loader_small.edges", 1, ":4: expected 3 columns (source target weight), got 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], want[1024];
        snprintf(path, sizeof path, "%s/%s", RC_TEST_DATA, cases[i].file);
        snprintf(want, sizeof want, "%s%s", path, cases[i].message);
        rc_load_options_t opt = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_AUTO,
            .weighted = cases[i].weighted, .undirected = 0};
        rc_graph_t *g = NULL;
        rc_status_t s = rc_graph_load_edgelist(path, &opt, &g, NULL);
        CHECK(s == RC_ERR_INPUT);
        CHECK(g == NULL);
        if (strcmp(rc_error_message(), want) != 0) {
            CHECK(!"message");
            fprintf(stderr, "  got      '%s'\n  expected '%s'\n", rc_error_message(), want);
        }
    }

    rc_graph_t *g = NULL;
    CHECK_FAILS(rc_graph_load_edgelist(RC_TEST_DATA "/no_such_file.edges", NULL, &g, NULL),
                RC_ERR_IO, RC_TEST_DATA "/no_such_file.edges: cannot open: No such file");
    CHECK_FAILS(rc_graph_load_edgelist(RC_TEST_DATA, NULL, &g, NULL), RC_ERR_IO,
                "cannot open: Is a directory");
    CHECK(g == NULL);

    /* a forced SNAP read of CSV text sees one column, and a long token is shortened */
    rc_load_options_t snap = {.direction = RC_DIRECTION_FLOWS, .format = RC_FORMAT_SNAP,
        .weighted = 0, .undirected = 0};
    CHECK_FAILS(rc_graph_load_edgelist(RC_TEST_DATA "/loader_negative_weight.csv", &snap, &g, NULL),
                RC_ERR_INPUT,
                "loader_negative_weight.csv:1: expected 2 columns (source target), got 1");
    FILE *f = fopen(tmp_path("long.edges"), "w");
    if (f) {
        fputs("1 2\n3 ", f);
        for (int i = 0; i < 100; i++)
            fputc('x', f);
        fputc('\n', f);
        fclose(f);
    }
    CHECK_FAILS(rc_graph_load_edgelist(tmp_path("long.edges"), NULL, &g, NULL), RC_ERR_INPUT,
                ":2: expected an unsigned integer node id, got "
                "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'");
    /* negative ids are not ids */
    f = fopen(tmp_path("neg.edges"), "w");
    if (f) {
        fputs("1 -2\n", f);
        fclose(f);
    }
    CHECK_FAILS(rc_graph_load_edgelist(tmp_path("neg.edges"), NULL, &g, NULL), RC_ERR_INPUT,
                ":1: expected an unsigned integer node id, got '-2'");
    CHECK(g == NULL);
}

/* Many distinct, scattered 64-bit ids (forcing the id table to grow several times) and a
 * comment line longer than the read buffer. */
static void test_remap_and_long_lines(void)
{
    const uint32_t n = 300000;
    FILE *f = fopen(tmp_path("path.edges"), "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("# ", f);
    for (int i = 0; i < (9 << 20); i++)
        fputc('-', f);
    fputc('\n', f);
    uint64_t prev = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t id = (uint64_t)i * 0x9e3779b97f4a7c15ULL + 12345; /* distinct: odd multiplier */
        if (i > 0)
            fprintf(f, "%llu %llu\n", (unsigned long long)prev, (unsigned long long)id);
        prev = id;
    }
    fclose(f);
    rc_load_report_t rep;
    rc_graph_t *g = load(tmp_path("path.edges"), RC_DIRECTION_FLOWS, 0, 0, &rep);
    if (!g)
        return;
    CHECK_EQ_U64(g->n, n);
    CHECK_EQ_U64(g->m, n - 1);
    CHECK_EQ_U64(rep.lines, n);
    int ok = 1;
    for (uint32_t i = 0; i < n; i++) {
        if (g->orig_id[i] != (uint64_t)i * 0x9e3779b97f4a7c15ULL + 12345)
            ok = 0;
        if (i + 1 < n && (rc_graph_out_degree(g, i) != 1 || g->out_nbr[g->out_off[i]] != i + 1))
            ok = 0;
    }
    CHECK(ok);
    rc_graph_free(g);

    /* lines are parsed in batches: an error far into the file still names its own line */
    f = fopen(tmp_path("path.edges"), "a");
    if (f) {
        fputs("1 2 3\n", f);
        fclose(f);
    }
    char want[512];
    snprintf(want, sizeof want, "%s:%u: expected 2 columns (source target), got 3",
             tmp_path("path.edges"), n + 1);
    CHECK_FAILS(rc_graph_load_edgelist(tmp_path("path.edges"), NULL, &g, NULL), RC_ERR_INPUT, want);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rc_test_loader_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_shared_careers();
    test_ego_follows();
    test_small_snap();
    test_csv_weighted();
    test_malformed();
    test_remap_and_long_lines();

    static const char *const made[] = {"bofa.edges.gz", "trunc.edges.gz", "damaged.edges.gz",
                                       "w.edges",       "nan.csv",        "quoted.txt",
                                       "long.edges",    "neg.edges",      "path.edges"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        unlink(tmp_path(made[i]));
    rmdir(tmpdir);
    return rc_test_report("test_loader");
}
