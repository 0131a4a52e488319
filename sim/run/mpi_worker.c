/* An MPI rank other than 0 (mpi_common.h): asks rank 0 for units of work (a point's block of
 * runs), runs them on the point's network (opened when rank 0 says so, by every rank at once:
 * one copy per node, mpi_share.c) and sends the packed results back with its next request,
 * until rank 0 says stop. A failure is sent to rank 0, which ends the job. */
#include "run/mpi_common.h"

#include "rtcascade/mc_blocks.h"

#include <stdlib.h>

typedef struct worker_net {
    const rc_experiment_t *ex;
    size_t id;
} worker_net_t;

/* The node's first rank builds or loads network id as one process would. */
static rc_graph_t *worker_load(void *ctx, rc_status_t *st)
{
    const worker_net_t *w = ctx;
    rc_graph_t *g = NULL;
    *st = rc_network_load(&w->ex->networks[w->id], w->ex->base_dir, &g);
    return g;
}

rc_status_t rc_run_mpi_work(rc_runner_t *r)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    rc_graph_t *g = NULL;
    size_t net = SIZE_MAX; /* network_id of g */
    rc_mc_results_t *res = NULL;
    void *packed = NULL;
    size_t len = 0;
    int stopped = 0, aborting = 0;
    MPI_Comm node = MPI_COMM_NULL;
    rc_msg_head_t req = {RC_MSG_REQUEST, 0, 0, 0, 0}, rep;
    r->report->mpi_phase = RC_MPI_WORKING;
    for (;;) {
        /* A cancel request only goes to rank 0 with the next message; rank 0 decides. */
        req.cancel = (uint64_t)rc_run_cancelled(r);
        RC_TRY(rc_mpi_send_to_root(&req, packed, len));
        free(packed);
        packed = NULL;
        len = 0;
        rc_mpi_recv_from_root(&rep);
        if (rep.kind == RC_MSG_STOP) {
            stopped = 1;
            if (rep.count != RC_OK)
                status = rc_error((rc_status_t)rep.count, "stopped by rank 0");
            break;
        }
        if (rep.kind == RC_MSG_NETWORK && rep.point < ex->n_networks) {
            /* every rank of the node frees the old network and opens the new one together */
            if (node == MPI_COMM_NULL)
                RC_TRY(rc_mpi_node_comm(&node));
            rc_graph_free(g);
            g = NULL;
            net = SIZE_MAX;
            worker_net_t w = {ex, (size_t)rep.point};
            RC_TRY(rc_mpi_share_network(node, worker_load, &w, &g));
            net = (size_t)rep.point;
            req = (rc_msg_head_t){RC_MSG_REQUEST, 0, 0, 0, 0};
            continue;
        }
        if (rep.kind != RC_MSG_UNIT || rep.point >= ex->n_points ||
            ex->points[rep.point].network_id != net)
            RC_FAIL(RC_ERR_INTERNAL, "unexpected message (kind %llu) from rank 0",
                    (unsigned long long)rep.kind);
        const rc_point_t *pt = &ex->points[rep.point];
        RC_TRY(rc_run_block(r, pt, g, rep.first, rep.count, &res));
        RC_TRY(rc_mc_results_pack(res, &packed, &len));
        rc_mc_results_free(res);
        res = NULL;
        req = (rc_msg_head_t){RC_MSG_RESULT, rep.point, rep.first, rep.count, 0};
    }
cleanup:
    if (status != RC_OK && !stopped) {
        status = rc_mpi_fail_to_root(r, status, &aborting);
        if (aborting)
            r->report->mpi_phase = RC_MPI_ABORTING;
    }
    if (r->report->mpi_phase == RC_MPI_WORKING)
        r->report->mpi_phase = RC_MPI_DONE;
    free(packed);
    rc_mc_results_free(res);
    /* Freeing a shared network is collective: every rank does it after rank 0's stop. After a
     * failure rank 0 ends the job instead, and the network goes with the process. */
    if (stopped) {
        rc_graph_free(g);
        if (node != MPI_COMM_NULL)
            MPI_Comm_free(&node);
    }
    return status;
}
