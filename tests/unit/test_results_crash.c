/* Crash recovery of a results file: a truncated, corrupted or missing file rebuilt from the
 * journal, rows of an unfinished append cut, a torn journal tail, a second writer refused, and
 * real kill -9 at arbitrary moments, each ending in the file an uninterrupted run writes. */
#include "results_fixture.h"

static void corrupt(const char *path, long offset, size_t len)
{
    FILE *f = fopen(path, "r+b");
    if (f == NULL)
        return;
    fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET);
    for (size_t i = 0; i < len; i++)
        fputc((int)(0xA5 ^ i), f);
    fclose(f);
}

/* Appends n rows whose only written column is point = p (the others keep the fill value, as
 * after a kill between extending a table and writing all of its row). */
static void append_point_only(hid_t f, const char *name, hsize_t n, uint64_t p)
{
    uint64_t *pts = malloc(n * sizeof *pts);
    for (hsize_t i = 0; i < n; i++)
        pts[i] = p;
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT), sp = H5Dget_space(d);
    hsize_t dims[1], cnt[1] = {n};
    H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    hsize_t nd[1] = {dims[0] + n};
    CHECK(H5Dset_extent(d, nd) >= 0);
    sp = H5Dget_space(d);
    H5Sselect_hyperslab(sp, H5S_SELECT_SET, dims, NULL, cnt, NULL);
    hid_t ms = H5Screate_simple(1, cnt, NULL);
    hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof(uint64_t));
    H5Tinsert(mt, "point", 0, H5T_NATIVE_UINT64);
    CHECK(H5Dwrite(d, mt, ms, sp, H5P_DEFAULT, pts) >= 0);
    H5Tclose(mt);
    H5Sclose(ms);
    H5Sclose(sp);
    H5Dclose(d);
    free(pts);
}

/* Writes 4 points, damages the file (how), resumes, finishes; must equal the fixture. */
static void crash_case(const fixture_t *fx, const char *dir, const char *name, int how,
                       const char *expect_note)
{
    char *path = cat(dir, name);
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 4);
    CHECK_OK(rc_results_close(r));
    struct stat sb;
    stat(path, &sb);
    switch (how) {
    case 0: /* truncated to half */
        CHECK(truncate(path, sb.st_size / 2) == 0);
        break;
    case 1: /* garbage over the middle (metadata or data) */
        corrupt(path, (long)sb.st_size / 3, 4096);
        break;
    case 2: /* gone */
        unlink(path);
        break;
    case 3: /* garbage over the superblock */
        corrupt(path, 0, 64);
        break;
    case 4: { /* a torn journal tail: a kill during a journal append */
        int fd = open(jpath, O_WRONLY | O_APPEND);
        CHECK(fd >= 0 && write(fd, "RCJ1\003\0\0\0garbage", 15) == 15);
        close(fd);
        break;
    }
    case 5:   /* killed inside an append: point 4's rows written, its status not flipped */
    case 7: { /* ... or /summary extended but its row not written (zeros: point 0 again) */
        hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        append_point_only(f, "runs", 100, 4);
        append_point_only(f, "summary", 1, how == 5 ? 4 : 0);
        append_point_only(f, "curves/generations", 3, 4);
        H5Fclose(f);
        break;
    }
    case 6: /* point 4 is done in the journal, not in the file (killed before its status
               flip): cut and replayed from the journal */
        break;
    }
    if (how == 6) {
        CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
        CHECK_OK(rc_results_write_point(r, fx->res[4]));
        CHECK_OK(rc_results_close(r));
        /* undo point 4's status flip in the HDF5 file: its rows are there, it is not done */
        hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        hid_t mt = H5Tcreate(H5T_COMPOUND, 1);
        H5Tinsert(mt, "status", 0, H5T_NATIVE_UINT8);
        hid_t d = H5Dopen2(f, "points", H5P_DEFAULT), sp = H5Dget_space(d);
        hsize_t st[1] = {4}, cnt[1] = {1};
        H5Sselect_hyperslab(sp, H5S_SELECT_SET, st, NULL, cnt, NULL);
        hid_t ms = H5Screate_simple(1, cnt, NULL);
        uint8_t zero = 0;
        CHECK(H5Dwrite(d, mt, ms, sp, H5P_DEFAULT, &zero) >= 0);
        H5Sclose(ms);
        H5Sclose(sp);
        H5Dclose(d);
        H5Tclose(mt);
        H5Fclose(f);
    }
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK(r != NULL);
    if (r == NULL)
        goto out;
    if (strstr(rc_results_note(r), expect_note) == NULL)
        fprintf(stderr, "%s: note '%s', expected '%s'\n", name, rc_results_note(r), expect_note);
    CHECK(strstr(rc_results_note(r), expect_note) != NULL);
    size_t expect_done = how == 6 ? 5 : 4;
    CHECK_EQ_U64(rc_results_points_done(r), expect_done);
    for (size_t p = expect_done; p < 8; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    CHECK(!exists(jpath));
    check_complete_file(path, fx);
out:
    free(path);
    free(jpath);
}

static void test_crashes(const fixture_t *fx, const char *dir)
{
    /* a temporary file left by a writer killed while building the file is cleared */
    char *stale = cat(dir, "/trunc.h5.tmp.12345");
    FILE *sf = fopen(stale, "w");
    if (sf)
        fclose(sf);
    crash_case(fx, dir, "/trunc.h5", 0, "rebuilt");
    CHECK(!exists(stale));
    free(stale);
    crash_case(fx, dir, "/garbage.h5", 1, "4 of 8");
    crash_case(fx, dir, "/gone.h5", 2, "rebuilt");
    crash_case(fx, dir, "/super.h5", 3, "rebuilt");
    crash_case(fx, dir, "/torn.h5", 4, "4 of 8");
    crash_case(fx, dir, "/partial.h5", 5, "cut the rows");
    crash_case(fx, dir, "/journal_only.h5", 6, "journal's points");
    crash_case(fx, dir, "/zeros.h5", 7, "rebuilt");

    /* damaged and no journal: a clear error, the file left alone */
    char *path = cat(dir, "/nojournal.h5");
    char *jpath = cat(path, ".journal");
    rc_results_t *r = NULL;
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 0, &r));
    write_points(r, fx, 0, 2);
    CHECK_OK(rc_results_close(r));
    unlink(jpath);
    corrupt(path, 0, 64);
    CHECK_FAILS(rc_results_open_resume(path, fx->ex, &prov, &r), RC_ERR_INPUT, "--force");
    CHECK(exists(path) && !exists(jpath));
    /* a valid partial file without its journal still resumes (a new journal is started) */
    CHECK_OK(rc_results_create(path, fx->ex, &prov, 1, &r));
    write_points(r, fx, 0, 2);
    CHECK_OK(rc_results_close(r));
    unlink(jpath);
    CHECK_OK(rc_results_open_resume(path, fx->ex, &prov, &r));
    CHECK_EQ_U64(rc_results_points_done(r), 2);
    for (size_t p = 2; p < 8; p++)
        CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    check_complete_file(path, fx);
    /* a foreign HDF5 file is never overwritten by a resume */
    char *graph = cat(dir, "/graph.h5");
    CHECK_OK(rc_graph_save_h5(fx->g, graph, NULL));
    CHECK_FAILS(rc_results_open_resume(graph, fx->ex, &prov, &r), RC_ERR_INPUT,
                "not an rtcascade results file");
    free(graph);
    free(path);
    free(jpath);
}

/* A child writes all points into a fresh file. With stop_after > 0 it reports on `ready` once
 * that many points are written and then waits to be killed, so the parent's kill lands between
 * two points whatever the machine's speed. */
static pid_t spawn_writer(const fixture_t *fx, const char *path, size_t stop_after, int ready)
{
    pid_t pid = fork();
    if (pid == 0) {
        /* GNU OpenMP is not fork-safe: the child must not start a parallel region, so the
         * network's statistics come precomputed */
        rc_results_t *r = NULL;
        if (rc_results_create(path, fx->ex, &prov, 0, &r) != RC_OK ||
            rc_results_write_network(r, 0, fx->g, &fx->st) != RC_OK)
            _exit(2);
        for (size_t p = 0; p < fx->ex->n_points; p++) {
            if (rc_results_write_point(r, fx->res[p]) != RC_OK)
                _exit(3);
            if (p + 1 == stop_after) {
                char b = 1;
                if (write(ready, &b, 1) != 1)
                    _exit(5);
                for (;;)
                    pause();
            }
        }
        _exit(rc_results_close(r) == RC_OK ? 0 : 4);
    }
    return pid;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Resume a killed writer's file, finish it and compare with the uninterrupted one; returns
 * the number of points the resume found done. */
static uint64_t resume_and_finish(const fixture_t *fx, const char *path, int *recovered)
{
    rc_results_t *r = NULL;
    rc_status_t s = rc_results_open_resume(path, fx->ex, &prov, &r);
    CHECK_OK(s);
    if (s != RC_OK)
        return 0;
    uint64_t done = rc_results_points_done(r);
    if (getenv("RC_TEST_VERBOSE"))
        printf("  resumed: %s\n", rc_results_note(r));
    CHECK_OK(rc_results_write_network(r, 0, fx->g, NULL));
    for (size_t p = 0; p < fx->ex->n_points; p++)
        if (!rc_results_point_done(r, p))
            CHECK_OK(rc_results_write_point(r, fx->res[p]));
    CHECK_OK(rc_results_close(r));
    int ok = runs_match_fixture(path, fx);
    CHECK(ok);
    *recovered += ok;
    return done;
}

/* Real kills: a child writes all points into a fresh file and is kill -9'd, first right after
 * each point (the resume must keep every point written), then at staggered moments over the
 * time a whole write takes (kills inside a write); every survivor must resume to the
 * uninterrupted file. */
static void test_kill9(const fixture_t *fx, const char *dir)
{
    char *path = cat(dir, "/killed.h5");
    char *jpath = cat(path, ".journal");
    int rounds = 0, recovered = 0;
    int fds[2];
    CHECK(pipe(fds) == 0);
    /* how long an uninterrupted writer takes */
    unlink(path);
    double t0 = now_ms();
    pid_t pid = spawn_writer(fx, path, 0, fds[1]);
    int wst = 0;
    waitpid(pid, &wst, 0);
    double total = now_ms() - t0;
    CHECK(WIFEXITED(wst) && WEXITSTATUS(wst) == 0);
    CHECK(runs_match_fixture(path, fx));
    /* killed between points: every point whose write returned survives */
    for (size_t k = 1; k < fx->ex->n_points; k++) {
        unlink(path);
        unlink(jpath);
        pid = spawn_writer(fx, path, k, fds[1]);
        char b = 0;
        CHECK(read(fds[0], &b, 1) == 1);
        kill(pid, SIGKILL);
        waitpid(pid, &wst, 0);
        rounds++;
        uint64_t done = resume_and_finish(fx, path, &recovered);
        CHECK_EQ_U64(done, k);
    }
    /* killed at any moment, inside writes too */
    const int n_timed = 30;
    for (int round = 0; round < n_timed; round++) {
        unlink(path);
        unlink(jpath);
        pid = spawn_writer(fx, path, 0, fds[1]);
        double delay = total * (round + 0.5) / n_timed;
        struct timespec ts = {(time_t)(delay / 1e3), (long)(fmod(delay, 1e3) * 1e6)};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        waitpid(pid, &wst, 0);
        rounds++;
        if (getenv("RC_TEST_VERBOSE"))
            printf("kill after %.1f of %.1f ms\n", delay, total);
        resume_and_finish(fx, path, &recovered);
    }
    printf("kill -9: %d of %d rounds resumed to the uninterrupted file (%zu killed right after "
           "a point, %d at staggered moments; a whole write takes %.1f ms)\n",
           recovered, rounds, fx->ex->n_points - 1, n_timed, total);
    close(fds[0]);
    close(fds[1]);
    free(path);
    free(jpath);
}

int main(void)
{
    char dir[] = "/tmp/rc_results_crash_XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    fixture_t fx;
    fixture_init(&fx, config_yaml);
    test_crashes(&fx, dir);
    test_kill9(&fx, dir);
    fixture_free(&fx);
    if (rc_test_failures == 0) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    } else {
        fprintf(stderr, "files kept in %s\n", dir);
    }
    return rc_test_report("test_results_crash");
}
