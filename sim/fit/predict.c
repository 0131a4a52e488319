/* Final-size prediction of partly observed cascades: the fitted Hawkes model's expectation
 * (evently's predict_final_popularity.hawkes and get_a1.hawkes_*), and SEISMIC as its R
 * package computes it (CRAN seismic 1.1, R/tweetfunctions.R: memory.ccdf, linear.kernel,
 * power.kernel, integral.memory.kernel, get.infectiousness, pred.cascade), quirks included. */
#include "fit_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The observation time used for cascade c: t, capped at T_c; T_c when t is NAN or infinite. */
static double seen_until(const rc_cascades_t *cs, size_t c, double t)
{
    double T = cs->obs_time[c];
    return isnan(t) || isinf(t) || t > T ? T : t;
}

rc_status_t rc_hawkes_predict(const rc_cascades_t *cs, rc_hawkes_kind_t kind, const double *par,
                              double n_star, double t, rc_prediction_t *out)
{
    rc_status_t status = RC_OK;
    rc_hk_par_t p;
    if (RC_HAWKES_IS_N(kind))
        RC_FAIL(RC_ERR_CONFIG,
                "%s: expected a Hawkes kind without N: the final size of a HawkesN "
                "cascade has no closed form here (evently has none either)",
                rc_hawkes_kind_name(kind));
    RC_TRY(rc_hawkes_check_params(kind, par, NULL));
    if (!(t >= 0.0) && !isnan(t))
        RC_FAIL(RC_ERR_CONFIG, "Hawkes prediction: expected an observation time >= 0, got %g", t);
    rc_hk_unpack(kind, par, &p);
    for (size_t c = 0; c < cs->n; c++) {
        double tc = seen_until(cs, c, t), a1 = 0.0;
        size_t k = 0;
        for (size_t e = cs->offset[c]; e < cs->offset[c + 1] && cs->time[e] <= tc; e++, k++) {
            double w = rc_hk_weight(cs->mark[e], p.beta, RC_HAWKES_IS_MARKED(kind));
            double s = tc - cs->time[e];
            if (isinf(s))
                continue; /* nothing left after an infinite window */
            a1 += RC_HAWKES_IS_PL(kind) ? w * pow(s + p.c, -p.theta) / p.theta
                                        : w * exp(-p.theta * s);
        }
        a1 *= p.K;
        rc_prediction_t *o = &out[c];
        o->observed_until = tc;
        o->observed_size = k;
        o->predicted_final = n_star >= 1.0 ? INFINITY : (double)k + a1 / (1.0 - n_star);
        o->low = o->high = NAN;
        o->rate = n_star;
    }
cleanup:
    return status;
}

/* Step on the log scale for the numerical derivatives of a prediction (as the fit's own). */
#define PRED_STEP 1e-4

/* The predictions of cs at par_k(u_k -+ PRED_STEP) into lo/hi, the n* of each by the fit's
 * rule over `fitted`. */
static rc_status_t predict_shifted(const rc_cascades_t *cs, const rc_hawkes_fit_t *fit,
                                   const rc_cascades_t *fitted, double t, int k,
                                   rc_prediction_t *lo, rc_prediction_t *hi)
{
    rc_status_t status = RC_OK;
    const int iN = rc_hk_index(fit->kind, RC_HK_N);
    for (int side = 0; side < 2; side++) {
        double par[RC_HAWKES_MAX_PARAMS];
        memcpy(par, fit->par, sizeof par);
        par[k] = fit->par[k] * exp(side ? PRED_STEP : -PRED_STEP);
        if (k == iN) /* no N kind predicts; kept for completeness */
            par[k] = fit->par[k];
        double ns = rc_hawkes_branching_factor(fit->kind, par, fit->nstar_kind, fitted);
        RC_TRY(rc_hawkes_predict(cs, fit->kind, par, ns, t, side ? hi : lo));
    }
cleanup:
    return status;
}

rc_status_t rc_hawkes_predict_fitted(const rc_cascades_t *cs, const rc_hawkes_fit_t *fit,
                                     const rc_cascades_t *fitted, double t, rc_prediction_t *out)
{
    rc_status_t status = RC_OK;
    const int np = fit->n_params;
    double *grad = NULL;
    rc_prediction_t *lo = NULL, *hi = NULL;
    RC_TRY(rc_hawkes_predict(cs, fit->kind, fit->par, fit->n_star, t, out));
    if (!fit->hessian_ok)
        return RC_OK;
    grad = malloc((cs->n * (size_t)np + 1) * sizeof *grad);
    lo = malloc((cs->n + 1) * sizeof *lo);
    hi = malloc((cs->n + 1) * sizeof *hi);
    if (grad == NULL || lo == NULL || hi == NULL)
        RC_FAIL(RC_ERR_NOMEM, "out of memory for the prediction intervals");
    /* d log(predicted - observed) / d log p_k, by central differences */
    for (int k = 0; k < np; k++) {
        RC_TRY(predict_shifted(cs, fit, fitted, t, k, lo, hi));
        for (size_t c = 0; c < cs->n; c++) {
            double o = (double)out[c].observed_size;
            grad[c * (size_t)np + (size_t)k] =
                (log(hi[c].predicted_final - o) - log(lo[c].predicted_final - o)) /
                (2.0 * PRED_STEP);
        }
    }
    const double z = gsl_cdf_ugaussian_Pinv(0.5 + 0.5 * fit->level);
    for (size_t c = 0; c < cs->n; c++) {
        rc_prediction_t *p = &out[c];
        const double o = (double)p->observed_size, ex = p->predicted_final - o;
        const double *g = grad + c * (size_t)np;
        double var = 0.0;
        for (int i = 0; i < np; i++)
            for (int j = 0; j < np; j++)
                var += g[i] * fit->cov[i * np + j] * g[j];
        if (isinf(p->predicted_final)) {
            p->low = p->high = INFINITY;
        } else if (ex <= 0.0) {
            p->low = p->high = o; /* nothing more is expected */
        } else if (isfinite(var)) {
            p->low = o + ex * exp(-z * sqrt(var));
            p->high = o + ex * exp(z * sqrt(var));
        }
    }
cleanup:
    free(grad);
    free(lo);
    free(hi);
    return status;
}

/* ---- SEISMIC ---- */

rc_seismic_options_t rc_seismic_defaults(void)
{
    rc_seismic_options_t o = {0.2314843, 300.0, 0.0006265725, 2.0 * 60.0 * 60.0, 300.0, 5,
                              100.0,     0.05,  0.95};
    return o;
}

/* memory.ccdf: P(reaction time > t). */
static double memory_ccdf(double t, const rc_seismic_options_t *o)
{
    if (t < 0.0)
        t = 0.0;
    if (t <= o->cutoff)
        return 1.0 - o->c * t;
    return o->c * pow(o->cutoff, 1.0 + o->theta) / o->theta * pow(t, -o->theta);
}

/* linear.kernel: integral from t1 to t2 of c (slope (t - ptime) + 1). */
static double linear_kernel(double t1, double t2, double ptime, double slope,
                            const rc_seismic_options_t *o)
{
    return o->c * (t2 - ptime * slope * t2 + slope * t2 * t2 / 2.0) -
           o->c * (t1 - ptime * slope * t1 + slope * t1 * t1 / 2.0);
}

/* power.kernel: the same integral of the power-law part c ((t - s)/cutoff)^-(1+theta). */
static double power_kernel(double t1, double t2, double ptime, double s, double slope,
                           const rc_seismic_options_t *o)
{
    const double th = o->theta, k = o->c * pow(o->cutoff, 1.0 + th) / ((th - 1.0) * th);
    double a =
        pow(t2 - s, -th) * (s * slope - th + (th - 1.0) * ptime * slope - th * slope * t2 + 1.0);
    double b =
        pow(t1 - s, -th) * (s * slope - th + (th - 1.0) * ptime * slope - th * slope * t1 + 1.0);
    return k * a - k * b;
}

/* integral.memory.kernel for one share time s. R assigns its five index sets in order, so
 * where sets 2 and 4 overlap (window < cutoff) set 4's value stands; this chain does the same. */
static double integral_memory_kernel(double p, double s, double slope, double window,
                                     const rc_seismic_options_t *o)
{
    const double co = o->cutoff;
    if (p <= s)
        return 0.0;
    if (p > s + window + co)
        return power_kernel(p - window, p, p, s, slope, o);
    if (p > s + window)
        return linear_kernel(p - window, s + co, p, slope, o) +
               power_kernel(s + co, p, p, s, slope, o);
    if (p > s + co)
        return linear_kernel(s, s + co, p, slope, o) + power_kernel(s + co, p, p, s, slope, o);
    return linear_kernel(s, p, p, slope, o);
}

void rc_seismic_infectiousness(const double *time, const double *mark, size_t n, double t,
                               const rc_seismic_options_t *opt, double *p, double *p_low,
                               double *p_high)
{
    const rc_seismic_options_t o = opt ? *opt : rc_seismic_defaults();
    *p = *p_low = *p_high = 0.0;
    if (!(t > 0.0) || n == 0) {
        *p = *p_low = *p_high = NAN;
        return;
    }
    double slope = 1.0 / (t / 2.0), window = t / 2.0;
    if (slope < 1.0 / o.max_window)
        slope = 1.0 / o.max_window;
    if (slope > 1.0 / o.min_window)
        slope = 1.0 / o.min_window;
    if (window > o.max_window)
        window = o.max_window;
    if (window < o.min_window)
        window = o.min_window;
    size_t in_window = 0, before = 0;
    for (size_t i = 0; i < n; i++) {
        in_window += time[i] >= t - window && time[i] < t;
        before += time[i] < t;
    }
    if (in_window < (size_t)o.min_count) {
        if (before == 0)
            return; /* R: the window starts at NA and nothing is counted */
        size_t first = before > (size_t)o.min_count ? before - (size_t)o.min_count : 1;
        window = t - time[first - 1];
        slope = 1.0 / window;
    }
    double I = 0.0, weighted = 0.0;
    size_t rt_num = 0;
    for (size_t i = 0; i < n; i++)
        I += mark[i] * integral_memory_kernel(t, time[i], slope, window, &o);
    for (size_t i = 1; i < n; i++) /* share.time[-1]: without the original post */
        if (time[i] >= t - window && time[i] < t) {
            weighted += slope * (time[i] - t) + 1.0;
            rt_num++;
        }
    if (weighted == 0.0)
        return;
    *p = weighted / I;
    *p_low = *p * gsl_cdf_chisq_Pinv(o.low_q, 2.0 * (double)rt_num) / (2.0 * (double)rt_num);
    *p_high = *p * gsl_cdf_chisq_Pinv(o.high_q, 2.0 * (double)rt_num) / (2.0 * (double)rt_num);
}

/* pred.cascade at one time for infectiousness p, reshares only (as R returns it). */
static double pred_cascade(const double *time, const double *mark, size_t n, double t, double p,
                           const rc_seismic_options_t *o)
{
    double rt0 = -1.0, rt1 = 0.0;
    for (size_t i = 0; i < n && time[i] <= t; i++) {
        rt0 += 1.0;
        rt1 += mark[i] * p * memory_ccdf(t - time[i], o);
    }
    double pred = rt0 + rt1 / (1.0 - p * o->n_star);
    return p > 1.0 / o->n_star ? INFINITY : pred;
}

static rc_status_t check_seismic(const rc_seismic_options_t *o, double t)
{
    rc_status_t status = RC_OK;
    if (!(o->theta > 0.0 && o->theta != 1.0 && o->cutoff > 0.0 && o->c > 0.0))
        RC_FAIL(RC_ERR_CONFIG,
                "SEISMIC: expected theta > 0 (not 1), cutoff > 0 and c > 0, got "
                "%g, %g, %g",
                o->theta, o->cutoff, o->c);
    if (!(o->min_window > 0.0 && o->max_window >= o->min_window && o->min_count >= 1))
        RC_FAIL(RC_ERR_CONFIG,
                "SEISMIC: expected 0 < min_window <= max_window and min_count >= 1, "
                "got %g, %g, %d",
                o->min_window, o->max_window, o->min_count);
    if (!(o->n_star > 0.0 && o->low_q > 0.0 && o->low_q < o->high_q && o->high_q < 1.0))
        RC_FAIL(RC_ERR_CONFIG,
                "SEISMIC: expected n_star > 0 and 0 < low_q < high_q < 1, got %g, "
                "%g, %g",
                o->n_star, o->low_q, o->high_q);
    if (!(t > 0.0) && !isnan(t))
        RC_FAIL(RC_ERR_CONFIG, "SEISMIC: expected an observation time > 0, got %g", t);
cleanup:
    return status;
}

rc_status_t rc_seismic_predict(const rc_cascades_t *cs, const rc_seismic_options_t *opt, double t,
                               rc_prediction_t *out)
{
    rc_status_t status = RC_OK;
    const rc_seismic_options_t o = opt ? *opt : rc_seismic_defaults();
    RC_TRY(check_seismic(&o, t));
    for (size_t c = 0; c < cs->n; c++) {
        const double *tm = cs->time + cs->offset[c], *mk = cs->mark + cs->offset[c];
        size_t n = rc_cascades_size(cs, c), k = 0;
        double tc = seen_until(cs, c, t), p, lo, hi;
        if (!(tc > 0.0) || isinf(tc))
            RC_FAIL(RC_ERR_CONFIG,
                    "SEISMIC: cascade %zu (id '%s'): expected a finite observation "
                    "time > 0, got %g",
                    c, cs->id[c], tc);
        while (k < n && tm[k] <= tc)
            k++;
        rc_seismic_infectiousness(tm, mk, k, tc, &o, &p, &lo, &hi);
        rc_prediction_t *r = &out[c];
        r->observed_until = tc;
        r->observed_size = k;
        r->rate = p;
        r->predicted_final = 1.0 + pred_cascade(tm, mk, k, tc, p, &o);
        r->low = 1.0 + pred_cascade(tm, mk, k, tc, lo, &o);
        r->high = 1.0 + pred_cascade(tm, mk, k, tc, hi, &o);
    }
cleanup:
    return status;
}
