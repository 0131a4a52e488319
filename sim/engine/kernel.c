/* Which kernel computes a point's runs (engine.kernel): the names, and the choice `auto` makes
 * from the config and the graph alone, so that a config gives the same file wherever it runs. */
#include "rtcascade/engine.h"

#include <stddef.h>
#include <string.h>

const char *const rc_kernel_names[] = {"auto", "per_run", "fused", NULL};

const rc_param_t rc_engine_params[] = {
    {.name = "kernel", .type = RC_PARAM_CHOICE, .offset = offsetof(rc_engine_spec_t, kernel),
     .def = RC_KERNEL_AUTO, .choices = rc_kernel_names,
     .doc = "how a point's runs are computed: per_run (one run at a time, the reference), fused "
            "(64 runs at a time, one bit per run per node; independent_cascade and "
            "linear_threshold with weights: in_degree; other draws, same distributions), or "
            "auto (per_run; fused pays only on strongly supercritical independent cascades: ask "
            "for it there)"},
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
                                const rc_mc_options_t *o, rc_kernel_t *out)
{
    /* auto is per_run: the fused kernel pays only where a group's runs share most follower
     * reads (8.5 or more runs per read: 1.8x to 2.3x on four network families; 3.5 or fewer:
     * slower; docs/benchmarks.md), which neither the branching factor nor the graph tells,
     * only running cascades; `fused` runs it when asked. */
    *out = RC_KERNEL_PER_RUN;
    if (o->kernel != RC_KERNEL_FUSED)
        return RC_OK;
    const char *why = fused_obstacle(model, params, shared, g, max_seeds, redraw, o);
    if (why != NULL)
        return rc_error(RC_ERR_CONFIG, "engine.kernel: fused cannot run model %s here: %s",
                        model->name, why);
    *out = RC_KERNEL_FUSED;
    return RC_OK;
}
