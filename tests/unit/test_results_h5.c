/* HDF5 results file: a small sweep written and read back table by table; refusing to
 * overwrite; resume after an interrupt gives the same /runs as an uninterrupted run; mismatched
 * experiments are refused; unwritable paths and a full disk (the file size limit). Crash
 * recovery is in test_results_crash.c.
 *
 * With an argument, writes a complete sample file there (for tests/integration/test_rcload.py)
 * and a partial one beside it (<path>.partial.h5, 3 of 8 points). */
#include "io/h5util.h"
#include "io/results_prep.h"
#include "results_fixture.h"

#include <zlib.h>

/* Fabricates a timed result from an untimed one (t50 <= t90 <= final), to check /curves/time
 * without depending on a timed model. */
static void make_timed(rc_mc_results_t *r)
{
    r->timed = 1;
    r->t50 = malloc(r->runs * sizeof *r->t50);
    r->t90 = malloc(r->runs * sizeof *r->t90);
    r->final_time = malloc(r->runs * sizeof *r->final_time);
    for (uint64_t k = 0; k < r->runs; k++) {
        r->final_time[k] = r->size[k] > 1 ? 0.5 * (double)(k % 97 + 1) : 0.0;
        r->t50[k] = 0.3 * r->final_time[k];
        r->t90[k] = 0.8 * r->final_time[k];
    }
    rc_mc_summarize(r);
}

static void test_write_and_read(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/sub/dir/full.h5"); /* parents are created */
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    CHECK(exists(path) && exists(jpath));
    CHECK_EQ_U64(rc_results_points_done(r), 0);
    write_points(r, fx, 0, fx->ex->n_points);
    /* the network again is a no-op; a point again is a bug */
    CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
    CHECK_FAILS(rc_results_write_point(r, fx->res[0]), RC_ERR_INTERNAL, "already");
    CHECK_EQ_U64(rc_results_points_done(r), 8);
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath)); /* complete: journal gone */
    check_complete_file(path, fx);

    /* refusing to overwrite, then --force */
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 0, &r), RC_ERR_EXISTS, "exists");
    CHECK(r == NULL);
    CHECK(runs_match_fixture(path, fx));
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 1, &r));
    CHECK_OK(rc_results_close(r));
    runs_cols_t c;
    CHECK(read_runs(path, &c) && c.n == 0);
    free_runs(&c);

    /* resuming a complete file does nothing and touches nothing */
    char *full2 = cat(dir, "/full2.h5");
    CHECK_OK(rc_results_create(full2, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 8);
    CHECK_OK(rc_results_close(r));
    struct stat before, after;
    stat(full2, &before);
    CHECK_OK(rc_results_open_resume(full2, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 8);
    CHECK(strstr(rc_results_note(r), "already done") != NULL);
    CHECK_OK(rc_results_close(r));
    stat(full2, &after);
    CHECK(before.st_mtime == after.st_mtime && before.st_size == after.st_size);

    /* describe */
    char *info = cat(dir, "/info.txt");
    FILE *out = fopen(info, "w+");
    CHECK_OK(rc_results_describe(full2, out));
    rewind(out);
    char text[8192] = {0};
    size_t got = fread(text, 1, sizeof text - 1, out);
    fclose(out);
    CHECK(got > 0 && strstr(text, "results_test") && strstr(text, "complete: all 8 points") &&
          strstr(text, "model.p = 0.1, 0.35") && strstr(text, "random, top_followers") &&
          strstr(text, "one_seed, three_seeds") && strstr(text, "300 per point; 2400 in /runs"));
    char *missing = cat(dir, "/missing.h5");
    CHECK_FAILS(rc_results_describe(missing, stdout), RC_ERR_IO, "cannot open");
    free(missing);
    CHECK_FAILS(rc_results_describe(info, stdout), RC_ERR_INPUT, "not an rtcascade results");
    free(info);
    free(full2);
    free(path);
    free(jpath);
}

static void test_timed(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/timed.h5");
    rc_results_t *r = NULL;
    make_timed(fx->res[5]);
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    CHECK_OK(rc_results_write_point(r, fx->res[5]));
    CHECK_OK(rc_results_close(r));
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    uint64_t *tp = NULL, n = 0;
    double *t = NULL, *c50 = NULL, *cfin = NULL, *t50 = NULL;
    CHECK_OK(rc_rh5_read_col_u64(f, "curves/time", "point", &tp, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "t", &t, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "cdf_t50", &c50, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "curves/time", "cdf_final_time", &cfin, &n, path));
    CHECK_OK(rc_rh5_read_col_f64(f, "runs", "t50", &t50, &n, path));
    CHECK(n == RUNS && memcmp(t50, fx->res[5]->t50, RUNS * sizeof *t50) == 0);
    CHECK_OK(rc_rh5_rows(f, "curves/time", &n, path));
    CHECK_EQ_U64(n, 41);
    for (uint64_t i = 0; i < n && tp && t && c50 && cfin; i++) {
        CHECK_EQ_U64(tp[i], 5);
        if (i > 0)
            CHECK(t[i] > t[i - 1] && c50[i] >= c50[i - 1] && cfin[i] >= cfin[i - 1]);
        CHECK(c50[i] >= cfin[i]); /* half is reached before all */
    }
    CHECK(n == 41 && t && cfin && t[40] == 0.5 * 97 && cfin[40] == 1.0);
    free(tp);
    free(t);
    free(c50);
    free(cfin);
    free(t50);
    H5Fclose(f);
    /* the file is incomplete: its journal stays for --resume */
    char *jpath = cat(path, ".journal");
    CHECK(exists(jpath));
    free(jpath);
    free(path);
}

/* Interrupted after 3 points, resumed, finished: the same file as an uninterrupted run. */
static void test_resume(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/resume.h5");
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 3);
    CHECK_OK(rc_results_close(r));
    CHECK(exists(jpath));
    /* a plain create refuses; so does a create when only the journal is left */
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 0, &r), RC_ERR_EXISTS, "--resume");

    /* different experiments are refused, naming the difference */
    rc_experiment_t *other = variant("seed: 11", "seed: 12");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "seed 11");
    rc_experiment_free(other);
    other = variant("runs: 300", "runs: 301");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "300 runs");
    rc_experiment_free(other);
    other = variant("p: 0.1}", "p: 0.2}");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "different config");
    rc_experiment_free(other);
    other = variant("[0.1, 0.35]", "[0.1, 0.35, 0.5]");
    CHECK_FAILS(rc_results_open_resume(path, other, &prov, &r), RC_ERR_MISMATCH, "8 points");
    rc_experiment_free(other);

    rc_results_provenance_t again = {"rtcascade run test.yaml --resume", NULL, NULL};
    CHECK_OK(rc_results_open_resume(path, fx->ex, &again, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 3);
    for (size_t p = 0; p < 8; p++)
        CHECK(rc_results_point_done(r, p) == (p < 3));
    CHECK(!rc_results_point_done(r, 99));
    /* a second writer is refused while this one holds the file */
    rc_results_t *r2 = NULL;
    CHECK_FAILS(rc_results_open_resume(path, fx->ex, &prov, &r2), RC_ERR_IO, "another");
    CHECK_FAILS(rc_results_create(path, fx->ex, &prov, 1, &r2), RC_ERR_IO, "another");
    write_points(r, fx, 3, 8);
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath));
    check_complete_file(path, fx);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char *s = NULL;
    CHECK_OK(rc_h5_read_str(f, "resumed", &s, path));
    CHECK(s && strstr(s, "--resume") != NULL);
    free(s);
    CHECK_OK(rc_h5_read_str(f, "command_line", &s, path)); /* the original is kept */
    CHECK(s && strcmp(s, prov.command_line) == 0);
    free(s);
    H5Fclose(f);

    /* --resume with nothing there starts a new file */
    char *fresh = cat(dir, "/fresh.h5");
    CHECK_OK(rc_results_open_resume(fresh, fx->ex, &prov, &r));
    CHECK(strstr(rc_results_note(r), "new") != NULL);
    write_points(r, fx, 0, 8);
    CHECK_OK(rc_results_close(r));
    CHECK(runs_match_fixture(fresh, fx));
    free(fresh);
    free(path);
    free(jpath);
}

static void test_unwritable(const fixture_t *fx, const char *dir)
{
    rc_results_t *r = NULL;
    CHECK_FAILS(rc_results_create("/etc/passwd/x.h5", fx->ex, &prov, 0, &r), RC_ERR_IO,
                "/etc/passwd/x.h5");
    CHECK_FAILS(rc_results_create("/proc/rc_results_test.h5", fx->ex, &prov, 0, &r), RC_ERR_IO,
                "/proc/rc_results_test.h5");
    CHECK_FAILS(rc_results_create(dir, fx->ex, &prov, 1, &r), RC_ERR_IO, "folder");
    CHECK(r == NULL);
}

/* A write that would pass the file size limit (as a full disk would) is refused before
 * anything is written, with a one-line error; the file keeps its points and resumes. */
static void test_file_limit(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/limited.h5");
    pid_t pid = fork();
    if (pid == 0) {
        rc_results_t *r = NULL;
        struct stat sb;
        if (rc_results_create(path, fx->ex, &prov, 0, &r) != RC_OK ||
            rc_results_write_network(r, 0, fx->g, &fx->st) != RC_OK ||
            rc_results_write_point(r, fx->res[0]) != RC_OK ||
            rc_results_write_point(r, fx->res[1]) != RC_OK || stat(path, &sb) != 0)
            _exit(2);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {(rlim_t)sb.st_size + 4096, (rlim_t)sb.st_size + 4096};
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
            _exit(3);
        rc_status_t s = rc_results_write_point(r, fx->res[2]);
        const char *msg = rc_error_message();
        int ok = s == RC_ERR_IO && strstr(msg, path) && strstr(msg, "file size limit") &&
                 strchr(msg, '\n') == NULL;
        if (!ok)
            fprintf(stderr, "file limit: status %d '%s'\n", (int)s, msg);
        rc_results_close(r);
        _exit(ok ? 0 : 4);
    }
    int wst = 0;
    waitpid(pid, &wst, 0);
    CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 2);
    for (size_t p = 2; p < 8 && r; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    check_complete_file(path, fx);
    free(path);
}

/* Sample files for the Python test: complete, and 3 of 8 points done. */
static int write_samples(const char *path)
{
    fixture_t fx;
    fixture_init(&fx, config_yaml);
    rc_results_t *r = NULL;
    char *partial = cat(path, ".partial.h5");
    char *pj = cat(partial, ".journal");
    unlink(path);
    unlink(partial);
    unlink(pj);
    int ok = rc_results_create(path, fx.ex, &prov, 1, &r) == RC_OK;
    ok = ok && rc_results_write_network(r, 0, fx.g, NULL) == RC_OK;
    for (size_t p = 0; ok && p < fx.ex->n_points; p++)
        ok = rc_results_write_point(r, fx.res[p]) == RC_OK;
    ok = ok && rc_results_close(r) == RC_OK;
    r = NULL;
    ok = ok && rc_results_create(partial, fx.ex, &prov, 1, &r) == RC_OK;
    ok = ok && rc_results_write_network(r, 0, fx.g, NULL) == RC_OK;
    for (size_t p = 0; ok && p < 3; p++)
        ok = rc_results_write_point(r, fx.res[p]) == RC_OK;
    ok = ok && rc_results_close(r) == RC_OK;
    if (!ok)
        fprintf(stderr, "sample: %s\n", rc_error_message());
    free(partial);
    free(pj);
    fixture_free(&fx);
    return ok ? 0 : 1;
}

/* A 1-D dataset of 100 uint64 in chunks of 10 (80 bytes) through `filters` (in the order they
 * apply: 'S' shuffle, 'D' deflate, 'F' Fletcher-32; "C": compact), its values 0..99. */
static hid_t make_dataset(hid_t file, const char *name, const char *filters)
{
    hsize_t dims[1] = {100}, chunk[1] = {10};
    hid_t space = H5Screate_simple(1, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    if (strcmp(filters, "C") == 0)
        H5Pset_layout(dcpl, H5D_COMPACT);
    else
        H5Pset_chunk(dcpl, 1, chunk);
    for (const char *f = filters; *f != '\0' && *f != 'C'; f++)
        if (*f == 'S')
            H5Pset_shuffle(dcpl);
        else if (*f == 'D')
            H5Pset_deflate(dcpl, 1);
        else
            H5Pset_fletcher32(dcpl);
    hid_t d = H5Dcreate2(file, name, H5T_STD_U64LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    uint64_t v[100];
    for (int i = 0; i < 100; i++)
        v[i] = (uint64_t)i;
    CHECK(d >= 0 && H5Dwrite(d, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Pclose(dcpl);
    H5Sclose(space);
    return d;
}

/* Chunks whose stored bytes do not fill the chunk are refused before any read (HDF5 1.10 would
 * copy a whole chunk out of them): a checksummed chunk of 40 bytes where 80 are needed, and a
 * deflated one that inflates to 40; the filter orders rtcascade wrote (the checksum inside the
 * deflated stream before 2026-11-30, after it since), compact data and intact chunks pass. */
static void test_storage_check(const char *dir)
{
    char *path = cat(dir, "/storage.h5");
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    CHECK(f >= 0);
    const char *intact[] = {"F", "SDF", "FSD", "C", "SD"};
    for (int k = 0; k < 5; k++) {
        hid_t d = make_dataset(f, intact[k], intact[k]);
        CHECK(!rc_h5_storage_damaged(d));
        CHECK_OK(rc_h5_verify_dataset(d, intact[k], path));
        H5Dclose(d);
    }
    /* chunk 3 replaced by 40 bytes of values and their checksum */
    unsigned char half[44];
    for (int i = 0; i < 40; i++)
        half[i] = (unsigned char)i;
    uint32_t sum = rc_fletcher32(half, 40);
    memcpy(half + 40, &sum, 4);
    hsize_t at[1] = {30};
    hid_t d = make_dataset(f, "short", "F");
    CHECK(H5Dwrite_chunk(d, H5P_DEFAULT, 0, at, 44, half) >= 0);
    CHECK(rc_h5_storage_damaged(d));
    CHECK_FAILS(rc_h5_verify_dataset(d, "short", path), RC_ERR_INPUT, "file damaged?");
    H5Dclose(d);
    /* the same 40 bytes deflated, then checksummed */
    unsigned char z[64 + 4];
    uLongf len = 64;
    CHECK(compress2(z, &len, half, 40, 1) == Z_OK);
    sum = rc_fletcher32(z, len);
    memcpy(z + len, &sum, 4);
    d = make_dataset(f, "short_deflated", "SDF");
    CHECK(H5Dwrite_chunk(d, H5P_DEFAULT, 0, at, len + 4, z) >= 0);
    CHECK(rc_h5_storage_damaged(d));
    H5Dclose(d);
    H5Fclose(f);
    printf("  short chunks (checksummed, and deflated) refused; intact ones in every filter order "
           "read\n");
    free(path);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        return write_samples(argv[1]);
    char dir[] = "/tmp/rc_results_test_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    fixture_t fx;
    fixture_init(&fx, config_yaml);
    CHECK_EQ_U64(fx.ex->n_points, 8);
    CHECK_EQ_U64(fx.ex->n_networks, 1);
    test_write_and_read(&fx, dir);
    test_resume(&fx, dir);
    test_unwritable(&fx, dir);
    test_file_limit(&fx, dir);
    test_timed(&fx, dir); /* last: it turns point 5 into a timed result */
    test_storage_check(dir);
    fixture_free(&fx);
    if (rc_test_failures == 0) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "files kept in %s\n", dir);
    }
    return rc_test_report("test_results_h5");
}
