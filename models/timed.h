/* Helpers shared by the two timed models (continuous_cascade.c, hawkes.c) and their tests: the
 * reshare-delay distributions ("memory kernels"), their parsing from a `delay:` map, sampling by
 * inversion of the survival function, the analytic CDF and mean, and the Hawkes branching ratio.
 * Private to models/ and tests; not part of the public API. */
#ifndef RC_MODELS_TIMED_H
#define RC_MODELS_TIMED_H

#include "rtcascade/graph.h"
#include "rtcascade/params.h"
#include "rtcascade/rng.h"

#include <math.h>
#include <stddef.h>

typedef enum rc_delay_kind {
    RC_DELAY_EXPONENTIAL = 0, /* density rate e^(-rate s) */
    RC_DELAY_LOGNORMAL = 1,   /* log s ~ Normal(mu, sigma) */
    RC_DELAY_WEIBULL = 2,     /* survival exp(-(s/scale)^shape) */
    RC_DELAY_POWER_LAW = 3,   /* SEISMIC kernel: flat up to s0, then ~ (s/s0)^-(1+theta) */
    RC_DELAY_LOMAX = 4        /* evently's power law: density ~ (s + c)^-(1+theta) (Pareto II) */
} rc_delay_kind_t;

/* A delay distribution on s >= 0, in seconds by convention (any unit works if used throughout). */
typedef struct rc_delay {
    int kind;         /* rc_delay_kind_t */
    double a;         /* rate | mu | shape | s0 | c */
    double b;         /* -    | sigma | scale | theta | theta */
    double flat_mass; /* power law: probability of the flat part [0, s0], theta / (1 + theta) */
} rc_delay_t;

/* Names accepted by `distribution:` in the order of rc_delay_kind_t, NULL-terminated. */
extern const char *const rc_delay_names[];

/* The delay kernel as a nested parameter ({distribution: exponential, rate: ...} and the other
 * kinds, each with its own keys), for a model's parameter table: `absent` is the value when the
 * key is not given. */
#define RC_DELAY_PARAM(struct_type, field, absent_value, doc_text)                                 \
    {.name = "delay", .type = RC_PARAM_VARIANT, .offset = offsetof(struct_type, field),             \
     .nested = &(const rc_param_nested_t){                                                          \
         .tag = "distribution", .variants = rc_delay_variants,                                     \
         .kind_offset = offsetof(rc_delay_t, kind), .size = sizeof(rc_delay_t),                    \
         .absent = (absent_value), .tag_default = -1, .scalar_number = -1,                        \
         .finish = rc_delay_finish, .example = "a map like {distribution: exponential, rate: 0.001}"}, \
     .unit = "s", .doc = (doc_text)}

extern const rc_param_variant_t rc_delay_variants[];

/* Derived values of a filled delay (the power law's flat mass). Cannot fail. */
rc_status_t rc_delay_finish(void *delay, const char **key);

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

/* E[S], or INFINITY when it diverges (power law or Lomax with theta <= 1). */
double rc_delay_mean(const rc_delay_t *d);

/* Writes "power_law(s0=300, theta=0.242)" etc. into buf; returns buf. */
const char *rc_delay_describe(const rc_delay_t *d, char *buf, size_t len);

/* Infectiousness that decays with the time since the original post: SEISMIC's p(t) (Zhao et al.
 * 2015), whose intensity at time t is p(t) times the kernel-weighted marks of the events before
 * t. A model's own probability (continuous_cascade's p, hawkes's kappa) is the infectiousness at
 * t = 0, and a reshare due at time t (seconds after the original post) happens only with
 * probability g(t) <= 1: independent thinning, which turns an intensity lambda(t) into exactly
 * g(t) lambda(t). g(0) = 1, so seeds posting at 0 are never affected. */
typedef enum rc_decay_kind {
    RC_DECAY_NONE = 0,        /* g(t) = 1: constant infectiousness (every model's default) */
    RC_DECAY_EXPONENTIAL = 1, /* g(t) = exp(-t / tau) (TiDeH, Kobayashi & Lambiotte 2016) */
    RC_DECAY_POWER_LAW = 2    /* g(t) = (1 + t / t0)^-exponent */
} rc_decay_kind_t;

typedef struct rc_decay {
    int kind; /* rc_decay_kind_t */
    double a; /* tau | t0 (s) */
    double b; /* -   | exponent */
} rc_decay_t;

extern const rc_param_variant_t rc_decay_variants[];
extern const rc_decay_t rc_decay_none;

/* The `infectiousness: {decay: ...}` parameter of a model's table (absent: no decay). */
#define RC_DECAY_PARAM(struct_type, field)                                                         \
    {.name = "infectiousness", .type = RC_PARAM_VARIANT, .offset = offsetof(struct_type, field),   \
     .nested = &(const rc_param_nested_t){                                                          \
         .tag = "decay", .variants = rc_decay_variants, .kind_offset = offsetof(rc_decay_t, kind), \
         .size = sizeof(rc_decay_t), .absent = &rc_decay_none, .tag_default = -1,                  \
         .scalar_number = -1, .finish = NULL,                                                      \
         .example = "'none' or a map like {decay: exponential, tau: 3600}"},                       \
     .def_text = "none",                                                                           \
     .doc = "SEISMIC's p(t) (Zhao et al. 2015): how the post's infectiousness decays with the "    \
            "time t since the original post. The model's probability (p, kappa) is the value at " \
            "t = 0; a reshare due at time t, the first hop of an audience included, happens only " \
            "with probability g(t)"}

/* g(t) for t >= 0 (0 for an infinite t under a decay). Cannot fail. */
static inline double rc_decay_factor(const rc_decay_t *d, double t)
{
    switch (d->kind) {
    case RC_DECAY_EXPONENTIAL:
        return exp(-t / d->a);
    case RC_DECAY_POWER_LAW:
        return pow(1.0 + t / d->a, -d->b);
    default:
        return 1.0;
    }
}

/* Whether a reshare due at time t survives the decay: always without one (and then no random
 * number is drawn, so results without a decay are those of a model without the key), else with
 * probability g(t). */
static inline int rc_decay_keep(const rc_decay_t *d, double t, gsl_rng *r)
{
    return d->kind == RC_DECAY_NONE || rc_rng_uniform(r) < rc_decay_factor(d, t);
}

/* The Hawkes model's branching ratio n* = kappa E[d^beta], the mean number of direct reshares a
 * reshare causes. `params` are hawkes parse() output. With `followers: network` the expectation
 * is over a uniformly random edge's follower, d its out-degree (exact for graphs without degree
 * correlations, ignoring depletion), so g is needed; otherwise g may be NULL. NAN on misuse. */
double rc_hawkes_branching_ratio(const void *params, const rc_graph_t *g);

#endif
