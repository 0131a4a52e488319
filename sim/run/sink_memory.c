/* A sink that keeps every point's results in memory: for programs that use the results at once
 * (the Python API) and for tests of the runner, which also read which networks it was told of. */
#include "rtcascade/runner.h"

#include <stdint.h>
#include <stdlib.h>

typedef struct mem_sink {
    rc_sink_t sink;
    uint64_t n_points;
    rc_mc_results_t **points; /* per point index, NULL until written */
    size_t *networks;         /* ids told, in order */
    size_t n_networks, cap_networks;
} mem_sink_t;

static int mem_point_done(void *ctx, uint64_t point)
{
    const mem_sink_t *s = ctx;
    return point < s->n_points && s->points[point] != NULL;
}

static rc_status_t mem_network(void *ctx, size_t id, const rc_graph_t *g)
{
    mem_sink_t *s = ctx;
    (void)g;
    if (s->n_networks == s->cap_networks) {
        size_t cap = s->cap_networks ? 2 * s->cap_networks : 8;
        size_t *n = realloc(s->networks, cap * sizeof *n);
        if (n == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory in a memory sink");
        s->networks = n;
        s->cap_networks = cap;
    }
    s->networks[s->n_networks++] = id;
    return RC_OK;
}

static rc_status_t mem_point(void *ctx, rc_mc_results_t **res)
{
    mem_sink_t *s = ctx;
    uint64_t p = (*res)->point;
    if (p >= s->n_points)
        return rc_error(RC_ERR_INTERNAL, "memory sink: point %llu is not one of %llu",
                        (unsigned long long)p, (unsigned long long)s->n_points);
    if (s->points[p] != NULL)
        return rc_error(RC_ERR_INTERNAL, "memory sink: point %llu written twice",
                        (unsigned long long)p);
    s->points[p] = *res;
    *res = NULL;
    return RC_OK;
}

static rc_status_t mem_close(void *ctx)
{
    mem_sink_t *s = ctx;
    for (uint64_t p = 0; p < s->n_points; p++)
        rc_mc_results_free(s->points[p]);
    free(s->points);
    free(s->networks);
    free(s);
    return RC_OK;
}

static const rc_sink_ops_t mem_ops = {mem_point_done, mem_network, mem_point, mem_close,
                                      NULL,           NULL,        NULL};

rc_status_t rc_sink_memory_new(const rc_experiment_t *ex, rc_sink_t **out)
{
    *out = NULL;
    mem_sink_t *s = calloc(1, sizeof *s);
    if (s == NULL)
        return rc_error(RC_ERR_NOMEM, "out of memory for a memory sink");
    s->n_points = ex->n_points;
    s->points = calloc(ex->n_points ? ex->n_points : 1, sizeof *s->points);
    if (s->points == NULL) {
        free(s);
        return rc_error(RC_ERR_NOMEM, "out of memory for a memory sink");
    }
    s->sink = (rc_sink_t){.ops = &mem_ops, .ctx = s, .exclusive_io = 0};
    *out = &s->sink;
    return RC_OK;
}

const rc_mc_results_t *rc_sink_memory_get(const rc_sink_t *sink, uint64_t point)
{
    const mem_sink_t *s = sink->ctx;
    return sink->ops == &mem_ops && point < s->n_points ? s->points[point] : NULL;
}

rc_status_t rc_sink_memory_put(rc_sink_t *sink, rc_mc_results_t **res)
{
    if (sink->ops != &mem_ops)
        return rc_error(RC_ERR_ARGUMENT, "rc_sink_memory_put: not a memory sink");
    return mem_point(sink->ctx, res);
}

size_t rc_sink_memory_networks(const rc_sink_t *sink)
{
    return sink->ops == &mem_ops ? ((const mem_sink_t *)sink->ctx)->n_networks : 0;
}

size_t rc_sink_memory_network_at(const rc_sink_t *sink, size_t i)
{
    const mem_sink_t *s = sink->ctx;
    return sink->ops == &mem_ops && i < s->n_networks ? s->networks[i] : SIZE_MAX;
}
