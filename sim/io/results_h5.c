/* HDF5 results writer: creates the results file of an experiment, appends each finished point,
 * and reopens an interrupted file for --resume, repairing it from the journal when needed.
 *
 * Durability: the HDF5 file is open only while one point is appended (open, append, flush,
 * close), so a kill between points leaves a closed, consistent file. Each point is first
 * appended to the fsync'd journal (results_journal.c); a kill inside the short HDF5 window is
 * repaired at resume: rows of the unfinished point are cut (a point's /points status flips to 1
 * only after all its rows are written) and missing points are replayed from the journal, or the
 * whole file is rebuilt from the journal when it no longer opens or reads back consistently. */
#include "rtcascade/results.h"

#include "io/results_append.h"
#include "io/results_codec.h"
#include "io/results_file.h"
#include "io/results_fs.h"
#include "io/results_internal.h"
#include "io/results_journal.h"
#include "rtcascade/curves.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

rc_status_t rc_results_create(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, int force, rc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_results_t *r = NULL;
    struct stat sb;
    char now[40];
    *out = NULL;
    rc_h5_quiet();
    RC_TRY(rc_rfile_new(path, ex, &r));
    rc_rh5_now(now, sizeof now);
    RC_TRY(rc_rfile_set_provenance(r, now, prov ? prov->command_line : NULL,
                             prov ? prov->config_text : NULL, prov ? prov->config_path : NULL));
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            RC_FAIL(RC_ERR_IO, "%s: cannot write: it is a folder", path);
        if (!force)
            RC_FAIL(RC_ERR_USAGE, "%s: exists; use --resume to finish it or --force to overwrite",
                    path);
    }
    if (!force && stat(r->jpath, &sb) == 0 && sb.st_size > 0)
        RC_FAIL(RC_ERR_USAGE,
                "%s: an interrupted run left %s; use --resume to recover it or --force to "
                "start over",
                path, r->jpath);
    RC_TRY(rc_rfs_make_parents(path));
    RC_TRY(rc_journal_open(r->jpath, path, 1, &r->journal));
    rc_rfs_remove_stale_tmps(path);
    RC_TRY(rc_journal_reset(r->journal));
    RC_TRY(rc_rfile_journal_header(r, 1));
    rc_rfs_sync_dir(r->jpath);
    RC_TRY(rc_rfile_build(r, "", NULL, 0));
    *out = r;
    r = NULL;
cleanup:
    if (r != NULL && r->journal != NULL && status != RC_OK) {
        /* nothing was kept: do not leave a journal that claims an experiment */
        struct stat h5;
        if (stat(r->path, &h5) != 0 || force) {
            rc_journal_close(r->journal, 1);
            r->journal = NULL;
        }
    }
    rc_rfile_free(r);
    return status;
}

int rc_results_point_done(const rc_results_t *r, uint64_t point)
{
    return r != NULL && point < r->ex->n_points && r->done[point];
}

uint64_t rc_results_points_done(const rc_results_t *r)
{
    return r ? r->n_done : 0;
}

const char *rc_results_note(const rc_results_t *r)
{
    return r ? r->note : "";
}

/* ---- writing ---- */

rc_status_t rc_results_write_network(rc_results_t *r, size_t network_id, const rc_graph_t *g,
                                     const rc_graph_stats_t *st)
{
    rc_status_t status = RC_OK;
    rc_net_rec_t n;
    rc_jbuf_t b = {0};
    hid_t file = -1;
    memset(&n, 0, sizeof n);
    rc_h5_quiet();
    if (r == NULL || g == NULL || network_id >= r->ex->n_networks)
        RC_FAIL(RC_ERR_INTERNAL, "%s: network %zu is not one of the experiment's %zu",
                r ? r->path : "results", network_id, r ? r->ex->n_networks : 0);
    if (r->net_done[network_id] || r->journal == NULL)
        goto cleanup; /* recorded already, or the file is complete */
    n.id = network_id;
    n.undirected = g->undirected;
    n.description = rc_rfs_strdup0(g->description);
    RC_ALLOC_CHECK(n.description, "a network description");
    for (size_t p = 0; p < r->ex->n_points; p++)
        if (r->ex->points[p].network_id == network_id) {
            const rc_cfg_t *net = rc_cfg_get(r->ex->points[p].config, "network");
            n.spec = net ? rc_cfg_to_yaml(net) : strdup("");
            RC_ALLOC_CHECK(n.spec, "a network spec");
            break;
        }
    if (n.spec == NULL) {
        n.spec = strdup("");
        RC_ALLOC_CHECK(n.spec, "a network spec");
    }
    if (st != NULL)
        n.st = *st;
    else
        RC_TRY(rc_graph_compute_stats(g, &n.st));
    RC_TRY(rc_graph_degree_histogram(g, 1, &n.hist[0], &n.hist_len[0]));
    RC_TRY(rc_graph_degree_histogram(g, 0, &n.hist[1], &n.hist_len[1]));
    rc_jnet_encode(&b, &n);
    RC_TRY(rc_jbuf_check(&b));
    RC_TRY(rc_rfs_check_room(r->path, 2 * b.len + ((uint64_t)1 << 20)));
    RC_TRY(rc_journal_append(r->journal, RC_JREC_NETWORK, n.id, b.data, b.len));
    RC_TRY(rc_rfile_open_rw(r, r->path, &file));
    status = rc_append_network(file, r, &n);
    status = rc_rfile_close_rw(r, file, status);
    file = -1;
    if (status != RC_OK)
        goto cleanup;
    r->net_done[network_id] = 1;
cleanup:
    rc_h5_close(file);
    rc_jbuf_free(&b);
    rc_net_rec_clear(&n);
    return status;
}

rc_status_t rc_results_write_point(rc_results_t *r, const rc_mc_results_t *res)
{
    rc_status_t status = RC_OK;
    rc_jbuf_t b = {0};
    hid_t file = -1;
    rc_h5_quiet();
    if (r == NULL || res == NULL)
        RC_FAIL(RC_ERR_INTERNAL, "rc_results_write_point: no results");
    if (res->point >= r->ex->n_points)
        RC_FAIL(RC_ERR_INTERNAL, "%s: point %llu is not one of the experiment's %zu", r->path,
                (unsigned long long)res->point, r->ex->n_points);
    if (r->done[res->point])
        RC_FAIL(RC_ERR_INTERNAL, "%s: point %llu is already in the file", r->path,
                (unsigned long long)res->point);
    if (res->runs != r->ex->runs)
        RC_FAIL(RC_ERR_INTERNAL, "%s: point %llu has %llu runs, the experiment %llu", r->path,
                (unsigned long long)res->point, (unsigned long long)res->runs,
                (unsigned long long)r->ex->runs);
    if (r->journal == NULL)
        RC_FAIL(RC_ERR_INTERNAL, "%s: has no journal open", r->path);
    rc_jpoint_encode(&b, res);
    RC_TRY(rc_jbuf_check(&b));
    /* journal (compressed, <= b.len) + HDF5 rows (compressed /runs, curves, summary) */
    uint64_t need = 2 * (uint64_t)b.len + res->runs * r->lay.runs.msize +
                    ((uint64_t)res->gen_len + 2 * RC_CURVES_TIME_BINS + 64) * 64 + r->lay.summary.msize +
                    ((uint64_t)1 << 20);
    RC_TRY(rc_rfs_check_room(r->path, need));
    RC_TRY(rc_journal_append(r->journal, RC_JREC_POINT, res->point, b.data, b.len));
    status = rc_rfile_open_rw(r, r->path, &file);
    if (status == RC_OK)
        status = rc_append_point(file, r, res);
    status = rc_rfile_close_rw(r, file, status);
    file = -1;
    if (status != RC_OK) {
        /* the journal holds the point: say so, --resume writes it */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        RC_FAIL(status, "%s (point %llu is kept in %s; rerun with --resume)", msg,
                (unsigned long long)res->point, r->jpath);
    }
    r->done[res->point] = 1;
    r->n_done++;
cleanup:
    rc_h5_close(file);
    rc_jbuf_free(&b);
    return status;
}

rc_status_t rc_results_close(rc_results_t *r)
{
    rc_status_t status = RC_OK;
    if (r == NULL)
        return RC_OK;
    if (r->journal != NULL) {
        int complete = r->n_done == r->ex->n_points;
        status = rc_journal_close(r->journal, complete);
        r->journal = NULL;
    }
    rc_rfile_free(r);
    return status;
}

/* ---- resume ---- */

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

/* Is the stored experiment this one? RC_ERR_USAGE naming the first difference otherwise. */
static rc_status_t rc_check_identity(const rc_results_t *r, const char *source, uint64_t seed,
                                     uint64_t runs, uint64_t n_points, const char *resolved)
{
    const rc_experiment_t *ex = r->ex;
    char diff[256];
    const char *hint = "use --force to start over, or -o for a new file";
    if (seed != ex->seed)
        return rc_error(RC_ERR_USAGE, "%s: %s was made with seed %llu, this run has seed %llu; %s",
                        r->path, source, (unsigned long long)seed, (unsigned long long)ex->seed,
                        hint);
    if (runs != ex->runs)
        return rc_error(RC_ERR_USAGE,
                        "%s: %s was made with %llu runs per point, this run has %llu; %s", r->path,
                        source, (unsigned long long)runs, (unsigned long long)ex->runs, hint);
    if (n_points != ex->n_points)
        return rc_error(RC_ERR_USAGE, "%s: %s was made with %llu points, this run has %zu; %s",
                        r->path, source, (unsigned long long)n_points, ex->n_points, hint);
    if (resolved == NULL || strcmp(resolved, r->resolved) != 0) {
        rc_first_diff(resolved ? resolved : "", r->resolved, diff, sizeof diff);
        return rc_error(RC_ERR_USAGE, "%s: %s was made from a different config (%s); %s", r->path,
                        source, diff, hint);
    }
    return RC_OK;
}

/* What an inspection of the HDF5 file found. */
typedef struct rc_h5_state {
    int usable;        /* opens, is this experiment, reads back consistently */
    char why[256];     /* why not */
    uint8_t *done;     /* per point */
    uint8_t *net_done; /* per network */
    uint64_t n_done;
    /* rows to keep / rows present of each appended table (keep < rows: cut the tail) */
    uint64_t keep[6], rows[6];
    char *created, *command_line, *config, *config_path, *resumed;
} rc_h5_state_t;

static const char *const rc_appended[6] = {
    "runs", "summary", "curves/generations", "curves/size_ccdf", "curves/time", "networks/stats"};

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

/* Opens the file read-only and checks it: identity (a mismatch is an error, not damage),
 * /points, and that the appended tables hold whole points in a consistent order. Damage of
 * any kind leaves st->usable = 0 with the reason in st->why. */
static rc_status_t rc_h5_inspect(const rc_results_t *r, rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    const char *path = r->path;
    hid_t file = -1, fapl = -1;
    char *format = NULL, *resolved = NULL;
    uint64_t version = 0, seed = 0, runs = 0, n_points = 0;
    uint64_t *col = NULL, *col2 = NULL, n = 0, n2 = 0;
    uint8_t *seen = NULL;
    memset(st, 0, sizeof *st);
    st->done = calloc(ex->n_points ? ex->n_points : 1, 1);
    st->net_done = calloc(ex->n_networks ? ex->n_networks : 1, 1);
    seen = calloc(ex->n_points ? ex->n_points : 1, 1);
    RC_ALLOC_CHECK(st->done, "a results check");
    RC_ALLOC_CHECK(st->net_done, "a results check");
    RC_ALLOC_CHECK(seen, "a results check");

    if (H5Fis_hdf5(path) <= 0)
        RC_DAMAGED("not a readable HDF5 file");
    fapl = rc_rh5_fapl();
    file = fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : -1;
    if (file < 0)
        RC_DAMAGED("HDF5 cannot open it");
    if (rc_h5_read_str(file, "format", &format, path) != RC_OK)
        RC_DAMAGED("unreadable attributes");
    if (format == NULL || strcmp(format, RC_RESULTS_FORMAT) != 0)
        RC_FAIL(RC_ERR_INPUT, "%s: not an rtcascade results file (refusing to touch it)", path);
    if (rc_h5_read_u64(file, "format_version", &version, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_u64(file, "seed", &seed, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_u64(file, "runs_per_point", &runs, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_u64(file, "n_points", &n_points, path, RC_RESULTS_KIND) != RC_OK ||
        rc_h5_read_str(file, "resolved_config", &resolved, path) != RC_OK ||
        rc_h5_read_str(file, "created", &st->created, path) != RC_OK ||
        rc_h5_read_str(file, "command_line", &st->command_line, path) != RC_OK ||
        rc_h5_read_str(file, "config", &st->config, path) != RC_OK ||
        rc_h5_read_str(file, "config_path", &st->config_path, path) != RC_OK ||
        rc_h5_read_str(file, "resumed", &st->resumed, path) != RC_OK)
        RC_DAMAGED("unreadable attributes");
    if (version != RC_RESULTS_FORMAT_VERSION)
        RC_FAIL(RC_ERR_INPUT,
                "%s: results format version %llu cannot be resumed by this "
                "rtcascade (it writes version %d)",
                path, (unsigned long long)version, RC_RESULTS_FORMAT_VERSION);
    RC_TRY(rc_check_identity(r, "it", seed, runs, n_points, resolved));

    /* /points: every point, in order, with its status */
    if (rc_rh5_read_col_u64(file, "points", "point", &col, &n, path) != RC_OK ||
        rc_rh5_read_col_u64(file, "points", "status", &col2, &n2, path) != RC_OK)
        RC_DAMAGED("/points is unreadable");
    if (n != ex->n_points || n2 != n)
        RC_DAMAGED("/points has %llu rows, expected %zu", (unsigned long long)n, ex->n_points);
    for (uint64_t i = 0; i < n; i++) {
        if (col[i] != i || col2[i] > 1)
            RC_DAMAGED("/points row %llu is damaged", (unsigned long long)i);
        st->done[i] = (uint8_t)col2[i];
        st->n_done += col2[i];
    }
    free(col);
    free(col2);
    col = col2 = NULL;

    /* the appended point-keyed tables */
    for (int t = 0; t < 5; t++) {
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

    /* networks: each row's histograms must be there; only the last row may be unfinished */
    if (rc_rh5_read_col_u64(file, "networks/stats", "network", &col, &n, path) != RC_OK)
        RC_DAMAGED("/networks/stats is unreadable");
    st->rows[5] = n;
    st->keep[5] = n;
    for (uint64_t i = 0; i < n; i++) {
        char name[64];
        int ok = col[i] < ex->n_networks && !st->net_done[col[i]];
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
            st->keep[5] = i;
            break;
        }
        st->net_done[col[i]] = 1;
    }
    st->usable = 1;
cleanup:
    free(col);
    free(col2);
    free(seen);
    free(format);
    free(resolved);
    rc_h5_close(file);
    rc_h5_close(fapl);
    return status;
}

/* Cuts the tables of an unfinished append back to their kept rows. */
static rc_status_t rc_cut_tails(const rc_results_t *r, hid_t file, const rc_h5_state_t *st)
{
    rc_status_t status = RC_OK;
    hid_t dset = -1;
    for (int t = 0; t < 6; t++) {
        if (st->keep[t] >= st->rows[t])
            continue;
        hsize_t dims[1] = {(hsize_t)st->keep[t]};
        dset = H5Dopen2(file, rc_appended[t], H5P_DEFAULT);
        if (dset < 0 || H5Dset_extent(dset, dims) < 0)
            RC_FAIL(RC_ERR_IO, "%s: cannot cut the unfinished rows of /%s", r->path,
                    rc_appended[t]);
        rc_h5_close(dset);
        dset = -1;
    }
cleanup:
    rc_h5_close(dset);
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
    void *data = NULL;
    char *line = NULL, *resumed = NULL;
    hid_t file = -1;
    struct stat sb;
    char now[40];
    memset(&head, 0, sizeof head);
    memset(&st, 0, sizeof st);
    *out = NULL;
    rc_h5_quiet();
    RC_TRY(rc_rfile_new(path, ex, &r));
    int have_h5 = stat(path, &sb) == 0;
    if (have_h5 && S_ISDIR(sb.st_mode))
        RC_FAIL(RC_ERR_IO, "%s: cannot write: it is a folder", path);
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

    /* the journal first: it is the writer lock */
    if (have_j) {
        RC_TRY(rc_journal_open(r->jpath, path, 0, &r->journal));
        if (r->journal != NULL) {
            rc_rfs_remove_stale_tmps(path);
            RC_TRY(rc_journal_scan(r->journal, &recs, &n_recs));
            if (n_recs > 0 && recs[0].type == RC_JREC_HEADER) {
                RC_TRY(rc_journal_load(r->journal, &recs[0], &data));
                RC_TRY(rc_jheader_decode(data, (size_t)recs[0].raw_len, r->path, r->jpath, &head));
                free(data);
                data = NULL;
                RC_TRY(rc_check_identity(r, "its journal", head.seed, head.runs, head.n_points,
                                         head.resolved));
            } else {
                n_recs = 0; /* empty or headless: holds nothing usable */
            }
        }
    }
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
        memcpy(r->done, st.done, ex->n_points);
        memcpy(r->net_done, st.net_done, ex->n_networks);
        r->n_done = st.n_done;
        RC_TRY(rc_rfile_set_provenance(r, st.created, st.command_line, st.config, st.config_path));
        int cut = 0;
        for (int t = 0; t < 6; t++)
            cut |= st.keep[t] < st.rows[t];
        if (r->n_done == ex->n_points && !cut) {
            snprintf(r->note, sizeof r->note, "all %zu points are already done", ex->n_points);
            goto done; /* complete: leave the file untouched */
        }
        if (r->journal == NULL || n_recs == 0) {
            /* the journal was deleted: start one for the points to come (it cannot rebuild
             * the points before it, so it is marked partial) */
            if (r->journal == NULL)
                RC_TRY(rc_journal_open(r->jpath, path, 1, &r->journal));
            RC_TRY(rc_journal_reset(r->journal));
            RC_TRY(rc_rfile_journal_header(r, 0));
            free(recs);
            recs = NULL;
            n_recs = 0;
        }
        RC_TRY(rc_journal_append(r->journal, RC_JREC_RESUMED, 0, line, strlen(line)));
        resumed = rc_rfs_add_line(st.resumed, line);
        RC_ALLOC_CHECK(resumed, "the resume note");
        RC_TRY(rc_rfs_check_room(path, ((uint64_t)1 << 20)));
        RC_TRY(rc_rfile_open_rw(r, path, &file));
        status = rc_cut_tails(r, file, &st);
        uint64_t before = r->n_done;
        if (status == RC_OK)
            status = rc_append_replay(r, file, recs, n_recs, 1, 1);
        if (status == RC_OK)
            status = rc_rh5_attr_set_u64(file, "points_done", r->n_done, path);
        if (status == RC_OK)
            status = rc_rh5_attr_set_str(file, "resumed", resumed, path);
        status = rc_rfile_close_rw(r, file, status);
        file = -1;
        if (status != RC_OK)
            goto cleanup;
        snprintf(r->note, sizeof r->note, "%llu of %zu points done%s%s",
                 (unsigned long long)r->n_done, ex->n_points,
                 cut ? "; cut the rows of an unfinished point" : "",
                 r->n_done > before ? "; wrote the journal's points the file was missing" : "");
        goto done;
    }

    /* the file is missing or damaged: rebuild it from the journal */
    if (r->journal == NULL || n_recs == 0 || !head.full) {
        if (!have_h5)
            RC_FAIL(RC_ERR_INPUT,
                    "%s: is missing and its journal %s cannot rebuild it; use "
                    "--force to start over",
                    path, r->jpath);
        RC_FAIL(RC_ERR_INPUT,
                "%s: is damaged (%s) and there is no complete journal to rebuild "
                "it from; use --force to start over",
                path, st.why);
    }
    RC_TRY(
        rc_rfile_set_provenance(r, head.created, head.command_line, head.config_text, head.config_path));
    RC_TRY(rc_journal_append(r->journal, RC_JREC_RESUMED, 0, line, strlen(line)));
    free(recs);
    recs = NULL;
    RC_TRY(rc_journal_scan(r->journal, &recs, &n_recs));
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
    memset(r->done, 0, ex->n_points);
    memset(r->net_done, 0, ex->n_networks);
    r->n_done = 0;
    RC_TRY(rc_rfile_build(r, resumed ? resumed : "", recs, n_recs));
    snprintf(r->note, sizeof r->note, "%llu of %zu points done; rebuilt %s from the journal (%s)",
             (unsigned long long)r->n_done, ex->n_points, path, have_h5 ? st.why : "file missing");

done:
    *out = r;
    r = NULL;
cleanup:
    rc_rfile_free(r);
    rc_jheader_clear(&head);
    rc_h5_state_clear(&st);
    free(recs);
    free(data);
    free(line);
    free(resumed);
    return status;
}
