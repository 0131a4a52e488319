/* Status codes and the per-thread error message.
 *
 * A library function that can fail returns rc_status_t and, on failure, has already written a
 * one-line message (naming file, line, key or parameter and what was expected) that
 * rc_error_message() returns. Nothing in the library prints or exits; sim/cli does, and maps
 * these codes to its documented exit statuses (docs/cli.md). */
#ifndef RTCASCADE_ERROR_H
#define RTCASCADE_ERROR_H

#include <stddef.h>

typedef enum rc_status {
    RC_OK = 0,
    RC_ERR_ARGUMENT = 1,    /* a function was called with a bad argument (or a bad option) */
    RC_ERR_CONFIG = 2,      /* bad config: syntax, type, unknown key, value out of range */
    RC_ERR_INPUT = 3,       /* bad input file: edge list, cascades, cache, results file */
    RC_ERR_IO = 4,          /* cannot open, read or write a file; disk full */
    RC_ERR_NOMEM = 5,       /* allocation failed, or the estimated memory need does not fit */
    RC_ERR_INTERNAL = 6,    /* a bug: an invariant did not hold */
    RC_ERR_INTERRUPTED = 7, /* stopped on request (a cancel hook, a signal); finished work kept */
    RC_ERR_EXISTS = 8,      /* the output exists and neither overwriting nor resuming was asked */
    RC_ERR_MISMATCH = 9     /* a file to resume was made by another experiment */
} rc_status_t;

/* Formats the calling thread's error message (printf-style) and returns status, so that
 * `return rc_error(RC_ERR_CONFIG, "%s: expected a number", where);` reads naturally. */
rc_status_t rc_error(rc_status_t status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The calling thread's last message, "" if none. Valid until that thread's next rc_error. */
const char *rc_error_message(void);

/* Forgets the calling thread's message. Cannot fail. */
void rc_error_clear(void);

/* A short name for a status ("config error", "out of memory", ...). Cannot fail. */
const char *rc_status_name(rc_status_t status);

/* Evaluates a call returning rc_status_t; on failure stores it in `status` and jumps to the
 * function's `cleanup:` label. The caller declares `rc_status_t status = RC_OK;`. */
#define RC_TRY(call)                                                                               \
    do {                                                                                           \
        status = (call);                                                                           \
        if (status != RC_OK)                                                                       \
            goto cleanup;                                                                          \
    } while (0)

/* Sets `status` to an error with a message and jumps to `cleanup:`. */
#define RC_FAIL(code, ...)                                                                         \
    do {                                                                                           \
        status = rc_error((code), __VA_ARGS__);                                                    \
        goto cleanup;                                                                              \
    } while (0)

/* Allocation check: on NULL sets an out-of-memory error naming `what` and jumps to cleanup. */
#define RC_ALLOC_CHECK(ptr, what)                                                                  \
    do {                                                                                           \
        if ((ptr) == NULL)                                                                         \
            RC_FAIL(RC_ERR_NOMEM, "out of memory allocating %s", (what));                          \
    } while (0)

#endif
