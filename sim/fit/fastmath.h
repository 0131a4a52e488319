/* Private to sim/fit: log and exp written as straight-line arithmetic so that the compiler can
 * vectorise the power-law likelihood's O(n^2) pair loop (a call into libm cannot be). The log
 * is fdlibm's e_log.c algorithm (reduction to [sqrt(2)/2, sqrt(2)), its minimax coefficients,
 * error below 1 ulp); exp reduces by k ln 2 (Cody-Waite split) and sums the Taylor series to
 * degree 13 (truncation below 1e-17). Domain: rc_fast_log for normal x > 0 (x >= DBL_MIN);
 * rc_fast_exp for y <= 709, returning 0 below -708 (where the true value is subnormal). */
#ifndef RC_FIT_FASTMATH_H
#define RC_FIT_FASTMATH_H

#include <stdint.h>
#include <string.h>

static inline uint64_t rc_fm_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double rc_fm_double(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define RC_FM_LN2_HI 6.93147180369123816490e-01
#define RC_FM_LN2_LO 1.90821492927058770002e-10
#define RC_FM_SHIFT 6755399441055744.0 /* 1.5 * 2^52: adding it rounds to an integer */

static inline double rc_fast_log(double x)
{
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                 Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                 Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                 Lg7 = 1.479819860511658591e-01;
    uint64_t b = rc_fm_bits(x);
    /* exponent as a double through the shifter (exact for |e| < 2^51) */
    uint64_t eb = (b >> 52) + rc_fm_bits(RC_FM_SHIFT) - 1023;
    double k = rc_fm_double(eb) - RC_FM_SHIFT;
    double m = rc_fm_double((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL); /* [1, 2) */
    /* both sides computed before the select, so that it is a blend, not a branch */
    double half = 0.5 * m, k1 = k + 1.0;
    int big = m > 1.4142135623730951;
    m = big ? half : m;
    k = big ? k1 : k;
    double f = m - 1.0, hfsq = 0.5 * f * f, s = f / (2.0 + f), z = s * s, w = z * z;
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1;
    return k * RC_FM_LN2_HI - ((hfsq - (s * (hfsq + R) + k * RC_FM_LN2_LO)) - f);
}

static inline double rc_fast_exp(double y)
{
    double kd = y * 1.4426950408889634 + RC_FM_SHIFT;
    uint64_t kb = rc_fm_bits(kd);
    kd -= RC_FM_SHIFT;
    double r = (y - kd * RC_FM_LN2_HI) - kd * RC_FM_LN2_LO; /* |r| <= ln2 / 2 */
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    /* 2^k from the shifter's low bits (k >= -1022 for y >= -708) */
    double v = p * rc_fm_double((kb - rc_fm_bits(RC_FM_SHIFT) + 1023) << 52);
    return y < -708.0 ? 0.0 : v;
}

#endif
