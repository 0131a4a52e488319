/* Which kernel computes a point's runs (engine.kernel): the names, and the choice `auto` makes
 * from the config and the graph alone, so that a config gives the same file wherever it runs. */
#include "engine/engine_internal.h"
#include "rtcascade/engine.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

const char *const rc_kernel_names[] = {"auto", "per_run", "fused", NULL};

const rc_param_t rc_engine_params[] = {
    {.name = "kernel", .type = RC_PARAM_CHOICE, .offset = offsetof(rc_engine_spec_t, kernel),
     .def = RC_KERNEL_AUTO, .choices = rc_kernel_names,
     .doc = "how a point's runs are computed: per_run (one run at a time, the reference), fused "
            "(64 runs at a time, one bit per run per node; independent_cascade and "
            "linear_threshold with weights: in_degree; other draws, same distributions), or "
            "auto (fused where a pilot of the point's first 64 runs shows them sharing a read "
            "of a node's followers 6 or more times: independent_cascade, 1,024 runs or more; "
            "per_run otherwise)"},
    {0},
};

rc_status_t rc_kernel_parse(const char *name, rc_kernel_t *out)
{
    for (int k = 0; rc_kernel_names[k] != NULL; k++)
        if (name != NULL && strcmp(name, rc_kernel_names[k]) == 0) {
            *out = (rc_kernel_t)k;
            return RC_OK;
        }
    return rc_error(RC_ERR_CONFIG, "engine.kernel: expected auto, per_run or fused, got '%s'",
                    name ? name : "");
}

/* Why the fused kernel cannot run this point (NULL when it can). */
static const char *fused_obstacle(const rc_model_t *model, const void *params, const void *shared,
                                  const rc_graph_t *g, uint32_t max_seeds, int redraw,
                                  const rc_mc_options_t *o)
{
    if (model->run_fused == NULL)
        return "this model has no fused kernel (independent_cascade and linear_threshold have)";
    const char *why = model->fused_check != NULL ? model->fused_check(params, shared, g) : NULL;
    if (why != NULL)
        return why;
    if (redraw)
        return "an audience redrawn in every run (redraw: true) is not fused";
    if (o->max_size > 0 && o->max_size < max_seeds)
        return "max_size is below the seeds (or audience) of a run";
    return NULL;
}

rc_status_t rc_mc_kernel_choose(const rc_model_t *model, const void *params, const void *shared,
                                const rc_graph_t *g, uint32_t max_seeds, int redraw,
                                uint64_t runs, const rc_mc_options_t *o, rc_kernel_t *out)
{
    *out = RC_KERNEL_PER_RUN;
    if (o->kernel == RC_KERNEL_PER_RUN)
        return RC_OK;
    const char *why = fused_obstacle(model, params, shared, g, max_seeds, redraw, o);
    if (o->kernel == RC_KERNEL_AUTO) {
        const uint64_t point_runs = o->point_runs > 0 ? o->point_runs : runs;
        if (why == NULL && model->fused_auto && point_runs >= RC_AUTO_MIN_RUNS)
            *out = RC_KERNEL_AUTO; /* the pilot decides */
        return RC_OK;
    }
    if (why != NULL)
        return rc_error(RC_ERR_CONFIG, "engine.kernel: fused cannot run model %s here: %s",
                        model->name, why);
    *out = RC_KERNEL_FUSED;
    return RC_OK;
}

/* ---- auto's pilot ----
 *
 * The fused kernel pays where one read of a node's followers serves many of a group's runs:
 * from 6, it was 1.06x to 2.3x per_run on five network families (1.8x to 2.3x from 8.5); at
 * 3.5 or fewer it was slower (docs/benchmarks.md). Neither the branching factor nor the graph
 * tells how many; running cascades does. The pilot runs the point's runs 0 .. 63 (a fused
 * group's) by the per-run kernel, from their own streams, so the choice depends on the config
 * and the graph alone: not on threads, ranks or blocks. A visit of the fused kernel serves
 * every run in which a node adopted in one generation, so runs per read = adoptions / distinct
 * (generation, node), counted on every stride-th node (at most PILOT_NODES of them). When the
 * first PILOT_CHECK runs average fewer than n / 64 adopters the pilot stops: runs that small
 * share little. Where the point stays per_run, the runs the pilot ran are kept, so it costs
 * (nearly) nothing there. */
#define PILOT_NODES 8192u
#define PILOT_CHECK 8u

static int cmp_key(const void *a, const void *b)
{
    const uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

rc_status_t rc_mc_kernel_pilot(const mc_point_t *point, mc_loop_t *loop, rc_kernel_t *kernel,
                               uint64_t *kept)
{
    rc_status_t status = RC_OK;
    mc_point_t pt = *point;
    /* Its runs are the call's first when the call starts at the point's run 0: then they are
     * finished as the per-run kernel finishes them, for the point to keep if it stays per_run.
     * (A recorder would be told runs the fused kernel then runs again.) */
    const int finish = point->first_run == 0 && point->recorder == NULL &&
                       point->res->runs >= RC_LANES;
    pt.first_run = 0; /* the point's own runs 0 .. 63, whatever block the call has */
    pt.recorder = NULL;
    mc_thread_t t;
    const uint32_t n = pt.g->n, stride = n / PILOT_NODES + 1;
    uint64_t *key = malloc((size_t)RC_LANES * (n / stride + 1) * sizeof *key);
    size_t len = 0;
    uint64_t adoptions = 0, run = 0;
    double runs_per_read = 0.0;
    *kernel = RC_KERNEL_PER_RUN;
    *kept = 0;
    status = rc_mc_thread_init(&pt, &t, 0, NULL);
    if (status == RC_OK && key == NULL)
        status = rc_error(RC_ERR_NOMEM, "out of memory for the kernel's pilot");
    for (; run < RC_LANES && status == RC_OK; run++) {
        if (run == PILOT_CHECK && adoptions < PILOT_CHECK * (uint64_t)(n / 64))
            break;
        if (loop->cancel != NULL && loop->cancel(loop->cancel_ctx)) {
            status = rc_error(RC_ERR_INTERRUPTED, "stopped in the kernel's pilot");
            break;
        }
        rc_cascade_t c;
        status = rc_mc_cascade_one(&pt, &t, run, &c);
        if (status != RC_OK)
            break;
        adoptions += c.size;
        for (uint32_t i = 0; i < c.size; i++)
            if (c.node[i] % stride == 0)
                key[len++] = (uint64_t)c.node[i] << 32 | c.generation[i];
        if (finish)
            status = rc_mc_finish_run(&pt, &t, run, &c);
    }
    if (status != RC_OK)
        goto cleanup;
    if (run == RC_LANES && len > 0) {
        qsort(key, len, sizeof *key, cmp_key);
        size_t visits = 0;
        for (size_t i = 0; i < len; i++)
            visits += i == 0 || key[i] != key[i - 1];
        runs_per_read = (double)len / (double)visits;
    }
    if (runs_per_read >= RC_AUTO_RUNS_PER_READ) {
        *kernel = RC_KERNEL_FUSED; /* which runs every run of the call again */
    } else if (finish) {
        rc_mc_thread_merge(&pt, &t, loop); /* the kept runs' adoptions per generation */
        status = loop->fail.status;
        *kept = status == RC_OK ? run : 0;
    }
cleanup:
    rc_mc_thread_free(&t);
    free(key);
    return status;
}
