/* A simulation-based calibration (runner.h: rc_run_calibrate): the network built once, then
 * every candidate of the search, the profile and the bootstrap simulated in-process by the
 * engine (rc_run_point) from the same streams -- one point index per calibration, so run r of
 * every candidate draws from stream (seed, point, r) and the objective moves smoothly with the
 * parameters -- and compared with the observed cascades by the fit layer's objectives. */
#include "rtcascade/rng.h"
#include "rtcascade/runner.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Streams of the bootstrap's resamples: (seed, RC_CALIB_BOOT_STREAM, b). */
#define RC_CALIB_BOOT_STREAM 0xB007ULL

/* What the objective needs, and the evaluations it has made. */
typedef struct calib_run {
    const rc_fit_spec_t *spec;
    const rc_calib_spec_t *c;
    const rc_graph_t *g;
    rc_run_options_t opt;
    const rc_calib_data_t *data; /* the observed cascades compared (a resample in a bootstrap) */
    uint64_t point;              /* the point index of every candidate: 0, or 1 + replicate */
    int phase;                   /* of the evaluations made now (rc_calib_eval_t.phase) */
    rc_calib_eval_t *evals;
    size_t n_evals, cap;
    uint64_t *sim; /* runs: the candidate's sizes, sorted */
    double growth[RC_GROWTH_TIMES];
} calib_run_t;

/* Runs the candidate x. */
static rc_status_t simulate(calib_run_t *cr, const double *x, rc_mc_results_t **res)
{
    rc_status_t status = RC_OK;
    rc_point_t *pt = NULL;
    RC_TRY(rc_calib_point(cr->spec, x, cr->point, &pt));
    RC_TRY(rc_run_point(pt, cr->g, cr->c->runs, cr->spec->seed, &cr->opt, NULL, NULL, res));
cleanup:
    rc_point_free(pt);
    return status;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The sizes of res as the data count them (reshares + 1, the post), sorted into cr->sim, and
 * its mean growth curve (the post included) into cr->growth. */
static void observe(calib_run_t *cr, const rc_mc_results_t *res)
{
    for (uint64_t i = 0; i < res->runs; i++)
        cr->sim[i] = (uint64_t)res->retweets[i] + 1;
    qsort(cr->sim, (size_t)res->runs, sizeof *cr->sim, cmp_u64);
    for (size_t k = 0; k < RC_GROWTH_TIMES; k++)
        cr->growth[k] =
            res->growth ? (double)res->growth[k] / (double)res->runs + (cr->c->audience ? 1.0 : 0.0)
                        : NAN;
}

static rc_status_t record(calib_run_t *cr, const double *x, double f)
{
    if (cr->n_evals == cr->cap) {
        size_t cap = cr->cap ? 2 * cr->cap : 256;
        rc_calib_eval_t *e = realloc(cr->evals, cap * sizeof *e);
        if (e == NULL)
            return rc_error(RC_ERR_NOMEM, "out of memory for the evaluations");
        cr->evals = e;
        cr->cap = cap;
    }
    rc_calib_eval_t *e = &cr->evals[cr->n_evals++];
    memset(e, 0, sizeof *e);
    memcpy(e->x, x, cr->c->box.dim * sizeof *x);
    e->f = f;
    e->phase = cr->phase;
    return RC_OK;
}

static double objective(const double *x, void *ctx, rc_status_t *status)
{
    calib_run_t *cr = ctx;
    rc_mc_results_t *res = NULL;
    double f = NAN;
    *status = simulate(cr, x, &res);
    if (*status == RC_OK) {
        observe(cr, res);
        f = rc_calib_objective(cr->data, &cr->c->objective, cr->sim, (size_t)res->runs, cr->growth);
        *status = record(cr, x, f);
    }
    rc_mc_results_free(res);
    return f;
}

/* The profile interval of every free parameter: where the -log-likelihood rises by
 * chi2_1(level) / 2, times (1 + n / runs) for the simulation's own noise (the part common to
 * every candidate, which common random numbers make); from the quadratic response surface
 * around the minimum (whose vertex becomes the estimate), widened for its vertex's noise (the
 * part that differs from candidate to candidate), else from the raw objective. */
static rc_status_t profile(calib_run_t *cr, rc_calib_found_t *best, rc_calib_result_t *r)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = cr->c;
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * c->level);
    rc_calib_surface_t sf;
    r->inflation = 1.0 + (double)cr->data->n / (double)c->runs;
    r->rise = 0.5 * gsl_cdf_chisq_Pinv(c->level, 1.0) * r->inflation;
    cr->phase = 1;
    RC_TRY(rc_calib_surface(&c->box, objective, cr, best, r->rise, z, &sf));
    r->surface = sf.ok;
    r->noise = sf.noise;
    for (size_t i = 0; i < c->box.dim && sf.ok; i++) {
        r->est[i] = best->x[i] = sf.x[i];
        r->at_bound[i] = sf.at_bound[i];
        r->ci_low[i] = sf.low[i];
        r->ci_high[i] = sf.high[i];
        r->open_low[i] = sf.open_low[i];
        r->open_high[i] = sf.open_high[i];
    }
    for (size_t i = 0; i < c->box.dim && !sf.ok; i++)
        RC_TRY(rc_calib_profile(&c->box, objective, cr, &c->search, best, i, r->rise, &r->ci_low[i],
                                &r->ci_high[i], &r->open_low[i], &r->open_high[i]));
    for (size_t i = 0; i < c->box.dim; i++)
        r->se[i] = (r->ci_high[i] - r->ci_low[i]) / (2.0 * z);
cleanup:
    return status;
}

/* B replicates: the cascades resampled with replacement (stream (seed, 0xB007, b)), simulated
 * from fresh streams (point 1 + b, the same for the replicate's candidates), each searched from
 * the estimate; percentile intervals, and their standard deviation. */
static rc_status_t bootstrap(calib_run_t *cr, const rc_cascades_t *cs, rc_calib_result_t *r)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = cr->c;
    const size_t B = (size_t)c->bootstrap, d = c->box.dim;
    const rc_calib_data_t *main_data = cr->data;
    size_t *idx = malloc(cs->n * sizeof *idx);
    double *est = malloc((B + 1) * d * sizeof *est), *col = malloc((B + 1) * sizeof *col);
    gsl_rng *rng = rc_rng_alloc();
    rc_calib_data_t data = {0};
    RC_ALLOC_CHECK(idx, "the bootstrap");
    RC_ALLOC_CHECK(est, "the bootstrap");
    RC_ALLOC_CHECK(col, "the bootstrap");
    RC_ALLOC_CHECK(rng, "a random stream");
    cr->phase = 2;
    for (size_t b = 0; b < B; b++) {
        rc_rng_seed(rng, cr->spec->seed, RC_CALIB_BOOT_STREAM, b);
        for (size_t k = 0; k < cs->n; k++)
            idx[k] = (size_t)rc_rng_below64(rng, cs->n);
        rc_calib_data_clear(&data);
        RC_TRY(rc_calib_data_make(cs, idx, cs->n, &c->objective, &data));
        cr->data = &data;
        cr->point = 1 + b;
        rc_calib_found_t f;
        RC_TRY(rc_calib_minimize(&c->box, objective, cr, &c->search, r->est, &f));
        memcpy(est + b * d, f.x, d * sizeof *est);
    }
    const double a = 0.5 - 0.5 * c->level;
    for (size_t i = 0; i < d; i++) {
        for (size_t b = 0; b < B; b++)
            col[b] = est[b * d + i];
        gsl_sort(col, 1, B);
        r->boot_low[i] = gsl_stats_quantile_from_sorted_data(col, 1, B, a);
        r->boot_high[i] = gsl_stats_quantile_from_sorted_data(col, 1, B, 1.0 - a);
        if (c->interval == RC_CALIB_INTERVAL_BOOTSTRAP) {
            r->ci_low[i] = r->boot_low[i];
            r->ci_high[i] = r->boot_high[i];
            r->se[i] = gsl_stats_sd(col, 1, B);
        }
    }
    r->boot_done = (int)B;
cleanup:
    cr->data = main_data;
    cr->point = 0;
    rc_calib_data_clear(&data);
    gsl_rng_free(rng);
    free(idx);
    free(est);
    free(col);
    return status;
}

/* The growth curves compared, on the grid up to where both are complete: observed mean N(t),
 * simulated mean with its 95% band (of the mean). */
static rc_status_t growth_rows(const calib_run_t *cr, const rc_mc_results_t *res,
                               rc_calib_result_t *r)
{
    rc_status_t status = RC_OK;
    const uint64_t *s = res->growth;
    const size_t G = RC_GROWTH_TIMES;
    if (s == NULL)
        return RC_OK;
    size_t last = cr->data->growth_last, sim_last = G - 1;
    while (sim_last > 0 && s[sim_last - 1] == s[G - 1])
        sim_last--;
    last = sim_last > last ? sim_last : last;
    const size_t n = last + 1;
    r->growth_t = malloc(n * sizeof *r->growth_t);
    r->growth_obs = malloc(n * sizeof *r->growth_obs);
    r->growth_sim = malloc(n * sizeof *r->growth_sim);
    r->growth_low = malloc(n * sizeof *r->growth_low);
    r->growth_high = malloc(n * sizeof *r->growth_high);
    RC_ALLOC_CHECK(r->growth_t, "the growth curves");
    RC_ALLOC_CHECK(r->growth_obs, "the growth curves");
    RC_ALLOC_CHECK(r->growth_sim, "the growth curves");
    RC_ALLOC_CHECK(r->growth_low, "the growth curves");
    RC_ALLOC_CHECK(r->growth_high, "the growth curves");
    const double runs = (double)res->runs, post = cr->c->audience ? 1.0 : 0.0;
    for (size_t k = 0; k < n; k++) {
        double sum = (double)s[k], sq = (double)s[G + k] + ldexp((double)s[2 * G + k], 64);
        double var = runs > 1 ? (sq - sum * sum / runs) / (runs - 1) : 0.0;
        double half = 1.959963984540054 * sqrt(var > 0 ? var : 0) / sqrt(runs);
        r->growth_t[k] = rc_growth_time(k);
        r->growth_obs[k] = cr->data->growth[k];
        r->growth_sim[k] = sum / runs + post;
        r->growth_low[k] = r->growth_sim[k] - half;
        r->growth_high[k] = r->growth_sim[k] + half;
    }
    r->growth_len = n;
cleanup:
    return status;
}

/* The estimate's own simulation: sizes, times, -log-likelihood, KS distance, growth curves. */
static rc_status_t describe_estimate(calib_run_t *cr, rc_calib_result_t *r)
{
    rc_status_t status = RC_OK;
    rc_mc_results_t *res = NULL;
    cr->phase = 3;
    r->objective = objective(r->est, cr, &status);
    RC_TRY(status);
    RC_TRY(simulate(cr, r->est, &res));
    observe(cr, res);
    r->nll = -rc_calib_size_loglik(cr->data, cr->c->objective.smoothing, cr->sim, res->runs);
    rc_calib_objective_options_t ks = cr->c->objective;
    ks.objective = RC_CALIB_KS_SIZE;
    r->ks_size = rc_calib_objective(cr->data, &ks, cr->sim, res->runs, NULL);
    r->runs = res->runs;
    r->timed = res->timed;
    r->sim_size = malloc(res->runs * sizeof *r->sim_size);
    RC_ALLOC_CHECK(r->sim_size, "the simulated sizes");
    for (uint64_t i = 0; i < res->runs; i++)
        r->sim_size[i] = (uint64_t)res->retweets[i] + 1;
    if (res->timed) {
        r->sim_final_time = malloc(res->runs * sizeof *r->sim_final_time);
        RC_ALLOC_CHECK(r->sim_final_time, "the simulated times");
        memcpy(r->sim_final_time, res->final_time, res->runs * sizeof *r->sim_final_time);
    }
    RC_TRY(growth_rows(cr, res, r));
cleanup:
    rc_mc_results_free(res);
    return status;
}

/* The calibration proper, on the built network g. */
static rc_status_t calibrate(calib_run_t *cr, const rc_cascades_t *cs, rc_calib_result_t *r)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = cr->c;
    rc_calib_found_t best;
    r->dim = c->box.dim;
    for (size_t i = 0; i < r->dim; i++) {
        r->name[i] = c->free_key[i];
        r->boot_low[i] = r->boot_high[i] = NAN;
    }
    RC_TRY(rc_calib_minimize(&c->box, objective, cr, &c->search, NULL, &best));
    memcpy(r->est, best.x, r->dim * sizeof *r->est);
    memcpy(r->raw_est, best.x, r->dim * sizeof *r->raw_est);
    for (size_t i = 0; i < r->dim; i++)
        r->at_bound[i] = best.at_bound[i];
    r->converged = best.converged;
    r->iterations = best.iterations;
    r->rise = r->inflation = r->noise = NAN;
    if (c->interval == RC_CALIB_INTERVAL_PROFILE)
        RC_TRY(profile(cr, &best, r));
    if (c->bootstrap > 0)
        RC_TRY(bootstrap(cr, cs, r));
    RC_TRY(describe_estimate(cr, r));
cleanup:
    return status;
}

rc_status_t rc_run_calibrate(const rc_fit_spec_t *spec, const rc_cascades_t *cs, int threads,
                             rc_calib_result_t **out)
{
    rc_status_t status = RC_OK;
    const rc_calib_spec_t *c = spec->calib;
    rc_calib_result_t *r = calloc(1, sizeof *r);
    rc_graph_t *g = NULL;
    rc_calib_data_t data = {0};
    calib_run_t cr = {.spec = spec, .c = c, .opt = rc_run_default_options()};
    const double t0 = omp_get_wtime();
    *out = NULL;
    RC_ALLOC_CHECK(r, "a calibration");
    if (c == NULL)
        RC_FAIL(RC_ERR_ARGUMENT, "rc_run_calibrate: the fit config has no calibrate:");
    cr.opt.threads = threads;
    RC_TRY(rc_calib_data_make(cs, NULL, 0, &c->objective, &data));
    cr.data = &data;
    cr.sim = malloc((size_t)c->runs * sizeof *cr.sim);
    RC_ALLOC_CHECK(cr.sim, "the simulated sizes");
    RC_TRY(rc_run_load_network(&c->network, spec->base_dir, threads, &g, NULL));
    r->nodes = g->n;
    r->edges = g->m;
    r->network = strdup(g->description ? g->description : "");
    RC_ALLOC_CHECK(r->network, "a description");
    cr.g = g;
    RC_TRY(calibrate(&cr, cs, r));
    r->evals = cr.evals;
    r->n_evals = cr.n_evals;
    cr.evals = NULL;
    r->seconds = omp_get_wtime() - t0;
    *out = r;
    r = NULL;
cleanup:
    free(cr.evals);
    free(cr.sim);
    rc_calib_data_clear(&data);
    rc_graph_free(g);
    rc_calib_result_free(r);
    return status;
}
