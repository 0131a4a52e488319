/* Exact log-likelihood of the evently Hawkes models and its analytic gradient. The exponential
 * kernel uses O(n) recursions kept as ratios (no underflow however long the gaps); the power law
 * sums all pairs, O(n^2), each event's sum scaled by its nearest predecessor's term. Per-event
 * and per-cascade parts are computed in parallel and added in a fixed order. */
#include "fastmath.h"
#include "fit_internal.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Work (pairs, or about 50 per event for the O(n) parts) below which a parallel region costs
 * more than it saves: a thread descheduled on a shared machine stalls every barrier. */
#define RC_LL_PARALLEL_WORK 2e6

/* Smallest c for which every x = dt + c is a normal number, fastmath.h's domain. */
#define RC_FAST_MIN_C 1e-290

/* Per-event pair sums of the power-law kernel (target event i, sources j < i). */
enum { PS_LOGP, PS_DT, PS_DC, PS_DB, PS_R, PS_R1, PS_R2, PS_N };

typedef struct ll_ctx {
    const rc_cascades_t *cs;
    rc_hawkes_kind_t kind;
    rc_hk_par_t p;
    int marked, has_n, want_grad;
    double *w, *wl; /* per event: m^beta and m^beta log m (0 when m = 0) */
    double *lw;     /* per event: log m^beta (-INFINITY when m = 0) */
    double *ps;     /* PS_N doubles per event (power law only) */
} ll_ctx_t;

/* For S = A + w given as la = log A and lw = log w (either may be -INFINITY): log S, A/S and
 * w/S, with one exp and one log1p. */
static void log_sum(double la, double lw, double *ls, double *ra, double *rw)
{
    if (la == -INFINITY || lw == -INFINITY) {
        *ls = la == -INFINITY ? lw : la;
        *ra = la == -INFINITY ? 0.0 : 1.0;
        *rw = 1.0 - *ra;
        return;
    }
    double d = -fabs(la - lw), e = exp(d), inv = 1.0 / (1.0 + e);
    *ls = (la > lw ? la : lw) + log1p(e);
    *ra = la > lw ? inv : e * inv;
    *rw = la > lw ? e * inv : inv;
}

/* One cascade under the exponential kernel; g in named order (K, beta, c, theta, N). */
static void exp_cascade(const ll_ctx_t *x, size_t c, double *ll_out, double g[5])
{
    const rc_cascades_t *cs = x->cs;
    const double K = x->p.K, th = x->p.theta, N = x->p.N, T = cs->obs_time[c];
    const size_t a = cs->offset[c], n = rc_cascades_size(cs, c);
    const double *t = cs->time + a, *w = x->w + a, *wl = x->wl + a;
    double ll = 0.0, comp = 0.0, dcK = 0.0, dcT = 0.0, dcB = 0.0, dcN = 0.0;
    /* A_i = sum_{j<i} w_j e^(-th (t_i - t_j)) as L = log A_i, b = B_i / A_i, r = C_i / A_i with
     * B_i = sum w_j (t_i - t_j) e^(..) = -dA/dth and C_i = sum w_j log m_j e^(..) = dA/dbeta. */
    const double *lwv = x->lw + a, lKth = log(K) + log(th);
    double L = -INFINITY, b = 0.0, cr = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            double dt = t[i] - t[i - 1], lS, rA, rw;
            log_sum(L, lwv[i - 1], &lS, &rA, &rw); /* log S_{i-1}, A/S, w/S; S = A + w */
            if (lS == -INFINITY) {
                b = cr = 0.0;
            } else {
                b = b * rA + dt;
                cr = cr * rA + (w[i - 1] > 0.0 ? rw * (wl[i - 1] / w[i - 1]) : 0.0);
            }
            L = lS - th * dt;
            if (t[i] > 0.0) {
                double f = x->has_n ? (N - (double)i) / N : 1.0;
                ll += lKth + L + (x->has_n ? log(f) : 0.0);
                g[RC_HK_K] += 1.0 / K;
                g[RC_HK_THETA] += 1.0 / th - b;
                g[RC_HK_BETA] += cr;
                if (x->has_n)
                    g[RC_HK_N] += 1.0 / (N - (double)i) - 1.0 / N;
            }
        }
        if (!x->has_n) {
            double s = T - t[i], em = isinf(s) ? -1.0 : expm1(-th * s), E = -em;
            comp += w[i] * E;
            dcB += wl[i] * E;
            dcT += isinf(s) ? 0.0 : w[i] * s * (1.0 + em);
        } else {
            /* interval (t_i, t_{i+1}] with i + 1 events so far, factor gi; S_i = A_i + w_i */
            double s = (i + 1 < n ? t[i + 1] : T) - t[i];
            double E = isinf(s) ? 1.0 : -expm1(-th * s);
            double dE = isinf(s) ? 0.0 : s * exp(-th * s);
            double A = exp(L), gi = (N - (double)(i + 1)) / N;
            double S = A + w[i], dS_th = -b * A, dS_b = cr * A + wl[i];
            comp += gi * S * E;
            dcT += gi * (dS_th * E + S * dE);
            dcB += gi * dS_b * E;
            dcN += (double)(i + 1) / (N * N) * S * E;
        }
    }
    dcK = comp;
    ll -= K * comp;
    g[RC_HK_K] -= dcK;
    g[RC_HK_THETA] -= K * dcT;
    g[RC_HK_BETA] -= K * dcB;
    g[RC_HK_N] -= K * dcN;
    *ll_out = ll;
}

/* Pair sums of target event e (global index) of a cascade starting at a, under the power law.
 * Scaled by the nearest predecessor: e_j = (x_j / x_min)^-(1+theta), x = t_e - t_j + c. */
static void pl_pairs(const ll_ctx_t *x, size_t a, size_t e)
{
    const double *t = x->cs->time, *w = x->w, *wl = x->wl;
    const double c = x->p.c, th = x->p.theta, q = 1.0 + th, te = t[e];
    double *out = x->ps + e * PS_N;
    memset(out, 0, PS_N * sizeof *out);
    if (e == a || te == 0.0)
        return;
    const double lxm = log(te - t[e - 1] + c);
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, r0 = 0, r1 = 0, r2 = 0;
    /* The hot loops: vectorised (omp simd, a fixed order of the partial sums, so results do
     * not depend on threads) over fastmath.h's log and exp; libm when c is below its domain. */
    const double *ta = t + a, *wa = w + a, *wla = wl + a;
    const int m = (int)(e - a); /* an int index: GCC 12 does not vectorise these with a long */
    if (!x->want_grad && !x->has_n && c >= RC_FAST_MIN_C && e - a < INT_MAX) {
#pragma omp simd reduction(+ : s0)
        for (int j = 0; j < m; j++)
            s0 += wa[j] * rc_fast_exp(-q * (rc_fast_log(te - ta[j] + c) - lxm));
    } else if (!x->has_n && c >= RC_FAST_MIN_C && e - a < INT_MAX) {
#pragma omp simd reduction(+ : s0, s1, s2, s3)
        for (int j = 0; j < m; j++) {
            double xx = te - ta[j] + c, lx = rc_fast_log(xx);
            double k = rc_fast_exp(-q * (lx - lxm));
            s0 += wa[j] * k;
            s1 += wa[j] * k * lx;
            s2 += wa[j] * k / xx;
            s3 += wla[j] * k;
        }
    } else if (!x->has_n) {
        for (size_t j = a; j < e; j++) {
            double xx = te - t[j] + c, lx = log(xx);
            double k = exp(-q * (lx - lxm));
            s0 += w[j] * k;
            s1 += w[j] * k * lx;
            s2 += w[j] * k / xx;
            s3 += wl[j] * k;
        }
    } else {
        const double lc = log(c), cth = exp(-th * lc);
        for (size_t j = a; j < e; j++) {
            double xx = te - t[j] + c, lx = log(xx);
            double k = exp(-q * (lx - lxm));
            double em = expm1(-th * (lx - lc)); /* (x/c)^-theta - 1 */
            double D = -cth * em, xt = cth + cth * em;
            s0 += w[j] * k;
            s1 += w[j] * k * lx;
            s2 += w[j] * k / xx;
            s3 += wl[j] * k;
            r0 += w[j] * D;
            r1 += w[j] * xt * lx;
            r2 += wl[j] * D;
        }
    }
    out[PS_LOGP] = s0 > 0.0 ? -q * lxm + log(s0) : -INFINITY;
    if (s0 > 0.0) {
        out[PS_DT] = -s1 / s0;     /* d log P / d theta */
        out[PS_DC] = -q * s2 / s0; /* d log P / d c */
        out[PS_DB] = s3 / s0;      /* d log P / d beta */
    }
    out[PS_R] = r0;
    out[PS_R1] = r1;
    out[PS_R2] = r2;
}

/* One cascade under the power law, from its events' pair sums. */
static void pl_cascade(const ll_ctx_t *x, size_t c, double *ll_out, double g[5])
{
    const rc_cascades_t *cs = x->cs;
    const double K = x->p.K, th = x->p.theta, cc = x->p.c, N = x->p.N, T = cs->obs_time[c];
    const size_t a = cs->offset[c], n = rc_cascades_size(cs, c);
    const double *t = cs->time + a, *w = x->w + a, *wl = x->wl + a;
    const double lc = log(cc), cth = exp(-th * lc), cth1 = cth / cc;
    double ll = 0.0;
    /* sums over events i of w_i D(T - t_i) and of its derivatives */
    double sD = 0, sDt = 0, sDc = 0, sDb = 0;
    /* sums over targets of R_i = sum_{j<i} w_j D(t_i - t_j) and its derivatives */
    double sR = 0, sRt = 0, sRc = 0, sRb = 0, W = 0;
    for (size_t i = 0; i < n; i++) {
        const double *ps = x->ps + (a + i) * PS_N;
        if (t[i] > 0.0) {
            double f = x->has_n ? (N - (double)i) / N : 1.0;
            ll += log(K) + ps[PS_LOGP] + (x->has_n ? log(f) : 0.0);
            g[RC_HK_K] += 1.0 / K;
            g[RC_HK_THETA] += ps[PS_DT];
            g[RC_HK_C] += ps[PS_DC];
            g[RC_HK_BETA] += ps[PS_DB];
            if (x->has_n) {
                g[RC_HK_N] += 1.0 / (N - (double)i) - 1.0 / N;
                double P = exp(ps[PS_LOGP]); /* sum_{j<i} w_j x^-(1+theta) */
                sR += ps[PS_R];
                sRt += -cth * lc * W + ps[PS_R1];
                sRc += th * (P - cth1 * W);
                sRb += ps[PS_R2];
            }
        }
        W += w[i];
        double s = T - t[i];
        double D, dDt, dDc;
        if (isinf(s)) {
            D = cth;
            dDt = -cth * lc;
            dDc = -th * cth1;
        } else {
            double lx = log(s + cc), xt = exp(-th * lx);
            D = -cth * expm1(-th * log1p(s / cc));
            dDt = -cth * lc + xt * lx;
            dDc = th * (xt / (s + cc) - cth1);
        }
        sD += w[i] * D;
        sDt += w[i] * dDt;
        sDc += w[i] * dDc;
        sDb += wl[i] * D;
    }
    /* compensator (K / theta) [ (1/N) sR + g_last sD ], g_last = 1 - n/N (1 and 0 without N) */
    double iN = x->has_n ? 1.0 / N : 0.0, gl = x->has_n ? 1.0 - (double)n / N : 1.0;
    double C0 = iN * sR + gl * sD;
    double comp = K / th * C0;
    ll -= comp;
    g[RC_HK_K] -= C0 / th;
    g[RC_HK_THETA] -= -comp / th + K / th * (iN * sRt + gl * sDt);
    g[RC_HK_C] -= K / th * (iN * sRc + gl * sDc);
    g[RC_HK_BETA] -= K / th * (iN * sRb + gl * sDb);
    if (x->has_n)
        g[RC_HK_N] -= K / th * (-sR + (double)n * sD) / (N * N);
    *ll_out = ll;
}

/* Fills x->w, x->wl and x->lw (vectorised: one log and one exp per event). */
static void fill_weights(ll_ctx_t *x)
{
    const double *m = x->cs->mark, beta = x->marked ? x->p.beta : 0.0;
    double *w = x->w, *wl = x->wl, *lw = x->lw;
    const int n = (int)x->cs->n_events;
#pragma omp simd
    for (int e = 0; e < n; e++) {
        int pos = m[e] > 0.0;
        double lm = rc_fast_log(pos ? m[e] : 1.0), we = rc_fast_exp(beta * lm);
        double w0 = beta == 0.0 ? 1.0 : 0.0; /* 0^beta: 1 for beta = 0, else 0 */
        w[e] = pos ? we : w0;
        wl[e] = pos && x->marked ? we * lm : 0.0;
        lw[e] = pos ? beta * lm : (beta == 0.0 ? 0.0 : -INFINITY);
    }
}

rc_status_t rc_hawkes_loglik(const rc_cascades_t *cs, rc_hawkes_kind_t kind, const double *par,
                             double *ll, double *grad, double *ll_each)
{
    rc_status_t status = RC_OK;
    ll_ctx_t x;
    double *per = NULL; /* 6 per cascade: ll and the named gradient */
    size_t *start = NULL;
    const size_t n = cs->n, ne = cs->n_events;

    memset(&x, 0, sizeof x);
    RC_TRY(rc_hawkes_check_params(kind, par, cs));
    if (ne > (size_t)INT_MAX)
        RC_FAIL(RC_ERR_CONFIG, "likelihood: expected fewer than %d events, got %zu", INT_MAX, ne);
    for (size_t c = 0; c < n; c++)
        if (!(cs->obs_time[c] >= cs->time[cs->offset[c + 1] - 1]))
            RC_FAIL(RC_ERR_INPUT,
                    "likelihood: cascade %zu (id '%s'): expected an observation "
                    "time >= its last event (%g), got %g",
                    c, cs->id[c], cs->time[cs->offset[c + 1] - 1], cs->obs_time[c]);
    x.cs = cs;
    x.kind = kind;
    rc_hk_unpack(kind, par, &x.p);
    x.marked = RC_HAWKES_IS_MARKED(kind);
    x.has_n = RC_HAWKES_IS_N(kind);
    x.want_grad = grad != NULL;
    x.w = malloc(ne * sizeof *x.w);
    x.wl = malloc(ne * sizeof *x.wl);
    x.lw = malloc(ne * sizeof *x.lw);
    per = calloc(n * 6, sizeof *per);
    if (!x.w || !x.wl || !x.lw || !per)
        RC_FAIL(RC_ERR_NOMEM, "out of memory evaluating the likelihood of %zu events", ne);
    fill_weights(&x);

    if (RC_HAWKES_IS_PL(kind)) {
        x.ps = malloc(ne * PS_N * sizeof *x.ps);
        start = malloc(ne * sizeof *start);
        if (!x.ps || !start)
            RC_FAIL(RC_ERR_NOMEM, "out of memory evaluating the likelihood of %zu events", ne);
        double pairs = 0.0;
        for (size_t c = 0; c < n; c++) {
            for (size_t e = cs->offset[c]; e < cs->offset[c + 1]; e++)
                start[e] = cs->offset[c];
            pairs += 0.5 * (double)rc_cascades_size(cs, c) * (double)rc_cascades_size(cs, c);
        }
        const int par_pairs = pairs > RC_LL_PARALLEL_WORK;
        /* later events have more pairs: hand them out from the end, in small chunks */
        long long nel = (long long)ne;
#pragma omp parallel for schedule(dynamic, 8) if (par_pairs)
        for (long long k = 0; k < nel; k++) {
            size_t e = (size_t)(nel - 1 - k);
            pl_pairs(&x, start[e], e);
        }
    }
    long long nl = (long long)n;
    const int par_cascades =
        (double)ne * (RC_HAWKES_IS_PL(kind) ? 2.0 : 1.0) * 50.0 > RC_LL_PARALLEL_WORK;
#pragma omp parallel for schedule(dynamic, 16) if (par_cascades)
    for (long long c = 0; c < nl; c++) {
        double *o = per + (size_t)c * 6;
        if (RC_HAWKES_IS_PL(kind))
            pl_cascade(&x, (size_t)c, &o[0], o + 1);
        else
            exp_cascade(&x, (size_t)c, &o[0], o + 1);
    }

    double sum = 0.0, g[5] = {0, 0, 0, 0, 0};
    for (size_t c = 0; c < n; c++) {
        sum += per[c * 6];
        for (int k = 0; k < 5; k++)
            g[k] += per[c * 6 + 1 + k];
        if (ll_each)
            ll_each[c] = per[c * 6];
    }
    *ll = isnan(sum) ? -INFINITY : sum;
    if (grad)
        for (int k = 0; k < 5; k++) {
            int i = rc_hk_index(kind, k);
            if (i >= 0)
                grad[i] = g[k];
        }
cleanup:
    free(x.w);
    free(x.wl);
    free(x.lw);
    free(x.ps);
    free(start);
    free(per);
    return status;
}
