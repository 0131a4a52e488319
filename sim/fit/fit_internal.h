/* Private to sim/fit: the model's parameters as a struct, their place in evently-ordered
 * vectors, and small helpers shared by the likelihood, the fitter and the predictors. */
#ifndef RC_FIT_INTERNAL_H
#define RC_FIT_INTERNAL_H

#include "rtcascade/fit.h"

#include <math.h>

/* Parameters by name; those a kind lacks hold beta = 0, c = 0, N = INFINITY. */
typedef struct rc_hk_par {
    double K, beta, c, theta, N;
} rc_hk_par_t;

/* Which parameter: the order of evently's vectors. */
enum { RC_HK_K = 0, RC_HK_BETA = 1, RC_HK_C = 2, RC_HK_THETA = 3, RC_HK_N = 4 };

/* Position of parameter `which` in kind's vector, or -1 when the kind lacks it. */
int rc_hk_index(rc_hawkes_kind_t kind, int which);

/* Vector (evently order) -> struct. */
void rc_hk_unpack(rc_hawkes_kind_t kind, const double *v, rc_hk_par_t *p);

/* Largest number of events in one cascade. */
size_t rc_hk_max_size(const rc_cascades_t *cs);

/* Mean of m^beta over the reshares (events with t > 0) of cs, or over all its events when it
 * has none. m = 0 gives 0 for beta > 0 (and 1 for beta = 0). */
double rc_hk_mean_weight(const rc_cascades_t *cs, double beta);

/* m^beta with 0^0 = 1, and log m, 0 when m = 0 (so that w log m = 0 there). */
static inline double rc_hk_weight(double m, double beta, int marked)
{
    if (!marked || beta == 0.0)
        return 1.0;
    return m > 0.0 ? pow(m, beta) : 0.0;
}

#endif
