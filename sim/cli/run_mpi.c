/* `rtcascade run` across MPI ranks (run_mpi.h). A worker talks to rank 0 in strict turns: it
 * sends one message (a request for work, which carries the results of its last unit, or its
 * failure) and waits for one reply (a unit or a stop). Rank 0's main thread only answers and
 * saves; a compute thread of its own runs units, and opens each network (the only other HDF5
 * user, kept apart from the saves by a lock). Every wait polls with short sleeps instead of
 * spinning, so waiting ranks leave a node's cores to the ranks computing there. MPI's default
 * error handler aborts the job on any MPI failure, so MPI return codes are not checked. */
#include "cli/run_mpi.h"
#include "cli/progress.h"
#include "cli/signals.h"
#include "rtcascade/mc_blocks.h"
#include "rtcascade/graph_h5.h"
#include "rtcascade/specs.h"

#include <limits.h>
#include <mpi.h>
#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAG 7                        /* every message of the protocol */
#define MAX_BLOCK_RUNS (1ULL << 22)  /* keeps a block's message far below MPI's 2^31-byte count */
#define POLL_FIRST_NS 10000L         /* first sleep of a wait: 10 us */
#define POLL_MAX_NS 1000000L         /* longest: 1 ms, the most a reply is delayed by a sleep */
#define MESSAGE_MAX 1024

enum msg_kind {
    MSG_REQUEST = 1, /* worker: give me work */
    MSG_RESULT = 2,  /* worker: the packed results of its unit follow; give me more */
    MSG_ERROR = 3,   /* worker: it failed (status in count, message follows); waits for the end */
    MSG_UNIT = 4,    /* rank 0: run the runs [first, first + count) of point */
    MSG_STOP = 5     /* rank 0: no more work; end with status `count` */
};

typedef struct msg_head {
    uint64_t kind;
    uint64_t point;  /* UNIT, RESULT */
    uint64_t first;  /* UNIT, RESULT: the block's first run */
    uint64_t count;  /* UNIT: runs; STOP, ERROR: status */
    uint64_t signal; /* worker: a stop signal it received (0 = none) */
} msg_head_t;

static int g_rank = 0, g_size = 1;
static int g_started = 0;       /* 1 when rc_mpi_begin started MPI (and rc_mpi_end finalizes) */
static int g_worker_loop = 0;   /* worker: reached rc_mpi_work (rank 0 releases it there) */
static int g_coordinated = 0;   /* rank 0: 1 workers released by rc_mpi_coordinate, 2 it failed */
static char g_host[MPI_MAX_PROCESSOR_NAME] = "?";

rc_status_t rc_mpi_begin(void)
{
    int inited = 0, provided = 0, len = 0;
    MPI_Initialized(&inited);
    if (!inited) {
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            return rc_error(RC_ERR_INTERNAL, "MPI could not start");
        g_started = 1;
        if (provided < MPI_THREAD_FUNNELED)
            return rc_error(RC_ERR_INTERNAL,
                            "this MPI library does not allow threads (MPI_THREAD_FUNNELED), "
                            "which rank 0 needs");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    MPI_Get_processor_name(g_host, &len);
    return RC_OK;
}

int rc_mpi_rank(void)
{
    return g_rank;
}

int rc_mpi_size(void)
{
    return g_size;
}

/* ---- Waiting without spinning ---- */

static void nap(long *ns)
{
    struct timespec ts = {0, *ns};
    nanosleep(&ts, NULL);
    if (*ns < POLL_MAX_NS)
        *ns = *ns * 2 < POLL_MAX_NS ? *ns * 2 : POLL_MAX_NS;
}

static void wait_quietly(MPI_Request *req)
{
    long ns = POLL_FIRST_NS;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        nap(&ns);
    }
}

/* ---- Worker side ---- */

/* Sends head + payload to rank 0 and waits until the buffer is free again. */
static rc_status_t send_to_root(const msg_head_t *h, const void *payload, size_t len)
{
    size_t total = sizeof *h + len;
    if (total > INT_MAX)
        return rc_error(RC_ERR_INTERNAL, "a message of %zu bytes is too large for MPI", total);
    unsigned char *buf = malloc(total);
    if (buf == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a message to rank 0 (%zu bytes)", total);
    memcpy(buf, h, sizeof *h);
    if (len > 0)
        memcpy(buf + sizeof *h, payload, len);
    MPI_Request req;
    MPI_Isend(buf, (int)total, MPI_BYTE, 0, TAG, MPI_COMM_WORLD, &req);
    wait_quietly(&req);
    free(buf);
    return RC_OK;
}

static void recv_from_root(msg_head_t *h)
{
    MPI_Request req;
    MPI_Irecv(h, (int)sizeof *h, MPI_BYTE, 0, TAG, MPI_COMM_WORLD, &req);
    wait_quietly(&req);
}

/* Tells rank 0 that this rank failed, naming the rank and host, then waits for the end: rank 0
 * aborts the job, or (when it ended first) sends a stop. Returns st. */
static rc_status_t fail_to_root(rc_status_t st)
{
    unsigned char buf[sizeof(msg_head_t) + MESSAGE_MAX];
    msg_head_t h = {MSG_ERROR, 0, 0, (uint64_t)st, (uint64_t)rc_signals_stop_requested()};
    int len = snprintf((char *)buf + sizeof h, MESSAGE_MAX, "rank %d (%s): %s", g_rank, g_host,
                       rc_error_message());
    if (len < 0 || len >= MESSAGE_MAX)
        len = MESSAGE_MAX - 1;
    memcpy(buf, &h, sizeof h);
    MPI_Request req;
    MPI_Isend(buf, (int)(sizeof h + (size_t)len + 1), MPI_BYTE, 0, TAG, MPI_COMM_WORLD, &req);
    wait_quietly(&req);
    /* Rank 0 ends the job now; the signal that brings that end needs no clean stop here. */
    rc_signals_restore();
    msg_head_t reply;
    do
        recv_from_root(&reply);
    while (reply.kind != MSG_STOP);
    return st;
}

rc_status_t rc_mpi_work(const rc_experiment_t *ex, const char *base_dir, const rc_mpi_hooks_t *h)
{
    rc_status_t status = RC_OK;
    rc_graph_t *g = NULL;
    size_t net = SIZE_MAX; /* network_id of g */
    rc_mc_results_t *res = NULL;
    void *packed = NULL;
    size_t len = 0;
    int stopped = 0;
    msg_head_t req = {MSG_REQUEST, 0, 0, 0, 0}, rep;
    g_worker_loop = 1;
    /* A signal only raises a flag that goes to rank 0 with the next message; rank 0 decides. */
    rc_signals_install();
    for (;;) {
        req.signal = (uint64_t)rc_signals_stop_requested();
        RC_TRY(send_to_root(&req, packed, len));
        free(packed);
        packed = NULL;
        len = 0;
        recv_from_root(&rep);
        if (rep.kind == MSG_STOP) {
            stopped = 1;
            if (rep.count != RC_OK)
                status = rc_error((rc_status_t)rep.count, "stopped by rank 0");
            break;
        }
        if (rep.kind != MSG_UNIT || rep.point >= ex->n_points)
            RC_FAIL(RC_ERR_INTERNAL, "unexpected message (kind %llu) from rank 0",
                    (unsigned long long)rep.kind);
        const rc_point_t *pt = &ex->points[rep.point];
        if (pt->network_id != net) {
            /* Units come in run order, so each network is built once, one at a time. */
            rc_graph_free(g);
            g = NULL;
            net = SIZE_MAX;
            RC_TRY(rc_network_build(rc_cfg_get(pt->config, "network"), ex->seed, base_dir, &g));
            net = pt->network_id;
        }
        RC_TRY(h->run_block(ex, pt, g, rep.first, rep.count, &res));
        RC_TRY(rc_mc_results_pack(res, &packed, &len));
        rc_mc_results_free(res);
        res = NULL;
        req = (msg_head_t){MSG_RESULT, rep.point, rep.first, rep.count, 0};
    }
cleanup:
    if (status != RC_OK && !stopped)
        status = fail_to_root(status);
    rc_signals_restore();
    free(packed);
    rc_mc_results_free(res);
    rc_graph_free(g);
    return status;
}

/* ---- Rank 0: the compute thread ---- */

typedef enum task_kind { TASK_OPEN, TASK_UNIT } task_kind_t;

typedef struct task {
    task_kind_t kind;
    size_t from, to, group;       /* OPEN: run-order positions of the network's points, group */
    uint64_t point, first, count; /* UNIT */
} task_t;

/* Rank 0's compute thread and what it shares with the main thread (fields below mu). */
typedef struct local {
    pthread_t thread;
    int running;              /* the thread was started */
    const rc_experiment_t *ex;
    const rc_mpi_hooks_t *h;
    int threads;              /* OpenMP threads for its units (a new thread starts at defaults) */
    pthread_mutex_t h5;       /* HDF5 use: network opening here, point saves on the main thread */
    pthread_mutex_t mu;
    pthread_cond_t cv;        /* broadcast on every change below */
    task_t *tasks;            /* FIFO of cap tasks */
    size_t cap, head, count;
    int quit;                 /* take no more tasks */
    int unit_pending;         /* a unit is queued or running (main sets, clears on its result) */
    rc_mc_results_t *result;  /* a finished unit, for the main thread to take */
    uint64_t result_first;    /* its first run */
    long opened;              /* last network group opened, -1 before the first */
    rc_status_t status;       /* first failure */
    char message[MESSAGE_MAX];
} local_t;

static void *local_main(void *arg)
{
    local_t *l = arg;
    rc_graph_t *g = NULL;
    omp_set_num_threads(l->threads);
    pthread_mutex_lock(&l->mu);
    for (;;) {
        while (l->count == 0 && !l->quit)
            pthread_cond_wait(&l->cv, &l->mu);
        if (l->quit || l->status != RC_OK)
            break;
        task_t t = l->tasks[l->head];
        l->head = (l->head + 1) % l->cap;
        l->count--;
        pthread_mutex_unlock(&l->mu);

        rc_status_t st;
        rc_mc_results_t *res = NULL;
        if (t.kind == TASK_OPEN) {
            pthread_mutex_lock(&l->h5);
            rc_graph_free(g);
            g = NULL;
            st = l->h->open_network(l->h->ctx, t.from, t.to, &g);
            pthread_mutex_unlock(&l->h5);
        } else {
            st = l->h->run_block(l->ex, &l->ex->points[t.point], g, t.first, t.count, &res);
        }
        char msg[MESSAGE_MAX] = "";
        if (st != RC_OK)
            snprintf(msg, sizeof msg, "rank 0 (%s): %s", g_host, rc_error_message());

        pthread_mutex_lock(&l->mu);
        if (st != RC_OK) {
            l->status = st;
            memcpy(l->message, msg, sizeof msg);
        } else if (t.kind == TASK_OPEN) {
            l->opened = (long)t.group;
        } else {
            l->result = res;
            l->result_first = t.first;
        }
        pthread_cond_broadcast(&l->cv);
    }
    pthread_mutex_unlock(&l->mu);
    rc_graph_free(g);
    return NULL;
}

static void local_push(local_t *l, const task_t *t)
{
    pthread_mutex_lock(&l->mu);
    l->tasks[(l->head + l->count) % l->cap] = *t;
    l->count++;
    if (t->kind == TASK_UNIT)
        l->unit_pending = 1;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
}

/* Asks the thread to stop after its current task and waits for it (one unit at most). A unit
 * it finished stays in l->result. */
static void local_stop(local_t *l)
{
    if (!l->running)
        return;
    pthread_mutex_lock(&l->mu);
    l->quit = 1;
    l->count = 0;
    pthread_cond_broadcast(&l->cv);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    l->running = 0;
}

/* ---- Rank 0: the coordinator ---- */

/* A point begun and not yet saved. */
typedef struct slot {
    size_t pos;           /* its place in the run order */
    uint64_t handed, in;  /* runs handed out, runs received */
    rc_mc_results_t *res; /* assembled here (allocated with the first block) */
} slot_t;

typedef struct coord {
    const rc_experiment_t *ex;
    const size_t *order;
    const unsigned char *done0;
    const rc_mpi_hooks_t *h;
    uint64_t block;       /* runs per unit */
    size_t *group;        /* per run-order position: its network group (points sharing one) */
    size_t *group_end;    /* per group: one past its last position */
    slot_t *slots;        /* ring of the points begun, in run order */
    size_t max_open, head, count;
    size_t next_pos;      /* next run-order position to begin */
    size_t queued_group;  /* last group whose opening was queued (SIZE_MAX: none) */
    int stopping;         /* begin no new point */
    int interrupted;      /* a stop signal came (on any rank) */
    int *idle;            /* per rank: 1 while its request waits for a reply */
    uint64_t *runs_of;    /* per rank: runs it computed */
    double *busy_of;      /* per rank: seconds in its units (engine time) */
    local_t local;
} coord_t;

/* Notes a stop signal reported by a worker as if rank 0 had received it, so that the message
 * and exit status are those of a stop of one process. */
static void note_signal(coord_t *c, uint64_t sig)
{
    if (sig == 0)
        return;
    c->stopping = c->interrupted = 1;
    if (rc_signals_stop_requested() == 0)
        raise((int)sig);
}

/* Skips points done in an earlier session; 1 when some point is still to begin. */
static int more_points(coord_t *c)
{
    while (c->next_pos < c->ex->n_points && c->done0[c->order[c->next_pos]])
        c->next_pos++;
    return c->next_pos < c->ex->n_points;
}

/* The next unit in run order into *t (*got = 0 when there is none now). Begins a point when
 * the last one is all handed out, queueing its network's opening on the compute thread first
 * when the point is the first of its network. */
static void next_unit(coord_t *c, task_t *t, int *got)
{
    *got = 0;
    const uint64_t runs = c->ex->runs;
    slot_t *s = c->count ? &c->slots[(c->head + c->count - 1) % c->max_open] : NULL;
    if (s == NULL || s->handed == runs) {
        if (c->stopping || c->count == c->max_open || !more_points(c))
            return;
        size_t pos = c->next_pos++;
        size_t grp = c->group[pos];
        if (grp != c->queued_group) {
            size_t from = pos;
            while (from > 0 && c->group[from - 1] == grp)
                from--;
            task_t open = {.kind = TASK_OPEN, .from = from, .to = c->group_end[grp], .group = grp};
            local_push(&c->local, &open);
            c->queued_group = grp;
        }
        s = &c->slots[(c->head + c->count) % c->max_open];
        c->count++;
        memset(s, 0, sizeof *s);
        s->pos = pos;
    }
    uint64_t left = runs - s->handed;
    *t = (task_t){.kind = TASK_UNIT,
                  .point = c->ex->points[c->order[s->pos]].index,
                  .first = s->handed,
                  .count = left < c->block ? left : c->block};
    s->handed += t->count;
    *got = 1;
}

/* Puts a finished block into its point; summarizes the point once every run is in. */
static rc_status_t take_block(coord_t *c, uint64_t first, rc_mc_results_t *b, int rank)
{
    rc_status_t status = RC_OK;
    slot_t *s = NULL;
    for (size_t i = 0; i < c->count && s == NULL; i++) {
        slot_t *x = &c->slots[(c->head + i) % c->max_open];
        if (c->ex->points[c->order[x->pos]].index == b->point)
            s = x;
    }
    if (s == NULL)
        RC_FAIL(RC_ERR_INTERNAL, "rank %d sent runs of point %llu, which is not being run", rank,
                (unsigned long long)b->point);
    if (s->res == NULL)
        RC_TRY(rc_mc_results_alloc(c->ex->runs, b->timed, &s->res));
    RC_TRY(rc_mc_results_put_block(s->res, first, b));
    s->in += b->runs;
    c->runs_of[rank] += b->runs;
    c->busy_of[rank] += b->seconds;
    if (s->in == c->ex->runs)
        RC_TRY(rc_mc_summarize(s->res));
cleanup:
    return status;
}

/* Saves the finished points at the head of the run order whose network is recorded, unless
 * the compute thread is opening a network right now (then on a later turn). */
static rc_status_t save_ready(coord_t *c)
{
    rc_status_t status = RC_OK;
    while (c->count > 0) {
        slot_t *s = &c->slots[c->head];
        if (s->in < c->ex->runs)
            break;
        pthread_mutex_lock(&c->local.mu);
        long opened = c->local.opened;
        pthread_mutex_unlock(&c->local.mu);
        if (opened < 0 || (size_t)opened < c->group[s->pos])
            break;
        if (pthread_mutex_trylock(&c->local.h5) != 0)
            break;
        status = c->h->save_point(c->h->ctx, &s->res);
        pthread_mutex_unlock(&c->local.h5);
        RC_TRY(status);
        c->head = (c->head + 1) % c->max_open;
        c->count--;
    }
cleanup:
    return status;
}

/* Receives the waiting message whose envelope is *st and acts on it. */
static rc_status_t handle_message(coord_t *c, const MPI_Status *st)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *b = NULL;
    int n = 0, r = st->MPI_SOURCE;
    MPI_Get_count(st, MPI_BYTE, &n);
    unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
    RC_ALLOC_CHECK(buf, "a message from another rank");
    MPI_Recv(buf, n, MPI_BYTE, r, TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    msg_head_t h;
    if ((size_t)n < sizeof h)
        RC_FAIL(RC_ERR_INTERNAL, "rank %d sent a message of %d bytes", r, n);
    memcpy(&h, buf, sizeof h);
    note_signal(c, h.signal);
    const unsigned char *body = buf + sizeof h;
    size_t len = (size_t)n - sizeof h;
    switch (h.kind) {
    case MSG_REQUEST:
        c->idle[r] = 1;
        break;
    case MSG_RESULT:
        RC_TRY(rc_mc_results_unpack(body, len, &b));
        RC_TRY(take_block(c, h.first, b, r));
        c->idle[r] = 1;
        break;
    case MSG_ERROR:
        RC_FAIL(h.count ? (rc_status_t)h.count : RC_ERR_INTERNAL, "%.*s", (int)len,
                (const char *)body);
    default:
        RC_FAIL(RC_ERR_INTERNAL, "rank %d sent a message of unknown kind %llu", r,
                (unsigned long long)h.kind);
    }
cleanup:
    rc_mc_results_free(b);
    free(buf);
    return status;
}

static void send_to_worker(int r, const msg_head_t *h)
{
    MPI_Send(h, (int)sizeof *h, MPI_BYTE, r, TAG, MPI_COMM_WORLD);
}

/* Waits up to 1 ms for the compute thread to report (or returns at once when it has). */
static void wait_local(local_t *l)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += POLL_MAX_NS;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&l->mu);
    if (l->result == NULL && l->status == RC_OK)
        pthread_cond_timedwait(&l->cv, &l->mu, &ts);
    pthread_mutex_unlock(&l->mu);
}

/* One turn of the loop: messages, the compute thread, signals, hand-outs, saves. */
static rc_status_t turn(coord_t *c, int *progress)
{
    rc_status_t status = RC_OK;
    local_t *l = &c->local;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            break;
        RC_TRY(handle_message(c, &st));
        *progress = 1;
    }
    pthread_mutex_lock(&l->mu);
    rc_status_t lst = l->status;
    rc_mc_results_t *lres = l->result;
    uint64_t lfirst = l->result_first;
    l->result = NULL;
    pthread_mutex_unlock(&l->mu);
    if (lst != RC_OK)
        RC_FAIL(lst, "%s", l->message);
    if (lres != NULL) {
        *progress = 1;
        status = take_block(c, lfirst, lres, 0);
        rc_mc_results_free(lres);
        RC_TRY(status);
        pthread_mutex_lock(&l->mu);
        l->unit_pending = 0;
        pthread_mutex_unlock(&l->mu);
    }
    if (rc_signals_stop_requested() != 0)
        c->stopping = c->interrupted = 1;

    for (int r = 1; r < g_size; r++) {
        if (!c->idle[r])
            continue;
        task_t t;
        int got = 0;
        next_unit(c, &t, &got);
        if (!got)
            break;
        msg_head_t h = {MSG_UNIT, t.point, t.first, t.count, 0};
        send_to_worker(r, &h);
        c->idle[r] = 0;
        *progress = 1;
    }
    pthread_mutex_lock(&l->mu);
    int local_idle = !l->unit_pending;
    pthread_mutex_unlock(&l->mu);
    if (local_idle) {
        task_t t;
        int got = 0;
        next_unit(c, &t, &got);
        if (got) {
            local_push(l, &t);
            *progress = 1;
        }
    }
    RC_TRY(save_ready(c));
cleanup:
    return status;
}

static void coord_free(coord_t *c)
{
    for (size_t i = 0; c->slots != NULL && i < c->count; i++)
        rc_mc_results_free(c->slots[(c->head + i) % c->max_open].res);
    free(c->slots);
    free(c->group);
    free(c->group_end);
    free(c->idle);
    free(c->runs_of);
    free(c->busy_of);
    free(c->local.tasks);
}

/* Network groups of the run order: positions that share a network (run_order keeps them
 * together). */
static rc_status_t find_groups(coord_t *c)
{
    rc_status_t status = RC_OK;
    const size_t n = c->ex->n_points;
    c->group = malloc((n + 1) * sizeof *c->group);
    c->group_end = malloc((n + 1) * sizeof *c->group_end);
    RC_ALLOC_CHECK(c->group, "the network groups");
    RC_ALLOC_CHECK(c->group_end, "the network groups");
    size_t grp = 0;
    for (size_t pos = 0; pos < n; pos++) {
        if (pos > 0 && c->ex->points[c->order[pos]].network_id !=
                           c->ex->points[c->order[pos - 1]].network_id)
            c->group_end[grp++] = pos;
        c->group[pos] = grp;
    }
    c->group_end[grp] = n;
    c->local.cap = grp + 2;
cleanup:
    return status;
}

static void report(const coord_t *c)
{
    fprintf(stderr, "mpi: %d ranks x %d threads, blocks of %llu runs; runs (engine seconds) per "
                    "rank:",
            g_size, c->local.threads, (unsigned long long)c->block);
    for (int r = 0; r < g_size; r++)
        fprintf(stderr, " %d: %llu (%.2f s)", r, (unsigned long long)c->runs_of[r],
                c->busy_of[r]);
    fprintf(stderr, "\n");
}

rc_status_t rc_mpi_coordinate(const rc_experiment_t *ex, const size_t *order,
                              const unsigned char *done0, const rc_mpi_hooks_t *h, int verbose,
                              int *interrupted)
{
    rc_status_t status = RC_OK;
    coord_t c;
    local_t *l = &c.local;
    int locks = 0;
    memset(&c, 0, sizeof c);
    *interrupted = 0;
    g_coordinated = 2; /* until every worker is released */
    c.ex = ex;
    c.order = order;
    c.done0 = done0;
    c.h = h;
    c.queued_group = SIZE_MAX;
    /* About 4 units per rank and point: enough to even out ranks and runs of unequal cost,
     * few enough that each unit's fixed cost (workspaces, seed plans) stays small. */
    c.block = (ex->runs + 4 * (uint64_t)g_size - 1) / (4 * (uint64_t)g_size);
    if (c.block > MAX_BLOCK_RUNS)
        c.block = MAX_BLOCK_RUNS;
    if (c.block == 0)
        c.block = 1;
    /* Points begun at once: two when a point has a unit for every rank, more when points are
     * smaller, so that every rank has work; their results wait on rank 0 until saved. */
    uint64_t units = (ex->runs + c.block - 1) / c.block;
    c.max_open = 1 + (size_t)((2 * (uint64_t)g_size + units - 1) / units);
    c.slots = calloc(c.max_open, sizeof *c.slots);
    c.idle = calloc((size_t)g_size, sizeof *c.idle);
    c.runs_of = calloc((size_t)g_size, sizeof *c.runs_of);
    c.busy_of = calloc((size_t)g_size, sizeof *c.busy_of);
    RC_ALLOC_CHECK(c.slots, "the points in progress");
    RC_ALLOC_CHECK(c.idle, "the ranks' states");
    RC_ALLOC_CHECK(c.runs_of, "the ranks' states");
    RC_ALLOC_CHECK(c.busy_of, "the ranks' states");
    RC_TRY(find_groups(&c));

    l->ex = ex;
    l->h = h;
    l->threads = omp_get_max_threads();
    l->opened = -1;
    l->tasks = calloc(l->cap, sizeof *l->tasks);
    RC_ALLOC_CHECK(l->tasks, "the compute thread's tasks");
    if (pthread_mutex_init(&l->h5, NULL) != 0 || pthread_mutex_init(&l->mu, NULL) != 0 ||
        pthread_cond_init(&l->cv, NULL) != 0)
        RC_FAIL(RC_ERR_INTERNAL, "cannot create the compute thread's locks");
    locks = 1;
    /* The thread (and its OpenMP team) starts with the stop signals blocked: they go to the
     * main thread, which decides. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    int rc = pthread_create(&l->thread, NULL, local_main, l);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        RC_FAIL(RC_ERR_NOMEM, "cannot start rank 0's compute thread: %s", strerror(rc));
    l->running = 1;

    for (;;) {
        int progress = 0;
        RC_TRY(turn(&c, &progress));
        if (c.count == 0 && (c.stopping || !more_points(&c)))
            break;
        if (!progress)
            wait_local(l);
    }
    local_stop(l);

    /* Every unit is back; release each worker when its request is in (a slow starter's first
     * request may still be on its way). */
    msg_head_t stop = {MSG_STOP, 0, 0, c.interrupted ? (uint64_t)RC_ERR_INTERRUPTED : 0, 0};
    for (int r = 1; r < g_size; r++) {
        long ns = POLL_FIRST_NS;
        while (!c.idle[r]) {
            int flag = 0;
            MPI_Status st;
            MPI_Iprobe(MPI_ANY_SOURCE, TAG, MPI_COMM_WORLD, &flag, &st);
            if (flag)
                RC_TRY(handle_message(&c, &st));
            else
                nap(&ns);
        }
        send_to_worker(r, &stop);
        c.idle[r] = 0;
    }
    g_coordinated = 1;
    if (verbose)
        report(&c);
    *interrupted = c.interrupted;
cleanup:
    if (status != RC_OK) {
        /* Keep what is complete: the points finished and in order before the failure, with the
         * unit rank 0 was computing (a failed worker has none out). */
        char msg[MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        local_stop(l);
        if (l->result != NULL)
            (void)take_block(&c, l->result_first, l->result, 0);
        if (locks)
            (void)save_ready(&c);
        status = rc_error(status, "%s", msg);
    }
    local_stop(l);
    rc_mc_results_free(l->result);
    if (locks) {
        pthread_cond_destroy(&l->cv);
        pthread_mutex_destroy(&l->mu);
        pthread_mutex_destroy(&l->h5);
    }
    coord_free(&c);
    return status;
}

/* ---- The end ---- */

/* Rank 0 when it never coordinated (an error before the work, --help, --dry-run): answers each
 * worker's first message with a stop. A worker's own failure is reported when rank 0 had none. */
static rc_status_t release_workers(rc_status_t code)
{
    for (int released = 1; released < g_size; released++) {
        MPI_Status st;
        long ns = POLL_FIRST_NS;
        int flag = 0;
        for (;;) {
            MPI_Iprobe(MPI_ANY_SOURCE, TAG, MPI_COMM_WORLD, &flag, &st);
            if (flag)
                break;
            nap(&ns);
        }
        int n = 0;
        MPI_Get_count(&st, MPI_BYTE, &n);
        unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
        msg_head_t h = {0, 0, 0, 0, 0};
        if (buf == NULL) {
            static unsigned char spare[sizeof(msg_head_t) + MESSAGE_MAX];
            MPI_Recv(spare, (int)sizeof spare, MPI_BYTE, st.MPI_SOURCE, TAG, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
        } else {
            MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if ((size_t)n >= sizeof h)
                memcpy(&h, buf, sizeof h);
            if (h.kind == MSG_ERROR && code == 0 && (size_t)n > sizeof h) {
                code = h.count ? (rc_status_t)h.count : RC_ERR_INTERNAL;
                fprintf(stderr, "rtcascade: %.*s\n", (int)((size_t)n - sizeof h),
                        (const char *)buf + sizeof h);
            }
            free(buf);
        }
        msg_head_t stop = {MSG_STOP, 0, 0, (uint64_t)code, 0};
        send_to_worker(st.MPI_SOURCE, &stop);
    }
    return code;
}

int rc_mpi_end(rc_status_t status)
{
    rc_status_t code = status;
    if (g_rank == 0 && status != RC_OK)
        (void)rc_cli_fail(status);
    if (g_size > 1 && g_rank == 0) {
        if (g_coordinated == 2) {
            /* The results file is closed; the other ranks may be mid-unit. */
            fflush(stdout);
            fflush(stderr);
            MPI_Abort(MPI_COMM_WORLD, rc_cli_exit_code(code != RC_OK ? code : RC_ERR_INTERNAL));
        }
        if (g_coordinated == 0)
            code = release_workers(code);
    } else if (g_size > 1 && !g_worker_loop) {
        /* This rank stopped before its work loop: say so to rank 0 and wait for the end. */
        if (status == RC_OK) {
            msg_head_t req = {MSG_REQUEST, 0, 0, 0, 0}, rep;
            if (send_to_root(&req, NULL, 0) == RC_OK) {
                recv_from_root(&rep);
                if (rep.kind != MSG_STOP)
                    code = fail_to_root(rc_error(RC_ERR_INTERNAL,
                                                      "this rank did not reach its work loop "
                                                      "(was it given other arguments?)"));
                else
                    code = (rc_status_t)rep.count;
            }
        } else {
            (void)fail_to_root(status);
        }
    }
    if (g_started)
        MPI_Finalize();
    return rc_cli_exit_code(code);
}
