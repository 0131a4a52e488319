/* The per-thread error message behind rc_error()/rc_error_message(). Thread-local storage keeps
 * messages from OpenMP threads apart without locks. */
#include "rtcascade/error.h"

#include <stdarg.h>
#include <stdio.h>

#define RC_ERROR_MAX 1024

static _Thread_local char rc_message[RC_ERROR_MAX];

rc_status_t rc_error(rc_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rc_message, sizeof rc_message, fmt, ap);
    va_end(ap);
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
