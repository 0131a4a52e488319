/* The discrete power-law fit of degree tails (rc_powerlaw_fit): the exact maximum-likelihood
 * exponent of Clauset, Shalizi & Newman (2009, eq. 3.5, with the Hurwitz zeta), not their
 * continuous approximation (eq. 3.7), which is off by several hundredths at small x_min. On
 * histograms of expected counts of a zeta distribution the fit must return the exponent to
 * three decimals and the x_min the counts start at. */
#include "rc_test.h"
#include "rtcascade/graph.h"

#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdlib.h>

/* hist[x] = N x^-alpha / zeta(alpha, xmin) for x in [xmin, len), rounded; 0 below xmin. */
static uint64_t *zeta_hist(double alpha, uint64_t xmin, uint64_t len, double n)
{
    uint64_t *h = calloc(len, sizeof *h);
    double z = gsl_sf_hzeta(alpha, (double)xmin);
    for (uint64_t x = xmin; h != NULL && x < len; x++)
        h[x] = (uint64_t)llround(n * pow((double)x, -alpha) / z);
    return h;
}

/* The continuous approximation the fit used before: 1 + k / sum ln(x / (xmin - 1/2)). */
static double approx(const uint64_t *h, uint64_t len, uint64_t xmin)
{
    double k = 0, s = 0;
    for (uint64_t x = xmin; x < len; x++) {
        k += (double)h[x];
        s += (double)h[x] * log((double)x / ((double)xmin - 0.5));
    }
    return 1.0 + k / s;
}

int main(void)
{
    static const double alphas[] = {2.1, 2.5, 3.0};
    static const uint64_t xmins[] = {1, 2, 5};
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < 3; j++) {
            const uint64_t len = 100000;
            uint64_t *h = zeta_hist(alphas[i], xmins[j], len, 1e9);
            uint64_t xmin = 0;
            double a = rc_powerlaw_fit(h, len, &xmin);
            CHECK_NEAR(a, alphas[i], 2e-3);
            CHECK_EQ_U64(xmin, xmins[j]);
            if (xmins[j] == 1) /* where the approximation is worst */
                CHECK(fabs(approx(h, len, 1) - alphas[i]) > 0.02);
            free(h);
        }
    }
    /* Too few tail points, or all at one degree: no fit. */
    uint64_t few[10] = {0, 20, 10, 5};
    CHECK(isnan(rc_powerlaw_fit(few, 10, NULL)));
    uint64_t flat[4] = {0, 0, 0, 500};
    CHECK(isnan(rc_powerlaw_fit(flat, 4, NULL)));
    return rc_test_report("test_powerlaw");
}
