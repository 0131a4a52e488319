/* `rtcascade run` on several MPI ranks (a build with RC_WITH_MPI; without it every function here
 * is a stub for one process). Rank 0 coordinates: it hands out work units (point, block of
 * runs) in run order to whichever rank asks, computes units itself on a thread of its own,
 * joins each point's blocks in run order and writes the points through the same results path
 * as one process, so the file is the same. Every rank builds the networks itself; no graph
 * travels. cmd_run.c supplies what is specific to a run through rc_mpi_hooks_t. */
#ifndef RC_CLI_RUN_MPI_H
#define RC_CLI_RUN_MPI_H

#include "cli/commands.h"
#include "rtcascade/engine.h"
#include "rtcascade/error.h"
#include "rtcascade/experiment.h"
#include "rtcascade/graph.h"

#include <stddef.h>
#include <stdint.h>

/* What cmd_run.c does for the coordinator and the workers. */
typedef struct rc_mpi_hooks {
    void *ctx; /* cmd_run's run context, handed back to open_network and save_point */
    /* Rank 0 (its compute thread, with every other HDF5 use held off): builds the network of
     * the points order[from..to), checks their seeds on it and records it in the results file
     * (creating the file for the first network). *g stays with the caller. */
    rc_status_t (*open_network)(void *ctx, size_t from, size_t to, rc_graph_t **g);
    /* Any rank: the runs [first, first + count) of point pt on g (rc_mc_options_t.first_run). */
    rc_status_t (*run_block)(const rc_experiment_t *ex, const rc_point_t *pt, const rc_graph_t *g,
                             uint64_t first, uint64_t count, rc_mc_results_t **out);
    /* Rank 0's main thread: a finished point, in run order (ownership passes, *res = NULL). */
    rc_status_t (*save_point)(void *ctx, rc_mc_results_t **res);
} rc_mpi_hooks_t;

#ifdef RC_WITH_MPI

/* Starts MPI (MPI_Init_thread, MPI_THREAD_FUNNELED: only the main thread of a rank calls MPI)
 * unless it runs already. Without a launcher the process is one rank of one. */
rc_status_t rc_mpi_begin(void);

/* This process's rank and the number of ranks (0 and 1 before rc_mpi_begin). Cannot fail. */
int rc_mpi_rank(void);
int rc_mpi_size(void);

/* Ranks > 0: asks rank 0 for units and runs them until told to stop. Returns RC_OK or the
 * status rank 0 stopped the job with (RC_ERR_INTERRUPTED after a signal). A failure here is
 * sent to rank 0, which ends the job. */
rc_status_t rc_mpi_work(const rc_experiment_t *ex, const char *base_dir, const rc_mpi_hooks_t *h);

/* Rank 0, with several ranks: runs every point order[i] not done0, in blocks of
 * max(1, ceil(runs / (4 x ranks))) runs, and saves the points in run order. A stop signal on
 * any rank starts no new point; the points begun are finished and saved (so the file holds a
 * prefix of the run order, as after a stop of one process) and *interrupted is set. A failure
 * on any rank returns its status with "rank R (host): message"; the points complete and in
 * order before it are saved, and rc_mpi_end then aborts the other ranks. verbose: a line per
 * rank with its runs and busy time on stderr at the end. */
rc_status_t rc_mpi_coordinate(const rc_experiment_t *ex, const size_t *order,
                              const unsigned char *done0, const rc_mpi_hooks_t *h, int verbose,
                              int *interrupted);

/* Ends `rtcascade run` on this rank and returns its exit status. Rank 0 prints a failure as
 * rc_cli_fail does; other ranks print nothing (rank 0 speaks for them). Ranks that never got
 * to the work loop are released with rank 0's status; after a failure during the work rank 0
 * calls MPI_Abort with it (its results file is already closed). Then MPI_Finalize. */
int rc_mpi_end(rc_status_t status);

#else /* one process: the run loop of cmd_run.c as it always was */

static inline rc_status_t rc_mpi_begin(void)
{
    return RC_OK;
}
static inline int rc_mpi_rank(void)
{
    return 0;
}
static inline int rc_mpi_size(void)
{
    return 1;
}
static inline rc_status_t rc_mpi_work(const rc_experiment_t *ex, const char *base_dir,
                                      const rc_mpi_hooks_t *h)
{
    (void)ex, (void)base_dir, (void)h;
    return rc_error(RC_ERR_INTERNAL, "built without MPI");
}
static inline rc_status_t rc_mpi_coordinate(const rc_experiment_t *ex, const size_t *order,
                                            const unsigned char *done0, const rc_mpi_hooks_t *h,
                                            int verbose, int *interrupted)
{
    (void)ex, (void)order, (void)done0, (void)h, (void)verbose, (void)interrupted;
    return rc_error(RC_ERR_INTERNAL, "built without MPI");
}
static inline int rc_mpi_end(rc_status_t status)
{
    return status == RC_OK ? 0 : rc_cli_fail(status);
}

#endif
#endif
