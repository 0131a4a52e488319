/* rc_cascades_read and the cascade container: the exact message for every malformed file
 * (tests/data/fit/), the shared real data sets (auspol: 3,333 cascades / 10,504 events;
 * seismic_tweet: one cascade of 15,563 events), gzip read like plain text, observation windows
 * (default, global, per-cascade column), the event cap, arrays, subsets and censoring. */
#include "rc_test.h"
#include "rtcascade/cascades.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define FIT_DATA RC_TEST_DATA "/fit/"
#define AUSPOL RC_FIT_REAL "/auspol_retweet_cascades.csv"
#define SEISMIC RC_FIT_REAL "/seismic_tweet.csv"

/* The reader fails on `name` with RC_ERR_INPUT and exactly "<path>:<rest>". */
static void check_bad(const char *name, const char *rest)
{
    char path[512], want[1024];
    rc_cascades_t *cs = (rc_cascades_t *)1;
    snprintf(path, sizeof path, FIT_DATA "%s", name);
    snprintf(want, sizeof want, "%s:%s", path, rest);
    rc_status_t s = rc_cascades_read(path, NULL, &cs);
    CHECK(s == RC_ERR_INPUT);
    CHECK(cs == NULL);
    if (strcmp(rc_error_message(), want) != 0) {
        rc_test_failures++;
        fprintf(stderr, "%s: message\n  '%s'\nexpected\n  '%s'\n", name, rc_error_message(), want);
    }
    rc_test_checks++;
}

static void test_bad_files(void)
{
    check_bad("missing_column.csv",
              "1: expected a column named 'time_s' in the header, got 'cascade,time,followers'");
    check_bad("text_time.csv", "3: expected a number in column 'time_s', got 'abc'");
    check_bad("negative_mark.csv",
              "3: expected a finite number >= 0 in column 'followers', got '-3'");
    check_bad("infinite_mark.csv",
              "3: expected a finite number >= 0 in column 'followers', got 'inf'");
    check_bad("unsorted.csv", "4: expected the rows of cascade '0' sorted by time, got 5 after 10 "
                              "(sort each cascade's rows by time)");
    check_bad("first_not_zero.csv",
              "3: expected the first row of cascade '1' (the original post) at time 0, got 3 "
              "(shift the cascade's times so that the post is at 0, or add the post's row)");
    check_bad("reappear.csv", "4: expected the rows of cascade '0' to be contiguous, but it "
                              "reappears after cascade '1' (sort the rows by cascade)");
    check_bad("empty.csv", "1: expected a header line naming the columns, got an empty file");
    check_bad("header_only.csv", "2: expected data rows after the header, got none");
    check_bad("short_row.csv", "3: expected 3 columns as in the header, got 2");

    rc_cascades_t *cs = NULL;
    CHECK_FAILS(rc_cascades_read(FIT_DATA "no_such_file.csv", NULL, &cs), RC_ERR_IO, "cannot open");
    rc_cascades_read_options_t o = rc_cascades_read_defaults();
    o.obs_time = -1;
    CHECK_FAILS(rc_cascades_read(AUSPOL, &o, &cs), RC_ERR_CONFIG, "obs_time");

    /* a cascade without events can only come from arrays */
    const size_t off[4] = {0, 2, 2, 3};
    const double t[3] = {0, 1, 0};
    CHECK_FAILS(rc_cascades_from_arrays(3, off, t, NULL, NULL, NULL, &cs), RC_ERR_INPUT,
                "cascade 1 (id '1'): expected at least one event (the original post), got none");
    const size_t off2[2] = {0, 2};
    const double t2[2] = {0, -1}, t3[2] = {2, 3}, m2[2] = {1, -1};
    CHECK_FAILS(rc_cascades_from_arrays(1, off2, t2, NULL, NULL, NULL, &cs), RC_ERR_INPUT,
                "event 1: expected times sorted");
    CHECK_FAILS(rc_cascades_from_arrays(1, off2, t3, NULL, NULL, NULL, &cs), RC_ERR_INPUT,
                "expected the original post at time 0");
    const double t4[2] = {0, 1};
    CHECK_FAILS(rc_cascades_from_arrays(1, off2, t4, m2, NULL, NULL, &cs), RC_ERR_INPUT,
                "cascade 0 (id '0'), event 1: expected a finite mark >= 0, got -1");
}

static void test_small(void)
{
    rc_cascades_read_options_t o = {"id", "t", "m", 0.0, "T", 0};
    rc_cascades_t *cs = NULL;
    CHECK_OK(rc_cascades_read(FIT_DATA "small.csv", &o, &cs));
    if (!cs)
        return;
    /* a: T = 50 keeps 0, 10 and drops 60; b: T = 5 keeps 0, 4, 5 and drops 6 */
    CHECK_EQ_U64(cs->n, 2);
    CHECK_EQ_U64(cs->n_events, 5);
    CHECK_EQ_U64(cs->n_dropped, 2);
    CHECK(strcmp(cs->id[0], "a") == 0 && strcmp(cs->id[1], "b") == 0);
    CHECK(cs->obs_time[0] == 50 && cs->obs_time[1] == 5);
    CHECK(cs->time[1] == 10 && cs->mark[1] == 5 && cs->time[4] == 5 && cs->mark[4] == 1);

    rc_cascades_t *cut = NULL, *sub = NULL;
    CHECK_OK(rc_cascades_censor(cs, 4.5, NULL, &cut));
    CHECK_EQ_U64(cut->n_events, 3); /* a: 0 | b: 0, 4 */
    CHECK(cut->obs_time[0] == 4.5 && cut->obs_time[1] == 4.5);
    CHECK(strcmp(cut->id[1], "b") == 0);
    const size_t idx[3] = {1, 1, 0};
    CHECK_OK(rc_cascades_subset(cs, idx, 3, &sub));
    CHECK_EQ_U64(sub->n_events, 8);
    CHECK(strcmp(sub->id[0], "b") == 0 && strcmp(sub->id[2], "a") == 0);
    CHECK(sub->time[7] == 10 && sub->obs_time[2] == 50);
    const size_t bad = 2;
    rc_cascades_t *none = NULL;
    CHECK_FAILS(rc_cascades_subset(cs, &bad, 1, &none), RC_ERR_CONFIG, "out of range");
    rc_cascades_free(cut);
    rc_cascades_free(sub);

    /* the cap: 2 events per cascade; b loses its row at 5 to the cap (T_c = 4, its last kept
     * event), a only loses rows after its window (T_c stays 50) */
    o.max_events = 2;
    rc_cascades_t *cap = NULL;
    CHECK_OK(rc_cascades_read(FIT_DATA "small.csv", &o, &cap));
    CHECK_EQ_U64(cap->n_events, 4);
    CHECK(cap->obs_time[0] == 50 && cap->obs_time[1] == 4);
    rc_cascades_free(cap);
    rc_cascades_free(cs);
    rc_cascades_free(NULL);
}

/* Writes `src` gzip-compressed to a temporary file; returns its path (static buffer). */
static const char *gzip_copy(const char *src)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/rc_fit_cascades_%d.csv.gz", (int)getpid());
    FILE *in = fopen(src, "rb");
    gzFile out = gzopen(path, "wb");
    char buf[65536];
    size_t k;
    while (in && out && (k = fread(buf, 1, sizeof buf, in)) > 0)
        gzwrite(out, buf, (unsigned)k);
    if (in)
        fclose(in);
    if (out)
        gzclose(out);
    return path;
}

static void test_auspol(void)
{
    rc_cascades_t *cs = NULL, *gz = NULL, *win = NULL;
    CHECK_OK(rc_cascades_read(AUSPOL, NULL, &cs));
    if (!cs)
        return;
    CHECK_EQ_U64(cs->n, 3333);
    CHECK_EQ_U64(cs->n_events, 10504);
    CHECK_EQ_U64(cs->n_dropped, 0);
    CHECK(strcmp(cs->id[0], "0") == 0 && strcmp(cs->id[3332], "3332") == 0);
    CHECK_EQ_U64(rc_cascades_size(cs, 1), 4); /* 0, 1124, 1329, 5822 */
    CHECK(cs->obs_time[1] == 5822 && cs->mark[0] == 58);
    const char *path = gzip_copy(AUSPOL);
    CHECK_OK(rc_cascades_read(path, NULL, &gz));
    if (gz) {
        CHECK(gz->n == cs->n && gz->n_events == cs->n_events);
        CHECK(memcmp(gz->time, cs->time, cs->n_events * sizeof(double)) == 0);
        CHECK(memcmp(gz->mark, cs->mark, cs->n_events * sizeof(double)) == 0);
        CHECK(memcmp(gz->offset, cs->offset, (cs->n + 1) * sizeof(size_t)) == 0);
    }
    unlink(path);
    rc_cascades_read_options_t o = rc_cascades_read_defaults();
    o.obs_time = 3600;
    CHECK_OK(rc_cascades_read(AUSPOL, &o, &win));
    if (win) {
        size_t kept = 0;
        for (size_t e = 0; e < cs->n_events; e++)
            kept += cs->time[e] <= 3600;
        CHECK_EQ_U64(win->n_events, kept);
        CHECK_EQ_U64(win->n_dropped, cs->n_events - kept);
        CHECK(win->obs_time[5] == 3600);
    }
    rc_cascades_free(cs);
    rc_cascades_free(gz);
    rc_cascades_free(win);
}

static void test_seismic(void)
{
    rc_cascades_read_options_t o = {NULL, "relative_time_second", "number_of_followers", 0, NULL,
                                    0};
    rc_cascades_t *cs = NULL;
    CHECK_OK(rc_cascades_read(SEISMIC, &o, &cs));
    if (!cs)
        return;
    CHECK_EQ_U64(cs->n, 1);
    CHECK_EQ_U64(cs->n_events, 15563);
    CHECK(cs->mark[0] == 2290 && cs->time[1] == 11 && cs->time[15562] == 604257);
    CHECK(cs->obs_time[0] == 604257);
    CHECK(strcmp(cs->id[0], "0") == 0);
    rc_cascades_free(cs);
}

int main(void)
{
    test_bad_files();
    test_small();
    test_auspol();
    test_seismic();
    return rc_test_report("test_fit_cascades");
}
