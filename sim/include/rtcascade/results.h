/* HDF5 results file of an experiment (layout: docs/results-format.md, format_version 2).
 *
 * A tiny create / append / close API hides HDF5 from the rest of the program. The file is
 * written so that finished work survives anything: it is kept CLOSED between points (each
 * point is one short open-append-flush-close), and every point is first appended, fsync'd, to
 * an append-only journal "<path>.journal" from which rc_results_open_resume() rebuilds the file
 * when a kill -9 landed inside that short window. The journal is removed once every point is in
 * the file. One writer per file (a lock on the journal refuses a second process).
 *
 * Threads: calls on one rc_results_t must not overlap, and no other HDF5 use (e.g. a graph
 * cache) may run during one, as the HDF5 library here is not thread-safe. A background writer
 * thread is fine when the other threads wait for it; error messages are per thread, so read
 * rc_error_message() on the thread that made the failing call. */
#ifndef RTCASCADE_RESULTS_H
#define RTCASCADE_RESULTS_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph.h"

#include <stdint.h>
#include <stdio.h>

#define RC_RESULTS_FORMAT "rtcascade-results"
#define RC_RESULTS_FORMAT_VERSION 2

/* An open results file (the HDF5 file itself is closed between calls). */
typedef struct rc_results rc_results_t;

/* Where an experiment came from, stored as root attributes. Strings are copied. */
typedef struct rc_results_provenance {
    const char *command_line; /* the command as typed (argv joined and quoted); may be NULL */
    const char *config_text;  /* the config YAML exactly as given: file contents, or the embedded
                                 default study's text when no config was named; may be NULL */
    const char *config_path;  /* the config file's path, or NULL for the embedded default */
} rc_results_provenance_t;

/* Appends the word s to the command line being built in buf (*len bytes so far; buf may be
 * NULL), separated by a space and single-quoted when a shell would otherwise split or expand
 * it, for the command_line provenance attribute. Returns the grown buffer, or NULL (and frees
 * buf) when out of memory. */
char *rc_shell_word(char *buf, size_t *len, const char *s);

/* "program argv[0] ... argv[argc-1]" shell-quoted (rc_shell_word), leaving out the words listed
 * in `drop` (NULL-terminated, may be NULL) and adding `ensure` (may be NULL) at the end unless
 * it is there: the command line provenance attribute, or the command that finishes a run.
 * malloc'ed; NULL when out of memory. */
char *rc_shell_command(const char *program, int argc, char *const *argv,
                       const char *const *drop, const char *ensure);

/* Checks, before any work, that a new results file can be written at path: not a folder nor
 * any other non-regular file (RC_ERR_IO), not existing (nor its journal) unless `force`
 * (RC_ERR_EXISTS), its folder made when missing and writable (RC_ERR_IO). */
rc_status_t rc_results_check_path(const char *path, int force);

/* Starts a new results file for `ex` at `path`: writes the journal, then the skeleton (root
 * attributes, /points with every point pending, empty /runs, /summary, /curves, /networks)
 * through "<path>.tmp.<pid>" + rename. Missing parent directories are created.
 * Refuses (RC_ERR_EXISTS, "<path>: exists; use --resume to finish it or --force to overwrite")
 * when `path` or its journal exists, unless `force` (then both are replaced). RC_ERR_IO naming
 * the path when it cannot be written (permissions, missing disk space); another process
 * writing the same file is refused (RC_ERR_IO). ex must outlive *out. Free with
 * rc_results_close. */
rc_status_t rc_results_create(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, int force, rc_results_t **out);

/* Reopens an interrupted results file to finish it. Checks that it was made from the same
 * experiment (resolved config text, seed, runs per point, points): otherwise RC_ERR_MISMATCH with a
 * message naming the first difference. Repairs what an interrupt left: rows of a point that was
 * being appended but not finished are cut; points that are in the journal but not in the file
 * are written from it; a file that does not open or does not read back consistently is rebuilt
 * from the journal (RC_ERR_INPUT when it is damaged and there is no journal). When neither the
 * file nor its journal exists, starts a new file as rc_results_create would (so rerunning the
 * same --resume command is always safe). prov (may be NULL) is recorded in the `resumed`
 * attribute; the original provenance is kept. Ask rc_results_point_done which points remain. */
rc_status_t rc_results_open_resume(const char *path, const rc_experiment_t *ex,
                                   const rc_results_provenance_t *prov, rc_results_t **out);

/* 1 when point `point` is complete in the file (written in this session or an earlier one),
 * 0 when it must still be run (or is out of range). Cannot fail. */
int rc_results_point_done(const rc_results_t *r, uint64_t point);

/* Number of complete points. Cannot fail. */
uint64_t rc_results_points_done(const rc_results_t *r);

/* What rc_results_open_resume did, in one line for the user ("2 of 4 points done; rebuilt from
 * the journal after an interrupted write"), or "" after rc_results_create. Cannot fail. */
const char *rc_results_note(const rc_results_t *r);

/* Records network `network_id` (rc_point_t.network_id): one row of /networks/stats and its
 * degree histograms. st may be NULL (then computed here, O(m log d), with OpenMP). Writing an
 * id that is already in the file, or into a complete file, does nothing, so a resumed run can
 * call it again. Durable on return. */
rc_status_t rc_results_write_network(rc_results_t *r, size_t network_id, const rc_graph_t *g,
                                     const rc_graph_stats_t *st);

/* Appends the finished point res->point: its runs (res->runs must equal the experiment's runs),
 * summary row, curves, events (res->events, when its config asked for them), and flips its
 * /points status to done. Durable on return: journal
 * fsync'd, HDF5 file flushed and closed. Writing a point that is already done is
 * RC_ERR_INTERNAL. Rows go to /runs, /summary and /curves in call order, so write points in
 * index order for files that are identical whatever the thread count. Disk space is checked
 * before anything is written (RC_ERR_IO naming the path); on any error the file still holds
 * every earlier point. Call it with signals deferred: it is the short window. */
rc_status_t rc_results_write_point(rc_results_t *r, const rc_mc_results_t *res);

/* A point made ready to write (rc_results_prepare_point). */
typedef struct rc_results_prep rc_results_prep_t;

/* What writing point res costs in CPU, done ahead without the file or HDF5: its journal record
 * compressed, and its /runs rows packed and (when the experiment's points fill whole chunks)
 * shuffled, deflated and checksummed chunk by chunk as the file's filters would. May run on any
 * thread, for several points at once, also while another thread writes to r (it reads only what
 * r derived from the experiment). Free *out with rc_results_prep_free, or hand it to
 * rc_results_write_prepared. RC_ERR_NOMEM. */
rc_status_t rc_results_prepare_point(const rc_results_t *r, const rc_mc_results_t *res,
                                     rc_results_prep_t **out);

/* rc_results_write_point with what rc_results_prepare_point made for res (the ready chunks are
 * written as they are when the file's /runs takes them). Takes prep, even on error. */
rc_status_t rc_results_write_prepared(rc_results_t *r, const rc_mc_results_t *res,
                                      rc_results_prep_t *prep);

/* NULL is harmless. */
void rc_results_prep_free(rc_results_prep_t *prep);

/* Finishes and frees r (NULL is harmless). When every point is done the journal is removed;
 * otherwise it is kept for --resume. Returns the first error of those final steps (the file
 * still holds every written point). */
rc_status_t rc_results_close(rc_results_t *r);

/* Describes a results file in words for `rtcascade info`: experiment, creation, provenance,
 * points and scenarios, swept keys and values, runs, metrics, networks, completeness (and
 * whether a journal is waiting for --resume). RC_ERR_IO / RC_ERR_INPUT when it cannot be read
 * or is not an rtcascade results file. */
rc_status_t rc_results_describe(const char *path, FILE *f);

#endif
