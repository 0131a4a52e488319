/* The MPI protocol of the runner (private to sim/run, MPI builds only). A worker talks to rank 0
 * in strict turns: it sends one message (a request for work, which carries the results of its
 * last unit, or its failure) and waits for one reply (a unit or a stop). Every wait polls with
 * short sleeps instead of spinning, so waiting ranks leave a node's cores to the ranks computing
 * there. MPI's default error handler aborts the job on any MPI failure, so MPI return codes are
 * not checked. */
#ifndef RC_RUN_MPI_COMMON_H
#define RC_RUN_MPI_COMMON_H

#include "run/runner_internal.h"

#include <mpi.h>
#include <stddef.h>
#include <stdint.h>

#define RC_MPI_TAG 7                     /* every message of the protocol */
#define RC_MPI_MAX_BLOCK_RUNS (1ULL << 22) /* keeps a block's message far below 2^31 bytes */
#define RC_MPI_POLL_FIRST_NS 10000L      /* first sleep of a wait: 10 us */
#define RC_MPI_POLL_MAX_NS 1000000L      /* longest: 1 ms, the most a reply is delayed */
#define RC_MPI_MESSAGE_MAX 1024

enum rc_msg_kind {
    RC_MSG_REQUEST = 1, /* worker: give me work */
    RC_MSG_RESULT = 2,  /* worker: the packed results of its unit follow; give me more */
    RC_MSG_ERROR = 3,   /* worker: it failed (status in count, message follows); waits */
    RC_MSG_UNIT = 4,    /* rank 0: run the runs [first, first + count) of point */
    RC_MSG_STOP = 5,    /* rank 0: no more work; end with status `count` */
    RC_MSG_NETWORK = 6  /* rank 0: every rank opens network `point` now, with the ranks of its
                           node (mpi_share.c); sent to all at once, when none has work */
};

typedef struct rc_msg_head {
    uint64_t kind;
    uint64_t point;  /* UNIT, RESULT */
    uint64_t first;  /* UNIT, RESULT: the block's first run */
    uint64_t count;  /* UNIT: runs; STOP, ERROR: status */
    uint64_t cancel; /* worker: its cancel hook said stop */
} rc_msg_head_t;

/* Where a rank got to (rc_run_report_t.mpi_phase), for rc_parallel_settle/end. */
enum rc_mpi_phase {
    RC_MPI_NONE = 0,    /* never reached its work */
    RC_MPI_WORKING = 1, /* rank 0 coordinating (abort on failure) or a worker in its loop */
    RC_MPI_DONE = 2,    /* rank 0 released every worker; a worker was stopped */
    RC_MPI_ABORTING = 3 /* a worker that failed and was asked to end while waiting */
};

int rc_mpi_rank(void);
int rc_mpi_size_world(void);
/* This node's name, for messages. */
const char *rc_mpi_host(char *buf, size_t len);

/* Sleeps a little, doubling *ns up to RC_MPI_POLL_MAX_NS. */
void rc_mpi_nap(long *ns);
/* Waits for req without spinning. */
void rc_mpi_wait(MPI_Request *req);

/* Worker side: sends head + payload to rank 0; receives a head from rank 0. */
rc_status_t rc_mpi_send_to_root(const rc_msg_head_t *h, const void *payload, size_t len);
void rc_mpi_recv_from_root(rc_msg_head_t *h);
/* Tells rank 0 that this rank failed with st (its message, naming rank and host), then waits for
 * the end: a stop from rank 0, or the cancel hook (the launcher ending the job), which sets
 * *aborting. Returns st. */
rc_status_t rc_mpi_fail_to_root(const rc_runner_t *r, rc_status_t st, int *aborting);

/* ---- One network per node (mpi_share.c) ---- */

/* The ranks of this node (MPI_COMM_TYPE_SHARED); each rank alone when the environment has
 * RC_MPI_SHARE=0. Collective over MPI_COMM_WORLD. */
rc_status_t rc_mpi_node_comm(MPI_Comm *node);

/* Opens a network with the other ranks of the node (collective over `node`): the node's first
 * rank calls load(ctx, &status) to build or load it, then every rank gets an rc_graph_t whose
 * arrays are one read-only copy in shared windows (its release hook frees them: rc_graph_free is
 * then collective over `node` too). A failure of load comes back on every rank of the node (the
 * first rank's with its message). */
rc_status_t rc_mpi_share_network(MPI_Comm node, rc_graph_t *(*load)(void *ctx, rc_status_t *st),
                                 void *ctx, rc_graph_t **out);

#endif
