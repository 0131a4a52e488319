/* The Monte Carlo driver's insides (engine layer, private), shared by the per-run loop
 * (engine.c) and the fused one (fused.c): the point every thread reads, a thread's scratch, the
 * loop's failure and stop flags, and what is done with a finished run. */
#ifndef RC_ENGINE_INTERNAL_H
#define RC_ENGINE_INTERNAL_H

#include "rtcascade/engine.h"

/* The first failure by run index wins, so the reported error does not depend on timing. */
typedef struct mc_failure {
    rc_status_t status;
    uint64_t run;       /* failing run, UINT64_MAX for a thread's setup */
    char message[1024];
} mc_failure_t;

/* What every thread of a call reads: the point, resolved once. */
typedef struct mc_point {
    const rc_graph_t *g;
    const rc_model_t *model;
    rc_run_ctx_t ctx;          /* the model's run context (audience bits of a fixed audience) */
    const rc_seed_plan_t *plan; /* seeds, or NULL with an audience */
    const rc_audience_t *aud;  /* the audience, or NULL with seeds */
    uint64_t master, point, first_run;
    uint64_t kept;             /* runs [0, kept) of the call are done already (auto's pilot) */
    uint32_t max_seeds;        /* seeds per run at most */
    const rc_mc_recorder_t *recorder; /* told each run's cascade, or NULL */
    rc_mc_results_t *res;      /* per-run values land at [run] */
} mc_point_t;

/* Runs whose seeds are drawn ahead of the one running (ahead.c). */
#define RC_AHEAD 3

/* One thread's scratch, allocated once per call. */
typedef struct mc_thread {
    rc_workspace_t *ws;
    gsl_rng *r;
    uint32_t *seed_buf;
    uint64_t *gen_acc;         /* this thread's adoptions per generation */
    uint32_t gen_len;
    uint64_t *growth;          /* timed: this thread's sums of N(t) (curves.h), else NULL */
    uint32_t *growth_hist;     /* timed: a run's adoptions per grid bin (scratch) */
    rc_audience_buf_t *abuf;   /* this thread's audience when redrawn per run */
    rc_run_ctx_t ctx;          /* the point's context with this thread's audience bits */
    rc_fused_ws_t *fw;         /* fused kernel: its state, and a group's seeds */
    uint64_t fused_visits;     /* fused kernel: the visits of this thread's groups */
    uint32_t *group_seeds;
    size_t group_seeds_cap;
    uint32_t group_seed_off[RC_LANES + 1];
    /* Per-run kernel without an audience: the streams and seeds of the run running and of the
     * RC_AHEAD runs after it (slot: run % (RC_AHEAD + 1)); NULL otherwise. */
    gsl_rng *ahead_r[RC_AHEAD + 1];
    uint32_t *ahead_seeds[RC_AHEAD + 1];
    uint32_t ahead_n[RC_AHEAD + 1];
} mc_thread_t;

/* Shared state of the run loop: who failed first, and whether to stop. */
typedef struct mc_loop {
    mc_failure_t fail;
    int stop;      /* set on a failure or cancellation: remaining runs are skipped */
    int cancelled;
    int (*cancel)(void *ctx);
    void *cancel_ctx;
} mc_loop_t;

/* Keeps the failure of `run` (index in the call) if it is the first by index; stops the loop. */
void rc_mc_record_failure(mc_failure_t *f, uint64_t run, rc_status_t st, int *stop);

/* A thread's scratch for the point (fused: with the fused kernel's state); free with
 * rc_mc_thread_free (also after a failed init). keep (may be NULL) is a workspace of an earlier
 * point that fits pt: it is reused, its model state zeroed as a fresh one would be. */
rc_status_t rc_mc_thread_init(const mc_point_t *pt, mc_thread_t *t, int fused,
                              rc_workspace_t *keep);
void rc_mc_thread_free(mc_thread_t *t);

/* Adds the thread's adoptions per generation and growth sums into the call's totals (inside a
 * critical section). */
void rc_mc_thread_merge(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop);

/* Re-keys t->r to run `run` (index in the call) and draws its seeds, or its audience's first
 * hop, into t->seed_buf; returns how many. */
uint32_t rc_mc_draw_seeds(const mc_point_t *pt, mc_thread_t *t, uint64_t run);
/* The same into the stream r and the buffer seeds (room for pt->max_seeds). */
uint32_t rc_mc_draw_seeds_into(const mc_point_t *pt, mc_thread_t *t, gsl_rng *r, uint32_t *seeds,
                               uint64_t run);

/* A finished run (index in the call): its metrics into res, the recorder told, its adoptions
 * per generation added to the thread's. */
rc_status_t rc_mc_finish_run(const mc_point_t *pt, mc_thread_t *t, uint64_t run,
                             const rc_cascade_t *c);

/* Polls the loop's stop flag and cancel hook; 1 when the loop must stop. */
int rc_mc_should_stop(mc_loop_t *loop);

/* The runs [lo, hi) of the call in order on this thread by the per-run kernel (each as
 * run_one would run it), their seeds drawn ahead when t has the streams for it (ahead.c);
 * failures into loop. Runs below pt->kept are skipped: they are done. */
void rc_mc_run_range(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, uint64_t lo,
                     uint64_t hi);
/* Run `run` of the call from its own stream and seeds (rc_mc_draw_seeds) into *c (the
 * workspace's arrays), not finished: nothing recorded. */
rc_status_t rc_mc_cascade_one(const mc_point_t *pt, mc_thread_t *t, uint64_t run,
                              rc_cascade_t *c);
/* The same, then finished (rc_mc_finish_run). */
rc_status_t rc_mc_run_one(const mc_point_t *pt, mc_thread_t *t, uint64_t run);

/* The runs [lo, hi) of the call (indices in it) by the fused kernel on this thread: the groups
 * they touch, each run only for its lanes inside [lo, hi); failures into loop. */
void rc_mc_fused_block(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, uint64_t lo,
                       uint64_t hi);

/* auto's pilot (kernel.c): the point's runs 0 .. RC_LANES - 1 by the per-run kernel, and the
 * kernel that follows from how many of them one read of a node's followers would serve in a
 * fused group (fused from RC_AUTO_RUNS_PER_READ; per_run when they are too small to tell).
 * When the call starts at the point's run 0 and has no recorder, the runs are finished into
 * pt->res as the per-run kernel would finish them; if the choice is per_run they are kept:
 * *kept is how many (0 otherwise), and their adoptions per generation are in pt->res. Polls
 * loop's cancel hook between runs (RC_ERR_INTERRUPTED). */
rc_status_t rc_mc_kernel_pilot(const mc_point_t *pt, mc_loop_t *loop, rc_kernel_t *kernel,
                               uint64_t *kept);

/* Every run of the call by the fused kernel: groups of RC_LANES runs in parallel. */
void rc_mc_fused_loop(const mc_point_t *pt, mc_loop_t *loop, uint64_t runs, int threads,
                      int chunk);

#endif
