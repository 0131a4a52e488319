/* The Hawkes model family of evently: kind names, parameter names and order, range checks and
 * the branching factor. Formulas follow evently's R/EXP.R, PL.R, EXPN.R, PLN.R (functions
 * get_param_names.hawkes_*, get_branching_factor.hawkes_*) and R/hawkes.R (bounds). */
#include "fit_internal.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[8] = {"EXP",  "PL",  "mEXP",  "mPL",
                                          "EXPN", "PLN", "mEXPN", "mPLN"};
static const char *const par_names[5] = {"K", "beta", "c", "theta", "N"};

/* evently's alpha - 1 for the power-law distribution of marks (get_branching_factor.hawkes_mEXP:
 * "assuming alpha = 2.016", from Mishra et al. 2016). */
#define RC_EVENTLY_ALPHA_M1 1.016

const char *rc_hawkes_kind_name(rc_hawkes_kind_t kind)
{
    return (unsigned)kind < 8 ? kind_names[kind] : NULL;
}

rc_status_t rc_hawkes_kind_from_name(const char *name, rc_hawkes_kind_t *kind)
{
    for (int k = 0; k < 8; k++)
        if (name && strcmp(name, kind_names[k]) == 0) {
            *kind = (rc_hawkes_kind_t)k;
            return RC_OK;
        }
    return rc_error(RC_ERR_CONFIG,
                    "Hawkes model: expected one of EXP, PL, mEXP, mPL, EXPN, PLN, "
                    "mEXPN, mPLN, got '%s'",
                    name ? name : "(none)");
}

int rc_hk_index(rc_hawkes_kind_t kind, int which)
{
    int i = 0;
    for (int w = 0; w < 5; w++) {
        int has = w == RC_HK_K || w == RC_HK_THETA ||
                  (w == RC_HK_BETA && RC_HAWKES_IS_MARKED(kind)) ||
                  (w == RC_HK_C && RC_HAWKES_IS_PL(kind)) || (w == RC_HK_N && RC_HAWKES_IS_N(kind));
        if (w == which)
            return has ? i : -1;
        i += has;
    }
    return -1;
}

int rc_hawkes_n_params(rc_hawkes_kind_t kind)
{
    if ((unsigned)kind >= 8)
        return 0;
    return 2 + RC_HAWKES_IS_MARKED(kind) + RC_HAWKES_IS_PL(kind) + RC_HAWKES_IS_N(kind);
}

const char *rc_hawkes_param_name(rc_hawkes_kind_t kind, int i)
{
    for (int w = 0; w < 5; w++)
        if (rc_hk_index(kind, w) == i && i >= 0)
            return par_names[w];
    return NULL;
}

void rc_hk_unpack(rc_hawkes_kind_t kind, const double *v, rc_hk_par_t *p)
{
    double *dst[5] = {&p->K, &p->beta, &p->c, &p->theta, &p->N};
    p->beta = 0.0;
    p->c = 0.0;
    p->N = INFINITY;
    for (int w = 0; w < 5; w++) {
        int i = rc_hk_index(kind, w);
        if (i >= 0)
            *dst[w] = v[i];
    }
}

size_t rc_hk_max_size(const rc_cascades_t *cs)
{
    size_t m = 0;
    for (size_t c = 0; c < cs->n; c++)
        if (rc_cascades_size(cs, c) > m)
            m = rc_cascades_size(cs, c);
    return m;
}

double rc_hk_mean_weight(const rc_cascades_t *cs, double beta)
{
    double s = 0.0, s_all = 0.0;
    size_t k = 0;
    for (size_t e = 0; e < cs->n_events; e++) {
        double w = rc_hk_weight(cs->mark[e], beta, 1);
        s_all += w;
        if (cs->time[e] > 0.0) {
            s += w;
            k++;
        }
    }
    return k ? s / (double)k : s_all / (double)cs->n_events;
}

rc_status_t rc_hawkes_check_params(rc_hawkes_kind_t kind, const double *par,
                                   const rc_cascades_t *cs)
{
    rc_status_t status = RC_OK;
    rc_hk_par_t p;
    if ((unsigned)kind >= 8)
        RC_FAIL(RC_ERR_CONFIG, "Hawkes model: expected a kind 0..7, got %d", (int)kind);
    rc_hk_unpack(kind, par, &p);
    const char *name = kind_names[kind];
    if (!(p.K > 0.0 && isfinite(p.K)))
        RC_FAIL(RC_ERR_CONFIG, "%s: K: expected a finite number > 0, got %g", name, p.K);
    if (!(p.theta > 0.0 && isfinite(p.theta)))
        RC_FAIL(RC_ERR_CONFIG, "%s: theta: expected a finite number > 0, got %g", name, p.theta);
    if (RC_HAWKES_IS_MARKED(kind) && !(p.beta >= 0.0 && isfinite(p.beta)))
        RC_FAIL(RC_ERR_CONFIG, "%s: beta: expected a finite number >= 0, got %g", name, p.beta);
    if (RC_HAWKES_IS_PL(kind) && !(p.c > 0.0 && isfinite(p.c)))
        RC_FAIL(RC_ERR_CONFIG, "%s: c: expected a finite number > 0, got %g", name, p.c);
    if (RC_HAWKES_IS_N(kind)) {
        double lo = cs ? (double)rc_hk_max_size(cs) : 1.0;
        if (!(p.N >= lo && isfinite(p.N)))
            RC_FAIL(RC_ERR_CONFIG,
                    "%s: N: expected a finite number >= %g (the largest cascade's "
                    "event count), got %g",
                    name, lo, p.N);
    }
cleanup:
    return status;
}

double rc_hawkes_branching_factor(rc_hawkes_kind_t kind, const double *par, rc_nstar_kind_t how,
                                  const rc_cascades_t *cs)
{
    rc_hk_par_t p;
    if ((unsigned)kind >= 8 || par == NULL)
        return NAN;
    rc_hk_unpack(kind, par, &p);
    double mass = RC_HAWKES_IS_PL(kind) ? pow(p.c, -p.theta) / p.theta : 1.0;
    double ew = 1.0;
    if (RC_HAWKES_IS_MARKED(kind)) {
        if (how == RC_NSTAR_POWERLAW)
            ew = p.beta < RC_EVENTLY_ALPHA_M1 ? RC_EVENTLY_ALPHA_M1 / (RC_EVENTLY_ALPHA_M1 - p.beta)
                                              : INFINITY;
        else if (how == RC_NSTAR_EMPIRICAL && cs != NULL && cs->n_events > 0)
            ew = rc_hk_mean_weight(cs, p.beta);
        else
            return NAN;
    }
    return p.K * ew * mass;
}
