/* One point on a graph the caller holds (runner.h: rc_run_point), with the same engine options
 * as a point of an experiment, so both give the same runs; and a cancel hook that reads a flag
 * another thread sets (how a program without signal handlers of its own -- Python -- stops a
 * call it made on a worker thread). */
#include "run/runner_internal.h"

#include <omp.h>

rc_mc_options_t rc_run_point_options(const rc_point_t *pt, const rc_run_options_t *o)
{
    rc_mc_options_t opt = rc_mc_default_options();
    opt.global_fraction = pt->global_fraction;
    opt.max_size = pt->max_size;
    opt.threads = o->threads;
    opt.schedule = o->schedule;
    opt.chunk = o->chunk;
    opt.audience = pt->has_audience ? &pt->audience : NULL;
    opt.model_key = pt->model_key;
    opt.kernel = (rc_kernel_t)pt->kernel;
    return opt;
}

int rc_run_flag_cancel(void *ctx)
{
#if defined(__GNUC__)
    return ctx != NULL && __atomic_load_n((const int *)ctx, __ATOMIC_RELAXED) != 0;
#else
    return ctx != NULL && *(const volatile int *)ctx != 0;
#endif
}

rc_status_t rc_run_point(const rc_point_t *pt, const rc_graph_t *g, uint64_t runs,
                         uint64_t master_seed, const rc_run_options_t *opt,
                         const rc_run_hooks_t *hooks, const rc_mc_recorder_t *recorder,
                         rc_mc_results_t **out)
{
    *out = NULL;
    const rc_run_options_t o = opt != NULL ? *opt : rc_run_default_options();
    if (o.threads < 0)
        return rc_error(RC_ERR_ARGUMENT, "threads: expected a number >= 0, got %d", o.threads);
    rc_mc_options_t mo = rc_run_point_options(pt, &o);
    if (hooks != NULL && hooks->cancel != NULL) {
        mo.cancel = hooks->cancel;
        mo.cancel_ctx = hooks->ctx;
    }
    mo.recorder = recorder;
    rc_run_quiet_threads(o.threads);
    return rc_mc_run(g, pt->model, pt->params, pt->has_audience ? NULL : &pt->seeds, runs,
                     master_seed, pt->index, &mo, out);
}
