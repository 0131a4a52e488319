/* The objective's quadratic response surface around its minimum (calibrate.h): a simulated
 * objective is a step function of the parameters, and with models that draw their random
 * numbers one after the other (the cascade models here) common random numbers couple nearby
 * candidates only partly, so it is noisy at small scales. A quadratic fitted by least squares
 * to a design of evaluations around the minimum averages that noise out: its vertex is the
 * estimate, its curvature the information, and the profile of the quadratic gives the
 * interval, widened by the vertex's own uncertainty from the least squares. The design's window is
 * resized until the quadratic rises across it about 4 times the interval's rise, or 6 times the
 * fit's residual noise when that is more. */
#include "rtcascade/calibrate.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_D RC_CALIB_MAX_FREE
#define MAX_POINTS 160 /* the largest design: 8 free parameters */

static double to_u(const rc_calib_box_t *b, size_t i, double x)
{
    return b->log[i] ? log(x) : x;
}

static double from_u(const rc_calib_box_t *b, size_t i, double u)
{
    double x = b->log[i] ? exp(u) : u;
    return x < b->lo[i] ? b->lo[i] : x > b->hi[i] ? b->hi[i] : x;
}

/* The design in window units z: 1-D nine points on [-1, 1]; 2-D the 5 x 5 grid; 3-D the 3^3
 * grid and the axial points at 1/2; more: centre, axial points and the four corners of every
 * pair of axes. Returns how many (rows of z, d values each). */
static size_t design(size_t d, double z[][MAX_D])
{
    size_t n = 0;
    memset(z, 0, MAX_POINTS * sizeof *z);
    if (d == 1) {
        for (int k = -4; k <= 4; k++)
            z[n++][0] = k / 4.0;
    } else if (d == 2) {
        for (int a = -2; a <= 2; a++)
            for (int b = -2; b <= 2; b++, n++) {
                z[n][0] = a / 2.0;
                z[n][1] = b / 2.0;
            }
    } else if (d == 3) {
        for (int k = 0; k < 27; k++, n++)
            for (int i = 0, r = k; i < 3; i++, r /= 3)
                z[n][i] = (double)(r % 3) - 1.0;
        for (int i = 0; i < 3; i++) {
            z[n++][i] = 0.5;
            z[n++][i] = -0.5;
        }
    } else {
        n = 1;
        for (size_t i = 0; i < d; i++) {
            z[n++][i] = 1.0;
            z[n++][i] = -1.0;
        }
        for (size_t i = 0; i < d; i++)
            for (size_t j = i + 1; j < d; j++)
                for (int s = 0; s < 4; s++, n++) {
                    z[n][i] = s & 1 ? 1.0 : -1.0;
                    z[n][j] = s & 2 ? 1.0 : -1.0;
                }
    }
    return n;
}

/* Least squares of f on 1, z_i, z_i z_j (i <= j): c (p coefficients), the residual sd, and
 * the covariance of the linear coefficients (vb, d x d: sd^2 (X'X)^-1's block). */
static rc_status_t fit_quadratic(size_t d, size_t n, double z[][MAX_D], const double *f, double *c,
                                 double *sd, double *vb)
{
    rc_status_t status = RC_OK;
    const size_t p = 1 + d + d * (d + 1) / 2;
    gsl_matrix *X = gsl_matrix_alloc(n, p), *cov = gsl_matrix_alloc(p, p);
    gsl_vector *y = gsl_vector_alloc(n), *coef = gsl_vector_alloc(p);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(n, p);
    double chisq = 0.0;
    RC_ALLOC_CHECK(X, "the response surface");
    RC_ALLOC_CHECK(cov, "the response surface");
    RC_ALLOC_CHECK(y, "the response surface");
    RC_ALLOC_CHECK(coef, "the response surface");
    RC_ALLOC_CHECK(w, "the response surface");
    for (size_t r = 0; r < n; r++) {
        size_t k = 0;
        gsl_matrix_set(X, r, k++, 1.0);
        for (size_t i = 0; i < d; i++)
            gsl_matrix_set(X, r, k++, z[r][i]);
        for (size_t i = 0; i < d; i++)
            for (size_t j = i; j < d; j++)
                gsl_matrix_set(X, r, k++, z[r][i] * z[r][j]);
        gsl_vector_set(y, r, f[r]);
    }
    if (gsl_multifit_linear(X, y, coef, cov, &chisq, w) != 0)
        RC_FAIL(RC_ERR_INTERNAL, "calibrate: the response surface's least squares failed");
    for (size_t k = 0; k < p; k++)
        c[k] = gsl_vector_get(coef, k);
    *sd = n > p ? sqrt(chisq / (double)(n - p)) : NAN;
    for (size_t i = 0; i < d; i++) /* GSL's cov is sd^2 (X'X)^-1 */
        for (size_t j = 0; j < d; j++)
            vb[i * d + j] = gsl_matrix_get(cov, 1 + i, 1 + j);
cleanup:
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_vector_free(y);
    gsl_vector_free(coef);
    gsl_multifit_linear_free(w);
    return status;
}

/* The quadratic's Hessian H and gradient b at z = 0 from its coefficients; its inverse C when
 * positive definite (returns 1), else 0. */
static int curvature(size_t d, const double *c, double *b, double *C)
{
    double H[MAX_D * MAX_D];
    size_t k = 1 + d;
    for (size_t i = 0; i < d; i++)
        b[i] = c[1 + i];
    for (size_t i = 0; i < d; i++)
        for (size_t j = i; j < d; j++, k++) {
            H[i * d + j] = H[j * d + i] = i == j ? 2.0 * c[k] : c[k];
        }
    gsl_matrix_view h = gsl_matrix_view_array(H, d, d);
    gsl_matrix_view inv = gsl_matrix_view_array(C, d, d);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    int ok =
        gsl_linalg_cholesky_decomp1(&h.matrix) == 0 && gsl_linalg_cholesky_invert(&h.matrix) == 0;
    gsl_set_error_handler(old);
    if (ok)
        gsl_matrix_memcpy(&inv.matrix, &h.matrix);
    return ok;
}

/* Half the width of the window along axis i: where fn first rises 4 rise above best->f when
 * stepping out from the minimum (a twentieth of the box, doubling), the larger side's. */
static rc_status_t first_window(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                                const rc_calib_found_t *best, double rise, double *w)
{
    rc_status_t status = RC_OK;
    double x[MAX_D];
    for (size_t i = 0; i < box->dim; i++) {
        const double u0 = to_u(box, i, best->x[i]);
        const double span = to_u(box, i, box->hi[i]) - to_u(box, i, box->lo[i]);
        w[i] = 0.0;
        for (int side = -1; side <= 1; side += 2) {
            double step = span / 20.0, reach = span / 2.0;
            for (int k = 0; k < 6; k++, step *= 2.0) {
                memcpy(x, best->x, box->dim * sizeof *x);
                x[i] = from_u(box, i, u0 + side * step);
                double f = fn(x, ctx, &status);
                RC_TRY(status);
                if (f > best->f + 4.0 * rise || x[i] == box->lo[i] || x[i] == box->hi[i]) {
                    reach = step;
                    break;
                }
            }
            w[i] = reach > w[i] ? reach : w[i];
        }
        w[i] = w[i] < 1e-3 * span ? 1e-3 * span : w[i];
    }
cleanup:
    return status;
}

rc_status_t rc_calib_surface(const rc_calib_box_t *box, rc_calib_fn fn, void *ctx,
                             const rc_calib_found_t *best, double rise, double z_noise,
                             rc_calib_surface_t *out)
{
    rc_status_t status = RC_OK;
    const size_t d = box->dim;
    const size_t p = 1 + d + d * (d + 1) / 2;
    double(*z)[MAX_D] = malloc(MAX_POINTS * sizeof *z);
    double *f = malloc(MAX_POINTS * sizeof *f), *c = malloc(p * sizeof *c);
    double u0[MAX_D], w[MAX_D], b[MAX_D], C[MAX_D * MAX_D], x[MAX_D], zs[MAX_D];
    double vb[MAX_D * MAX_D];
    memset(out, 0, sizeof *out);
    RC_ALLOC_CHECK(z, "the response surface");
    RC_ALLOC_CHECK(f, "the response surface");
    RC_ALLOC_CHECK(c, "the response surface");
    RC_TRY(first_window(box, fn, ctx, best, rise, w));
    for (size_t i = 0; i < d; i++)
        u0[i] = to_u(box, i, best->x[i]);
    for (int round = 0; round < 4; round++) {
        const size_t n = design(d, z);
        for (size_t r = 0; r < n; r++) {
            for (size_t i = 0; i < d; i++) {
                x[i] = from_u(box, i, u0[i] + z[r][i] * w[i]);
                z[r][i] = (to_u(box, i, x[i]) - u0[i]) / w[i]; /* clamped at the box */
            }
            f[r] = fn(x, ctx, &status);
            RC_TRY(status);
        }
        RC_TRY(fit_quadratic(d, n, z, f, c, &out->noise, vb));
        out->points = n;
        out->ok = curvature(d, c, b, C);
        if (!out->ok) { /* no minimum in sight: a wider window */
            for (size_t i = 0; i < d; i++)
                w[i] *= 2.0;
            continue;
        }
        int again = 0;
        /* the window: where the quadratic's profile rises 4 rise, or 6 times the noise when
         * that is more (a narrower window would fit the noise) */
        const double across = fmax(4.0 * rise, 6.0 * out->noise);
        for (size_t i = 0; i < d; i++) {
            zs[i] = 0.0;
            for (size_t j = 0; j < d; j++)
                zs[i] -= C[i * d + j] * b[j];
            double want = sqrt(2.0 * across * C[i * d + i]) * w[i];
            again |= fabs(zs[i]) > 0.75 || want > 2.0 * w[i] || want < 0.5 * w[i];
            if (round < 3) {
                u0[i] += (fabs(zs[i]) > 0.75 ? zs[i] : 0.0) * w[i];
                w[i] = want > 2.0 * w[i] || want < 0.5 * w[i] ? want : w[i];
            }
        }
        if (!again || round == 3)
            break;
        out->ok = 0;
    }
    if (!out->ok)
        goto cleanup;
    double fz = c[0]; /* the quadratic at its vertex: c0 + b.z/2 */
    for (size_t i = 0; i < d; i++)
        fz += 0.5 * b[i] * zs[i];
    out->f = fz;
    for (size_t i = 0; i < d; i++) {
        /* the vertex's own noise: z* = -C b, so var z*_i = (C Vb C)_ii with C held fixed */
        double v = 0.0;
        for (size_t j = 0; j < d; j++)
            for (size_t k = 0; k < d; k++)
                v += C[i * d + j] * vb[j * d + k] * C[k * d + i];
        out->vertex_sd[i] = sqrt(v > 0 ? v : 0) * w[i];
        const double uv = u0[i] + zs[i] * w[i];
        const double half = sqrt(2.0 * rise * C[i * d + i] * w[i] * w[i] +
                                 z_noise * z_noise * out->vertex_sd[i] * out->vertex_sd[i]);
        const double ulo = to_u(box, i, box->lo[i]), uhi = to_u(box, i, box->hi[i]);
        out->x[i] = from_u(box, i, uv);
        out->at_bound[i] = uv <= ulo ? -1 : uv >= uhi ? 1 : 0;
        out->low[i] = from_u(box, i, uv - half);
        out->high[i] = from_u(box, i, uv + half);
        out->open_low[i] = uv - half <= ulo;
        out->open_high[i] = uv + half >= uhi;
        out->half[i] = half;
    }
cleanup:
    free(z);
    free(f);
    free(c);
    return status;
}
