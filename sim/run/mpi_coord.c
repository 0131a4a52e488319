/* Rank 0 of an MPI run (mpi_common.h): hands out work units (point, block of runs) in run order
 * to whichever rank asks, computes units itself on a thread of its own, joins each point's
 * blocks in run order and saves the points through the same path as one process, so the sink
 * gets the same results. The main thread answers, saves and opens each network: when every
 * unit of the last network is back and saved, it tells every rank to open the next one, and the
 * ranks of each node open it together, one copy per node (mpi_share.c); the compute thread only
 * runs units. */
#include "run/mpi_common.h"

#include "rtcascade/mc_blocks.h"

#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- Rank 0: the compute thread ---- */

typedef enum task_kind { TASK_OPEN, TASK_UNIT } task_kind_t;

typedef struct task {
    task_kind_t kind;
    rc_graph_t *g;                /* OPEN: the network the next units run on (the main thread's) */
    uint64_t point, first, count; /* UNIT */
} task_t;

/* Rank 0's compute thread and what it shares with the main thread (fields below mu). */
typedef struct local {
    pthread_t thread;
    int running;              /* the thread was started */
    int locks;                /* its mutexes and condition exist */
    rc_runner_t *r;
    int threads;              /* OpenMP threads for its units (a new thread starts at defaults) */
    pthread_mutex_t h5;       /* kept from when this thread opened networks (HDF5 use) */
    pthread_mutex_t mu;
    pthread_cond_t cv;        /* broadcast on every change below */
    task_t *tasks;            /* FIFO of cap tasks */
    size_t cap, head, count;
    int quit;                 /* take no more tasks */
    int unit_pending;         /* a unit is queued or running (main sets, clears on its result) */
    rc_mc_results_t *result;  /* a finished unit, for the main thread to take */
    uint64_t result_first;    /* its first run */
    long opened;              /* last network group opened (by the main thread), -1 before */
    rc_status_t status;       /* first failure */
    char message[RC_MPI_MESSAGE_MAX];
} local_t;

static void *local_main(void *arg)
{
    local_t *l = arg;
    const rc_graph_t *g = NULL;
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
        if (t.kind == TASK_OPEN) {
            g = t.g;
            continue;
        }
        pthread_mutex_unlock(&l->mu);

        rc_mc_results_t *res = NULL;
        rc_status_t st = rc_run_block(l->r, &l->r->ex->points[t.point], g, t.first, t.count, &res);
        char msg[RC_MPI_MESSAGE_MAX] = "", host[64];
        if (st != RC_OK)
            snprintf(msg, sizeof msg, "rank 0 (%s): %s", rc_mpi_host(host, sizeof host),
                     rc_error_message());

        pthread_mutex_lock(&l->mu);
        if (st != RC_OK) {
            l->status = st;
            memcpy(l->message, msg, sizeof msg);
        } else {
            l->result = res;
            l->result_first = t.first;
        }
        pthread_cond_broadcast(&l->cv);
    }
    pthread_mutex_unlock(&l->mu);
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
    rc_runner_t *r;
    const rc_experiment_t *ex;
    const size_t *order;
    const unsigned char *done0;
    int size;             /* ranks */
    uint64_t block;       /* runs per unit */
    size_t *group;        /* per run-order position: its network group (points sharing one) */
    size_t *group_end;    /* per group: one past its last position */
    slot_t *slots;        /* ring of the points begun, in run order */
    size_t max_open, head, count;
    size_t next_pos;      /* next run-order position to begin */
    size_t opened_group;  /* the group of the open network (SIZE_MAX: none yet) */
    int change;           /* the next point needs the next network: open it once all is back */
    MPI_Comm node;        /* the ranks of this node, made at the first network */
    rc_graph_t *g;        /* the open network (shared with the node's ranks) */
    int stopping;         /* begin no new point */
    int interrupted;      /* a cancel request came (on any rank) */
    int *idle;            /* per rank: 1 while its request waits for a reply */
    uint64_t *runs_of;    /* per rank: runs it computed */
    double *busy_of;      /* per rank: seconds in its units (engine time) */
    local_t local;
} coord_t;

/* A cancel request reported by a worker stops the job as rank 0's own would. */
static void note_cancel(coord_t *c, uint64_t cancel)
{
    if (cancel != 0)
        c->stopping = c->interrupted = 1;
}

/* Skips points done in an earlier session; 1 when some point is still to begin. */
static int more_points(coord_t *c)
{
    while (c->next_pos < c->ex->n_points && c->done0[c->order[c->next_pos]])
        c->next_pos++;
    return c->next_pos < c->ex->n_points;
}

/* The next unit in run order into *t (*got = 0 when there is none now). Begins a point when
 * the last one is all handed out, unless it needs the next network (then c->change is set and
 * the turn opens it once every unit is back). */
static void next_unit(coord_t *c, task_t *t, int *got)
{
    *got = 0;
    const uint64_t runs = c->ex->runs;
    slot_t *s = c->count ? &c->slots[(c->head + c->count - 1) % c->max_open] : NULL;
    if (s == NULL || s->handed == runs) {
        if (c->stopping || c->count == c->max_open || !more_points(c))
            return;
        if (c->group[c->next_pos] != c->opened_group) {
            c->change = 1;
            return;
        }
        size_t pos = c->next_pos++;
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

typedef struct coord_net {
    rc_runner_t *r;
    size_t from, to;
} coord_net_t;

/* Rank 0 opens a network as one process does: the writer idle, its points' seeds checked. */
static rc_graph_t *coord_load(void *ctx, rc_status_t *st)
{
    const coord_net_t *n = ctx;
    rc_graph_t *g = NULL;
    *st = rc_run_open_network(n->r, n->from, n->to, &g);
    return g;
}

static void send_to_worker(int r, const rc_msg_head_t *h);

/* The next network, once every unit is back and saved and every rank waits for work: tells
 * every rank to open it, frees the last one and opens it with the node's ranks, records it in
 * the sink and hands it to the compute thread. */
static rc_status_t change_network(coord_t *c)
{
    rc_status_t status = RC_OK;
    local_t *l = &c->local;
    pthread_mutex_lock(&l->mu);
    int busy = l->unit_pending;
    pthread_mutex_unlock(&l->mu);
    for (int r = 1; r < c->size && !busy; r++)
        busy = !c->idle[r];
    if (busy || c->count > 0)
        return RC_OK;
    const size_t grp = c->group[c->next_pos];
    const size_t id = c->ex->points[c->order[c->next_pos]].network_id;
    rc_msg_head_t h = {RC_MSG_NETWORK, id, 0, 0, 0};
    for (int r = 1; r < c->size; r++) {
        send_to_worker(r, &h);
        c->idle[r] = 0;
    }
    rc_run_status(c->r, "building network %zu of %zu", id + 1, c->ex->n_networks);
    if (c->node == MPI_COMM_NULL)
        RC_TRY(rc_mpi_node_comm(&c->node));
    rc_graph_free(c->g); /* the compute thread is idle: it no longer reads it */
    c->g = NULL;
    size_t from = c->next_pos;
    while (from > 0 && c->group[from - 1] == grp)
        from--;
    coord_net_t net = {c->r, from, c->group_end[grp]};
    RC_TRY(rc_mpi_share_network(c->node, coord_load, &net, &c->g));
    RC_TRY(rc_run_record_network(c->r, id, c->g));
    task_t open = {.kind = TASK_OPEN, .g = c->g};
    local_push(l, &open);
    pthread_mutex_lock(&l->mu);
    l->opened = (long)grp;
    pthread_mutex_unlock(&l->mu);
    c->opened_group = grp;
    c->change = 0;
cleanup:
    return status;
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
        status = rc_run_save_point(c->r, &s->res, NULL);
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
    MPI_Recv(buf, n, MPI_BYTE, r, RC_MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    rc_msg_head_t h;
    if ((size_t)n < sizeof h)
        RC_FAIL(RC_ERR_INTERNAL, "rank %d sent a message of %d bytes", r, n);
    memcpy(&h, buf, sizeof h);
    note_cancel(c, h.cancel);
    const unsigned char *body = buf + sizeof h;
    size_t len = (size_t)n - sizeof h;
    switch (h.kind) {
    case RC_MSG_REQUEST:
        c->idle[r] = 1;
        break;
    case RC_MSG_RESULT:
        RC_TRY(rc_mc_results_unpack(body, len, &b));
        RC_TRY(take_block(c, h.first, b, r));
        c->idle[r] = 1;
        break;
    case RC_MSG_ERROR:
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

static void send_to_worker(int r, const rc_msg_head_t *h)
{
    MPI_Send(h, (int)sizeof *h, MPI_BYTE, r, RC_MPI_TAG, MPI_COMM_WORLD);
}

/* Waits up to 1 ms for the compute thread to report (or returns at once when it has). */
static void wait_local(local_t *l)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += RC_MPI_POLL_MAX_NS;
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
        MPI_Iprobe(MPI_ANY_SOURCE, RC_MPI_TAG, MPI_COMM_WORLD, &flag, &st);
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
    if (rc_run_cancelled(c->r))
        c->stopping = c->interrupted = 1;

    for (int r = 1; r < c->size; r++) {
        if (!c->idle[r])
            continue;
        task_t t;
        int got = 0;
        next_unit(c, &t, &got);
        if (!got)
            break;
        rc_msg_head_t h = {RC_MSG_UNIT, t.point, t.first, t.count, 0};
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
    if (c->change)
        RC_TRY(change_network(c));
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

/* The coordinator's state for ex on `size` ranks: blocks of about a quarter of a point per
 * rank, as many points begun at once as keep every rank busy. */
static rc_status_t coord_init(coord_t *c, rc_runner_t *r, int size)
{
    rc_status_t status = RC_OK;
    const rc_experiment_t *ex = r->ex;
    memset(c, 0, sizeof *c);
    c->r = r;
    c->ex = ex;
    c->order = r->order;
    c->done0 = r->done0;
    c->size = size;
    c->opened_group = SIZE_MAX;
    c->node = MPI_COMM_NULL;
    /* About 4 units per rank and point: enough to even out ranks and runs of unequal cost,
     * few enough that each unit's fixed cost (workspaces, seed plans) stays small. */
    c->block = (ex->runs + 4 * (uint64_t)size - 1) / (4 * (uint64_t)size);
    if (c->block > RC_MPI_MAX_BLOCK_RUNS)
        c->block = RC_MPI_MAX_BLOCK_RUNS;
    /* whole groups of the fused kernel (runs 64g .. 64g + 63), which a block boundary would
     * otherwise make run twice, each time for its part of the lanes (as pool.c does) */
    if (c->block >= RC_LANES)
        c->block -= c->block % RC_LANES;
    if (c->block == 0)
        c->block = 1;
    /* Points begun at once: two when a point has a unit for every rank, more when points are
     * smaller, so that every rank has work; their results wait on rank 0 until saved. */
    uint64_t units = (ex->runs + c->block - 1) / c->block;
    c->max_open = 1 + (size_t)((2 * (uint64_t)size + units - 1) / units);
    c->slots = calloc(c->max_open, sizeof *c->slots);
    c->idle = calloc((size_t)size, sizeof *c->idle);
    c->runs_of = calloc((size_t)size, sizeof *c->runs_of);
    c->busy_of = calloc((size_t)size, sizeof *c->busy_of);
    RC_ALLOC_CHECK(c->slots, "the points in progress");
    RC_ALLOC_CHECK(c->idle, "the ranks' states");
    RC_ALLOC_CHECK(c->runs_of, "the ranks' states");
    RC_ALLOC_CHECK(c->busy_of, "the ranks' states");
    RC_TRY(find_groups(c));
    c->local.r = r;
    c->local.threads = r->opt.threads > 0 ? r->opt.threads : omp_get_max_threads();
    c->local.opened = -1;
    c->local.tasks = calloc(c->local.cap, sizeof *c->local.tasks);
    RC_ALLOC_CHECK(c->local.tasks, "the compute thread's tasks");
cleanup:
    return status;
}

/* Starts rank 0's compute thread (and its OpenMP team) with asynchronous signals blocked:
 * they go to the calling thread, whose program decides. */
static rc_status_t local_start(local_t *l)
{
    if (pthread_mutex_init(&l->h5, NULL) != 0 || pthread_mutex_init(&l->mu, NULL) != 0 ||
        pthread_cond_init(&l->cv, NULL) != 0)
        return rc_error(RC_ERR_INTERNAL, "cannot create the compute thread's locks");
    l->locks = 1;
    sigset_t set, old;
    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    int rc = pthread_create(&l->thread, NULL, local_main, l);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return rc_error(RC_ERR_NOMEM, "cannot start rank 0's compute thread: %s", strerror(rc));
    l->running = 1;
    return RC_OK;
}

/* Every unit is back: releases each worker when its request is in (a slow starter's first
 * request may still be on its way), with the interrupted status when it was cancelled. */
static rc_status_t release_all(coord_t *c)
{
    rc_status_t status = RC_OK;
    rc_msg_head_t stop = {RC_MSG_STOP, 0, 0,
                          c->interrupted ? (uint64_t)RC_ERR_INTERRUPTED : 0, 0};
    for (int r = 1; r < c->size; r++) {
        long ns = RC_MPI_POLL_FIRST_NS;
        while (!c->idle[r]) {
            int flag = 0;
            MPI_Status st;
            MPI_Iprobe(MPI_ANY_SOURCE, RC_MPI_TAG, MPI_COMM_WORLD, &flag, &st);
            if (flag)
                RC_TRY(handle_message(c, &st));
            else
                rc_mpi_nap(&ns);
        }
        send_to_worker(r, &stop);
        c->idle[r] = 0;
    }
cleanup:
    return status;
}

/* Per-rank runs and engine seconds into the report. */
static void report_ranks(const coord_t *c, rc_run_report_t *rep)
{
    rep->ranks = c->size;
    rep->block = c->block;
    rep->rank_runs = calloc((size_t)c->size, sizeof *rep->rank_runs);
    rep->rank_seconds = calloc((size_t)c->size, sizeof *rep->rank_seconds);
    if (rep->rank_runs == NULL || rep->rank_seconds == NULL) {
        free(rep->rank_runs);
        free(rep->rank_seconds);
        rep->rank_runs = NULL;
        rep->rank_seconds = NULL;
        rep->ranks = 0;
        return; /* the report is a courtesy */
    }
    memcpy(rep->rank_runs, c->runs_of, (size_t)c->size * sizeof *rep->rank_runs);
    memcpy(rep->rank_seconds, c->busy_of, (size_t)c->size * sizeof *rep->rank_seconds);
}

rc_status_t rc_run_mpi_coordinate(rc_runner_t *r)
{
    rc_status_t status = RC_OK;
    coord_t c;
    local_t *l = &c.local;
    r->report->mpi_phase = RC_MPI_WORKING; /* until every worker is released */
    rc_run_status(r, "%d MPI ranks", rc_mpi_size_world());
    double t0 = rc_run_now();
    RC_TRY(coord_init(&c, r, rc_mpi_size_world()));
    RC_TRY(local_start(l));
    for (;;) {
        int progress = 0;
        RC_TRY(turn(&c, &progress));
        if (c.count == 0 && (c.stopping || !more_points(&c)))
            break;
        if (!progress)
            wait_local(l);
    }
    local_stop(l);
    RC_TRY(release_all(&c));
    /* Every rank frees the shared network after the stop (collectively); after a failure the
     * job is ended instead. */
    rc_graph_free(c.g);
    c.g = NULL;
    if (c.node != MPI_COMM_NULL)
        MPI_Comm_free(&c.node);
    r->report->mpi_phase = RC_MPI_DONE;
    r->interrupted = c.interrupted;
cleanup:
    if (status != RC_OK) {
        /* Keep what is complete: the points finished and in order before the failure, with the
         * unit rank 0 was computing (a failed worker has none out). */
        char msg[RC_MPI_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "%s", rc_error_message());
        local_stop(l);
        if (l->result != NULL)
            (void)take_block(&c, l->result_first, l->result, 0);
        if (l->locks)
            (void)save_ready(&c);
        status = rc_error(status, "%s", msg);
    }
    local_stop(l);
    r->report->seconds_runs = rc_run_now() - t0;
    if (c.runs_of != NULL)
        report_ranks(&c, r->report);
    rc_mc_results_free(l->result);
    if (l->locks) {
        pthread_cond_destroy(&l->cv);
        pthread_mutex_destroy(&l->mu);
        pthread_mutex_destroy(&l->h5);
    }
    coord_free(&c);
    return status;
}
