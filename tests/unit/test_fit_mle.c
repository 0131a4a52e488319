/* rc_hawkes_fit: parameter recovery on cascades drawn by a simple branching simulator written
 * here (independent of the library: Poisson offspring with mean K m^beta times the kernel's mass
 * inside the window, offspring delays from the kernel truncated to the window, marks from a
 * fixed lognormal), the coverage of the 95% intervals over R data sets against a binomial bound,
 * the bootstrap, determinism across runs and thread counts, option errors; and the fits of mEXP
 * and mPL on auspol, printed for the record. */
#include "rc_test.h"
#include "rtcascade/fit.h"
#include "rtcascade/rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <omp.h>
#include <stdlib.h>

#define AUSPOL RC_FIT_REAL "/auspol_retweet_cascades.csv"

typedef struct sim_model {
    int pl; /* 0: EXP kernel theta e^-theta s; 1: PL (s + c)^-(1+theta) */
    double K, beta, c, theta;
    double mu, sigma; /* marks ~ lognormal(mu, sigma) */
    double T;         /* observation window */
} sim_model_t;

typedef struct ev {
    double t, m;
} ev_t;

static int ev_cmp(const void *a, const void *b)
{
    double x = ((const ev_t *)a)->t, y = ((const ev_t *)b)->t;
    return (x > y) - (x < y);
}

/* Kernel mass (K excluded) on [0, s], and a delay drawn from the kernel truncated to [0, s]. */
static double sim_mass(const sim_model_t *M, double s)
{
    if (M->pl)
        return pow(M->c, -M->theta) / M->theta * (1.0 - pow(1.0 + s / M->c, -M->theta));
    return 1.0 - exp(-M->theta * s);
}

static double sim_delay(const sim_model_t *M, double s, gsl_rng *r)
{
    double u = rc_rng_uniform_pos(r);
    if (M->pl) {
        double F = 1.0 - pow(1.0 + s / M->c, -M->theta);
        return M->c * (pow(1.0 - u * F, -1.0 / M->theta) - 1.0);
    }
    return -log1p(-u * (1.0 - exp(-M->theta * s))) / M->theta;
}

/* n cascades from stream (seed, set, cascade); events in [0, T]; T = the window. */
static rc_cascades_t *simulate(const sim_model_t *M, size_t n, uint64_t seed, uint64_t set)
{
    enum { CAP = 4000 };
    size_t *off = malloc((n + 1) * sizeof *off), cap = 1024, len = 0;
    double *t = malloc(cap * sizeof *t), *m = malloc(cap * sizeof *m);
    double *T = malloc(n * sizeof *T);
    ev_t *q = malloc(CAP * sizeof *q);
    gsl_rng *r = rc_rng_alloc();
    off[0] = 0;
    for (size_t c = 0; c < n; c++) {
        rc_rng_seed(r, seed, set, c);
        size_t k = 0;
        q[k++] = (ev_t){0.0, exp(M->mu + M->sigma * gsl_ran_ugaussian(r))};
        for (size_t i = 0; i < k; i++) {
            double mean = M->K * pow(q[i].m, M->beta) * sim_mass(M, M->T - q[i].t);
            unsigned kids = gsl_ran_poisson(r, mean);
            for (unsigned j = 0; j < kids && k < CAP; j++) {
                double d = sim_delay(M, M->T - q[i].t, r);
                q[k++] = (ev_t){q[i].t + d, exp(M->mu + M->sigma * gsl_ran_ugaussian(r))};
            }
        }
        qsort(q + 1, k - 1, sizeof *q, ev_cmp);
        while (len + k > cap) {
            cap *= 2;
            t = realloc(t, cap * sizeof *t);
            m = realloc(m, cap * sizeof *m);
        }
        for (size_t i = 0; i < k; i++) {
            t[len + i] = q[i].t;
            m[len + i] = q[i].m;
        }
        len += k;
        off[c + 1] = len;
        T[c] = M->T;
    }
    rc_cascades_t *cs = NULL;
    CHECK_OK(rc_cascades_from_arrays(n, off, t, m, T, NULL, &cs));
    gsl_rng_free(r);
    free(off);
    free(t);
    free(m);
    free(T);
    free(q);
    return cs;
}

static void print_fit(const char *what, const rc_hawkes_fit_t *f)
{
    printf("%s: %s on %zu cascades / %zu events: nll %.6f, n* %.4f [%.4f, %.4f], %d iterations, "
           "|g| %.2g, %.2f s\n",
           what, rc_hawkes_kind_name(f->kind), f->n_cascades, f->n_events, f->nll, f->n_star,
           f->n_star_low, f->n_star_high, f->iterations, f->grad_norm, f->seconds);
    for (int i = 0; i < f->n_params; i++) {
        printf("  %-5s %.6g  se %.3g  interval [%.6g, %.6g]", f->name[i], f->par[i], f->se[i],
               f->ci_low[i], f->ci_high[i]);
        if (!isnan(f->boot_low[i]))
            printf("  bootstrap [%.6g, %.6g]", f->boot_low[i], f->boot_high[i]);
        printf("\n");
    }
}

/* The truth in evently's order for kind. */
static void truth_vector(const sim_model_t *M, rc_hawkes_kind_t kind, double *v)
{
    int i = 0;
    v[i++] = M->K;
    if (RC_HAWKES_IS_MARKED(kind))
        v[i++] = M->beta;
    if (RC_HAWKES_IS_PL(kind))
        v[i++] = M->c;
    v[i++] = M->theta;
}

/* One large data set per kernel: the truth inside the 99.9% intervals (a miss has probability
 * 1e-3 per parameter under the model, so a failure means a bug, not bad luck). */
static void test_recovery(void)
{
    const sim_model_t mexp = {0, 0.15, 0.5, 0, 1e-3, 2.0, 1.5, 5000};
    const sim_model_t mpl = {1, 1.5, 0.5, 30.0, 0.8, 2.0, 1.5, 1e5};
    const sim_model_t *models[2] = {&mexp, &mpl};
    const rc_hawkes_kind_t kinds[2] = {RC_HAWKES_MEXP, RC_HAWKES_MPL};
    for (int k = 0; k < 2; k++) {
        rc_cascades_t *cs = simulate(models[k], 1500, 11, 1000 + (uint64_t)k);
        rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(kinds[k]);
        rc_hawkes_fit_t f;
        double v[4];
        o.level = 0.999;
        o.n_starts = 4;
        CHECK_OK(rc_hawkes_fit(cs, &o, &f));
        print_fit("recovery (99.9% intervals)", &f);
        truth_vector(models[k], kinds[k], v);
        CHECK(f.converged && f.hessian_ok);
        for (int i = 0; i < f.n_params; i++) {
            rc_test_checks++;
            if (!(f.ci_low[i] <= v[i] && v[i] <= f.ci_high[i])) {
                rc_test_failures++;
                fprintf(stderr, "%s: %s = %g outside [%g, %g]\n", rc_hawkes_kind_name(kinds[k]),
                        f.name[i], v[i], f.ci_low[i], f.ci_high[i]);
            }
        }
        /* the fit beats the truth's likelihood */
        double ll;
        CHECK_OK(rc_hawkes_loglik(cs, kinds[k], v, &ll, NULL, NULL));
        CHECK(f.nll <= -ll + 1e-9 * fabs(ll));
        rc_cascades_free(cs);
    }
}

/* Coverage of the 95% Wald intervals of mEXP over R independent data sets. The number covering
 * is Binomial(R, 0.95) when the intervals are right; fail below its 0.001 quantile. */
static void test_coverage(void)
{
    enum { R = 40 };
    const sim_model_t M = {0, 0.15, 0.5, 0, 1e-3, 2.0, 1.5, 5000};
    double v[3];
    int cover[3] = {0, 0, 0};
    int cover_n = 0;
    truth_vector(&M, RC_HAWKES_MEXP, v);
    /* the truth's n* with the data's own mean of m^beta is what the fits estimate */
    for (int r = 0; r < R; r++) {
        rc_cascades_t *cs = simulate(&M, 300, 12, (uint64_t)r);
        rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(RC_HAWKES_MEXP);
        rc_hawkes_fit_t f;
        o.n_starts = 3;
        o.nstar = RC_NSTAR_EMPIRICAL;
        CHECK_OK(rc_hawkes_fit(cs, &o, &f));
        for (int i = 0; i < 3; i++)
            cover[i] += f.ci_low[i] <= v[i] && v[i] <= f.ci_high[i];
        double nt = rc_hawkes_branching_factor(RC_HAWKES_MEXP, v, RC_NSTAR_EMPIRICAL, cs);
        cover_n += f.n_star_low <= nt && nt <= f.n_star_high;
        rc_cascades_free(cs);
    }
    int lo = 0;
    while (gsl_cdf_binomial_P((unsigned)lo, 0.95, R) <= 1e-3)
        lo++;
    printf("coverage of 95%% intervals over %d data sets: K %d, beta %d, theta %d, n* %d (bound "
           ">= %d)\n",
           R, cover[0], cover[1], cover[2], cover_n, lo);
    for (int i = 0; i < 3; i++)
        CHECK(cover[i] >= lo);
    CHECK(cover_n >= lo);
}

/* Same seed, same result; 1 or 2 threads, same result; the bootstrap; HawkesN nests Hawkes. */
static void test_determinism_and_bootstrap(void)
{
    const sim_model_t M = {0, 0.15, 0.5, 0, 1e-3, 2.0, 1.5, 5000};
    rc_cascades_t *cs = simulate(&M, 200, 13, 0);
    rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(RC_HAWKES_MEXP);
    rc_hawkes_fit_t a, b, n;
    o.n_starts = 3;
    o.bootstrap = 30;
    omp_set_num_threads(1);
    CHECK_OK(rc_hawkes_fit(cs, &o, &a));
    omp_set_num_threads(2);
    CHECK_OK(rc_hawkes_fit(cs, &o, &b));
    CHECK(memcmp(a.par, b.par, sizeof a.par) == 0 && a.nll == b.nll);
    CHECK(memcmp(a.boot_low, b.boot_low, sizeof a.boot_low) == 0);
    CHECK(a.boot_done == 30);
    print_fit("bootstrap (B = 30, 95% intervals)", &a);
    for (int i = 0; i < a.n_params; i++)
        CHECK(a.boot_low[i] < a.par[i] && a.par[i] < a.boot_high[i]);
    CHECK(a.n_star_boot_low < a.n_star && a.n_star < a.n_star_boot_high);

    rc_hawkes_fit_options_t on = rc_hawkes_fit_defaults(RC_HAWKES_MEXPN);
    on.n_starts = 4;
    CHECK_OK(rc_hawkes_fit(cs, &on, &n));
    print_fit("HawkesN on Hawkes data (95% intervals)", &n);
    CHECK(n.nll <= a.nll + 1e-6 * fabs(a.nll)); /* N -> infinity gives back mEXP */

    rc_hawkes_fit_t bad;
    o.n_starts = 0;
    CHECK_FAILS(rc_hawkes_fit(cs, &o, &bad), RC_ERR_CONFIG, "n_starts");
    o.n_starts = 1;
    o.level = 1.5;
    CHECK_FAILS(rc_hawkes_fit(cs, &o, &bad), RC_ERR_CONFIG, "level");
    rc_cascades_free(cs);
}

/* auspol, complete cascades (T = infinity, as evently's vignette fits it): the numbers for the
 * record, checks that the fits converged and that mPL explains the data better than mEXP. */
static void test_auspol(void)
{
    rc_cascades_read_options_t ro = rc_cascades_read_defaults();
    ro.obs_time = INFINITY;
    rc_cascades_t *cs = NULL;
    CHECK_OK(rc_cascades_read(AUSPOL, &ro, &cs));
    if (!cs)
        return;
    rc_hawkes_fit_t fe, fp;
    rc_hawkes_fit_options_t o = rc_hawkes_fit_defaults(RC_HAWKES_MEXP);
    CHECK_OK(rc_hawkes_fit(cs, &o, &fe));
    print_fit("auspol (95% intervals)", &fe);
    printf("  n* with the data's mean m^beta: %.4f\n",
           rc_hawkes_branching_factor(fe.kind, fe.par, RC_NSTAR_EMPIRICAL, cs));
    o = rc_hawkes_fit_defaults(RC_HAWKES_MPL);
    CHECK_OK(rc_hawkes_fit(cs, &o, &fp));
    print_fit("auspol (95% intervals)", &fp);
    printf("  n* with the data's mean m^beta: %.4f\n",
           rc_hawkes_branching_factor(fp.kind, fp.par, RC_NSTAR_EMPIRICAL, cs));
    CHECK(fe.converged && fe.hessian_ok && fp.converged && fp.hessian_ok);
    CHECK(fp.nll < fe.nll);
    /* times are printed, not checked: they depend on the machine's load and on a launcher such
     * as valgrind (RC_TEST_LAUNCHER) */
    rc_cascades_free(cs);
}

int main(void)
{
    test_recovery();
    test_coverage();
    test_determinism_and_bootstrap();
    test_auspol();
    return rc_test_report("test_fit_mle");
}
