/* Maximum-likelihood fit of the evently Hawkes models: GSL's vector_bfgs2 on the log-parameters
 * from several deterministic starting points, the best by likelihood; standard errors from the
 * observed information (central differences of the analytic gradient); optional bootstrap over
 * cascades. Random draws come from keyed rc_rng streams, so a fit depends only on its seed. */
#include "fit_internal.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MLE_WALL 1e30      /* objective returned where the likelihood is not finite */
#define MLE_HESS_STEP 1e-4 /* central-difference step on the log-parameters */
#define MLE_TIGHTEN 1e-2   /* BFGS goes on to this fraction of grad_tol while it progresses */
#define MLE_STREAM_START 0xF17u
#define MLE_STREAM_BOOT 0xB007u

typedef struct mle_ctx {
    const rc_cascades_t *cs;
    rc_hawkes_kind_t kind;
    int np;
    double nmax;  /* N = nmax + e^u */
    double scale; /* objective = nll * scale (1 / events) */
    double last_u[RC_HAWKES_MAX_PARAMS], last_f, last_g[RC_HAWKES_MAX_PARAMS];
    int cached;
    rc_status_t status; /* first failure inside a GSL callback */
} mle_ctx_t;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Natural parameters from log-parameters, and d par / d u. */
static void u_to_par(const mle_ctx_t *x, const double *u, double *par, double *dpar)
{
    int iN = rc_hk_index(x->kind, RC_HK_N);
    for (int i = 0; i < x->np; i++) {
        double e = exp(u[i]);
        par[i] = i == iN ? x->nmax + e : e;
        if (dpar)
            dpar[i] = e;
    }
}

static void par_to_u(const mle_ctx_t *x, const double *par, double *u)
{
    int iN = rc_hk_index(x->kind, RC_HK_N);
    for (int i = 0; i < x->np; i++)
        u[i] = log(i == iN ? par[i] - x->nmax : par[i]);
}

/* Scaled nll and its gradient in u (cached on u); a wall where they are not finite. */
static void mle_eval(mle_ctx_t *x, const double *u, double *f, double *g)
{
    if (x->cached && memcmp(u, x->last_u, (size_t)x->np * sizeof *u) == 0) {
        *f = x->last_f;
        if (g)
            memcpy(g, x->last_g, (size_t)x->np * sizeof *g);
        return;
    }
    double par[RC_HAWKES_MAX_PARAMS], dpar[RC_HAWKES_MAX_PARAMS], gr[RC_HAWKES_MAX_PARAMS];
    double ll = -INFINITY;
    int ok = 1;
    u_to_par(x, u, par, dpar);
    for (int i = 0; i < x->np; i++)
        ok &= isfinite(par[i]) && par[i] > 0.0 &&
              !(i == rc_hk_index(x->kind, RC_HK_N) && par[i] <= x->nmax);
    if (ok) {
        rc_status_t s = rc_hawkes_loglik(x->cs, x->kind, par, &ll, gr, NULL);
        if (s == RC_ERR_NOMEM && x->status == RC_OK)
            x->status = s;
        ok = s == RC_OK && isfinite(ll);
    }
    for (int i = 0; ok && i < x->np; i++) {
        x->last_g[i] = -gr[i] * dpar[i] * x->scale;
        ok = isfinite(x->last_g[i]);
    }
    x->last_f = ok ? -ll * x->scale : MLE_WALL;
    if (!ok)
        memset(x->last_g, 0, sizeof x->last_g);
    memcpy(x->last_u, u, (size_t)x->np * sizeof *u);
    x->cached = 1;
    *f = x->last_f;
    if (g)
        memcpy(g, x->last_g, (size_t)x->np * sizeof *g);
}

static double gsl_f(const gsl_vector *v, void *params)
{
    double f;
    mle_eval(params, v->data, &f, NULL);
    return f;
}

static void gsl_df(const gsl_vector *v, void *params, gsl_vector *g)
{
    double f;
    mle_eval(params, v->data, &f, g->data);
}

static void gsl_fdf(const gsl_vector *v, void *params, double *f, gsl_vector *g)
{
    mle_eval(params, v->data, f, g->data);
}

typedef struct mle_run {
    double u[RC_HAWKES_MAX_PARAMS];
    double f;
    int iterations, converged;
    double grad_norm;
} mle_run_t;

/* BFGS from u0; run->f = MLE_WALL when the start itself is not finite. */
static rc_status_t minimize(mle_ctx_t *x, const double *u0, int max_iter, double grad_tol,
                            mle_run_t *run)
{
    rc_status_t status = RC_OK;
    gsl_multimin_fdfminimizer *m = NULL;
    gsl_vector_view v0 = gsl_vector_view_array((double *)u0, (size_t)x->np);
    gsl_multimin_function_fdf fn = {gsl_f, gsl_df, gsl_fdf, (size_t)x->np, x};
    double f0;

    memcpy(run->u, u0, (size_t)x->np * sizeof *u0);
    run->iterations = run->converged = 0;
    mle_eval(x, u0, &f0, NULL);
    run->f = f0;
    run->grad_norm = NAN;
    if (f0 >= MLE_WALL)
        goto cleanup;
    m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, (size_t)x->np);
    RC_ALLOC_CHECK(m, "the minimiser");
    gsl_multimin_fdfminimizer_set(m, &fn, &v0.vector, 0.1, 0.1);
    for (int it = 0; it < max_iter; it++) {
        if (gsl_multimin_test_gradient(m->gradient, MLE_TIGHTEN * grad_tol) == GSL_SUCCESS)
            break;
        int st = gsl_multimin_fdfminimizer_iterate(m);
        run->iterations++;
        if (st != GSL_SUCCESS)
            break; /* no progress possible (roundoff): keep the point reached */
    }
    if (x->status != RC_OK)
        RC_FAIL(x->status, "out of memory evaluating the likelihood");
    memcpy(run->u, m->x->data, (size_t)x->np * sizeof *run->u);
    run->f = m->f;
    run->grad_norm = gsl_blas_dnrm2(m->gradient);
    run->converged = run->f < MLE_WALL && run->grad_norm < grad_tol;
cleanup:
    if (m)
        gsl_multimin_fdfminimizer_free(m);
    return status;
}

/* Starting point s: s < 3 from a fixed grid, later ones from stream (seed, MLE_STREAM_START, s).
 * K is set so that the start's branching factor is n0 (empirical E[m^beta]). */
static rc_status_t start_point(const mle_ctx_t *x, int s, uint64_t seed, double n0, double *u)
{
    rc_status_t status = RC_OK;
    static const double g_beta[3] = {0.1, 0.3, 0.6}, g_c[3] = {10.0, 60.0, 100.0};
    static const double g_th_exp[3] = {1e-4, 1e-3, 1e-2}, g_th_pl[3] = {0.25, 0.5, 1.0};
    static const double g_nf[3] = {2.0, 10.0, 100.0};
    rc_hk_par_t p = {0, 0, 0, 0, 0};
    double nstar = n0, nfac;
    gsl_rng *r = NULL;
    if (s < 3) {
        p.beta = g_beta[s];
        p.c = g_c[s];
        p.theta = RC_HAWKES_IS_PL(x->kind) ? g_th_pl[s] : g_th_exp[s];
        nfac = g_nf[s];
    } else {
        r = rc_rng_alloc();
        RC_ALLOC_CHECK(r, "a random stream");
        rc_rng_seed(r, seed, MLE_STREAM_START, (uint64_t)s);
        p.beta = 0.05 + 0.95 * rc_rng_uniform(r);
        p.c = exp(log(1.0) + log(1000.0) * rc_rng_uniform(r));
        p.theta = RC_HAWKES_IS_PL(x->kind) ? exp(log(0.05) + log(60.0) * rc_rng_uniform(r))
                                           : exp(log(1e-6) + log(1e5) * rc_rng_uniform(r));
        nstar = 0.1 + 0.85 * rc_rng_uniform(r);
        nfac = exp(log(1.5) + log(100.0 / 1.5) * rc_rng_uniform(r));
    }
    double ew = RC_HAWKES_IS_MARKED(x->kind) ? rc_hk_mean_weight(x->cs, p.beta) : 1.0;
    double mass = RC_HAWKES_IS_PL(x->kind) ? pow(p.c, -p.theta) / p.theta : 1.0;
    p.K = nstar / ((ew > 0.0 ? ew : 1.0) * mass);
    p.N = x->nmax * nfac;
    const double named[5] = {p.K, p.beta, p.c, p.theta, p.N};
    double par[RC_HAWKES_MAX_PARAMS];
    for (int w = 0; w < 5; w++) {
        int i = rc_hk_index(x->kind, w);
        if (i >= 0)
            par[i] = named[w];
    }
    par_to_u(x, par, u);
cleanup:
    if (r)
        gsl_rng_free(r);
    return status;
}

/* Covariance of u: the inverse observed information (unscaled nll), by eigen-decomposition of
 * its symmetrised central-difference estimate; *ok = 0 when not positive definite. */
static rc_status_t information(mle_ctx_t *x, const double *u, double *cov, int *ok)
{
    rc_status_t status = RC_OK;
    const int np = x->np;
    gsl_matrix *H = gsl_matrix_alloc((size_t)np, (size_t)np);
    gsl_matrix *V = gsl_matrix_alloc((size_t)np, (size_t)np);
    gsl_vector *ev = gsl_vector_alloc((size_t)np);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc((size_t)np);
    double up[RC_HAWKES_MAX_PARAMS], gp[RC_HAWKES_MAX_PARAMS], gm[RC_HAWKES_MAX_PARAMS], f;
    *ok = 0;
    if (!H || !V || !ev || !ws)
        RC_FAIL(RC_ERR_NOMEM, "out of memory allocating the information matrix");
    for (int j = 0; j < np; j++) {
        memcpy(up, u, (size_t)np * sizeof *up);
        up[j] = u[j] + MLE_HESS_STEP;
        mle_eval(x, up, &f, gp);
        if (f >= MLE_WALL)
            goto cleanup;
        up[j] = u[j] - MLE_HESS_STEP;
        mle_eval(x, up, &f, gm);
        if (f >= MLE_WALL)
            goto cleanup;
        for (int i = 0; i < np; i++)
            gsl_matrix_set(H, (size_t)i, (size_t)j,
                           (gp[i] - gm[i]) / (2.0 * MLE_HESS_STEP) / x->scale);
    }
    for (int i = 0; i < np; i++)
        for (int j = 0; j < i; j++) {
            double a = 0.5 * (gsl_matrix_get(H, (size_t)i, (size_t)j) +
                              gsl_matrix_get(H, (size_t)j, (size_t)i));
            gsl_matrix_set(H, (size_t)i, (size_t)j, a);
            gsl_matrix_set(H, (size_t)j, (size_t)i, a);
        }
    if (gsl_eigen_symmv(H, ev, V, ws) != GSL_SUCCESS)
        goto cleanup;
    double lmax = gsl_vector_max(ev), lmin = gsl_vector_min(ev);
    if (!(lmin > 1e-12 * lmax))
        goto cleanup;
    for (int i = 0; i < np; i++)
        for (int j = 0; j < np; j++) {
            double s = 0.0;
            for (int k = 0; k < np; k++)
                s += gsl_matrix_get(V, (size_t)i, (size_t)k) *
                     gsl_matrix_get(V, (size_t)j, (size_t)k) / gsl_vector_get(ev, (size_t)k);
            cov[i * np + j] = s;
        }
    *ok = 1;
cleanup:
    gsl_matrix_free(H);
    gsl_matrix_free(V);
    gsl_vector_free(ev);
    if (ws)
        gsl_eigen_symmv_free(ws);
    return status;
}

/* log n* at log-parameters u. */
static double log_nstar(const mle_ctx_t *x, const double *u, rc_nstar_kind_t how)
{
    double par[RC_HAWKES_MAX_PARAMS];
    u_to_par(x, u, par, NULL);
    return log(rc_hawkes_branching_factor(x->kind, par, how, x->cs));
}

/* Standard errors, Wald intervals on the log scale, and the delta-method interval of n*. */
static void wald(const mle_ctx_t *x, const double *u, const double *cov, double z,
                 rc_nstar_kind_t how, rc_hawkes_fit_t *out)
{
    int iN = rc_hk_index(x->kind, RC_HK_N);
    double d[RC_HAWKES_MAX_PARAMS], up[RC_HAWKES_MAX_PARAMS], var = 0.0;
    for (int i = 0; i < x->np; i++) {
        double su = sqrt(cov[i * x->np + i]), off = i == iN ? x->nmax : 0.0;
        out->se[i] = exp(u[i]) * su;
        out->ci_low[i] = off + exp(u[i] - z * su);
        out->ci_high[i] = off + exp(u[i] + z * su);
    }
    for (int k = 0; k < x->np; k++) {
        memcpy(up, u, (size_t)x->np * sizeof *up);
        up[k] = u[k] + MLE_HESS_STEP;
        double a = log_nstar(x, up, how);
        up[k] = u[k] - MLE_HESS_STEP;
        d[k] = (a - log_nstar(x, up, how)) / (2.0 * MLE_HESS_STEP);
    }
    for (int i = 0; i < x->np; i++)
        for (int j = 0; j < x->np; j++)
            var += d[i] * cov[i * x->np + j] * d[j];
    double sl = sqrt(var);
    out->n_star_low = isfinite(sl) ? out->n_star * exp(-z * sl) : NAN;
    out->n_star_high = isfinite(sl) ? out->n_star * exp(z * sl) : NAN;
}

/* Sample quantile q of v[0..n-1] (sorted in place), R's default type 7. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double quantile7(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    double h = (n - 1) * q;
    int lo = (int)floor(h);
    return lo + 1 < n ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

/* The multi-start search on cs: every start gets up to screen_iter iterations, then the
 * `refine` best (by nll) continue to max_iter; *best is the best of all, its index and the
 * number of starts that met grad_tol go to out. */
static rc_status_t search(mle_ctx_t *x, const rc_hawkes_fit_options_t *o, mle_run_t *best,
                          rc_hawkes_fit_t *out)
{
    rc_status_t status = RC_OK;
    double n0 = 1.0 - (double)x->cs->n / (double)x->cs->n_events, u0[RC_HAWKES_MAX_PARAMS];
    const int extra = o->start != NULL, ns = o->n_starts + extra;
    const int screen = o->screen_iter < o->max_iter ? o->screen_iter : o->max_iter;
    mle_run_t *run = calloc((size_t)ns, sizeof *run);
    int *done = calloc((size_t)ns, sizeof *done);
    RC_ALLOC_CHECK(run && done ? run : NULL, "the starting points");
    n0 = n0 < 0.05 ? 0.05 : n0 > 0.9 ? 0.9 : n0;
    for (int s = 0; s < ns; s++) {
        if (extra && s == 0)
            par_to_u(x, o->start, u0);
        else
            RC_TRY(start_point(x, s - extra, o->seed, n0, u0));
        RC_TRY(minimize(x, u0, screen, o->grad_tol, &run[s]));
    }
    for (int r = 0; r < o->refine; r++) {
        int k = -1; /* the best start not yet refined */
        for (int s = 0; s < ns; s++)
            if (!done[s] && run[s].f < MLE_WALL && (k < 0 || run[s].f < run[k].f))
                k = s;
        if (k < 0)
            break;
        done[k] = 1;
        if (!run[k].converged && run[k].iterations < o->max_iter) {
            int before = run[k].iterations;
            memcpy(u0, run[k].u, sizeof u0);
            RC_TRY(minimize(x, u0, o->max_iter - before, o->grad_tol, &run[k]));
            run[k].iterations += before;
        }
    }
    best->f = INFINITY;
    out->starts_converged = 0;
    for (int s = 0; s < ns; s++) {
        out->starts_converged += run[s].converged;
        if (run[s].f < best->f) {
            *best = run[s];
            out->best_start = s;
        }
    }
    if (!(best->f < MLE_WALL))
        RC_FAIL(RC_ERR_INPUT,
                "%s fit: no starting point gave a finite likelihood on %zu "
                "cascades",
                rc_hawkes_kind_name(x->kind), x->cs->n);
cleanup:
    free(run);
    free(done);
    return status;
}

static rc_status_t check_options(const rc_cascades_t *cs, const rc_hawkes_fit_options_t *o)
{
    rc_status_t status = RC_OK;
    if ((unsigned)o->kind >= 8)
        RC_FAIL(RC_ERR_CONFIG, "fit: kind: expected 0..7, got %d", (int)o->kind);
    if (o->n_starts < 0 || (o->n_starts == 0 && o->start == NULL))
        RC_FAIL(RC_ERR_CONFIG, "fit: n_starts: expected >= 1, got %d", o->n_starts);
    if (o->max_iter < 1 || !(o->grad_tol > 0.0))
        RC_FAIL(RC_ERR_CONFIG, "fit: expected max_iter >= 1 and grad_tol > 0, got %d and %g",
                o->max_iter, o->grad_tol);
    if (!(o->level > 0.0 && o->level < 1.0))
        RC_FAIL(RC_ERR_CONFIG, "fit: level: expected a number in (0, 1), got %g", o->level);
    if (o->screen_iter < 1 || o->refine < 1)
        RC_FAIL(RC_ERR_CONFIG, "fit: expected screen_iter >= 1 and refine >= 1, got %d and %d",
                o->screen_iter, o->refine);
    if (o->bootstrap < 0)
        RC_FAIL(RC_ERR_CONFIG, "fit: bootstrap: expected >= 0 resamples, got %d", o->bootstrap);
    if (o->start)
        RC_TRY(rc_hawkes_check_params(o->kind, o->start, cs));
    if (RC_HAWKES_IS_N(o->kind) && o->start &&
        !(o->start[rc_hk_index(o->kind, RC_HK_N)] > (double)rc_hk_max_size(cs)))
        RC_FAIL(RC_ERR_CONFIG, "fit: start: N must exceed the largest cascade's event count %zu",
                rc_hk_max_size(cs));
cleanup:
    return status;
}

/* Percentile intervals from B fits on resampled cascades, each started at the MLE. */
static rc_status_t bootstrap(const rc_cascades_t *cs, const rc_hawkes_fit_options_t *o,
                             const double *mle, double q, rc_hawkes_fit_t *out)
{
    rc_status_t status = RC_OK;
    const int np = out->n_params, B = o->bootstrap;
    double *est = malloc((size_t)B * (np + 1) * sizeof *est),
           *col = malloc((size_t)B * sizeof *col);
    size_t *idx = malloc(cs->n * sizeof *idx);
    gsl_rng *r = rc_rng_alloc();
    rc_cascades_t *rs = NULL;
    int done = 0;
    if (!est || !col || !idx || !r)
        RC_FAIL(RC_ERR_NOMEM, "out of memory allocating the bootstrap");
    for (int b = 0; b < B; b++) {
        rc_rng_seed(r, o->seed, MLE_STREAM_BOOT, (uint64_t)b);
        for (size_t k = 0; k < cs->n; k++)
            idx[k] = (size_t)rc_rng_below64(r, cs->n);
        RC_TRY(rc_cascades_subset(cs, idx, cs->n, &rs));
        mle_ctx_t x = {
            rs,  o->kind, np,   (double)rc_hk_max_size(rs), 1.0 / (double)rs->n_events, {0}, 0,
            {0}, 0,       RC_OK};
        double u0[RC_HAWKES_MAX_PARAMS], par[RC_HAWKES_MAX_PARAMS];
        mle_run_t run;
        if (!RC_HAWKES_IS_N(o->kind) || mle[rc_hk_index(o->kind, RC_HK_N)] > x.nmax) {
            par_to_u(&x, mle, u0);
            RC_TRY(minimize(&x, u0, o->max_iter, o->grad_tol, &run));
            if (run.f < MLE_WALL) {
                u_to_par(&x, run.u, par, NULL);
                memcpy(est + (size_t)done * (np + 1), par, (size_t)np * sizeof *par);
                est[(size_t)done * (np + 1) + np] =
                    rc_hawkes_branching_factor(o->kind, par, o->nstar, rs);
                done++;
            }
        }
        rc_cascades_free(rs);
        rs = NULL;
    }
    out->boot_done = done;
    for (int i = 0; done > 1 && i <= np; i++) {
        for (int b = 0; b < done; b++)
            col[b] = est[(size_t)b * (np + 1) + i];
        double lo = quantile7(col, done, q), hi = quantile7(col, done, 1.0 - q);
        if (i < np) {
            out->boot_low[i] = lo;
            out->boot_high[i] = hi;
        } else {
            out->n_star_boot_low = lo;
            out->n_star_boot_high = hi;
        }
    }
cleanup:
    rc_cascades_free(rs);
    free(est);
    free(col);
    free(idx);
    if (r)
        gsl_rng_free(r);
    return status;
}

rc_hawkes_fit_options_t rc_hawkes_fit_defaults(rc_hawkes_kind_t kind)
{
    rc_hawkes_fit_options_t o = {kind, 8, 1, 500, 20, 2, 1e-5, 0.95, 0, RC_NSTAR_POWERLAW, NULL};
    return o;
}

rc_status_t rc_hawkes_fit(const rc_cascades_t *cs, const rc_hawkes_fit_options_t *opt,
                          rc_hawkes_fit_t *out)
{
    rc_status_t status = RC_OK;
    const double t0 = now_seconds();
    rc_hawkes_fit_options_t o = opt ? *opt : rc_hawkes_fit_defaults(RC_HAWKES_MEXP);
    double cov[RC_HAWKES_MAX_PARAMS * RC_HAWKES_MAX_PARAMS];
    mle_run_t best;

    memset(out, 0, sizeof *out);
    RC_TRY(check_options(cs, &o));
    const int np = rc_hawkes_n_params(o.kind);
    mle_ctx_t x = {
        cs,  o.kind, np,   (double)rc_hk_max_size(cs), 1.0 / (double)cs->n_events, {0}, 0,
        {0}, 0,      RC_OK};
    out->kind = o.kind;
    out->n_params = np;
    out->n_cascades = cs->n;
    out->n_events = cs->n_events;
    out->nstar_kind = o.nstar;
    for (int i = 0; i < RC_HAWKES_MAX_PARAMS; i++) {
        out->name[i] = rc_hawkes_param_name(o.kind, i);
        out->se[i] = out->ci_low[i] = out->ci_high[i] = NAN;
        out->boot_low[i] = out->boot_high[i] = NAN;
        out->par[i] = NAN;
    }
    out->n_star_low = out->n_star_high = out->n_star_boot_low = out->n_star_boot_high = NAN;
    out->level = o.level;
    for (int i = 0; i < RC_HAWKES_MAX_PARAMS * RC_HAWKES_MAX_PARAMS; i++)
        out->cov[i] = NAN;

    RC_TRY(search(&x, &o, &best, out));
    u_to_par(&x, best.u, out->par, NULL);
    out->nll = best.f / x.scale;
    out->converged = best.converged;
    out->iterations = best.iterations;
    out->grad_norm = best.grad_norm;
    out->n_star = rc_hawkes_branching_factor(o.kind, out->par, o.nstar, cs);

    RC_TRY(information(&x, best.u, cov, &out->hessian_ok));
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * o.level);
    if (out->hessian_ok) {
        wald(&x, best.u, cov, z, o.nstar, out);
        memcpy(out->cov, cov, (size_t)(np * np) * sizeof *cov);
    }
    if (o.bootstrap > 0)
        RC_TRY(bootstrap(cs, &o, out->par, 0.5 - 0.5 * o.level, out));
cleanup:
    out->seconds = now_seconds() - t0;
    return status;
}
