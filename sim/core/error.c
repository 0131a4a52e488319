/* The per-thread error message behind rc_error()/rc_error_message(). Thread-local storage keeps
 * messages from OpenMP threads apart without locks. */
#include "rtcascade/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RC_ERROR_MAX 1024

static _Thread_local char rc_message[RC_ERROR_MAX];

/* A message longer than the buffer keeps its start and its end, joined by "...": messages
 * start with what they are about (a file, a key) and end with why, and a long file name or
 * value must not cut off the why. */
rc_status_t rc_error(rc_status_t status, const char *fmt, ...)
{
    char full[4 * RC_ERROR_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(full, sizeof full, fmt, ap);
    va_end(ap);
    if (n < 0) {
        snprintf(rc_message, sizeof rc_message, "%s", rc_status_name(status));
        return status;
    }
    if ((size_t)n < sizeof rc_message) {
        memcpy(rc_message, full, (size_t)n + 1);
        return status;
    }
    if ((size_t)n >= sizeof full) {
        /* longer still: format it whole to keep its end */
        char *big = malloc((size_t)n + 1);
        va_start(ap, fmt);
        if (big != NULL)
            vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        if (big != NULL) {
            memcpy(full + sizeof full / 2, big + (size_t)n - (sizeof full / 2 - 1),
                   sizeof full / 2);
            free(big);
            n = (int)(sizeof full - 1);
        } else {
            n = (int)(sizeof full - 1);
        }
    }
    const size_t head = sizeof rc_message / 2 - 2, tail = sizeof rc_message - head - 4;
    memcpy(rc_message, full, head);
    memcpy(rc_message + head, "...", 3);
    memcpy(rc_message + head + 3, full + (size_t)n - tail, tail + 1);
    return status;
}

const char *rc_error_message(void)
{
    return rc_message;
}

void rc_error_clear(void)
{
    rc_message[0] = '\0';
}

const char *rc_status_name(rc_status_t status)
{
    switch (status) {
    case RC_OK: return "ok";
    case RC_ERR_ARGUMENT: return "bad argument";
    case RC_ERR_CONFIG: return "config error";
    case RC_ERR_INPUT: return "input error";
    case RC_ERR_IO: return "I/O error";
    case RC_ERR_NOMEM: return "out of memory";
    case RC_ERR_INTERNAL: return "internal error";
    case RC_ERR_INTERRUPTED: return "interrupted";
    case RC_ERR_EXISTS: return "output exists";
    case RC_ERR_MISMATCH: return "made by another experiment";
    }
    return "unknown error";
}
