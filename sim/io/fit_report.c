/* What a fit says: the `model:` section that simulates the fitted process with `rtcascade run`
 * (evently's parameters mapped onto the hawkes model's keys), and the table `rtcascade fit`
 * prints. */
#include "rtcascade/fit_io.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A growing text buffer; `failed` once an allocation failed. */
typedef struct tbuf {
    char *s;
    size_t len, cap;
    int failed;
} tbuf_t;

static void tb_printf(tbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void tb_printf(tbuf_t *b, const char *fmt, ...)
{
    for (int attempt = 0; attempt < 2 && !b->failed; attempt++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->s != NULL && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (ns == NULL) {
            b->failed = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
}

/* `key: {distribution: empirical, values: [...]}` from the marks of events selected by `which`
 * (0: the reshares, t > 0; 1: each cascade's first event, the original post). */
static void marks_yaml(tbuf_t *b, const char *key, const rc_cascades_t *cs, int which)
{
    size_t k = 0;
    tb_printf(b, "%s:\n  distribution: empirical\n  values: [", key);
    for (size_t c = 0; c < cs->n; c++)
        for (size_t e = cs->offset[c]; e < cs->offset[c + 1]; e++) {
            if (which == 1 ? e != cs->offset[c] : !(cs->time[e] > 0.0))
                continue;
            tb_printf(b, "%s%s%.17g", k ? "," : "", k && k % 16 == 0 ? "\n    " : " ", cs->mark[e]);
            k++;
        }
    tb_printf(b, "]\n");
}

/* 1 when some event of cs is a reshare (t > 0). */
static int has_reshares(const rc_cascades_t *cs)
{
    for (size_t e = 0; e < cs->n_events; e++)
        if (cs->time[e] > 0.0)
            return 1;
    return 0;
}

char *rc_fit_model_yaml(rc_hawkes_kind_t kind, const double *par, const rc_cascades_t *cs)
{
    tbuf_t b = {0};
    int i = 0;
    const double K = par[i++];
    const double beta = RC_HAWKES_IS_MARKED(kind) ? par[i++] : 0.0;
    const double c = RC_HAWKES_IS_PL(kind) ? par[i++] : 0.0;
    const double theta = par[i++];
    const double N = RC_HAWKES_IS_N(kind) ? par[i++] : INFINITY;
    /* expected direct reshares of an event of weight 1: K times the kernel's mass */
    const double kappa = RC_HAWKES_IS_PL(kind) ? K * pow(c, -theta) / theta : K;
    tb_printf(&b, "# evently %s fitted by rtcascade fit: K = %.6g", rc_hawkes_kind_name(kind), K);
    if (RC_HAWKES_IS_MARKED(kind))
        tb_printf(&b, ", beta = %.6g", beta);
    if (RC_HAWKES_IS_PL(kind))
        tb_printf(&b, ", c = %.6g s", c);
    tb_printf(&b, ", theta = %.6g%s", theta, RC_HAWKES_IS_PL(kind) ? "" : " /s");
    if (RC_HAWKES_IS_N(kind))
        tb_printf(&b, ", N = %.6g", N);
    tb_printf(&b,
              "\n# kappa = K%s: the expected direct reshares of a reshare whose poster has "
              "d followers are kappa d^beta\n",
              RC_HAWKES_IS_PL(kind) ? " c^-theta / theta" : "");
    tb_printf(&b, "name: hawkes\nkappa: %.17g\nbeta: %.17g\n", kappa, beta);
    if (RC_HAWKES_IS_PL(kind))
        tb_printf(&b, "delay: {distribution: lomax, c: %.17g, theta: %.17g}\n", c, theta);
    else
        tb_printf(&b, "delay: {distribution: exponential, rate: %.17g}\n", theta);
    if (RC_HAWKES_IS_MARKED(kind) && cs != NULL) {
        marks_yaml(&b, "followers", cs, has_reshares(cs) ? 0 : 1);
        marks_yaml(&b, "seed_followers", cs, 1);
    } else {
        tb_printf(&b, "followers: {distribution: constant, value: 1}\nseed_followers: draw\n");
    }
    if (RC_HAWKES_IS_N(kind))
        tb_printf(&b, "population: %.17g\n", N);
    if (b.failed) {
        free(b.s);
        rc_error(RC_ERR_NOMEM, "out of memory writing the fitted model");
        return NULL;
    }
    return b.s;
}

/* ---- the printed table ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median |predicted - final| / final over the rows of method m asked at time t (NAN: at T_c),
 * final being the cascade's size in the data; NAN when there are none. */
static double median_error(const rc_fit_outcome_t *res, int method, double t, size_t *count)
{
    double *v = malloc((res->n_rows + 1) * sizeof *v);
    size_t n = 0;
    for (size_t r = 0; v != NULL && r < res->n_rows; r++) {
        const rc_fit_row_t *row = &res->rows[r];
        if (row->method != method || !(row->at == t || (isnan(t) && isnan(row->at))))
            continue;
        double fin = (double)rc_cascades_size(res->data, row->cascade);
        v[n++] = fabs(row->p.predicted_final - fin) / fin;
    }
    double m = NAN;
    if (n > 0) {
        qsort(v, n, sizeof *v, cmp_double);
        m = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
    *count = n;
    free(v);
    return m;
}

static void print_predictions(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f)
{
    fprintf(f, "predictions: %zu rows in /predictions (%s cascades)\n", res->n_rows,
            res->n_heldout ? "held-out" : "all");
    if (res->n_rows == 0)
        return;
    fprintf(f, "  %12s  %-8s %9s  %s\n", "seen until", "method", "cascades",
            "median |predicted - size in data| / size in data");
    for (size_t k = 0; k < (spec->n_at ? spec->n_at : 1); k++) {
        double t = spec->n_at ? spec->at[k] : NAN;
        for (int m = RC_FIT_PREDICT_HAWKES; m <= RC_FIT_PREDICT_SEISMIC; m++) {
            if (!(spec->predict & (unsigned)m))
                continue;
            size_t n = 0;
            double e = median_error(res, m, t, &n);
            char when[32];
            if (isnan(t))
                snprintf(when, sizeof when, "T_c");
            else
                snprintf(when, sizeof when, "%g s", t);
            fprintf(f, "  %12s  %-8s %9zu  %.3g\n", when,
                    m == RC_FIT_PREDICT_HAWKES ? "hawkes" : "seismic", n, e);
        }
    }
}

rc_status_t rc_fit_print(const rc_fit_spec_t *spec, const rc_fit_outcome_t *res, FILE *f)
{
    if (res->calib != NULL)
        return rc_calib_print(spec, res, f);
    const rc_cascades_t *tr = res->train;
    fprintf(f, "data: %s: %zu cascades, %zu events", spec->data_path, res->data->n,
            res->data->n_events);
    if (res->data->n_dropped)
        fprintf(f, " (%zu later events left out)", res->data->n_dropped);
    if (res->n_heldout)
        fprintf(f, "; %zu cascades held out of the fit", res->n_heldout);
    fprintf(f, "\n");
    if (res->fitted) {
        const rc_hawkes_fit_t *fit = &res->fit;
        double percent = spec->fit.level * 100.0;
        fprintf(f, "fit: %s on %zu cascades, %zu events\n", rc_hawkes_kind_name(fit->kind), tr->n,
                tr->n_events);
        fprintf(f, "  %-8s %14s %12s   %-30s%s\n", "param", "estimate", "se", "interval",
                fit->boot_done ? "bootstrap" : "");
        for (int i = 0; i < fit->n_params; i++) {
            char iv[64], bv[64] = "";
            snprintf(iv, sizeof iv, "[%.6g, %.6g]", fit->ci_low[i], fit->ci_high[i]);
            if (fit->boot_done)
                snprintf(bv, sizeof bv, "[%.6g, %.6g]", fit->boot_low[i], fit->boot_high[i]);
            fprintf(f, "  %-8s %14.6g %12.3g   %-30s%s\n", fit->name[i], fit->par[i], fit->se[i],
                    iv, bv);
        }
        fprintf(f, "  %-8s %14.4g %12s   [%.4g, %.4g]  %s\n", "n*", fit->n_star, "",
                fit->n_star_low, fit->n_star_high,
                fit->nstar_kind == RC_NSTAR_EMPIRICAL ? "(the fitted reshares' own marks)"
                                                      : "(power-law marks, as evently)");
        if (RC_HAWKES_IS_MARKED(fit->kind))
            fprintf(f,
                    "  n* with the reshares' own marks %.4g; evently's (power-law marks, "
                    "alpha 2.016) %.4g\n",
                    res->n_star_empirical, res->n_star_powerlaw);
        fprintf(f, "  intervals: %g%%, from the observed information%s\n", percent,
                fit->boot_done ? " and a bootstrap over cascades" : "");
        fprintf(f, "  nll %.10g; %s after %d iterations (start %d of %d, %d converged)%s\n",
                fit->nll, fit->converged ? "converged" : "NOT converged", fit->iterations,
                fit->best_start + 1, spec->fit.n_starts, fit->starts_converged,
                fit->hessian_ok ? "" : "; the information is singular (no standard errors)");
        fprintf(f, "  time: %.2f s to read, %.2f s to fit, %.2f s to predict\n", res->seconds_read,
                res->seconds_fit, res->seconds_predict);
    }
    if (spec->predict)
        print_predictions(spec, res, f);
    return ferror(f) ? rc_error(RC_ERR_IO, "cannot write the fit's table") : RC_OK;
}

void rc_fit_outcome_free(rc_fit_outcome_t *out)
{
    if (out == NULL)
        return;
    rc_cascades_free(out->data);
    rc_cascades_free(out->train);
    free(out->heldout);
    free(out->rows);
    rc_calib_result_free(out->calib);
    free(out);
}
