/* The fused kernel's run loop: the point's runs in groups of RC_LANES (group g holds runs
 * RC_LANES g .. RC_LANES g + RC_LANES - 1, whichever of them the call has), groups spread over
 * the threads. Each run's seeds come from its own stream, as in the per-run loop; the model's
 * run_fused advances the group and hands back each run's cascade, which is finished like any
 * run's (rc_mc_finish_run), so per-run results land at their run's index and nothing depends on
 * the thread count, the schedule or the split of runs between calls. */
#include "engine/engine_internal.h"
#include "rtcascade/engine.h"

#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* What the emit hook needs: the point, the thread, the group's first run (index in the call of
 * lane 0, which may lie before the call's first run). */
typedef struct fused_emit_ctx {
    const mc_point_t *pt;
    mc_thread_t *t;
    int64_t lane0;
} fused_emit_ctx_t;

static rc_status_t fused_emit(void *vctx, unsigned lane, const rc_cascade_t *cascade)
{
    fused_emit_ctx_t *e = vctx;
    return rc_mc_finish_run(e->pt, e->t, (uint64_t)(e->lane0 + (int64_t)lane), cascade);
}

/* Appends the seeds of lane j (run `run` of the call) to the thread's group seeds. */
static rc_status_t group_seeds(const mc_point_t *pt, mc_thread_t *t, int j, uint64_t run)
{
    const uint32_t k = rc_mc_draw_seeds(pt, t, run);
    const size_t have = t->group_seed_off[j];
    if (have + k > t->group_seeds_cap) {
        size_t cap = t->group_seeds_cap ? t->group_seeds_cap : 256;
        while (cap < have + k)
            cap *= 2;
        uint32_t *p = realloc(t->group_seeds, cap * sizeof *p);
        if (p == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for a group's seeds");
        t->group_seeds = p;
        t->group_seeds_cap = cap;
    }
    if (k > 0) /* an audience's first hop may be empty: nothing to copy (group_seeds may be NULL) */
        memcpy(t->group_seeds + have, t->seed_buf, (size_t)k * sizeof *t->seed_buf);
    t->group_seed_off[j + 1] = (uint32_t)(have + k);
    return RC_OK;
}

/* Group g of the point: the call's runs in it that lie in [lo, hi) (indices in the call), their
 * seeds, the model's fused run. */
static rc_status_t run_group(const mc_point_t *pt, mc_thread_t *t, uint64_t g, uint64_t lo,
                             uint64_t hi)
{
    rc_status_t status = RC_OK;
    const uint64_t first = pt->first_run, base = (uint64_t)RC_LANES * g;
    const int64_t lane0 = (int64_t)base - (int64_t)first; /* index in the call of lane 0 */
    uint64_t lanes = 0;
    t->group_seed_off[0] = 0;
    for (int j = 0; j < RC_LANES; j++) {
        t->group_seed_off[j + 1] = t->group_seed_off[j];
        const int64_t run = lane0 + j;
        if (run < (int64_t)lo || run >= (int64_t)hi)
            continue;
        lanes |= (uint64_t)1 << j;
        RC_TRY(group_seeds(pt, t, j, (uint64_t)run));
    }
    const rc_fused_group_t grp = {.master = pt->master, .point = pt->point, .group = g,
                                  .lanes = lanes, .seed_off = t->group_seed_off,
                                  .seeds = t->group_seeds};
    fused_emit_ctx_t e = {.pt = pt, .t = t, .lane0 = lane0};
    RC_TRY(pt->model->run_fused(&t->ctx, &grp, t->fw, t->ws, fused_emit, &e));
    t->fused_visits += rc_fused_ws_visits(t->fw);
cleanup:
    return status;
}

/* Runs group g's lanes in [lo, hi); a failure is recorded at the first such run. */
static void group_job(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, uint64_t g,
                      uint64_t lo, uint64_t hi)
{
    if (rc_mc_should_stop(loop))
        return;
    rc_status_t st = run_group(pt, t, g, lo, hi);
    if (st != RC_OK) {
        /* The group's first run in [lo, hi) stands for it. */
        const int64_t lane0 = (int64_t)(RC_LANES * g) - (int64_t)pt->first_run;
        rc_mc_record_failure(&loop->fail, (uint64_t)(lane0 > (int64_t)lo ? lane0 : (int64_t)lo),
                             st, &loop->stop);
    }
}

void rc_mc_fused_block(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, uint64_t lo,
                       uint64_t hi)
{
    if (hi <= lo)
        return;
    const uint64_t g0 = (pt->first_run + lo) / RC_LANES, g1 = (pt->first_run + hi - 1) / RC_LANES;
    for (uint64_t g = g0; g <= g1; g++)
        group_job(pt, t, loop, g, lo, hi);
}

void rc_mc_fused_loop(const mc_point_t *pt, mc_loop_t *loop, uint64_t runs, int threads,
                      int chunk)
{
    const uint64_t g0 = pt->first_run / RC_LANES;
    const int64_t groups = (int64_t)((pt->first_run + runs - 1) / RC_LANES - g0 + 1);
    (void)chunk; /* a group is already 64 runs: groups are handed out one by one */
#pragma omp parallel num_threads(threads)
    {
        mc_thread_t t;
        rc_status_t st = rc_mc_thread_init(pt, &t, 1, NULL);
        if (st != RC_OK)
            rc_mc_record_failure(&loop->fail, UINT64_MAX, st, &loop->stop);
#pragma omp for schedule(dynamic, 1)
        for (int64_t i = 0; i < groups; i++)
            group_job(pt, &t, loop, g0 + (uint64_t)i, 0, runs);
        rc_mc_thread_merge(pt, &t, loop);
        rc_mc_thread_free(&t);
    }
}
