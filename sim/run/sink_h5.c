/* The HDF5 results file as a sink of the runner: checked when the sink is made, created when the
 * first network is recorded (so an error found on a built network leaves no file), or reopened
 * and repaired for --resume; points appended as they come. */
#include "rtcascade/runner.h"

#include <stdlib.h>
#include <string.h>

typedef struct h5_sink {
    rc_sink_t sink;
    char *path;
    const rc_experiment_t *ex;
    rc_results_provenance_t prov;
    int force;
    rc_results_t *file; /* NULL until the first network is recorded (or resumed) */
} h5_sink_t;

static int h5_point_done(void *ctx, uint64_t point)
{
    const h5_sink_t *s = ctx;
    return s->file != NULL && rc_results_point_done(s->file, point);
}

static rc_status_t h5_network(void *ctx, size_t id, const rc_graph_t *g)
{
    h5_sink_t *s = ctx;
    if (s->file == NULL) {
        rc_status_t st = rc_results_create(s->path, s->ex, &s->prov, s->force, &s->file);
        if (st != RC_OK)
            return st;
    }
    return rc_results_write_network(s->file, id, g, NULL);
}

static rc_status_t h5_point(void *ctx, rc_mc_results_t **res)
{
    h5_sink_t *s = ctx;
    if (s->file == NULL)
        return rc_error(RC_ERR_INTERNAL, "%s: a point came before its network", s->path);
    return rc_results_write_point(s->file, *res);
}

static rc_status_t h5_prepare(void *ctx, const rc_mc_results_t *res, void **prep)
{
    h5_sink_t *s = ctx;
    rc_results_prep_t *p = NULL;
    *prep = NULL;
    if (s->file == NULL)
        return rc_error(RC_ERR_INTERNAL, "%s: a point came before its network", s->path);
    rc_status_t st = rc_results_prepare_point(s->file, res, &p);
    *prep = p;
    return st;
}

static rc_status_t h5_point_prepared(void *ctx, rc_mc_results_t **res, void *prep)
{
    h5_sink_t *s = ctx;
    if (s->file == NULL) {
        rc_results_prep_free(prep);
        return rc_error(RC_ERR_INTERNAL, "%s: a point came before its network", s->path);
    }
    return rc_results_write_prepared(s->file, *res, prep);
}

static void h5_discard(void *ctx, void *prep)
{
    (void)ctx;
    rc_results_prep_free(prep);
}

static rc_status_t h5_close(void *ctx)
{
    h5_sink_t *s = ctx;
    rc_status_t st = rc_results_close(s->file);
    free(s->path);
    free(s);
    return st;
}

static const rc_sink_ops_t h5_ops = {h5_point_done, h5_network,        h5_point,  h5_close,
                                     h5_prepare,    h5_point_prepared, h5_discard};

static rc_status_t h5_new(const char *path, const rc_experiment_t *ex,
                          const rc_results_provenance_t *prov, h5_sink_t **out)
{
    h5_sink_t *s = calloc(1, sizeof *s);
    char *p = strdup(path);
    if (s == NULL || p == NULL) {
        free(s);
        free(p);
        return rc_error(RC_ERR_NOMEM, "out of memory for a results sink");
    }
    s->path = p;
    s->ex = ex;
    if (prov != NULL)
        s->prov = *prov;
    s->sink = (rc_sink_t){.ops = &h5_ops, .ctx = s, .exclusive_io = 1};
    *out = s;
    return RC_OK;
}

rc_status_t rc_sink_h5_create(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, int force, rc_sink_t **out)
{
    h5_sink_t *s = NULL;
    *out = NULL;
    rc_status_t st = rc_results_check_path(path, force);
    if (st == RC_OK)
        st = h5_new(path, ex, prov, &s);
    if (st != RC_OK)
        return st;
    s->force = force;
    *out = &s->sink;
    return RC_OK;
}

rc_status_t rc_sink_h5_resume(const char *path, const rc_experiment_t *ex,
                              const rc_results_provenance_t *prov, rc_sink_t **out)
{
    h5_sink_t *s = NULL;
    *out = NULL;
    rc_status_t st = h5_new(path, ex, prov, &s);
    if (st == RC_OK)
        st = rc_results_open_resume(path, ex, prov, &s->file);
    if (st != RC_OK) {
        if (s != NULL)
            (void)h5_close(s);
        return st;
    }
    *out = &s->sink;
    return RC_OK;
}

const char *rc_sink_h5_note(const rc_sink_t *sink)
{
    const h5_sink_t *s = sink->ctx;
    return sink->ops == &h5_ops && s->file != NULL ? rc_results_note(s->file) : "";
}

int rc_sink_h5_exists(const rc_sink_t *sink)
{
    return sink != NULL && sink->ops == &h5_ops && ((const h5_sink_t *)sink->ctx)->file != NULL;
}

uint64_t rc_sink_h5_points_done(const rc_sink_t *sink)
{
    if (!rc_sink_h5_exists(sink))
        return 0;
    return rc_results_points_done(((const h5_sink_t *)sink->ctx)->file);
}

rc_status_t rc_sink_close(rc_sink_t *sink)
{
    return sink != NULL ? sink->ops->close(sink->ctx) : RC_OK;
}
