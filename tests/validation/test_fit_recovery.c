/* The loop through the model: cascades simulated by rtcascade's own hawkes model, under the
 * `model:` section that rc_fit_model_yaml writes for known evently parameters (so the mapping
 * K, beta, c, theta, N -> kappa, delay, marks, population is what is tested), are fitted back by
 * rc_hawkes_fit. Each kernel, marked and unmarked, complete and with an observation window, and
 * HawkesN: the truth inside the 99.9% intervals of one large data set; over R data sets the 95%
 * intervals cover it at least as often as the 0.001 quantile of Binomial(R, 0.95) allows. The
 * marks are auspol's follower counts (reshares for the reshares, posts for the posts). */
#include "model_fixture.h"
#include "rtcascade/cascades.h"
#include "rtcascade/fit.h"
#include "rtcascade/fit_io.h"

#include <gsl/gsl_cdf.h>

#define AUSPOL RC_FIT_REAL "/auspol_retweet_cascades.csv"
#define NODES 200000 /* the workspace's capacity: larger than any cascade here */

typedef struct setting {
    rc_hawkes_kind_t kind;
    double par[RC_HAWKES_MAX_PARAMS]; /* the truth, evently's order */
    double window;                    /* observation time T, INFINITY = complete */
} setting_t;

static rc_cascades_t *g_marks; /* auspol: the empirical marks */
static rc_graph_t *g_graph;    /* NODES nodes, no edges: only the capacity matters */

/* A model fixture for setting s: rc_fit_model_yaml's section (plus the horizon) parsed as the
 * model's map, as fx_open does with a document's model: map. */
static int open_model(fixture_t *f, const setting_t *s)
{
    char *model = rc_fit_model_yaml(s->kind, s->par, g_marks);
    size_t len = strlen(model) + 64;
    char *yaml = malloc(len);
    snprintf(yaml, len, "%s", model);
    if (isfinite(s->window))
        snprintf(yaml + strlen(yaml), 64, "horizon: %.17g\n", s->window);
    memset(f, 0, sizeof *f);
    rc_status_t st = rc_cfg_parse_string(yaml, "<fitted model>", &f->cfg);
    if (st == RC_OK)
        st = rc_model_parse(f->cfg, &f->model, &f->params);
    if (st == RC_OK)
        st = rc_workspace_alloc(g_graph->n, f->model->state_size(f->params, g_graph), &f->ws);
    if (st == RC_OK && (f->rng = rc_rng_alloc()) == NULL)
        st = RC_ERR_NOMEM;
    CHECK_OK(st);
    f->ctx.graph = g_graph;
    f->ctx.params = f->params;
    free(model);
    free(yaml);
    return st == RC_OK ? 0 : -1;
}

/* n cascades of the model, one seed each (run r of stream set `set`), observed up to window. */
static rc_cascades_t *simulate(fixture_t *f, const setting_t *s, size_t n, uint64_t set)
{
    size_t cap = 4096, len = 0;
    size_t *off = malloc((n + 1) * sizeof *off);
    double *t = malloc(cap * sizeof *t), *m = malloc(cap * sizeof *m);
    double *T = malloc(n * sizeof *T);
    const uint32_t seed = 0;
    off[0] = 0;
    for (size_t c = 0; c < n; c++) {
        rc_cascade_t cc;
        CHECK_OK(fx_run(f, set * 1000003u + c, &seed, 1, &cc));
        CHECK(!cc.capped && cc.mark != NULL);
        while (len + cc.size > cap) {
            cap *= 2;
            t = realloc(t, cap * sizeof *t);
            m = realloc(m, cap * sizeof *m);
        }
        for (uint32_t i = 0; i < cc.size; i++) {
            t[len + i] = cc.time[i];
            m[len + i] = RC_HAWKES_IS_MARKED(s->kind) ? cc.mark[i] : 1.0;
        }
        len += cc.size;
        off[c + 1] = len;
        T[c] = s->window;
    }
    rc_cascades_t *cs = NULL;
    CHECK_OK(rc_cascades_from_arrays(n, off, t, m, T, NULL, &cs));
    free(off);
    free(t);
    free(m);
    free(T);
    return cs;
}

static void describe(const setting_t *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s %s", rc_hawkes_kind_name(s->kind),
             isfinite(s->window) ? "with a window" : "complete");
}

/* One data set of n cascades: each parameter's truth in its 99.9% interval. */
static void recover(const setting_t *s, size_t n, uint64_t set)
{
    fixture_t f;
    char what[64];
    describe(s, what, sizeof what);
    if (open_model(&f, s) != 0)
        return;
    rc_cascades_t *cs = simulate(&f, s, n, set);
    rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(s->kind);
    rc_hawkes_fit_t fit;
    o.level = 0.999;
    o.n_starts = 4;
    CHECK_OK(rc_hawkes_fit(cs, &o, &fit));
    printf("%-22s %5zu cascades %6zu events, nll %.2f, %.2f s:", what, cs->n, cs->n_events, fit.nll,
           fit.seconds);
    CHECK(fit.converged && fit.hessian_ok);
    for (int i = 0; i < fit.n_params; i++) {
        int in = fit.ci_low[i] <= s->par[i] && s->par[i] <= fit.ci_high[i];
        printf("  %s %.4g [%.4g, %.4g] (%.4g)%s", fit.name[i], fit.par[i], fit.ci_low[i],
               fit.ci_high[i], s->par[i], in ? "" : " MISS");
        CHECK(in);
    }
    printf("\n");
    /* the fitted model's n* (the data's own marks) against the truth's on the same data */
    double nt = rc_hawkes_branching_factor(s->kind, s->par, RC_NSTAR_EMPIRICAL, cs);
    double nf = rc_hawkes_branching_factor(s->kind, fit.par, RC_NSTAR_EMPIRICAL, cs);
    CHECK(fabs(nf - nt) < 0.15 * nt);
    rc_cascades_free(cs);
    fx_close(&f);
}

/* 1 when the fitted interval of cascade 0's expected final size seen up to t covers the truth's
 * expectation (the true parameters, n* over the same data's marks). */
static int prediction_covered(const rc_cascades_t *cs, const setting_t *s,
                              const rc_hawkes_fit_t *fit, double t)
{
    size_t one = 0;
    rc_cascades_t *first = NULL;
    rc_prediction_t pf, pt;
    CHECK_OK(rc_cascades_subset(cs, &one, 1, &first));
    CHECK_OK(rc_hawkes_predict_fitted(first, fit, cs, t, &pf));
    double nt = rc_hawkes_branching_factor(s->kind, s->par, fit->nstar_kind, cs);
    CHECK_OK(rc_hawkes_predict(first, s->kind, s->par, nt, t, &pt));
    rc_cascades_free(first);
    CHECK(pf.low <= pf.predicted_final && pf.predicted_final <= pf.high);
    return pf.low <= pt.predicted_final && pt.predicted_final <= pf.high;
}

/* R data sets of n cascades: how often the 95% intervals cover the truth, the parameters' and
 * that of the first cascade's expected final size seen up to t. */
static void coverage(const setting_t *s, size_t n, int R, uint64_t set0, double t)
{
    fixture_t f;
    char what[64];
    int cover[RC_HAWKES_MAX_PARAMS] = {0}, np = rc_hawkes_n_params(s->kind), cover_pred = 0;
    describe(s, what, sizeof what);
    if (open_model(&f, s) != 0)
        return;
    for (int r = 0; r < R; r++) {
        rc_cascades_t *cs = simulate(&f, s, n, set0 + (uint64_t)r);
        rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(s->kind);
        rc_hawkes_fit_t fit;
        o.n_starts = 3;
        o.nstar = RC_NSTAR_EMPIRICAL;
        CHECK_OK(rc_hawkes_fit(cs, &o, &fit));
        for (int i = 0; i < np; i++)
            cover[i] += fit.ci_low[i] <= s->par[i] && s->par[i] <= fit.ci_high[i];
        cover_pred += prediction_covered(cs, s, &fit, t);
        rc_cascades_free(cs);
    }
    int lo = 0;
    while (gsl_cdf_binomial_P((unsigned)lo, 0.95, (unsigned)R) <= 1e-3)
        lo++;
    printf("%-22s coverage of the 95%% intervals over %d data sets of %zu cascades (bound >= "
           "%d):",
           what, R, n, lo);
    for (int i = 0; i < np; i++) {
        printf(" %s %d", rc_hawkes_param_name(s->kind, i), cover[i]);
        CHECK(cover[i] >= lo);
    }
    printf(", expected final size seen up to %g s %d\n", t, cover_pred);
    CHECK(cover_pred >= lo);
    fx_close(&f);
}

/* K for a target n* of kind with the given beta, c, theta over the auspol reshares' marks. */
static double K_for(rc_hawkes_kind_t kind, double nstar, double beta, double c, double theta)
{
    double par[RC_HAWKES_MAX_PARAMS];
    int i = 0;
    par[i++] = 1.0;
    if (RC_HAWKES_IS_MARKED(kind))
        par[i++] = beta;
    if (RC_HAWKES_IS_PL(kind))
        par[i++] = c;
    par[i++] = theta;
    if (RC_HAWKES_IS_N(kind))
        par[i++] = 1e6;
    return nstar / rc_hawkes_branching_factor(kind, par, RC_NSTAR_EMPIRICAL, g_marks);
}

int main(void)
{
    rc_cascades_read_options_t ro = rc_cascades_read_defaults();
    ro.obs_time = INFINITY;
    CHECK_OK(rc_cascades_read(AUSPOL, &ro, &g_marks));
    g_graph = fx_graph(NODES, NULL, NULL, NULL, 0, 0);
    if (g_marks == NULL || g_graph == NULL)
        return rc_test_report("test_fit_recovery");
    /* n* = 0.6 for each; EXP delays of 10 minutes on average, PL with c = 60 s, theta = 0.8 */
    const double th_e = 1.0 / 600.0, c = 60.0, th_p = 0.8, beta = 0.3;
    setting_t s[] = {
        {RC_HAWKES_EXP, {K_for(RC_HAWKES_EXP, 0.6, 0, 0, th_e), th_e}, INFINITY},
        {RC_HAWKES_EXP, {K_for(RC_HAWKES_EXP, 0.6, 0, 0, th_e), th_e}, 1800.0},
        {RC_HAWKES_PL, {K_for(RC_HAWKES_PL, 0.6, 0, c, th_p), c, th_p}, INFINITY},
        {RC_HAWKES_PL, {K_for(RC_HAWKES_PL, 0.6, 0, c, th_p), c, th_p}, 3600.0},
        {RC_HAWKES_MEXP, {K_for(RC_HAWKES_MEXP, 0.6, beta, 0, th_e), beta, th_e}, INFINITY},
        {RC_HAWKES_MEXP, {K_for(RC_HAWKES_MEXP, 0.6, beta, 0, th_e), beta, th_e}, 1800.0},
        {RC_HAWKES_MPL, {K_for(RC_HAWKES_MPL, 0.6, beta, c, th_p), beta, c, th_p}, INFINITY},
        {RC_HAWKES_MPL, {K_for(RC_HAWKES_MPL, 0.6, beta, c, th_p), beta, c, th_p}, 3600.0},
        /* HawkesN: supercritical without N (n* = 1.5), so the population shapes every size */
        {RC_HAWKES_EXPN, {K_for(RC_HAWKES_EXPN, 1.5, 0, 0, th_e), th_e, 40.0}, INFINITY},
    };
    const size_t ns = sizeof s / sizeof s[0];
    for (size_t i = 0; i < ns; i++)
        recover(&s[i], 1500, 100 + i);
    coverage(&s[5], 300, 40, 1000, 300.0); /* mEXP with a window */
    coverage(&s[6], 300, 30, 2000, 600.0); /* mPL complete */
    rc_cascades_free(g_marks);
    rc_graph_free(g_graph);
    return rc_test_report("test_fit_recovery");
}
