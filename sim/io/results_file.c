/* The handle of a results file (struct rc_results, results_file.h): made from the experiment,
 * given its provenance, and freed; the short write sessions on the HDF5 file (open, then flush
 * and close); and whole files built at "<path>.tmp.<pid>" and renamed into place, so a file at
 * the results path is never half-built. */
#include "io/results_file.h"

#include "io/results_append.h"
#include "io/results_codec.h"
#include "io/h5safe.h"
#include "io/results_fs.h"
#include "io/results_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void rc_rfile_free(rc_results_t *r)
{
    if (r == NULL)
        return;
    rc_journal_close(r->journal, 0);
    rc_layout_free(&r->lay, r->ex ? r->ex->n_swept : 0);
    free(r->path);
    free(r->jpath);
    free(r->resolved);
    free(r->done);
    free(r->net_done);
    free(r->created);
    free(r->command_line);
    free(r->config_text);
    free(r->config_path);
    free(r);
}

rc_status_t rc_rfile_new(const char *path, const rc_experiment_t *ex, rc_results_t **out)
{
    rc_status_t status = RC_OK;
    rc_results_t *r = calloc(1, sizeof *r);
    *out = NULL;
    RC_ALLOC_CHECK(r, "a results file");
    if (path == NULL || *path == '\0')
        RC_FAIL(RC_ERR_ARGUMENT, "no results file name given");
    r->ex = ex;
    r->path = strdup(path);
    r->jpath = rc_rfs_strcat3(path, ".journal", "");
    r->resolved = ex->resolved ? rc_cfg_to_yaml(ex->resolved) : strdup("");
    r->done = calloc(ex->n_points ? ex->n_points : 1, 1);
    r->net_done = calloc(ex->n_networks ? ex->n_networks : 1, 1);
    RC_ALLOC_CHECK(r->path, "a results file");
    RC_ALLOC_CHECK(r->jpath, "a results file");
    RC_ALLOC_CHECK(r->resolved, "the resolved config");
    RC_ALLOC_CHECK(r->done, "a results file");
    RC_ALLOC_CHECK(r->net_done, "a results file");
    RC_TRY(rc_layout_init(ex, &r->lay));
    *out = r;
    r = NULL;
cleanup:
    rc_rfile_free(r);
    return status;
}

rc_status_t rc_rfile_set_provenance(rc_results_t *r, const char *created, const char *cmd,
                                    const char *config, const char *config_path)
{
    free(r->created);
    free(r->command_line);
    free(r->config_text);
    free(r->config_path);
    r->created = rc_rfs_strdup0(created);
    r->command_line = rc_rfs_strdup0(cmd);
    r->config_text = rc_rfs_strdup0(config);
    r->config_path = rc_rfs_strdup0(config_path);
    if (!r->created || !r->command_line || !r->config_text || !r->config_path)
        return rc_error(RC_ERR_NOMEM, "out of memory allocating the provenance");
    return RC_OK;
}

rc_status_t rc_rfile_journal_header(rc_results_t *r, int full)
{
    rc_status_t status = RC_OK;
    rc_jbuf_t b = {0};
    const rc_jheader_t h = {.version = RC_JOURNAL_VERSION,
                            .full = (uint64_t)full,
                            .seed = r->ex->seed,
                            .runs = r->ex->runs,
                            .n_points = r->ex->n_points,
                            .resolved = r->resolved,
                            .created = r->created,
                            .command_line = r->command_line,
                            .config_text = r->config_text,
                            .config_path = r->config_path};
    rc_jheader_encode(&b, &h);
    RC_TRY(rc_jbuf_check(&b));
    RC_TRY(rc_journal_append(r->journal, RC_JREC_HEADER, 0, b.data, b.len));
cleanup:
    rc_jbuf_free(&b);
    return status;
}

rc_status_t rc_rfile_open_rw(const rc_results_t *r, const char *file_path,
                             rc_h5safe_report_t *io, hid_t *file)
{
    memset(io, 0, sizeof *io);
    hid_t fapl = rc_h5safe_fapl(io);
    *file = fapl >= 0 ? H5Fopen(file_path, H5F_ACC_RDWR, fapl) : -1;
    rc_h5_close(fapl);
    if (*file >= 0)
        return RC_OK;
    if (io->failed) /* opening for writing writes (HDF5 marks the file open) */
        return rc_h5safe_status(io, r->path, RC_ERR_IO);
    /* HDF5's own failure says little, so errno is asked */
    int fd = open(file_path, O_RDWR | O_NONBLOCK);
    if (fd < 0)
        return rc_error(RC_ERR_IO, "%s: cannot open for writing: %s", r->path, strerror(errno));
    close(fd); /* read-only use: nothing to lose */
    return rc_error(RC_ERR_IO, "%s: cannot open for writing (HDF5 refused it)", r->path);
}

rc_status_t rc_rfile_close_rw(const rc_results_t *r, hid_t file, rc_h5safe_report_t *io,
                              rc_status_t status)
{
    if (file < 0)
        return rc_h5safe_status(io, r->path, status);
    /* all or nothing: after any error the driver drops the session's writes and puts the
     * file back as it was when opened; closing flushes and syncs (once) */
    if (status != RC_OK)
        io->rollback = 1;
    herr_t closed = H5Fclose(file);
    status = rc_h5safe_status(io, r->path, status);
    if (status == RC_OK && closed < 0)
        status = rc_error(RC_ERR_IO, "%s: cannot finish writing (HDF5 could not close it)",
                          r->path);
    return status;
}

rc_status_t rc_rfile_build(rc_results_t *r, const char *resumed, const rc_jrec_t *recs,
                           size_t n_recs)
{
    rc_status_t status = RC_OK;
    rc_h5safe_report_t io;
    char *tmp = NULL;
    hid_t file = -1, fapl = -1;
    int created = 0;
    size_t len = strlen(r->path) + 32;
    memset(&io, 0, sizeof io);
    tmp = malloc(len);
    RC_ALLOC_CHECK(tmp, "a file name");
    snprintf(tmp, len, "%s.tmp.%ld", r->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create: %s", r->path, strerror(errno));
    created = 1;
    if (close(fd) != 0)
        RC_FAIL(RC_ERR_IO, "%s: cannot create %s: %s", r->path, tmp, strerror(errno));
    RC_TRY(rc_rfs_check_room(tmp, rc_layout_skeleton_bytes(r)));
    fapl = rc_h5safe_fapl(&io);
    file = fapl >= 0 ? H5Fcreate(tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl) : -1;
    if (file < 0) {
        RC_TRY(rc_h5safe_status(&io, r->path, RC_OK));
        RC_FAIL(RC_ERR_IO, "%s: cannot create: HDF5 could not create %s", r->path, tmp);
    }
    RC_TRY(rc_layout_write_skeleton(file, r, resumed));
    if (n_recs > 0)
        RC_TRY(rc_append_replay(r, file, recs, n_recs, 1, 1));
cleanup:
    status = rc_rfile_close_rw(r, file, &io, status);
    if (status == RC_OK) {
        if (rename(tmp, r->path) != 0)
            status = rc_error(RC_ERR_IO, "%s: cannot rename %s into place: %s", r->path, tmp,
                              strerror(errno));
        else
            created = 0;
    }
    if (status == RC_OK)
        status = rc_rfs_sync_dir(r->path);
    if (created)
        unlink(tmp);
    rc_h5_close(fapl);
    free(tmp);
    return status;
}
