/* Reshare-delay distributions for the timed models: parsing, sampling by inversion, CDF, mean.
 * The power law is the SEISMIC memory kernel (Zhao et al. 2015), normalised here to a density;
 * the derivation is next to its formulas so the sampler can be checked against it. */
#include "timed.h"

#include <float.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>

const char *const rc_delay_names[] = {"exponential", "lognormal", "weibull", "power_law", "lomax",
                                      NULL};

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
 * The mean is s0 theta/(1+theta) (1/2 + 1/(theta - 1)) for theta > 1 and infinite otherwise.
 *
 * Lomax (Pareto II) kernel, evently's power law phi(s) = (s + c)^-(1+theta), c > 0, theta > 0:
 *
 *   int_0^inf (s + c)^-(1+theta) ds = c^-theta / theta,
 *
 * so the density is theta c^theta (s + c)^-(1+theta) and an event with weight K w has on average
 * K w c^-theta / theta children (the hawkes model's kappa w). Survival 1 - F(s) = (1 + s/c)^-theta,
 * inverted: s = c (w^(-1/theta) - 1) = c expm1(-log(w) / theta), exact near w = 1 as well as in
 * the far tail. The mean is c / (theta - 1) for theta > 1 and infinite otherwise. */

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
    case RC_DELAY_LOMAX:
        return d->a * expm1(-log(w) / d->b);
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
    case RC_DELAY_LOMAX:
        return -expm1(-d->b * log1p(s / d->a));
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
    case RC_DELAY_LOMAX:
        return d->b <= 1.0 ? INFINITY : d->a / (d->b - 1.0);
    }
    return NAN;
}

const char *rc_delay_describe(const rc_delay_t *d, char *buf, size_t len)
{
    static const char *const a_names[] = {"rate", "mu", "shape", "s0", "c"};
    static const char *const b_names[] = {NULL, "sigma", "scale", "theta", "theta"};
    if (d->kind == RC_DELAY_EXPONENTIAL)
        snprintf(buf, len, "%s(%s=%g)", rc_delay_names[d->kind], a_names[d->kind], d->a);
    else
        snprintf(buf, len, "%s(%s=%g, %s=%g)", rc_delay_names[d->kind], a_names[d->kind], d->a,
                 b_names[d->kind], d->b);
    return buf;
}

/* The keys of each kind, in the order of rc_delay_kind_t. */
#define POSITIVE(key, field, unit_text)                                                            \
    {.name = key, .type = RC_PARAM_REAL, .offset = offsetof(rc_delay_t, field),                    \
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = INFINITY, .unit = unit_text,    \
     .doc = key}
static const rc_param_t exponential_keys[] = {POSITIVE("rate", a, "1/s"), {0}};
static const rc_param_t lognormal_keys[] = {
    {.name = "mu", .type = RC_PARAM_REAL, .offset = offsetof(rc_delay_t, a),
     .flags = RC_PARAM_REQUIRED, .lo = -700.0, .hi = 700.0, .unit = "log s", .doc = "mu"},
    POSITIVE("sigma", b, NULL),
    {0}};
static const rc_param_t weibull_keys[] = {POSITIVE("shape", a, NULL), POSITIVE("scale", b, "s"),
                                          {0}};
static const rc_param_t power_law_keys[] = {POSITIVE("s0", a, "s"), POSITIVE("theta", b, NULL),
                                            {0}};
static const rc_param_t lomax_keys[] = {POSITIVE("c", a, "s"), POSITIVE("theta", b, NULL), {0}};
#undef POSITIVE

const rc_param_variant_t rc_delay_variants[] = {
    {"exponential", RC_DELAY_EXPONENTIAL, exponential_keys, "density rate e^(-rate s)"},
    {"lognormal", RC_DELAY_LOGNORMAL, lognormal_keys, "log s ~ Normal(mu, sigma)"},
    {"weibull", RC_DELAY_WEIBULL, weibull_keys, "survival exp(-(s/scale)^shape)"},
    {"power_law", RC_DELAY_POWER_LAW, power_law_keys,
     "the SEISMIC kernel: constant up to s0, then decaying as (s/s0)^-(1+theta)"},
    {"lomax", RC_DELAY_LOMAX, lomax_keys,
     "evently's power-law kernel (s + c)^-(1+theta), normalised: density theta c^theta "
     "(s + c)^-(1+theta), survival (1 + s/c)^-theta (Lomax, Pareto II)"},
    {NULL, 0, NULL, NULL},
};

rc_status_t rc_delay_finish(void *delay, const char **key)
{
    rc_delay_t *d = delay;
    *key = NULL;
    d->flat_mass = d->kind == RC_DELAY_POWER_LAW ? d->b / (1.0 + d->b) : 0.0;
    return RC_OK;
}

/* ---- Infectiousness decay ---- */

const rc_decay_t rc_decay_none = {RC_DECAY_NONE, 0.0, 0.0};

#define POSITIVE(key, field, unit_text, doc_text)                                                  \
    {.name = key, .type = RC_PARAM_REAL, .offset = offsetof(rc_decay_t, field),                    \
     .flags = RC_PARAM_REQUIRED | RC_PARAM_ABOVE, .lo = 0.0, .hi = INFINITY, .unit = unit_text,    \
     .doc = doc_text}
static const rc_param_t decay_none_keys[] = {{0}};
static const rc_param_t decay_exponential_keys[] = {POSITIVE("tau", a, "s", "tau"), {0}};
static const rc_param_t decay_power_law_keys[] = {POSITIVE("t0", a, "s", "t0"),
                                                  POSITIVE("exponent", b, NULL, "exponent"), {0}};
#undef POSITIVE

const rc_param_variant_t rc_decay_variants[] = {
    {"none", RC_DECAY_NONE, decay_none_keys,
     "written `infectiousness: none`: g(t) = 1, the same at every time (the default)"},
    {"exponential", RC_DECAY_EXPONENTIAL, decay_exponential_keys,
     "g(t) = exp(-t/tau): the infectiousness falls by e every tau seconds (TiDeH, Kobayashi & "
     "Lambiotte 2016)"},
    {"power_law", RC_DECAY_POWER_LAW, decay_power_law_keys,
     "g(t) = (1 + t/t0)^-exponent: flat for t << t0, then a power law"},
    {NULL, 0, NULL, NULL},
};
