/* The experiment runner (run layer): runs every point of an experiment and hands each finished
 * point to a sink. It owns the order of the points (grouped by network, so each network is built
 * once and held alone), building or loading the networks, checking each point's seeds on its
 * network before any of them runs, the background writer that keeps the sink's cost off the
 * runs, resuming (points the sink already holds are skipped), cancellation (a hook polled
 * between runs) and, in an MPI build started under mpirun, the distribution of work over ranks.
 *
 * Results leave through an rc_sink_t: the HDF5 results file (rc_sink_h5_*), memory
 * (rc_sink_memory_*, for programs and tests), or any table of functions a program supplies.
 * Results do not depend on the thread count, the schedule or the number of MPI ranks. */
#ifndef RTCASCADE_RUNNER_H
#define RTCASCADE_RUNNER_H

#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/experiment.h"
#include "rtcascade/fit_io.h"
#include "rtcascade/graph.h"
#include "rtcascade/results.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- Sinks ---- */

/* What a sink does. The runner calls network() and point() in run order from one thread at a
 * time (point() from its writer thread), never two at once. */
typedef struct rc_sink_ops {
    /* Optional: 1 when point `point` is complete already (resume); the runner skips it. */
    int (*point_done)(void *ctx, uint64_t point);
    /* Network `id` is built and its points' seeds checked on it; called before its first point
     * is written (a file sink makes its file at the first call). */
    rc_status_t (*network)(void *ctx, size_t id, const rc_graph_t *g);
    /* A finished point. The sink may keep the results (setting *res = NULL). */
    rc_status_t (*point)(void *ctx, rc_mc_results_t **res);
    /* Ends the sink: flushes, frees ctx. Returns the first error of finishing. */
    rc_status_t (*close)(void *ctx);
    /* Optional, all three or none: the part of a point's write that needs nothing exclusive
     * (compressing, packing), done away from the writer: prepare() on the thread that finished
     * the point, for several points at once, while point_prepared() may run for another;
     * *prep then goes with the point to point_prepared() instead of point() (which takes it,
     * even on error), or to discard() when the point is not written. */
    rc_status_t (*prepare)(void *ctx, const rc_mc_results_t *res, void **prep);
    rc_status_t (*point_prepared)(void *ctx, rc_mc_results_t **res, void *prep);
    void (*discard)(void *ctx, void *prep);
} rc_sink_ops_t;

typedef struct rc_sink {
    const rc_sink_ops_t *ops;
    void *ctx;
    int exclusive_io; /* 1: writes use HDF5, which must not run during other HDF5 use (network
                         caches): the runner lets the writer finish before loading a network */
} rc_sink_t;

/* Closes and frees a sink (NULL is harmless); returns the first error of finishing. */
rc_status_t rc_sink_close(rc_sink_t *sink);

/* The HDF5 results file at path (layout: docs/results-format.md). Checked now: an existing
 * file or journal is RC_ERR_EXISTS unless `force`; a folder, a path that is not a regular file
 * or a folder that cannot be made or written is RC_ERR_IO. The file itself is made when the
 * first network is recorded, so an error found on the built network leaves nothing behind.
 * ex and prov's strings must outlive the sink (prov may be NULL). */
rc_status_t rc_sink_h5_create(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, int force, rc_sink_t **out);

/* Reopens an interrupted results file to finish it (rc_results_open_resume: repairs it from its
 * journal, refuses a file made by another experiment with RC_ERR_MISMATCH, starts a new file
 * when there is none). */
rc_status_t rc_sink_h5_resume(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, rc_sink_t **out);

/* What opening an HDF5 sink for resuming found, in one line ("" when nothing to say). */
const char *rc_sink_h5_note(const rc_sink_t *sink);

/* 1 once an HDF5 sink has a file on disk (made by it, or reopened). */
int rc_sink_h5_exists(const rc_sink_t *sink);

/* Points complete in an HDF5 sink's file (earlier sessions' included). */
uint64_t rc_sink_h5_points_done(const rc_sink_t *sink);

/* A sink that keeps every point's results in memory, indexed by point. */
rc_status_t rc_sink_memory_new(const rc_experiment_t *ex, rc_sink_t **out);

/* The results of point p held by a memory sink (NULL when it has none). Stays owned by the
 * sink. */
const rc_mc_results_t *rc_sink_memory_get(const rc_sink_t *sink, uint64_t point);

/* Gives a memory sink the results of a point as if written earlier (what a resumed file
 * holds): the runner then skips it. Takes *res. */
rc_status_t rc_sink_memory_put(rc_sink_t *sink, rc_mc_results_t **res);

/* How many times a memory sink was told of a network, and the id told at call i (SIZE_MAX
 * past the end). */
size_t rc_sink_memory_networks(const rc_sink_t *sink);
size_t rc_sink_memory_network_at(const rc_sink_t *sink, size_t i);

/* ---- The runner ---- */

typedef struct rc_run_options {
    int threads;            /* OpenMP threads for building networks and for runs; 0 = the
                               OpenMP default of the calling thread. Applied to this call only */
    rc_schedule_t schedule; /* of the run loop of rc_run_point and of MPI units (an experiment's
                               points share their threads in blocks handed out as they free) */
    uint32_t chunk;         /* runs per scheduling chunk, the least per block; 0 = 16 */
} rc_run_options_t;

/* Defaults: all threads, dynamic schedule, chunks of 16. */
rc_run_options_t rc_run_default_options(void);

/* What the runner tells its caller while it works; every member may be NULL. */
typedef struct rc_run_hooks {
    void *ctx;
    /* What runs now ("building network 1 of 2", "handpicked audience.engagement=0.1": the first
     * point not finished, others may run too); on the calling thread. */
    void (*status)(void *ctx, const char *what);
    /* A point finished and went to the sink's queue (in run order); on the calling thread. */
    void (*point_done)(void *ctx, const rc_point_t *pt, const rc_mc_results_t *res);
    /* Polled between runs from any thread: non-zero stops the experiment; the point in
     * progress is dropped and rc_run_experiment returns RC_ERR_INTERRUPTED. */
    int (*cancel)(void *ctx);
    /* Around each sink call (network and point records), on the thread making it: a program
     * that handles signals holds them here, so a second Ctrl-C never cuts a write. */
    void (*write_begin)(void *ctx);
    void (*write_end)(void *ctx);
} rc_run_hooks_t;

/* What happened, for reports and for rc_parallel_end. */
typedef struct rc_run_report {
    uint64_t points_total;      /* points of the experiment */
    uint64_t points_earlier;    /* complete in the sink before this call */
    uint64_t points_run;        /* finished by this call */
    int interrupted;            /* stopped by the cancel hook */
    double seconds_total;       /* the whole call */
    double seconds_build;       /* building or loading networks */
    double seconds_runs;        /* the Monte Carlo engine */
    double seconds_networks;    /* network records in the sink (statistics included) */
    double seconds_wait;        /* waiting for the writer (its cost to the runs) */
    double seconds_write;       /* the writer's own time (overlapping the runs) */
    /* Points run by the fused kernel, their adoptions and visits (rc_mc_results_t): adoptions
     * over visits is how many runs one read of a node's followers served. */
    uint64_t fused_points, fused_adoptions, fused_visits;
    /* MPI (several ranks): runs and engine seconds per rank, and the runs per unit of work. */
    int ranks;
    uint64_t *rank_runs;
    double *rank_seconds;
    uint64_t block;
    int mpi_phase;              /* private to the runner: where this rank got to (for
                                   rc_parallel_end) */
} rc_run_report_t;

/* Where the time went, in words (one line; one more when points ran fused, with the runs a
 * follower read served; one more with the ranks under MPI): `total` is the caller's whole time
 * and `open_close` what opening and closing the sink cost it. "results file" is what writing
 * cost the runs: waiting for the writer, network records, open/close; the writer's own time
 * overlaps the runs. */
void rc_run_report_print(const rc_run_report_t *rep, FILE *f, double total, double open_close);

/* Frees what a report holds; safe on a zeroed report. */
void rc_run_report_clear(rc_run_report_t *report);

/* Runs every point of ex that the sink does not already hold and hands it to the sink, in run
 * order (by network, then point index). Returns RC_OK when every point is done,
 * RC_ERR_INTERRUPTED when the cancel hook stopped it (points finished before are in the sink),
 * or the first error (with its message: a model's, a network's, the sink's...), after which the
 * sink holds every point finished before it. Does not close the sink. report may be NULL.
 * In an MPI build started with several ranks, every rank calls it with the same experiment:
 * rank 0 with the sink, which it alone writes, the others with sink NULL; rank 0 hands out
 * blocks of runs and the file is the same as one process's. */
rc_status_t rc_run_experiment(const rc_experiment_t *ex, const rc_run_options_t *opt,
                              rc_sink_t *sink, const rc_run_hooks_t *hooks,
                              rc_run_report_t *report);

/* A cancel hook for programs that stop a call from another thread (or a signal handler): ctx
 * points to an int that the program sets non-zero to stop; rc_run_flag_cancel reads it. */
int rc_run_flag_cancel(void *ctx);

/* ---- One point on a graph the caller holds ---- */

/* Runs `runs` runs of point pt (rc_point_parse, or a point of an experiment) on g, with the
 * engine options a point of rc_run_experiment gets (its global fraction, size cap, audience;
 * opt's threads and schedule, NULL = rc_run_default_options), so the per-run results equal
 * those of the same point (pt->index) and master seed in an experiment on the same graph. The
 * seeds or audience are checked on g first (RC_ERR_CONFIG naming the map). Of the hooks (may be
 * NULL) only cancel is used, polled between runs: it stops the call with RC_ERR_INTERRUPTED and
 * nothing returned. recorder (may be NULL) is told every run's cascade (events.h). Greedy seed
 * sequences are computed afresh. Free *out with rc_mc_results_free. */
rc_status_t rc_run_point(const rc_point_t *pt, const rc_graph_t *g, uint64_t runs,
                         uint64_t master_seed, const rc_run_options_t *opt,
                         const rc_run_hooks_t *hooks, const rc_mc_recorder_t *recorder,
                         rc_mc_results_t **out);

/* ---- Networks outside an experiment ---- */

/* The graph of spec (rc_network_load: generated, read, or reloaded from its cache) built with
 * `threads` OpenMP threads (0 = the default) for this call only; *seconds (may be NULL) gets
 * the time it took. */
rc_status_t rc_run_load_network(const rc_network_spec_t *spec, const char *base_dir, int threads,
                                rc_graph_t **out, double *seconds);

/* rc_graph_compute_stats with `threads` threads for this call only. */
rc_status_t rc_run_graph_stats(const rc_graph_t *g, int threads, rc_graph_stats_t *st);

/* ---- Fitting observed cascades (`rtcascade fit`) ---- */

/* Does what a fit config asks: reads the cascades (errors "path:line: expected ..."), holds out
 * each cascade with probability spec->holdout (a uniform from stream (seed, 0x401D, cascade), so
 * the split does not depend on anything else), fits spec's model to the others, and predicts
 * the final size of the held-out cascades (of all, without a hold-out) seen up to each time of
 * predict.at, by the fitted Hawkes model (with the fit's n*) and by SEISMIC; SEISMIC skips a
 * cascade seen for no time (up to t = 0). `threads` OpenMP threads (0 = the default) for this
 * call only; results do not depend on it. *out is the caller's (rc_fit_outcome_free). */
rc_status_t rc_run_fit(const rc_fit_spec_t *spec, int threads, rc_fit_outcome_t **out);

/* The simulation-based calibration of spec->calib (a fit config's `calibrate:`, docs/fit.md)
 * to the observed cascades cs: builds the network once, minimises the objective over the free
 * parameters' box -- each candidate simulated by rc_run_point with spec->calib->runs runs of
 * point index 0, so every candidate draws from the same streams (common random numbers) --
 * then the intervals (profile of the -log-likelihood, widened by 1 + cascades / runs for the
 * simulation's own noise; or a bootstrap over cascades, replicate b resampling from stream
 * (seed, 0xB007, b) and simulating point 1 + b), and simulates the estimate once more for the
 * fit file. `threads` OpenMP threads (0 = the default) for the runs; results do not depend on
 * it. rc_run_fit calls it for a config with calibrate:. Free *out with rc_calib_result_free. */
rc_status_t rc_run_calibrate(const rc_fit_spec_t *spec, const rc_cascades_t *cs, int threads,
                             rc_calib_result_t **out);

/* ---- Several processes (MPI builds; otherwise one process of one) ---- */

typedef struct rc_parallel {
    int rank;    /* this process's rank (0 without MPI) */
    int size;    /* number of ranks (1 without MPI) */
    int started; /* 1 when rc_parallel_begin started MPI (rc_parallel_end then finalizes it) */
} rc_parallel_t;

/* Starts MPI (threads funnelled through the main thread) unless it runs already, and says which
 * rank this is. Without MPI: rank 0 of 1. */
rc_status_t rc_parallel_begin(rc_parallel_t *par);

/* After rc_run_experiment (or a failure before it) on every rank: rank 0 releases ranks that
 * never got work and takes on the first failure one of them reports; a rank that failed before
 * its work tells rank 0. Returns the status to report (status, or a relayed failure with its
 * message). Call before printing anything about the outcome. */
rc_status_t rc_parallel_settle(const rc_parallel_t *par, const rc_run_report_t *report,
                               rc_status_t status);

/* Ends the process's part: when rank 0 failed while other ranks were mid-work, aborts the whole
 * job with `abort_code` (its exit status); otherwise finalizes MPI when this process started it.
 * Call last. */
void rc_parallel_end(const rc_parallel_t *par, const rc_run_report_t *report,
                     rc_status_t status, int abort_code);

#endif
