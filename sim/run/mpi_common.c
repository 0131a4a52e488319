/* MPI plumbing of the runner (mpi_common.h): ranks, waiting without spinning, the worker's side
 * of the messages, and rc_parallel_begin/settle/end, which start MPI, release ranks that never
 * got work and end the job. */
#include "run/mpi_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int rc_mpi_rank(void)
{
    int inited = 0, rank = 0;
    MPI_Initialized(&inited);
    if (inited)
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    return rank;
}

int rc_mpi_size_world(void)
{
    int inited = 0, size = 1;
    MPI_Initialized(&inited);
    if (inited)
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

int rc_run_mpi_size(void)
{
    return rc_mpi_size_world();
}

const char *rc_mpi_host(char *buf, size_t len)
{
    char name[MPI_MAX_PROCESSOR_NAME] = "?";
    int n = 0;
    MPI_Get_processor_name(name, &n);
    snprintf(buf, len, "%s", name);
    return buf;
}

void rc_mpi_nap(long *ns)
{
    struct timespec ts = {0, *ns};
    nanosleep(&ts, NULL);
    if (*ns < RC_MPI_POLL_MAX_NS)
        *ns = *ns * 2 < RC_MPI_POLL_MAX_NS ? *ns * 2 : RC_MPI_POLL_MAX_NS;
}

void rc_mpi_wait(MPI_Request *req)
{
    long ns = RC_MPI_POLL_FIRST_NS;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        rc_mpi_nap(&ns);
    }
}

rc_status_t rc_mpi_send_to_root(const rc_msg_head_t *h, const void *payload, size_t len)
{
    size_t total = sizeof *h + len;
    if (total > INT32_MAX)
        return rc_error(RC_ERR_INTERNAL, "a message of %zu bytes is too large for MPI", total);
    unsigned char *buf = malloc(total);
    if (buf == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a message to rank 0 (%zu bytes)", total);
    memcpy(buf, h, sizeof *h);
    if (len > 0)
        memcpy(buf + sizeof *h, payload, len);
    MPI_Request req;
    MPI_Isend(buf, (int)total, MPI_BYTE, 0, RC_MPI_TAG, MPI_COMM_WORLD, &req);
    rc_mpi_wait(&req);
    free(buf);
    return RC_OK;
}

void rc_mpi_recv_from_root(rc_msg_head_t *h)
{
    MPI_Request req;
    MPI_Irecv(h, (int)sizeof *h, MPI_BYTE, 0, RC_MPI_TAG, MPI_COMM_WORLD, &req);
    rc_mpi_wait(&req);
}

rc_status_t rc_mpi_fail_to_root(const rc_runner_t *r, rc_status_t st, int *aborting)
{
    unsigned char buf[sizeof(rc_msg_head_t) + RC_MPI_MESSAGE_MAX];
    char host[64];
    rc_msg_head_t h = {RC_MSG_ERROR, 0, 0, (uint64_t)st, 0};
    int len = snprintf((char *)buf + sizeof h, RC_MPI_MESSAGE_MAX, "rank %d (%s): %s",
                       rc_mpi_rank(), rc_mpi_host(host, sizeof host), rc_error_message());
    if (len < 0 || len >= RC_MPI_MESSAGE_MAX)
        len = RC_MPI_MESSAGE_MAX - 1;
    memcpy(buf, &h, sizeof h);
    MPI_Request req;
    MPI_Isend(buf, (int)(sizeof h + (size_t)len + 1), MPI_BYTE, 0, RC_MPI_TAG, MPI_COMM_WORLD,
              &req);
    rc_mpi_wait(&req);
    /* Rank 0 ends the job now: with a stop, or by aborting it, which the launcher does by
     * signalling this process (the cancel hook then says stop). */
    *aborting = 0;
    MPI_Irecv(&h, (int)sizeof h, MPI_BYTE, 0, RC_MPI_TAG, MPI_COMM_WORLD, &req);
    long ns = RC_MPI_POLL_FIRST_NS;
    for (;;) {
        int done = 0;
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (done && h.kind == RC_MSG_STOP)
            break;
        if (done)
            MPI_Irecv(&h, (int)sizeof h, MPI_BYTE, 0, RC_MPI_TAG, MPI_COMM_WORLD, &req);
        else if (r != NULL && rc_run_cancelled(r)) {
            *aborting = 1;
            break;
        } else
            rc_mpi_nap(&ns);
    }
    return st;
}

/* ---- rc_parallel_* ---- */

rc_status_t rc_parallel_begin(rc_parallel_t *par)
{
    int inited = 0, provided = 0;
    memset(par, 0, sizeof *par);
    par->size = 1;
    MPI_Initialized(&inited);
    if (!inited) {
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            return rc_error(RC_ERR_INTERNAL, "MPI could not start");
        par->started = 1;
        if (provided < MPI_THREAD_FUNNELED)
            return rc_error(RC_ERR_INTERNAL,
                            "this MPI library does not allow threads (MPI_THREAD_FUNNELED), "
                            "which rank 0 needs");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &par->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &par->size);
    return RC_OK;
}

/* Rank 0 when it never coordinated (an error before the work, --help, --dry-run): answers each
 * worker's first message with a stop carrying status. Returns status, or when that is RC_OK the
 * first failure a worker reported (with its message). */
static rc_status_t release_workers(int size, rc_status_t status)
{
    for (int released = 1; released < size; released++) {
        MPI_Status st;
        long ns = RC_MPI_POLL_FIRST_NS;
        int flag = 0;
        for (;;) {
            MPI_Iprobe(MPI_ANY_SOURCE, RC_MPI_TAG, MPI_COMM_WORLD, &flag, &st);
            if (flag)
                break;
            rc_mpi_nap(&ns);
        }
        int n = 0;
        MPI_Get_count(&st, MPI_BYTE, &n);
        unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
        rc_msg_head_t h = {0, 0, 0, 0, 0};
        if (buf == NULL) {
            static unsigned char spare[sizeof(rc_msg_head_t) + RC_MPI_MESSAGE_MAX];
            MPI_Recv(spare, (int)sizeof spare, MPI_BYTE, st.MPI_SOURCE, RC_MPI_TAG,
                     MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, RC_MPI_TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            if ((size_t)n >= sizeof h)
                memcpy(&h, buf, sizeof h);
            if (h.kind == RC_MSG_ERROR && status == RC_OK && (size_t)n > sizeof h)
                status = rc_error(h.count ? (rc_status_t)h.count : RC_ERR_INTERNAL, "%.*s",
                                  (int)((size_t)n - sizeof h), (const char *)buf + sizeof h);
            free(buf);
        }
        rc_msg_head_t stop = {RC_MSG_STOP, 0, 0, (uint64_t)status, 0};
        MPI_Send(&stop, (int)sizeof stop, MPI_BYTE, st.MPI_SOURCE, RC_MPI_TAG, MPI_COMM_WORLD);
    }
    return status;
}

rc_status_t rc_parallel_settle(const rc_parallel_t *par, const rc_run_report_t *report,
                               rc_status_t status)
{
    const int phase = report != NULL ? report->mpi_phase : RC_MPI_NONE;
    if (par->size <= 1 || phase != RC_MPI_NONE)
        return status;
    if (par->rank == 0)
        return release_workers(par->size, status);
    /* This rank stopped before its work: say so to rank 0 and wait for the end. */
    int aborting = 0;
    if (status != RC_OK)
        return rc_mpi_fail_to_root(NULL, status, &aborting);
    rc_msg_head_t req = {RC_MSG_REQUEST, 0, 0, 0, 0}, rep;
    rc_status_t st = rc_mpi_send_to_root(&req, NULL, 0);
    if (st != RC_OK)
        return st;
    rc_mpi_recv_from_root(&rep);
    if (rep.kind != RC_MSG_STOP)
        return rc_mpi_fail_to_root(NULL, rc_error(RC_ERR_INTERNAL, "this rank did not reach "
                                   "its work loop (was it given other arguments?)"), &aborting);
    return rep.count != RC_OK ? rc_error((rc_status_t)rep.count, "stopped by rank 0") : RC_OK;
}

void rc_parallel_end(const rc_parallel_t *par, const rc_run_report_t *report,
                     rc_status_t status, int abort_code)
{
    const int phase = report != NULL ? report->mpi_phase : RC_MPI_NONE;
    if (par->size > 1 && par->rank == 0 && phase == RC_MPI_WORKING && status != RC_OK) {
        /* Rank 0 failed while the other ranks may be mid-unit (its sink is closed). */
        fflush(stdout);
        fflush(stderr);
        MPI_Abort(MPI_COMM_WORLD, abort_code != 0 ? abort_code : 1);
    }
    if (phase == RC_MPI_ABORTING)
        return; /* the job is being ended by its launcher */
    if (par->started)
        MPI_Finalize();
}
