/* Memory accounting: the check made before any large allocation against what the machine (or
 * RC_MEMORY_LIMIT) has available, and byte counts in words. */
#include "rtcascade/memory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *rc_format_bytes(uint64_t bytes, char *buf, size_t len)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%llu B", (unsigned long long)bytes);
    else
        snprintf(buf, len, "%.1f %s", v, units[u]);
    return buf;
}

/* Parses "123", "4K", "1.5G" into bytes; 0 when malformed. */
static uint64_t parse_size(const char *s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || v < 0)
        return 0;
    switch (*end) {
    case 'k': case 'K': v *= 1024.0; end++; break;
    case 'm': case 'M': v *= 1024.0 * 1024.0; end++; break;
    case 'g': case 'G': v *= 1024.0 * 1024.0 * 1024.0; end++; break;
    case 't': case 'T': v *= 1024.0 * 1024.0 * 1024.0 * 1024.0; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    return *end == '\0' ? (uint64_t)v : 0;
}

/* MemAvailable from /proc/meminfo in bytes; 0 when it cannot be read. */
static uint64_t available_memory(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    if (f == NULL)
        return 0;
    char line[256];
    unsigned long long kib = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
            break;
    }
    fclose(f);
    return (uint64_t)kib * 1024;
}

rc_status_t rc_memory_check(uint64_t bytes, const char *what)
{
    uint64_t avail = 0;
    const char *source = "available memory";
    const char *limit = getenv("RC_MEMORY_LIMIT");
    if (limit != NULL && *limit != '\0') {
        avail = parse_size(limit);
        if (avail == 0)
            return rc_error(RC_ERR_ARGUMENT,
                            "RC_MEMORY_LIMIT: expected a size such as 8G or 512M, got '%s'", limit);
        source = "RC_MEMORY_LIMIT";
    } else {
        avail = available_memory();
        if (avail == 0)
            return RC_OK; /* cannot tell: let the allocation itself decide */
    }
    if (bytes > avail) {
        char need[32], have[32];
        return rc_error(RC_ERR_NOMEM, "%s needs %s but only %s is available (%s)", what,
                        rc_format_bytes(bytes, need, sizeof need),
                        rc_format_bytes(avail, have, sizeof have), source);
    }
    return RC_OK;
}
