/* Reshare-delay distributions for the timed models: parsing, sampling by inversion, CDF, mean.
 * The power law is the SEISMIC memory kernel (Zhao et al. 2015), normalised here to a density;
 * the derivation is next to its formulas so the sampler can be checked against it. */
#include "timed.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>

const char *const rc_delay_names[] = {"exponential", "lognormal", "weibull", "power_law", NULL};

/* SEISMIC kernel phi(s) = c for 0 <= s <= s0 and c (s/s0)^-(1+theta) for s > s0, theta > 0.
 *
 *   mass of the flat part  = c s0
 *   mass of the tail       = c int_{s0}^inf (s/s0)^-(1+theta) ds = c s0 / theta
 *   total = c s0 (1 + theta) / theta = 1   =>   c = theta / (s0 (1 + theta))
 *
 * so the flat part holds theta / (1 + theta) of the mass and the tail 1 / (1 + theta), and
 *
 *   F(s) = s theta / (s0 (1 + theta))                   for s <= s0
 *   1 - F(s) = (s/s0)^-theta / (1 + theta)              for s > s0.
 *
 * Inverting the survival w = 1 - F:  w >= 1/(1+theta) lies on the flat part,
 *   s = (1 - w) s0 (1 + theta) / theta,   otherwise   s = s0 ((1 + theta) w)^(-1/theta).
 * The mean is s0 theta/(1+theta) (1/2 + 1/(theta - 1)) for theta > 1 and infinite otherwise. */

double rc_delay_from_survival(const rc_delay_t *d, double w)
{
    switch (d->kind) {
    case RC_DELAY_EXPONENTIAL:
        return -log(w) / d->a;
    case RC_DELAY_LOGNORMAL:
        return exp(d->a + d->b * gsl_cdf_ugaussian_Qinv(w));
    case RC_DELAY_WEIBULL:
        return d->b * pow(-log(w), 1.0 / d->a);
    case RC_DELAY_POWER_LAW:
        if (w >= 1.0 - d->flat_mass)
            return (1.0 - w) * d->a / d->flat_mass;
        return d->a * pow((1.0 + d->b) * w, -1.0 / d->b);
    }
    return NAN;
}

double rc_delay_cdf(const rc_delay_t *d, double s)
{
    if (!(s > 0.0))
        return 0.0;
    switch (d->kind) {
    case RC_DELAY_EXPONENTIAL:
        return -expm1(-d->a * s);
    case RC_DELAY_LOGNORMAL:
        return gsl_cdf_lognormal_P(s, d->a, d->b);
    case RC_DELAY_WEIBULL:
        return -expm1(-pow(s / d->b, d->a));
    case RC_DELAY_POWER_LAW:
        if (s <= d->a)
            return s / d->a * d->flat_mass;
        return 1.0 - pow(s / d->a, -d->b) / (1.0 + d->b);
    }
    return NAN;
}

double rc_delay_mean(const rc_delay_t *d)
{
    switch (d->kind) {
    case RC_DELAY_EXPONENTIAL:
        return 1.0 / d->a;
    case RC_DELAY_LOGNORMAL:
        return exp(d->a + 0.5 * d->b * d->b);
    case RC_DELAY_WEIBULL:
        return d->b * gsl_sf_gamma(1.0 + 1.0 / d->a);
    case RC_DELAY_POWER_LAW:
        if (d->b <= 1.0)
            return INFINITY;
        return d->a * d->flat_mass * (0.5 + 1.0 / (d->b - 1.0));
    }
    return NAN;
}

const char *rc_delay_describe(const rc_delay_t *d, char *buf, size_t len)
{
    static const char *const a_names[] = {"rate", "mu", "shape", "s0"};
    static const char *const b_names[] = {NULL, "sigma", "scale", "theta"};
    if (d->kind == RC_DELAY_EXPONENTIAL)
        snprintf(buf, len, "%s(%s=%g)", rc_delay_names[d->kind], a_names[d->kind], d->a);
    else
        snprintf(buf, len, "%s(%s=%g, %s=%g)", rc_delay_names[d->kind], a_names[d->kind], d->a,
                 b_names[d->kind], d->b);
    return buf;
}

/* A required number > 0 (the config getters take closed ranges, so "> 0" is checked here). */
static rc_status_t get_positive(const rc_cfg_t *map, const char *key, double *out)
{
    rc_status_t status = RC_OK;
    RC_TRY(rc_cfg_require(map, key));
    RC_TRY(rc_cfg_double(map, key, 0.0, 0.0, DBL_MAX, out));
    if (*out <= 0.0)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s.%s: expected a number > 0, got %g",
                rc_cfg_where(rc_cfg_get(map, key)), rc_cfg_path(map), key, *out);
cleanup:
    return status;
}

rc_status_t rc_delay_parse(const rc_cfg_t *map, const char *key, const rc_delay_t *def,
                           rc_delay_t *out)
{
    static const char *const keys[][4] = {
        {"distribution", "rate", NULL, NULL},
        {"distribution", "mu", "sigma", NULL},
        {"distribution", "shape", "scale", NULL},
        {"distribution", "s0", "theta", NULL},
    };
    rc_status_t status = RC_OK;
    const rc_cfg_t *node = rc_cfg_get(map, key);
    *out = *def;
    if (node == NULL)
        goto cleanup;
    if (rc_cfg_kind(node) != RC_CFG_MAP)
        RC_FAIL(RC_ERR_CONFIG, "%s: %s: expected a map like {distribution: exponential, rate: "
                "0.001}", rc_cfg_where(node), rc_cfg_path(node));
    RC_TRY(rc_cfg_require(node, "distribution"));
    int kind = 0;
    RC_TRY(rc_cfg_choice(node, "distribution", rc_delay_names, 0, &kind));
    RC_TRY(rc_cfg_check_keys(node, keys[kind]));
    out->kind = (rc_delay_kind_t)kind;
    out->b = 0.0;
    out->flat_mass = 0.0;
    switch (out->kind) {
    case RC_DELAY_EXPONENTIAL:
        RC_TRY(get_positive(node, "rate", &out->a));
        break;
    case RC_DELAY_LOGNORMAL:
        RC_TRY(rc_cfg_require(node, "mu"));
        RC_TRY(rc_cfg_double(node, "mu", 0.0, -700.0, 700.0, &out->a));
        RC_TRY(get_positive(node, "sigma", &out->b));
        break;
    case RC_DELAY_WEIBULL:
        RC_TRY(get_positive(node, "shape", &out->a));
        RC_TRY(get_positive(node, "scale", &out->b));
        break;
    case RC_DELAY_POWER_LAW:
        RC_TRY(get_positive(node, "s0", &out->a));
        RC_TRY(get_positive(node, "theta", &out->b));
        out->flat_mass = out->b / (1.0 + out->b);
        break;
    }
cleanup:
    return status;
}
