/* One copy of a network per node (mpi_common.h): the ranks of a node (MPI_COMM_TYPE_SHARED)
 * open each network together. The node's first rank builds or loads it as one process would,
 * then moves it array by array into MPI-3 shared-memory windows (freeing each private array as
 * soon as it is copied, so the node holds at most one array twice); the others map the windows
 * (MPI_Win_shared_query), and every rank's rc_graph_t points into them, read-only. The graph's
 * release hook frees the windows, which MPI does collectively: every rank of the node frees its
 * graph at the same step of the protocol (a network change, or the end). */
#include "run/mpi_common.h"
#include "rtcascade/memory.h"

#include <stdlib.h>
#include <string.h>

#define SHARE_ARRAYS 8

typedef struct share {
    MPI_Win win[SHARE_ARRAYS];
    int n;
} share_t;

static void share_release(void *ctx)
{
    share_t *s = ctx;
    for (int i = 0; i < s->n; i++) {
        MPI_Win_unlock_all(s->win[i]);
        MPI_Win_free(&s->win[i]);
    }
    free(s);
}

rc_status_t rc_mpi_node_comm(MPI_Comm *node)
{
    /* RC_MPI_SHARE=0: every rank its own copy (a group of one), e.g. to keep copies per NUMA
     * domain, or to compare */
    const char *share = getenv("RC_MPI_SHARE");
    int rc = share != NULL && strcmp(share, "0") == 0
                 ? MPI_Comm_split(MPI_COMM_WORLD, rc_mpi_rank(), 0, node)
                 : MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL,
                                       node);
    if (rc != MPI_SUCCESS)
        return rc_error(RC_ERR_INTERNAL, "MPI cannot group the ranks of this node");
    return RC_OK;
}

/* One array of the graph into a window of the node: the leader's *ptr (bytes long, freed here)
 * is copied in; every rank's *ptr then points at the window's copy. */
static void share_array(MPI_Comm node, int leader, share_t *s, void **ptr, uint64_t bytes)
{
    MPI_Info info;
    MPI_Info_create(&info);
    MPI_Info_set(info, "alloc_shared_noncontig", "true");
    void *base = NULL;
    /* at least 8 bytes, so that an empty array is still a valid pointer */
    MPI_Aint size = leader ? (MPI_Aint)(bytes > 8 ? bytes : 8) : 0;
    MPI_Win_allocate_shared(size, 1, info, node, &base, &s->win[s->n]);
    MPI_Info_free(&info);
    /* a passive epoch for the window's life: what MPI_Win_sync needs */
    MPI_Win_lock_all(MPI_MODE_NOCHECK, s->win[s->n]);
    if (leader) {
        /* huge pages where the system allows them for shared memory (shmem_enabled: advise) */
        rc_memory_advise_huge(base, bytes);
        if (bytes > 0)
            memcpy(base, *ptr, bytes);
        free(*ptr);
    }
    MPI_Aint got = 0;
    int unit = 0;
    MPI_Win_shared_query(s->win[s->n], 0, &got, &unit, &base);
    *ptr = base;
    s->n++;
}

/* The graph's shape, sent by the leader: status, n, m, n_communities, undirected, which
 * optional arrays it has (bits 0 weights, 1 communities, 2 original ids), description length. */
enum { H_STATUS, H_N, H_M, H_NCOMM, H_UNDIR, H_HAS, H_DESC, H_LEN };

rc_status_t rc_mpi_share_network(MPI_Comm node, rc_graph_t *(*load)(void *ctx, rc_status_t *st),
                                 void *ctx, rc_graph_t **out)
{
    rc_status_t st = RC_OK;
    int nrank = 0;
    rc_graph_t *g = NULL;
    uint64_t h[H_LEN] = {0};
    *out = NULL;
    MPI_Comm_rank(node, &nrank);
    const int leader = nrank == 0;
    if (leader) {
        g = load(ctx, &st);
        h[H_STATUS] = (uint64_t)st;
        if (st == RC_OK) {
            h[H_N] = g->n;
            h[H_M] = g->m;
            h[H_NCOMM] = g->n_communities;
            h[H_UNDIR] = (uint64_t)g->undirected;
            h[H_HAS] = (g->out_w != NULL) | (g->community != NULL) << 1 | (g->orig_id != NULL) << 2;
            h[H_DESC] = g->description != NULL ? strlen(g->description) + 1 : 0;
        }
    }
    MPI_Bcast(h, H_LEN, MPI_UINT64_T, 0, node);
    if (h[H_STATUS] != RC_OK) {
        if (leader)
            return st; /* with its message */
        return rc_error((rc_status_t)h[H_STATUS], "the network could not be made on this node's "
                        "first rank (its error goes to rank 0)");
    }
    share_t *s = calloc(1, sizeof *s);
    char *desc = h[H_DESC] > 0 ? malloc(h[H_DESC]) : NULL;
    if (!leader)
        g = calloc(1, sizeof *g);
    int ok = s != NULL && g != NULL && (h[H_DESC] == 0 || desc != NULL);
    /* a rank that cannot go on must still take part in every collective call below */
    int all_ok = 0;
    MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, node);
    if (!all_ok) {
        free(s);
        free(desc);
        rc_graph_free(g);
        return rc_error(RC_ERR_NOMEM, "out of memory sharing a network between the node's ranks");
    }
    if (leader && desc != NULL)
        memcpy(desc, g->description, h[H_DESC]);
    if (h[H_DESC] > 0)
        MPI_Bcast(desc, (int)h[H_DESC], MPI_CHAR, 0, node);
    const uint64_t n = h[H_N], m = h[H_M];
    share_array(node, leader, s, (void **)&g->out_off, (n + 1) * sizeof *g->out_off);
    share_array(node, leader, s, (void **)&g->out_nbr, m * sizeof *g->out_nbr);
    share_array(node, leader, s, (void **)&g->in_off, (n + 1) * sizeof *g->in_off);
    share_array(node, leader, s, (void **)&g->in_nbr, m * sizeof *g->in_nbr);
    if (h[H_HAS] & 1) {
        share_array(node, leader, s, (void **)&g->out_w, m * sizeof *g->out_w);
        share_array(node, leader, s, (void **)&g->in_w, m * sizeof *g->in_w);
    }
    if (h[H_HAS] & 2)
        share_array(node, leader, s, (void **)&g->community, n * sizeof *g->community);
    if (h[H_HAS] & 4)
        share_array(node, leader, s, (void **)&g->orig_id, n * sizeof *g->orig_id);
    /* every copy is in before anyone reads: the leader's stores made visible, the barrier, and
     * the readers' views refreshed */
    for (int i = 0; i < s->n; i++)
        MPI_Win_sync(s->win[i]);
    MPI_Barrier(node);
    for (int i = 0; i < s->n; i++)
        MPI_Win_sync(s->win[i]);
    g->n = (uint32_t)n;
    g->m = m;
    g->n_communities = (uint32_t)h[H_NCOMM];
    g->undirected = (int)h[H_UNDIR];
    free(g->description);
    g->description = desc;
    g->release = share_release;
    g->release_ctx = s;
    *out = g;
    return RC_OK;
}
