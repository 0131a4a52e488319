/* A minimal test harness: CHECK macros that count failures and report file:line, and a main
 * helper. Each test program returns non-zero when any check failed. */
#ifndef RC_TEST_H
#define RC_TEST_H

#include "rtcascade/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int rc_test_failures = 0;
static int rc_test_checks = 0;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        rc_test_checks++;                                                                          \
        if (!(cond)) {                                                                             \
            rc_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
        }                                                                                          \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                                         \
    do {                                                                                           \
        unsigned long long rc_a_ = (unsigned long long)(a), rc_b_ = (unsigned long long)(b);       \
        rc_test_checks++;                                                                          \
        if (rc_a_ != rc_b_) {                                                                      \
            rc_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s == %llu, expected %s == %llu\n", __FILE__, __LINE__, #a,   \
                    rc_a_, #b, rc_b_);                                                             \
        }                                                                                          \
    } while (0)

/* |a - b| <= tol */
#define CHECK_NEAR(a, b, tol)                                                                      \
    do {                                                                                           \
        double rc_a_ = (double)(a), rc_b_ = (double)(b), rc_t_ = (double)(tol);                    \
        rc_test_checks++;                                                                          \
        if (!(fabs(rc_a_ - rc_b_) <= rc_t_)) {                                                     \
            rc_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s = %.10g, expected %s = %.10g within %.3g\n", __FILE__,      \
                    __LINE__, #a, rc_a_, #b, rc_b_, rc_t_);                                        \
        }                                                                                          \
    } while (0)

/* A call returning rc_status_t must succeed. */
#define CHECK_OK(call)                                                                             \
    do {                                                                                           \
        rc_status_t rc_s_ = (call);                                                                \
        rc_test_checks++;                                                                          \
        if (rc_s_ != RC_OK) {                                                                      \
            rc_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,                   \
                    rc_error_message());                                                           \
        }                                                                                          \
    } while (0)

/* A call must fail with `code` and a message containing `text`. */
#define CHECK_FAILS(call, code, text)                                                              \
    do {                                                                                           \
        rc_status_t rc_s_ = (call);                                                                \
        rc_test_checks++;                                                                          \
        if (rc_s_ != (code) || strstr(rc_error_message(), (text)) == NULL) {                       \
            rc_test_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s gave status %d message '%s', expected %d with '%s'\n",      \
                    __FILE__, __LINE__, #call, (int)rc_s_, rc_error_message(), (int)(code),       \
                    (text));                                                                       \
        }                                                                                          \
    } while (0)

static inline int rc_test_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, rc_test_checks, rc_test_failures);
    return rc_test_failures ? 1 : 0;
}

#endif
