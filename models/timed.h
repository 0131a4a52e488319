/* Helpers shared by the two timed models (continuous_cascade.c, hawkes.c) and their tests: the
 * reshare-delay distributions ("memory kernels"), their parsing from a `delay:` map, sampling by
 * inversion of the survival function, the analytic CDF and mean, and the Hawkes branching ratio.
 * Private to models/ and tests; not part of the public API. */
#ifndef RC_MODELS_TIMED_H
#define RC_MODELS_TIMED_H

#include "rtcascade/config.h"
#include "rtcascade/graph.h"
#include "rtcascade/rng.h"

typedef enum rc_delay_kind {
    RC_DELAY_EXPONENTIAL = 0, /* density rate e^(-rate s) */
    RC_DELAY_LOGNORMAL = 1,   /* log s ~ Normal(mu, sigma) */
    RC_DELAY_WEIBULL = 2,     /* survival exp(-(s/scale)^shape) */
    RC_DELAY_POWER_LAW = 3    /* SEISMIC kernel: flat up to s0, then ~ (s/s0)^-(1+theta) */
} rc_delay_kind_t;

/* A delay distribution on s >= 0, in seconds by convention (any unit works if used throughout). */
typedef struct rc_delay {
    rc_delay_kind_t kind;
    double a;         /* rate | mu | shape | s0 */
    double b;         /* -    | sigma | scale | theta */
    double flat_mass; /* power law: probability of the flat part [0, s0], theta / (1 + theta) */
} rc_delay_t;

/* Names accepted by `distribution:` in the order of rc_delay_kind_t, NULL-terminated. */
extern const char *const rc_delay_names[];

/* Reads the map at `key` of `map` ({distribution: exponential, rate: ...} etc.; the parameters of
 * the chosen distribution are required and nothing else is allowed). When the key is absent,
 * *out = *def. Messages name file:line:col and the key. */
rc_status_t rc_delay_parse(const rc_cfg_t *map, const char *key, const rc_delay_t *def,
                           rc_delay_t *out);

/* The delay s whose survival P(S > s) equals w, for w in (0, 1]. Inversion of the survival
 * rather than the CDF keeps the far tail (w -> 0) exact, which the power law needs. */
double rc_delay_from_survival(const rc_delay_t *d, double w);

/* One delay drawn from d with generator r (of the project's type). */
static inline double rc_delay_sample(const rc_delay_t *d, gsl_rng *r)
{
    return rc_delay_from_survival(d, rc_rng_uniform_pos(r));
}

/* P(S <= s). Cannot fail. */
double rc_delay_cdf(const rc_delay_t *d, double s);

/* E[S], or INFINITY when it diverges (power law with theta <= 1). */
double rc_delay_mean(const rc_delay_t *d);

/* Writes "power_law(s0=300, theta=0.242)" etc. into buf; returns buf. */
const char *rc_delay_describe(const rc_delay_t *d, char *buf, size_t len);

/* The Hawkes model's branching ratio n* = kappa E[d^beta], the mean number of direct reshares a
 * reshare causes. `params` are hawkes parse() output. With `followers: network` the expectation
 * is over a uniformly random edge's follower, d its out-degree (exact for graphs without degree
 * correlations, ignoring depletion), so g is needed; otherwise g may be NULL. NAN on misuse. */
double rc_hawkes_branching_ratio(const void *params, const rc_graph_t *g);

#endif
