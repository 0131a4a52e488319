/* Memory accounting (core): every large allocation is preceded by rc_memory_check with an
 * estimate of what it needs, so that a network or sweep too big for the machine is refused with
 * a one-line message instead of failing half-way. */
#ifndef RTCASCADE_MEMORY_H
#define RTCASCADE_MEMORY_H

#include "rtcascade/error.h"

#include <stddef.h>
#include <stdint.h>

/* Fails with RC_ERR_NOMEM and a message naming `what`, the need and what is available when
 * `bytes` will not fit in memory (MemAvailable, or the RC_MEMORY_LIMIT environment variable in
 * bytes, with suffixes K/M/G allowed). */
rc_status_t rc_memory_check(uint64_t bytes, const char *what);

/* Formats a byte count as "1.5 GiB" into buf; returns buf. Cannot fail. */
const char *rc_format_bytes(uint64_t bytes, char *buf, size_t len);

#endif
