/* HDF5 results writer, the public entry points of rtcascade/results.h: create a results file,
 * record a network, append each finished point, close; --resume is results_resume.c.
 *
 * Durability: the HDF5 file is open only while one point is appended (open, append, flush,
 * close), so a kill between points leaves a closed, consistent file. Each point is first
 * appended to the fsync'd journal (results_journal.c); a kill inside the short HDF5 window is
 * repaired at resume: rows of the unfinished point are cut (a point's /points status flips to 1
 * only after all its rows are written) and missing points are replayed from the journal, or the
 * whole file is rebuilt from the journal when it no longer opens or reads back consistently.
 *
 * The other files of the writer: results_file.c (the handle, write sessions, building a file),
 * results_layout.c (tables and skeleton), results_append.c (rows of a point or a network),
 * results_codec.c (journal payloads), results_fs.c (folders, room), results_h5util.c (HDF5). */
#include "rtcascade/results.h"

#include "io/results_append.h"
#include "io/results_prep.h"
#include "io/results_codec.h"
#include "io/results_file.h"
#include "io/h5safe.h"
#include "io/results_fs.h"
#include "io/results_internal.h"
#include "io/results_journal.h"
#include "rtcascade/curves.h"
#include "rtcascade/events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rc_shell_word(char *buf, size_t *len, const char *s)
{
    int plain = *s != '\0';
    for (const char *c = s; *c; c++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,@+-%", *c))
            plain = 0;
    }
    size_t need = *len + 4 * strlen(s) + 4;
    char *nb = realloc(buf, need);
    if (nb == NULL) {
        free(buf);
        return NULL;
    }
    char *p = nb + *len;
    if (*len > 0)
        *p++ = ' ';
    if (plain) {
        p += sprintf(p, "%s", s);
    } else {
        *p++ = '\'';
        for (const char *c = s; *c; c++) {
            if (*c == '\'') {
                memcpy(p, "'\\''", 4); /* close, escaped quote, reopen */
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        *p++ = '\'';
        *p = '\0';
    }
    *len = (size_t)(p - nb);
    return nb;
}

char *rc_shell_command(const char *program, int argc, char *const *argv,
                       const char *const *drop, const char *ensure)
{
    size_t len = 0;
    int has = 0;
    char *buf = rc_shell_word(NULL, &len, program);
    for (int i = 0; i < argc && buf != NULL; i++) {
        int skip = 0;
        for (size_t k = 0; drop != NULL && drop[k] != NULL; k++)
            skip |= strcmp(argv[i], drop[k]) == 0;
        has |= ensure != NULL && strcmp(argv[i], ensure) == 0;
        if (!skip)
            buf = rc_shell_word(buf, &len, argv[i]);
    }
    if (ensure != NULL && !has && buf != NULL)
        buf = rc_shell_word(buf, &len, ensure);
    return buf;
}

rc_status_t rc_results_check_path(const char *path, int force)
{
    rc_status_t status = RC_OK;
    struct stat sb;
    char *jpath = rc_rfs_strcat3(path, ".journal", "");
    char *dir = NULL;
    RC_ALLOC_CHECK(jpath, "a file name");
    if (path[0] == '\0')
        RC_FAIL(RC_ERR_ARGUMENT, "no results file name given");
    RC_TRY(rc_h5_check_output(path, "results"));
    RC_TRY(rc_h5_check_output(jpath, "journals"));
    if (stat(path, &sb) == 0 && !force)
        RC_FAIL(RC_ERR_EXISTS, "%s: exists; use --resume to finish it or --force to overwrite",
                path);
    if (!force && stat(jpath, &sb) == 0 && sb.st_size > 0)
        RC_FAIL(RC_ERR_EXISTS,
                "%s: an interrupted run left %s; use --resume to recover it or --force to "
                "start over",
                path, jpath);
    RC_TRY(rc_rfs_make_parents(path));
    dir = rc_rfs_dir_of(path);
    RC_ALLOC_CHECK(dir, "a folder name");
    if (access(dir, W_OK | X_OK) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot write in its folder: %s", path, strerror(errno));
cleanup:
    free(dir);
    free(jpath);
    return status;
}

rc_status_t rc_results_create(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, int force, rc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_results_t *r = NULL;
    char now[40];
    *out = NULL;
    rc_h5_quiet();
    RC_TRY(rc_rfile_new(path, ex, &r));
    rc_rh5_now(now, sizeof now);
    RC_TRY(rc_rfile_set_provenance(r, now, prov ? prov->command_line : NULL,
                                   prov ? prov->config_text : NULL,
                                   prov ? prov->config_path : NULL));
    RC_TRY(rc_results_check_path(path, force));
    RC_TRY(rc_journal_open(r->jpath, path, 1, &r->journal));
    rc_rfs_remove_stale_tmps(path);
    RC_TRY(rc_journal_reset(r->journal));
    RC_TRY(rc_rfile_journal_header(r, 1));
    RC_TRY(rc_rfs_sync_dir(r->jpath));
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
    rc_h5safe_report_t io;
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
    n.spec = rc_rfs_strdup0(r->ex->networks[network_id].text);
    RC_ALLOC_CHECK(n.spec, "a network spec");
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
    RC_TRY(rc_rfile_open_rw(r, r->path, &io, &file));
    status = rc_append_network(file, r, &n);
    status = rc_rfile_close_rw(r, file, &io, status);
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

rc_status_t rc_results_write_prepared(rc_results_t *r, const rc_mc_results_t *res,
                                      rc_results_prep_t *prep)
{
    rc_status_t status = RC_OK;
    rc_h5safe_report_t io;
    hid_t file = -1;
    rc_h5_quiet();
    if (r == NULL || res == NULL || prep == NULL || prep->point != res->point)
        RC_FAIL(RC_ERR_INTERNAL, "rc_results_write_prepared: no results");
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
    /* journal (compressed, <= its record) + HDF5 rows (compressed /runs, curves, summary) */
    uint64_t need = 2 * (uint64_t)prep->jrec_len + res->runs * r->lay.runs.msize +
                    ((uint64_t)res->gen_len + 2 * RC_CURVES_TIME_BINS + 64) * 64 +
                    (uint64_t)RC_GROWTH_TIMES * r->lay.growth.msize +
                    (res->events ? res->events->count * r->lay.events.msize : 0) +
                    r->lay.summary.msize + ((uint64_t)1 << 20);
    RC_TRY(rc_rfs_check_room(r->path, need));
    RC_TRY(rc_journal_append_record(r->journal, prep->jrec, prep->jrec_len));
    status = rc_rfile_open_rw(r, r->path, &io, &file);
    if (status == RC_OK)
        status = rc_append_point(file, r, res, prep);
    status = rc_rfile_close_rw(r, file, &io, status);
    file = -1;
    if (status != RC_OK) {
        /* the journal holds the point: say so, --resume writes it */
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        RC_FAIL(status, "%s; point %llu is kept in %s: rerun with --resume once fixed", msg,
                (unsigned long long)res->point, r->jpath);
    }
    r->done[res->point] = 1;
    r->n_done++;
cleanup:
    rc_h5_close(file);
    rc_results_prep_free(prep);
    return status;
}

rc_status_t rc_results_write_point(rc_results_t *r, const rc_mc_results_t *res)
{
    rc_results_prep_t *prep = NULL;
    if (r == NULL || res == NULL)
        return rc_error(RC_ERR_INTERNAL, "rc_results_write_point: no results");
    rc_status_t status = rc_results_prepare_point(r, res, &prep);
    return status != RC_OK ? status : rc_results_write_prepared(r, res, prep);
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
