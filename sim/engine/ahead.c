/* Runs in order with their seeds drawn ahead (engine_internal.h: rc_mc_run_range).
 *
 * A small cascade spends most of its time waiting for memory: its seeds are random nodes, so the
 * seeds' follower offsets, their follower lists and those followers' workspace stamps are cache
 * misses one after the other, each known only once the one before it has arrived. With many
 * runs in a row on one thread, run i + RC_AHEAD's seeds are drawn (from its own stream, as
 * rc_mc_run_one would draw them) while run i starts, and its memory is then requested in
 * stages, one stage per run: the offsets at once, the follower lists a run later (their
 * offsets are in cache by then), the followers' stamps a run after that. When run i + RC_AHEAD
 * runs, what it reads first is in cache.
 *
 * Results are bitwise those of rc_mc_run_one: a run's stream is keyed by its index, its seeds
 * are the stream's first draws and its cascade continues on that stream (each run ahead has a
 * stream of its own); drawing seeds moves the workspace's epoch forward (a multi-seed draw marks
 * its picks), which no cascade can mistake for its own, as every cascade starts new epochs.
 * Only the order of memory traffic changes. */
#include "engine/engine_internal.h"
#include "rtcascade/engine.h"

/* Prefetches for a run ahead: at most this many seeds, and this many followers' stamps. */
#define AHEAD_SEEDS 8
#define AHEAD_STAMPS 32

static void warm_offsets(const rc_graph_t *g, const uint32_t *s, uint32_t n)
{
    for (uint32_t k = 0; k < n && k < AHEAD_SEEDS; k++)
        __builtin_prefetch(&g->out_off[s[k]]);
}

static void warm_lists(const rc_graph_t *g, const uint32_t *s, uint32_t n)
{
    for (uint32_t k = 0; k < n && k < AHEAD_SEEDS; k++)
        __builtin_prefetch(&g->out_nbr[g->out_off[s[k]]]);
}

static void warm_stamps(const rc_graph_t *g, const uint32_t *stamp, const uint32_t *s,
                        uint32_t n)
{
    uint32_t budget = AHEAD_STAMPS;
    for (uint32_t k = 0; k < n && k < AHEAD_SEEDS && budget > 0; k++) {
        __builtin_prefetch(&stamp[s[k]], 1);
        const uint64_t b = g->out_off[s[k]], e = g->out_off[s[k] + 1];
        for (uint64_t x = b; x < e && budget > 0; x++, budget--)
            __builtin_prefetch(&stamp[g->out_nbr[x]], 1);
    }
}

/* Run `run` from the seeds drawn into slot `slot`; then finished. */
static rc_status_t run_drawn(const mc_point_t *pt, mc_thread_t *t, uint64_t run, unsigned slot)
{
    rc_workspace_next_run(t->ws);
    rc_cascade_t c;
    rc_status_t st = pt->model->run(&t->ctx, t->ahead_seeds[slot], t->ahead_n[slot],
                                    t->ahead_r[slot], t->ws, &c);
    return st != RC_OK ? st : rc_mc_finish_run(pt, t, run, &c);
}

void rc_mc_run_range(const mc_point_t *pt, mc_thread_t *t, mc_loop_t *loop, uint64_t lo,
                     uint64_t hi)
{
    const unsigned slots = RC_AHEAD + 1;
    const rc_graph_t *g = pt->g;
    if (lo < pt->kept)
        lo = pt->kept < hi ? pt->kept : hi;
    uint64_t drawn = lo; /* the next run whose seeds are to be drawn */
    for (uint64_t i = lo; i < hi; i++) {
        if (rc_mc_should_stop(loop))
            return;
        rc_status_t st;
        if (t->ahead_r[0] == NULL || hi - lo < 2) {
            st = rc_mc_run_one(pt, t, i);
        } else {
            for (; drawn < hi && drawn <= i + RC_AHEAD; drawn++) {
                const unsigned s = (unsigned)(drawn % slots);
                t->ahead_n[s] = rc_mc_draw_seeds_into(pt, t, t->ahead_r[s], t->ahead_seeds[s],
                                                      drawn);
                warm_offsets(g, t->ahead_seeds[s], t->ahead_n[s]);
            }
            if (i + 2 < hi) {
                const unsigned s = (unsigned)((i + 2) % slots);
                warm_lists(g, t->ahead_seeds[s], t->ahead_n[s]);
            }
            if (i + 1 < hi) {
                const unsigned s = (unsigned)((i + 1) % slots);
                warm_stamps(g, t->ws->stamp, t->ahead_seeds[s], t->ahead_n[s]);
            }
            st = run_drawn(pt, t, i, (unsigned)(i % slots));
        }
        if (st != RC_OK)
            rc_mc_record_failure(&loop->fail, i, st, &loop->stop);
    }
}
