/* --resume: rc_results_open_resume reopens an interrupted results file. It inspects the file
 * read-only (identity, /points, whole points in the appended tables), then either cuts the
 * rows of the one unfinished append and writes the points the journal holds but the file lacks,
 * or, when the file is missing or damaged, rebuilds it whole from the journal. */
#include "rtcascade/results.h"

#include "io/results_append.h"
#include "io/results_codec.h"
#include "io/results_file.h"
#include "io/h5safe.h"
#include "io/results_fs.h"
#include "io/results_internal.h"
#include "io/results_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* First line where two texts differ, for the mismatch message. */
static void rc_first_diff(const char *a, const char *b, char *buf, size_t len)
{
    size_t line = 1;
    const char *la = a, *lb = b;
    while (*a && *b && *a == *b) {
        if (*a == '\n') {
            line++;
            la = a + 1;
            lb = b + 1;
        }
        a++;
        b++;
    }
    int na = (int)strcspn(la, "\n"), nb = (int)strcspn(lb, "\n");
    snprintf(buf, len, "line %zu of the resolved config: file has '%.*s', this run has '%.*s'",
             line, na > 60 ? 60 : na, la, nb > 60 ? 60 : nb, lb);
}

/* Is the stored experiment this one? RC_ERR_MISMATCH naming the first difference otherwise. */
static rc_status_t rc_check_identity(const rc_results_t *r, const char *source, uint64_t seed,
                                     uint64_t runs, uint64_t n_points, const char *resolved)
{
    const rc_experiment_t *ex = r->ex;
    char diff[256];
    const char *hint = "use --force to start over, or -o for a new file";
    if (seed != ex->seed)
        return rc_error(RC_ERR_MISMATCH, "%s: %s was made with seed %llu, this run has seed %llu; %s",
                        r->path, source, (unsigned long long)seed, (unsigned long long)ex->seed,
                        hint);
    if (runs != ex->runs)
        return rc_error(RC_ERR_MISMATCH,
                        "%s: %s was made with %llu runs per point, this run has %llu; %s", r->path,
                        source, (unsigned long long)runs, (unsigned long long)ex->runs, hint);
    if (n_points != ex->n_points)
        return rc_error(RC_ERR_MISMATCH, "%s: %s was made with %llu points, this run has %zu; %s",
                        r->path, source, (unsigned long long)n_points, ex->n_points, hint);
    if (resolved == NULL || strcmp(resolved, r->resolved) != 0) {
        rc_first_diff(resolved ? resolved : "", r->resolved, diff, sizeof diff);
        return rc_error(RC_ERR_MISMATCH, "%s: %s was made from a different config (%s); %s", r->path,
                        source, diff, hint);
    }
    return RC_OK;
}

#define RC_N_APPENDED 8
#define RC_NETS RC_N_APPENDED - 1 /* index of /networks/stats in rc_appended */

/* What an inspection of the HDF5 file found. */
typedef struct rc_h5_state {
    int usable;        /* opens, is this experiment, reads back consistently */
    char why[256];     /* why not */
    uint8_t *done;     /* per point */
    uint8_t *net_done; /* per network */
    uint64_t n_done;
    /* rows to keep / rows present of each appended table (keep < rows: cut the tail) */
    uint64_t keep[RC_N_APPENDED], rows[RC_N_APPENDED];
    char *created, *command_line, *config, *config_path, *resumed;
} rc_h5_state_t;

/* The appended tables: first those keyed by point (events only in files that have it), last
 * /networks/stats. */
static const char *const rc_appended[RC_N_APPENDED] = {
    "runs",          "summary", "curves/generations", "curves/size_ccdf", "curves/time",
    "curves/growth", "events",  "networks/stats"};

static void rc_h5_state_clear(rc_h5_state_t *s)
{
    free(s->done);
    free(s->net_done);
    free(s->created);
    free(s->command_line);
    free(s->config);
    free(s->config_path);
    free(s->resumed);
    memset(s, 0, sizeof *s);
}

/* Rows of a point-keyed table to keep: the leading rows of done points. What follows may only
 * be rows of one unfinished point (an interrupted append); anything else is damage (returns
 * 0). */
static int rc_keep_rows(const uint64_t *pt, uint64_t n, const uint8_t *done, uint64_t n_points,
                        uint64_t *keep)
{
    uint64_t k = 0;
    while (k < n && pt[k] < n_points && done[pt[k]])
        k++;
    for (uint64_t i = k; i < n; i++)
        if (pt[i] >= n_points || done[pt[i]] || pt[i] != pt[k])
            return 0;
    *keep = k;
    return 1;
}

#define RC_DAMAGED(...)                                                                            \
    do {                                                                                           \
        snprintf(st->why, sizeof st->why, __VA_ARGS__);                                            \
        goto cleanup;                                                                              \
    } while (0)

/* The root attributes: an rtcascade results file of this format version (else an error: not
 * ours to repair), made from this experiment (else an error naming the difference); keeps the
 * provenance in st. */
static rc_status_t rc_inspect_attrs(hid_t file, const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    const char *path = r->path;
    char *format = NULL, *resolved = NULL;
    uint64_t version = 0, seed = 0, runs = 0, n_points = 0;
    /* the version first, an integer: another version's strings are not read (format 1 kept
     * them in HDF5's global heap, whose reader a damaged file can crash) */
    htri_t has_version = H5Aexists(file, "format_version");
    if (has_version < 0)
        RC_DAMAGED("unreadable attributes");
    if (has_version == 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file (refusing to touch it)", path);
    if (rc_h5_read_u64(file, "format_version", &version, path, RC_RESULTS_KIND) != RC_OK)
        RC_DAMAGED("unreadable attributes");
    if (version != RC_RESULTS_FORMAT_VERSION)
        RC_FAIL(RC_ERR_INPUT,
                "%s: results format version %llu cannot be resumed by this "
                "rtcascade (it writes version %d)",
                path, (unsigned long long)version, RC_RESULTS_FORMAT_VERSION);
    if (rc_h5_read_str(file, "format", &format, path) != RC_OK)
        RC_DAMAGED("unreadable attributes");
    if (format == NULL || strcmp(format, RC_RESULTS_FORMAT) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file (refusing to touch it)", path);
    if (rc_h5_read_u64(file, "seed", &seed, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_u64(file, "runs_per_point", &runs, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_u64(file, "n_points", &n_points, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_str(file, "resolved_config", &resolved, path) != RC_OK ||
        rc_h5_read_str(file, "created", &st->created, path) != RC_OK ||
        rc_h5_read_str(file, "command_line", &st->command_line, path) != RC_OK ||
        rc_h5_read_str(file, "config", &st->config, path) != RC_OK ||
        rc_h5_read_str(file, "config_path", &st->config_path, path) != RC_OK ||
        rc_h5_read_str(file, "resumed", &st->resumed, path) != RC_OK)
        RC_DAMAGED("unreadable attributes");
    RC_TRY(rc_check_identity(r, "it", seed, runs, n_points, resolved));
cleanup:
    free(format);
    free(resolved);
    return status;
}

/* /points: every point, in order, with a status of 0 or 1; fills st->done and st->n_done. */
static rc_status_t rc_inspect_points(hid_t file, const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    const char *path = r->path;
    uint64_t *col = NULL, *col2 = NULL, n = 0, n2 = 0;
    if (rc_rh5_read_col_u64(file, "points", "point", &col, &n, path) != RC_OK ||
        rc_rh5_read_col_u64(file, "points", "status", &col2, &n2, path) != RC_OK)
        RC_DAMAGED("/points is unreadable");
    if (n != r->ex->n_points || n2 != n)
        RC_DAMAGED("/points has %llu rows, expected %zu", (unsigned long long)n, r->ex->n_points);
    for (uint64_t i = 0; i < n; i++) {
        if (col[i] != i || col2[i] > 1)
            RC_DAMAGED("/points row %llu is damaged", (unsigned long long)i);
        st->done[i] = (uint8_t)col2[i];
        st->n_done += col2[i];
    }
cleanup:
    free(col);
    free(col2);
    return status;
}

/* The point-keyed appended tables: the rows of done points first, then at most the rows of one
 * unfinished point (to cut); /runs in whole blocks of `runs` rows, one per done point, and
 * /summary one row per done point, none twice. Fills st->rows and st->keep of all but the
 * last table. */
static rc_status_t rc_inspect_appended(hid_t file, const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    const char *path = r->path;
    uint64_t *col = NULL, n = 0;
    uint8_t *seen = calloc(ex->n_points ? ex->n_points : 1, 1);
    RC_ALLOC_CHECK(seen, "a results check");
    for (int t = 0; t < RC_NETS; t++) {
        if (strcmp(rc_appended[t], "events") == 0 && !r->lay.has_events)
            continue; /* rows[t] = keep[t] = 0 */
        if (rc_rh5_read_col_u64(file, rc_appended[t], "point", &col, &n, path) != RC_OK)
            RC_DAMAGED("/%s is unreadable", rc_appended[t]);
        st->rows[t] = n;
        if (!rc_keep_rows(col, n, st->done, ex->n_points, &st->keep[t]))
            RC_DAMAGED("/%s holds rows out of order", rc_appended[t]);
        if (t == 0) {
            /* whole blocks of `runs` rows, one per done point */
            if (st->keep[0] != st->n_done * ex->runs)
                RC_DAMAGED("/runs holds %llu rows for %llu done points",
                           (unsigned long long)st->keep[0], (unsigned long long)st->n_done);
            for (uint64_t b = 0; b < st->n_done; b++) {
                uint64_t p = col[b * ex->runs];
                for (uint64_t i = 0; i < ex->runs; i++)
                    if (col[b * ex->runs + i] != p)
                        RC_DAMAGED("/runs block %llu mixes points", (unsigned long long)b);
                if (seen[p]++)
                    RC_DAMAGED("/runs holds point %llu twice", (unsigned long long)p);
            }
        } else if (t == 1) {
            memset(seen, 0, ex->n_points ? ex->n_points : 1);
            if (st->keep[1] != st->n_done)
                RC_DAMAGED("/summary holds %llu rows for %llu done points",
                           (unsigned long long)st->keep[1], (unsigned long long)st->n_done);
            for (uint64_t i = 0; i < st->keep[1]; i++)
                if (seen[col[i]]++)
                    RC_DAMAGED("/summary holds point %llu twice", (unsigned long long)col[i]);
        }
        free(col);
        col = NULL;
    }
cleanup:
    free(col);
    free(seen);
    return status;
}

/* /networks/stats: each row's histograms must be there; only the last row may be unfinished
 * (then cut). Fills st->net_done and st->rows / st->keep of the last table. */
static rc_status_t rc_inspect_networks(hid_t file, const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    uint64_t *col = NULL, n = 0;
    if (rc_rh5_read_col_u64(file, "networks/stats", "network", &col, &n, r->path) != RC_OK)
        RC_DAMAGED("/networks/stats is unreadable");
    st->rows[RC_NETS] = n;
    st->keep[RC_NETS] = n;
    for (uint64_t i = 0; i < n; i++) {
        char name[64];
        int ok = col[i] < r->ex->n_networks && !st->net_done[col[i]];
        if (ok) {
            snprintf(name, sizeof name, "networks/%llu", (unsigned long long)col[i]);
            ok = H5Lexists(file, name, H5P_DEFAULT) > 0;
        }
        for (int d = 0; d < 2 && ok; d++) {
            snprintf(name, sizeof name, "networks/%llu/%s_degree_hist", (unsigned long long)col[i],
                     d ? "in" : "out");
            ok = H5Lexists(file, name, H5P_DEFAULT) > 0;
        }
        if (!ok) {
            if (i + 1 < n)
                RC_DAMAGED("/networks/stats row %llu is damaged", (unsigned long long)i);
            st->keep[RC_NETS] = i;
            break;
        }
        st->net_done[col[i]] = 1;
    }
cleanup:
    free(col);
    return status;
}

/* Every object, attribute and dataset of the file, read whole: with every piece of metadata
 * and every chunk checksummed, damage anywhere is found here rather than by a later reader (or
 * by the writes of the repair). */
static rc_status_t rc_inspect_data(hid_t file, const rc_results_t *r, rc_h5_state_t *st)
{
    char why[200];
    if (!rc_h5_verify_file(file, r->path, why, sizeof why))
        RC_DAMAGED("%s", why);
cleanup:
    return RC_OK;
}

/* One step of the inspection: an error ends it, and so does damage (st->why set). */
#define RC_INSPECT(step)                                                                           \
    do {                                                                                           \
        RC_TRY(step);                                                                              \
        if (st->why[0] != '\0')                                                                    \
            goto cleanup;                                                                          \
    } while (0)

/* Opens the file read-only and checks it: identity (a mismatch is an error, not damage),
 * /points, and that the appended tables hold whole points in a consistent order. Damage of
 * any kind leaves st->usable = 0 with the reason in st->why. */
static rc_status_t rc_h5_inspect(const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    hid_t file = -1, fapl = -1;
    memset(st, 0, sizeof *st);
    st->done = calloc(ex->n_points ? ex->n_points : 1, 1);
    st->net_done = calloc(ex->n_networks ? ex->n_networks : 1, 1);
    RC_ALLOC_CHECK(st->done, "a results check");
    RC_ALLOC_CHECK(st->net_done, "a results check");
    if (H5Fis_hdf5(r->path) <= 0)
        RC_DAMAGED("not a readable HDF5 file");
    fapl = rc_h5safe_read_fapl();
    file = fapl >= 0 ? H5Fopen(r->path, H5F_ACC_RDONLY, fapl) : -1;
    if (file < 0)
        RC_DAMAGED("HDF5 cannot open it");
    RC_INSPECT(rc_inspect_attrs(file, r, st));
    RC_INSPECT(rc_inspect_points(file, r, st));
    RC_INSPECT(rc_inspect_appended(file, r, st));
    RC_INSPECT(rc_inspect_networks(file, r, st));
    RC_INSPECT(rc_inspect_data(file, r, st));
    st->usable = 1;
cleanup:
    rc_h5_close(file);
    rc_h5_close(fapl);
    return status;
}

/* Cuts the tables of an unfinished append back to their kept rows. */
static rc_status_t rc_cut_tails(const rc_results_t *r, hid_t file, const rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1;
    for (int t = 0; t < RC_N_APPENDED; t++) {
        if (st->keep[t] >= st->rows[t])
            continue;
        hsize_t dims[1] = {(hsize_t)st->keep[t]};
        dset = H5Dopen2(file, rc_appended[t], H5P_DEFAULT);
        if (dset < 0 || H5Dset_extent(dset, dims) < 0)
            RC_FAIL(RC_ERR_IO, "%s: cannot cut the unfinished rows of /%s", r->path,
                    rc_appended[t]);
        status = rc_h5_end(dset, status, r->path, rc_appended[t]);
        dset = -1;
        RC_TRY(status);
    }
cleanup:
    rc_h5_close(dset);
    return status;
}

/* Opens the journal (the writer lock, so first), removes temporaries of a killed writer, lists
 * its records and checks its header against this experiment. A journal that is empty or has no
 * header holds nothing usable: *n_recs is then 0. r->journal stays NULL when the journal
 * vanished since the caller saw it. */
static rc_status_t rc_resume_journal(rc_results_t *r, rc_jrec_t **recs, size_t *n_recs,
                                     rc_jheader_t *head)
{
    rc_status_t status = RC_OK;
    void *data = NULL;
    RC_TRY(rc_journal_open(r->jpath, r->path, 0, &r->journal));
    if (r->journal == NULL)
        goto cleanup;
    rc_rfs_remove_stale_tmps(r->path);
    RC_TRY(rc_journal_scan(r->journal, recs, n_recs));
    if (*n_recs > 0 && (*recs)[0].type == RC_JREC_HEADER) {
        RC_TRY(rc_journal_load(r->journal, &(*recs)[0], &data));
        RC_TRY(rc_jheader_decode(data, (size_t)(*recs)[0].raw_len, r->path, r->jpath, head));
        RC_TRY(rc_check_identity(r, "its journal", head->seed, head->runs, head->n_points,
                                 head->resolved));
    } else {
        *n_recs = 0; /* empty or headless: holds nothing usable */
    }
cleanup:
    free(data);
    return status;
}

/* The file is usable: takes its state and provenance, then, unless it is complete, cuts the
 * rows of an unfinished append and writes the journal's points and networks it lacks, adding
 * `line` to its `resumed` attribute. Sets r->note. On error, *refused says that HDF5 refused a
 * change (the file is as it was; rebuilding it from the journal may still work). */
static rc_status_t rc_resume_repair(rc_results_t *r, const rc_h5_state_t *st, rc_jrec_t **recs,
                                    size_t *n_recs, const char *line, int *refused)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    const char *path = r->path;
    char *resumed = NULL;
    rc_h5safe_report_t io;
    hid_t file = -1;
    memcpy(r->done, st->done, ex->n_points);
    memcpy(r->net_done, st->net_done, ex->n_networks);
    r->n_done = st->n_done;
    RC_TRY(rc_rfile_set_provenance(r, st->created, st->command_line, st->config, st->config_path));
    int cut = 0;
    for (int t = 0; t < RC_N_APPENDED; t++)
        cut |= st->keep[t] < st->rows[t];
    if (r->n_done == ex->n_points && !cut) {
        snprintf(r->note, sizeof r->note, "all %zu points are already done", ex->n_points);
        goto cleanup; /* complete: leave the file untouched */
    }
    if (r->journal == NULL || *n_recs == 0) {
        /* the journal was deleted: start one for the points to come (it cannot rebuild the
         * points before it, so it is marked partial) */
        if (r->journal == NULL)
            RC_TRY(rc_journal_open(r->jpath, path, 1, &r->journal));
        RC_TRY(rc_journal_reset(r->journal));
        RC_TRY(rc_rfile_journal_header(r, 0));
        free(*recs);
        *recs = NULL;
        *n_recs = 0;
    }
    RC_TRY(rc_journal_append(r->journal, RC_JREC_RESUMED, 0, line, strlen(line)));
    resumed = rc_rfs_add_line(st->resumed, line);
    RC_ALLOC_CHECK(resumed, "the resume note");
    RC_TRY(rc_rfs_check_room(path, ((uint64_t)1 << 20)));
    RC_TRY(rc_rfile_open_rw(r, path, &io, &file));
    status = rc_cut_tails(r, file, st);
    uint64_t before = r->n_done;
    if (status == RC_OK)
        status = rc_append_replay(r, file, *recs, *n_recs, 1, 1);
    if (status == RC_OK)
        status = rc_rh5_attr_set_u64(file, "points_done", r->n_done, path);
    if (status == RC_OK)
        status = rc_rh5_attr_set_str(file, "resumed", resumed, path);
    /* HDF5 refused a change (damage the inspection cannot see, such as a heap's free-space
     * list): the session was undone, and the caller may rebuild from the journal instead */
    *refused = status != RC_OK && !io.failed;
    status = rc_rfile_close_rw(r, file, &io, status);
    if (status != RC_OK)
        goto cleanup;
    snprintf(r->note, sizeof r->note, "%llu of %zu points done%s%s", (unsigned long long)r->n_done,
             ex->n_points, cut ? "; cut the rows of an unfinished point" : "",
             r->n_done > before ? "; wrote the journal's points the file was missing" : "");
cleanup:
    free(resumed);
    return status;
}

/* Every `resumed` line the journal holds (this session's included), joined by newlines into
 * *out (malloc'ed; NULL when there is none). */
static rc_status_t rc_resume_lines(rc_results_t *r, const rc_jrec_t *recs, size_t n_recs,
                                   char **out)
{
    rc_status_t status = RC_OK;
    void *data = NULL;
    char *resumed = NULL;
    *out = NULL;
    for (size_t i = 0; i < n_recs; i++) {
        if (recs[i].type != RC_JREC_RESUMED)
            continue;
        char *text = NULL, *joined = NULL;
        RC_TRY(rc_journal_load(r->journal, &recs[i], &data));
        text = malloc((size_t)recs[i].raw_len + 1);
        RC_ALLOC_CHECK(text, "the resume note");
        memcpy(text, data, (size_t)recs[i].raw_len);
        text[recs[i].raw_len] = '\0';
        free(data);
        data = NULL;
        joined = rc_rfs_add_line(resumed, text);
        free(text);
        RC_ALLOC_CHECK(joined, "the resume note");
        free(resumed);
        resumed = joined;
    }
    *out = resumed;
    resumed = NULL;
cleanup:
    free(data);
    free(resumed);
    return status;
}

/* The file is missing (have_h5 0) or damaged (st->why): rebuilds it whole from a complete
 * journal, with the journal's provenance and every resumed line it holds, `line` added (unless
 * NULL: already in the journal).
 * RC_ERR_INPUT when there is no complete journal to rebuild from. Sets r->note. */
static rc_status_t rc_resume_rebuild(rc_results_t *r, const rc_h5_state_t *st,
                                     const rc_jheader_t *head, int have_h5, const char *line,
                                     rc_jrec_t **recs, size_t *n_recs)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    const char *path = r->path;
    char *resumed = NULL;
    if (r->journal == NULL || *n_recs == 0 || !head->full) {
        if (!have_h5)
            RC_FAIL(RC_ERR_INPUT,
                    "%s: is missing and its journal %s cannot rebuild it; use "
                    "--force to start over",
                    path, r->jpath);
        RC_FAIL(RC_ERR_INPUT,
                "%s: is damaged (%s) and there is no complete journal to rebuild "
                "it from; use --force to start over",
                path, st->why);
    }
    RC_TRY(rc_rfile_set_provenance(r, head->created, head->command_line, head->config_text,
                                   head->config_path));
    if (line != NULL) /* NULL: journaled already by a repair that failed */
        RC_TRY(rc_journal_append(r->journal, RC_JREC_RESUMED, 0, line, strlen(line)));
    free(*recs);
    *recs = NULL;
    RC_TRY(rc_journal_scan(r->journal, recs, n_recs));
    RC_TRY(rc_resume_lines(r, *recs, *n_recs, &resumed));
    memset(r->done, 0, ex->n_points);
    memset(r->net_done, 0, ex->n_networks);
    r->n_done = 0;
    RC_TRY(rc_rfile_build(r, resumed ? resumed : "", *recs, *n_recs));
    snprintf(r->note, sizeof r->note, "%llu of %zu points done; rebuilt %s from the journal (%s)",
             (unsigned long long)r->n_done, ex->n_points, path, have_h5 ? st->why : "file missing");
cleanup:
    free(resumed);
    return status;
}

rc_status_t rc_results_open_resume(const char *path, const rc_experiment_t *ex,
                                   const rc_results_provenance_t *prov, rc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_results_t *r = NULL;
    rc_jrec_t *recs = NULL;
    size_t n_recs = 0;
    rc_jheader_t head;
    rc_h5_state_t st;
    char *line = NULL;
    struct stat sb;
    char now[40];
    memset(&head, 0, sizeof head);
    memset(&st, 0, sizeof st);
    *out = NULL;
    rc_h5_quiet();
    RC_TRY(rc_rfile_new(path, ex, &r));
    /* before anything opens them: a FIFO would hang the open, a device would be replaced */
    RC_TRY(rc_h5_check_output(path, "results"));
    RC_TRY(rc_h5_check_output(r->jpath, "journals"));
    int have_h5 = stat(path, &sb) == 0;
    int have_j = stat(r->jpath, &sb) == 0;
    if (!have_h5 && !have_j) {
        rc_rfile_free(r);
        r = NULL;
        RC_TRY(rc_results_create(path, ex, prov, 0, out));
        snprintf((*out)->note, sizeof(*out)->note, "no earlier file: started a new one");
        goto cleanup;
    }
    rc_rh5_now(now, sizeof now);
    line = rc_rfs_strcat3(now, " ", prov && prov->command_line ? prov->command_line : "(resumed)");
    RC_ALLOC_CHECK(line, "the resume note");
    if (have_j)
        RC_TRY(rc_resume_journal(r, &recs, &n_recs, &head));
    if (!have_h5 && n_recs == 0) {
        /* killed while the file was being created: nothing was finished, start afresh */
        RC_TRY(rc_journal_close(r->journal, 1));
        r->journal = NULL;
        rc_rfile_free(r);
        r = NULL;
        RC_TRY(rc_results_create(path, ex, prov, 1, out));
        snprintf((*out)->note, sizeof(*out)->note,
                 "the earlier run stopped before its first point: started a new file");
        goto cleanup;
    }
    if (have_h5)
        RC_TRY(rc_h5_inspect(r, &st));
    if (have_h5 && st.usable) {
        int refused = 0;
        status = rc_resume_repair(r, &st, &recs, &n_recs, line, &refused);
        if (status == RC_OK || !refused || r->journal == NULL || !head.full)
            goto done;
        /* damage found only by writing: rebuild the file from the journal */
        snprintf(st.why, sizeof st.why, "HDF5 refused to change it: %.180s", rc_error_message());
        status = rc_resume_rebuild(r, &st, &head, have_h5, NULL, &recs, &n_recs);
    } else {
        status = rc_resume_rebuild(r, &st, &head, have_h5, line, &recs, &n_recs);
    }
done:
    if (status != RC_OK)
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    rc_rfile_free(r);
    rc_jheader_clear(&head);
    rc_h5_state_clear(&st);
    free(recs);
    free(line);
    return status;
}
