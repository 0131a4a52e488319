/* The search of a calibration (calibrate.h): a box of free parameters, each on a log or linear
 * scale; in 1-D a grid then GSL's Brent minimiser in the bracket around the best grid point,
 * in more dimensions a small design then GSL's Nelder-Mead simplex (nmsimplex2) on logit
 * coordinates of the box; and the profile of the objective for intervals. The objective is a
 * simulation with common random numbers, so it is a step function of the parameters with many
 * small steps: every step here tolerates flat stretches and ties. */
#include "rtcascade/calibrate.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>
#include <math.h>
#include <string.h>

rc_calib_search_t rc_calib_search_defaults(void)
{
    rc_calib_search_t o = {.grid = 9, .max_iter = 60, .tol = 1e-3, .local = 0};
    return o;
}

/* ---- scales ---- */

static double to_u(const rc_calib_box_t *b, size_t i, double x)
{
    return b->log[i] ? log(x) : x;
}

static double from_u(const rc_calib_box_t *b, size_t i, double u)
{
    double x = b->log[i] ? exp(u) : u;
    return x < b->lo[i] ? b->lo[i] : x > b->hi[i] ? b->hi[i] : x; /* rounding at the ends */
}

/* The fraction of the way across the box on the search scale, and back. */
static double frac_of(const rc_calib_box_t *b, size_t i, double x)
{
    double lo = to_u(b, i, b->lo[i]), hi = to_u(b, i, b->hi[i]);
    return (to_u(b, i, x) - lo) / (hi - lo);
}

static double from_frac(const rc_calib_box_t *b, size_t i, double f)
{
    double lo = to_u(b, i, b->lo[i]), hi = to_u(b, i, b->hi[i]);
    return from_u(b, i, lo + f * (hi - lo));
}

/* What GSL's callbacks need: the objective, and its first failure. */
typedef struct search_ctx {
    const rc_calib_box_t *box;
    rc_calib_fn fn;
    void *ctx;
    rc_status_t status;
    double x[RC_CALIB_MAX_FREE]; /* the point being evaluated (1-D: all but the one moved) */
    size_t axis;                 /* 1-D: the coordinate moved */
    double best_f;               /* the best value seen and where */
    double best_x[RC_CALIB_MAX_FREE];
} search_ctx_t;

static double eval(search_ctx_t *s, const double *x)
{
    if (s->status != RC_OK)
        return HUGE_VAL;
    double f = s->fn(x, s->ctx, &s->status);
    if (s->status != RC_OK || isnan(f))
        return HUGE_VAL;
    if (f < s->best_f) {
        s->best_f = f;
        memcpy(s->best_x, x, s->box->dim * sizeof *x);
    }
    return f;
}

/* ---- 1-D: grid, then Brent ---- */

static double brent_f(double u, void *p)
{
    search_ctx_t *s = p;
    s->x[s->axis] = from_u(s->box, s->axis, u);
    return eval(s, s->x);
}

/* Brent from the bracket a < m < c (f(m) below both) on the search scale. */
static rc_status_t brent(search_ctx_t *s, const rc_calib_search_t *opt, double a, double fa,
                         double m, double fm, double c, double fc, rc_calib_found_t *out)
{
    rc_status_t status = RC_OK;
    const double span = to_u(s->box, 0, s->box->hi[0]) - to_u(s->box, 0, s->box->lo[0]);
    gsl_min_fminimizer *b = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
    gsl_function F = {brent_f, s};
    out->converged = 1;
    RC_ALLOC_CHECK(b, "the minimiser");
    if (!(fm < fa && fm < fc) ||
        gsl_min_fminimizer_set_with_values(b, &F, m, fm, a, fa, c, fc) != GSL_SUCCESS)
        goto cleanup; /* a flat stretch: m it is */
    out->converged = 0;
    for (out->iterations = 0; out->iterations < opt->max_iter; out->iterations++) {
        int st = gsl_min_fminimizer_iterate(b);
        RC_TRY(s->status);
        if (st != GSL_SUCCESS)
            break; /* Brent cannot improve on what it has (a flat objective) */
        double lo = gsl_min_fminimizer_x_lower(b), hi = gsl_min_fminimizer_x_upper(b);
        if (gsl_min_test_interval(lo, hi, opt->tol * span, 0.0) == GSL_SUCCESS) {
            out->converged = 1;
            break;
        }
    }
cleanup:
    gsl_min_fminimizer_free(b);
    return status;
}

/* 1-D over the whole box: the grid, then Brent around its best point. */
static rc_status_t minimize_1d(search_ctx_t *s, const rc_calib_search_t *opt, rc_calib_found_t *out)
{
    const rc_calib_box_t *b = s->box;
    const int n = opt->grid < 3 ? 3 : opt->grid > 64 ? 64 : opt->grid;
    double u[64], f[64];
    const double lo = to_u(b, 0, b->lo[0]), hi = to_u(b, 0, b->hi[0]);
    int best = 0;
    s->axis = 0;
    for (int i = 0; i < n; i++) {
        u[i] = lo + (hi - lo) * i / (n - 1);
        f[i] = brent_f(u[i], s);
        if (s->status != RC_OK)
            return s->status;
        if (f[i] < f[best])
            best = i;
    }
    out->converged = 1;
    if (best == 0 || best == n - 1) {
        out->at_bound[0] = best == 0 ? -1 : 1;
        return RC_OK; /* an end of the box */
    }
    return brent(s, opt, u[best - 1], f[best - 1], u[best], f[best], u[best + 1], f[best + 1], out);
}

/* 1-D near x0: steps downhill from x0 (a twentieth of the box, doubling) until the objective
 * rises, then Brent in that bracket. For the profile's inner searches. */
static rc_status_t minimize_1d_local(search_ctx_t *s, const rc_calib_search_t *opt, double x0,
                                     rc_calib_found_t *out)
{
    const rc_calib_box_t *b = s->box;
    const double lo = to_u(b, 0, b->lo[0]), hi = to_u(b, 0, b->hi[0]);
    double step = 0.05 * (hi - lo), um = to_u(b, 0, x0), fm;
    s->axis = 0;
    fm = brent_f(um, s);
    double up = um + step < hi ? um + step : hi, fp = brent_f(up, s);
    double dn = um - step > lo ? um - step : lo, fd = brent_f(dn, s);
    if (s->status != RC_OK)
        return s->status;
    out->converged = 1;
    if (fm <= fp && fm <= fd)
        return brent(s, opt, dn, fd, um, fm, up, fp, out);
    const int dir = fp < fd ? 1 : -1;
    double ua = um, fa = fm, ub = dir > 0 ? up : dn, fb = dir > 0 ? fp : fd;
    for (;;) { /* f(ub) < f(ua): go on until it rises or the box ends */
        if (ub == (dir > 0 ? hi : lo)) {
            out->at_bound[0] = dir;
            return RC_OK;
        }
        step *= 2.0;
        double uc = ub + dir * step;
        uc = uc > hi ? hi : uc < lo ? lo : uc;
        double fc = brent_f(uc, s);
        if (s->status != RC_OK)
            return s->status;
        if (fc > fb)
            return dir > 0 ? brent(s, opt, ua, fa, ub, fb, uc, fc, out)
                           : brent(s, opt, uc, fc, ub, fb, ua, fa, out);
        ua = ub;
        fa = fb;
        ub = uc;
        fb = fc;
    }
}

/* ---- more: design, then Nelder-Mead on logit coordinates ---- */

static double nm_f(const gsl_vector *v, void *p)
{
    search_ctx_t *s = p;
    double x[RC_CALIB_MAX_FREE];
    for (size_t i = 0; i < s->box->dim; i++) {
        double z = gsl_vector_get(v, i);
        x[i] = from_frac(s->box, i, 1.0 / (1.0 + exp(-z)));
    }
    return eval(s, x);
}

static double logit(double f)
{
    f = f < 1e-9 ? 1e-9 : f > 1 - 1e-9 ? 1 - 1e-9 : f;
    return log(f / (1.0 - f));
}

/* The design: a 3^dim grid at 1/6, 1/2, 5/6 of each side up to dim 3, else the centre and a
 * quarter of the way each side along every axis. */
static void design(search_ctx_t *s)
{
    const rc_calib_box_t *b = s->box;
    const size_t d = b->dim;
    double x[RC_CALIB_MAX_FREE];
    if (d <= 3) {
        size_t total = d == 1 ? 3 : d == 2 ? 9 : 27;
        for (size_t k = 0; k < total && s->status == RC_OK; k++) {
            size_t r = k;
            for (size_t i = 0; i < d; i++, r /= 3)
                x[i] = from_frac(b, i, (1.0 + 2.0 * (double)(r % 3)) / 6.0);
            eval(s, x);
        }
        return;
    }
    for (size_t i = 0; i < d; i++)
        x[i] = from_frac(b, i, 0.5);
    eval(s, x);
    for (size_t i = 0; i < d && s->status == RC_OK; i++)
        for (int side = 0; side < 2; side++) {
            double y[RC_CALIB_MAX_FREE];
            memcpy(y, x, d * sizeof *y);
            y[i] = from_frac(b, i, side ? 0.75 : 0.25);
            eval(s, y);
        }
}

static rc_status_t minimize_nd(search_ctx_t *s, const rc_calib_search_t *opt, int local,
                               rc_calib_found_t *out)
{
    rc_status_t status = RC_OK;
    const size_t d = s->box->dim;
    gsl_multimin_fminimizer *m =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, d);
    gsl_vector *z = gsl_vector_alloc(d), *step = gsl_vector_alloc(d);
    RC_ALLOC_CHECK(m, "the minimiser");
    RC_ALLOC_CHECK(z, "the minimiser");
    RC_ALLOC_CHECK(step, "the minimiser");
    if (!local)
        design(s);
    RC_TRY(s->status);
    for (size_t i = 0; i < d; i++)
        gsl_vector_set(z, i, logit(frac_of(s->box, i, s->best_x[i])));
    gsl_vector_set_all(step, local ? 0.3 : 1.0);
    gsl_multimin_function F = {nm_f, d, s};
    if (gsl_multimin_fminimizer_set(m, &F, z, step) != GSL_SUCCESS)
        RC_TRY(s->status != RC_OK ? s->status : RC_OK);
    for (out->iterations = 0; out->iterations < opt->max_iter; out->iterations++) {
        int st = gsl_multimin_fminimizer_iterate(m);
        RC_TRY(s->status);
        if (st != GSL_SUCCESS)
            break;
        /* the simplex's size in logit units: about 4 times a fraction of the box near its
         * middle */
        if (gsl_multimin_fminimizer_size(m) < 4.0 * opt->tol) {
            out->converged = 1;
            break;
        }
    }
    for (size_t i = 0; i < d; i++) {
        double f = frac_of(s->box, i, s->best_x[i]);
        out->at_bound[i] = f < 1e-3 ? -1 : f > 1.0 - 1e-3 ? 1 : 0;
    }
cleanup:
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(z);
    gsl_vector_free(step);
    return status;
}

rc_status_t rc_calib_minimize(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                              const rc_calib_search_t *opt, const double *start,
                              rc_calib_found_t *out)
{
    rc_status_t status = RC_OK;
    const rc_calib_search_t o = opt != NULL ? *opt : rc_calib_search_defaults();
    search_ctx_t s = {.box = box, .fn = fn, .ctx = ctx, .status = RC_OK, .best_f = INFINITY};
    memset(out, 0, sizeof *out);
    if (box->dim < 1 || box->dim > RC_CALIB_MAX_FREE)
        return rc_error(RC_ERR_ARGUMENT, "calibrate: %zu free parameters (1 to %d)", box->dim,
                        RC_CALIB_MAX_FREE);
    for (size_t i = 0; i < box->dim; i++)
        if (!(box->lo[i] < box->hi[i]) || (box->log[i] && !(box->lo[i] > 0)))
            return rc_error(RC_ERR_ARGUMENT, "calibrate: free parameter %zu: bad range", i);
    /* GSL's minimisers report a non-finite objective through its error handler: off here */
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (start != NULL) {
        memcpy(s.x, start, box->dim * sizeof *start);
        eval(&s, start);
        RC_TRY(s.status);
    }
    for (size_t i = 0; i < box->dim; i++)
        s.x[i] = start != NULL ? start[i] : from_frac(box, i, 0.5);
    if (box->dim == 1 && o.local && start != NULL)
        status = minimize_1d_local(&s, &o, start[0], out);
    else if (box->dim == 1)
        status = minimize_1d(&s, &o, out);
    else
        status = minimize_nd(&s, &o, o.local && start != NULL, out);
    RC_TRY(status);
    RC_TRY(s.status);
    memcpy(out->x, s.best_x, box->dim * sizeof *out->x);
    out->f = s.best_f;
    if (!isfinite(out->f))
        RC_FAIL(RC_ERR_INPUT, "calibrate: the objective is not finite anywhere it was tried");
cleanup:
    gsl_set_error_handler(old);
    return status;
}

/* ---- the profile ---- */

/* The profile at x_i = v: fn itself in 1-D, else fn minimised over the others from best. */
typedef struct profile_ctx {
    const rc_calib_box_t *box;
    rc_calib_fn fn;
    void *ctx;
    size_t i;
    double v;
} profile_ctx_t;

static double profile_inner(const double *y, void *p, rc_status_t *status)
{
    const profile_ctx_t *c = p;
    double x[RC_CALIB_MAX_FREE];
    for (size_t k = 0, j = 0; k < c->box->dim; k++)
        x[k] = k == c->i ? c->v : y[j++];
    return c->fn(x, c->ctx, status);
}

static rc_status_t profile_at(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                              const rc_calib_search_t *opt, const double *from, size_t i, double v,
                              double *value, double *argmin)
{
    rc_status_t status = RC_OK;
    double x[RC_CALIB_MAX_FREE];
    memcpy(x, from, box->dim * sizeof *x);
    x[i] = v;
    if (box->dim == 1) {
        *value = fn(x, ctx, &status);
        argmin[0] = v;
        return status;
    }
    rc_calib_box_t sub = {.dim = box->dim - 1};
    double start[RC_CALIB_MAX_FREE];
    for (size_t k = 0, j = 0; k < box->dim; k++) {
        if (k == i)
            continue;
        sub.lo[j] = box->lo[k];
        sub.hi[j] = box->hi[k];
        sub.log[j] = box->log[k];
        start[j++] = from[k];
    }
    profile_ctx_t pc = {box, fn, ctx, i, v};
    rc_calib_search_t inner = *opt;
    inner.local = 1; /* as precise as the search: an inexact inner minimum narrows the interval */
    rc_calib_found_t f;
    RC_TRY(rc_calib_minimize(&sub, profile_inner, &pc, &inner, start, &f));
    *value = f.f;
    for (size_t k = 0, j = 0; k < box->dim; k++)
        argmin[k] = k == i ? v : f.x[j++];
cleanup:
    return status;
}

rc_status_t rc_calib_profile(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                             const rc_calib_search_t *opt, const rc_calib_found_t *best, size_t i,
                             double rise, double *low, double *high, int *open_low, int *open_high)
{
    rc_status_t status = RC_OK;
    const double target = best->f + rise, u0 = to_u(box, i, best->x[i]);
    const double ulo = to_u(box, i, box->lo[i]), uhi = to_u(box, i, box->hi[i]);
    double from[RC_CALIB_MAX_FREE], arg[RC_CALIB_MAX_FREE];
    for (int side = -1; side <= 1; side += 2) {
        const double uend = side < 0 ? ulo : uhi;
        double *value = side < 0 ? low : high;
        int *open = side < 0 ? open_low : open_high;
        double in = u0, out = NAN, step = 0.02 * (uhi - ulo), p = 0.0;
        /* each inner search starts where the last one inside the interval ended */
        memcpy(from, best->x, box->dim * sizeof *from);
        *open = 0;
        while (isnan(out)) { /* step out until the profile rises past the target */
            double u = u0 + side * step;
            if (side * (u - uend) >= 0)
                u = uend;
            if (u == in)
                break; /* at the end already */
            RC_TRY(profile_at(box, fn, ctx, opt, from, i, from_u(box, i, u), &p, arg));
            if (p > target) {
                out = u;
            } else {
                in = u;
                memcpy(from, arg, box->dim * sizeof *from);
                if (u == uend)
                    break;
            }
            step *= 2.0;
        }
        if (isnan(out)) {
            *value = side < 0 ? box->lo[i] : box->hi[i];
            *open = 1;
            continue;
        }
        for (int k = 0; k < 9; k++) { /* bisection between a value inside and one outside */
            double mid = 0.5 * (in + out);
            RC_TRY(profile_at(box, fn, ctx, opt, from, i, from_u(box, i, mid), &p, arg));
            if (p > target) {
                out = mid;
            } else {
                in = mid;
                memcpy(from, arg, box->dim * sizeof *from);
            }
        }
        *value = from_u(box, i, 0.5 * (in + out));
    }
cleanup:
    return status;
}
