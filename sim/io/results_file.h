/* The state of an open results file (rc_results_t), shared by the files of the results writer:
 * results_h5.c (public entry points), results_layout.c, results_append.c and results_resume.c,
 * and what results_file.c does with it: make and free it, open and close the HDF5 file for one
 * write session, build a whole file. Private to sim/io. */
#ifndef RC_RESULTS_FILE_H
#define RC_RESULTS_FILE_H

#include "io/h5safe.h"
#include "io/results_internal.h"
#include "io/results_journal.h"
#include "io/results_layout.h"
#include "rtcascade/experiment.h"
#include "rtcascade/results.h"

#include <stdint.h>

struct rc_results {
    char *path, *jpath;
    const rc_experiment_t *ex;
    char *resolved;        /* rc_cfg_to_yaml(ex->resolved): the identity of the experiment */
    rc_journal_t *journal; /* NULL only when the file is complete */
    uint8_t *done;         /* per point */
    uint64_t n_done;
    uint8_t *net_done; /* per network id */
    rc_layout_t lay;
    char *created, *command_line, *config_text, *config_path; /* provenance kept for rebuilds */
    char note[512];
};

/* A handle for `path` and ex with everything derived from the experiment (layout, resolved
 * config, per-point flags), no provenance yet and no file touched. RC_ERR_ARGUMENT when path is
 * NULL or empty; RC_ERR_NOMEM. Free with rc_rfile_free. */
rc_status_t rc_rfile_new(const char *path, const rc_experiment_t *ex, rc_results_t **out);
/* Frees r and closes its journal if open (keeping the journal file). NULL is harmless. */
void rc_rfile_free(rc_results_t *r);
/* Replaces r's provenance with copies (NULL is stored as ""). RC_ERR_NOMEM only. */
rc_status_t rc_rfile_set_provenance(rc_results_t *r, const char *created, const char *cmd,
                                    const char *config, const char *config_path);
/* Appends the header record (r's identity and provenance) to r's open journal; `full`: the
 * journal will hold every point of the file (it can rebuild it alone). RC_ERR_NOMEM /
 * RC_ERR_IO, as rc_journal_append. */
rc_status_t rc_rfile_journal_header(rc_results_t *r, int full);

/* Opens file_path (r->path or a temporary of it) for one write session through the safe driver
 * (io/h5safe.h), which reports into *io (zeroed here; it must live until rc_rfile_close_rw).
 * RC_ERR_IO naming r->path, with the system's reason when there is one. */
rc_status_t rc_rfile_open_rw(const rc_results_t *r, const char *file_path,
                             rc_h5safe_report_t *io, hid_t *file);
/* Ends a write session on `file` (nothing when negative): closes it, which flushes it and syncs
 * it to disk. All or nothing: when `status` is an error, or a write, the sync or the close
 * fails, the session's writes are dropped and the file is put back as it was when opened.
 * Returns the error of the driver when it had one (naming the system's reason and whether the
 * file was put back), else `status`, else RC_ERR_IO when HDF5 could not close it. */
rc_status_t rc_rfile_close_rw(const rc_results_t *r, hid_t file, rc_h5safe_report_t *io,
                              rc_status_t status);

/* Builds r's file whole: the skeleton (with `resumed` as its resumed attribute), then the
 * records recs[0..n_recs) replayed into it, written at "<path>.tmp.<pid>" (synced to disk), then
 * renamed to r->path and the folder synced. The caller holds the journal lock. On error the temporary is
 * removed and r->path is untouched. RC_ERR_IO naming r->path (room checked first), the errors
 * of rc_append_replay. */
rc_status_t rc_rfile_build(rc_results_t *r, const char *resumed, const rc_jrec_t *recs,
                           size_t n_recs);

#endif
